// Bybit parser: documented frames (unit), every fixture frame (conformance), symbols and protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/bybit/bybit_adapter.h"
#include "feeds/bybit/bybit_parse.h"
#include "feeds/bybit/bybit_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class BybitParseTest : public ::testing::Test {
 protected:
  BybitParser parser;
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

TEST_F(BybitParseTest, PublicTrade) {
  // The v5 docs' publicTrade push (T = fill time, v = size, p = price, seq = cross sequence).
  ParseResult r = Parse(
      R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false,"seq":1783284617}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
  EXPECT_EQ(ticks[0].price, (Decimal{165785, -1}));  // "16578.50"
  EXPECT_EQ(ticks[0].size, (Decimal{1, -3}));
  EXPECT_EQ(ticks[0].event_time, 1672304486865LL * kNanosPerMilli);  // T, not the push ts
  EXPECT_EQ(ticks[0].sequence, 1783284617u);
}

TEST_F(BybitParseTest, SpotTradesWithNumericIdsAndRpi) {
  ParseResult r = Parse(
      R"({"topic":"publicTrade.BTCUSDT","ts":1680652847526,"type":"snapshot","data":[{"i":"2290000000050703789","T":1680652847524,"p":"28165.38","v":"0.041732","S":"Sell","s":"BTCUSDT","BT":false,"RPI":true,"seq":4281281999},{"i":"2290000000050703790","T":1680652847525,"p":"28165.39","v":"0.008513","S":"Sell","s":"BTCUSDT","BT":false,"RPI":false}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].sequence, 4281281999u);
  EXPECT_EQ(ticks[1].price, (Decimal{2816539, -2}));
  EXPECT_EQ(ticks[1].event_time, 1680652847525LL * kNanosPerMilli);
  EXPECT_EQ(ticks[1].sequence, 0u);  // frames before seq existed
}

TEST_F(BybitParseTest, LegacyV2TradesWithNumericPrices) {
  ParseResult r = Parse(
      R"({"topic":"trade.BTCUSD","data":[{"trade_time_ms":1618677786614,"timestamp":"2021-04-17T16:43:06.000Z","symbol":"BTCUSD","side":"Sell","size":4,"price":60621.5,"tick_direction":"PlusTick","trade_id":"5ffb8b77-900c-507d-97a2-0922557ffe54","cross_seq":5938955347}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "BTCUSD");
  EXPECT_EQ(ticks[0].price, (Decimal{606215, -1}));
  EXPECT_EQ(ticks[0].size, (Decimal{4, 0}));
  EXPECT_EQ(ticks[0].event_time, 1618677786614LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 5938955347u);
  ASSERT_EQ(
      Parse(
          R"({"topic":"trade.BCHUSDT","data":[{"symbol":"BCHUSDT","tick_direction":"MinusTick","price":"1053.90","size":0.14,"timestamp":"2021-04-17T16:43:05.000Z","trade_time_ms":"1618677785116","side":"Buy","trade_id":"01cacfe9-8d1c-5ee4-995d-d79a43f955a6"}]})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks[0].size, (Decimal{14, -2}));
  EXPECT_EQ(ticks[0].event_time, 1618677785116LL * kNanosPerMilli);
}

TEST_F(BybitParseTest, OrderbookLevelOneIsMergedPerSymbol) {
  ParseResult r = Parse(
      R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1672304484978,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"]],"a":[["16611.00","0.029"]],"u":18521288,"seq":7961638724},"cts":1672304484976})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{164935, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{16611, 0}));
  EXPECT_EQ(ticks[0].event_time, 1672304484976LL * kNanosPerMilli);  // cts: matching engine
  EXPECT_EQ(ticks[0].sequence, 18521288u);                           // u

  // A delta with an empty side keeps that side; without cts the push time ts is used.
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.BTCUSDT","type":"delta","ts":1672304485000,"data":{"s":"BTCUSDT","b":[["16494.00","1"]],"a":[],"u":18521289,"seq":7961638725}})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{16494, 0}));
  EXPECT_EQ(ticks[0].ask, (Decimal{16611, 0}));
  EXPECT_EQ(ticks[0].event_time, 1672304485000LL * kNanosPerMilli);

  // Delete the old level and insert the new one, in either order.
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.BTCUSDT","type":"delta","ts":1672304485100,"data":{"s":"BTCUSDT","b":[["16494.00","0"],["16490.00","0.777"]],"a":[["16600.00","0.5"],["16611.00","0"]],"u":18521290}})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{1649, 1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{166, 2}));

  // Deleting the bid without a new one leaves no quote until the bid is known again.
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.BTCUSDT","type":"delta","ts":1672304485200,"data":{"s":"BTCUSDT","b":[["16490.00","0"]],"a":[],"u":18521291}})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
  // Deleting a price that is not the level changes nothing.
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.BTCUSDT","type":"delta","ts":1672304485250,"data":{"s":"BTCUSDT","b":[],"a":[["16000.00","0"]],"u":18521292}})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.BTCUSDT","type":"delta","ts":1672304485300,"data":{"s":"BTCUSDT","b":[["16489.00","2"]],"a":[],"u":18521293}})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{16489, 0}));
  EXPECT_EQ(ticks[0].ask, (Decimal{166, 2}));

  // A snapshot ("u"=1 after a service restart too) replaces everything.
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1672304486000,"data":{"s":"BTCUSDT","b":[["17000","1"]],"a":[],"u":1,"seq":1}})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);  // no ask in the snapshot: no quote

  // Other symbols have their own book.
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.ETHUSDT","type":"delta","ts":1,"data":{"s":"ETHUSDT","b":[["1800","1"]],"a":[],"u":5}})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BybitParseTest, KeysInAnyOrder) {
  // Bybit sends topic and type first; frames that do not are read all the same.
  ASSERT_EQ(
      Parse(
          R"({"data":{"s":"XRPUSDT","b":[["0.5","10"]],"a":[["0.51","20"]],"u":9},"cts":1700000000001,"ts":1700000000002,"type":"snapshot","topic":"orderbook.1.XRPUSDT"})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{5, -1}));
  EXPECT_EQ(ticks[0].event_time, 1700000000001LL * kNanosPerMilli);
  ASSERT_EQ(
      Parse(
          R"({"data":[{"v":"2","p":"0.52","s":"XRPUSDT"}],"ts":1700000000003,"topic":"publicTrade.XRPUSDT"})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].event_time, 1700000000003LL * kNanosPerMilli);  // no T: the push time
}

TEST_F(BybitParseTest, DeeperOrderbooksAreIgnored) {
  EXPECT_EQ(
      Parse(
          R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"]],"a":[["30248.70","0"]],"u":177400507,"seq":66544703342},"cts":1687940967464})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"({"topic":"kline.1.BTCUSDT","data":[],"ts":1,"type":"snapshot"})").kind,
            FrameKind::kIgnored);
}

TEST_F(BybitParseTest, LinearTickersMergeDeltasIntoTheSnapshot) {
  ParseResult r = Parse(
      R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","tickDirection":"PlusTick","lastPrice":"17216.00","markPrice":"17217.33","indexPrice":"17227.36","bid1Price":"17215.50","bid1Size":"84.489","ask1Price":"17216.00","ask1Size":"83.020"},"cs":24987956059,"ts":1673272861686})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].bid, (Decimal{172155, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{17216, 0}));
  EXPECT_EQ(ticks[0].event_time, 1673272861686LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 24987956059u);  // cs
  // A delta without bid/ask: the merged quote, as of the delta's time.
  ASSERT_EQ(
      Parse(
          R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","openInterest":"68744.762"},"cs":24987956060,"ts":1673272861786})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{172155, -1}));
  EXPECT_EQ(ticks[0].event_time, 1673272861786LL * kNanosPerMilli);
  // Only the ask changed.
  ASSERT_EQ(
      Parse(
          R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","ask1Price":"17216.50","ask1Size":"1"},"cs":24987956061,"ts":1673272861886})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{172155, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{172165, -1}));
}

TEST_F(BybitParseTest, TickersWithoutBidAskGiveNoQuote) {
  // Spot tickers have no bid/ask at all; a delta before any snapshot gives a quote only if it
  // carries both prices.
  EXPECT_EQ(
      Parse(
          R"({"topic":"tickers.BTCUSDT","ts":1673853746003,"type":"snapshot","cs":2588407389,"data":{"symbol":"BTCUSDT","lastPrice":"21109.77","highPrice24h":"21426.99","lowPrice24h":"20575","prevPrice24h":"20704.93","volume24h":"6780.866843","turnover24h":"141946527.22907118","price24hPcnt":"0.0196","usdIndexPrice":"21120.2400136"}})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
  EXPECT_EQ(
      Parse(
          R"({"topic":"tickers.ETHUSD","type":"delta","data":{"symbol":"ETHUSD","bid1Price":"1800.05"},"cs":1,"ts":2})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BybitParseTest, ThreePongShapesAreHeartbeats) {
  for (
      const char* pong : {
          R"({"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"})",
          R"({"success":true,"ret_msg":"pong","conn_id":"465772b1-7630-4fdc-a492-e003e6f0f260","req_id":"","op":"ping"})",
          R"({"args":["1672916271846"],"op":"pong"})",
          R"({"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"})",
      }) {
    ParseResult r = Parse(pong);
    EXPECT_EQ(r.kind, FrameKind::kHeartbeat) << pong;
    EXPECT_TRUE(r.reply.empty()) << pong;
  }
}

TEST_F(BybitParseTest, RepliesAndRequestsAreClassified) {
  EXPECT_EQ(
      Parse(
          R"({"success":true,"ret_msg":"subscribe","conn_id":"2324d924-aa4d-45b0-a858-7b8be29ab52b","req_id":"10001","op":"subscribe"})")
          .kind,
      FrameKind::kAck);
  EXPECT_EQ(
      Parse(
          R"({"success":true,"ret_msg":"","conn_id":"3cd84cb1-4d06-4a05-930a-2efe5fc70f0f","req_id":"","op":"subscribe"})")
          .kind,
      FrameKind::kAck);
  ParseResult r = Parse(
      R"({"success":false,"ret_msg":"Invalid topic: invalid.topic.BTCUSDT","conn_id":"cejreaspqfm9se7usbrg-2xh","op":"subscribe"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Invalid topic: invalid.topic.BTCUSDT");
  EXPECT_EQ(
      Parse(
          R"({"success":true,"conn_id":"aa01","data":{"failTopics":[],"successTopics":["orderbook.100.BTC-6JAN23-18000-C"]},"type":"COMMAND_RESP"})")
          .kind,
      FrameKind::kAck);
  r = Parse(
      R"({"success":true,"conn_id":"aa01","data":{"failTopics":["orderbook.100.NOPE"],"successTopics":[]},"type":"COMMAND_RESP"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "orderbook.100.NOPE");
  // Legacy v2 acknowledgement.
  EXPECT_EQ(
      Parse(
          R"({"success":true,"ret_msg":"","conn_id":"95a3336b-365a-4fad-9540-ede1104f1260","request":{"op":"subscribe","args":["trade.EOSUSD"]}})")
          .kind,
      FrameKind::kAck);
  // Client requests in two-way captures.
  EXPECT_EQ(Parse(R"({"req_id":"test","op":"subscribe","args":["orderbook.1.BTCUSDT"]})").kind,
            FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"({"op":"ping"})").kind, FrameKind::kIgnored);
}

TEST_F(BybitParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "pong",
          "not json",
          "[1,2]",
          R"({"foo":1})",
          R"({"topic":5,"data":[]})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":{}})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[7]})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","v":"1","p":"x"}]})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","p":"1"}]})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":"later","s":"BTCUSDT","v":"1","p":"1"}]})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","v":"1","p":"1","seq":-3}]})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":"x","data":[]})",
          R"({"topic":"orderbook.1.BTCUSDT","type":"partial","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":1}})",
          R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1,"data":[]})",
          R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":"x","a":[],"u":1}})",
          R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["1"]],"a":[],"u":1}})",
          R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["1","x"]],"a":[],"u":1}})",
          R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":"y"}})",
          R"({"topic":"tickers.BTCUSDT","type":"snapshot","ts":1,"cs":1,"data":{"symbol":"BTCUSDT","bid1Price":"x","ask1Price":"1"}})",
          R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","v":"1","p":"1"})",
          R"({"success":"maybe","op":"subscribe"})",
          // Malformed objects found by fuzzing (simdjson must not be asked to search them out
          // of order).
          R"({"topic":"publicTrade.BTCUSDT""6","data":[]})",
          R"({"topic":"orderbook.1.BTCUSDT","type":"delta","data":{"s":"BTCUSDT""b":[]}})",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(BybitParseTest, ABrokenBookFrameLeavesTheBookAsItWas) {
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.SOLUSDT","type":"snapshot","ts":1,"data":{"s":"SOLUSDT","b":[["150","1"]],"a":[["151","1"]],"u":1}})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(
      Parse(
          R"({"topic":"orderbook.1.SOLUSDT","type":"delta","ts":2,"data":{"s":"SOLUSDT","b":[["149","1"]],"a":[["x","1"]],"u":2}})")
          .kind,
      FrameKind::kUnparseable);
  ASSERT_EQ(
      Parse(
          R"({"topic":"orderbook.1.SOLUSDT","type":"delta","ts":3,"data":{"s":"SOLUSDT","b":[],"a":[],"u":3}})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{15, 1}));  // "150", normalized
}

TEST_F(BybitParseTest, RepeatedTopicTypeOrDataIsUnparseable) {
  // A second "topic" re-labelled trades already read (kIgnored with a tick left in the buffer);
  // a second "type" changed snapshot/delta after a book was read as the other; a second "data"
  // read its trades twice.
  struct Case {
    const char* frame;
    std::string_view detail;
  };
  for (
      const Case& c : {
          Case{
              R"({"topic":"publicTrade.BTCUSDT","data":[{"s":"BTCUSDT","p":"1","v":"1","T":1}],"topic":"orderbook.50.BTCUSDT"})",
              "repeated \"topic\""},
          Case{
              R"({"topic":"publicTrade.BTCUSDT","data":[{"p":"1","v":"1","T":1}],"topic":"publicTrade.ETHUSDT"})",
              "repeated \"topic\""},
          Case{
              R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","data":{"s":"BTCUSDT","b":[["1","1"]],"a":[["2","1"]],"u":1},"type":"delta"})",
              "repeated \"type\""},
          Case{
              R"({"topic":"publicTrade.BTCUSDT","data":[{"s":"BTCUSDT","p":"1","v":"1","T":1}],"data":[{"s":"BTCUSDT","p":"2","v":"1","T":1}]})",
              "repeated \"data\""},
          Case{
              R"({"data":[{"s":"BTCUSDT","p":"1","v":"1","T":1}],"topic":"publicTrade.BTCUSDT","data":[]})",
              "repeated \"data\""},
      }) {
    ParseResult r = Parse(c.frame);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << c.frame;
    EXPECT_EQ(r.detail, c.detail) << c.frame;
    EXPECT_EQ(ticks.size(), 0u) << c.frame;
  }
}

TEST_F(BybitParseTest, RestTickers) {
  ParseResult r = Rest(
      R"({"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbol":"BTCUSDT","bid1Price":"20517.96","bid1Size":"2","ask1Price":"20527.77","ask1Size":"1.862172","lastPrice":"20533.13","prevPrice24h":"20393.48","price24hPcnt":"0.0068","highPrice24h":"21128.12","lowPrice24h":"20318.89","turnover24h":"243765620.65899866","volume24h":"11801.27771","usdIndexPrice":"20784.12009279"}]},"retExtInfo":{},"time":1673859087947})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{2051796, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{2052777, -2}));
  EXPECT_EQ(ticks[0].event_time, 1673859087947LL * kNanosPerMilli);

  r = Rest(
      R"({"retCode":10001,"retMsg":"Not supported symbols","result":{},"retExtInfo":{},"time":1672376592395})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Not supported symbols");
  EXPECT_EQ(ticks.size(), 0u);

  // Legacy v2 tickers (time_now in seconds) and spot v3 last price.
  r = Rest(
      R"({"ret_code":0,"ret_msg":"OK","result":[{"symbol":"BTCUSDT","bid_price":"16646","ask_price":"16646.5","last_price":"16646.50"}],"ext_code":"","ext_info":"","time_now":"1672324738.823984"})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].ask, (Decimal{166465, -1}));
  EXPECT_EQ(ticks[0].event_time, 1672324738823984000LL);
  r = Rest(
      R"({"retCode":0,"retMsg":"OK","result":{"symbol":"BTCUSDT","price":"16599.59"},"retExtInfo":{},"time":1672314240375})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].price, (Decimal{1659959, -2}));
  EXPECT_EQ(ticks[0].size, (Decimal{0, 0}));

  for (const char* bad :
       {"", "[]", R"({"retCode":0,"retMsg":"OK"})", R"({"retCode":0,"result":{"list":{}}})",
        R"({"retCode":0,"result":{"list":[{"symbol":"A","bid1Price":"x","ask1Price":"1"}]}})",
        R"({"retCode":0,"result":{"list":[{"bid1Price":"1","ask1Price":"2"}]}})",
        R"({"retCode":0,"result":5})"}) {
    r = Rest(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST(BybitSymbols, TopicsSubscriptionsAndUrls) {
  EXPECT_EQ(BybitSpotSymbol("BTC", "USDT"), "BTCUSDT");
  EXPECT_EQ(BybitTopic("orderbook.1", "BTCUSDT"), "orderbook.1.BTCUSDT");
  EXPECT_EQ(BybitTopicSymbol("orderbook.1.BTCUSDT"), "BTCUSDT");
  EXPECT_EQ(BybitTopicSymbol("tickers.BTC-26DEC25"), "BTC-26DEC25");
  EXPECT_EQ(BybitTopicSymbol("nodot"), "");
  auto msgs = BybitSubscribeMessages(
      {"publicTrade.BTCUSDT", "orderbook.1.BTCUSDT", "publicTrade.ETHUSDT"}, 2);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(
      msgs[0],
      R"({"req_id":"1","op":"subscribe","args":["publicTrade.BTCUSDT","orderbook.1.BTCUSDT"]})");
  EXPECT_EQ(msgs[1], R"({"req_id":"2","op":"subscribe","args":["publicTrade.ETHUSDT"]})");
  EXPECT_EQ(BybitPingMessage(), R"({"op":"ping"})");
  EXPECT_EQ(BybitRestTickerUrl("spot", {"BTCUSDT"}),
            "https://api.bybit.com/v5/market/tickers?category=spot&symbol=BTCUSDT");
  EXPECT_EQ(BybitRestTickerUrl("spot", {"BTCUSDT", "ETHUSDT"}),
            "https://api.bybit.com/v5/market/tickers?category=spot");
}

TEST(BybitProtocol, ConnectSubscribeAndKeepAlive) {
  auto p = MakeBybitProtocol();
  EXPECT_EQ(p->WebSocketUrl({"BTCUSDT"}), "wss://stream.bybit.com/v5/public/spot");
  // Spot takes at most 10 args per subscribe request.
  auto msgs =
      p->SubscribeMessages({"BTCUSDT", "ETHUSDT", "SOLUSDT", "USDCUSDT", "USDEUSDT", "XRPUSDT"});
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(
      msgs[1],
      R"({"req_id":"2","op":"subscribe","args":["publicTrade.XRPUSDT","orderbook.1.XRPUSDT"]})");
  EXPECT_EQ(p->ClientPing(7), R"({"op":"ping"})");
  EXPECT_EQ(p->ClientPingInterval(), 20 * kNanosPerSecond);
  TickBuffer ticks;
  EXPECT_EQ(p->Parse(R"({"success":true,"ret_msg":"pong","conn_id":"x","op":"ping"})", &ticks).kind,
            FrameKind::kHeartbeat);
  EXPECT_TRUE(p->RestTickerPerSymbol());
  EXPECT_EQ(p->RestTickerUrl({"SOLUSDT"}),
            "https://api.bybit.com/v5/market/tickers?category=spot&symbol=SOLUSDT");
}

// Every Bybit fixture frame parses or is classified. docs_examples_verbatim.md is the markdown
// source of the .docs.jsonl files (not frames).
TEST(BybitConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"bybit/legacy_spot_v3_rest_ticker_price.freqdash.jsonl", data, true, 3},
      {"bybit/legacy_v2_inverse_subscribe_ack.cryptofeed.jsonl", {K::kAck}},
      {"bybit/legacy_v2_inverse_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"bybit/legacy_v2_inverse_trade.cryptofeed.jsonl", data, false, 20},
      {"bybit/legacy_v2_rest_tickers.freqdash.jsonl", data, true, 3},
      {"bybit/legacy_v2_usdt_perp_subscribe_ack.cryptofeed.jsonl", {K::kAck}},
      {"bybit/legacy_v2_usdt_perp_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"bybit/legacy_v2_usdt_perp_trade.cryptofeed.jsonl", data, false, 10},
      {"bybit/v5_orderbook1_linear_inverse.tardis.jsonl", data, false, 3},
      {"bybit/v5_orderbook1_spot.tardis.jsonl", data, false, 2},
      {"bybit/v5_publicTrade_inverse.btcref_2026-06-14.jsonl", data, false, 1},
      {"bybit/v5_publicTrade_linear.btcref_2026-06-14.jsonl", data, false, 2},
      {"bybit/v5_publicTrade_linear_inverse.tardis.jsonl", data, false, 4},
      {"bybit/v5_publicTrade_spot.tardis.jsonl", data, false, 5},
      {"bybit/v5_rest_market_tickers.docs.jsonl", data, true, 2},
      {"bybit/v5_tickers_linear_inverse.tardis.jsonl", data, false, 5},
      // Pongs (4 shapes), client requests and subscription replies of the docs page.
      {"bybit/v5_ws_control.docs.jsonl", {K::kHeartbeat, K::kIgnored, K::kAck}},
      {"bybit/v5_ws_orderbook.docs.jsonl", {K::kIgnored}},  // orderbook.50
      {"bybit/v5_ws_publicTrade.docs.jsonl", data, false, 1},
      {"bybit/v5_ws_subscribe_ack.nautilus.json", {K::kAck}},
      {"bybit/v5_ws_subscribe_failure.nautilus.json", {K::kError}},
      {"bybit/v5_ws_tickers.docs.jsonl", data, false, 2},  // option and spot: no bid1/ask1
      {"bybit/v5_ws_tickers_linear.nautilus.json", data, false, 1},
  };
  BybitParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/bybit/testdata";
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
