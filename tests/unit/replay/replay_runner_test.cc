#include "oracle/replay/replay_runner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <thread>

#include "oracle/core/clock.h"
#include "oracle/core/log.h"
#include "oracle/core/spsc_ring.h"
#include "oracle/replay/replay_source.h"
#include "oracle/replay/synthetic_source.h"
#include "test_util/engine_harness.h"

namespace oracle {
namespace {

constexpr char kConfig[] = R"pb(
  core { publish_interval_ms: 100 }
  defaults { twap_window_ms: 1000 twap_bucket_ms: 100 jump_lookback_ms: 1000 min_venues: 3 }
  venues { name: "a" }
  venues { name: "b" }
  venues { name: "c" }
  instruments {
    name: "ETH-USD"
    sources { venue: "a" pair: "ETH-USD" }
    sources { venue: "b" pair: "ETH-USD" }
    sources { venue: "c" pair: "ETH-USD" }
  }
)pb";

struct Result {
  ReplaySummary summary;
  std::string marks;
  std::string diagnostics;
};

Result Replay(const std::string& log, const std::string& config_text = kConfig,
              bool provenance = false) {
  Config config = testing::MustParseConfig(config_text);
  std::istringstream in(log);
  std::ostringstream out, diag;
  ReplayOptions opts;
  opts.provenance = provenance;
  auto s = RunReplay(config, in, out, diag, opts);
  EXPECT_TRUE(s.ok()) << s.status();
  return Result{s.ok() ? *s : ReplaySummary{}, out.str(), diag.str()};
}

std::string Quote(const char* time, const char* venue, const char* bid, const char* ask) {
  return std::string("{\"time\":\"") + time + "\",\"venue\":\"" + venue +
         "\",\"pair\":\"ETH-USD\",\"type\":\"quote\",\"bid\":\"" + bid + "\",\"ask\":\"" + ask +
         "\"}\n";
}

TEST(Replay, WritesOneExactJsonLinePerPublishedMark) {
  std::string log = Quote("2025-10-10T21:36:00.000Z", "a", "3800.10", "3800.30") +
                    Quote("2025-10-10T21:36:00.000Z", "b", "3800.10", "3800.30") +
                    Quote("2025-10-10T21:36:00.000Z", "c", "3800.10", "3800.30") +
                    Quote("2025-10-10T21:36:00.150Z", "a", "3800.10", "3800.30");
  Result r = Replay(log);
  // Timers at .000 (after the events stamped .000), .100; the log ends at .150.
  EXPECT_EQ(
      r.marks,
      "{\"time\":\"2025-10-10T21:36:00.000Z\",\"instrument\":\"ETH-USD\",\"price\":\"3800.2\","
      "\"confidence\":\"0.1\",\"status\":\"OK\",\"flags\":[],\"venues_used\":3,\"sequence\":1}\n"
      "{\"time\":\"2025-10-10T21:36:00.100Z\",\"instrument\":\"ETH-USD\",\"price\":\"3800.2\","
      "\"confidence\":\"0.1\",\"status\":\"OK\",\"flags\":[],\"venues_used\":3,\"sequence\":2}\n");
  EXPECT_EQ(r.summary.events, 4u);
  EXPECT_EQ(r.summary.timers, 2u);
  EXPECT_EQ(r.summary.marks, 2u);
}

TEST(Replay, AMarkAtTReflectsEveryEventAtOrBeforeT) {
  std::string log = Quote("2025-10-10T21:36:00.000Z", "a", "100", "100") +
                    Quote("2025-10-10T21:36:00.000Z", "b", "100", "100") +
                    Quote("2025-10-10T21:36:00.000Z", "c", "100", "100") +
                    Quote("2025-10-10T21:36:00.100Z", "a", "200", "200") +
                    Quote("2025-10-10T21:36:00.100Z", "b", "200", "200") +
                    Quote("2025-10-10T21:36:00.100Z", "c", "200", "200") +
                    Quote("2025-10-10T21:36:00.200Z", "a", "200", "200");
  Result r = Replay(log, kConfig, /*provenance=*/true);
  std::istringstream lines(r.marks);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  // The mark at .100 saw the new quotes (venue price 200 now) but they have held for 0 s of the
  // window, so the TWAP is still 100; at .200 it has held for 0.1 of 0.2 s.
  EXPECT_NE(second.find("\"time\":\"2025-10-10T21:36:00.100Z\""), std::string::npos) << second;
  EXPECT_NE(second.find("\"price\":\"100\""), std::string::npos) << second;
  EXPECT_NE(
      r.marks.find(
          "\"time\":\"2025-10-10T21:36:00.200Z\",\"instrument\":\"ETH-USD\",\"price\":\"150\""),
      std::string::npos)
      << r.marks;
}

TEST(Replay, BadLinesAreReportedWithLineNumbersAndSkipped) {
  std::string log = Quote("2025-10-10T21:36:00.000Z", "a", "3800.10", "3800.30") +
                    "{\"time\":\"2025-10-10T21:36:00.010Z\",\"venue\":\"a\",\"pair\":\"ETH-USD\","
                    "\"type\":\"quote\",\"bid\":\"x\",\"ask\":\"1\"}\n" +
                    "garbage\n" + "\n" +
                    Quote("2025-10-10T21:36:00.020Z", "b", "3800.10", "3800.30") +
                    "{\"time\":\"2025-10-10T21:36:00.030Z\",\"venue\":\"zz\",\"pair\":\"ETH-USD\","
                    "\"type\":\"quote\",\"bid\":\"1\",\"ask\":\"2\"}\n" +
                    Quote("2025-10-10T21:36:00.040Z", "c", "3800.10", "3800.30") +
                    Quote("2025-10-10T21:36:00.100Z", "c", "3800.30", "3800.10");  // crossed
  Result r = Replay(log);
  EXPECT_NE(r.diagnostics.find("line 2: field \"bid\": \"x\" is not a decimal number"),
            std::string::npos)
      << r.diagnostics;
  EXPECT_NE(r.diagnostics.find("line 3: not a JSON object"), std::string::npos) << r.diagnostics;
  EXPECT_EQ(r.summary.lines, 8u);
  EXPECT_EQ(r.summary.bad_lines, 2u);
  EXPECT_EQ(r.summary.blank_lines, 1u);
  EXPECT_EQ(r.summary.unrouted_lines, 1u);
  EXPECT_EQ(r.summary.engine.rejected_crossed, 1u);
  EXPECT_EQ(r.summary.engine.ticks_accepted, 3u);
  // The good lines around the bad ones all counted: a full quorum at .100.
  EXPECT_NE(
      r.marks.find(
          "\"time\":\"2025-10-10T21:36:00.100Z\",\"instrument\":\"ETH-USD\",\"price\":\"3800.2\""),
      std::string::npos)
      << r.marks;
  EXPECT_NE(r.summary.ToString().find("bad lines:         2"), std::string::npos);
}

std::string RandomLog(uint64_t seed, int lines) {
  std::mt19937_64 rng(seed);
  std::string log;
  TimeNs t = 1760132160LL * kNanosPerSecond;
  const char* venues[] = {"a", "b", "c"};
  for (int i = 0; i < lines; ++i) {
    t += static_cast<TimeNs>(rng() % (300 * kNanosPerMilli));
    char buf[256];
    double mid = 3800 + static_cast<double>(rng() % 1000) / 100.0;
    std::snprintf(buf, sizeof buf,
                  "{\"time\":\"%s\",\"venue\":\"%s\",\"pair\":\"ETH-USD\",\"type\":\"%s\",\"bid\":"
                  "\"%.2f\",\"ask\":\"%.2f\",\"price\":\"%.2f\",\"size\":\"0.5\"}\n",
                  FormatRfc3339(t).c_str(), venues[rng() % 3], rng() % 4 ? "quote" : "trade",
                  mid - 0.05, mid + 0.05, mid);
    log += buf;
  }
  return log;
}

TEST(Replay, TwoRunsOnTheSameInputAreByteIdentical) {
  const std::string log = RandomLog(99, 5000);
  Result a = Replay(log, kConfig, true);
  Result b = Replay(log, kConfig, true);
  EXPECT_GT(a.summary.marks, 1000u);
  EXPECT_EQ(a.marks, b.marks);
}

// The bundled demo model (scripts/gen_demo_ticks.py): Binance's USDe book dumps to 0.65 for 40
// minutes while the other venues stay at 1.00. USDe is redemption-priced (1:1 into USDT): the mark
// must hold at the redemption value, stay OK, never declare DEPEG (the discount is local), and show
// Binance's dislocation in the provenance.
TEST(Replay, DemoLogUsdeDumpOnOneVenueDoesNotMoveTheMark) {
  const std::string dir = ::testing::TempDir();
  const std::string ticks = dir + "/demo_ticks.jsonl";
  const std::string cmd = "python3 " + std::string(ORACLE_SOURCE_DIR) +
                          "/scripts/gen_demo_ticks.py --config " + ORACLE_SOURCE_DIR +
                          "/feeds/default.textproto --output " + ticks +
                          " --minutes 50 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  auto config = LoadDefaultConfig();
  ASSERT_TRUE(config.ok());
  std::ifstream in(ticks);
  std::ostringstream out, diag;
  ReplayOptions opts;
  opts.provenance = true;
  auto s = RunReplay(*config, in, out, diag, opts);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->bad_lines, 0u) << diag.str();
  std::istringstream lines(out.str());
  std::string line;
  int usde = 0, flagged = 0, worst_bps = 0;
  while (std::getline(lines, line)) {
    if (line.find("\"instrument\":\"USDE-USD\"") == std::string::npos) continue;
    if (line.compare(0, 25, "{\"time\":\"2025-10-10T21:30") == 0) continue;  // first minute
    size_t p = line.find("\"price\":\"");
    ASSERT_NE(p, std::string::npos) << line;  // always priced after warm-up
    double price = std::strtod(line.c_str() + p + 9, nullptr);
    worst_bps = std::max(worst_bps, static_cast<int>(std::abs(price - 1.0) * 10000));
    EXPECT_NE(line.find("\"status\":\"OK\""), std::string::npos) << line;
    ++usde;
    EXPECT_NE(line.find("\"choice\":\"REDEMPTION\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"depeg\":false"), std::string::npos) << line;
    // Binance's own price, shown against the redemption value: well below 0.9 during the dump.
    size_t b = line.find("{\"venue\":\"binance\",\"pair\":\"USDE-USDT\",\"price\":\"");
    if (b != std::string::npos && std::strtod(line.c_str() + b + 47, nullptr) < 0.9) ++flagged;
  }
  EXPECT_GT(usde, 25000);
  EXPECT_LE(worst_bps, 20) << "the USDe mark left 1.00 +- 0.2%";
  EXPECT_GT(flagged, 20000) << "binance's dump should show in the provenance for most of 40 min";
}

