// Venue parsers: frames parsed per second on one core, and heap allocations per frame in steady
// state, for each venue's trade frame and best-bid/ask frame.
//
// Frames are hand-written in each venue's current wire format (shapes checked against the
// conformance fixtures), with a varying price so nothing is constant-folded.
// What a regression means: fewer frames/s is CPU the venue threads spend per tick (target: at least
// 1 million Binance trade frames/s); allocs_per_frame above zero is a heap allocation per frame on
// the hot path (target: zero).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include <zlib.h>

#include "feeds/binance/binance_parse.h"
#include "feeds/bitfinex/bitfinex_parse.h"
#include "feeds/bitget/bitget_parse.h"
#include "feeds/bitstamp/bitstamp_parse.h"
#include "feeds/bybit/bybit_parse.h"
#include "feeds/coinbase/coinbase_parse.h"
#include "feeds/common/inflate.h"
#include "feeds/gate/gate_parse.h"
#include "feeds/htx/htx_parse.h"
#include "feeds/hyperliquid/hyperliquid_parse.h"
#include "feeds/kraken/kraken_parse.h"
#include "feeds/kucoin/kucoin_parse.h"
#include "feeds/okx/okx_parse.h"

namespace {
std::atomic<uint64_t> g_allocs{0};
}  // namespace

void* operator new(size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace oracle::feeds {
namespace {

// 64 variants of a frame template: "%P" becomes a price with varying digits.
std::vector<std::string> Variants(const std::string& tmpl, const char* base) {
  std::vector<std::string> out;
  for (int i = 0; i < 64; ++i) {
    std::string price = std::string(base) + std::to_string(10 + i);
    std::string f = tmpl;
    for (size_t p; (p = f.find("%P")) != std::string::npos;) f.replace(p, 2, price);
    out.push_back(std::move(f));
  }
  return out;
}

// `setup` frames are parsed once first (Bitfinex learns its channel ids from "subscribed" events).
template <typename Parser>
void Run(benchmark::State& state, const std::string& tmpl, const char* base,
         std::vector<std::string> setup = {}) {
  Parser parser;
  TickBuffer ticks;
  for (const std::string& f : setup) (void)parser.Parse(f, &ticks);  // setup: its kind is known
  const std::vector<std::string> frames = Variants(tmpl, base);
  size_t ticks_total = 0;
  for (int warm = 0; warm < 1000; ++warm) {
    ticks.Clear();
    (void)parser.Parse(frames[warm % frames.size()], &ticks);  // warm-up: checked below
  }
  ticks.Clear();
  if (parser.Parse(frames[0], &ticks).kind != FrameKind::kData || ticks.size() == 0) {
    state.SkipWithError("the benchmark frame does not parse to a tick");
    return;
  }
  // Allocations, counted over 100,000 frames outside the timed loop (whose own bookkeeping
  // allocates now and then): exact.
  constexpr int kCounted = 100000;
  const uint64_t allocs_before = g_allocs.load();
  for (int k = 0; k < kCounted; ++k) {
    ticks.Clear();
    (void)parser.Parse(frames[k & 63], &ticks);  // counting allocations only
  }
  const uint64_t allocs = g_allocs.load() - allocs_before;
  size_t i = 0;
  for (auto _ : state) {
    ticks.Clear();
    ParseResult r = parser.Parse(frames[i++ & 63], &ticks);
    benchmark::DoNotOptimize(r);
    ticks_total += ticks.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_frame"] = benchmark::Counter(static_cast<double>(allocs) / kCounted);
  state.counters["ticks_per_frame"] = benchmark::Counter(static_cast<double>(ticks_total) /
                                                         static_cast<double>(state.iterations()));
}

#define VENUE_BENCH(name, parser, tmpl, base, ...)                                      \
  void name(benchmark::State& state) { Run<parser>(state, tmpl, base, ##__VA_ARGS__); } \
  BENCHMARK(name)

VENUE_BENCH(
    BM_BinanceTrade, BinanceParser,
    R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1788481292965,"s":"BTCUSDT","t":6653570805,"p":"%P","q":"0.00016000","T":1788481292964,"m":true,"M":true}})",
    "81207.");
VENUE_BENCH(
    BM_BinanceBookTicker, BinanceParser,
    R"({"stream":"btcusdt@bookTicker","data":{"u":99663039038,"s":"BTCUSDT","b":"%P","B":"2.19538000","a":"81207.46000000","A":"2.27890000"}})",
    "81207.");
VENUE_BENCH(
    BM_CoinbaseMatch, CoinbaseParser,
    R"({"type":"match","trade_id":61234567,"maker_order_id":"2a0da34e-61f7-4c36-88e5-c9dd15927b16","taker_order_id":"3c82abaa-c01e-4608-be59-6a1e69742891","side":"sell","size":"0.0102","price":"%P","product_id":"BTC-USD","sequence":177100030,"time":"2026-06-14T05:35:01.089723Z"})",
    "64310.");
VENUE_BENCH(
    BM_CoinbaseTicker, CoinbaseParser,
    R"({"type":"ticker","sequence":177100031,"product_id":"BTC-USD","price":"64310.01","open_24h":"63000","volume_24h":"1000","low_24h":"62000","high_24h":"65000","volume_30d":"30000","best_bid":"%P","best_bid_size":"0.5","best_ask":"64310.02","best_ask_size":"0.7","side":"buy","time":"2026-06-14T05:35:01.089723Z","trade_id":61234567,"last_size":"0.01"})",
    "64310.");
VENUE_BENCH(
    BM_KrakenTrade, KrakenParser,
    R"({"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":%P,"qty":0.0012,"ord_type":"market","trade_id":83456712,"timestamp":"2026-06-14T05:35:01.089723Z"}]})",
    "64310.");
VENUE_BENCH(
    BM_KrakenTickerBbo, KrakenParser,
    R"({"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":%P,"bid_qty":0.5,"ask":64310.9,"ask_qty":0.7,"last":64310.5,"volume":100.1,"vwap":64000.1,"low":63000.0,"high":65000.0,"change":10.1,"change_pct":0.01,"timestamp":"2026-06-14T05:35:01.089723Z"}]})",
    "64310.");
VENUE_BENCH(
    BM_OkxTrades, OkxParser,
    R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"323647402789","px":"%P","sz":"0.0127","side":"buy","ts":"1781416584831","count":"1","seqId":1234567}]})",
    "64311.");
