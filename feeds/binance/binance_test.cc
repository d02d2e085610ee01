// Binance parser: documented frames (unit), every fixture frame (conformance), and symbols.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/binance/binance_adapter.h"
#include "feeds/binance/binance_parse.h"
#include "feeds/binance/binance_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class BinanceParseTest : public ::testing::Test {
 protected:
  BinanceParser parser;
  TickBuffer ticks;
  ParseResult Parse(std::string_view frame) {
    ticks.Clear();
    return parser.Parse(frame, &ticks);
  }
};

TEST_F(BinanceParseTest, TradeInCombinedStream) {
  ParseResult r = Parse(
      R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1788481292965,"s":"BTCUSDT","t":6653570805,"p":"81207.45000000","q":"0.00016000","T":1788481292964,"m":true,"M":true}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "BTCUSDT");
  EXPECT_EQ(ticks[0].price, (Decimal{8120745, -2}));
  EXPECT_EQ(ticks[0].size, (Decimal{16, -5}));
  EXPECT_EQ(ticks[0].event_time, 1788481292964LL * kNanosPerMilli);  // trade time T
}

TEST_F(BinanceParseTest, OldTradeFramesWithOrderIdsStillParse) {
  // Until ~2023 trade frames carried buyer/seller order ids in "b"/"a" (numbers).
  ParseResult r = Parse(
      R"({"stream":"bnbbtc@trade","data":{"e":"trade","E":1554076800945,"s":"BNBBTC","t":40756030,"p":"0.00426990","q":"33.82000000","b":133829535,"a":133829504,"T":1554076800940,"m":false,"M":true}})");
  ASSERT_EQ(r.kind, FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].price, (Decimal{42699, -7}));
}

