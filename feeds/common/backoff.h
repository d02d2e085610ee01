// Reconnection delays: exponential from `initial` to `max`, each with random jitter (50-100% of
// the nominal delay, so replicas that lost a venue at the same moment do not reconnect in step).
#ifndef ORACLE_FEEDS_COMMON_BACKOFF_H_
#define ORACLE_FEEDS_COMMON_BACKOFF_H_

#include <cstdint>

#include "oracle/core/time.h"

namespace oracle::feeds {

class Backoff {
 public:
  Backoff(DurationNs initial, DurationNs max, uint64_t seed)
      : initial_(initial), max_(max), state_(seed | 1) {}

  // The next delay; doubles the nominal delay for the time after.
  DurationNs Next() noexcept {
    DurationNs nominal = next_ == 0 ? initial_ : next_;
    next_ = nominal >= max_ / 2 ? max_ : nominal * 2;
    ++attempts_;
    // xorshift64*: uniform in [0.5, 1.0) of nominal.
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    const uint64_t r = state_ * 0x2545F4914F6CDD1DULL;
    const double u = static_cast<double>(r >> 11) / static_cast<double>(1ULL << 53);
    return static_cast<DurationNs>(static_cast<double>(nominal) * (0.5 + 0.5 * u));
  }
  void Reset() noexcept {
    next_ = 0;
    attempts_ = 0;
  }
  uint64_t attempts() const noexcept { return attempts_; }

 private:
  DurationNs initial_;
  DurationNs max_;
  DurationNs next_ = 0;
  uint64_t attempts_ = 0;
  uint64_t state_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_BACKOFF_H_
