// Bitfinex parser: documented frames (unit), every fixture frame (conformance), symbols and
// protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/bitfinex/bitfinex_adapter.h"
#include "feeds/bitfinex/bitfinex_parse.h"
#include "feeds/bitfinex/bitfinex_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

constexpr std::string_view kInfo =
    R"({"event":"info","version":2,"serverId":"f1d7d3a8-1dc1-4a1b-9b5f-3a9d3c8d9e0f","platform":{"status":1}})";
constexpr std::string_view kSubscribedTrades =
    R"({"event":"subscribed","channel":"trades","chanId":17470,"symbol":"tBTCUSD","pair":"BTCUSD"})";
constexpr std::string_view kSubscribedTicker =
    R"({"event":"subscribed","channel":"ticker","chanId":17471,"symbol":"tUSTUSD","pair":"USTUSD"})";

class BitfinexParseTest : public ::testing::Test {
 protected:
  BitfinexParser parser;
  TickBuffer ticks;
  ParseResult Parse(std::string_view frame) {
    ticks.Clear();
    return parser.Parse(frame, &ticks);
  }
  ParseResult Rest(std::string_view body) {
    ticks.Clear();
    return parser.ParseRestTicker(body, &ticks);
  }
  void Subscribe() {
    ASSERT_EQ(Parse(kInfo).kind, FrameKind::kIgnored);
    ASSERT_EQ(Parse(kSubscribedTrades).kind, FrameKind::kAck);
    ASSERT_EQ(Parse(kSubscribedTicker).kind, FrameKind::kAck);
  }
};

