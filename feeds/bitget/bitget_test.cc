// Bitget parser: documented frames (unit), every fixture frame (conformance), symbols and
// protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/bitget/bitget_adapter.h"
#include "feeds/bitget/bitget_parse.h"
#include "feeds/bitget/bitget_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class BitgetParseTest : public ::testing::Test {
 protected:
  BitgetParser parser;
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

TEST_F(BitgetParseTest, V2TradeFromTheDocs) {
  // The v2 spot "Trading Channel" push example: ts/price/size/tradeId are strings.
  ParseResult r = Parse(
      R"({"action":"snapshot","arg":{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"},"data":[{"ts":"1695709835822","price":"26293.4","size":"0.0013","side":"buy","tradeId":"1000000000"}],"ts":1695711090682})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
  EXPECT_EQ(ticks[0].price, (Decimal{262934, -1}));
  EXPECT_EQ(ticks[0].size, (Decimal{13, -4}));
  EXPECT_EQ(ticks[0].event_time,
            1695709835822LL * kNanosPerMilli);  // the trade's ts, not the push's
  EXPECT_EQ(ticks[0].sequence, 1000000000u);
}

TEST_F(BitgetParseTest, TradeIdsBeyond64BitsAreNotKept) {
  ASSERT_EQ(
      Parse(
          R"({"action":"update","arg":{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"},"data":[{"ts":"1","price":"2","size":"3","side":"sell","tradeId":"123456789012345678901234567890"}],"ts":1})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].sequence, 0u);
}

