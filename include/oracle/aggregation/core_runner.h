// The core's thread: drains the producer rings into the engine and turns the wall clock into timer
// events on the publication cadence.
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
    // Clock for timer events; defaults to WallClockNow. Tests inject their own.
    std::function<TimeNs()> clock;
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

  Engine* engine_;
  Options options_;
  std::vector<Producer> producers_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  bool started_ = false;
  std::atomic<uint64_t> applied_{0};
  std::atomic<uint64_t> timers_skipped_{0};
  std::atomic<uint64_t> timers_applied_{0};
};

}  // namespace oracle

#endif  // ORACLE_AGGREGATION_CORE_RUNNER_H_
