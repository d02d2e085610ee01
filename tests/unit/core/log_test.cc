#include "oracle/core/log.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "oracle/core/clock.h"

namespace oracle {
namespace {

TEST(Log, CaptureReceivesEveryLevelAndFormattedText) {
  ScopedLogCapture capture;
  Logf(LogLevel::kWarning, "history %s write failed (%d)", "/tmp/x", 5);
  Log(LogLevel::kDebug, "debug detail");
  const auto entries = capture.entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].level, LogLevel::kWarning);
  EXPECT_EQ(entries[0].message, "history /tmp/x write failed (5)");
  EXPECT_EQ(entries[1].message, "debug detail");
  EXPECT_TRUE(capture.Contains("write failed"));
  EXPECT_FALSE(capture.Contains("not logged"));
}

TEST(Log, FormatsMessagesLongerThanTheStackBuffer) {
  ScopedLogCapture capture;
  const std::string long_text(2000, 'x');
  Logf(LogLevel::kInfo, "%s!", long_text.c_str());
  ASSERT_EQ(capture.entries().size(), 1u);
  EXPECT_EQ(capture.entries()[0].message, long_text + "!");
}

TEST(Log, SinkSetByTheProcessGetsMessagesAboveTheMinimumLevel) {
  std::vector<std::string> seen;
  SetLogSink([&](LogLevel level, std::string_view m) {
    seen.push_back(std::string(LogLevelName(level)) + ":" + std::string(m));
  });
  SetMinLogLevel(LogLevel::kWarning);
  Log(LogLevel::kInfo, "dropped");
  Log(LogLevel::kError, "kept");
  SetMinLogLevel(LogLevel::kInfo);
  SetLogSink(nullptr);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "ERROR:kept");
}

TEST(Log, ConcurrentMessagesAreDeliveredWhole) {
  ScopedLogCapture capture;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 100; ++i) Logf(LogLevel::kInfo, "thread %d message %d", t, i);
    });
  }
  for (auto& th : threads) th.join();
  const auto entries = capture.entries();
  ASSERT_EQ(entries.size(), 400u);
  for (const auto& e : entries) EXPECT_EQ(e.message.rfind("thread ", 0), 0u) << e.message;
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock manual(100);
  const Clock clock = manual.AsClock();
  EXPECT_EQ(clock(), 100);
  manual.Advance(50);
  EXPECT_EQ(clock(), 150);
  manual.Set(7);
  EXPECT_EQ(clock(), 7);
}

TEST(Clock, OrSystemClockFillsAnEmptyClock) {
  const Clock fallback = OrSystemClock(nullptr);
  ASSERT_TRUE(static_cast<bool>(fallback));
  EXPECT_GT(fallback(), 1'600'000'000LL * kNanosPerSecond);
  ManualClock manual(42);
  EXPECT_EQ(OrSystemClock(manual.AsClock())(), 42);
}

}  // namespace
}  // namespace oracle