// ---- the sources that feed a live server ----

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 4000 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

std::vector<Event> Drain(SpscRing<Event>* ring) {
  std::vector<Event> out;
  Event e;
  while (ring->TryPop(&e)) out.push_back(e);
  return out;
}

// The log's clock is mapped onto the source's clock: a line is sent when the clock reaches its
// time (at `speed`), stamped with the clock's time; a clock that stands still holds the next line.
TEST(ReplaySource, MapsTheLogOntoItsClock) {
  const Config config = testing::MustParseConfig(kConfig);
  const std::string path =
      WriteTempFile("replay_source_clock.jsonl",
                    Quote("2025-10-10T21:36:00.000Z", "a", "3800.10", "3800.30") +
                        Quote("2025-10-10T21:36:01.000Z", "b", "3800.10", "3800.30") +
                        Quote("2025-10-10T21:36:02.000Z", "c", "3800.10", "3800.30"));
  ManualClock clock(testing::At(0));
  SpscRing<Event> ring(64);
  ReplaySource source(config, path, /*speed=*/2.0, /*loop=*/false, clock.AsClock());
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return source.events_pushed() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(source.events_pushed(), 1u);
  clock.Advance(kNanosPerSecond / 2);
  ASSERT_TRUE(WaitFor([&] { return source.events_pushed() == 2; }));
  clock.Advance(kNanosPerSecond / 2);
  ASSERT_TRUE(WaitFor([&] { return source.passes_completed() == 1; }));
  source.Stop();
  const std::vector<Event> events = Drain(&ring);
  ASSERT_EQ(events.size(), 3u);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].recv_time, testing::At(0.5 * static_cast<double>(i))) << i;
    EXPECT_EQ(events[i].event_time, testing::At(0.5 * static_cast<double>(i))) << i;
  }
  std::remove(path.c_str());
}

