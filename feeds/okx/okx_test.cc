// OKX parser: documented frames (unit), every fixture frame (conformance), symbols and protocol.
#include <gtest/gtest.h>

#include "conformance/fixture_runner.h"
#include "feeds/okx/okx_adapter.h"
#include "feeds/okx/okx_parse.h"
#include "feeds/okx/okx_symbols.h"

namespace oracle::feeds {
namespace {

using testing::FixtureCase;

class OkxParseTest : public ::testing::Test {
 protected:
  OkxParser parser;
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

TEST_F(OkxParseTest, TradesWithCountSourceAndSeqId) {
  // Shape of the v5 docs' trades push; count/source/seqId were added in 2024-2025.
  ParseResult r = Parse(
      R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"130639474","px":"42219.9","sz":"0.12060306","side":"buy","ts":"1630048897897","count":"3","source":"0","seqId":1234}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kTrade);
  EXPECT_EQ(ticks[0].symbol, "BTC-USDT");
  EXPECT_EQ(ticks[0].price, (Decimal{422199, -1}));
  EXPECT_EQ(ticks[0].size, (Decimal{12060306, -8}));
  EXPECT_EQ(ticks[0].event_time, 1630048897897LL * kNanosPerMilli);  // "ts" is a string of ms
  EXPECT_EQ(ticks[0].sequence, 1234u);
  EXPECT_EQ(ticks[0].prev_sequence, 0u);
}

TEST_F(OkxParseTest, OlderTradesWithoutSeqIdAndSeveralEntries) {
  ParseResult r = Parse(
      R"({"arg":{"channel":"trades","instId":"ETH-USDT"},"data":[{"instId":"ETH-USDT","tradeId":"1","px":"1800.5","sz":"2","side":"sell","ts":"1652459226050"},{"instId":"ETH-USDT","tradeId":"2","px":"1800.6","sz":"0.5","side":"buy","ts":"1652459226051"}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[1].price, (Decimal{18006, -1}));
  EXPECT_EQ(ticks[1].event_time, 1652459226051LL * kNanosPerMilli);
  EXPECT_EQ(ticks[1].sequence, 0u);
}

TEST_F(OkxParseTest, TradeEntryWithoutInstIdTakesTheArgInstId) {
  ASSERT_EQ(
      Parse(
          R"({"arg":{"channel":"trades","instId":"SOL-USDT"},"data":[{"px":"150","sz":"1","ts":"1"}]})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].symbol, "SOL-USDT");
}

TEST_F(OkxParseTest, BboTbtIsAQuoteWithSeqId) {
  // The v5 docs' bbo-tbt push: levels are [price, size, "0", orders]; ts is the push time.
  ParseResult r = Parse(
      R"({"arg":{"channel":"bbo-tbt","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"ts":"1670324386802","seqId":363996337}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "BCH-USDT-SWAP");
  EXPECT_EQ(ticks[0].bid, (Decimal{11105, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{11106, -2}));
  EXPECT_EQ(ticks[0].event_time, 1670324386802LL * kNanosPerMilli);
  EXPECT_EQ(ticks[0].sequence, 363996337u);
  EXPECT_EQ(ticks[0].prev_sequence, 0u);  // bbo-tbt carries no prevSeqId
}

TEST_F(OkxParseTest, PrevSeqIdIsKeptWhenSentAndDroppedInSnapshots) {
  ASSERT_EQ(
      Parse(
          R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["8476.98","415","0","13"]],"bids":[["8476.97","256","0","12"]],"ts":"1597026383085","prevSeqId":123456,"seqId":123457}]})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].sequence, 123457u);
  EXPECT_EQ(ticks[0].prev_sequence, 123456u);
  ASSERT_EQ(
      Parse(
          R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["8476.98","415","0","13"]],"bids":[["8476.97","256","0","12"]],"ts":"1597026383085","prevSeqId":-1,"seqId":10}]})")
          .kind,
      FrameKind::kData);
  EXPECT_EQ(ticks[0].prev_sequence, 0u);
}

