// KuCoin parser: documented frames (unit), every fixture frame (conformance), symbols, the
// bullet-public bootstrap and the protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/kucoin/kucoin_adapter.h"
#include "feeds/kucoin/kucoin_parse.h"
#include "feeds/kucoin/kucoin_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class KucoinParseTest : public ::testing::Test {
 protected:
  KucoinParser parser;
  TickBuffer ticks;
  ParseResult Parse(std::string_view frame) {
    ticks.Clear();
    return parser.Parse(frame, &ticks);
  }
};

TEST_F(KucoinParseTest, MatchIsATradeWithNanosecondTime) {
  // 19-digit ns times do not fit a Decimal (18 digits): they must still be exact.
  ParseResult r = Parse(
      R"({"type":"message","topic":"/market/match:BTC-USDT","subject":"trade.l3match","data":{"sequence":"1545896669145","type":"match","symbol":"BTC-USDT","side":"buy","price":"67523.1","size":"0.00307","tradeId":"5c24c5da03aa673885cd67aa","takerOrderId":"5c24c5d903aa6772d55b371e","makerOrderId":"5c2187d003aa677bd09d5c93","time":"1729843222921042137"}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "BTC-USDT");
  EXPECT_EQ(ticks[0].price, (Decimal{675231, -1}));
  EXPECT_EQ(ticks[0].size, (Decimal{307, -5}));
  EXPECT_EQ(ticks[0].event_time, 1729843222921042137LL);
  EXPECT_EQ(ticks[0].sequence, 1545896669145u);
}

TEST_F(KucoinParseTest, TickerIsAQuoteWithMillisecondTime) {
  ParseResult r = Parse(
      R"({"type":"message","topic":"/market/ticker:BTC-USDT","subject":"trade.ticker","data":{"sequence":"1545896668986","price":"0.08","size":"0.011","bestAsk":"0.08","bestAskSize":"0.18","bestBid":"0.049","bestBidSize":"0.036","time":1545913818612}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BTC-USDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{49, -3}));
  EXPECT_EQ(ticks[0].ask, (Decimal{8, -2}));
  EXPECT_EQ(ticks[0].event_time, 1545913818612LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 1545896668986u);
}

TEST_F(KucoinParseTest, TickerFieldsMayComeBeforeTheTopicAndTimeInAnyUnit) {
  ParseResult r = Parse(
      R"({"data":{"sequence":"1612844051653","bestAsk":"0.00028717","size":"0.01745248","bestBidSize":"3.70422021","price":"0.00028676","time":1619378326323000000,"bestAskSize":"14.04274325","bestBid":"0.00028678"},"subject":"trade.ticker","topic":"/market/ticker:SNX-BTC","type":"message"})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "SNX-BTC");
  EXPECT_EQ(ticks[0].event_time, 1619378326323LL * kNanosPerMilli);
}

TEST_F(KucoinParseTest, AllTickersTopicNamesTheSymbolInTheSubject) {
  ParseResult r = Parse(
      R"({"type":"message","topic":"/market/ticker:all","subject":"ETH-USDT","data":{"bestAsk":"2500.1","bestBid":"2500","sequence":"7","time":1700000000000}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "ETH-USDT");
}

TEST_F(KucoinParseTest, FuturesExecutionAndTickerV2) {
  ParseResult r = Parse(
      R"({"type":"message","topic":"/contractMarket/execution:XBTUSDTM","subject":"match","data":{"symbol":"XBTUSDTM","sequence":36,"side":"buy","size":100,"price":"3600.0","takerOrderId":"5c9dd00870744d71c43f5e25","makerOrderId":"5c9dcf4170744d6f5a3d32fb","tradeId":"5c9dd00970744d6f5a3d32fc","ts":1553846281210000000}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "XBTUSDTM");
  EXPECT_EQ(ticks[0].size, (Decimal{1, 2}));
  EXPECT_EQ(ticks[0].event_time, 1553846281210000000LL);
  r = Parse(
      R"({"type":"message","topic":"/contractMarket/tickerV2:XBTUSDTM","subject":"tickerV2","data":{"symbol":"XBTUSDTM","sequence":45,"bestBidSize":795,"bestBidPrice":"3200.0","bestAskPrice":"3600.0","bestAskSize":284,"ts":1553846081210004941}})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].bid, (Decimal{32, 2}));
  EXPECT_EQ(ticks[0].event_time, 1553846081210004941LL);
  EXPECT_EQ(ticks[0].sequence, 45u);
}

TEST_F(KucoinParseTest, ControlFramesAreClassified) {
  EXPECT_EQ(Parse(R"({"id":"hQvf8jkno","type":"welcome"})").kind, FrameKind::kAck);
  EXPECT_EQ(Parse(R"({"id":"1545910660739","type":"ack"})").kind, FrameKind::kAck);
  ParseResult r = Parse(R"({"id":"1545910590801","type":"pong"})");
  EXPECT_EQ(r.kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(r.reply.empty());
  r = Parse(
      R"({"id":"1","type":"error","code":404,"data":"topic /market/match:BTC-USDX is not found"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "topic /market/match:BTC-USDX is not found");
  r = Parse(R"({"id":"2","type":"error","code":"401"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "401");
  EXPECT_EQ(
      Parse(
          R"({"id":1,"type":"subscribe","topic":"/market/match:BTC-USDT","privateChannel":false,"response":true})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(
          R"({"data":{"sequenceStart":1613277183874,"symbol":"BCHSV-USDT","changes":{"asks":[["0","0","1613277183874"]],"bids":[]},"sequenceEnd":1613277183874},"subject":"trade.l2update","topic":"/market/level2:BCHSV-USDT","type":"message"})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(
      Parse(
          R"({"sessionId":"92f2aec4-d87e-47cc-917d-4e7c93911bdc","data":"welcome","pingInterval":18000,"pingTimeout":10000})")
          .kind,
      FrameKind::kAck);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(KucoinParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "not json",
          "[1,2]",
          R"({"id":"1"})",
          R"({"type":5})",
          R"({"type":""})",
          R"({"type":"message","subject":"trade.l3match","data":{}})",
          R"({"type":"message","topic":"/market/match:BTC-USDT","data":{"price":"1","time":"1729843222921042137"}})",
          R"({"type":"message","topic":"/market/match:BTC-USDT","data":{"price":"one","size":"1"}})",
          R"({"type":"message","topic":"/market/match:BTC-USDT","data":{"price":"1","size":"1","time":"1.5e18"}})",
          R"({"type":"message","topic":"/market/match:BTC-USDT","data":{"price":"1","size":"1","time":"99999999999999999999"}})",
          R"({"type":"message","topic":"/market/ticker:BTC-USDT","data":{"bestBid":"1","bestAsk":"2","sequence":"-1"}})",
          R"({"type":"message","topic":"/market/ticker:BTC-USDT","data":{"bestBid":"1","bestAsk":"2x"}})",
          R"({"type":"message","topic":"/market/ticker:","data":{"bestBid":"1","bestAsk":"2"}})",
          R"({"type":"message","topic":"/market/match:BTC-USDT","data":{"price":"1","size":"1")",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(KucoinParseTest, RestLevel1UsesTheRestSymbol) {
  const char* body =
      R"({"code":"200000","data":{"time":1672585428412,"sequence":"4400250097","price":"16542.7","size":"0.00001554","bestBid":"16542.7","bestBidSize":"1.96581687","bestAsk":"16542.8","bestAskSize":"3.32688824"}})";
  EXPECT_EQ(parser.ParseRestTicker(body, &ticks).kind, FrameKind::kUnparseable);
  parser.SetRestSymbol("BTC-USDT");
  ParseResult r = parser.ParseRestTicker(body, &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "BTC-USDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{165427, -1}));
  EXPECT_EQ(ticks[0].ask, (Decimal{165428, -1}));
  EXPECT_EQ(ticks[0].event_time, 1672585428412LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 4400250097u);
}

TEST_F(KucoinParseTest, RestAllTickersAndErrors) {
  ParseResult r = parser.ParseRestTicker(
      R"({"code":"200000","data":{"time":1672585595001,"ticker":[{"symbol":"NKN-USDT","symbolName":"NKN-USDT","buy":"0.079375","sell":"0.07966","last":"0.079414"},{"symbol":"NEW-USDT","buy":null,"sell":null}]}})",
      &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "NKN-USDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{79375, -6}));
  EXPECT_EQ(ticks[0].event_time, 1672585595001LL * kNanosPerMilli);
  ticks.Clear();
  r = parser.ParseRestTicker(R"({"code":"400100","msg":"This pair is not provided at present"})",
                             &ticks);
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "This pair is not provided at present");
  EXPECT_EQ(
      parser
          .ParseRestTicker(
              R"({"code":"200000","data":{"ticker":[{"symbol":"A-B","buy":"1","sell":"2"},{"buy":"1","sell":"2"}]}})",
              &ticks)
          .kind,
      FrameKind::kUnparseable);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST(KucoinBullet, ReadsTokenEndpointAndPingInterval) {
  KucoinBullet b;
  std::string why;
  ASSERT_TRUE(ParseKucoinBullet(
      R"({"code":"200000","data":{"token":"2neAiuYvAU61ZDXANAGAsiL4-iAExhsBXZxftpOeh_55i3Ysy2q2LEsEWU64mdzUOPusi34M_wGoSf7iNyEWJ1UQy47YbpY4zVdzilNP-Bj3iXzrjjGlWtiYB9J6i9GjsxUuhPw3BlrzazF6ghq4Lzf7scStOz3KkxjwpsOBCH4=.WNQmhZQeUKIkh97KYgU0Lg==","instanceServers":[{"endpoint":"wss://ws-api-spot.kucoin.com/","encrypt":true,"protocol":"websocket","pingInterval":18000,"pingTimeout":10000}]}})",
      &b, &why))
      << why;
  EXPECT_EQ(b.endpoint, "wss://ws-api-spot.kucoin.com/");
  EXPECT_EQ(b.ping_interval, 18 * kNanosPerSecond);
  EXPECT_EQ(b.ping_timeout, 10 * kNanosPerSecond);
  EXPECT_FALSE(ParseKucoinBullet(R"({"code":"429000","msg":"Too Many Requests"})", &b, &why));
  EXPECT_EQ(why, "bullet-public code 429000: Too Many Requests");
  EXPECT_FALSE(ParseKucoinBullet(R"({"code":"200000","data":{"token":"t","instanceServers":[]}})",
                                 &b, &why));
  EXPECT_FALSE(ParseKucoinBullet("nope", &b, &why));
}

TEST(KucoinSymbols, TopicsSubscriptionsPingAndUrls) {
  EXPECT_EQ(KucoinTopic(kKucoinMatchTopicPrefix, {"BTC-USDT", "ETH-USDT"}),
            "/market/match:BTC-USDT,ETH-USDT");
  auto msgs = KucoinSubscribeMessages({"BTC-USDT", "ETH-USDT", "SOL-USDT"}, 2);
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(
      msgs[0],
      R"({"id":"1","type":"subscribe","topic":"/market/match:BTC-USDT,ETH-USDT","privateChannel":false,"response":true})");
  EXPECT_EQ(
      msgs[1],
      R"({"id":"2","type":"subscribe","topic":"/market/match:SOL-USDT","privateChannel":false,"response":true})");
  EXPECT_EQ(
      msgs[3],
      R"({"id":"4","type":"subscribe","topic":"/market/ticker:SOL-USDT","privateChannel":false,"response":true})");
  EXPECT_EQ(KucoinPingMessage(7), R"({"id":"7","type":"ping"})");
  EXPECT_EQ(KucoinWebSocketUrl("wss://ws-api-spot.kucoin.com/", "ab+c=.d==", "42"),
            "wss://ws-api-spot.kucoin.com/?token=ab%2Bc%3D.d%3D%3D&connectId=42");
  EXPECT_EQ(KucoinRestTickerUrl("BTC-USDT"),
            "https://api.kucoin.com/api/v1/market/stats?symbol=BTC-USDT");
}

TEST(KucoinProtocol, BootstrapPingAndRest) {
  auto p = MakeKucoinProtocol();
  EXPECT_EQ(p->BootstrapUrl(), "https://api.kucoin.com/api/v1/bullet-public");
  std::string url;
  DurationNs ping = 0;
  ASSERT_TRUE(p->WebSocketUrlFromBootstrap(
      R"({"code":"200000","data":{"token":"tok123","instanceServers":[{"endpoint":"wss://ws-api-spot.kucoin.com/","protocol":"websocket","encrypt":true,"pingInterval":18000,"pingTimeout":10000}]}})",
      &url, &ping));
  EXPECT_TRUE(url.starts_with("wss://ws-api-spot.kucoin.com/?token=tok123&connectId=")) << url;
  EXPECT_EQ(ping, 18 * kNanosPerSecond);
  std::string url2;
  ASSERT_TRUE(p->WebSocketUrlFromBootstrap(
      R"({"code":"200000","data":{"token":"tok123","instanceServers":[{"endpoint":"wss://ws-api-spot.kucoin.com/","protocol":"websocket","pingInterval":50000,"pingTimeout":10000}]}})",
      &url2, &ping));
  EXPECT_NE(url, url2);                   // a new connectId per connection
  EXPECT_EQ(ping, 20 * kNanosPerSecond);  // never less often than every 20 s
  EXPECT_LT(ping, p->SilenceLimit());
  EXPECT_FALSE(p->WebSocketUrlFromBootstrap(R"({"code":"400100","msg":"x"})", &url, &ping));
  EXPECT_EQ(p->ClientPing(5), R"({"id":"5","type":"ping"})");
  EXPECT_EQ(p->SubscribeMessages({"BTC-USDT"}).size(), 2u);
  EXPECT_TRUE(p->RestTickerPerSymbol());
  EXPECT_EQ(p->RestTickerUrl({"ETH-USDT"}),
            "https://api.kucoin.com/api/v1/market/stats?symbol=ETH-USDT");
  TickBuffer ticks;
  ParseResult r = p->ParseRestTicker(
      R"({"code":"200000","data":{"time":1550847784668,"symbol":"ETH-USDT","buy":"2500","sell":"2500.1","changeRate":"0.0101","changePrice":"0.00037224","high":"2600","low":"2400","vol":"2127.286930263025","volValue":"43.58567564","last":"2500.1","averagePrice":"2450.2","takerFeeRate":"0.001","makerFeeRate":"0.001","takerCoefficient":"1","makerCoefficient":"1"}})",
      &ticks);
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "ETH-USDT");
  EXPECT_EQ(ticks[0].bid, (Decimal{25, 2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{25001, -1}));
  EXPECT_EQ(ticks[0].event_time, 1550847784668LL * kNanosPerMilli);
  EXPECT_EQ(p->Parse(R"({"id":"5","type":"pong"})", &ticks).kind, FrameKind::kHeartbeat);
}

// Every KuCoin fixture frame of a channel the oracle reads parses or is classified.
TEST(KucoinConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"kucoin/ack.cryptofeed.jsonl", {K::kAck}},
      {"kucoin/ack.tardis.jsonl", {K::kAck}},
      {"kucoin/futures_rest_ticker.freqdash.jsonl", data, true, 1},
      {"kucoin/msg_market_candles_trade.candles.update.cryptofeed.jsonl", {K::kIgnored}},
      {"kucoin/msg_market_level2_trade.l2update.cryptofeed.jsonl", {K::kIgnored}},
      {"kucoin/msg_market_match.tardis.jsonl", data, false, 3},
      {"kucoin/msg_market_match_trade.l3match.cryptofeed.jsonl", data, false, 15},
      {"kucoin/msg_market_ticker.tardis.jsonl", data, false, 1},
      {"kucoin/msg_market_ticker_trade.ticker.cryptofeed.jsonl", data, false, 15},
      {"kucoin/pong.tardis.jsonl", {K::kHeartbeat}},
      {"kucoin/replay.cryptofeed.log", data, false, 848},
      {"kucoin/rest_market_allTickers.freqdash.jsonl", data, true, 2},
      // Mocked for GET .../level1?symbol=BTC-USDT: the body itself names no symbol.
      {"kucoin/rest_market_orderbook_level1.freqdash.jsonl", data, true, 1},
      // Client requests recorded by cryptofeed: not frames KuCoin sends.
      {"kucoin/subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"kucoin/welcome.cryptofeed.jsonl", {K::kAck}},
      {"kucoin/welcome.tardis.jsonl", {K::kAck}},
  };
  KucoinParser parser;
  parser.SetRestSymbol("BTC-USDT");
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/kucoin/testdata";
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
