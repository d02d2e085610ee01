// Kraken parser: documented WebSocket v2 and v1 frames and REST bodies (unit), every fixture frame
// (conformance), symbols and the protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/kraken/kraken_adapter.h"
#include "feeds/kraken/kraken_parse.h"
#include "feeds/kraken/kraken_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

TimeNs T(std::string_view rfc3339) {
  TimeNs t = 0;
  EXPECT_TRUE(ParseRfc3339(rfc3339, &t)) << rfc3339;
  return t;
}

class KrakenParseTest : public ::testing::Test {
 protected:
  KrakenParser parser;
  TickBuffer ticks;
  ParseResult Parse(std::string_view frame) {
    ticks.Clear();
    return parser.Parse(frame, &ticks);
  }
};

TEST_F(KrakenParseTest, V2TradeKeepsEnginePrecisionAndTradeId) {
  ParseResult r = Parse(
      R"({"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"},{"symbol":"MATIC/USD","side":"sell","price":0.51170,"qty":0.00003630,"ord_type":"limit","trade_id":4665907,"timestamp":"2023-09-25T07:49:37.708706Z"}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "MATIC/USD");
  EXPECT_EQ(ticks[0].price, (Decimal{5117, -4}));
  EXPECT_EQ(ticks[0].size, (Decimal{4, 1}));  // 40.0, normalized
  EXPECT_EQ(ticks[0].event_time, T("2023-09-25T07:49:37.708706Z"));
  EXPECT_EQ(ticks[0].sequence, 4665906u);
  EXPECT_EQ(ticks[1].price, (Decimal{5117, -4}));  // 0.51170 read from its text, never a double
  EXPECT_EQ(ticks[1].size, (Decimal{363, -7}));
}

TEST_F(KrakenParseTest, V2TickerIsAQuote) {
  ParseResult r = Parse(
      R"({"channel":"ticker","type":"snapshot","data":[{"symbol":"USDT/USD","bid":0.99980,"bid_qty":44620.68691883,"ask":0.99981,"ask_qty":1087605.70466858,"last":0.99981,"volume":270638277.50461281,"vwap":0.99983,"low":0.99959,"high":1.00000,"change":0.00005,"change_pct":0.01,"trades":38144,"timestamp":"2026-09-24T03:54:18.054886Z"}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "USDT/USD");
  EXPECT_EQ(ticks[0].bid, (Decimal{9998, -4}));
  EXPECT_EQ(ticks[0].ask, (Decimal{99981, -5}));
  EXPECT_EQ(ticks[0].event_time, T("2026-09-24T03:54:18.054886Z"));
  // The documented 2023 shape has no timestamp: event_time 0 (the adapter uses receive time).
  r = Parse(
      R"({"channel":"ticker","type":"update","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,"ask":0.10036,"ask_qty":1361.44813783,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,"low":0.09979,"high":0.10285,"change":-0.00017,"change_pct":-0.17}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{10025, -5}));
  EXPECT_EQ(ticks[0].event_time, 0);
}

TEST_F(KrakenParseTest, V2DataBeforeChannelIsStillRead) {
  ParseResult r = Parse(
      R"({"data":[{"symbol":"BTC/USD","bid":81205.0,"ask":81205.1}],"type":"update","channel":"ticker"})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "BTC/USD");
  EXPECT_EQ(ticks[0].ask, (Decimal{812051, -1}));
}

TEST_F(KrakenParseTest, V2ControlFramesAreClassified) {
  EXPECT_EQ(Parse(R"({"channel":"heartbeat"})").kind, FrameKind::kHeartbeat);
  EXPECT_EQ(
      Parse(
          R"({"method":"pong","req_id":101,"time_in":"2023-09-25T09:05:00.123456Z","time_out":"2023-09-25T09:05:00.123500Z"})")
          .kind,
      FrameKind::kHeartbeat);
  // connection_id exceeds int64 (here 2^64 - 1): never read.
  EXPECT_EQ(
      Parse(
          R"({"channel":"status","type":"update","data":[{"version":"2.0.10","system":"online","api_version":"v2","connection_id":18446744073709551615}]})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(
          R"({"method":"subscribe","result":{"channel":"ticker","event_trigger":"bbo","snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z","req_id":2})")
          .kind,
      FrameKind::kAck);
  ParseResult e = Parse(
      R"({"error":"Currency pair not supported NOPE/USD","method":"subscribe","success":false,"symbol":"NOPE/USD","time_in":"2026-09-24T03:54:32.996743Z","time_out":"2026-09-24T03:54:32.996775Z"})");
  EXPECT_EQ(e.kind, FrameKind::kError);
  EXPECT_EQ(e.detail, "Currency pair not supported NOPE/USD");
  EXPECT_EQ(
      Parse(
          R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[{"price":81205.1,"qty":0.5}],"checksum":123,"timestamp":"2026-09-04T00:21:20.564568Z"}]})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(R"({"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"]}})").kind,
      FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"({"method":"ping","req_id":7})").kind, FrameKind::kIgnored);
}