TEST_F(BinanceParseTest, SpotBookTickerHasNoTimeFuturesBookTickerHas) {
  ASSERT_EQ(
      Parse(
          R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].bid, (Decimal{253519, -4}));  // "25.35190000", normalized
  EXPECT_EQ(ticks[0].ask, (Decimal{253652, -4}));
  EXPECT_EQ(ticks[0].event_time, 0);  // the adapter uses the receive time
  EXPECT_EQ(ticks[0].sequence, 400900217u);
  ASSERT_EQ(
      Parse(
          R"({"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":185130926750,"s":"BTCUSDT","b":"33134.42","B":"0.170","a":"33139.39","A":"0.380","T":1612137603568,"E":1612137603571}})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks[0].event_time, 1612137603568LL * kNanosPerMilli);
}

TEST_F(BinanceParseTest, MarkPriceIsAReferencePriceTick) {
  ASSERT_EQ(
      Parse(
          R"({"e":"markPriceUpdate","E":1596095725000,"s":"BTCUSD_201225","p":"10934.62615417","P":"10962.17178236","i":"10933.62615417","r":"","T":0})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].price, (Decimal{1093462615417, -8}));
  EXPECT_EQ(ticks[0].event_time, 1596095725000LL * kNanosPerMilli);
}

TEST_F(BinanceParseTest, ControlFramesAreClassified) {
  EXPECT_EQ(Parse(R"({"result":null,"id":1})").kind, FrameKind::kAck);
  EXPECT_EQ(Parse(R"({"result":["btcusdt@aggTrade"],"id":3})").kind, FrameKind::kAck);
  ParseResult e = Parse(R"({"code": 2, "msg": "Invalid request: too many parameters"})");
  EXPECT_EQ(e.kind, FrameKind::kError);
  EXPECT_EQ(e.detail, "Invalid request: too many parameters");
  e = Parse(R"({"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":5})");
  EXPECT_EQ(e.kind, FrameKind::kError);
  EXPECT_EQ(e.detail, "Invalid request: unknown variant");
  EXPECT_EQ(Parse(R"({"e":"serverShutdown","E":1770123456789})").kind, FrameKind::kReconnect);
  EXPECT_EQ(
      Parse(R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}})").kind,
      FrameKind::kReconnect);
  EXPECT_EQ(
      Parse(
          R"({"stream":"x@depth","data":{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[],"a":[]}})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"({"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1})").kind,
            FrameKind::kIgnored);
}

TEST_F(BinanceParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (const char* bad :
       {"", "not json", "[1,2]", "{\"stream\":\"x\",\"data\":5}",
        R"({"e":"trade","s":"BTCUSDT","p":"abc","q":"1","T":1})",
        R"({"e":"trade","s":"BTCUSDT","q":"1","T":1})",
        R"({"e":"trade","s":"BTCUSDT","p":"1","q":"1","T":"soon"})",
        R"({"u":"x","s":"BTCUSDT","b":"1","a":"2"})", R"({"foo":1})",
        R"({"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","p":"1")"}) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(BinanceParseTest, RestTickers) {
  ParseResult r = parser.ParseRestTicker(
      R"([{"symbol":"LTCBTC","bidPrice":"4.00000000","bidQty":"431.00000000","askPrice":"4.00000200","askQty":"9.00000000"},{"symbol":"ETHBTC","bidPrice":"0.07946700","bidQty":"9.00000000","askPrice":"100000.00000000","askQty":"1000.00000000"}])",
      &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[1].symbol, "ETHBTC");
  EXPECT_EQ(ticks[1].ask, (Decimal{1, 5}));
  ticks.Clear();
  r = parser.ParseRestTicker(
      R"({"symbol":"BTCUSDT","markPrice":"11793.63104562","indexPrice":"11781.80495970","time":1597370495002})",
      &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].event_time, 1597370495002LL * kNanosPerMilli);
  ticks.Clear();
  // Binance's error reply is the venue's error, with its message.
  r = parser.ParseRestTicker(R"({"code":-1121,"msg":"Invalid symbol."})", &ticks);
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Invalid symbol.");
  EXPECT_EQ(ticks.size(), 0u);
  EXPECT_EQ(parser.ParseRestTicker(R"({"code":"x","msg":"Invalid symbol."})", &ticks).kind,
            FrameKind::kUnparseable);
  // Truncated or malformed bodies are unparseable, never read twice from a broken iterator
  // (found by the fuzzer: `{` alone).
  for (const char* bad : {"{", R"({"code":-1121,"msg":)", R"({"code":-1121,"msg":"x",)", "{]"}) {
    ticks.Clear();
    EXPECT_EQ(parser.ParseRestTicker(bad, &ticks).kind, FrameKind::kUnparseable) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(BinanceParseTest, RestTickerListWithABadEntryLeavesNoTicks) {
  // The entries before the bad one were left in the buffer of an unparseable body.
  for (
      const char* bad : {
          R"([{"symbol":"LTCBTC","bidPrice":"4","askPrice":"5"},{"bidPrice":"1","askPrice":"2"}])",
          R"([{"symbol":"LTCBTC","bidPrice":"4","askPrice":"5"},7])",
          R"([{"symbol":"LTCBTC","bidPrice":"4","askPrice":"5"},{"symbol":"ETHBTC","bidPrice":"x","askPrice":"2"}])",
      }) {
    ticks.Clear();
    ParseResult r = parser.ParseRestTicker(bad, &ticks);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST(BinanceSymbols, StreamNamesAndSubscriptions) {
  EXPECT_EQ(BinanceStreamName("BTCUSDT", "trade"), "btcusdt@trade");
  auto msgs = BinanceSubscribeMessages({"btcusdt@trade", "btcusdt@bookTicker", "ethusdt@trade"}, 2);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0],
            R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@bookTicker"],"id":1})");
  EXPECT_EQ(msgs[1], R"({"method":"SUBSCRIBE","params":["ethusdt@trade"],"id":2})");
  EXPECT_EQ(BinanceRestSymbolsParam({"BTCUSDT", "ETHUSDT"}), "%5B%22BTCUSDT%22%2C%22ETHUSDT%22%5D");
  auto usdm = MakeBinanceUsdmProtocol();
  EXPECT_EQ(usdm->SubscribeMessages({"BTCUSDT"})[0],
            R"({"method":"SUBSCRIBE","params":["btcusdt@markPrice@1s"],"id":1})");
}

// Every Binance fixture frame of a channel the oracle reads parses or is classified.
TEST(BinanceConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"binance/binance_us_spot_aggTrade.cryptofeed.jsonl", data, false, 11},
      {"binance/binance_us_spot_bookTicker.cryptofeed.jsonl", data, false, 8},
      {"binance/coinm_aggTrade.cryptofeed.jsonl", data, false, 10},
      {"binance/coinm_aggTrade_raw.btcref_2026-06-14.jsonl", data, false, 1},
      {"binance/coinm_bookTicker.cryptofeed.jsonl", data, false, 10},
      {"binance/coinm_bookTicker.tardis.jsonl", data, false, 1},
      {"binance/coinm_control.tardis.jsonl", {K::kAck}},
      {"binance/coinm_indexPrice_1s.tardis.jsonl", {K::kIgnored}},
      {"binance/coinm_markPrice.docs.json", data, false, 1},
      {"binance/coinm_markPrice_1s.tardis.jsonl", data, false, 1},
      {"binance/coinm_ticker.tardis.jsonl", {K::kIgnored}},
      {"binance/coinm_trade.tardis.jsonl", data, false, 2},
      {"binance/rest_ticker_bookTicker.docs.jsonl", data, true, 3},
      {"binance/rest_ticker_bookTicker.nautilus.json", data, true, 1},
      {"binance/rest_ticker_price.docs.jsonl", data, true, 3},
      {"binance/rest_ticker_price.nautilus.json", data, true, 1},
      {"binance/spot_aggTrade.cryptofeed.jsonl", data, false, 2},
      {"binance/spot_aggTrade.docs.json", data, false, 1},
      {"binance/spot_aggTrade_raw.btcref_2026-06-14.jsonl", data, false, 1},
      {"binance/spot_avgPrice.docs.json", {K::kIgnored}},
      {"binance/spot_bookTicker.cryptofeed.jsonl", data, false, 15},
      {"binance/spot_bookTicker.docs.json", data, false, 1},
      {"binance/spot_bookTicker.tardis.jsonl", data, false, 1},
      {"binance/spot_bookTicker_combined.nautilus.json", data, false, 1},
      {"binance/spot_bookTicker_combined.xvenue_2026-09-04.jsonl", data, false, 1},
      {"binance/spot_depthUpdate.cryptofeed.jsonl", {K::kIgnored}},
      {"binance/spot_kline_1m.cryptofeed.jsonl", {K::kIgnored}},
      {"binance/spot_referencePrice.docs.json", {K::kIgnored}},
      {"binance/spot_replay.cryptofeed.log", {K::kData, K::kIgnored}, false, 50},
      {"binance/spot_serverShutdown.docs.jsonl", {K::kReconnect}},
      {"binance/spot_ticker.tardis.jsonl", {K::kIgnored}},
      {"binance/spot_ticker24hr.docs.json", {K::kIgnored}},
      {"binance/spot_trade.docs.json", data, false, 1},
      {"binance/spot_trade.tardis.jsonl", data, false, 2},
      {"binance/spot_trade_combined.nautilus.json", data, false, 1},
      {"binance/spot_trade_combined.xvenue_2026-09-04.jsonl", data, false, 1},
      // Documented error replies; a few are templates with "%s" where the venue puts a value,
      // which are not JSON as written and so are unparseable; the concrete ones are errors.
      {"binance/spot_ws_errors.docs.txt", {K::kError, K::kUnparseable}},
      {"binance/spot_ws_list_subscriptions.docs.jsonl", {K::kIgnored, K::kAck}},
      {"binance/spot_ws_subscribe.docs.jsonl", {K::kIgnored, K::kAck}},
      {"binance/spot_ws_unsubscribe.docs.jsonl", {K::kIgnored, K::kAck}},
      {"binance/usdm_aggTrade.cryptofeed.jsonl", data, false, 15},
      {"binance/usdm_aggTrade.tardis.jsonl", data, false, 1},
      {"binance/usdm_aggTrade_raw.btcref_2026-06-14.jsonl", data, false, 1},
      {"binance/usdm_bookTicker.cryptofeed.jsonl", data, false, 15},
      {"binance/usdm_bookTicker.tardis.jsonl", data, false, 1},
      {"binance/usdm_depthUpdate.cryptofeed.jsonl", {K::kIgnored}},
      {"binance/usdm_forceOrder_raw.btcref_2026-06-14.jsonl", {K::kIgnored}},
      {"binance/usdm_markPrice.docs.json", data, false, 1},
      {"binance/usdm_markPrice.nautilus.json", data, false, 1},
      {"binance/usdm_markPrice.tardis.jsonl", data, false, 1},
      {"binance/usdm_markPrice_1s.tardis.jsonl", data, false, 2},
      {"binance/usdm_markPrice_combined.btcref_2026-06-14.jsonl", data, false, 1},
      {"binance/usdm_replay.cryptofeed.log", {K::kData, K::kIgnored}, false, 500},
      {"binance/usdm_rest_premiumIndex.docs.jsonl", data, true, 1},
      {"binance/usdm_rest_premiumIndex.nautilus.json", data, true, 1},
      {"binance/usdm_rest_ticker_bookTicker.nautilus.json", data, true, 1},
      {"binance/usdm_rest_ticker_price.nautilus.json", data, true, 1},
  };
  BinanceParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/binance/testdata";
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