VENUE_BENCH(
    BM_OkxBboTbt, OkxParser,
    R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["64311.2","1.2","0","3"]],"bids":[["%P","0.5","0","2"]],"ts":"1781416584831","seqId":123456}]})",
    "64311.");
VENUE_BENCH(
    BM_BybitPublicTrade, BybitParser,
    R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1781416584831,"data":[{"T":1781416584829,"s":"BTCUSDT","S":"Buy","v":"0.012","p":"%P","L":"PlusTick","i":"2290000000123456789","BT":false,"seq":123456}]})",
    "64311.");
VENUE_BENCH(
    BM_BybitOrderbook1, BybitParser,
    R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1781416584831,"data":{"s":"BTCUSDT","b":[["%P","0.5"]],"a":[["64311.3","1.2"]],"u":123456,"seq":7890123},"cts":1781416584829})",
    "64311.");
VENUE_BENCH(
    BM_BitstampTrade, BitstampParser,
    R"({"data":{"id":371234567,"timestamp":"1781416584","amount":0.0012,"amount_str":"0.00120000","price":64311,"price_str":"%P","type":0,"microtimestamp":"1781416584831234","buy_order_id":1,"sell_order_id":2},"channel":"live_trades_btcusd","event":"trade"})",
    "64311.");
VENUE_BENCH(
    BM_BitstampOrderBook, BitstampParser,
    R"({"data":{"timestamp":"1781416584","microtimestamp":"1781416584831234","bids":[["%P","0.5"],["64300","1"]],"asks":[["64311.30","1.2"],["64320","2"]]},"channel":"order_book_btcusd","event":"data"})",
    "64311.");
VENUE_BENCH(
    BM_GateTrades, GateParser,
    R"({"time":1781416584,"time_ms":1781416584831,"channel":"spot.trades","event":"update","result":{"id":309143071,"create_time":1781416584,"create_time_ms":"1781416584831.2642","side":"sell","currency_pair":"BTC_USDT","amount":"0.0012","price":"%P"}})",
    "64311.");
VENUE_BENCH(
    BM_GateBookTicker, GateParser,
    R"({"time":1781416584,"time_ms":1781416584831,"channel":"spot.book_ticker","event":"update","result":{"t":1781416584830,"u":48733182,"s":"BTC_USDT","b":"%P","B":"0.5","a":"64311.3","A":"1.2"}})",
    "64311.");
VENUE_BENCH(
    BM_KucoinMatch, KucoinParser,
    R"({"type":"message","topic":"/market/match:BTC-USDT","subject":"trade.l3match","data":{"makerOrderId":"6287c3015c27f000017d0c2f","price":"%P","sequence":"1622234553283","side":"buy","size":"0.0012","symbol":"BTC-USDT","takerOrderId":"6287c30161a42300013b7c50","time":"1781416584831234567","tradeId":"6287c3015c27f000017d0c30","type":"match"}})",
    "64311.");
VENUE_BENCH(
    BM_KucoinTicker, KucoinParser,
    R"({"type":"message","topic":"/market/ticker:BTC-USDT","subject":"trade.ticker","data":{"bestAsk":"64311.3","bestAskSize":"1.2","bestBid":"%P","bestBidSize":"0.5","price":"64311.2","sequence":"1622234553284","size":"0.0012","time":1781416584831}})",
    "64311.");

// HTX frames arrive gzip-compressed: BM_HtxTrade is the parse of the inflated text, and
// BM_HtxTradeGzip what the adapter does per frame, inflate (into a reused buffer, with a reused
// zlib stream) then parse.
std::string Gzip(const std::string& text) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