TEST_F(OkxParseTest, BookSideWithoutLevelsGivesNoQuote) {
  ParseResult r = Parse(
      R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[],"bids":[["8476.97","256","0","12"]],"ts":"1597026383085","seqId":5}]})");
  EXPECT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(OkxParseTest, TickersGiveQuotesFromBidPxAskPx) {
  ParseResult r = Parse(
      R"({"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","instId":"BTC-USDT","last":"9999.99","lastSz":"0.1","askPx":"9999.99","askSz":"11","bidPx":"8888.88","bidSz":"5","open24h":"9000","high24h":"10000","low24h":"8888.88","volCcy24h":"2222","vol24h":"2222","sodUtc0":"2222","sodUtc8":"2222","ts":"1597026383085"}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].bid, (Decimal{888888, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{999999, -2}));
  EXPECT_EQ(ticks[0].event_time, 1597026383085LL * kNanosPerMilli);
  // An instrument without bids sends an empty bidPx: no quote.
  r = Parse(
      R"({"arg":{"channel":"tickers","instId":"X-USDT"},"data":[{"instId":"X-USDT","askPx":"1","bidPx":"","ts":"1"}]})");
  EXPECT_EQ(r.kind, FrameKind::kData);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(OkxParseTest, KeysInAnyOrder) {
  ASSERT_EQ(
      Parse(
          R"({"data":[{"ts":"5","sz":"1","px":"2","instId":"BTC-USDT"}],"arg":{"instId":"BTC-USDT","channel":"trades"}})")
          .kind,
      FrameKind::kData);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].price, (Decimal{2, 0}));
}

TEST_F(OkxParseTest, KeepaliveIsPlainText) {
  EXPECT_EQ(Parse("pong").kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(Parse("pong").reply.empty());            // nothing to answer: the client pinged
  EXPECT_EQ(Parse("ping").kind, FrameKind::kIgnored);  // our own ping, in a two-way capture
}

TEST_F(OkxParseTest, ControlEventsAreClassified) {
  ParseResult r = Parse(
      R"({"event":"subscribe","arg":{"channel":"trades","instId":"BTC-USDT"},"connId":"a4d3ae55"})");
  EXPECT_EQ(r.kind, FrameKind::kAck);
  EXPECT_EQ(
      Parse(
          R"({"id":"1512","event":"unsubscribe","arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"connId":"a4d3ae55"})")
          .kind,
      FrameKind::kAck);
  r = Parse(
      R"({"event":"error","msg":"Wrong URL or channel:tickers,instId:NMR-USDT doesn't exist. Please use the correct URL, channel and parameters referring to API document.","code":"60018","connId":"0d0c61a5"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail,
            "Wrong URL or channel:tickers,instId:NMR-USDT doesn't exist. Please use the correct "
            "URL, channel and parameters referring to API document.");
  r = Parse(
      R"({"id":"1512","event":"error","code":"60012","msg":"Invalid request: {\"op\": \"subscribe\", \"argss\":[{ \"channel\" : \"books\", \"instId\" : \"BTC-USD-191227\"}]}","connId":"a4d3ae55"})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail.substr(0, 17), "Invalid request: ");
  r = Parse(
      R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})");
  EXPECT_EQ(r.kind, FrameKind::kReconnect);
  EXPECT_EQ(r.detail,
            "The connection will soon be closed for a service upgrade. Please reconnect.");
  EXPECT_EQ(Parse(R"({"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT"}]})").kind,
            FrameKind::kIgnored);
}

