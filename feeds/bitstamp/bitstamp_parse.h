// Bitstamp WebSocket v2 frames, bytes in, normalized ticks out.
//
//  {"event":"trade","channel":"live_trades_<s>","data":{..}}  -> a trade tick (price_str or price,
//      amount_str or amount, microtimestamp in us, else timestamp in s); symbol = <s>
//  {"event":"data","channel":"order_book_<s>","data":{..}}    -> a quote tick from the first bid
//  and
//      ask levels (microtimestamp); an empty side gives no tick
//  bts:subscription_succeeded / bts:unsubscription_succeeded   -> ack
//  bts:heartbeat (the answer to the client's heartbeat)        -> heartbeat
//  bts:request_reconnect                                       -> reconnect
//  bts:error, bts:subscription_failed                          -> error (data.message)
//  diff_order_book, detail_order_book, live_orders, other events, client requests -> ignored
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_BITSTAMP_BITSTAMP_PARSE_H_
#define ORACLE_FEEDS_BITSTAMP_BITSTAMP_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class BitstampParser {
 public:
  BitstampParser();
  ~BitstampParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /api/v2/ticker/ (the list of every market, each naming its "pair" "BTC/USD") or
  // /api/v2/ticker/<s>/ (one object; it names no market, so the symbol is the one given to
  // SetRestSymbol()). Quote ticks from "bid"/"ask", event time from "timestamp" (s).
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;
  // The venue symbol a single-market REST ticker body belongs to (cold path; copies).
  void SetRestSymbol(std::string_view venue_symbol);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITSTAMP_BITSTAMP_PARSE_H_