TEST_F(BitgetParseTest, V2BooksFromTheDocsGiveAQuoteFromTheFirstLevels) {
  // The v2 "Depth Channel" example (books5; books1 has the same shape with one level per side).
  ParseResult r = Parse(
      R"({"action":"snapshot","arg":{"instType":"SPOT","channel":"books5","instId":"BTCUSDT"},"data":[{"asks":[["26274.9","0.0009"],["26275.0","0.0500"]],"bids":[["26274.8","0.0009"],["26274.7","0.0027"]],"seq":123,"ts":"1695710946294"}],"ts":1695710946294})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{262748, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{262749, -1}));
  EXPECT_EQ(ticks[0].event_time, 1695710946294LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 123u);
  EXPECT_EQ(ticks[0].prev_sequence, 0u);
}

TEST_F(BitgetParseTest, Books1WithoutSeq) {
  ParseResult r = Parse(
      R"({"action":"snapshot","arg":{"instType":"SPOT","channel":"books1","instId":"BTCUSDC"},"data":[{"asks":[["72377.25","0.00408"]],"bids":[["72354.67","1.16460"]],"checksum":0,"ts":"1730332859984"}],"ts":1730332859985})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{7235467, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{7237725, -2}));
  EXPECT_EQ(ticks[0].event_time, 1730332859984LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 0u);
}

TEST_F(BitgetParseTest, BookSideWithoutLevelsGivesNoQuote) {
  ParseResult r = Parse(
      R"({"action":"snapshot","arg":{"instType":"SPOT","channel":"books1","instId":"BTCUSDT"},"data":[{"asks":[],"bids":[["1","1"]],"ts":"1"}],"ts":1})");
  EXPECT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BitgetParseTest, V3PublicTradeAndBooks1) {
  // UTA (v3) shapes: arg.topic/arg.symbol, short member names.
  ParseResult r = Parse(
      R"({"action":"update","arg":{"instType":"spot","topic":"publicTrade","symbol":"BTCUSDT"},"data":[{"i":"1432912488536195072","p":"76671.22","v":"0.001367","S":"sell","T":"1777358880170","L":"1432912488536195073","isRPI":"no"}],"ts":1777358880172})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
  EXPECT_EQ(ticks[0].price, (Decimal{7667122, -2}));
  EXPECT_EQ(ticks[0].size, (Decimal{1367, -6}));
  EXPECT_EQ(ticks[0].event_time, 1777358880170LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 1432912488536195072u);

  r = Parse(
      R"({"action":"snapshot","arg":{"instType":"spot","topic":"books1","symbol":"BTCUSDT"},"data":[{"a":[["76671.23","0.41581"]],"b":[["76671.22","0.531211"]],"checksum":0,"seq":451057506670,"pseq":0,"ts":"1777358880105"}],"ts":1777358880106})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].bid, (Decimal{7667122, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{7667123, -2}));
  EXPECT_EQ(ticks[0].event_time, 1777358880105LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 451057506670u);
}

TEST_F(BitgetParseTest, V1TradesAreArrays) {
  ParseResult r = Parse(
      R"({"action":"snapshot","arg":{"instType":"mc","channel":"trade","instId":"DASHUSDT"},"data":[["1649290076980","113.37","0.49","sell"],["1649290074399","113.4","0.94","sell"]]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].symbol, "DASHUSDT");
  EXPECT_EQ(ticks[0].price, (Decimal{11337, -2}));
  EXPECT_EQ(ticks[0].size, (Decimal{49, -2}));
  EXPECT_EQ(ticks[0].event_time, 1649290076980LL * kNanosPerMilli);
  EXPECT_EQ(ticks[1].price, (Decimal{1134, -1}));
}

TEST_F(BitgetParseTest, EntryWithoutTimeTakesThePushTime) {
  ASSERT_EQ(
      Parse(
          R"({"action":"update","arg":{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"},"data":[{"price":"2","size":"1"}],"ts":1730332858805})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].event_time, 1730332858805LL * kNanosPerMilli);
}

TEST_F(BitgetParseTest, KeysInAnyOrder) {
  ASSERT_EQ(
      Parse(
          R"({"ts":5,"data":[{"size":"1","price":"2","ts":"5"}],"arg":{"instId":"BTCUSDT","channel":"trade","instType":"SPOT"},"action":"update"})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].price, (Decimal{2, 0}));
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
}

TEST_F(BitgetParseTest, KeepaliveIsPlainText) {
  EXPECT_EQ(Parse("pong").kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(Parse("pong").reply.empty());            // nothing to answer: the client pinged
  EXPECT_EQ(Parse("ping").kind, FrameKind::kIgnored);  // our own ping, in a two-way capture
}

TEST_F(BitgetParseTest, ControlEventsAreClassified) {
  ParseResult r = Parse(
      R"({"event":"subscribe","arg":{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"}})");
  EXPECT_EQ(r.kind, FrameKind::kAck);
  EXPECT_EQ(
      Parse(
          R"({"event":"unsubscribe","arg":{"instType":"SPOT","channel":"books1","instId":"BTCUSDT"}})")
          .kind,
      FrameKind::kAck);
  // Errors as the servers send them: code as a JSON number (the docs show a string).
  r = Parse(
      R"({"event":"error","code":30001,"msg":"instType:sp,channel:candleundefined,instId:BTCUSDT doesn't exist"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "instType:sp,channel:candleundefined,instId:BTCUSDT doesn't exist");
  r = Parse(R"({"event":"error","code":"30006","msg":"request too many"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "request too many");
  // An error echoing an incomplete arg (shape not documented: robustness) is still an error.
  r = Parse(
      R"({"event":"error","arg":{"instType":"SPOT","instId":"BTCUSDT"},"code":30016,"msg":"Param error"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Param error");
  r = Parse(R"({"event":"error","code":30016})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "30016");
  EXPECT_EQ(
      Parse(R"({"op":"subscribe","args":[{"instType":"SP","channel":"books","instId":"EOSUSDT"}]})")
          .kind,
      FrameKind::kIgnored);
}

TEST_F(BitgetParseTest, ChannelsTheOracleDoesNotUseAreIgnored) {
  EXPECT_EQ(
      Parse(
          R"({"action":"snapshot","arg":{"instType":"sp","channel":"ticker","instId":"EOSUSDT"},"data":[{"instId":"EOSUSDT","last":"2.4383","bestBid":"2.436700","bestAsk":"2.440900","ts":1649290076034}]})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
  // "books" is incremental after its first push.
  EXPECT_EQ(
      Parse(
          R"({"action":"update","arg":{"instType":"SPOT","channel":"books","instId":"BTCUSDT"},"data":[{"asks":[["1","0"]],"bids":[],"checksum":0,"seq":5,"ts":"1"}],"ts":1})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(
          R"({"action":"update","arg":{"instType":"SPOT","channel":"candle1m","instId":"BTCUSDT"},"data":[["1695685500000","27000","27000.5","27000","27000.5","0.057","1539.0155","1539.0155"]],"ts":1695715462250})")
          .kind,
      FrameKind::kIgnored);
}

TEST_F(BitgetParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "pon",
          "not json",
          "[1,2]",
          "\"pong\"",
          R"({"foo":1})",
          R"({"event":5})",
          R"({"arg":"trade","data":[]})",
          R"({"arg":{"instId":"BTCUSDT"},"data":[]})",
          R"({"arg":{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"}})",
          R"({"arg":{"instType":"SPOT","channel":"trade"},"data":[{"price":"1","size":"1","ts":"1"}]})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":{}})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[5]})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[{"price":"abc","size":"1","ts":"1"}]})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[{"price":"1","ts":"1"}]})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[{"price":"0","size":"1","ts":"1"}]})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[{"price":"1","size":"-1","ts":"1"}]})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[{"price":"1","size":"1","ts":"soon"}]})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[{"price":"1","size":"1"}],"ts":"x"})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[["1","2"]]})",
          R"({"arg":{"channel":"books1","instId":"BTCUSDT"},"data":[["1","2","3"]]})",
          R"({"arg":{"channel":"books1","instId":"BTCUSDT"},"data":[{"asks":"1","bids":[],"ts":"1"}]})",
          R"({"arg":{"channel":"books1","instId":"BTCUSDT"},"data":[{"asks":[[]],"bids":[],"ts":"1"}]})",
          R"({"arg":{"channel":"books1","instId":"BTCUSDT"},"data":[{"asks":[["x","1"]],"bids":[["1","1"]],"ts":"1"}]})",
          R"({"data":{},"arg":{"channel":"trade","instId":"BTCUSDT"}})",
          R"({"arg":{"channel":"trade","instId":"BTCUSDT"},"data":[{"price":"1","size":"1","ts":"1"})",
          // Found by fuzzing: a second "arg" re-labelled trades already read as an ignored channel.
          R"({"arg":{"channel":"trade","instId":"DA"},"data":[["1","2","3","sell"]],"arg":{"topic":"publicyrade","symbol":"B"},"data":61})",
          R"({"arg":{"channel":"trade","instId":"DA"},"data":[["1","2","3","sell"]],"data":[["1","2","3","sell"]]})",
          // A malformed "arg" (simdjson must not search it out of order).
          R"({"arg":{"channel":"trade","instId":"BTCUSDT""6","size":"1.21","side":"buy","ts":"1652459235575"}]})",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(BitgetParseTest, ABadEntryDropsTheWholeFrame) {
  ParseResult r = Parse(
      R"({"action":"update","arg":{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"},"data":[{"price":"1","size":"1","ts":"1"},{"price":"1","size":"oops","ts":"1"}]})");
  EXPECT_EQ(r.kind, FrameKind::kUnparseable);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BitgetParseTest, RestTicker) {
  ParseResult r = Rest(
      R"({"code":"00000","msg":"success","requestTime":1695808949356,"data":[{"symbol":"BTCUSDT","high24h":"37775.65","open":"35134.2","low24h":"34413.1","lastPr":"34413.1","quoteVolume":"0","baseVolume":"0","usdtVolume":"0","bidPr":"34413.0","askPr":"34413.1","bidSz":"0.0663","askSz":"0.0119","openUtc":"23856.72","ts":"1625125755277","changeUtc24h":"0.00301","change24h":"0.00069"}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{34413, 0}));
  EXPECT_EQ(ticks[0].ask, (Decimal{344131, -1}));
  EXPECT_EQ(ticks[0].event_time, 1625125755277LL * kNanosPerMilli);
  // The docs' own example carries bidPr/askPr "0": no quote.
  r = Rest(
      R"({"code":"00000","msg":"success","requestTime":1695808949356,"data":[{"symbol":"BTCUSDT","lastPr":"34413.1","bidPr":"0","askPr":"0","bidSz":"0.0663","askSz":"0.0119","ts":"1625125755277"}]})");
  EXPECT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
  // An unknown symbol, as reported from the live API (HTTP 400 with this body).
  r = Rest(
      R"({"code":"40034","msg":"Parameter NOPEUSDT does not exist","requestTime":1790133421135,"data":null})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Parameter NOPEUSDT does not exist");
  for (const char* bad :
       {"", "[]", R"({"code":"00000","msg":"success"})", R"({"code":"00000","data":{}})",
        R"({"code":"00000","data":[{"symbol":"BTCUSDT","lastPr":"1"}]})",
        R"({"code":"00000","data":[{"symbol":"BTCUSDT","bidPr":"x","askPr":"1"}]})",
        R"({"code":"00000","data":[{"bidPr":"1","askPr":"2"}]})"}) {
    r = Rest(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST(BitgetSymbols, SymbolsSubscriptionsAndUrls) {
  EXPECT_EQ(BitgetSpotSymbol("BTC", "USDT"), "BTCUSDT");
  auto msgs = BitgetSubscribeMessages({"trade", "books1"}, {"BTCUSDT", "ETHUSDT"}, "SPOT", 3);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(
      msgs[0],
      R"({"op":"subscribe","args":[{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"},{"instType":"SPOT","channel":"books1","instId":"BTCUSDT"},{"instType":"SPOT","channel":"trade","instId":"ETHUSDT"}]})");
  EXPECT_EQ(
      msgs[1],
      R"({"op":"subscribe","args":[{"instType":"SPOT","channel":"books1","instId":"ETHUSDT"}]})");
  EXPECT_EQ(BitgetSubscribeMessages({"trade", "books1"}, {"BTCUSDT", "ETHUSDT"}).size(), 1u);
  EXPECT_EQ(BitgetRestTickerUrl({"BTCUSDT"}),
            "https://api.bitget.com/api/v2/spot/market/tickers?symbol=BTCUSDT");
  EXPECT_EQ(BitgetRestTickerUrl({"BTCUSDT", "ETHUSDT"}),
            "https://api.bitget.com/api/v2/spot/market/tickers");
}

TEST(BitgetProtocol, ConnectSubscribeAndKeepAlive) {
  auto p = MakeBitgetProtocol();
  EXPECT_EQ(p->WebSocketUrl({"BTCUSDT"}), "wss://ws.bitget.com/v2/ws/public");
  auto msgs = p->SubscribeMessages({"BTCUSDT"});
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(
      msgs[0],
      R"({"op":"subscribe","args":[{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"},{"instType":"SPOT","channel":"books1","instId":"BTCUSDT"}]})");
  EXPECT_EQ(p->ClientPing(1), "ping");
  EXPECT_GT(p->ClientPingInterval(), 0);
  EXPECT_LT(p->ClientPingInterval(), 30 * kNanosPerSecond);
  EXPECT_GT(p->SilenceLimit(), p->ClientPingInterval());  // a quiet feed still has its pongs
  EXPECT_EQ(p->ConnectionLifetime(), 24 * 3600 * kNanosPerSecond);
  TickBuffer ticks;
  EXPECT_EQ(p->Parse("pong", &ticks).kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(p->RestTickerPerSymbol());
  EXPECT_EQ(p->RestTickerUrl({"ETHUSDT"}),
            "https://api.bitget.com/api/v2/spot/market/tickers?symbol=ETHUSDT");
  EXPECT_TRUE(p->BootstrapUrl().empty());
  EXPECT_FALSE(p->BinaryFramesAreCompressed());
}

