// Gate (gate.io) WebSocket v4 frames, spot and USDT-margined futures, bytes in, normalized ticks
// out.
//
//  spot.trades / spot.trades_v2 update   -> a trade tick (price, amount, create_time_ms: a string
//                                           of fractional milliseconds "1619093543708.2642")
//  futures.trades update (a list)        -> trade ticks; size = |size| contracts (negative = the
//                                           taker sold), time create_time_ms, else create_time (s)
//  spot.book_ticker / futures.book_ticker -> a quote tick (b / a, t in ms, u = sequence); a book
//                                           with an empty side gives no tick
//  event subscribe/unsubscribe + result.status "success" -> ack; "error":{..} -> error (message)
//  spot.pong / futures.pong              -> heartbeat
//  {"type":"upgrade","msg":..}           -> reconnect (the server is about to close for an upgrade)
//  tickers, order books, candlesticks, client requests, legacy v3 frames -> ignored
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_GATE_GATE_PARSE_H_
#define ORACLE_FEEDS_GATE_GATE_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class GateParser {
 public:
  GateParser();
  ~GateParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /api/v4/spot/tickers: a list of {"currency_pair","highest_bid","lowest_ask",..}; a
  // quote tick per pair with both sides (no time in the body: event_time 0).
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_GATE_GATE_PARSE_H_
