// Time-weighted average of one venue's price over a sliding window, from cumulative sums.
//
// The price is a piecewise-constant signal that exists only while the venue is fresh: after each
// input it is defined by a schedule of up to two segments (the quote mid until the quote expires,
// then the last trade until the trade expires) and is undefined afterwards. The accumulator keeps
// cum_pdt = integral of price dt and cum_dt = time during which a price existed, and records both
// at every bucket boundary (multiples of bucket_ns since the epoch) in a fixed ring. The TWAP at t
// is
//   (cum_pdt(t) - cum_pdt(S)) / (cum_dt(t) - cum_dt(S)),  S = floor((t - window) / bucket) * bucket
// so a window is between `window` and `window + bucket` long, and time without a price does not
// count. Cost: O(1) per evaluation, O(boundaries crossed, at most ring size) per advance. Exact
// integer arithmetic (128-bit sums), rounding half to even. Allocates only in Init(). Not
// thread-safe: owned by the core's single writer.
#ifndef ORACLE_AGGREGATION_TWAP_WINDOW_H_
#define ORACLE_AGGREGATION_TWAP_WINDOW_H_

#include <cstdint>
#include <memory>

#include "oracle/core/decimal.h"
#include "oracle/core/state_codec.h"
#include "oracle/core/time.h"

namespace oracle {

class TwapWindow {
 public:
  TwapWindow() = default;
  TwapWindow(TwapWindow&&) noexcept = default;
  TwapWindow& operator=(TwapWindow&&) noexcept = default;

  // window_ns must be a positive multiple of bucket_ns.
  void Init(DurationNs window_ns, DurationNs bucket_ns);

  // Integrates the current schedule up to t (t earlier than the last advance is ignored).
  void AdvanceTo(TimeNs t) noexcept;

  // Advances to t, then replaces the schedule from t on: value1 while time < until1, then value2
  // while time < until2 (pass until2 <= until1 for no second segment), then no price.
  void SetSchedule(TimeNs t, int64_t value1, TimeNs until1, int64_t value2, TimeNs until2) noexcept;

  // Advances to t and computes the TWAP. False when no price existed during the window.
  [[nodiscard]] bool Twap(TimeNs t, int64_t* out) noexcept;

  // The price the schedule gives at time t (false if none): what the venue says now.
  [[nodiscard]] bool PriceAt(TimeNs t, int64_t* out) const noexcept;

  bool started() const noexcept { return started_; }

  // Checkpoints (history/): the complete state, read back into a window Init()ed with the same
  // window and bucket. Restore returns false on a size mismatch.
  void SaveState(StateWriter& w) const;
  [[nodiscard]] bool RestoreState(StateReader& r) noexcept;
  TimeNs last_time() const noexcept { return last_time_; }

 private:
  struct Checkpoint {
    int128 cum_pdt;
    int64_t cum_dt;
    int64_t bucket_index;  // boundary time / bucket_ns; -1 when empty
  };

  // Integral of the schedule over [from, to) into *pdt, *dt.
  void Integrate(TimeNs from, TimeNs to, int128* pdt, int64_t* dt) const noexcept;
  static int64_t FloorDiv(int64_t a, int64_t b) noexcept {
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
  }

  DurationNs window_ns_ = 0;
  DurationNs bucket_ns_ = 1;
  size_t mask_ = 0;
  std::unique_ptr<Checkpoint[]> ring_;

  bool started_ = false;
  TimeNs last_time_ = 0;
  int128 cum_pdt_ = 0;
  int64_t cum_dt_ = 0;
  int64_t value1_ = 0;
  TimeNs until1_ = 0;
  int64_t value2_ = 0;
  TimeNs until2_ = 0;
};

}  // namespace oracle

#endif  // ORACLE_AGGREGATION_TWAP_WINDOW_H_