// Every Bitget fixture frame parses or is classified.
TEST(BitgetConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"bitget/v1_mix_subscribe_ack.cryptofeed.jsonl", {K::kAck}},
      {"bitget/v1_mix_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"bitget/v1_mix_ticker_snapshot.cryptofeed.jsonl", {K::kIgnored}},  // ticker: not used
      {"bitget/v1_mix_trade_snapshot.cryptofeed.jsonl", data, false, 100},
      {"bitget/v1_mix_trade_update.cryptofeed.jsonl", data, false, 10},
      {"bitget/v1_spot_subscribe_ack.cryptofeed.jsonl", {K::kAck}},
      {"bitget/v1_spot_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"bitget/v1_spot_ticker_snapshot.cryptofeed.jsonl", {K::kIgnored}},
      {"bitget/v1_spot_trade_snapshot.cryptofeed.jsonl", data, false, 100},
      {"bitget/v1_spot_trade_update.cryptofeed.jsonl", data, false, 10},
      {"bitget/v2_books1.tardis.jsonl", data, false, 1},
      {"bitget/v2_subscribe_ack.tardis.jsonl", {K::kAck}},
      {"bitget/v2_trade.tardis.jsonl", data, false, 3},
      {"bitget/v3_books1_snapshot.tardis.jsonl", data, false, 1},
      {"bitget/v3_publicTrade_snapshot.tardis.jsonl", data, false, 1},
      {"bitget/v3_publicTrade_update.tardis.jsonl", data, false, 1},
  };
  BitgetParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/bitget/testdata";
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
