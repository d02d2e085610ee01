// HTX parser: documented frames (unit), every fixture frame (conformance), symbols and protocol.
#include <gtest/gtest.h>

#include <string>

#include "conformance/fixture_runner.h"
#include "feeds/htx/htx_adapter.h"
#include "feeds/htx/htx_parse.h"
#include "feeds/htx/htx_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class HtxParseTest : public ::testing::Test {
 protected:
  HtxParser parser;
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

TEST_F(HtxParseTest, TradeDetailFromTheDocs) {
  // The docs' market.$symbol.trade.detail update: "id" is a float beyond 64 bits, tradeId the
  // unique trade id.
  ParseResult r = Parse(
      R"({"ch":"market.btcusdt.trade.detail","ts":1630994963175,"tick":{"id":137005445109,"ts":1630994963173,"data":[{"id":1.3700544510935929e+26,"ts":1630994963173,"tradeId":102523573486,"amount":0.006754,"price":52648.62,"direction":"buy"}]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "btcusdt");
  EXPECT_EQ(ticks[0].price, (Decimal{5264862, -2}));
  EXPECT_EQ(ticks[0].size, (Decimal{6754, -6}));
  EXPECT_EQ(ticks[0].event_time, 1630994963173LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 102523573486u);
  EXPECT_TRUE(r.reply.empty());
}

TEST_F(HtxParseTest, ScientificPricesAndIdsBeyond64BitsAreExact) {
  // Live frame (cryptofeed capture): the trade id has 27 digits, the price is 9.2E-7.
  ParseResult r = Parse(
      R"({"ch":"market.trioeth.trade.detail","ts":1618678027942,"tick":{"id":100182534526,"ts":1618678027940,"data":[{"id":100182534526255757567432481,"ts":1618678027940,"tradeId":100045088885,"amount":20995.88,"price":9.2E-7,"direction":"buy"}]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "trioeth");
  EXPECT_EQ(ticks[0].price, (Decimal{92, -8}));
  EXPECT_EQ(ticks[0].size, (Decimal{2099588, -2}));
  EXPECT_EQ(ticks[0].sequence, 100045088885u);
  // Lower-case exponent, a string id, a trailing ".0".
  r = Parse(
      R"({"ch":"market.mexbtc.trade.detail","ts":1572911088789,"tick":{"id":100033171587,"ts":1572911088761,"data":[{"id":"10020171792852100010452","ts":1572911088761,"amount":1569.86,"price":6.37e-08,"direction":"buy"},{"id":1.0003317158754671e+22,"ts":1572911088762,"amount":2.0,"price":716.0,"direction":"sell"}]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].price, (Decimal{637, -10}));
  EXPECT_EQ(ticks[0].sequence, 0u);  // no tradeId
  EXPECT_EQ(ticks[1].price, (Decimal{716, 0}));
  EXPECT_EQ(ticks[1].size, (Decimal{2, 0}));
  EXPECT_EQ(ticks[1].event_time, 1572911088762LL * kNanosPerMilli);
}

TEST_F(HtxParseTest, LinearSwapTradesTakeTheCoinQuantity) {
  ParseResult r = Parse(
      R"({"ch":"market.BTC-USDT.trade.detail","ts":1666114554581,"tick":{"id":118655891999,"ts":1666114554480,"data":[{"amount":2,"quantity":0.002,"trade_turnover":38.85,"ts":1666114554480,"id":1186558919990000,"price":19425,"direction":""}]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "BTC-USDT");
  EXPECT_EQ(ticks[0].price, (Decimal{19425, 0}));
  EXPECT_EQ(ticks[0].size, (Decimal{2, -3}));  // quantity, not the 2 contracts
  // Older frames have no quantity: the amount (contracts) is the size.
  r = Parse(
      R"({"ch":"market.EOS-USDT.trade.detail","ts":1606780814945,"tick":{"id":291891365,"ts":1606780814931,"data":[{"amount":6,"ts":1606780814931,"id":2918913650000,"price":3.2639,"direction":"buy"}]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].size, (Decimal{6, 0}));
}

TEST_F(HtxParseTest, TradeWithoutItsOwnTsTakesTheTickTs) {
  ASSERT_EQ(
      Parse(
          R"({"ch":"market.btcusdt.trade.detail","ts":3,"tick":{"ts":2,"data":[{"amount":1,"price":5}]}})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].event_time, 2 * kNanosPerMilli);
}

TEST_F(HtxParseTest, BboIsAQuoteWithQuoteTimeAndSeqId) {
  // The docs' market.$symbol.bbo update.
  ParseResult r = Parse(
      R"({"ch":"market.btcusdt.bbo","ts":1630994555540,"tick":{"seqId":137005210233,"ask":52665.02,"askSize":1.502181,"bid":52665.01,"bidSize":0.178567,"quoteTime":1630994555539,"symbol":"btcusdt"}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "btcusdt");
  EXPECT_EQ(ticks[0].bid, (Decimal{5266501, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{5266502, -2}));
  EXPECT_EQ(ticks[0].event_time, 1630994555539LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 137005210233u);
}

TEST_F(HtxParseTest, BboWithStringValuesAsInTheOlderDocs) {
  ParseResult r = Parse(
      R"({"ch":"market.btcusdt.bbo","ts":1489474082831,"tick":{"symbol":"btcusdt","quoteTime":"1489474082811","bid":"10008.31","bidSize":"0.01","ask":"10009.54","askSize":"0.3","seqId":"10242474683"}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{1000831, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{1000954, -2}));
  EXPECT_EQ(ticks[0].event_time, 1489474082811LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 10242474683u);
}

TEST_F(HtxParseTest, LinearSwapBboSidesArePriceSizePairs) {
  ParseResult r = Parse(
      R"({"ch":"market.BTC-USDT.bbo","ts":1630454400495,"tick":{"mrid":64797873746,"id":1630454400,"bid":[47176.5,1],"ask":[47176.6,9249],"ts":1630454400495,"version":64797873746,"ch":"market.BTC-USDT.bbo"}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "BTC-USDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{471765, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{471766, -1}));
  EXPECT_EQ(ticks[0].event_time, 1630454400495LL * kNanosPerMilli);  // tick "ts"
  EXPECT_EQ(ticks[0].sequence, 0u);
}

TEST_F(HtxParseTest, EmptyOrZeroSideGivesNoQuote) {
  EXPECT_EQ(
      Parse(R"({"ch":"market.BTC-USDT.bbo","ts":1,"tick":{"bid":[],"ask":[47176.6,9249],"ts":1}})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
  EXPECT_EQ(
      Parse(R"({"ch":"market.btcusdt.bbo","ts":1,"tick":{"bid":0,"ask":1,"quoteTime":1}})").kind,
      FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(HtxParseTest, PingIsAnsweredWithTheSameNumber) {
  ParseResult r = Parse(R"({"ping":1492420473027})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_EQ(r.reply, R"({"pong":1492420473027})");
  r = Parse(R"({"ping":1618678073643})");
  EXPECT_EQ(r.reply, R"({"pong":1618678073643})");
  r = Parse(R"({"pong":1492420473027})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(r.reply.empty());
  // Only an integer is echoed.
  for (const char* bad : {R"({"ping":"1\"}"})", R"({"ping":1.5})", R"({"ping":-1})",
                          R"({"ping":null})", R"({"ping":123456789012345678901})"}) {
    r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_TRUE(r.reply.empty()) << bad;
  }
}

TEST_F(HtxParseTest, AcksErrorsAndRequestsAreClassified) {
  ParseResult r = Parse(
      R"({"id":"1","subbed":"market.GRT-USDT.trade.detail","ts":1645289384874,"status":"ok"})");
  EXPECT_EQ(r.kind, FrameKind::kAck);
  EXPECT_EQ(r.detail, "market.GRT-USDT.trade.detail");
  EXPECT_EQ(
      Parse(R"({"id":null,"subbed":"market.BTC_CW.trade.detail","ts":1572912001262,"status":"ok"})")
          .kind,
      FrameKind::kAck);
  EXPECT_EQ(
      Parse(
          R"({"id":"id4","status":"ok","unsubbed":"market.btcusdt.trade.detail","ts":1494326028889})")
          .kind,
      FrameKind::kAck);
  r = Parse(
      R"({"id":"id2","status":"error","err-code":"bad-request","err-msg":"invalid topic market.invalidsymbol.kline.1min","ts":1494301904959})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "invalid topic market.invalidsymbol.kline.1min");
  r = Parse(R"({"ts":1492420473027,"status":"error","err-code":"bad-request"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "bad-request");
  EXPECT_EQ(Parse(R"({"sub":"market.btcusdt.trade.detail","id":"1"})").kind, FrameKind::kIgnored);
  EXPECT_EQ(Parse(R"({"req":"market.btcusdt.kline.1min","id":"id1"})").kind, FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(R"({"id":"id1","status":"ok","rep":"market.btcusdt.mbp.150","data":{"seqNum":1}})")
          .kind,
      FrameKind::kIgnored);
}

TEST_F(HtxParseTest, ChannelsTheOracleDoesNotUseAreIgnored) {
  for (
      const char* frame : {
          R"({"ch":"market.btcusdt.depth.step0","ts":1630983549503,"tick":{"bids":[[52690.69,0.36281]],"asks":[[52690.7,0.372591]],"version":136998124622,"ts":1630983549500}})",
          R"({"ch":"market.BTC_CW.detail","ts":1572912000995,"tick":{"id":1572912000,"open":9323.85,"close":9435.15}})",
          R"({"ch":"market.ethbtc.kline.1min","ts":1630981694370,"tick":{"id":1630981680,"open":0.074849}})",
          R"({"ch":"market.btcusdt.ticker","ts":1,"tick":{"bid":1,"ask":2}})",
          R"({"ch":"accounts.update#1","ts":1,"tick":{}})",
      }) {
    ParseResult r = Parse(frame);
    EXPECT_EQ(r.kind, FrameKind::kIgnored) << frame;
    EXPECT_EQ(ticks.size(), 0u) << frame;
  }
}

TEST_F(HtxParseTest, KeysInAnyOrder) {
  ParseResult r = Parse(
      R"({"tick":{"data":[{"price":2,"amount":1,"ts":5}]},"ts":6,"ch":"market.btcusdt.trade.detail"})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "btcusdt");
  EXPECT_EQ(ticks[0].price, (Decimal{2, 0}));
  r = Parse(R"({"tick":{"ask":2,"bid":1},"ts":6,"ch":"market.btcusdt.bbo"})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].event_time, 6 * kNanosPerMilli);  // the frame "ts"
}

TEST_F(HtxParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "not json",
          "[1,2]",
          R"({"foo":1})",
          R"({"ch":5,"tick":{}})",
          R"({"ch":"market.btcusdt.trade.detail","ts":1})",
          R"({"ch":"market.btcusdt.trade.detail","tick":5})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"ts":1}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":{}}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[5]}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":"x","amount":1,"ts":1}]}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":0,"amount":1,"ts":1}]}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"ts":1}]}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"amount":-1,"ts":1}]}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"amount":1,"ts":"soon"}]}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1e400,"amount":1,"ts":1}]}})",
          R"({"ch":"market.btcusdt.trade.detail","ts":"x","tick":{"data":[{"price":1,"amount":1}]}})",
          R"({"ch":"market.btcusdt.bbo","tick":{"bid":1,"quoteTime":1}})",
          R"({"ch":"market.btcusdt.bbo","tick":{"bid":{},"ask":1,"quoteTime":1}})",
          R"({"ch":"market.btcusdt.bbo","tick":{"bid":"x","ask":1,"quoteTime":1}})",
          R"({"ch":"market.btcusdt.bbo","tick":{"bid":1,"ask":2,"quoteTime":"later"}})",
          R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"amount":1,"ts":1})",
          R"({"tick":{"data":[{"price":1,"amount":1,"ts":1}]},"ch":"market.btcusdt.trade.detail","ts":1)",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(HtxParseTest, ABadTradeDropsTheWholeFrame) {
  ParseResult r = Parse(
      R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"amount":1,"ts":1},{"price":1,"amount":"oops","ts":1}]}})");
  EXPECT_EQ(r.kind, FrameKind::kUnparseable);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(HtxParseTest, RepeatedChTickPingOrStatusIsUnparseable) {
  // A second "ch" re-labelled a tick already read (kIgnored with ticks left in the buffer, or the
  // ticks given the second symbol); a second "tick" was read as well.
  struct Case {
    const char* frame;
    std::string_view detail;
  };
  for (
      const Case& c : {
          Case{
              R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"amount":1,"ts":1}]},"ch":"market.btcusdt.depth.step0"})",
              "repeated \"ch\""},
          Case{
              R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"amount":1,"ts":1}]},"ch":"market.ethusdt.trade.detail"})",
              "repeated \"ch\""},
          Case{
              R"({"ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"amount":1,"ts":1}]},"tick":{"data":[{"price":2,"amount":1,"ts":1}]}})",
              "repeated \"tick\""},
          Case{
              R"({"tick":{"data":[{"price":1,"amount":1,"ts":1}]},"ch":"market.btcusdt.trade.detail","tick":{"data":[]}})",
              "repeated \"tick\""},
          Case{R"({"ping":1,"ping":2})", "repeated \"ping\""},
          Case{
              R"({"ch":"market.btcusdt.bbo","tick":{"bid":1,"ask":2},"status":"error","status":"ok"})",
              "repeated \"status\""},
      }) {
    ParseResult r = Parse(c.frame);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << c.frame;
    EXPECT_EQ(r.detail, c.detail) << c.frame;
    EXPECT_EQ(ticks.size(), 0u) << c.frame;
    EXPECT_TRUE(r.reply.empty()) << c.frame;
  }
}

