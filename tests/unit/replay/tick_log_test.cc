#include "oracle/replay/tick_log.h"

#include <gtest/gtest.h>

#include <random>

#include "test_util/engine_harness.h"

namespace oracle {
namespace {

constexpr char kConfig[] = R"pb(
  venues { name: "binance" }
  venues { name: "kraken" }
  instruments {
    name: "USDT-USD"
    sources { venue: "kraken" pair: "USDT-USD" }
  }
  instruments {
    name: "USDE-USD"
    sources { venue: "binance" pair: "USDE-USDT" convert_via: "USDT-USD" }
  }
  instruments {
    name: "ETH-USD"
    sources { venue: "kraken" pair: "ETH-USD" }
  }
  instruments {
    name: "WBETH-USD"
    redemption { underlying: "ETH-USD" ratio_pair: "WBETH-ETH" }
  }
  rate_providers { name: "wbeth-exchange-rate" pair: "WBETH-ETH" constant: "1.07" }
)pb";

class TickLogTest : public ::testing::Test {
 protected:
  Config config = testing::MustParseConfig(kConfig);
  TickLogParser parser{config};
  Event e;
  std::string error;
  int venue = -2;

  LineOutcome Parse(std::string_view line) { return parser.Parse(line, &e, &error, &venue); }
};

TEST_F(TickLogTest, ParsesTheDocumentedTradeLine) {
  ASSERT_EQ(
      Parse(
          R"({"time":"2025-10-10T21:36:00.250Z","venue":"binance","pair":"USDE-USDT","type":"trade","price":"0.6512","size":"1500"})"),
      LineOutcome::kEvent)
      << error;
  EXPECT_EQ(e.type, EventType::kTrade);
  EXPECT_EQ(e.id, static_cast<uint32_t>(config.FindFeed("binance", "USDE-USDT")));
  EXPECT_EQ(e.A(), (Decimal{6512, -4}));
  EXPECT_EQ(e.C(), (Decimal{15, 2}));
  TimeNs t;
  ASSERT_TRUE(ParseRfc3339("2025-10-10T21:36:00.250Z", &t));
  EXPECT_EQ(e.event_time, t);
  EXPECT_EQ(e.recv_time, t);
  EXPECT_EQ(venue, config.FindVenue("binance"));
}

TEST_F(TickLogTest, ParsesQuotesRatesAndRecvTime) {
  ASSERT_EQ(
      Parse(
          R"({"time":"2025-10-10T21:36:00Z","recv_time":"2025-10-10T21:36:00.004Z","venue":"kraken","pair":"ETH-USD","type":"quote","bid":"3800.10","ask":"3800.20"})"),
      LineOutcome::kEvent)
      << error;
  EXPECT_EQ(e.type, EventType::kQuote);
  EXPECT_EQ(e.A(), (Decimal{38001, -1}));
  EXPECT_EQ(e.B(), (Decimal{38002, -1}));
  EXPECT_EQ(e.recv_time - e.event_time, 4 * kNanosPerMilli);
  ASSERT_EQ(
      Parse(
          R"({"time":"2025-10-10T21:36:00Z","source":"wbeth-exchange-rate","pair":"WBETH-ETH","type":"rate","rate":"1.0712"})"),
      LineOutcome::kEvent)
      << error;
  EXPECT_EQ(e.type, EventType::kRate);
  EXPECT_EQ(e.A(), (Decimal{10712, -4}));
  EXPECT_EQ(venue, -1);
}

TEST_F(TickLogTest, AcceptsNumbersExactlyAndIgnoresUnknownFields) {
  ASSERT_EQ(
      Parse(
          R"({"type":"trade","time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","price":3800.15,"size":1e-3,"exchange_id":12345678901234567890})"),
      LineOutcome::kEvent)
      << error;
  EXPECT_EQ(e.A(), (Decimal{380015, -2}));
  EXPECT_EQ(e.C(), (Decimal{1, -3}));
}

TEST_F(TickLogTest, UnconfiguredVenuesAndPairsAreUnroutedNotErrors) {
  EXPECT_EQ(
      Parse(
          R"({"time":"2025-10-10T21:36:00Z","venue":"okx","pair":"ETH-USDT","type":"trade","price":"1","size":"1"})"),
      LineOutcome::kUnrouted);
  EXPECT_EQ(
      Parse(
          R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"SOL-USD","type":"trade","price":"1","size":"1"})"),
      LineOutcome::kUnrouted);
  EXPECT_EQ(venue, config.FindVenue("kraken"));
  EXPECT_EQ(
      Parse(
          R"({"time":"2025-10-10T21:36:00Z","source":"x","pair":"BNSOL-SOL","type":"rate","rate":"1.06"})"),
      LineOutcome::kUnrouted);
  EXPECT_EQ(Parse("   "), LineOutcome::kBlank);
  EXPECT_EQ(Parse(""), LineOutcome::kBlank);
}

