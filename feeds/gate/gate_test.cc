// Gate parser: documented frames (unit), every fixture frame (conformance), symbols and the
// protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/gate/gate_adapter.h"
#include "feeds/gate/gate_parse.h"
#include "feeds/gate/gate_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class GateParseTest : public ::testing::Test {
 protected:
  GateParser parser;
  TickBuffer ticks;
  ParseResult Parse(std::string_view frame) {
    ticks.Clear();
    return parser.Parse(frame, &ticks);
  }
};

TEST_F(GateParseTest, SpotTradeWithFractionalMillisecondTime) {
  ParseResult r = Parse(
      R"({"time":1606292218,"time_ms":1606292218231,"channel":"spot.trades","event":"update","result":{"id":309143071,"create_time":1606292218,"create_time_ms":"1606292218213.4578","side":"sell","currency_pair":"GT_USDT","amount":"16.4700000000","price":"0.4705000000","range":"2390902-2390902","id_market":917144}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "GT_USDT");
  EXPECT_EQ(ticks[0].price, (Decimal{4705, -4}));
  EXPECT_EQ(ticks[0].size, (Decimal{1647, -2}));
  EXPECT_EQ(ticks[0].event_time, 1606292218213457800LL);  // "1606292218213.4578" ms, exactly
}

TEST_F(GateParseTest, BookTickerIsAQuoteWithUpdateId) {
  ParseResult r = Parse(
      R"({"time":1606293275,"time_ms":1606293275723,"channel":"spot.book_ticker","event":"update","result":{"t":1606293275123,"u":48733182,"s":"BTC_USDT","b":"19177.79","B":"0.0003341504","a":"19179.38","A":"0.09"}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTC_USDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{1917779, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{1917938, -2}));
  EXPECT_EQ(ticks[0].event_time, 1606293275123LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 48733182u);
  EXPECT_EQ(ticks[0].prev_sequence, 0u);  // u is a book id, not a chain of book_ticker updates
}

TEST_F(GateParseTest, FuturesTradesAreAListWithSignedContractSizes) {
  ParseResult r = Parse(
      R"({"time":1614556850,"channel":"futures.trades","event":"update","error":null,"result":[{"size":1,"id":13654526,"create_time":1614556850,"create_time_ms":1614556850860,"price":"45300","contract":"BTC_USDT"},{"size":-2000,"id":13654527,"create_time":1614556850,"create_time_ms":1614556850861,"price":"45299.9","contract":"BTC_USDT"}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[1].symbol, "BTC_USDT");
  EXPECT_EQ(ticks[1].price, (Decimal{452999, -1}));
  EXPECT_EQ(ticks[1].size, (Decimal{2, 3}));  // |-2000| contracts
  EXPECT_EQ(ticks[1].event_time, 1614556850861LL * kNanosPerMilli);
  // Older frames carry create_time (s) only.
  r = Parse(
      R"({"time":1593561623,"channel":"futures.trades","event":"update","error":null,"result":[{"size":-22,"id":1696009,"create_time":1593561623,"price":"225.5","contract":"ETH_USDT"}]})");
  ASSERT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks[0].event_time, 1593561623LL * kNanosPerSecond);
}

TEST_F(GateParseTest, FuturesBookTickerWithoutABookHasNoQuote) {
  ParseResult r = Parse(
      R"({"id":null,"time":1648880663,"channel":"futures.book_ticker","event":"update","error":null,"result":{"t":0,"u":0,"s":"BSW_USDT","b":"","B":0,"a":"","A":0}})");
  EXPECT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(GateParseTest, ResultBeforeChannelIsStillRead) {
  ParseResult r = Parse(
      R"({"result":{"t":1606293275123,"u":48733182,"s":"BTC_USDT","b":"19177.79","B":"0.1","a":"19179.38","A":"0.09"},"event":"update","channel":"spot.book_ticker","time":1606293275})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].ask, (Decimal{1917938, -2}));
}

TEST_F(GateParseTest, ControlFramesAreClassified) {
  ParseResult r =
      Parse(R"({"time":1545404023,"channel":"spot.pong","event":"","error":null,"result":null})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(r.reply.empty());
  EXPECT_EQ(
      Parse(R"({"time":1684930165,"time_ms":0,"channel":"futures.pong","event":"","result":null})")
          .kind,
      FrameKind::kHeartbeat);
  r = Parse(
      R"({"time":1611541000,"time_ms":1611541000001,"channel":"spot.trades","event":"subscribe","error":null,"result":{"status":"success"}})");
  EXPECT_EQ(r.kind, FrameKind::kAck);
  EXPECT_EQ(r.detail, "spot.trades");
  r = Parse(
      R"({"time":1611541000,"channel":"spot.trades","event":"subscribe","error":{"code":2,"message":"unknown currency pair: BTC_USDX"},"result":{"status":"fail"}})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "unknown currency pair: BTC_USDX");
  r = Parse(
      R"({"type":"upgrade","msg":"The connection will soon be closed for a service upgrade. Please reconnect."})");
  EXPECT_EQ(r.kind, FrameKind::kReconnect);
  EXPECT_EQ(r.detail,
            "The connection will soon be closed for a service upgrade. Please reconnect.");
  EXPECT_EQ(
      Parse(
          R"({"time":1619093532,"channel":"spot.trades","event":"subscribe","payload":["BTC_USDT"]})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(
          R"({"time":1606291803,"channel":"spot.tickers","event":"update","result":{"currency_pair":"BTC_USDT","last":"19106.55","lowest_ask":"19108.71","highest_bid":"19106.55"}})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(
          R"({"method":"trades.update","params":["BTC_USDT",[{"id":259066862,"time":1593561592.432758,"price":"9137.38","amount":"0.0047","type":"buy"}]],"id":null})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(GateParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "not json",
          "[1,2]",
          R"({"time":1,"event":"update"})",
          R"({"channel":5,"event":"update"})",
          R"({"channel":"spot.trades","event":"update"})",
          R"({"channel":"spot.trades","event":"update","result":5})",
          R"({"channel":"spot.trades","event":"update","result":{"currency_pair":"BTC_USDT","amount":"1","create_time_ms":"1"}})",
          R"({"channel":"spot.trades","event":"update","result":{"currency_pair":"BTC_USDT","price":"1.2.3","amount":"1"}})",
          R"({"channel":"spot.trades","event":"update","result":{"price":"1","amount":"1"}})",
          R"({"channel":"spot.trades","event":"update","result":{"currency_pair":"BTC_USDT","price":"1","amount":"1","create_time_ms":"x"}})",
          R"({"channel":"spot.book_ticker","event":"update","result":{"t":1,"u":-5,"s":"BTC_USDT","b":"1","a":"2"}})",
          R"({"channel":"spot.book_ticker","event":"update","result":{"t":1,"b":"1","a":"2"}})",
          R"({"channel":"futures.trades","event":"update","result":[{"size":1,"price":"1","contract":"BTC_USDT"},7]})",
          R"({"channel":"spot.book_ticker","event":"update","result":{"t":1,"s":"BTC_USDT","b":"1")",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(GateParseTest, RepeatedResultIsUnparseable) {
  // A second "result" was read as well: a first one that failed (after an entry was added) was
  // then taken as data along with the second's ticks, and a valid one was read twice.
  for (
      const char* frame : {
          R"({"channel":"spot.trades","event":"update","result":[{"currency_pair":"BTC_USDT","price":"1","amount":"1"},{"currency_pair":"BTC_USDT","price":"x","amount":"1"}],"result":{"currency_pair":"BTC_USDT","price":"2","amount":"1"}})",
          R"({"channel":"spot.trades","event":"update","result":{"currency_pair":"BTC_USDT","price":"1","amount":"1"},"result":{"currency_pair":"BTC_USDT","price":"2","amount":"1"}})",
          R"({"result":{"currency_pair":"BTC_USDT","price":"1","amount":"1"},"channel":"spot.trades","event":"update","result":{"currency_pair":"BTC_USDT","price":"2","amount":"1"}})",
      }) {
    ParseResult r = Parse(frame);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << frame;
    EXPECT_EQ(r.detail, "repeated \"result\"") << frame;
    EXPECT_EQ(ticks.size(), 0u) << frame;
  }
}

TEST_F(GateParseTest, RestTickers) {
  ParseResult r = parser.ParseRestTicker(
      R"([{"currency_pair":"BTC_USDT","last":"16618.2","lowest_ask":"16618.2","highest_bid":"16618.1","change_percentage":"0.28","base_volume":"3331.1019407569","quote_volume":"55137098.012875","high_24h":"16627.8","low_24h":"16470.5"},{"currency_pair":"NEW_USDT","last":"","lowest_ask":"","highest_bid":""}])",
      &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "BTC_USDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{166181, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{166182, -1}));
  EXPECT_EQ(ticks[0].event_time, 0);
  ticks.Clear();
  r = parser.ParseRestTicker(
      R"({"label":"INVALID_CURRENCY_PAIR","message":"Invalid currency pair BTC_USDX"})", &ticks);
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Invalid currency pair BTC_USDX");
  EXPECT_EQ(
      parser
          .ParseRestTicker(
              R"([{"currency_pair":"BTC_USDT","highest_bid":"1","lowest_ask":"2"},{"currency_pair":"ETH_USDT","highest_bid":"x","lowest_ask":"2"}])",
              &ticks)
          .kind,
      FrameKind::kUnparseable);
  EXPECT_EQ(ticks.size(), 0u);  // nothing of a rejected body is kept
}

TEST(GateSymbols, SubscriptionsPingAndRest) {
  auto msgs = GateSpotSubscribeMessages({"BTC_USDT", "ETH_USDT"}, 1700000000);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(
      msgs[0],
      R"({"time":1700000000,"channel":"spot.trades","event":"subscribe","payload":["BTC_USDT","ETH_USDT"]})");
  EXPECT_EQ(
      msgs[1],
      R"({"time":1700000000,"channel":"spot.book_ticker","event":"subscribe","payload":["BTC_USDT","ETH_USDT"]})");
  EXPECT_TRUE(GateSpotSubscribeMessages({}, 1).empty());
  EXPECT_EQ(GateSpotPingMessage(1700000001), R"({"time":1700000001,"channel":"spot.ping"})");
  EXPECT_EQ(GateSpotRestTickerUrl("BTC_USDT"),
            "https://api.gateio.ws/api/v4/spot/tickers?currency_pair=BTC_USDT");
}

TEST(GateProtocol, UrlsPingAndLimits) {
  auto p = MakeGateProtocol();
  EXPECT_EQ(p->WebSocketUrl({"BTC_USDT"}), "wss://api.gateio.ws/ws/v4/");
  auto msgs = p->SubscribeMessages({"BTC_USDT"});
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_NE(msgs[0].find(R"("channel":"spot.trades","event":"subscribe","payload":["BTC_USDT"])"),
            std::string::npos);
  EXPECT_NE(p->ClientPing(3).find(R"("channel":"spot.ping")"), std::string::npos);
  EXPECT_EQ(p->ClientPingInterval(), 10 * kNanosPerSecond);
  EXPECT_GT(p->SilenceLimit(), p->ClientPingInterval());
  EXPECT_TRUE(p->RestTickerPerSymbol());
  EXPECT_EQ(p->RestTickerUrl({"ETH_USDT"}),
            "https://api.gateio.ws/api/v4/spot/tickers?currency_pair=ETH_USDT");
  TickBuffer ticks;
  EXPECT_EQ(p->Parse(R"({"time":1,"time_ms":1000,"channel":"spot.pong","event":"","result":null})",
                     &ticks)
                .kind,
            FrameKind::kHeartbeat);
}

// Every Gate fixture frame of a channel the oracle reads parses or is classified.
TEST(GateConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"gateio/rest_spot_tickers.freqdash.jsonl", data, true, 3},
      // The retired v3 protocol (tardis recordings from 2020): valid frames the oracle does not
      // use.
      {"gateio/spot_legacy_v3_ticker.update.tardis.jsonl", {K::kIgnored}},
      {"gateio/spot_legacy_v3_trades.update.tardis.jsonl", {K::kIgnored}},
      {"gateio/spot_replay.cryptofeed.log", {K::kData, K::kIgnored}, false, 9},
      {"gateio/spot_spot.book_ticker.tardis.jsonl", data, false, 1},
      {"gateio/spot_spot.order_book_update.cryptofeed.jsonl", {K::kIgnored}},
      {"gateio/spot_spot.tickers.cryptofeed.jsonl", {K::kIgnored}},
      {"gateio/spot_spot.trades.cryptofeed.jsonl", data, false, 9},
      {"gateio/spot_spot.trades.tardis.jsonl", data, false, 1},
      {"gateio/spot_subscribe_ack.cryptofeed.jsonl", {K::kAck}},
      // Client requests recorded by cryptofeed: not frames Gate sends.
      {"gateio/spot_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"gateio/usdt_futures_futures.book_ticker.cryptofeed.jsonl", data, false, 12},
      // The second frame is a contract without a book (b/a ""): data without a quote.
      {"gateio/usdt_futures_futures.book_ticker.tardis.jsonl", data, false, 1},
      {"gateio/usdt_futures_futures.order_book_update.cryptofeed.jsonl", {K::kIgnored}},
      {"gateio/usdt_futures_futures.tickers.tardis.jsonl", {K::kIgnored, K::kAck}},
      {"gateio/usdt_futures_futures.trades.tardis.jsonl", {K::kData, K::kAck}, false, 5},
      {"gateio/usdt_futures_replay.cryptofeed.log", data, false, 75},
      {"gateio/usdt_futures_subscribe_ack.cryptofeed.jsonl", {K::kAck}},
      {"gateio/usdt_futures_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
  };
  GateParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/gate/testdata";
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