TEST_F(HtxParseTest, PingPongOrErrorBesideATickLeavesNoTicks) {
  // The ping, pong or error classifies the frame; the tick already read is dropped.
  const std::string_view tick =
      R"("ch":"market.btcusdt.trade.detail","tick":{"data":[{"price":1,"amount":1,"ts":1}]})";
  ParseResult r = Parse(std::string("{") + std::string(tick) + R"(,"ping":7})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_EQ(r.reply, R"({"pong":7})");
  EXPECT_EQ(ticks.size(), 0u);
  r = Parse(std::string("{") + std::string(tick) + R"(,"pong":7})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_EQ(ticks.size(), 0u);
  r = Parse(std::string("{") + std::string(tick) + R"(,"status":"error","err-msg":"bad"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "bad");
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(HtxParseTest, RestDetailMerged) {
  // The docs' /market/detail/merged reply.
  ParseResult r = Rest(
      R"({"ch":"market.btcusdt.detail.merged","status":"ok","ts":1629788763750,"tick":{"id":272156789143,"version":272156789143,"open":50080,"close":49820.92,"low":48767,"high":50500,"amount":12055.365781937457,"vol":598561868.5709001,"count":420573,"bid":[49819.48,2.58112],"ask":[49819.49,0.002411]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "btcusdt");
  EXPECT_EQ(ticks[0].bid, (Decimal{4981948, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{4981949, -2}));
  EXPECT_EQ(ticks[0].event_time, 1629788763750LL * kNanosPerMilli);
  // Another capture puts "status" first and writes vol in scientific notation.
  r = Rest(
      R"({"status":"ok","ch":"market.btcusdt.detail.merged","ts":1583810974164,"tick":{"amount":71311.94804854663,"open":8082.13,"close":7890.19,"high":8082.14,"id":210146022322,"count":561789,"low":7638.0,"version":210146022322,"ask":[7890.98,0.58188],"vol":5.587285592033827E8,"bid":[7888.83,0.061314]}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{788883, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{789098, -2}));

  r = Rest(
      R"({"status":"error","err-code":"invalid-parameter","err-msg":"invalid symbol","data":null})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "invalid symbol");
  EXPECT_EQ(ticks.size(), 0u);
  for (const char* bad :
       {"", "[]", R"({"status":"ok"})", R"({"status":"ok","tick":{"bid":[1,1],"ask":[2,1]}})",
        R"({"ch":"market.btcusdt.detail.merged","tick":{"bid":[1,1]}})",
        R"({"ch":"market.btcusdt.detail.merged","tick":{"bid":[1,1],"ask":{"p":2}}})",
        R"({"ch":"market.btcusdt.detail.merged","tick":{"bid":["x",1],"ask":[2,1]}})"}) {
    r = Rest(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST(HtxSymbols, SymbolsTopicsAndSubscriptions) {
  EXPECT_EQ(HtxSpotSymbol("BTC", "USDT"), "btcusdt");
  EXPECT_EQ(HtxSpotSymbol("usdc", "usdt"), "usdcusdt");
  EXPECT_EQ(HtxTopic("btcusdt", "bbo"), "market.btcusdt.bbo");
  std::string_view symbol, channel;
  ASSERT_TRUE(HtxSplitTopic("market.btcusdt.trade.detail", &symbol, &channel));
  EXPECT_EQ(symbol, "btcusdt");
  EXPECT_EQ(channel, "trade.detail");
  ASSERT_TRUE(HtxSplitTopic("market.BTC-USDT.bbo", &symbol, &channel));
  EXPECT_EQ(symbol, "BTC-USDT");
  EXPECT_EQ(channel, "bbo");
  for (const char* bad :
       {"", "market.", "market.btcusdt", "market..bbo", "market.btcusdt.", "trade.btcusdt.bbo"}) {
    EXPECT_FALSE(HtxSplitTopic(bad, &symbol, &channel)) << bad;
  }
  auto msgs = HtxSubscribeMessages({"trade.detail", "bbo"}, {"btcusdt", "ethusdt"});
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0], R"({"sub":"market.btcusdt.trade.detail","id":"1"})");
  EXPECT_EQ(msgs[1], R"({"sub":"market.btcusdt.bbo","id":"2"})");
  EXPECT_EQ(msgs[3], R"({"sub":"market.ethusdt.bbo","id":"4"})");
  EXPECT_EQ(HtxRestTickerUrl("btcusdt"),
            "https://api.huobi.pro/market/detail/merged?symbol=btcusdt");
}

TEST(HtxProtocol, ConnectSubscribeAndKeepAlive) {
  auto p = MakeHtxProtocol();
  EXPECT_EQ(p->WebSocketUrl({"btcusdt"}), "wss://api.huobi.pro/ws");
  EXPECT_TRUE(p->BinaryFramesAreCompressed());
  auto msgs = p->SubscribeMessages({"btcusdt"});
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0], R"({"sub":"market.btcusdt.trade.detail","id":"1"})");
  EXPECT_EQ(msgs[1], R"({"sub":"market.btcusdt.bbo","id":"2"})");
  EXPECT_TRUE(p->ClientPing(1).empty());  // the server pings; the parser's reply answers
  EXPECT_EQ(p->ClientPingInterval(), 0);
  EXPECT_GT(p->SilenceLimit(), 10 * kNanosPerSecond);  // > two 5 s ping periods
  TickBuffer ticks;
  ParseResult r = p->Parse(R"({"ping":1645289389594})", &ticks);
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_EQ(r.reply, R"({"pong":1645289389594})");
  EXPECT_TRUE(p->RestTickerPerSymbol());
  EXPECT_EQ(p->RestTickerUrl({"ethusdt"}),
            "https://api.huobi.pro/market/detail/merged?symbol=ethusdt");
  EXPECT_TRUE(p->BootstrapUrl().empty());
  EXPECT_EQ(p->ConnectionLifetime(), 0);
}

// Every HTX fixture frame parses or is classified.
TEST(HtxConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"htx/linear_swap_market_bbo.tardis.jsonl", data, false, 1},
      {"htx/linear_swap_market_trade_detail.cryptofeed.jsonl", data, false, 12},
      {"htx/linear_swap_market_trade_detail.tardis.jsonl", data, false, 3},
      {"htx/linear_swap_ping.cryptofeed.jsonl", {K::kHeartbeat}},
      {"htx/linear_swap_sub_ack.cryptofeed.jsonl", {K::kAck}},
      {"htx/linear_swap_sub_ack.tardis.jsonl", {K::kAck}},
      {"htx/linear_swap_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"htx/spot_and_dm_market_detail.tardis.jsonl", {K::kIgnored}},
      {"htx/spot_and_dm_market_trade_detail.tardis.jsonl", data, false, 5},
      {"htx/spot_and_dm_sub_ack.tardis.jsonl", {K::kAck}},
      {"htx/spot_market_depth.cryptofeed.jsonl", {K::kIgnored}},
      {"htx/spot_market_trade_detail.cryptofeed.jsonl", data, false, 12},
      {"htx/spot_mbp_market_bbo.tardis.jsonl", data, false, 2},
      {"htx/spot_ping.cryptofeed.jsonl", {K::kHeartbeat}},
      {"htx/spot_replay.cryptofeed.log", data, false, 44},
      {"htx/spot_sub_ack.cryptofeed.jsonl", {K::kAck}},
      {"htx/spot_subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
  };
  HtxParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/htx/testdata";
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