TEST_F(BitfinexParseTest, SubscribedEventsMapChannelIds) {
  ParseResult r = Parse(kSubscribedTrades);
  EXPECT_EQ(r.kind, FrameKind::kAck);
  EXPECT_EQ(r.detail, "trades");
  EXPECT_EQ(parser.mapped_channels(), 1u);
  r = Parse(R"({"event":"unsubscribed","status":"OK","chanId":17470})");
  EXPECT_EQ(r.kind, FrameKind::kAck);
  EXPECT_EQ(parser.mapped_channels(), 0u);
  // Frames of a CHAN_ID the parser was not told about are not ticks of any symbol.
  r = Parse(R"([17470,[[401597393,1574694475039,0.005,7244.9]]])");
  EXPECT_EQ(r.kind, FrameKind::kIgnored);
  EXPECT_EQ(r.detail, "data for an unknown CHAN_ID");
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BitfinexParseTest, TradesSnapshotFromTheDocs) {
  Subscribe();
  ParseResult r = Parse(R"([17470,[[401597393,1574694475039,0.005,7244.9]]])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "tBTCUSD");
  EXPECT_EQ(ticks[0].price, (Decimal{72449, -1}));
  EXPECT_EQ(ticks[0].size, (Decimal{5, -3}));
  EXPECT_EQ(ticks[0].event_time, 1574694475039LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 401597393u);
  // An empty snapshot is data without ticks.
  EXPECT_EQ(Parse("[17470,[]]").kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BitfinexParseTest, SellAmountsAreNegativeAndSizesAbsolute) {
  Subscribe();
  ParseResult r = Parse(
      R"([17470,[[1936037547,1781416434609,0.00000064,64256],[1936037537,1781416422248,-0.0002,64243],[1,1781416422249,-1e-8,64243.5]]])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[0].size, (Decimal{64, -8}));
  EXPECT_EQ(ticks[1].size, (Decimal{2, -4}));
  EXPECT_EQ(ticks[1].price, (Decimal{64243, 0}));
  EXPECT_EQ(ticks[2].size, (Decimal{1, -8}));
  EXPECT_EQ(ticks[2].price, (Decimal{642435, -1}));
}

TEST_F(BitfinexParseTest, OnlyTradeExecutedUpdatesGiveTicks) {
  Subscribe();
  ParseResult r = Parse(R"([17470,"te",[401597395,1574694478808,-0.005,7245.3]])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "tBTCUSD");
  EXPECT_EQ(ticks[0].price, (Decimal{72453, -1}));
  EXPECT_EQ(ticks[0].size, (Decimal{5, -3}));
  EXPECT_EQ(ticks[0].event_time, 1574694478808LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 401597395u);
  // "tu" repeats the same trade once it is written: not counted twice.
  r = Parse(R"([17470,"tu",[401597395,1574694478808,-0.005,7245.3]])");
  EXPECT_EQ(r.kind, FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
  // With sequencing (conf flag SEQ_ALL) a sequence number follows the trade.
  r = Parse(R"([17470,"te",[401597396,1574694478809,0.1,7245.4],1234])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  EXPECT_EQ(ticks.size(), 1u);
}

TEST_F(BitfinexParseTest, TickerIsAQuoteWithoutEventTime) {
  Subscribe();
  ParseResult r =
      Parse(R"([17471,[0.9998,1000,0.9999,2000,0.0001,0.0001,0.99985,12345.6,1.0002,0.999]])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "tUSTUSD");
  EXPECT_EQ(ticks[0].bid, (Decimal{9998, -4}));
  EXPECT_EQ(ticks[0].ask, (Decimal{9999, -4}));
  EXPECT_EQ(ticks[0].event_time, 0);
  // Fields appended after the documented ten, and null fields, are fine.
  r = Parse(R"([17471,[7244.9,12.3,7245,4.5,null,null,7245,1,2,3,99]])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{72449, -1}));
  // A side without orders (null or 0) gives no quote.
  EXPECT_EQ(Parse(R"([17471,[null,0,7245,4.5,0,0,0,0,0,0]])").kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
  EXPECT_EQ(Parse(R"([17471,[0,0,7245,4.5,0,0,0,0,0,0]])").kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BitfinexParseTest, HeartbeatsAndPong) {
  Subscribe();
  EXPECT_EQ(Parse(R"([17470,"hb"])").kind, FrameKind::kHeartbeat);
  EXPECT_EQ(Parse(R"([99999,"hb"])").kind, FrameKind::kHeartbeat);  // any channel
  ParseResult r = Parse(R"({"event":"pong","ts":1511545528111,"cid":1234})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(r.reply.empty());
  EXPECT_EQ(Parse(R"({"event":"ping","cid":1234})").kind, FrameKind::kIgnored);  // our own
}

TEST_F(BitfinexParseTest, InfoEventsAnnounceReconnectsAndMaintenance) {
  ParseResult r =
      Parse(R"({"event":"info","code":20051,"msg":"Stopping. Please try to reconnect"})");
  EXPECT_EQ(r.kind, FrameKind::kReconnect);
  EXPECT_EQ(r.detail, "Stopping. Please try to reconnect");
  r = Parse(R"({"event":"info","code":20051})");
  EXPECT_EQ(r.kind, FrameKind::kReconnect);
  EXPECT_FALSE(r.detail.empty());
  r = Parse(
      R"({"event":"info","code":20060,"msg":"Entering in Maintenance mode. Please pause any activity and resume after receiving the info message 20061 (it should take 120 seconds at most)."})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail.substr(0, 29), "Entering in Maintenance mode.");
  // Maintenance over: Bitfinex advises subscribing again, which a new connection does.
  r = Parse(
      R"({"event":"info","code":"20061","msg":"Maintenance ended. You can resume normal activity. It is advised to unsubscribe/subscribe again all channels."})");
  EXPECT_EQ(r.kind, FrameKind::kReconnect);
  EXPECT_EQ(Parse(R"({"event":"info","code":5000,"msg":"info"})").kind, FrameKind::kIgnored);
  r = Parse(R"({"event":"info","version":2,"platform":{"status":0}})");
  EXPECT_EQ(r.kind, FrameKind::kIgnored);
  EXPECT_EQ(r.detail, "info: platform in maintenance");
}

TEST_F(BitfinexParseTest, AReplacementConnectionKeepsTheMapOfTheOneItReplaces) {
  Subscribe();  // connection 1: 17470 trades tBTCUSD, 17471 ticker tUSTUSD
  // Connection 2 opens while connection 1 still delivers.
  ASSERT_EQ(Parse(kInfo).kind, FrameKind::kIgnored);
  ASSERT_EQ(
      Parse(
          R"({"event":"subscribed","channel":"trades","chanId":856834,"symbol":"tBTCUSD","pair":"BTCUSD"})")
          .kind,
      FrameKind::kAck);
  EXPECT_EQ(Parse(R"([17470,"te",[1,2,0.1,3]])").kind, FrameKind::kData);  // connection 1
  EXPECT_EQ(ticks.size(), 1u);
  EXPECT_EQ(Parse(R"([856834,"te",[1,2,0.1,3]])").kind, FrameKind::kData);  // connection 2
  EXPECT_EQ(ticks.size(), 1u);
  EXPECT_EQ(parser.mapped_channels(), 3u);
  // Connection 3: connection 1's channels are forgotten, connection 2's kept.
  ASSERT_EQ(Parse(kInfo).kind, FrameKind::kIgnored);
  EXPECT_EQ(parser.mapped_channels(), 1u);
  EXPECT_EQ(Parse(R"([17470,"te",[1,2,0.1,3]])").kind, FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"([856834,"te",[1,2,0.1,3]])").kind, FrameKind::kData);
  // A CHAN_ID subscribed again takes its new channel.
  ASSERT_EQ(
      Parse(
          R"({"event":"subscribed","channel":"ticker","chanId":856834,"symbol":"tETHUSD","pair":"ETHUSD"})")
          .kind,
      FrameKind::kAck);
  EXPECT_EQ(Parse(R"([856834,[1,1,2,1,0,0,0,0,0,0]])").kind, FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "tETHUSD");
}

TEST_F(BitfinexParseTest, TheMapIsBounded) {
  for (int i = 0; i < 1000; ++i) {
    const std::string frame = R"({"event":"subscribed","channel":"trades","chanId":)" +
                              std::to_string(i) + R"(,"symbol":"tBTCUSD"})";
    ASSERT_EQ(Parse(frame).kind, FrameKind::kAck);
  }
  EXPECT_LE(parser.mapped_channels(), 128u);
  EXPECT_EQ(Parse(R"([999,"te",[1,2,0.1,3]])").kind, FrameKind::kData);   // the newest is kept
  EXPECT_EQ(Parse(R"([0,"te",[1,2,0.1,3]])").kind, FrameKind::kIgnored);  // the oldest dropped
}

TEST_F(BitfinexParseTest, ChannelsAndSymbolsTheOracleDoesNotUseAreIgnored) {
  ASSERT_EQ(
      Parse(
          R"({"event":"subscribed","channel":"book","chanId":1,"symbol":"tBTCUSD","prec":"P0","freq":"F0","len":"25","pair":"BTCUSD"})")
          .kind,
      FrameKind::kAck);
  EXPECT_EQ(Parse(R"([1,[[7254.7,3,3.3],[7254.6,2,1.1]]])").kind, FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"([1,"cs",-1234567])").kind, FrameKind::kIgnored);
  ASSERT_EQ(
      Parse(
          R"({"event":"subscribed","channel":"trades","chanId":339521,"symbol":"fUSD","currency":"USD"})")
          .kind,
      FrameKind::kAck);
  EXPECT_EQ(Parse(R"([339521,[[133323072,1574694245478,-59.84,0.00023647,2]]])").kind,
            FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"([339521,"fte",[133323543,1574694605000,-59.84,0.00023647,2]])").kind,
            FrameKind::kIgnored);
  ASSERT_EQ(
      Parse(R"({"event":"subscribed","channel":"candles","chanId":2,"key":"trade:1m:tBTCUSD"})")
          .kind,
      FrameKind::kAck);
  EXPECT_EQ(Parse(R"([2,[1574698260000,7379.785503,7383.8,7388.3,7379.785503,1.68829482]])").kind,
            FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BitfinexParseTest, ErrorsAndConfigurationReplies) {
  ParseResult r = Parse(
      R"({"channel":"trades","symbol":"tNOSUCH","event":"error","msg":"symbol: invalid","code":10300,"pair":"NOSUCH"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "symbol: invalid");
  r = Parse(R"({"event":"error","code":10305})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "10305");
  EXPECT_EQ(Parse(R"({"event":"conf","status":"OK","flags":32768})").kind, FrameKind::kAck);
  EXPECT_EQ(Parse(R"({"event":"conf","status":"ERROR","flags":1})").kind, FrameKind::kError);
  EXPECT_EQ(Parse(R"({"event":"subscribe","channel":"trades","symbol":"tBTCUSD"})").kind,
            FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"({"event":"conf","flags":32768})").kind, FrameKind::kIgnored);
}

TEST_F(BitfinexParseTest, BrokenFramesAreUnparseableWithAReason) {
  Subscribe();
  for (const char* bad : {
           "",
           "not json",
           "5",
           "\"hb\"",
           "[]",
           "[17470]",
           R"(["17470","hb"])",
           R"([-1,"hb"])",
           R"([1.5,"hb"])",
           R"([17470,5])",
           R"([17470,{}])",
           R"({"foo":1})",
           R"({"event":5})",
           R"({"event":"info","platform":5})",
           R"({"event":"subscribed","channel":"trades","symbol":"tBTCUSD"})",
           R"({"event":"subscribed","channel":"trades","chanId":"x","symbol":"tBTCUSD"})",
           R"([17470,"te"])",
           R"([17470,"te",5])",
           R"([17470,"te",[1,2,3]])",
           R"([17470,"te",[1,2,0.1,0]])",
           R"([17470,"te",[1,2,0.1,"x"]])",
           R"([17470,"te",[1,"soon",0.1,3]])",
           R"([17470,"te",[1,2,"x",3]])",
           R"([17470,"te",[1,2,0.1,1e400]])",
           R"([17470,[5]])",
           R"([17470,[[1,2,0.1,3],[1,2,0.1,-3]]])",
           R"([17471,[1,2]])",
           R"([17471,["x",1,2,1]])",
           R"([17471,[{},1,2,1]])",
           R"([17471,[1,1,true,1]])",
           R"([17470,[[1,2,0.1,3]])",
       }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(BitfinexParseTest, RestTickers) {
  // /v2/tickers?symbols=tBTCUSD,fUSD,tUSTUSD: trading pairs [SYMBOL, BID, BID_SIZE, ASK, ..],
  // funding currencies [SYMBOL, FRR, BID, BID_PERIOD, ..] (skipped).
  ParseResult r = Rest(
      R"([["tBTCUSD",10645,73.93854271,10647,75.22266119,731.60645389,0.0738,10644.00645389,14480.89849423,10766,9889.1449809],["fUSD",0.0003447013698630137,0.000316,30,1664125.51106868,0.000314,2,178414.70699106,0.00000733,0.0232,0.000314,223914428.60133,0.00037,0.0000008,null,null,3296548.99068064],["tUSTUSD",0.99982,1000,0.99986,2000,0,0,0.99985,1,1,1]])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "tBTCUSD");
  EXPECT_EQ(ticks[0].bid, (Decimal{10645, 0}));
  EXPECT_EQ(ticks[0].ask, (Decimal{10647, 0}));
  EXPECT_EQ(ticks[0].event_time, 0);
  EXPECT_EQ(ticks[1].symbol, "tUSTUSD");
  EXPECT_EQ(ticks[1].bid, (Decimal{99982, -5}));
  EXPECT_EQ(ticks[1].ask, (Decimal{99986, -5}));
  EXPECT_EQ(Rest("[]").kind, FrameKind::kData);  // no such symbols
  EXPECT_EQ(ticks.size(), 0u);

  r = Rest(R"(["error",10020,"symbol: invalid"])");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "symbol: invalid");
  r = Rest(R"({"error":"ERR_RATE_LIMIT"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "ERR_RATE_LIMIT");
  for (const char* bad : {"", "5", R"({"a":1})", R"(["x"])", R"([5])", R"([[5,1,1,1]])",
                          R"([["tBTCUSD",1]])", R"([["tBTCUSD","x",1,1]])",
                          R"([["tBTCUSD",1,1,2],["tETHUSD",{},1,1]])", R"([["tBTCUSD",1,1,2])"}) {
    r = Rest(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST(BitfinexSymbols, SymbolsSubscriptionsAndUrls) {
  EXPECT_EQ(BitfinexTradingSymbol("BTC", "USD"), "tBTCUSD");
  EXPECT_EQ(BitfinexTradingSymbol("usdt", "usd"), "tUSTUSD");  // Bitfinex's code for USDt
  EXPECT_EQ(BitfinexTradingSymbol("USDC", "USD"), "tUDCUSD");
  EXPECT_EQ(BitfinexTradingSymbol("BTC", "USDT"), "tBTCUST");
  EXPECT_EQ(BitfinexTradingSymbol("DOGE", "USD"), "tDOGE:USD");
  EXPECT_TRUE(BitfinexIsTradingSymbol("tBTCUSD"));
  EXPECT_FALSE(BitfinexIsTradingSymbol("fUSD"));
  EXPECT_FALSE(BitfinexIsTradingSymbol("t"));
  auto msgs = BitfinexSubscribeMessages({"trades", "ticker"}, {"tBTCUSD", "tUSTUSD"});
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0], R"({"event":"subscribe","channel":"trades","symbol":"tBTCUSD"})");
  EXPECT_EQ(msgs[1], R"({"event":"subscribe","channel":"ticker","symbol":"tBTCUSD"})");
  EXPECT_EQ(msgs[3], R"({"event":"subscribe","channel":"ticker","symbol":"tUSTUSD"})");
  EXPECT_EQ(BitfinexRestTickersUrl({"tBTCUSD", "tUSTUSD"}),
            "https://api-pub.bitfinex.com/v2/tickers?symbols=tBTCUSD,tUSTUSD");
}

TEST(BitfinexProtocol, ConnectSubscribeAndKeepAlive) {
  auto p = MakeBitfinexProtocol();
  EXPECT_EQ(p->WebSocketUrl({"tBTCUSD"}), "wss://api-pub.bitfinex.com/ws/2");
  EXPECT_FALSE(p->BinaryFramesAreCompressed());
  auto msgs = p->SubscribeMessages({"tUSTUSD"});
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0], R"({"event":"subscribe","channel":"trades","symbol":"tUSTUSD"})");
  EXPECT_EQ(msgs[1], R"({"event":"subscribe","channel":"ticker","symbol":"tUSTUSD"})");
  EXPECT_TRUE(p->ClientPing(1).empty());
  EXPECT_EQ(p->ClientPingInterval(), 0);
  EXPECT_GT(p->SilenceLimit(), 15 * kNanosPerSecond);  // heartbeats come every 15 s
  TickBuffer ticks;
  EXPECT_EQ(p->Parse(kSubscribedTicker, &ticks).kind, FrameKind::kAck);
  EXPECT_EQ(p->Parse(R"([17471,[1,1,2,1,0,0,0,0,0,0]])", &ticks).kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 1u);
  EXPECT_FALSE(p->RestTickerPerSymbol());
  EXPECT_EQ(p->RestTickerUrl({"tBTCUSD", "tUSTUSD"}),
            "https://api-pub.bitfinex.com/v2/tickers?symbols=tBTCUSD,tUSTUSD");
  EXPECT_TRUE(p->BootstrapUrl().empty());
}

// Every Bitfinex fixture frame parses or is classified. One parser reads the files in capture
// order: the "subscribed" event maps the CHAN_ID that the snapshot uses.
TEST(BitfinexConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::vector<FixtureCase> cases = {
      {"bitfinex/ws_trades_subscribed.btcref_2026-06-14.jsonl", {K::kAck}},
      {"bitfinex/ws_trades_snapshot.btcref_2026-06-14.jsonl", {K::kData}, false, 3},
  };
  BitfinexParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/bitfinex/testdata";
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