TEST_F(OkxParseTest, ChannelsTheOracleDoesNotUseAreIgnored) {
  EXPECT_EQ(
      Parse(
          R"({"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","instType":"SWAP","markPx":"42310.6","ts":"1630049139746"}]})")
          .kind,
      FrameKind::kIgnored);
  // index-tickers use the spot spelling ("BTC-USDT") for an index: never a tick of that symbol.
  EXPECT_EQ(
      Parse(
          R"({"arg":{"channel":"index-tickers","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","idxPx":"35.583","ts":"1640140200581"}]})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
  EXPECT_EQ(
      Parse(
          R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["1","1","0","1"]],"bids":[],"ts":"1","checksum":1,"prevSeqId":-1,"seqId":1}]})")
          .kind,
      FrameKind::kIgnored);
}

TEST_F(OkxParseTest, BrokenFramesAreUnparseableWithAReason) {
  for (
      const char* bad : {
          "",
          "pon",
          "not json",
          "[1,2]",
          "\"pong\"",
          R"({"foo":1})",
          R"({"event":5})",
          R"({"arg":"trades","data":[]})",
          R"({"arg":{"instId":"BTC-USDT"},"data":[]})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"}})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":{}})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[5]})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"abc","sz":"1","ts":"1"}]})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","ts":"1"}]})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"0","sz":"1","ts":"1"}]})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1","ts":"soon"}]})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1","ts":"1","seqId":"x"}]})",
          R"({"arg":{"channel":"trades"},"data":[{"px":"1","sz":"1","ts":"1"}]})",
          R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":"1","bids":[],"ts":"1"}]})",
          R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[[]],"bids":[],"ts":"1"}]})",
          R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["x","1"]],"bids":[["1","1"]],"ts":"1"}]})",
          R"({"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","last":"1","ts":"1"}]})",
          R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1","ts":"1"})",
          // Found by fuzzing: a malformed "arg" (simdjson must not search it out of order).
          R"({"arg":{"channel":"trades","instId":"BTC-USDT""6","sz":"1.21","side":"buy","ts":"1652459235575"}]})",
      }) {
    ParseResult r = Parse(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
    EXPECT_EQ(ticks.size(), 0u) << bad;
  }
}

TEST_F(OkxParseTest, ABadEntryDropsTheWholeFrame) {
  ParseResult r = Parse(
      R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1","ts":"1"},{"px":"1","sz":"oops","ts":"1"}]})");
  EXPECT_EQ(r.kind, FrameKind::kUnparseable);
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(OkxParseTest, RepeatedArgOrDataIsUnparseable) {
  // A second "arg" re-labelled trades already read (kIgnored with a tick left in the buffer); a
  // second "data" read its entries twice.
  struct Case {
    const char* frame;
    std::string_view detail;
  };
  for (
      const Case& c : {
          Case{
              R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1","ts":"1"}],"arg":{"channel":"mark-price","instId":"BTC-USDT"}})",
              "repeated \"arg\""},
          Case{
              R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1","ts":"1"}],"arg":{"channel":"trades","instId":"ETH-USDT"}})",
              "repeated \"arg\""},
          Case{
              R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1","ts":"1"}],"data":[{"px":"2","sz":"1","ts":"1"}]})",
              "repeated \"data\""},
          Case{
              R"({"data":[{"px":"1","sz":"1","ts":"1"}],"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"2","sz":"1","ts":"1"}]})",
              "repeated \"data\""},
      }) {
    ParseResult r = Parse(c.frame);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << c.frame;
    EXPECT_EQ(r.detail, c.detail) << c.frame;
    EXPECT_EQ(ticks.size(), 0u) << c.frame;
  }
  ParseResult r = Rest(
      R"({"code":"0","data":[{"instId":"BTC-USDT","bidPx":"1","askPx":"2"}],"data":[{"instId":"BTC-USDT","bidPx":"3","askPx":"4"}]})");
  EXPECT_EQ(r.kind, FrameKind::kUnparseable);
  EXPECT_EQ(r.detail, "repeated \"data\"");
  EXPECT_EQ(ticks.size(), 0u);
}

