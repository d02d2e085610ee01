// The aggregation core: a deterministic single-writer state machine.
//
// Its only input is Apply(event). Events carry their own timestamps; the engine never reads a
// clock, so the same events and configuration produce the same marks, bit for bit. Per (instrument,
// source) it keeps the venue's latest quote and trade and a TWAP accumulator; on each timer event
// it computes and publishes every instrument (in dependency order, so conversion rates come first),
// and between timers it publishes an instrument early when a tick moves it by
// publish_deviation_bps.
//
// Methodology per instrument (numbers from its MethodologyParams):
//  1. venue price = mid of a fresh quote with a sane spread, else a fresh last trade, else none;
//     crossed books, non-positive prices and timestamps too far ahead are rejected and counted;
//  2. venue TWAP over the window (twap_window.h), converted through convert_via's current mark;
//  3. mark = weighted median of venue TWAPs with capped weights (weighted_median.h);
//  4. confidence = max(mark - p25, p75 - mark) over the pooled bid/TWAP/ask of used venues;
//  5. venues further than outlier_threshold_bps are flagged; the others count for the quorum:
//     >= min_venues OK, fewer DEGRADED, no fresh venue STALE (last good price, its time);
//  6. jump guard: a mark beyond jump_limit_bps from the confirmed mark in force jump_lookback ago
//     (the recent mark path) needs min_venues venues that moved past the limit the same way; until
//     then it is flagged, its confidence widened to cover the move, and it does not enter the path.
//     The price itself always follows the median (never frozen). A move that holds without a quorum
//     stops being flagged once the path has caught up, about one lookback later.
//  7. a timer event flagged kTimerClockStep (the runner is riding out a wall-clock step) flags
//     every mark it publishes CLOCK_STEP; an early publish keeps the flag of the mark before it.
//
// Apply() is noexcept and allocation-free; all memory is sized from the configuration in Create().
// Counters are relaxed atomics written only by the engine's thread and readable from any thread.
#ifndef ORACLE_AGGREGATION_ENGINE_H_
#define ORACLE_AGGREGATION_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "oracle/aggregation/mark.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/aggregation/twap_window.h"
#include "oracle/config/config.h"
#include "oracle/core/event.h"
#include "oracle/core/state_codec.h"

namespace oracle {

// What happened to one event.
enum class ApplyResult : uint8_t {
  kAccepted = 0,
  kTimer,
  kRateStored,
  kRejectedUnknownFeed,
  kRejectedNonPositive,
  kRejectedCrossedBook,
  kRejectedFutureTimestamp,
  kRejectedOutOfRange,  // does not fit the instrument's exponent
  kIgnoredOutOfOrder,   // older than the venue's newest input of that kind
};

std::string_view ApplyResultName(ApplyResult r) noexcept;
// Stable upper-case name for records and APIs: "ACCEPTED", "TIMER", "REJECTED_CROSSED_BOOK", ...
std::string_view ApplyResultCode(ApplyResult r) noexcept;

// Version of the methodology implemented by Engine. Bump it with any change that can alter a mark
// for the same events and configuration: stored checkpoints and VerifyMark refuse to mix versions.
inline constexpr char kMethodologyVersion[] = "oracle-methodology/1";

// Hooks the engine calls on its own thread, synchronously. Implementations must be fast and must
// not block: the persister (history issue) copies into its own ring; replay writes a line.
class EngineObserver {
 public:
  virtual ~EngineObserver() = default;
  virtual void OnEventApplied(const Event& /*event*/, ApplyResult /*result*/) noexcept {}
  virtual void OnMarkPublished(const Mark& /*mark*/) noexcept {}
};

// Per-venue counters (single writer, relaxed).
struct VenueCounters {
  std::atomic<uint64_t> messages{0};
  std::atomic<uint64_t> rejected{0};
  std::atomic<uint64_t> excluded{0};
  std::atomic<int64_t> last_message_time{0};  // recv time of the newest accepted or rejected tick
};

struct EngineTotals {
  uint64_t events = 0;
  uint64_t ticks_accepted = 0;
  uint64_t rejected_unknown_feed = 0;
  uint64_t rejected_non_positive = 0;
  uint64_t rejected_crossed = 0;
  uint64_t rejected_future = 0;
  uint64_t rejected_out_of_range = 0;
  uint64_t ignored_out_of_order = 0;
  uint64_t rates = 0;
  uint64_t rates_rejected =
      0;  // outside an instrument's [min_ratio, max_ratio], or too many sources
  uint64_t timers = 0;
  uint64_t marks_published = 0;
  uint64_t early_publishes = 0;
};

class Engine {
 public:
  // `table` receives every mark (may be null); `observer` may be null. Both must outlive the
  // engine.
  static absl::StatusOr<std::unique_ptr<Engine>> Create(const Config& config, MarkTable* table,
                                                        EngineObserver* observer);
  ~Engine();

