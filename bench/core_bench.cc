// Benchmarks of the aggregation core: ingest throughput on one core, tick-to-mark latency through
// the core thread, and the kernels underneath, so a regression in the first two can be located.
//
//   build/bench/core_bench                                   # everything
//   build/bench/core_bench --benchmark_filter=CoreIngest     # ring + aggregation throughput only
//
// Configuration: bench_config.h, 1,000 instruments x 8 venues (8,000 feeds), default methodology
// unless a benchmark says otherwise. Event clock: 8,000 ticks per 10 ms of event time (one tick
// every 1.25 us on a random feed, 1 in 8 a trade), timers on the 100 ms publication grid.
// Counters that check the benchmark measures what it claims (each must be as stated):
//   rejected == 0        every tick was accepted (none rejected, none ignored as out of order)
//   ring_dropped == 0    the ring never overflowed
//   marks_per_timer      ~1000: each timer really computed and published every instrument
//   ok_marks == 1        every instrument's latest mark in the MarkTable has status OK
#include <benchmark/benchmark.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <vector>

#include "bench_config.h"
#include "oracle/aggregation/core_runner.h"
#include "oracle/aggregation/engine.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/aggregation/twap_window.h"
#include "oracle/aggregation/weighted_median.h"
#include "oracle/core/spsc_ring.h"

namespace oracle::bench {
namespace {

constexpr TimeNs kStart = 1'760'054'400LL * kNanosPerSecond;  // 2025-10-10T00:00:00Z
constexpr int64_t kMid = 10'000'000;                          // 100.00000 at exponent -5
constexpr int64_t kHalfSpread = 500;                          // 0.005: a 1 bp spread

class Rng {
 public:
  explicit Rng(uint64_t seed) : x_(seed | 1) {}
  uint64_t Next() noexcept {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 7;
    x_ ^= x_ << 17;
    return x_;
  }

 private:
  uint64_t x_;
};

Event QuoteAt(uint32_t feed, TimeNs t, int64_t mid) noexcept {
  return Event::Quote(feed, t, t, Decimal{mid - kHalfSpread, -5}, Decimal{mid + kHalfSpread, -5});
}

const Config& ThroughputConfig() {
  static const Config* const config = new Config(BenchConfigOrDie(BenchConfigOptions{}));
  return *config;
}

// One second of event time, times relative to kStart: ticks on random feeds, 8,000 per 10 ms,
// each feed a small random walk around 100.00 with a 1 bp spread (1 in 8 a trade at the mid);
// with `timers`, a timer on every publication grid point (10 per second).
struct TickBatch {
  std::vector<Event> events;
  uint64_t timers = 0;
  DurationNs span_ns = kNanosPerSecond;
};

TickBatch MakeTickBatch(const Config& cfg, bool timers) {
  TickBatch b;
  const size_t feeds = cfg.feeds.size();
  const DurationNs gap = 10 * kNanosPerMilli / static_cast<DurationNs>(feeds);
  std::vector<int64_t> mid(feeds, kMid);
  Rng rng(42);
  TimeNs next_timer = 0;
  b.events.reserve(static_cast<size_t>(b.span_ns / gap) + 16);
  for (TimeNs t = 0; t < b.span_ns; t += gap) {
    while (timers && next_timer <= t) {
      b.events.push_back(Event::Timer(kStart + next_timer));
      ++b.timers;
      next_timer += cfg.publish_interval_ns;
    }
    const uint32_t feed = static_cast<uint32_t>(rng.Next() % feeds);
    int64_t& m = mid[feed];
    m += static_cast<int64_t>(rng.Next() % 201) - 100;  // +-0.001
    if (rng.Next() % 8 == 0) {
      b.events.push_back(Event::Trade(feed, kStart + t, kStart + t, Decimal{m, -5},
                                      Decimal{static_cast<int64_t>(1 + rng.Next() % 100), 0}));
    } else {
      b.events.push_back(QuoteAt(feed, kStart + t, m));
    }
  }
  return b;
}

const TickBatch& Batch(bool timers) {
  static const TickBatch* const with = new TickBatch(MakeTickBatch(ThroughputConfig(), true));
  static const TickBatch* const without = new TickBatch(MakeTickBatch(ThroughputConfig(), false));
  return timers ? *with : *without;
}

// Replays a batch forever, shifting its times by one span per pass so the clock keeps advancing.
class BatchCursor {
 public:
  explicit BatchCursor(const TickBatch& b, TimeNs offset = 0) : b_(b), offset_(offset) {}
  Event Next() noexcept {
    Event e = b_.events[pos_];
    e.event_time += offset_;
    e.recv_time += offset_;
    if (++pos_ == b_.events.size()) {
      pos_ = 0;
      offset_ += b_.span_ns;
    }
    return e;
  }
  TimeNs offset() const noexcept { return offset_; }