TEST_F(OkxParseTest, RestTicker) {
  ParseResult r = Rest(
      R"({"code":"0","msg":"","data":[{"instType":"SWAP","instId":"LTC-USD-SWAP","last":"9999.99","lastSz":"1","askPx":"9999.99","askSz":"11","bidPx":"8888.88","bidSz":"5","open24h":"9000","high24h":"10000","low24h":"8888.88","volCcy24h":"2222","vol24h":"2222","sodUtc0":"0.1","sodUtc8":"0.1","ts":"1597026383085"}]})");
  ASSERT_EQ(r.kind, FrameKind::kData) << r.detail;
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].type, TickType::kQuote);
  EXPECT_EQ(ticks[0].symbol, "LTC-USD-SWAP");
  EXPECT_EQ(ticks[0].bid, (Decimal{888888, -2}));
  EXPECT_EQ(ticks[0].ask, (Decimal{999999, -2}));
  EXPECT_EQ(ticks[0].event_time, 1597026383085LL * kNanosPerMilli);

  r = Rest(R"({"code":"51001","msg":"Instrument ID does not exist","data":[]})");
  EXPECT_EQ(r.kind, FrameKind::kError);
  EXPECT_EQ(r.detail, "Instrument ID does not exist");
  EXPECT_EQ(
      Rest(
          R"({"code":"0","msg":"","data":[{"instId":"BTC-USDT","idxPx":"103895","ts":"1746942707815"}]})")
          .kind,
      FrameKind::kIgnored);
  EXPECT_EQ(ticks.size(), 0u);
  for (const char* bad : {"", "[]", R"({"code":"0","msg":""})", R"({"code":"0","data":{}})",
                          R"({"code":"0","data":[{"instId":"A-B","bidPx":"x","askPx":"1"}]})"}) {
    r = Rest(bad);
    EXPECT_EQ(r.kind, FrameKind::kUnparseable) << bad;
    EXPECT_FALSE(r.detail.empty()) << bad;
  }
}

TEST(OkxSymbols, InstIdsSubscriptionsAndUrls) {
  EXPECT_EQ(OkxSpotInstId("BTC", "USDT"), "BTC-USDT");
  EXPECT_EQ(OkxInstType("BTC-USDT"), "SPOT");
  EXPECT_EQ(OkxInstType("BTC-USDT-SWAP"), "SWAP");
  EXPECT_EQ(OkxInstType("BTC-USD-250627"), "FUTURES");
  EXPECT_EQ(OkxInstType("BTC-USD-250627-100000-C"), "OPTION");
  auto msgs = OkxSubscribeMessages({"trades", "bbo-tbt"}, {"BTC-USDT", "ETH-USDT"}, 3);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(
      msgs[0],
      R"({"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT"},{"channel":"bbo-tbt","instId":"BTC-USDT"},{"channel":"trades","instId":"ETH-USDT"}]})");
  EXPECT_EQ(msgs[1], R"({"op":"subscribe","args":[{"channel":"bbo-tbt","instId":"ETH-USDT"}]})");
  EXPECT_EQ(OkxRestTickerUrl({"BTC-USDT"}),
            "https://www.okx.com/api/v5/market/ticker?instId=BTC-USDT");
  EXPECT_EQ(OkxRestTickerUrl({"BTC-USDT", "ETH-USDT"}),
            "https://www.okx.com/api/v5/market/tickers?instType=SPOT");
}

