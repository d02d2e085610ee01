// Hyperliquid parser: documented frames (unit), every fixture frame (conformance), symbols and
// protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/hyperliquid/hyperliquid_adapter.h"
#include "feeds/hyperliquid/hyperliquid_parse.h"
#include "feeds/hyperliquid/hyperliquid_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class HyperliquidParseTest : public ::testing::Test {
 protected:
  HyperliquidParser parser;
  TickBuffer ticks;
  ParseResult Parse(std::string_view frame) {
    ticks.Clear();
    return parser.Parse(frame, &ticks);
  }
  ParseResult Rest(std::string_view body) {
    ticks.Clear();
    return parser.ParseRestTicker(body, &ticks);
  }
};

TEST_F(HyperliquidParseTest, TradesWithALargeTid) {
  // WsTrade: px/sz strings, time ms, tid a JSON number (read from its text, never a double).
  ParseResult r = Parse(
      R"({"channel":"trades","data":[{"coin":"BTC","side":"B","px":"64411.0","sz":"0.31377","time":1781416943647,"hash":"0x7f58708caf49d86c80d2043dae4bfc00009388724a4cf73e23211bdf6e4db257","tid":828642708897583,"users":["0xe9bee85af94c8234270523992447e631d27d2146","0xf9109ada2f73c62e9889b45453065f0d99260a2d"]},{"coin":"BTC","side":"A","px":"64410.9","sz":"0.001","time":1781416943648,"hash":"0x00","tid":18446744073709551615,"users":["0x1","0x2"]}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "BTC");
  EXPECT_EQ(ticks[0].price, (Decimal{64411, 0}));
  EXPECT_EQ(ticks[0].size, (Decimal{31377, -5}));
  EXPECT_EQ(ticks[0].event_time, 1781416943647LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 828642708897583u);
  EXPECT_EQ(ticks[1].sequence, 18446744073709551615u);  // 2^64-1: exact, not rounded
}

TEST_F(HyperliquidParseTest, TidsBeyond64BitsAreNotKept) {
  ASSERT_EQ(
      Parse(
          R"({"channel":"trades","data":[{"coin":"ETH","side":"A","px":"3000.5","sz":"1","time":1,"hash":"0x0","tid":18446744073709551616}]})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].sequence, 0u);
  EXPECT_EQ(ticks[0].price, (Decimal{30005, -1}));
}

TEST_F(HyperliquidParseTest, BboIsAQuote) {
  // WsBbo: {coin, time, bbo: [bid level | null, ask level | null]}.
  ParseResult r = Parse(
      R"({"channel":"bbo","data":{"coin":"BTC","time":1781416960522,"bbo":[{"px":"64404.0","sz":"1.2","n":3},{"px":"64405.0","sz":"0.5","n":1}]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTC");
  EXPECT_EQ(ticks[0].bid, (Decimal{64404, 0}));
  EXPECT_EQ(ticks[0].ask, (Decimal{64405, 0}));
  EXPECT_EQ(ticks[0].event_time, 1781416960522LL * kNanosPerMilli);
  // A side without orders is null: no quote, still data.
  r = Parse(
      R"({"channel":"bbo","data":{"coin":"@107","time":1,"bbo":[null,{"px":"40.1","sz":"2","n":1}]}})");
  EXPECT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(HyperliquidParseTest, L2BookGivesTheBestLevels) {
  ParseResult r = Parse(
      R"({"channel":"l2Book","data":{"coin":"BTC","time":1781416960522,"levels":[[{"px":"64400.0","sz":"3.72067","n":41},{"px":"64300.0","sz":"599.29336","n":543}],[{"px":"64500.0","sz":"2.1","n":12}]]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{644, 2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{645, 2}));
  EXPECT_EQ(ticks[0].event_time, 1781416960522LL * kNanosPerMilli);
  r = Parse(
      R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[],[{"px":"1","sz":"1","n":1}]]}})");
  EXPECT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(HyperliquidParseTest, KeysInAnyOrder) {
  ASSERT_EQ(
      Parse(
          R"({"data":[{"tid":1,"time":5,"sz":"1","px":"2","side":"B","coin":"SOL"}],"channel":"trades"})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "SOL");
  EXPECT_EQ(ticks[0].price, (Decimal{2, 0}));
  ASSERT_EQ(
      Parse(
          R"({"data":{"bbo":[{"n":1,"sz":"1","px":"9"},{"px":"10","sz":"1","n":1}],"time":7,"coin":"ETH"},"channel":"bbo"})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{9, 0}));
  EXPECT_EQ(ticks[0].ask, (Decimal{1, 1}));  // normalized: 10 = 1e1
}

TEST_F(HyperliquidParseTest, ControlMessagesAreClassified) {
  EXPECT_EQ(
      Parse(
          R"({"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}}})")
          .kind,
      FrameKind::kAck);
  ParseResult r = Parse(R"({"channel":"pong"})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(r.reply.empty());  // the client pinged: nothing to answer
  r = Parse(
      R"({"channel":"error","data":"Invalid subscription {\"type\":\"candle\",\"coin\":\"NOPE\",\"interval\":\"1m\"}"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, R"(Invalid subscription {"type":"candle","coin":"NOPE","interval":"1m"})");
  r = Parse(R"({"data":"Already unsubscribed","channel":"error"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Already unsubscribed");
  EXPECT_EQ(Parse("Websocket connection established.").kind, FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"({"method":"subscribe","subscription":{"type":"bbo","coin":"BTC"}})").kind,
            FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"({"method":"ping"})").kind, FrameKind::kIgnored);
}

TEST_F(HyperliquidParseTest, ChannelsTheOracleDoesNotUseAreIgnored) {
  // activeAssetCtx: markPx/oraclePx with no timestamp; not subscribed.
  EXPECT_EQ(
      Parse(
          R"({"channel":"activeAssetCtx","data":{"coin":"BTC","ctx":{"funding":"0.0000125","openInterest":"32227.66018","prevDayPx":"63564.0","dayNtlVlm":"1128098483.2000689507","premium":"-0.0002483354","oraclePx":"64429.0","markPx":"64405.0","midPx":"64412.5","impactPxs":["64404.4","64413.0"],"dayBaseVlm":"17577.61508"}}})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
  EXPECT_EQ(Parse(R"({"channel":"allMids","data":{"mids":{"BTC":"64412.5"}}})").kind,
            FrameKind::kIgnored);
}

TEST_F(HyperliquidParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "pong",
          "Websocket connection",
          "not json",
          "[1,2]",
          R"({"foo":1})",
          R"({"channel":5})",
          R"({"channel":"trades"})",
          R"({"channel":"trades","data":{}})",
          R"({"channel":"trades","data":[5]})",
          R"({"channel":"trades","data":[{"coin":"BTC","px":"abc","sz":"1","time":1}]})",
          R"({"channel":"trades","data":[{"coin":"BTC","px":"1","time":1}]})",
          R"({"channel":"trades","data":[{"px":"1","sz":"1","time":1}]})",
          R"({"channel":"trades","data":[{"coin":"BTC","px":"0","sz":"1","time":1}]})",
          R"({"channel":"trades","data":[{"coin":"BTC","px":"1","sz":"-1","time":1}]})",
          R"({"channel":"trades","data":[{"coin":"BTC","px":"1","sz":"1","time":"soon"}]})",
          R"({"channel":"bbo","data":[]})",
          R"({"channel":"bbo","data":{"coin":"BTC","time":1}})",
          R"({"channel":"bbo","data":{"coin":"BTC","time":1,"bbo":[null]}})",
          R"({"channel":"bbo","data":{"coin":"BTC","time":1,"bbo":[5,null]}})",
          R"({"channel":"bbo","data":{"coin":"BTC","time":1,"bbo":[{"sz":"1"},null]}})",
          R"({"channel":"bbo","data":{"time":1,"bbo":[{"px":"1"},{"px":"2"}]}})",
          R"({"channel":"bbo","data":{"coin":"BTC","time":1,"bbo":[{"px":"x"},{"px":"2"}]}})",
          R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[]]}})",
          R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[["1","2"]],[]]}})",
          R"({"data":"x","channel":"trades"})",
          R"({"channel":"trades","data":[{"coin":"BTC","px":"1","sz":"1","time":1})",
          // A second "channel" must not re-label trades already read (as found for Bitget).
          R"({"channel":"trades","data":[{"coin":"BTC","px":"1","sz":"1","time":1}],"channel":"pong"})",
          R"({"channel":"trades","data":[{"coin":"BTC","px":"1","sz":"1","time":1}],"data":[]})",
          // A malformed entry (simdjson must not search it out of order).
          R"({"channel":"trades","data":[{"coin":"BTC""px":"1","sz":"1"}]})",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(HyperliquidParseTest, ABadEntryDropsTheWholeFrame) {
  ParseResult r = Parse(
      R"({"channel":"trades","data":[{"coin":"BTC","px":"1","sz":"1","time":1},{"coin":"BTC","px":"1","sz":"oops","time":1}]})");
  EXPECT_EQ(r.kind, FrameKind::kUnparseable);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(HyperliquidParseTest, InfoEndpointBodies) {
  // POST /info {"type":"l2Book","coin":"BTC"}: the same book object as the l2Book channel.
  ParseResult r = Rest(
      R"({"coin":"BTC","time":1781416960522,"levels":[[{"px":"64400.0","sz":"3.72067","n":41}],[{"px":"64500.0","sz":"2.1","n":12}]]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "BTC");
  EXPECT_EQ(ticks[0].bid, (Decimal{644, 2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{645, 2}));
  r = Rest("null");  // the market does not exist
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_FALSE(r.detail.empty());
  // {"type":"allMids"}: mids only.
  EXPECT_EQ(Rest(R"({"APE":"4.33245","ARB":"1.21695","BTC":"64412.5","@107":"40.1"})").kind,
            FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
  for (const char* bad :
       {"", "[]", "{}", R"({"coin":"BTC","time":1})",
        R"({"coin":"BTC","time":1,"levels":[[{"px":"x"}],[{"px":"1"}]]})", R"({"BTC":1})"}) {
    r = Rest(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST(HyperliquidSymbols, CoinsAndSubscriptions) {
  EXPECT_EQ(HyperliquidSpotCoin(107), "@107");
  auto msgs = HyperliquidSubscribeMessages({"trades", "bbo"}, {"BTC", "PURR/USDC"});
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0], R"({"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}})");
  EXPECT_EQ(msgs[1], R"({"method":"subscribe","subscription":{"type":"bbo","coin":"BTC"}})");
  EXPECT_EQ(msgs[3], R"({"method":"subscribe","subscription":{"type":"bbo","coin":"PURR/USDC"}})");
  EXPECT_EQ(HyperliquidSubscribeMessages({"trades"}, {"a\"b"})[0],
            R"({"method":"subscribe","subscription":{"type":"trades","coin":"a\"b"}})");
}

TEST(HyperliquidProtocol, ConnectSubscribeAndKeepAlive) {
  auto p = MakeHyperliquidProtocol();
  EXPECT_EQ(p->WebSocketUrl({"BTC"}), "wss://api.hyperliquid.xyz/ws");
  auto msgs = p->SubscribeMessages({"BTC"});
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0], R"({"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}})");
  EXPECT_EQ(msgs[1], R"({"method":"subscribe","subscription":{"type":"bbo","coin":"BTC"}})");
  EXPECT_EQ(p->ClientPing(1), R"({"method":"ping"})");
  EXPECT_GT(p->ClientPingInterval(), 0);
  EXPECT_LT(p->ClientPingInterval(), 60 * kNanosPerSecond);  // idle connections close at 60 s
  EXPECT_GT(p->SilenceLimit(), p->ClientPingInterval());     // a quiet coin still has its pongs
  TickBuffer ticks;
  EXPECT_EQ(p->Parse(R"({"channel":"pong"})", &ticks).kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(p->RestTickerUrl({"BTC"}).empty());  // the info endpoint is POST-only
  EXPECT_TRUE(p->BootstrapUrl().empty());
  EXPECT_EQ(p->ConnectionLifetime(), 0);
}

// Every Hyperliquid fixture frame parses or is classified.
TEST(HyperliquidConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"hyperliquid/ws_activeAssetCtx.btcref_2026-06-14.jsonl", {K::kIgnored}},
      {"hyperliquid/ws_l2Book.btcref_2026-06-14.jsonl", data, false, 1},
      {"hyperliquid/ws_subscriptionResponse.btcref_2026-06-14.jsonl", {K::kAck}},
      {"hyperliquid/ws_trades.btcref_2026-06-14.jsonl", data, false, 1},
  };
  HyperliquidParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/hyperliquid/testdata";
  for (const FixtureCase& c : cases) {
    testing::RunFixtureCase(
        c,
        [&](std::string_view f, TickBuffer* out) {
          return c.rest ? parser.ParseRestTicker(f, out) : parser.Parse(f, out);
        },
        golden);
  }
}

}  // namespace
}  // namespace oracle::feeds
