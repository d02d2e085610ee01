// What the generic WebSocket adapter needs to know about one venue: where to connect, how to
// subscribe and keep the connection alive, and how to read its frames and its REST ticker.
//
// Each venue implements this in feeds/<venue>/<venue>_adapter.{h,cc} on top of its pure parser
// (<venue>_parse) and its symbol dialect (<venue>_symbols). `venue_symbols` are the configured
// symbols of the venue (SourceConfig.venue_symbol), in the venue's own spelling; parsers report
// ticks with the same spelling so the adapter can map them to feeds.
#ifndef ORACLE_FEEDS_COMMON_VENUE_PROTOCOL_H_
#define ORACLE_FEEDS_COMMON_VENUE_PROTOCOL_H_

#include <string>
#include <string_view>
#include <vector>

#include "feeds/common/frame.h"
#include "oracle/core/time.h"

namespace oracle::feeds {

class VenueProtocol {
 public:
  virtual ~VenueProtocol() = default;

  // The production WebSocket URL (wss://host[:port]/path?query) for these symbols; the adapter's
  // configuration may override the host part for tests.
  virtual std::string WebSocketUrl(const std::vector<std::string>& venue_symbols) const = 0;
  // Venues that hand out the WebSocket address per connection (KuCoin's bullet-public token):
  // the adapter POSTs to BootstrapUrl() before each connection and takes the address from the
  // reply. Empty: connect to WebSocketUrl() directly.
  virtual std::string BootstrapUrl() const { return {}; }
  virtual bool WebSocketUrlFromBootstrap(std::string_view /*body*/, std::string* /*url*/,
                                         DurationNs* /*ping_interval*/) const {
    return false;
  }
  // Text frames sent, in order, once the WebSocket is open.
  virtual std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const = 0;

  // Client keepalive: a text frame sent every ClientPingInterval() (empty: WebSocket control
  // pings only, which the transport answers by itself). `counter` increases by one per ping, for
  // venues that want an id in it.
  virtual std::string ClientPing(uint64_t /*counter*/) const { return {}; }
  virtual DurationNs ClientPingInterval() const { return 0; }
  // With no frame at all for this long, the connection is presumed dead and replaced.
  virtual DurationNs SilenceLimit() const { return 30 * kNanosPerSecond; }
  // The venue closes connections after this long (Binance: 24 h); 0 = no limit. The adapter opens
  // a new connection before then and switches over without a gap.
  virtual DurationNs ConnectionLifetime() const { return 0; }
  // Binary frames are gzip/deflate-compressed text (HTX).
  virtual bool BinaryFramesAreCompressed() const { return false; }

  // Reads one frame. Pure: no I/O.
  virtual ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept = 0;

  // REST best bid/ask (or reference price) for these symbols: start-up snapshot and fallback while
  // the WebSocket is down. Empty URL: the venue has no usable REST ticker.
  virtual std::string RestTickerUrl(const std::vector<std::string>& /*venue_symbols*/) const {
    return {};
  }
  // True when the REST ticker takes one symbol per request: the adapter then calls
  // RestTickerUrl({symbol}) once per symbol.
  virtual bool RestTickerPerSymbol() const { return false; }
  virtual ParseResult ParseRestTicker(std::string_view /*body*/, TickBuffer* /*out*/) noexcept {
    return {};
  }
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_VENUE_PROTOCOL_H_
