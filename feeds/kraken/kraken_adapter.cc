#include "feeds/kraken/kraken_adapter.h"

#include "feeds/kraken/kraken_parse.h"
#include "feeds/kraken/kraken_symbols.h"

namespace oracle::feeds {
namespace {

class KrakenProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://ws.kraken.com/v2";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return {KrakenSubscribeMessage("trade", venue_symbols, "\"snapshot\":false", 1),
            KrakenSubscribeMessage("ticker", venue_symbols,
                                   "\"event_trigger\":\"bbo\",\"snapshot\":true", 2)};
  }
  // Heartbeats arrive about once a second in the absence of other updates.
  DurationNs SilenceLimit() const override { return 15 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  // Remembers the symbols asked for, so that the reply's keys (XXBTZUSD, ...) are reported in the
  // configured spelling. One protocol object serves one connection thread.
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    rest_symbols_ = venue_symbols;
    const std::string pairs = KrakenRestPairParam(venue_symbols);
    if (pairs.empty()) return {};
    return "https://api.kraken.com/0/public/Ticker?pair=" + pairs;
  }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, rest_symbols_, out);
  }

 private:
  KrakenParser parser_;
  mutable std::vector<std::string> rest_symbols_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeKrakenProtocol() { return std::make_unique<KrakenProtocol>(); }

}  // namespace oracle::feeds