  // The only input. Single thread.
  ApplyResult Apply(const Event& event) noexcept;

  TimeNs now() const noexcept { return now_; }
  const Config& config() const noexcept { return config_; }
  const VenueCounters& venue_counters(uint32_t venue) const noexcept { return venues_[venue]; }
  EngineTotals totals() const noexcept;  // engine thread only (plain reads of its own counters)
  // Any thread: the totals as of the last timer event (refreshed once per publication cycle).
  EngineTotals SharedTotals() const noexcept;
  // The engine's own copy of an instrument's latest mark (engine thread only).
  const Mark& latest(uint32_t instrument) const noexcept { return instruments_[instrument].last; }
  // The newest redemption ratio of a rate pair, from any source.
  [[nodiscard]] bool LatestRate(uint32_t rate_pair, Decimal* ratio, TimeNs* time) const noexcept;

  // Checkpoints (history/): everything that determines future marks (clock, venue state and TWAP
  // windows, rate slots, last marks, jump-guard paths, redemption guards, sequences), appended to
  // `out`. An engine created from the same configuration and given RestoreState(state) continues
  // exactly as this one would: the same events give the same marks, bit for bit. Counters are not
  // part of the state. Engine thread, or an observer callback (the state is complete when
  // OnEventApplied runs). Allocation-free once `out` has the capacity.
  void SaveState(std::string* out) const;
  absl::Status RestoreState(std::string_view state);
  // Puts every instrument's latest mark (after RestoreState) into the mark table, without calling
  // the observer: readers see the restored marks at once.
  void PublishRestored() noexcept;

 private:
  struct SourceState {
    uint32_t venue_id = 0;
    uint64_t weight = 1;
    int convert_instrument = -1;
    bool has_quote = false;
    bool quote_sane = false;
    int64_t bid = 0;
    int64_t ask = 0;
    TimeNs quote_time = 0;
    bool has_trade = false;
    int64_t trade_price = 0;
    TimeNs trade_time = 0;
    TimeNs newest_input_time = 0;
    bool ever = false;
    TwapWindow twap;
  };

  // Confirmed mark prices at bucket boundaries over the jump lookback (fixed ring; carry-forward:
  // each boundary holds the confirmed price in force when it passed).
  class MarkPath {
   public:
    void Init(DurationNs lookback_ns, DurationNs bucket_ns);
    void Record(TimeNs t, int64_t confirmed_price) noexcept;
    // The confirmed price in force at t - lookback (the oldest known if the path is younger).
    bool Reference(TimeNs t, int64_t* out) const noexcept;
    void SaveState(StateWriter& w) const;
    bool RestoreState(StateReader& r) noexcept;

   private:
    std::vector<int64_t> price_;
    std::vector<int64_t> index_;
    size_t mask_ = 0;
    DurationNs lookback_ns_ = 0;
    DurationNs bucket_ns_ = 1;
    bool has_ = false;
    int64_t first_k_ = 0;
    int64_t first_price_ = 0;
    int64_t last_k_ = 0;
    int64_t latest_ = 0;
  };

  static constexpr TimeNs kNoTime = INT64_MIN / 4;
  static constexpr TimeNs kConstantTime = INT64_MAX;  // a constant provider's slot
  struct RateSlot {
    bool has = false;
    uint32_t source = 0;
    int64_t ratio18 = 0;  // ratio * 10^18 (config caps ratios at 9)
    Decimal ratio;
    TimeNs time = 0;
  };
  struct RatePairState {
    RateSlot slots[kMaxRateSourcesPerPair];
  };
  // Per redemption-priced instrument: CAPO snapshot, recent high (slashing flag), depeg clock.
  struct RedemptionState {
    bool has_snapshot = false;
    int64_t snapshot18 = 0;
    TimeNs snapshot_time = 0;
    int64_t high18 = 0;  // highest ratio used in the last day
    TimeNs fall_time = kNoTime;
    TimeNs discount_since = 0;
  };
  struct InstrumentState {
    const InstrumentSpec* spec = nullptr;
    uint32_t index = 0;
    std::vector<SourceState> sources;
    Mark last;  // last published
    bool has_good = false;
    int64_t last_good_price = 0;
    int64_t last_good_confidence = 0;
    TimeNs last_good_time = 0;
    MarkPath path;          // recent confirmed marks, for the jump guard
    int64_t confirmed = 0;  // latest confirmed mark price
    TimeNs last_early_publish = 0;
    uint64_t sequence = 0;
    RedemptionState redemption;
  };

  // A tick's a (bid or trade price) and b (ask; quotes only) at one route's price exponent.
  struct ScaledTick {
    int64_t a, b;
  };

