#include "oracle/aggregation/core_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

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

}  // namespace
}  // namespace oracle