TEST_F(KrakenParseTest, V1TradeAndSpreadUseTheV2Symbol) {
  ParseResult r = Parse(
      R"([0,[["5541.20000","0.15850568","1534614057.321597","s","l",""],["6060.00000","0.02455000","1534614057.324998","b","l",""]],"trade","XBT/USD"])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].symbol, "BTC/USD");
  EXPECT_EQ(ticks[0].price, (Decimal{55412, -1}));
  EXPECT_EQ(ticks[0].size, (Decimal{15850568, -8}));
  EXPECT_EQ(ticks[0].event_time, 1534614057321597000);
  EXPECT_EQ(ticks[1].symbol, "BTC/USD");
  r = Parse(
      R"([0,["5698.40000","5700.00000","1542057299.545897","1.01234567","0.98765432"],"spread","XBT/USD"])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTC/USD");
  EXPECT_EQ(ticks[0].bid, (Decimal{56984, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{57, 2}));
  EXPECT_EQ(ticks[0].event_time, 1542057299545897000);
  r = Parse(
      R"([545,["0.000000000","0.000000000","0.000000","0.00000000","0.00000000"],"spread","LINK/ETH"])");
  EXPECT_EQ(r.kind, FrameKind::kData);  // an empty book: no quote
  EXPECT_EQ(ticks.size(), 0u);
  r = Parse(
      R"([170,[["0.01136500","2.51146536","1561939201.587070","s","l",""]],"trade","LTC/XBT"])");
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "LTC/BTC");
  r = Parse(
      R"([993,[["354.11000000","0.89594024","1618678142.557535","s","l",""]],"trade","XMR/USD"])");
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "XMR/USD");  // same spelling in v1 and v2
}

TEST_F(KrakenParseTest, V1TickerIsAQuoteWithoutTime) {
  ParseResult r = Parse(
      R"([468,{"a":["56218.30000",0,"0.13690578"],"b":["56119.10000",0,"0.03333108"],"c":["56218.30000","0.01309422"],"v":["27.65107371","37.46739855"],"p":["56739.22516","56819.12875"],"t":[1300,1955],"l":["55636.00000","55636.00000"],"h":["57623.00000","57623.00000"],"o":["56737.90000","57093.00000"]},"ticker","XBT/CHF"])");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "BTC/CHF");
  EXPECT_EQ(ticks[0].bid, (Decimal{561191, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{562183, -1}));
  EXPECT_EQ(ticks[0].event_time, 0);
}

TEST_F(KrakenParseTest, V1ControlFramesAreClassified) {
  EXPECT_EQ(Parse(R"({"event":"heartbeat"})").kind, FrameKind::kHeartbeat);
  EXPECT_EQ(Parse(R"({"event":"pong","reqid":42})").kind, FrameKind::kHeartbeat);
  EXPECT_EQ(
      Parse(
          R"({"connectionID":18239578009413566319,"event":"systemStatus","status":"online","version":"1.8.3"})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(
          R"({"channelID":1665,"channelName":"trade","event":"subscriptionStatus","pair":"WAVES/EUR","status":"subscribed","subscription":{"name":"trade"}})")
          .kind,
      FrameKind::kAck);
  ParseResult e = Parse(
      R"({"errorMessage":"Subscription depth not supported","event":"subscriptionStatus","pair":"XBT/USD","status":"error","subscription":{"depth":42,"name":"book"}})");
  EXPECT_EQ(e.kind, FrameKind::kError);
  EXPECT_EQ(e.detail, "Subscription depth not supported");
  EXPECT_EQ(
      Parse(
          R"([1234,{"as":[["5541.30000","2.50700000","1534614248.123678"]],"bs":[]},"book-10","XBT/USD"])")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(R"({"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"trade"}})").kind,
      FrameKind::kIgnored);
}

