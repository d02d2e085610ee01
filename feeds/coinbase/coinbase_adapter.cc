#include "feeds/coinbase/coinbase_adapter.h"

#include "feeds/coinbase/coinbase_parse.h"
#include "feeds/coinbase/coinbase_symbols.h"

namespace oracle::feeds {
namespace {

class CoinbaseProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://ws-feed.exchange.coinbase.com";
  }
  // The venue disconnects a client that has not subscribed within 5 s of connecting.
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return {CoinbaseExchangeSubscribeMessage(venue_symbols, {"matches", "ticker", "heartbeat"})};
  }
  // The heartbeat channel sends one frame per product per second.
  DurationNs SilenceLimit() const override { return 15 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  // One product per request: for a list, the URL of the first product; RestTickerPerSymbol()
  // has the adapter ask once per product.
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    if (venue_symbols.empty()) return {};
    return CoinbaseProductBookUrl(venue_symbols.front());
  }
  bool RestTickerPerSymbol() const override { return true; }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, out);
  }

 private:
  CoinbaseParser parser_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeCoinbaseProtocol() {
  return std::make_unique<CoinbaseProtocol>();
}

}  // namespace oracle::feeds