  explicit Engine(const Config& config);
  ApplyResult OnTick(const Event& e) noexcept;
  // OnTick's check of the first `routes` routes of `feed`, before anything is stored: rescales the
  // tick's prices into scaled[k] per route. kAccepted if every route takes it, else the first
  // rejection (future timestamp, out of range) or kIgnoredOutOfOrder; counts nothing. O(routes).
  ApplyResult ScaleTickForRoutes(const Event& e, const FeedSpec& feed, size_t routes, bool is_quote,
                                 ScaledTick* scaled) const noexcept;
  // Stores a checked tick in every route's source, reschedules its TWAP and may publish early.
  void StoreTick(const Event& e, const FeedSpec& feed, size_t routes, bool is_quote,
                 const ScaledTick* scaled) noexcept;
  void OnTimer(TimeNs t) noexcept;
  void Evaluate(InstrumentState& ins, TimeNs t, bool early) noexcept;
  // The market aggregate of the instrument's own sources into `mark` (price, confidence, status,
  // flags, provenance); returns the number of venues used (0: no price set). `confirmed` tells
  // whether the jump guard accepted it (always true without the guard).
  int Aggregate(InstrumentState& ins, TimeNs t, Mark& mark, bool jump_guard,
                bool* confirmed) noexcept;
  // Methodology steps 1-2 for one source at t: advances its TWAP window and fills its provenance
  // `c`. False when the source is excluded (c.exclusion says why); else *price and *half_width are
  // its TWAP and half spread in the instrument's quote, and a conversion sets *converted_any and
  // ORs its degradation into *conversion_degraded. O(1) plus the window's catch-up; no allocation.
  bool PriceSource(SourceState& s, const MethodologyParams& m, int32_t exp, TimeNs t,
                   SourceContribution& c, int64_t* price, int64_t* half_width, bool* converted_any,
                   bool* conversion_degraded) noexcept;
  void EvaluateRedemption(InstrumentState& ins, TimeNs t) noexcept;
  // EvaluateRedemption's ratio steps, O(kMaxRateSourcesPerPair) or less, no allocation.
  // SelectFreshRatio: ri.has_ratio, and ri.ratio / raw_ratio / ratio_source / ratio_time of the
  // newest slot (its time also in *newest, which starts at kNoTime); then, if any slot is fresh
  // within max_ratio_age_ns, the median of the fresh ones (lower middle; ties by source) replaces
  // ratio, raw_ratio and ratio_source, ri.ratio_sources counts them and it returns true.
  // CapRatioGrowth (CAPO): caps ri.ratio at snapshot * (1 + max_yearly_growth * elapsed / year),
  // taking the snapshot on first use. TrackRatioFall: a ratio below the recent high passes through,
  // flagged for a day (slashing).
  static bool SelectFreshRatio(const RatePairState& pair, TimeNs t, DurationNs max_ratio_age_ns,
                               RedemptionInfo& ri, TimeNs* newest) noexcept;
  static void CapRatioGrowth(const RedemptionSpec& rs, TimeNs t, TimeNs newest, RedemptionState& st,
                             RedemptionInfo& ri, uint32_t* flags) noexcept;
  static void TrackRatioFall(TimeNs t, RedemptionState& st, const RedemptionInfo& ri,
                             uint32_t* flags) noexcept;
  // No price chosen: the last good price as STALE, else UNAVAILABLE; no venue used. O(sources).
  static void PriceWithoutChoice(const InstrumentState& ins, Mark& mark) noexcept;
  ApplyResult OnRate(const Event& e) noexcept;
  void UpdateSchedule(SourceState& s, const MethodologyParams& m, TimeNs now) noexcept;
  // Converts a native-quote value through the conversion instrument's latest mark.
  bool Convert(const SourceState& s, int32_t exponent, int64_t native, int64_t* out,
               bool* degraded) const noexcept;
  void MaybePublishEarly(InstrumentState& ins, const SourceState& s) noexcept;
  void Publish(InstrumentState& ins, Mark& mark, bool confirmed) noexcept;

  Config config_;
  MarkTable* table_;
  EngineObserver* observer_;
  TimeNs now_ = 0;
  // kFlagClockStep while applying a timer event flagged kTimerClockStep, else 0 (not state: set
  // and cleared within one Apply).
  uint32_t timer_flags_ = 0;
  std::vector<InstrumentState> instruments_;
  std::unique_ptr<VenueCounters[]> venues_;
  std::vector<RatePairState> rates_;
  EngineTotals totals_;
  // Mirror of totals_ for other threads, stored once per timer (relaxed, single writer).
  static constexpr size_t kTotalsWords = sizeof(EngineTotals) / sizeof(uint64_t);
  std::atomic<uint64_t> shared_totals_[kTotalsWords] = {};
};

}  // namespace oracle

#endif  // ORACLE_AGGREGATION_ENGINE_H_
