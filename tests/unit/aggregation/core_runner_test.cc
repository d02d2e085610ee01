#include "oracle/aggregation/core_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "oracle/core/clock.h"
#include "test_util/engine_harness.h"

namespace oracle {
namespace {

constexpr char kConfig[] = R"pb(
  core { publish_interval_ms: 100 }
  defaults { twap_window_ms: 1000 twap_bucket_ms: 100 jump_lookback_ms: 1000 min_venues: 2 }
  venues { name: "a" }
  venues { name: "b" }
  instruments {
    name: "ETH-USD"
    sources { venue: "a" pair: "ETH-USD" }
    sources { venue: "b" pair: "ETH-USD" }
  }
)pb";

bool WaitFor(const std::function<bool()>& cond, int timeout_ms = 10000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return cond();
}

// Two producer threads and the core thread: the runner drains both rings into the engine, makes
// timer events from its clock, and readers see the marks in the table.
TEST(CoreRunner, DrainsProducersAndPublishesOnItsClock) {
  Config config = testing::MustParseConfig(kConfig);
  MarkTable table(config.instruments.size());
  auto engine = Engine::Create(config, &table, nullptr);
  ASSERT_TRUE(engine.ok());
  std::atomic<TimeNs> clock{testing::At(0)};
  CoreRunner::Options opts;
  opts.publish_interval_ns = config.publish_interval_ns;
  opts.clock = [&clock] { return clock.load(); };
  CoreRunner runner(engine->get(), opts);
  SpscRing<Event>* ra = runner.AddProducer("a", 1024, 0);
  SpscRing<Event>* rb = runner.AddProducer("b", 1024, 1);
  runner.Start();

  const uint32_t fa = static_cast<uint32_t>(config.FindFeed("a", "ETH-USD"));
  const uint32_t fb = static_cast<uint32_t>(config.FindFeed("b", "ETH-USD"));
  std::thread pa([&] {
    for (int i = 0; i < 500; ++i) {
      TimeNs t = testing::At(i * 0.001);
      ra->Push(Event::Quote(fa, t, t, Decimal{380000, -2}, Decimal{380020, -2}));
    }
  });
  std::thread pb([&] {
    for (int i = 0; i < 500; ++i) {
      TimeNs t = testing::At(i * 0.001);
      rb->Push(Event::Quote(fb, t, t, Decimal{380100, -2}, Decimal{380120, -2}));
    }
  });
  pa.join();
  pb.join();
  ASSERT_TRUE(WaitFor([&] { return runner.events_applied() >= 1000; }));
  clock.store(testing::At(0.6));  // the runner turns this into a timer event at 0.6 s
  ASSERT_TRUE(WaitFor([&] { return table.LatestSequence(0) > 0; }));
  Mark m;
  ASSERT_TRUE(table.Read(0, &m));
  EXPECT_EQ(m.status, MarkStatus::kOk);
  EXPECT_EQ(m.publish_time, testing::At(0.6));
  EXPECT_EQ(m.price, 380060000000);  // 3800.6: mean of the two mids, at exponent -8
  runner.Stop();
  auto stats = runner.producer_stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].consumed + stats[0].dropped, 500u);
  EXPECT_EQ(runner.dropped_for_venue(0), stats[0].dropped);
}

