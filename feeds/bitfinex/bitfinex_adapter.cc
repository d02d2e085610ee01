#include "feeds/bitfinex/bitfinex_adapter.h"

#include "feeds/bitfinex/bitfinex_parse.h"
#include "feeds/bitfinex/bitfinex_symbols.h"

namespace oracle::feeds {
namespace {

class BitfinexProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://api-pub.bitfinex.com/ws/2";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return BitfinexSubscribeMessages({"trades", "ticker"}, venue_symbols);
  }
  // Every subscribed channel sends data or a heartbeat at least every 15 s.
  DurationNs SilenceLimit() const override { return 30 * kNanosPerSecond; }

  // The adapter makes one protocol per connection, so this parser's CHAN_ID map is that
  // connection's alone.
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    return venue_symbols.empty() ? std::string() : BitfinexRestTickersUrl(venue_symbols);
  }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, out);
  }

 private:
  BitfinexParser parser_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeBitfinexProtocol() {
  return std::make_unique<BitfinexProtocol>();
}

}  // namespace oracle::feeds