 private:
  const TickBatch& b_;
  size_t pos_ = 0;
  TimeNs offset_ = 0;
};

std::unique_ptr<Engine> MakeEngine(const Config& cfg, MarkTable* table) {
  auto engine = Engine::Create(cfg, table, nullptr);
  if (!engine.ok()) {
    std::fprintf(stderr, "engine: %s\n", std::string(engine.status().message()).c_str());
    std::exit(1);
  }
  return *std::move(engine);
}

double OkMarkFraction(const MarkTable& table, size_t n) {
  size_t ok = 0;
  Mark m;
  for (uint32_t i = 0; i < n; ++i) {
    if (table.Read(i, &m) && m.status == MarkStatus::kOk) ++ok;
  }
  return static_cast<double>(ok) / static_cast<double>(n);
}

void ReportCoreCounters(benchmark::State& state, const EngineTotals& before,
                        const EngineTotals& after, const MarkTable& table, size_t instruments,
                        uint64_t ring_dropped) {
  const double events = static_cast<double>(after.events - before.events);
  const double timers = static_cast<double>(after.timers - before.timers);
  const uint64_t rejected = (after.rejected_unknown_feed - before.rejected_unknown_feed) +
                            (after.rejected_non_positive - before.rejected_non_positive) +
                            (after.rejected_crossed - before.rejected_crossed) +
                            (after.rejected_future - before.rejected_future) +
                            (after.rejected_out_of_range - before.rejected_out_of_range) +
                            (after.ignored_out_of_order - before.ignored_out_of_order);
  const double marks = static_cast<double>(after.marks_published - before.marks_published);
  state.SetItemsProcessed(static_cast<int64_t>(events));
  state.counters["timer_frac"] = events > 0 ? timers / events : 0;
  state.counters["timers"] = timers;
  state.counters["marks_published"] = marks;
  state.counters["marks_per_timer"] = timers > 0 ? marks / timers : 0;
  state.counters["early_publishes"] =
      static_cast<double>(after.early_publishes - before.early_publishes);
  state.counters["rejected"] = static_cast<double>(rejected);
  state.counters["ring_dropped"] = static_cast<double>(ring_dropped);
  state.counters["ok_marks"] = OkMarkFraction(table, instruments);
}

// --- (a) Ingest throughput on one core -------------------------------------------------------

// Ring + aggregation on one core: push 256 events into an SpscRing<Event>, pop them into
// Engine::Apply (what CoreRunner does per ring per round), repeat. Arg 1: with timers at the
// 100 ms cadence of the event clock (each computes and publishes all 1,000 marks into the
// MarkTable); arg 0: pure tick ingest. items_per_second is events (ticks + timers) per second.
// A regression means the core saturates at a lower venue message rate: ticks are dropped at the
// ring (oldest first) under bursts that it used to absorb. Target: >= 5M events/s.
void BM_CoreIngest_RingAndEngine(benchmark::State& state) {
  const bool timers = state.range(0) != 0;
  const Config& cfg = ThroughputConfig();
  const TickBatch& batch = Batch(timers);
  MarkTable table(cfg.instruments.size());
  auto engine = MakeEngine(cfg, &table);
  SpscRing<Event> ring(cfg.ring_capacity);
  constexpr int kChunk = 256;

  // Warm-up: one pass (a second of event time) with timers, so every source has data, every
  // TWAP window has history and every mark exists; the measured run continues the clock.
  BatchCursor warm(Batch(true));
  for (size_t i = 0; i < Batch(true).events.size(); ++i) engine->Apply(warm.Next());
  BatchCursor run(batch, warm.offset());

  const EngineTotals before = engine->totals();
  Event e;
  for (auto _ : state) {
    for (int k = 0; k < kChunk; ++k) ring.Push(run.Next());
    while (ring.TryPop(&e)) engine->Apply(e);
  }
  ReportCoreCounters(state, before, engine->totals(), table, cfg.instruments.size(),
                     ring.dropped());
}
BENCHMARK(BM_CoreIngest_RingAndEngine)->ArgName("timers")->Arg(1)->Arg(0);

// The same events applied straight from memory, without the ring: the difference from
// BM_CoreIngest_RingAndEngine/timers:1 is what the ring costs per event. A regression here (and not
// in the kernels below) is in Engine::Apply's per-tick path (routing, rescale, TWAP schedule,
// early-publish check).
void BM_CoreIngest_EngineOnly(benchmark::State& state) {
  const Config& cfg = ThroughputConfig();
  const TickBatch& batch = Batch(true);
  MarkTable table(cfg.instruments.size());
  auto engine = MakeEngine(cfg, &table);
  BatchCursor cursor(batch);
  for (size_t i = 0; i < batch.events.size(); ++i) engine->Apply(cursor.Next());
  const EngineTotals before = engine->totals();
  for (auto _ : state) {
    for (int k = 0; k < 256; ++k) engine->Apply(cursor.Next());
  }
  ReportCoreCounters(state, before, engine->totals(), table, cfg.instruments.size(), 0);
}
BENCHMARK(BM_CoreIngest_EngineOnly);

// One timer event with 1,000 instruments x 8 fresh venues: evaluates and publishes every mark
// (TWAPs, capped weights, weighted median, confidence, guards, MarkTable write). items are
// instruments. The fresh quotes applied between timers are excluded from the time. A regression
// means the 100 ms cadence costs more core time, and a tick that arrives during a timer pass waits
// that much longer for its own mark.
void BM_TimerEvaluateAll(benchmark::State& state) {
  const Config& cfg = ThroughputConfig();
  MarkTable table(cfg.instruments.size());
  auto engine = MakeEngine(cfg, &table);
  Rng rng(7);
  TimeNs t = kStart;
  auto refresh = [&] {
    for (uint32_t f = 0; f < cfg.feeds.size(); ++f) {
      engine->Apply(QuoteAt(f, t, kMid + static_cast<int64_t>(rng.Next() % 2001) - 1000));
    }
  };
  for (int i = 0; i < 10; ++i) {  // a second of history
    refresh();
    t += cfg.publish_interval_ns;
    engine->Apply(Event::Timer(t));
  }
  const EngineTotals before = engine->totals();
  for (auto _ : state) {
    state.PauseTiming();
    refresh();
    t += cfg.publish_interval_ns;
    state.ResumeTiming();
    engine->Apply(Event::Timer(t));
  }
  const EngineTotals after = engine->totals();
  state.SetItemsProcessed(static_cast<int64_t>(after.marks_published - before.marks_published));
  state.counters["marks_per_timer"] =
      static_cast<double>(after.marks_published - before.marks_published) /
      static_cast<double>(after.timers - before.timers);
  state.counters["ok_marks"] = OkMarkFraction(table, cfg.instruments.size());
}
BENCHMARK(BM_TimerEvaluateAll)->Unit(benchmark::kMicrosecond);

// ParseConfigText of the 1,000 x 8 benchmark configuration (protobuf text -> validated Config with
// routing tables): a cold path, run at start-up and on reload. A regression means slower start-up;
// it grows with instruments x venues.
void BM_ParseBenchConfig(benchmark::State& state) {
  const std::string text = BenchConfigText(BenchConfigOptions{});
  for (auto _ : state) {
    auto cfg = ParseConfigText(text, "<bench>");
    benchmark::DoNotOptimize(cfg);
  }
  state.counters["feeds"] = static_cast<double>(ThroughputConfig().feeds.size());
}
BENCHMARK(BM_ParseBenchConfig)->Unit(benchmark::kMillisecond);

// --- (b) Tick-to-mark latency through the core thread ------------------------------------------

void SleepUntilMonotonic(int64_t t_ns) {
  timespec ts{static_cast<time_t>(t_ns / kNanosPerSecond),
              static_cast<long>(t_ns % kNanosPerSecond)};
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

int64_t Percentile(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t idx = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(idx, sorted.size() - 1)];
}

// From pushing one quote into the core's ring until MarkTable::LatestSequence of its instrument
// changes (the early-publication path: Engine::MaybePublishEarly -> Evaluate -> Publish), with a
// real CoreRunner thread on the wall clock. The producer (this thread) sends one sample per 1 ms,
// so the core is idle in between, as between bursts in production.
//
// How a single quote is made to publish: an instrument's mark follows the venues' TWAPs, and a new
// price has no weight in a TWAP at its own instant. So this benchmark uses a 20 ms TWAP window
// (bucket 10 ms) and min_early_publish_gap_ms 0; 4 ms before the measured quote, all 8 venues of
// the instrument move by 8% ("move"); the measured quote (one venue, at the new price) then finds
// the TWAPs >= 1% away from the last mark and publishes early. Instruments rotate, so each is
// touched once a second. Samples whose move and quote straddle a 100 ms timer are not measured (the
// timer would have published part of the move) and are counted in `skipped`. `raced`: the core
// read the clock and ran a timer between the producer's clock reading and the quote, so the timer
// published the move and the quote had nothing left to publish (a few per 10,000 with a sleeping
// core; not a latency). `misses` (no publication at all within 200 ms) must be 0; a slow sample is
// counted with its latency. `not_early` counts timer publications seen while waiting.
//
// Arg idle: 0 = CoreRunner defaults (spins 200 pauses, then sleeps idle_sleep_us = 50 between
// polls); 1 = idle_sleep_us = 0 (never sleeps since b050da7; before, it called nanosleep(0)); 2 =
// pure spinning (idle_spins = INT_MAX, the core thread never sleeps and keeps a CPU busy). A
// regression in mode 2 is in the pipeline itself (ring, Apply, Evaluate, MarkTable); one in mode 0
// only is in the runner's idle/wake-up policy.
void BM_TickToMark(benchmark::State& state) {
  const int mode = static_cast<int>(state.range(0));
  const int samples = static_cast<int>(state.range(1));
  BenchConfigOptions opt;
  opt.twap_window_ms = 20;
  opt.twap_bucket_ms = 10;
  opt.min_early_publish_gap_ms = 0;
  const Config cfg = BenchConfigOrDie(opt);
  const int n = static_cast<int>(cfg.instruments.size());
  const int nv = static_cast<int>(cfg.venues.size());
  MarkTable table(cfg.instruments.size());
  auto engine = MakeEngine(cfg, &table);
  CoreRunner::Options ro;
  ro.publish_interval_ns = cfg.publish_interval_ns;
  if (mode == 1) ro.idle_sleep_us = 0;
  if (mode == 2) ro.idle_spins = INT_MAX;
  CoreRunner runner(engine.get(), ro);
  SpscRing<Event>* ring = runner.AddProducer("bench", cfg.ring_capacity);
  runner.Start();

  std::vector<uint32_t> feed(static_cast<size_t>(n * nv));
  for (int i = 0; i < n; ++i) {
    for (int v = 0; v < nv; ++v) feed[i * nv + v] = cfg.instruments[i].sources[v].feed_id;
  }
  auto price = [](int level) { return level ? kMid + kMid * 8 / 100 : kMid; };
  auto quote_all = [&](int i, int level) {
    const TimeNs now = WallClockNow();
    for (int v = 0; v < nv; ++v) ring->Push(QuoteAt(feed[i * nv + v], now, price(level)));
  };

  // Warm-up: every feed quoted at 100.00 every 10 ms for 300 ms, so TWAP windows are full and the
  // timers have published an OK mark of every instrument.
  for (int r = 0; r < 30; ++r) {
    for (int i = 0; i < n; ++i) quote_all(i, 0);
    SleepUntilMonotonic(MonotonicNowNs() + 10 * kNanosPerMilli);
  }
  SleepUntilMonotonic(MonotonicNowNs() + 2 * cfg.publish_interval_ns);
  const double ok_before = OkMarkFraction(table, cfg.instruments.size());

  constexpr int kLag = 4;                            // steps between a move and its measured quote
  constexpr int64_t kMinLagNs = 4 * kNanosPerMilli;  // and at least this long
  constexpr int64_t kStepNs = kNanosPerMilli;
  constexpr int64_t kTimeoutNs = 200 * kNanosPerMilli;
  const DurationNs interval = cfg.publish_interval_ns;
  std::vector<int> level(static_cast<size_t>(n), 0);
  std::vector<int64_t> moved_slot(static_cast<size_t>(n), -1);
  std::vector<int64_t> moved_at(static_cast<size_t>(n), 0);
  std::vector<uint64_t> seq_at_move(static_cast<size_t>(n), 0);
  std::vector<int64_t> lat;
  lat.reserve(static_cast<size_t>(samples));
  uint64_t misses = 0, skipped = 0, not_early = 0, raced = 0;

  for (auto _ : state) {
    int64_t next_step = MonotonicNowNs();
    for (int k = 0; k < samples + kLag; ++k) {
      SleepUntilMonotonic(next_step);
      // Never catch up in a burst after a stall (the machine is shared): a burst would leave the
      // core no idle time and the moves no time to enter the TWAPs.
      next_step = std::max(next_step + kStepNs, MonotonicNowNs());
      if (k >= kLag) {
        const int j = (k - kLag) % n;
        if (MonotonicNowNs() < moved_at[j] + kMinLagNs)
          SleepUntilMonotonic(moved_at[j] + kMinLagNs);
        const TimeNs now = WallClockNow();
        const uint64_t seq0 = table.LatestSequence(static_cast<uint32_t>(j));
        // Not measured when a timer may have published part of the move: the grid was crossed, or
        // the instrument was published since its move (e.g. a timer the core ran late).
        const bool skip = now / interval != moved_slot[j] || seq0 != seq_at_move[j];
        const Event q = QuoteAt(feed[j * nv + k % nv], now, price(level[j]));
        const int64_t t0 = MonotonicNowNs();
        ring->Push(q);
        if (skip) {
          ++skipped;
        } else {
          uint64_t seq = seq0;
          int64_t t1 = t0;
          bool early = false;
          bool saw_timer = false;
          while (t1 - t0 <= kTimeoutNs) {
            const uint64_t s = table.LatestSequence(static_cast<uint32_t>(j));
            t1 = MonotonicNowNs();
            if (s != seq) {
              seq = s;
              Mark m;
              if (table.Read(static_cast<uint32_t>(j), &m) && (m.flags & kFlagEarlyPublish) != 0) {
                early = true;
                break;
              }
              ++not_early;  // a timer's publication came first; keep waiting for the early one
              saw_timer = true;
            }
            // Spin for 50 us, then yield between polls: on a 2-core machine a spinning waiter can
            // starve the very core thread it waits for. Past 50 us a sample can therefore include
            // up to one yield of this thread.
            if (t1 - t0 < 50 * kNanosPerMicro) {
              Seqlock<int>::Pause();
            } else {
              sched_yield();
            }
          }
          if (early) {
            lat.push_back(t1 - t0);
          } else if (saw_timer) {
            ++raced;  // the core ran a timer just before the quote, which then had nothing to move
          } else {
            ++misses;
          }
        }
      }
      if (k < samples) {
        const int i = k % n;
        level[i] ^= 1;
        moved_slot[i] = WallClockNow() / interval;
        seq_at_move[i] = table.LatestSequence(static_cast<uint32_t>(i));
        moved_at[i] = MonotonicNowNs();
        quote_all(i, level[i]);
      }
    }
  }
  runner.Stop();
  std::sort(lat.begin(), lat.end());
  state.counters["p50_ns"] = static_cast<double>(Percentile(lat, 0.50));
  state.counters["p99_ns"] = static_cast<double>(Percentile(lat, 0.99));
  state.counters["p999_ns"] = static_cast<double>(Percentile(lat, 0.999));
  state.counters["max_ns"] = lat.empty() ? 0 : static_cast<double>(lat.back());
  state.counters["samples"] = static_cast<double>(lat.size());
  state.counters["skipped"] = static_cast<double>(skipped);
  state.counters["misses"] = static_cast<double>(misses);
  state.counters["not_early"] = static_cast<double>(not_early);
  state.counters["raced"] = static_cast<double>(raced);
  state.counters["ok_marks_before"] = ok_before;
  state.counters["early_publishes"] = static_cast<double>(engine->totals().early_publishes);
  state.counters["ring_dropped"] = static_cast<double>(ring->dropped());
}
BENCHMARK(BM_TickToMark)
    ->ArgNames({"idle", "samples"})
    ->Args({0, 10000})
    ->Args({1, 10000})
    ->Args({2, 10000})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// --- (c) Kernels ----------------------------------------------------------------------------

// Weighted median of 8 venue prices already sorted, weights as CapWeights leaves them. A regression
// makes every Evaluate (1,000 per timer) slower.
void BM_WeightedMedianSorted8(benchmark::State& state) {
  const uint64_t tiers[8] = {3, 2, 2, 1, 1, 1, 1, 1};
  uint64_t capped[8];
  CapWeights(tiers, 8, 3300, capped);
  WeightedValue v[8];
  for (int i = 0; i < 8; ++i) v[i] = WeightedValue{10'000'000'000 + i * 137, capped[i]};
  for (auto _ : state) {
    benchmark::DoNotOptimize(v);
    int64_t m = WeightedMedianSorted(v, 8);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WeightedMedianSorted8);

// Sort 8 unsorted venue prices then take the weighted median: the median step of Evaluate as a
// whole. A regression here and not in BM_WeightedMedianSorted8 is in SortByValue.
void BM_SortAndMedian8(benchmark::State& state) {
  constexpr int kSets = 64;
  Rng rng(3);
  std::vector<WeightedValue> sets(kSets * 8);
  for (auto& w : sets)
    w = WeightedValue{static_cast<int64_t>(10'000'000'000 + rng.Next() % 100000),
                      1 + rng.Next() % 3};
  int s = 0;
  WeightedValue v[8];
  for (auto _ : state) {
    std::copy(sets.begin() + s * 8, sets.begin() + s * 8 + 8, v);
    s = (s + 1) % kSets;
    SortByValue(v, 8);
    int64_t m = WeightedMedianSorted(v, 8);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SortAndMedian8);

// Capping 8 liquidity tiers at 33%: run once per Evaluate. A regression makes every mark slower.
void BM_CapWeights8(benchmark::State& state) {
  uint64_t tiers[8] = {3, 2, 2, 1, 1, 1, 1, 1};
  uint64_t out[8];
  for (auto _ : state) {
    benchmark::DoNotOptimize(tiers);
    CapWeights(tiers, 8, 3300, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CapWeights8);

// TwapWindow::Twap at a 100 ms cadence (30 s window, 1 s buckets): the per-source cost of a timer.
// A regression makes every Evaluate slower (8 per instrument).
void BM_TwapWindowTwap(benchmark::State& state) {
  TwapWindow w;
  w.Init(30 * kNanosPerSecond, kNanosPerSecond);
  TimeNs t = kStart;
  w.SetSchedule(t, 10'000'000'000, t + 1'000'000 * kNanosPerSecond, 0, 0);
  for (int i = 0; i < 400; ++i) {  // fill the window
    t += 100 * kNanosPerMilli;
    int64_t out;
    w.Twap(t, &out);
  }
  for (auto _ : state) {
    t += 100 * kNanosPerMilli;
    int64_t out;
    bool ok = w.Twap(t, &out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TwapWindowTwap);

// TwapWindow::SetSchedule once per tick, ticks 1.25 us apart (the ingest benchmark's pace on one
// feed would be 10 ms; this is the worst case of crossing bucket boundaries rarely). The per-tick
// TWAP cost: a regression lowers BM_CoreIngest directly.
void BM_TwapWindowSetSchedule(benchmark::State& state) {
  TwapWindow w;
  w.Init(30 * kNanosPerSecond, kNanosPerSecond);
  TimeNs t = kStart;
  int64_t v = 10'000'000'000;
  for (auto _ : state) {
    t += 1250;
    v += (t & 1) ? 1 : -1;
    w.SetSchedule(t, v, t + 5 * kNanosPerSecond, v, t + 5 * kNanosPerSecond);
    benchmark::DoNotOptimize(w);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TwapWindowSetSchedule);

// SpscRing<Event>: one Push then one TryPop on the same thread (the slot stays in L1). The ring's
// fixed cost per event; a regression is in the seqlock protocol of spsc_ring.h.
void BM_SpscRingPushPop(benchmark::State& state) {
  SpscRing<Event> ring(65536);
  Event in = QuoteAt(1, kStart, kMid);
  Event out;
  for (auto _ : state) {
    in.event_time++;
    ring.Push(in);
    bool ok = ring.TryPop(&out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SpscRingPushPop);

// SpscRing<Event>: 256 Pushes then 256 TryPops, as the core drains a ring (max_batch 256).
// Per-event cost with the ring walking through memory.
void BM_SpscRingPushPop256(benchmark::State& state) {
  SpscRing<Event> ring(65536);
  Event in = QuoteAt(1, kStart, kMid);
  Event out;
  for (auto _ : state) {
    for (int k = 0; k < 256; ++k) {
      in.event_time++;
      ring.Push(in);
    }
    while (ring.TryPop(&out)) benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * 256);
  state.counters["dropped"] = static_cast<double>(ring.dropped());
}
BENCHMARK(BM_SpscRingPushPop256);

Mark SampleMark(uint32_t instrument) {
  Mark m;
  m.instrument = instrument;
  m.exponent = -8;
  m.price = 10'000'000'000;
  m.confidence = 50'000;
  m.publish_time = kStart;
  m.last_good_time = kStart;
  m.sequence = 1;
  m.status = MarkStatus::kOk;
  m.has_price = true;
  m.venues_used = 8;
  m.venues_required = 3;
  m.num_sources = 8;
  for (int s = 0; s < 8; ++s) {
    m.sources[s].price = m.price + s;
    m.sources[s].native_price = m.price + s;
    m.sources[s].age_ns = 1000;
    m.sources[s].weight_ppm = 125000;
    m.sources[s].exclusion = Exclusion::kNone;
    m.sources[s].has_price = true;
  }
  return m;
}

// MarkTable::Publish of an 8-source mark, rotating over 1,000 instruments: the core's cost per
// published mark. A regression slows every timer pass.
void BM_MarkTablePublish(benchmark::State& state) {
  MarkTable table(1000);
  Mark m = SampleMark(0);
  uint32_t i = 0;
  for (auto _ : state) {
    m.instrument = i;
    ++m.sequence;
    table.Publish(m);
    if (++i == 1000) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MarkTablePublish);

// MarkTable::Read of an 8-source mark (no concurrent writer): the fixed cost of every GetMark and
// of each entry of BatchGetMarks before protobuf. A regression slows every read RPC.
void BM_MarkTableRead(benchmark::State& state) {
  MarkTable table(1000);
  for (uint32_t i = 0; i < 1000; ++i) table.Publish(SampleMark(i));
  uint32_t i = 0;
  Mark out;
  for (auto _ : state) {
    bool ok = table.Read(i, &out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
    if (++i == 1000) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MarkTableRead);

}  // namespace
}  // namespace oracle::bench

BENCHMARK_MAIN();