TEST_F(TickLogTest, BadLinesSayWhichFieldAndValueAreWrong) {
  struct Case {
    const char* line;
    const char* message;
  };
  const Case cases[] = {
      {"not json", "not a JSON object"},
      {"[1,2]", "not a JSON object"},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","type":"trade","price":"abc","size":"1"})",
       "field \"price\": \"abc\" is not a decimal number"},
      {R"({"time":"yesterday","venue":"kraken","pair":"ETH-USD","type":"trade","price":"1","size":"1"})",
       "field \"time\": \"yesterday\" is not an RFC 3339 time"},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","type":"trade","size":"1"})",
       "missing field \"price\""},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","type":"quote","bid":"1"})",
       "missing field \"ask\""},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","type":"trades","price":"1","size":"1"})",
       "field \"type\": \"trades\" is not one of trade, quote, rate"},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","type":"trade","price":"1","size":"1"})",
       "missing field \"pair\""},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","type":"trade","price":true,"size":"1"})",
       "field \"price\": expected a decimal string"},
      {R"({"time":"2025-10-10T21:36:00Z","venue":7,"pair":"ETH-USD","type":"trade","price":"1","size":"1"})",
       "field \"venue\": expected a string"},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","venue":"binance","pair":"ETH-USD","type":"trade","price":"1","size":"1"})",
       "field \"venue\" appears twice"},
      {R"({"time":"2025-10-10T21:36:00Z","source":"x","pair":"WBETH-ETH","type":"rate","rate":"-1"})",
       "field \"rate\": \"-1\" must be positive"},
      {R"({"time":"2025-10-10T21:36:00Z","source":"x","pair":"WBETH-ETH","type":"rate","rate":"1.07"})",
       "field \"source\": \"x\" is not a configured rate provider (rate_providers)"},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","type":"trade","price":"1","size":"1"} trailing)",
       "not valid JSON"},
      {R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","type":"trade","price":"1","size":"1")",
       "not valid JSON"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Parse(c.line), LineOutcome::kError) << c.line;
    EXPECT_NE(error.find(c.message), std::string::npos)
        << "line: " << c.line << "\nwant: " << c.message << "\ngot:  " << error;
  }
}

TEST_F(TickLogTest, SurvivesArbitraryBytes) {
  std::mt19937_64 rng(5);
  const std::string good =
      R"({"time":"2025-10-10T21:36:00Z","venue":"kraken","pair":"ETH-USD","type":"quote","bid":"1","ask":"2"})";
  for (int i = 0; i < 20000; ++i) {
    std::string line = good;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      size_t pos = rng() % line.size();
      switch (rng() % 3) {
        case 0:
          line[pos] = static_cast<char>(rng() % 256);
          break;
        case 1:
          line.erase(pos, 1 + rng() % 8);
          break;
        default:
          line.insert(pos, 1, static_cast<char>(rng() % 256));
          break;
      }
      if (line.empty()) line = "x";
    }
    LineOutcome o = Parse(line);  // must not crash; anything it accepts must be well-formed
    if (o == LineOutcome::kEvent) {
      EXPECT_TRUE(e.type == EventType::kQuote || e.type == EventType::kTrade ||
                  e.type == EventType::kRate);
    }
  }
}

}  // namespace
}  // namespace oracle