TEST(CoreRunner, SkipsMissedTimersAfterAStallInsteadOfBursting) {
  Config config = testing::MustParseConfig(kConfig);
  MarkTable table(config.instruments.size());
  auto engine = Engine::Create(config, &table, nullptr);
  ASSERT_TRUE(engine.ok());
  std::atomic<TimeNs> clock{testing::At(0)};
  std::atomic<int> reads{0};
  CoreRunner::Options opts;
  opts.publish_interval_ns = config.publish_interval_ns;
  opts.clock = [&clock, &reads] {
    reads.fetch_add(1);
    return clock.load();
  };
  CoreRunner runner(engine->get(), opts);
  runner.Start();
  ASSERT_TRUE(WaitFor([&] { return reads.load() > 2; }));  // the runner has read t = 0
  clock.store(testing::At(10.05));                         // 100 intervals at once
  ASSERT_TRUE(WaitFor([&] { return table.LatestSequence(0) == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(table.LatestSequence(0), 1u);
  EXPECT_EQ(runner.timers_skipped(), 99u);
  runner.Stop();
}

// The runner's two clocks, consistent at every reading: the monotonic clock snapshots `mono` and
// the wall clock reads that snapshot plus `wall_offset` (the runner reads the monotonic clock
// first). A step of the wall clock is a change of `wall_offset`.
struct SteppingClocks {
  ManualClock mono{testing::At(0)};
  std::atomic<TimeNs> snapshot{0};
  std::atomic<DurationNs> wall_offset{0};
  std::atomic<uint64_t> reads{0};
  void Install(CoreRunner::Options* o) {
    o->monotonic_clock = [this] {
      reads.fetch_add(1);
      const TimeNs m = mono.Now();
      snapshot.store(m);
      return m;
    };
    o->clock = [this] { return snapshot.load() + wall_offset.load(); };
  }
  TimeNs Wall() const { return mono.Now() + wall_offset.load(); }
};

// One publication cycle at a time: quotes from both venues stamped with the wall clock (as a
// source stamps what it receives), then one interval of the monotonic clock, then the mark.
class ClockStepTest : public ::testing::Test {
 protected:
  static constexpr DurationNs kInterval = 100 * kNanosPerMilli;

  void SetUp() override {
    config_ = testing::MustParseConfig(kConfig);
    table_ = std::make_unique<MarkTable>(config_.instruments.size());
    auto engine = Engine::Create(config_, table_.get(), nullptr);
    ASSERT_TRUE(engine.ok());
    engine_ = std::move(*engine);
    CoreRunner::Options opts;
    opts.publish_interval_ns = kInterval;
    opts.clock_step_tolerance_ns = kNanosPerSecond;
    opts.clock_step_flag_ns = kNanosPerSecond;
    clocks_.Install(&opts);
    runner_ = std::make_unique<CoreRunner>(engine_.get(), opts);
    ring_ = runner_->AddProducer("ab", 1024);
    fa_ = static_cast<uint32_t>(config_.FindFeed("a", "ETH-USD"));
    fb_ = static_cast<uint32_t>(config_.FindFeed("b", "ETH-USD"));
    runner_->Start();
  }
  void TearDown() override { runner_->Stop(); }

  // Quotes, one interval, and the mark of the timer that follows (fails if none comes).
  Mark Cycle() {
    const TimeNs t = clocks_.Wall();
    ring_->Push(Event::Quote(fa_, t, t, Decimal{380000, -2}, Decimal{380020, -2}));
    ring_->Push(Event::Quote(fb_, t, t, Decimal{380100, -2}, Decimal{380120, -2}));
    pushed_ += 2;
    EXPECT_TRUE(WaitFor([&] { return runner_->events_applied() >= pushed_; }, 5000));
    const uint64_t timers = runner_->timers_applied();
    clocks_.mono.Advance(kInterval);
    EXPECT_TRUE(WaitFor([&] { return runner_->timers_applied() > timers; }, 5000))
        << "no timer one interval after " << timers << " timers";
    EXPECT_EQ(runner_->timers_applied(), timers + 1);
    Mark m;
    EXPECT_TRUE(table_->Read(0, &m));
    return m;
  }
  // Steps the wall clock and waits until the runner has read its clocks twice since (the first
  // reading after the change has then been handled).
  void StepWallClock(DurationNs step, bool counted) {
    const uint64_t before = runner_->clock_steps().step_count;
    clocks_.wall_offset.fetch_add(step);
    const uint64_t reads = clocks_.reads.load();
    ASSERT_TRUE(WaitFor([&] { return clocks_.reads.load() >= reads + 2; }));
    EXPECT_EQ(runner_->clock_steps().step_count, before + (counted ? 1 : 0));
  }
  static bool ClockStep(const Mark& m) { return (m.flags & kFlagClockStep) != 0; }

  Config config_;
  std::unique_ptr<MarkTable> table_;
  std::unique_ptr<Engine> engine_;
  SteppingClocks clocks_;
  std::unique_ptr<CoreRunner> runner_;
  SpscRing<Event>* ring_ = nullptr;
  uint32_t fa_ = 0, fb_ = 0;
  uint64_t pushed_ = 0;
};

TEST_F(ClockStepTest, ForwardStepIsFollowedCountedAndFlaggedForOneWindowWithoutPause) {
  Mark m;
  for (int i = 0; i < 10; ++i) m = Cycle();
  ASSERT_EQ(m.status, MarkStatus::kOk);
  ASSERT_FALSE(ClockStep(m));
  TimeNs last = m.publish_time;
  StepWallClock(3 * kNanosPerSecond, /*counted=*/true);
  CoreRunner::ClockSteps steps = runner_->clock_steps();
  EXPECT_EQ(steps.last_step, 3 * kNanosPerSecond);
  EXPECT_EQ(steps.last_step_time, clocks_.Wall());
  EXPECT_TRUE(steps.stepping);
  // The core follows the wall clock at once: the next timer is one interval after the step, on
  // the wall clock's grid, and marks are flagged for the 1 s window, then not.
  for (int i = 1; i <= 15; ++i) {
    m = Cycle();
    EXPECT_EQ(m.publish_time, last + (i == 1 ? 3 * kNanosPerSecond : 0) + kInterval) << i;
    EXPECT_EQ(m.publish_time, clocks_.Wall()) << i;
    EXPECT_EQ(m.status, MarkStatus::kOk) << i;
    EXPECT_EQ(ClockStep(m), i < 10) << "timer " << i << " after the step";
    last = m.publish_time;
  }
  EXPECT_FALSE(runner_->clock_steps().stepping);
  EXPECT_EQ(runner_->clock_steps().step_count, 1u);
  EXPECT_EQ(runner_->timers_skipped(), 0u);
}

TEST_F(ClockStepTest, BackwardStepNeverRunsTimeBackKeepsPublishingAndIsFlaggedUntilAbsorbed) {
  Mark m;
  for (int i = 0; i < 10; ++i) m = Cycle();
  ASSERT_EQ(m.status, MarkStatus::kOk);
  TimeNs last = m.publish_time;
  StepWallClock(-3 * kNanosPerSecond, /*counted=*/true);
  EXPECT_EQ(runner_->clock_steps().last_step, -3 * kNanosPerSecond);
  EXPECT_EQ(runner_->clock_steps().last_step_time, clocks_.Wall());
  // Half speed until the core's time meets the wall clock (3 s absorbed in 6 s: 60 timers), then
  // flagged one window more (10 timers, the last of them not), on the wall clock from then on.
  for (int i = 1; i <= 75; ++i) {
    m = Cycle();
    const DurationNs advance = i <= 60 ? kInterval / 2 : kInterval;
    EXPECT_EQ(m.publish_time, last + advance) << "timer " << i << " after the step";
    EXPECT_NE(m.status, MarkStatus::kStale) << i;
    EXPECT_EQ(m.status, MarkStatus::kOk) << i;
    EXPECT_EQ(ClockStep(m), i < 70) << "timer " << i << " after the step";
    last = m.publish_time;
  }
  EXPECT_EQ(m.publish_time, clocks_.Wall());
  EXPECT_FALSE(runner_->clock_steps().stepping);
  EXPECT_EQ(runner_->clock_steps().step_count, 1u);
  EXPECT_EQ(runner_->timers_skipped(), 0u);
}

TEST_F(ClockStepTest, StepsUnderTheToleranceAreNotCountedNorFlagged) {
  Mark m;
  for (int i = 0; i < 5; ++i) m = Cycle();
  TimeNs last = m.publish_time;
  StepWallClock(-500 * kNanosPerMilli, /*counted=*/false);
  for (int i = 0; i < 15; ++i) {
    m = Cycle();
    EXPECT_GT(m.publish_time, last);  // on cadence, never back
    EXPECT_FALSE(ClockStep(m));
    EXPECT_EQ(m.status, MarkStatus::kOk);
    last = m.publish_time;
  }
  StepWallClock(500 * kNanosPerMilli, /*counted=*/false);
  for (int i = 0; i < 5; ++i) {
    m = Cycle();
    EXPECT_GT(m.publish_time, last);
    EXPECT_FALSE(ClockStep(m));
    last = m.publish_time;
  }
  EXPECT_EQ(runner_->clock_steps().step_count, 0u);
  EXPECT_FALSE(runner_->clock_steps().stepping);
}

}  // namespace
}  // namespace oracle