TEST_F(KrakenParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "not json",
          "42",
          R"("heartbeat")",
          R"({"foo":1})",
          R"({"channel":3})",
          R"({"method":"subscribe"})",
          R"({"method":"subscribe","success":"yes"})",
          R"({"channel":"trade","data":{}})",
          R"({"channel":"trade","data":[{"symbol":"BTC/USD","price":"x","qty":1}]})",
          R"({"channel":"trade","data":[{"symbol":"BTC/USD","qty":1}]})",
          R"({"channel":"trade","data":[{"price":1,"qty":1}]})",
          R"({"channel":"trade","data":[{"symbol":"BTC/USD","price":1,"qty":1,"trade_id":-3}]})",
          R"({"channel":"trade","data":[{"symbol":"BTC/USD","price":1,"qty":1,"timestamp":"now"}]})",
          R"({"channel":"trade","data":[{"symbol":"BTC/USD","price":1,"qty":1,"timestamp":"9999-01-01T00:00:00Z"}]})",
          R"({"channel":"ticker","data":[{"symbol":"BTC/USD","bid":1}]})",
          R"({"channel":"ticker","data":[{"symbol":"BTC/USD","bid":1,"ask":2}],)",
          "[1,2]",
          R"([1,[],"trade"])",
          R"(["x",[],"trade","XBT/USD"])",
          R"([1,[["1","1","soon","s","l",""]],"trade","XBT/USD"])",
          R"([1,[["1","1","1534614057.3","s","l",""]],"trade",""])",
          R"([1,["1","2","1.5","1","1"],"spread"])",
          R"([1,{"a":5,"b":["1"]},"ticker","XBT/USD"])",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(KrakenParseTest, RepeatedChannelOrDataIsUnparseable) {
  // A second "channel" re-labelled trades already read (a heartbeat, an ignored frame or an
  // unparseable one with ticks left in the buffer); a second "data" read its entries twice.
  struct Case {
    const char* frame;
    std::string_view detail;
  };
  for (
      const Case& c : {
          Case{
              R"({"channel":"trade","data":[{"symbol":"BTC/USD","price":1,"qty":1}],"channel":"heartbeat"})",
              "repeated \"channel\""},
          Case{
              R"({"channel":"ticker","data":[{"symbol":"BTC/USD","bid":1,"ask":2}],"channel":"book"})",
              "repeated \"channel\""},
          Case{R"({"channel":"trade","data":[{"symbol":"BTC/USD","price":1,"qty":1}],"channel":5})",
               "repeated \"channel\""},
          Case{
              R"({"channel":"trade","data":[{"symbol":"BTC/USD","price":1,"qty":1}],"data":[{"symbol":"BTC/USD","price":2,"qty":1}]})",
              "repeated \"data\""},
          Case{R"({"data":[{"symbol":"BTC/USD","price":1,"qty":1}],"channel":"trade","data":[]})",
               "repeated \"data\""},
      }) {
    ParseResult r = Parse(c.frame);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << c.frame;
    EXPECT_EQ(r.detail, c.detail) << c.frame;
    EXPECT_EQ(ticks.size(), 0u) << c.frame;
  }
}

TEST_F(KrakenParseTest, RestTickerKeysAreNamedByTheConfiguredSymbols) {
  const std::vector<std::string> symbols = {"BTC/USD", "USDT/USD", "USDE/USD"};
  ParseResult r = parser.ParseRestTicker(
      R"({"error":[],"result":{"XXBTZUSD":{"a":["30300.10000","1","1.000"],"b":["30300.00000","1","1.000"],"c":["30303.20000","0.00067643"],"v":["4083.67001100","4412.73601799"],"p":["30706.77771","30689.13205"],"t":[34619,38907],"l":["29868.30000","29868.30000"],"h":["31631.00000","31631.00000"],"o":"30502.80000"},"USDTZUSD":{"a":["0.99990","1","1.000"],"b":["0.99980","1","1.000"]},"USDEUSD":{"a":["1.0002","1","1.000"],"b":["1.0001","1","1.000"]},"XETHZUSD":{"a":["2000.1","1","1.000"],"b":["2000.0","1","1.000"]}}})",
      symbols, &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 4u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTC/USD");
  EXPECT_EQ(ticks[0].symbol.data(), symbols[0].data());  // the configured string itself
  EXPECT_EQ(ticks[0].bid, (Decimal{303, 2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{303001, -1}));
  EXPECT_EQ(ticks[0].event_time, 0);  // the body has no time
  EXPECT_EQ(ticks[1].symbol, "USDT/USD");
  EXPECT_EQ(ticks[2].symbol, "USDE/USD");
  EXPECT_EQ(ticks[3].symbol, "ETH/USD");  // not configured: named from the key
}

TEST_F(KrakenParseTest, RestErrorsAndTrades) {
  ParseResult r = parser.ParseRestTicker(R"({"error":["EQuery:Unknown asset pair"]})", &ticks);
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "EQuery:Unknown asset pair");
  ticks.Clear();
  r = parser.ParseRestTicker(
      R"({"error":[],"result":{"XBTUSDT":[["105433.60000","0.00027625",1762795433.9717445,"b","l","",10218208]],"last":"1762820035982277754"}})",
      &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "BTC/USDT");
  EXPECT_EQ(ticks[0].event_time, 1762795433971744500);
  EXPECT_EQ(ticks[0].sequence, 10218208u);
  ticks.Clear();
  EXPECT_EQ(parser.ParseRestTicker(R"({"error":[]})", &ticks).kind, FrameKind::kUnparseable);
  EXPECT_EQ(parser.ParseRestTicker("<html>", &ticks).kind, FrameKind::kUnparseable);
}

TEST(KrakenSymbols, DialectsAndSubscriptions) {
  std::string v2;
  EXPECT_TRUE(KrakenV1ToV2Symbol("XBT/USD", &v2));
  EXPECT_EQ(v2, "BTC/USD");
  EXPECT_TRUE(KrakenV1ToV2Symbol("XDG/EUR", &v2));
  EXPECT_EQ(v2, "DOGE/EUR");
  EXPECT_TRUE(KrakenV1ToV2Symbol("ETH/XBT", &v2));
  EXPECT_EQ(v2, "ETH/BTC");
  EXPECT_FALSE(KrakenV1ToV2Symbol("ETH/USD", &v2));
  EXPECT_EQ(KrakenRestPairParam({"BTC/USD", "ETH/USD", "USDT/USD", "DOGE/USD", "USDe/USD"}),
            "XBTUSD,ETHUSD,USDTUSD,XDGUSD,USDEUSD");
  EXPECT_TRUE(KrakenRestKeyMatchesSymbol("XXBTZUSD", "BTC/USD"));
  EXPECT_TRUE(KrakenRestKeyMatchesSymbol("XBTUSD", "BTC/USD"));
  EXPECT_TRUE(KrakenRestKeyMatchesSymbol("XBTUSDT", "BTC/USDT"));
  EXPECT_FALSE(KrakenRestKeyMatchesSymbol("XBTUSDT", "BTC/USD"));
  EXPECT_TRUE(KrakenRestKeyMatchesSymbol("USDTZUSD", "USDT/USD"));
  EXPECT_TRUE(KrakenRestKeyMatchesSymbol("XETHZUSD", "ETH/USD"));
  EXPECT_TRUE(KrakenRestKeyMatchesSymbol("USDEUSD", "USDe/USD"));
  EXPECT_FALSE(KrakenRestKeyMatchesSymbol("XETHZUSD", "BTC/USD"));
  for (auto [key, name] :
       std::vector<std::pair<std::string, std::string>>{{"XXBTZUSD", "BTC/USD"},
                                                        {"XETHXXBT", "ETH/BTC"},
                                                        {"USDCUSDT", "USDC/USDT"},
                                                        {"USDCUSD", "USDC/USD"},
                                                        {"XTZUSD", "XTZ/USD"},
                                                        {"SOLUSD", "SOL/USD"},
                                                        {"XXDGZUSD", "DOGE/USD"}}) {
    std::string s;
    EXPECT_TRUE(KrakenRestKeyToSymbol(key, &s)) << key;
    EXPECT_EQ(s, name) << key;
  }
  std::string s;
  EXPECT_FALSE(KrakenRestKeyToSymbol("FOO", &s));
  EXPECT_EQ(
      KrakenSubscribeMessage("trade", {"BTC/USD", "ETH/USD"}, "\"snapshot\":false", 1),
      R"({"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD","ETH/USD"],"snapshot":false},"req_id":1})");
  EXPECT_EQ(KrakenPingMessage(9), R"({"method":"ping","req_id":9})");
}

TEST(KrakenProtocol, V2SubscriptionsAndRest) {
  auto p = MakeKrakenProtocol();
  EXPECT_EQ(p->WebSocketUrl({"BTC/USD"}), "wss://ws.kraken.com/v2");
  auto msgs = p->SubscribeMessages({"BTC/USD", "USDT/USD"});
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(
      msgs[0],
      R"({"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD","USDT/USD"],"snapshot":false},"req_id":1})");
  EXPECT_EQ(
      msgs[1],
      R"({"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD","USDT/USD"],"event_trigger":"bbo","snapshot":true},"req_id":2})");
  EXPECT_TRUE(p->ClientPing(1).empty());
  EXPECT_EQ(p->SilenceLimit(), 15 * kNanosPerSecond);
  EXPECT_EQ(p->RestTickerUrl({"BTC/USD", "USDT/USD"}),
            "https://api.kraken.com/0/public/Ticker?pair=XBTUSD,USDTUSD");
  TickBuffer ticks;
  ParseResult r = p->ParseRestTicker(
      R"({"error":[],"result":{"USDTZUSD":{"a":["0.99990","1","1.000"],"b":["0.99980","1","1.000"]},"XXBTZUSD":{"a":["82999.00000","1","1.000"],"b":["82998.90000","1","1.000"]}}})",
      &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].symbol, "USDT/USD");
  EXPECT_EQ(ticks[1].symbol, "BTC/USD");
  // The venue's answer to the optional ping is a heartbeat.
  ticks.Clear();
  EXPECT_EQ(
      p->Parse(
           R"({"method":"pong","req_id":1,"time_in":"2023-09-25T09:05:00.123456Z","time_out":"2023-09-25T09:05:00.123500Z"})",
           &ticks)
          .kind,
      FrameKind::kHeartbeat);
}

// Every Kraken fixture frame parses or is classified.
TEST(KrakenConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"kraken/replay.cryptofeed.log", {K::kData, K::kHeartbeat}, false, 10},
      {"kraken/rest_public_Ticker.nautilus.json", data, true, 1},
      {"kraken/rest_public_Ticker.thirdparty.jsonl", data, true, 5},
      // 1000 trades: the tick buffer keeps 512 and counts the rest as overflow.
      {"kraken/rest_public_Trades.nautilus.json", data, true, 512},
      {"kraken/subscribe_request.cryptofeed.jsonl", {K::kIgnored}},  // client requests
      {"kraken/tickerconn_replay.cryptofeed.log", {K::kData, K::kHeartbeat}, false, 18},
      {"kraken/tickerconn_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"kraken/tickerconn_v1_heartbeat.cryptofeed.jsonl", {K::kHeartbeat}},
      {"kraken/tickerconn_v1_subscriptionStatus.cryptofeed.jsonl", {K::kAck}},
      {"kraken/tickerconn_v1_systemStatus.cryptofeed.jsonl", {K::kIgnored}},
      {"kraken/tickerconn_v1_ticker.cryptofeed.jsonl", data, false, 18},
      {"kraken/v1_heartbeat.cryptofeed.jsonl", {K::kHeartbeat}},
      {"kraken/v1_spread.tardis.jsonl", data, false, 1},  // the second is an empty book
      {"kraken/v1_subscriptionStatus.cryptofeed.jsonl", {K::kAck}},
      {"kraken/v1_systemStatus.cryptofeed.jsonl", {K::kIgnored}},
      {"kraken/v1_trade.cryptofeed.jsonl", data, false, 10},
      {"kraken/v1_trade.tardis.jsonl", data, false, 3},
      {"kraken/v2_heartbeat.wireref_2026-09-24.jsonl", {K::kHeartbeat}},
      {"kraken/v2_heartbeat.xvenue_2026-09-04.jsonl", {K::kHeartbeat}},
      {"kraken/v2_pong.nautilus.json", {K::kHeartbeat}},
      {"kraken/v2_status.wireref_2026-09-24.jsonl", {K::kIgnored}},
      {"kraken/v2_status.xvenue_2026-09-04.jsonl", {K::kIgnored}},
      {"kraken/v2_subscribe_ack.nautilus.json", {K::kAck}},
      {"kraken/v2_subscribe_ack.wireref_2026-09-24.jsonl", {K::kAck}},
      {"kraken/v2_subscribe_error.wireref_2026-09-24.jsonl", {K::kError}},
      {"kraken/v2_subscribe_request.wireref_2026-09-24.jsonl", {K::kIgnored}},  // client request
      {"kraken/v2_ticker.nautilus.json", data, false, 1},
      {"kraken/v2_ticker.wireref_2026-09-24.jsonl", data, false, 1},
      {"kraken/v2_ticker.xvenue_2026-09-04.jsonl", data, false, 1},
      {"kraken/v2_trade.misc.jsonl", data, false, 5},
      {"kraken/v2_trade.xvenue_2026-09-04.jsonl", data, false, 2},
  };
  KrakenParser parser;
  // REST replies are named by the configured symbols they match (XBTUSDT, XXBTZUSD), others by
  // their key (XTZUSD -> XTZ/USD).
  const std::vector<std::string> symbols = {"BTC/USD", "BTC/USDT"};
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/kraken/testdata";
  for (const FixtureCase& c : cases) {
    testing::RunFixtureCase(
        c,
        [&](std::string_view f, TickBuffer* out) {
          return c.rest ? parser.ParseRestTicker(f, symbols, out) : parser.Parse(f, out);
        },
        golden);
  }
}

}  // namespace
}  // namespace oracle::feeds