void BM_HtxTradeGzip(benchmark::State& state) {
  HtxParser parser;
  TickBuffer ticks;
  std::vector<std::string> frames;
  for (
      const std::string& f : Variants(
          R"({"ch":"market.btcusdt.trade.detail","ts":1781416584832,"tick":{"id":161499562790,"ts":1781416584831,"data":[{"id":100182534526255757567432481,"ts":1781416584831,"tradeId":102523573486,"amount":0.0012,"price":%P,"direction":"buy"}]}})",
          "64311.")) {
    frames.push_back(Gzip(f));
  }
  std::string inflated;
  auto one = [&](size_t k) {
    ticks.Clear();
    if (!InflateFrame(frames[k & 63], &inflated)) return FrameKind::kUnparseable;
    return parser.Parse(inflated, &ticks).kind;
  };
  for (int warm = 0; warm < 1000; ++warm) one(warm);
  if (one(0) != FrameKind::kData || ticks.size() == 0) {
    state.SkipWithError("the benchmark frame does not inflate and parse to a tick");
    return;
  }
  constexpr int kCounted = 100000;
  const uint64_t allocs_before = g_allocs.load();
  for (int k = 0; k < kCounted; ++k) one(k);
  const uint64_t allocs = g_allocs.load() - allocs_before;
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(one(i++));
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_frame"] = benchmark::Counter(static_cast<double>(allocs) / kCounted);
  state.counters["gzip_bytes"] = benchmark::Counter(static_cast<double>(frames[0].size()));
}
BENCHMARK(BM_HtxTradeGzip);

VENUE_BENCH(
    BM_HtxTrade, HtxParser,
    R"({"ch":"market.btcusdt.trade.detail","ts":1781416584832,"tick":{"id":161499562790,"ts":1781416584831,"data":[{"id":100182534526255757567432481,"ts":1781416584831,"tradeId":102523573486,"amount":0.0012,"price":%P,"direction":"buy"}]}})",
    "64311.");
VENUE_BENCH(
    BM_HtxBbo, HtxParser,
    R"({"ch":"market.btcusdt.bbo","ts":1781416584832,"tick":{"seqId":161499562791,"ask":64311.3,"askSize":1.2,"bid":%P,"bidSize":0.5,"quoteTime":1781416584831,"symbol":"btcusdt"}})",
    "64310.");
VENUE_BENCH(
    BM_BitfinexTrade, BitfinexParser, R"([17470,"te",[401597395,1781416584831,-0.005,%P]])",
    "64311.",
    {R"({"event":"info","version":2,"platform":{"status":1}})",
     R"({"event":"subscribed","channel":"trades","chanId":17470,"symbol":"tBTCUSD","pair":"BTCUSD"})"});
VENUE_BENCH(
    BM_BitfinexTicker, BitfinexParser,
    R"([17471,[%P,10.5,64311,12.1,-100,-0.0016,64310,1000.5,65000,63000]])", "64310.",
    {R"({"event":"info","version":2,"platform":{"status":1}})",
     R"({"event":"subscribed","channel":"ticker","chanId":17471,"symbol":"tBTCUSD","pair":"BTCUSD"})"});
VENUE_BENCH(
    BM_BitgetTrade, BitgetParser,
    R"({"action":"update","arg":{"instType":"SPOT","channel":"trade","instId":"BTCUSDT"},"data":[{"ts":"1781416584831","price":"%P","size":"0.0013","side":"buy","tradeId":"1234567890123456789"}],"ts":1781416584832})",
    "64311.");
VENUE_BENCH(
    BM_BitgetBooks1, BitgetParser,
    R"({"action":"snapshot","arg":{"instType":"SPOT","channel":"books1","instId":"BTCUSDT"},"data":[{"asks":[["64311.3","1.2"]],"bids":[["%P","0.5"]],"checksum":0,"seq":123456,"ts":"1781416584831"}],"ts":1781416584832})",
    "64310.");
VENUE_BENCH(
    BM_HyperliquidTrade, HyperliquidParser,
    R"({"channel":"trades","data":[{"coin":"BTC","side":"B","px":"%P","sz":"0.31377","time":1781416584831,"hash":"0x7f58708caf49d86c80d2043dae4bfc00009388724a4cf73e23211bdf6e4db257","tid":828642708897583,"users":["0xe9bee85af94c8234270523992447e631d27d2146","0xf9109ada2f73c62e9889b45453065f0d99260a2d"]}]})",
    "64411.");
VENUE_BENCH(
    BM_HyperliquidBbo, HyperliquidParser,
    R"({"channel":"bbo","data":{"coin":"BTC","time":1781416584831,"bbo":[{"px":"%P","sz":"1.2","n":3},{"px":"64405.0","sz":"0.5","n":1}]}})",
    "64404.");

}  // namespace
}  // namespace oracle::feeds

BENCHMARK_MAIN();
