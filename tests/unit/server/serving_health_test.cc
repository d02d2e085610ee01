// The serving-health state machine on a ManualClock and a progress counter the test drives: no
// gRPC, no threads. Readiness, the progress watchdog (STALLED and back), drain, the listener.
#include "oracle/server/serving_health.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "oracle/core/clock.h"

namespace oracle {
namespace {

using status::ServingState;

constexpr TimeNs kStart = 1'760'000'000 * kNanosPerSecond;

class ServingHealthTest : public ::testing::Test {
 protected:
  // progress_timeout 5 s, rounds every 100 ms (the defaults).
  ServingHealth::Options MakeOptions() {
    ServingHealth::Options o;
    o.progress_timeout_ns = 5 * kNanosPerSecond;
    o.expected_interval_ns = 100 * kNanosPerMilli;
    o.wall_clock = clock_.AsClock();
    o.elapsed_clock = clock_.AsClock();
    o.progress = [this] { return progress_.load(); };
    return o;
  }
  // `d` passes, then one round of marks is published.
  void Round(DurationNs d = 100 * kNanosPerMilli) {
    clock_.Advance(d);
    progress_.fetch_add(1);
  }

  ManualClock clock_{kStart};
  std::atomic<uint64_t> progress_{0};
};

TEST_F(ServingHealthTest, StartingUntilTheFirstRoundHoweverLongItTakes) {
  ServingHealth h(MakeOptions());
  EXPECT_EQ(h.Update(), ServingState::kStarting);
  clock_.Advance(60 * kNanosPerSecond);  // far past the progress timeout: still not STALLED
  status::ServingHealthStatus s;
  h.Fill(&s);
  EXPECT_EQ(s.state, ServingState::kStarting);
  EXPECT_EQ(s.ready_time, 0);
  EXPECT_EQ(s.stall_count, 0u);
  EXPECT_FALSE(ServingHealth::IsServing(h.state()));

  progress_.fetch_add(1);
  EXPECT_EQ(h.Update(), ServingState::kServing);
  h.Fill(&s);
  EXPECT_EQ(s.state, ServingState::kServing);
  EXPECT_EQ(s.ready_time, kStart + 60 * kNanosPerSecond);
  EXPECT_EQ(s.since_last_timer, 0);
  EXPECT_TRUE(ServingHealth::IsServing(h.state()));
}

TEST_F(ServingHealthTest, ProgressBeforeConstructionIsNotReadiness) {
  // A restore applied rounds before the server started: the first round after start counts.
  progress_ = 1234;
  ServingHealth h(MakeOptions());
  clock_.Advance(kNanosPerSecond);
  EXPECT_EQ(h.Update(), ServingState::kStarting);
  Round();
  EXPECT_EQ(h.Update(), ServingState::kServing);
}

TEST_F(ServingHealthTest, WatchdogStallsWithoutProgressAndRecoversWithIt) {
  ServingHealth h(MakeOptions());
  Round();
  ASSERT_EQ(h.Update(), ServingState::kServing);
  for (int i = 0; i < 100; ++i) {  // 10 s of rounds on time
    Round();
    ASSERT_EQ(h.Update(), ServingState::kServing) << "round " << i;
  }
  // The core stops: SERVING up to the timeout, STALLED past it.
  clock_.Advance(4900 * kNanosPerMilli);
  EXPECT_EQ(h.Update(), ServingState::kServing);
  clock_.Advance(200 * kNanosPerMilli);
  EXPECT_EQ(h.Update(), ServingState::kStalled);
  EXPECT_FALSE(ServingHealth::IsServing(h.state()));
  status::ServingHealthStatus s;
  h.Fill(&s);
  EXPECT_EQ(s.state, ServingState::kStalled);
  EXPECT_EQ(s.stall_count, 1u);
  EXPECT_EQ(s.since_last_timer, 5100 * kNanosPerMilli);
  const TimeNs ready = s.ready_time;
  EXPECT_EQ(ready, kStart + 100 * kNanosPerMilli);

  clock_.Advance(30 * kNanosPerSecond);  // still stalled, counted once
  EXPECT_EQ(h.Update(), ServingState::kStalled);
  h.Fill(&s);
  EXPECT_EQ(s.stall_count, 1u);

  Round();  // progress again
  EXPECT_EQ(h.Update(), ServingState::kServing);
  h.Fill(&s);
  EXPECT_EQ(s.stall_count, 1u);
  EXPECT_EQ(s.ready_time, ready) << "ready_time is the first readiness, not the recovery";

  clock_.Advance(6 * kNanosPerSecond);  // a second stall
  EXPECT_EQ(h.Update(), ServingState::kStalled);
  Round();
  EXPECT_EQ(h.Update(), ServingState::kServing);
  h.Fill(&s);
  EXPECT_EQ(s.stall_count, 2u);
}

TEST_F(ServingHealthTest, TimeoutIsAtLeastTwoPublishIntervals) {
  // Rounds every 10 s with a 5 s timeout: the gap between two rounds on time is no stall.
  ServingHealth::Options o = MakeOptions();
  o.expected_interval_ns = 10 * kNanosPerSecond;
  ServingHealth h(std::move(o));
  Round(10 * kNanosPerSecond);
  ASSERT_EQ(h.Update(), ServingState::kServing);
  clock_.Advance(9 * kNanosPerSecond);
  EXPECT_EQ(h.Update(), ServingState::kServing);
  Round(11 * kNanosPerSecond);  // one round late: 20 s apart
  EXPECT_EQ(h.Update(), ServingState::kServing);
  clock_.Advance(19 * kNanosPerSecond);
  EXPECT_EQ(h.Update(), ServingState::kServing);
  clock_.Advance(2 * kNanosPerSecond);  // 21 s since the last round: two rounds missed
  EXPECT_EQ(h.Update(), ServingState::kStalled);
}

TEST_F(ServingHealthTest, IdleSourceIsNoStall) {
  // A log-clock replay that has pushed its whole log: no timers are due.
  bool finished = false;
  ServingHealth::Options o = MakeOptions();
  o.idle = [&finished] { return finished; };
  ServingHealth h(std::move(o));
  Round();
  ASSERT_EQ(h.Update(), ServingState::kServing);
  finished = true;
  clock_.Advance(60 * kNanosPerSecond);
  EXPECT_EQ(h.Update(), ServingState::kServing);
  status::ServingHealthStatus s;
  h.Fill(&s);
  EXPECT_EQ(s.stall_count, 0u);
  EXPECT_EQ(s.since_last_timer, 60 * kNanosPerSecond);
}

TEST_F(ServingHealthTest, DrainingIsForGood) {
  ServingHealth h(MakeOptions());
  Round();
  ASSERT_EQ(h.Update(), ServingState::kServing);
  h.Drain();
  EXPECT_EQ(h.state(), ServingState::kDraining);
  for (int i = 0; i < 10; ++i) {
    Round();
    EXPECT_EQ(h.Update(), ServingState::kDraining);
  }
  clock_.Advance(60 * kNanosPerSecond);
  EXPECT_EQ(h.Update(), ServingState::kDraining);
  h.Drain();
  Round(300 * kNanosPerMilli);
  EXPECT_EQ(h.Update(), ServingState::kDraining);
  clock_.Advance(200 * kNanosPerMilli);
  status::ServingHealthStatus s;
  h.Fill(&s);
  EXPECT_EQ(s.state, ServingState::kDraining);
  EXPECT_EQ(s.stall_count, 0u);
  EXPECT_EQ(s.since_last_timer, 200 * kNanosPerMilli) << "progress is still sampled";
  EXPECT_FALSE(ServingHealth::IsServing(s.state));
}

TEST_F(ServingHealthTest, ListenerHearsEveryChangeOnce) {
  ServingHealth h(MakeOptions());
  std::vector<ServingState> heard;
  h.SetListener([&heard](ServingState s) { heard.push_back(s); });
  h.Update();  // STARTING: no change
  Round();
  h.Update();
  h.Update();
  clock_.Advance(6 * kNanosPerSecond);
  h.Update();
  status::ServingHealthStatus s;
  h.Fill(&s);  // a status read samples too
  Round();
  h.Fill(&s);
  h.Drain();
  h.Drain();
  h.SetListener(nullptr);
  Round();
  h.Update();
  EXPECT_EQ(heard, (std::vector<ServingState>{ServingState::kServing, ServingState::kStalled,
                                              ServingState::kServing, ServingState::kDraining}));
}

}  // namespace
}  // namespace oracle
