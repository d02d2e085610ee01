#include "feeds/bitstamp/bitstamp_adapter.h"

#include "feeds/bitstamp/bitstamp_parse.h"
#include "feeds/bitstamp/bitstamp_symbols.h"

namespace oracle::feeds {
namespace {

class BitstampProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://ws.bitstamp.net";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return BitstampSubscribeMessages(venue_symbols);
  }
  std::string ClientPing(uint64_t) const override { return std::string(kBitstampHeartbeatRequest); }
  DurationNs ClientPingInterval() const override { return 10 * kNanosPerSecond; }
  DurationNs SilenceLimit() const override { return 30 * kNanosPerSecond; }
  // "Maximum connection age is 90 days from the time the connection is established."
  DurationNs ConnectionLifetime() const override { return 90LL * 24 * 3600 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  // Every market's ticker in one body (each entry names its "pair"), so one request serves all
  // configured symbols; the adapter keeps the ticks of its own symbols.
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    if (venue_symbols.empty()) return {};
    return "https://www.bitstamp.net/api/v2/ticker/";
  }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return rest_parser_.ParseRestTicker(body, out);
  }

 private:
  BitstampParser parser_;       // WebSocket frames (connection thread)
  BitstampParser rest_parser_;  // REST bodies, wherever the adapter fetches them
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeBitstampProtocol() {
  return std::make_unique<BitstampProtocol>();
}

}  // namespace oracle::feeds
