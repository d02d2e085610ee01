// KuCoin WebSocket frames (spot; futures classified and read too), bytes in, normalized ticks out.
//
//  {"type":"message","topic":"/market/match:<s>",..}   -> a trade tick (price, size, time: a
//      string of ns since the epoch, sequence)
//  {"type":"message","topic":"/market/ticker:<s>",..}  -> a quote tick (bestBid / bestAsk, time
//      in ms, sequence); with /market/ticker:all the symbol is the "subject"
//  /contractMarket/execution:<s>                       -> a trade tick (size in contracts, ts ns)
//  /contractMarket/tickerV2:<s>, /contractMarket/ticker:<s> -> a quote tick (bestBidPrice /
//      bestAskPrice, ts ns)
//  welcome, ack -> ack;  pong -> heartbeat;  error -> error ("data", else "code")
//  level2, candles, snapshots, other topics, client requests -> ignored
// Times are read by magnitude (s, ms, us or ns), since KuCoin uses all four across channels.
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_KUCOIN_KUCOIN_PARSE_H_
#define ORACLE_FEEDS_KUCOIN_KUCOIN_PARSE_H_

#include <memory>
#include <string>
#include <string_view>

#include "feeds/common/frame.h"
#include "oracle/core/time.h"

namespace oracle::feeds {

class KucoinParser {
 public:
  KucoinParser();
  ~KucoinParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST {"code":"200000","data":{..}} of GET /api/v1/market/stats (symbol, buy = best bid,
  // sell = best ask, time ms), /api/v1/market/allTickers (data.ticker[]: symbol, buy, sell),
  // /api/v1/market/orderbook/level1 (bestBid/bestAsk; the body names no symbol: ticks carry the
  // one given to SetRestSymbol()) and the futures /api/v1/ticker (bestBidPrice/bestAskPrice, ts
  // ns). Any other code -> error (msg).
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;
  // The venue symbol a level-1 REST body belongs to (cold path; copies).
  void SetRestSymbol(std::string_view venue_symbol);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What POST /api/v1/bullet-public hands out for one connection.
struct KucoinBullet {
  std::string endpoint;  // wss://ws-api-spot.kucoin.com/ (the first websocket instance server)
  std::string token;
  DurationNs ping_interval = 0;  // pingInterval (ms in the body)
  DurationNs ping_timeout = 0;   // pingTimeout
};

// Reads a bullet-public reply; false (with *why set) if the code is not "200000" or the token or
// a websocket endpoint is missing. Cold path: allocates.
bool ParseKucoinBullet(std::string_view body, KucoinBullet* out, std::string* why);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_KUCOIN_KUCOIN_PARSE_H_