TEST(OkxProtocol, ConnectSubscribeAndKeepAlive) {
  auto p = MakeOkxProtocol();
  EXPECT_EQ(p->WebSocketUrl({"BTC-USDT"}), "wss://ws.okx.com:8443/ws/v5/public");
  auto msgs = p->SubscribeMessages({"BTC-USDT"});
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(
      msgs[0],
      R"({"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT"},{"channel":"bbo-tbt","instId":"BTC-USDT"}]})");
  EXPECT_EQ(p->ClientPing(1), "ping");
  EXPECT_GT(p->ClientPingInterval(), 0);
  EXPECT_LT(p->ClientPingInterval(), 30 * kNanosPerSecond);  // OKX drops a connection idle 30 s
  TickBuffer ticks;
  EXPECT_EQ(p->Parse("pong", &ticks).kind, FrameKind::kHeartbeat);
  EXPECT_TRUE(p->RestTickerPerSymbol());
  EXPECT_EQ(p->RestTickerUrl({"ETH-USDT"}),
            "https://www.okx.com/api/v5/market/ticker?instId=ETH-USDT");
  EXPECT_TRUE(p->BootstrapUrl().empty());
}

// Every OKX fixture frame parses or is classified.
TEST(OkxConformance, EveryFixtureFrame) {
  if (testing::FixturesDir().empty()) {
    GTEST_SKIP() << "../shared/fixtures is absent: venue conformance skipped";
  }
  using K = FrameKind;
  const std::set<K> data = {K::kData};
  const std::vector<FixtureCase> cases = {
      {"okx/books.cryptofeed.jsonl", {K::kIgnored}},
      {"okx/futures_index-tickers.tardis.jsonl", {K::kIgnored}},
      {"okx/futures_mark-price.tardis.jsonl", {K::kIgnored}},
      {"okx/futures_price-limit.tardis.jsonl", {K::kIgnored}},
      {"okx/futures_subscribe_ack.tardis.jsonl", {K::kAck}},
      {"okx/futures_tickers.tardis.jsonl", data, false, 1},
      {"okx/futures_trades.tardis.jsonl", data, false, 1},
      {"okx/replay.cryptofeed.log", data, false, 102},
      {"okx/rest_index_tickers.nautilus.json", {K::kIgnored}, true},
      {"okx/rest_market_ticker.freqdash.jsonl", data, true, 2},
      {"okx/rest_market_tickers_futures.freqdash.jsonl", data, true, 5},
      {"okx/rest_market_tickers_spot.freqdash.jsonl", data, true, 2},
      {"okx/rest_public_mark_price.nautilus.json", {K::kIgnored}, true},
      {"okx/subscribe_ack.cryptofeed.jsonl", {K::kAck}},
      {"okx/subscribe_ack.tardis.jsonl", {K::kAck}},
      {"okx/subscribe_error.thirdparty.jsonl", {K::kError}},
      {"okx/subscribe_request.cryptofeed.jsonl", {K::kIgnored}},
      {"okx/swap_bbo-tbt.tardis.jsonl", data, false, 1},
      {"okx/swap_funding-rate.tardis.jsonl", {K::kIgnored}},
      {"okx/swap_index-tickers.tardis.jsonl", {K::kIgnored}},
      {"okx/swap_mark-price.tardis.jsonl", {K::kIgnored}},
      {"okx/swap_tickers.tardis.jsonl", data, false, 1},
      {"okx/swap_trades.btcref_2026-06-14.jsonl", data, false, 1},
      {"okx/swap_trades.tardis.jsonl", data, false, 1},
      {"okx/tickers.btcref_2026-06-14.jsonl", data, false, 1},
      {"okx/tickers.cryptofeed.jsonl", data, false, 20},
      {"okx/tickers.tardis.jsonl", data, false, 1},
      {"okx/trades-all.tardis.jsonl", data, false, 1},
      {"okx/trades.cryptofeed.jsonl", data, false, 20},
      {"okx/trades.tardis.jsonl", data, false, 1},
      {"okx/usdc_2023_index-tickers.tardis.jsonl", {K::kIgnored}},
      {"okx/usdc_2023_tickers.tardis.jsonl", data, false, 2},
      {"okx/ws_bbo_tbt.nautilus.json", data, false, 1},
  };
  OkxParser parser;
  const std::string golden = std::string(ORACLE_SOURCE_DIR) + "/feeds/okx/testdata";
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
