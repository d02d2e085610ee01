// Kraken spot market-data frames, bytes in, normalized ticks out.
//  WebSocket v2 (wss://ws.kraken.com/v2), objects keyed by "channel" or "method":
//   trade  (snapshot/update)  -> trade ticks (price, qty, timestamp; sequence = trade_id)
//   ticker (snapshot/update)  -> quote ticks (bid, ask, timestamp when the frame has one)
//   heartbeat -> heartbeat;  status -> ignored (also on connect; connection_id may exceed
//   int64 and is never read);  book, ohlc, instrument, ... -> ignored
//   method replies: success:true -> ack, success:false -> error (detail = "error"),
//   pong -> heartbeat; client requests echoed in captures ("params") -> ignored
//  Prices are JSON numbers with the engine's precision (0.99980): read exactly from their text.
//  WebSocket v1 (wss://ws.kraken.com), for captures:
//   [channelID, [[price, volume, time, side, type, misc], ..], "trade", pair] -> trade ticks
//   [channelID, [bid, ask, time, bidVolume, askVolume], "spread", pair]       -> a quote tick
//   [channelID, {"a":[ask,..],"b":[bid,..],..}, "ticker", pair]               -> a quote tick
//                                                                  (no time in the frame)
//   book-*, ohlc-* -> ignored;  events: heartbeat, pong -> heartbeat; systemStatus -> ignored;
//   subscriptionStatus subscribed/unsubscribed -> ack, error -> error (errorMessage)
//  v1 pairs are reported in the v2 spelling of the configured symbols: "XBT/USD" -> "BTC/USD",
//  "XDG/USD" -> "DOGE/USD" (the renamed spelling is kept per pair, allocated when first seen).
//  Zero bid/ask (v1 spread of an empty book) gives no quote tick.
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_KRAKEN_KRAKEN_PARSE_H_
#define ORACLE_FEEDS_KRAKEN_KRAKEN_PARSE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class KrakenParser {
 public:
  KrakenParser();
  ~KrakenParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /0/public/Ticker -> a quote tick per result (b[0] / a[0]; the body has no time), and
  // GET /0/public/Trades -> trade ticks; {"error":["E..."]} -> error. Result keys are Kraken's
  // pair names (XXBTZUSD, USDTZUSD, SOLUSD): each is reported as the configured symbol it matches
  // (KrakenRestKeyMatchesSymbol; ticks then point into `venue_symbols`, which must outlive
  // them), else as the v2 name derived from the key (KrakenRestKeyToSymbol), else as the key.
  ParseResult ParseRestTicker(std::string_view body, const std::vector<std::string>& venue_symbols,
                              TickBuffer* out) noexcept;
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_KRAKEN_KRAKEN_PARSE_H_
