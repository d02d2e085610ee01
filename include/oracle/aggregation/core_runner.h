// The core's thread: drains the producer rings into the engine and turns the wall clock into timer
// events on the publication cadence.
//
// The cadence runs on a monotonic clock; a timer event carries the core's time, the monotonic time
// plus the wall clock's offset from it. A move of (wall - monotonic) by more than
// clock_step_tolerance_ns is a clock step: counted, its signed size and time kept (clock_steps()).
// The core's time follows the wall clock forward at once (a forward step is a long interval to the
// engine) and never runs backward: after a backward step it advances at half speed until it meets
// the wall clock again (a step of D is absorbed in 2 D). Timers flag their marks CLOCK_STEP
// (kTimerClockStep) from the step until clock_step_flag_ns after the core's time has rejoined the
// wall clock. Publication never pauses: one timer per interval of the monotonic clock throughout.
//
// Rings are drained round-robin, at most `max_batch` events from one ring before moving on, so a
// flooding producer cannot starve the others. When every ring is empty the thread spins briefly,
// then sleeps `idle_sleep_us` (latency cost: the first tick after a quiet spell waits for the sleep
// to end, measured at ~90 us p50 in bench/RESULTS.md; `idle_sleep_us = 0` spins instead, ~1 us).
// The runner is the only place that reads a clock for the core.
#ifndef ORACLE_AGGREGATION_CORE_RUNNER_H_
#define ORACLE_AGGREGATION_CORE_RUNNER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "oracle/aggregation/engine.h"
#include "oracle/core/event.h"
#include "oracle/core/spsc_ring.h"

namespace oracle {

class CoreRunner {
 public:
  struct Options {
    DurationNs publish_interval_ns = 100 * kNanosPerMilli;
    size_t max_batch = 256;
    // After idle_spins empty polls the thread sleeps idle_sleep_us; 0 means never sleep (a spinning
    // core thread: lowest latency, one CPU always busy).
    int64_t idle_sleep_us = 50;
    int idle_spins = 200;
    // The producers send the timer events themselves (a replay on its own clock): the runner makes
    // none.
    bool source_timers = false;
    // The wall clock timer events are mapped to; defaults to WallClockNow. Tests inject their own.
    std::function<TimeNs()> clock;
    // The clock the cadence runs on; defaults to std::chrono::steady_clock, or to `clock` when only
    // that is injected (a test driving one clock: its moves are never steps).
    std::function<TimeNs()> monotonic_clock;
    // Larger moves of (wall - monotonic) are clock steps (Config::clock_step_tolerance_ns).
    DurationNs clock_step_tolerance_ns = kNanosPerSecond;
    // Marks stay flagged CLOCK_STEP this long after the core's time has rejoined the wall clock
    // (the pipeline sets the longest input window of the configuration: TWAP or max input age).
    DurationNs clock_step_flag_ns = 30 * kNanosPerSecond;
  };

  // Steps of the wall clock seen by the runner (any thread; relaxed, fields read one by one).
  struct ClockSteps {
    uint64_t step_count = 0;
    DurationNs last_step = 0;   // signed: > 0 when the wall clock jumped forward
    TimeNs last_step_time = 0;  // wall-clock time just after the last step
    bool stepping = false;      // timers flag their marks CLOCK_STEP now
  };

  struct ProducerStats {
    std::string name;
    int venue_id;  // -1 when the ring carries several venues
    uint64_t pushed;
    uint64_t consumed;
    uint64_t dropped;
  };

  CoreRunner(Engine* engine, Options options);
  ~CoreRunner();

  // Creates a ring for one producer. Only before Start(). `venue_id` attributes its drops to a
  // venue (-1: several venues).
  SpscRing<Event>* AddProducer(std::string name, size_t capacity, int venue_id = -1);

  void Start();
  void Stop();  // idempotent; joins the thread

  // Any thread.
  uint64_t events_applied() const noexcept { return applied_.load(std::memory_order_relaxed); }
  uint64_t timers_skipped() const noexcept {
    return timers_skipped_.load(std::memory_order_relaxed);
  }
  // Timer events the runner has made and applied (0 with source_timers); progress for watchdogs.
  uint64_t timers_applied() const noexcept {
    return timers_applied_.load(std::memory_order_relaxed);
  }
  ClockSteps clock_steps() const noexcept;
  std::vector<ProducerStats> producer_stats() const;
  // Drops of rings dedicated to `venue_id`.
  uint64_t dropped_for_venue(int venue_id) const noexcept;

 private:
  struct Producer {
    std::string name;
    int venue_id;
    std::unique_ptr<SpscRing<Event>> ring;
  };
  void Loop();
  // Core thread. Reads both clocks, records a step and moves the core's offset (wall - monotonic):
  // forward at once, backward by half the monotonic time elapsed. Returns the monotonic time.
  TimeNs WatchClock() noexcept;
  void RecordStep(DurationNs step, TimeNs wall, TimeNs mono) noexcept;
  // The core's time has met the wall clock (or jumped to it): the slew ends and the cadence
  // returns to the wall clock's grid.
  void RejoinWallClock(TimeNs mono) noexcept;
  // The next grid point of the core's time, as a monotonic time.
  TimeNs NextAlignedTimer(TimeNs mono) const noexcept;
  // Applies a timer if the monotonic clock passed the next one; true when it did.
  bool MaybeApplyTimer(TimeNs mono) noexcept;

  Engine* engine_;
  Options options_;
  std::vector<Producer> producers_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  bool started_ = false;
  std::atomic<uint64_t> applied_{0};
  std::atomic<uint64_t> timers_skipped_{0};
  std::atomic<uint64_t> timers_applied_{0};
  // Core thread only.
  DurationNs offset_ = 0;         // core time = monotonic + offset_
  DurationNs last_observed_ = 0;  // wall - monotonic at the last reading
  TimeNs last_mono_ = 0;
  TimeNs next_timer_mono_ = 0;
  TimeNs last_timer_time_ = 0;
  bool slewing_ = false;        // the core's time is ahead of the wall clock
  TimeNs flag_until_mono_ = 0;  // kTimerClockStep while mono < this
  // Any thread (ClockSteps).
  std::atomic<uint64_t> step_count_{0};
  std::atomic<int64_t> last_step_{0};
  std::atomic<int64_t> last_step_time_{0};
  std::atomic<bool> stepping_{false};
};

}  // namespace oracle

#endif  // ORACLE_AGGREGATION_CORE_RUNNER_H_
