#include "feeds/okx/okx_adapter.h"

#include "feeds/okx/okx_parse.h"
#include "feeds/okx/okx_symbols.h"

namespace oracle::feeds {
namespace {

class OkxProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://ws.okx.com:8443/ws/v5/public";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return OkxSubscribeMessages({"trades", "bbo-tbt"}, venue_symbols);
  }
  // OKX has no WebSocket-level pings: the client sends the text "ping" when idle (< 30 s) and
  // OKX answers "pong" (parsed as a heartbeat). Sent on a fixed interval, which is simpler and
  // also satisfies "when idle".
  std::string ClientPing(uint64_t) const override { return "ping"; }
  DurationNs ClientPingInterval() const override { return 20 * kNanosPerSecond; }
  DurationNs SilenceLimit() const override { return 30 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    return OkxRestTickerUrl(venue_symbols);
  }
  // /market/ticker takes one instId; /market/tickers returns every instrument of a type (more
  // than a TickBuffer holds for SPOT).
  bool RestTickerPerSymbol() const override { return true; }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, out);
  }

 private:
  OkxParser parser_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeOkxProtocol() { return std::make_unique<OkxProtocol>(); }

}  // namespace oracle::feeds