// A bad line is skipped and reported as a warning naming the file and the line.
TEST(ReplaySource, ABadLineIsAWarningNamingFileAndLine) {
  ScopedLogCapture logs;
  const Config config = testing::MustParseConfig(kConfig);
  const std::string path =
      WriteTempFile("replay_source_bad_line.jsonl",
                    Quote("2025-10-10T21:36:00.000Z", "a", "3800.10", "3800.30") + "garbage\n");
  ManualClock clock(testing::At(0));
  SpscRing<Event> ring(64);
  ReplaySource source(config, path, /*speed=*/1.0, /*loop=*/false, clock.AsClock());
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return source.passes_completed() == 1; }));
  source.Stop();
  EXPECT_EQ(source.bad_lines(), 1u);
  EXPECT_EQ(source.events_pushed(), 1u);
  const std::vector<ScopedLogCapture::Entry> entries = logs.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].level, LogLevel::kWarning);
  const std::string prefix = "replay: " + path + " line 2: ";
  EXPECT_EQ(entries[0].message.substr(0, prefix.size()), prefix) << entries[0].message;
  EXPECT_GT(entries[0].message.size(), prefix.size()) << "the reason is missing";
  std::remove(path.c_str());
}

TEST(SyntheticSource, StampsItsQuotesWithItsClock) {
  const Config config = testing::MustParseConfig(kConfig);
  ManualClock clock(testing::At(42));
  SpscRing<Event> ring(4096);
  SyntheticSource source(config, /*events_per_second=*/2000, /*seed=*/1, clock.AsClock());
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return source.pushed() >= 10; }));
  source.Stop();
  const std::vector<Event> events = Drain(&ring);
  ASSERT_GE(events.size(), 10u);
  for (const Event& e : events) {
    EXPECT_EQ(e.type, EventType::kQuote);
    EXPECT_EQ(e.event_time, testing::At(42));
    EXPECT_EQ(e.recv_time, testing::At(42));
  }
}

}  // namespace
}  // namespace oracle
