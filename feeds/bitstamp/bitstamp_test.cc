// Bitstamp parser: documented frames (unit), every fixture frame (conformance), symbols and the
// protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/bitstamp/bitstamp_adapter.h"
#include "feeds/bitstamp/bitstamp_parse.h"
#include "feeds/bitstamp/bitstamp_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class BitstampParseTest : public ::testing::Test {
 protected:
  BitstampParser parser;
  TickBuffer ticks;
  ParseResult Parse(std::string_view frame) {
    ticks.Clear();
    return parser.Parse(frame, &ticks);
  }
};

TEST_F(BitstampParseTest, TradeUsesPriceStrAmountStrAndMicrotimestamp) {
  ParseResult r = Parse(
      R"({"data":{"id":629344156,"timestamp":"1788481329","amount":0.07375969,"amount_str":"0.07375969","price":81263.98,"price_str":"81263.98","type":0,"microtimestamp":"1788481329090123","buy_order_id":2046551467757570,"sell_order_id":2046551452086274},"channel":"live_trades_btcusd","event":"trade"})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "btcusd");
  EXPECT_EQ(ticks[0].price, (Decimal{8126398, -2}));
  EXPECT_EQ(ticks[0].size, (Decimal{7375969, -8}));
  EXPECT_EQ(ticks[0].event_time, 1788481329090123LL * kNanosPerMicro);
}

TEST_F(BitstampParseTest, TradeKeepsTheExactTextNotTheFloat) {
  // "price" 3800.8 is the float; "price_str" the exact text. Event, channel, data in any order.
  ParseResult r = Parse(
      R"({"event":"trade","channel":"live_trades_ethusd","data":{"amount":2.73248242,"amount_str":"2.73248242","price":3800.8,"price_str":"3800.80","timestamp":"1641343721","microtimestamp":"1641343721269000"}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].price, (Decimal{38008, -1}));  // "3800.80", normalized
  EXPECT_EQ(ticks[0].symbol, "ethusd");
}

TEST_F(BitstampParseTest, TradeWithoutStringFieldsFallsBackToNumbersAndSeconds) {
  ParseResult r = Parse(
      R"({"event":"trade","channel":"live_trades_btcusd-perp","data":{"amount":0.00921,"price":77204,"timestamp":"1789456400"}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "btcusd-perp");
  EXPECT_EQ(ticks[0].price, (Decimal{77204, 0}));
  EXPECT_EQ(ticks[0].size, (Decimal{921, -5}));
  EXPECT_EQ(ticks[0].event_time, 1789456400LL * kNanosPerSecond);
}

TEST_F(BitstampParseTest, OrderBookGivesTheTopOfTheBook) {
  ParseResult r = Parse(
      R"({"data":{"timestamp":"1788481325","microtimestamp":"1788481325406795","bids":[["81254.37","0.56250000"],["81254.07","0.07500000"]],"asks":[["81263.98","0.68285797"],["81264.00","1.20000000"]]},"channel":"order_book_btcusd","event":"data"})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "btcusd");
  EXPECT_EQ(ticks[0].bid, (Decimal{8125437, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{8126398, -2}));
  EXPECT_EQ(ticks[0].event_time, 1788481325406795LL * kNanosPerMicro);
}

TEST_F(BitstampParseTest, OrderBookWithAnEmptySideHasNoQuote) {
  ParseResult r = Parse(
      R"({"data":{"timestamp":"1788481325","microtimestamp":"1788481325406795","bids":[],"asks":[["81263.98","0.68285797"]]},"channel":"order_book_btcusd","event":"data"})");
  EXPECT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(BitstampParseTest, DiffAndDetailBooksAndOrdersAreIgnored) {
  EXPECT_EQ(
      Parse(
          R"({"data":{"timestamp":"1641343691","microtimestamp":"1641343691244908","bids":[["1.15979","993.02588113"]],"asks":[]},"channel":"diff_order_book_bateur","event":"data"})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
  EXPECT_EQ(
      Parse(
          R"({"data":{"timestamp":"1","microtimestamp":"1000000","bids":[["1.0","2.0","1443875737346049"]],"asks":[["1.1","2.0","1443875737346050"]]},"channel":"detail_order_book_btcusd","event":"data"})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(
          R"({"data":{"id":1443875737346049,"amount":0.5,"price":3800.1},"channel":"live_orders_btcusd","event":"order_created"})")
          .kind,
      FrameKind::kIgnored);
}

TEST_F(BitstampParseTest, ControlFramesAreClassified) {
  ParseResult r =
      Parse(R"({"event":"bts:subscription_succeeded","channel":"live_trades_btcusd","data":{}})");
  EXPECT_EQ(r.kind, FrameKind::kAck);
  EXPECT_EQ(r.detail, "live_trades_btcusd");
  r = Parse(R"({"event":"bts:heartbeat","channel":"","data":{"status":"success"}})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(r.reply.empty());
  r = Parse(R"({"event":"bts:request_reconnect","channel":"","data":""})");
  EXPECT_EQ(r.kind, FrameKind::kReconnect);
  EXPECT_EQ(Parse(R"({"event":"bts:request_reconnect","channel":"","data":null})").kind,
            FrameKind::kReconnect);
  r = Parse(
      R"({"event":"bts:error","channel":"","data":{"code":null,"message":"Bad subscription string."}})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Bad subscription string.");
  EXPECT_EQ(Parse(R"({"event":"bts:subscribe","data":{"channel":"live_trades_btcusd"}})").kind,
            FrameKind::kIgnored);
}

TEST_F(BitstampParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "not json",
          "[1,2]",
          R"({"channel":"live_trades_btcusd","data":{}})",
          R"({"event":5})",
          R"({"event":""})",
          R"({"event":"trade","channel":"live_trades_btcusd","data":{"amount_str":"1","microtimestamp":"1"}})",
          R"({"event":"trade","channel":"live_trades_btcusd","data":{"price_str":"abc","amount_str":"1"}})",
          R"({"event":"trade","channel":"live_trades_btcusd","data":{"price_str":"1","amount_str":"1","microtimestamp":"soon"}})",
          R"({"event":"trade","channel":"live_trades_","data":{"price_str":"1","amount_str":"1"}})",
          R"({"event":"data","channel":"order_book_btcusd","data":{"bids":[["x","1"]],"asks":[["2","1"]]}})",
          R"({"event":"data","channel":"order_book_btcusd","data":{"bids":5,"asks":[]}})",
          R"({"event":"trade","channel":"live_trades_btcusd","data":{"price_str":"1")",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(BitstampParseTest, RestTickerListNamesEveryMarket) {
  ParseResult r = parser.ParseRestTicker(
      R"([{"timestamp":"1789455809","open":"78237","high":"79588","low":"77191","last":"77265","volume":"108.78361","vwap":"78381","bid":"77239","ask":"77240","side":"1","open_24":"77700","percent_change_24":"-0.56","market_type":"PERPETUAL","pair":"BTC/USD-PERP","market":"BTC/USD-PERP"},{"timestamp":"1789455809","last":"0.99990","bid":"0.99985","ask":"0.99995","pair":"USDT/USD"},{"timestamp":"1789455809","last":"1.0","bid":"","ask":"","pair":"XYZ/USD"}])",
      &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].symbol, "btcusd-perp");
  EXPECT_EQ(ticks[0].bid, (Decimal{77239, 0}));
  EXPECT_EQ(ticks[0].ask, (Decimal{7724, 1}));
  EXPECT_EQ(ticks[0].event_time, 1789455809LL * kNanosPerSecond);
  EXPECT_EQ(ticks[1].symbol, "usdtusd");
  EXPECT_EQ(ticks[1].bid, (Decimal{99985, -5}));
}

TEST_F(BitstampParseTest, RestTickerOfOneMarketUsesTheRestSymbol) {
  const char* body =
      R"({"high":"45000.00","last":"44500.50","timestamp":"1640000000","bid":"44500.00","vwap":"44200.00","volume":"1234.56789","low":"43000.00","ask":"44501.00","open":"44000.00","open_24":"43500.00","percent_change_24":"2.30"})";
  EXPECT_EQ(parser.ParseRestTicker(body, &ticks).kind, FrameKind::kUnparseable);
  EXPECT_EQ(ticks.size(), 0u);
  parser.SetRestSymbol("btcusd");
  ParseResult r = parser.ParseRestTicker(body, &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "btcusd");
  EXPECT_EQ(ticks[0].bid, (Decimal{445, 2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{44501, 0}));
  EXPECT_EQ(ticks[0].event_time, 1640000000LL * kNanosPerSecond);
}

TEST_F(BitstampParseTest, RestErrorsAreReported) {
  ParseResult r = parser.ParseRestTicker(R"({"message":"Not found."})", &ticks);
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Not found.");
  EXPECT_EQ(parser.ParseRestTicker(R"([{"pair":"BTC/USD","bid":"1x","ask":"2"}])", &ticks).kind,
            FrameKind::kUnparseable);
  EXPECT_EQ(parser.ParseRestTicker("[5]", &ticks).kind, FrameKind::kUnparseable);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST(BitstampSymbols, ChannelsSubscriptionsAndPairs) {
  EXPECT_EQ(BitstampChannel(kBitstampTradesChannelPrefix, "btcusd"), "live_trades_btcusd");
  auto msgs = BitstampSubscribeMessages({"btcusd", "usdtusd"});
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0], R"({"event":"bts:subscribe","data":{"channel":"live_trades_btcusd"}})");
  EXPECT_EQ(msgs[1], R"({"event":"bts:subscribe","data":{"channel":"order_book_btcusd"}})");
  EXPECT_EQ(msgs[3], R"({"event":"bts:subscribe","data":{"channel":"order_book_usdtusd"}})");
  char buf[16];
  size_t n = BitstampSymbolFromPair("BTC/USD-PERP", buf, sizeof(buf));
  EXPECT_EQ(std::string_view(buf, n), "btcusd-perp");
  EXPECT_EQ(BitstampSymbolFromPair("ABCDEFGHIJ/KLMNOPQRSTUV", buf, sizeof(buf)), 0u);
  EXPECT_EQ(BitstampSymbolFromPair("", buf, sizeof(buf)), 0u);
}

TEST(BitstampProtocol, UrlsPingAndLimits) {
  auto p = MakeBitstampProtocol();
  EXPECT_EQ(p->WebSocketUrl({"btcusd"}), "wss://ws.bitstamp.net");
  EXPECT_TRUE(p->BootstrapUrl().empty());
  EXPECT_EQ(p->SubscribeMessages({"btcusd"}).size(), 2u);
  EXPECT_EQ(p->ClientPing(1), R"({"event":"bts:heartbeat"})");
  EXPECT_EQ(p->ClientPingInterval(), 10 * kNanosPerSecond);
  EXPECT_GT(p->SilenceLimit(), p->ClientPingInterval());
  EXPECT_EQ(p->ConnectionLifetime(), 90LL * 24 * 3600 * kNanosPerSecond);
  EXPECT_FALSE(p->RestTickerPerSymbol());  // one body lists every market
  EXPECT_EQ(p->RestTickerUrl({"btcusd", "ethusd"}), "https://www.bitstamp.net/api/v2/ticker/");
  EXPECT_TRUE(p->RestTickerUrl({}).empty());
  TickBuffer ticks;
  // The answer to the client heartbeat reads as a heartbeat.
  EXPECT_EQ(
      p->Parse(R"({"event":"bts:heartbeat","channel":"","data":{"status":"success"}})", &ticks)
          .kind,
      FrameKind::kHeartbeat);
  ParseResult r =
      p->ParseRestTicker(R"([{"pair":"BTC/USD","bid":"1","ask":"2","timestamp":"1"}])", &ticks);
  EXPECT_EQ(r.kind, FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "btcusd");
}

// Every Bitstamp fixture frame of a channel the oracle reads parses or is classified.
TEST(BitstampConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"bitstamp/diff_order_book.cryptofeed.jsonl", {K::kIgnored}},
      {"bitstamp/live_trades.btcref_2026-06-14.jsonl", data, false, 1},
      {"bitstamp/live_trades.cryptofeed.jsonl", data, false, 10},
      {"bitstamp/live_trades.tardis.jsonl", data, false, 2},
      {"bitstamp/live_trades.xvenue_2026-09-04.jsonl", data, false, 1},
      {"bitstamp/order_book.xvenue_2026-09-04.jsonl", data, false, 1},
      {"bitstamp/replay.cryptofeed.log", data, false, 10},
      // Client requests recorded by cryptofeed: not frames Bitstamp sends.
      {"bitstamp/subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"bitstamp/subscription_succeeded.cryptofeed.jsonl", {K::kAck}},
      {"bitstamp/subscription_succeeded.tardis.jsonl", {K::kAck}},
      {"bitstamp/subscription_succeeded.xvenue_2026-09-04.jsonl", {K::kAck}},
  };
  BitstampParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/bitstamp/testdata";
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
