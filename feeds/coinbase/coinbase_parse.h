// Coinbase market-data frames, bytes in, normalized ticks out. Reads both public feeds, so that
// captures of either parse:
//  Exchange feed (wss://ws-feed.exchange.coinbase.com), keyed by "type":
//   match, last_match   -> trade ticks (price, size, time; sequence = the product's feed sequence)
//   ticker              -> a quote tick (best_bid / best_ask, time, sequence); frames before 2022
//                          have no best_bid_size, which is not read anyway
//   heartbeat -> heartbeat;  subscriptions -> ack;  error -> error ("message: reason")
//   subscribe/unsubscribe (client requests in captures), l2update, snapshot, status, ... -> ignored
//  Advanced Trade feed (wss://advanced-trade-ws.coinbase.com), keyed by "channel":
//   market_trades          -> trade ticks, one per trade of every event (snapshot and update)
//   ticker, ticker_batch   -> quote ticks for entries with best_bid/best_ask (sent since 2024-04;
//                             older entries carry none and give no tick); event_time = the
//                             envelope's "timestamp" (RFC 3339, up to 9 digits, zeros trimmed)
//   heartbeats -> heartbeat (current_time carries Go's "m=+..." suffix and is not read);
//   subscriptions -> ack;  l2_data, candles, status, user, ... -> ignored
// Product ids are reported as sent ("BTC-USD"), which is the configured venue symbol.
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_COINBASE_COINBASE_PARSE_H_
#define ORACLE_FEEDS_COINBASE_COINBASE_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class CoinbaseParser {
 public:
  CoinbaseParser();
  ~CoinbaseParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST bodies that name their product:
  //  Advanced GET /api/v3/brokerage/market/product_book?product_id=..&limit=1 -> a quote tick
  //    (first bid / first ask, pricebook.time);
  //  Advanced GET /api/v3/brokerage/market/products/{id}/ticker -> a quote tick (best_bid /
  //    best_ask, no time) and a trade tick for the newest trade;
  //  error bodies ({"message":..} or {"error":..,"message":..}) -> error.
  // Exchange bodies (/products/{id}/ticker, /book?level=1, /trades) do not name the product and
  // are unparseable here: use the overload below.
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

  // The same, with the product the request was for (used where the body names none). Ticks point
  // at `product_id`: it must outlive them.
  //  Exchange /products/{id}/ticker  -> a quote tick (bid / ask, time);
  //  Exchange /products/{id}/book?level=1 -> a quote tick (first levels, time, sequence);
  //  Exchange /products/{id}/trades  -> trade ticks;  /products/{id}/stats, /time -> ignored.
  ParseResult ParseRestTicker(std::string_view body, std::string_view product_id,
                              TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COINBASE_COINBASE_PARSE_H_
