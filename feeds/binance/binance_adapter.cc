#include "feeds/binance/binance_adapter.h"

#include "feeds/binance/binance_parse.h"
#include "feeds/binance/binance_symbols.h"

namespace oracle::feeds {
namespace {

class BinanceProtocol : public VenueProtocol {
 public:
  explicit BinanceProtocol(bool usdm) : usdm_(usdm) {}

  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return usdm_ ? "wss://fstream.binance.com/stream" : "wss://stream.binance.com:9443/stream";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    std::vector<std::string> streams;
    for (const auto& s : venue_symbols) {
      if (usdm_) {
        streams.push_back(BinanceStreamName(s, "markPrice@1s"));
      } else {
        streams.push_back(BinanceStreamName(s, "trade"));
        streams.push_back(BinanceStreamName(s, "bookTicker"));
      }
    }
    return BinanceSubscribeMessages(streams);
  }
  // Binance pings every 20 s (spot) / 3 min (futures) and expects a pong: the transport answers.
  DurationNs SilenceLimit() const override { return 30 * kNanosPerSecond; }
  DurationNs ConnectionLifetime() const override { return 24 * 3600 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    if (usdm_) return "https://fapi.binance.com/fapi/v1/premiumIndex";
    return "https://api.binance.com/api/v3/ticker/bookTicker?symbols=" +
           BinanceRestSymbolsParam(venue_symbols);
  }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, out);
  }

 private:
  bool usdm_;
  BinanceParser parser_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeBinanceSpotProtocol() {
  return std::make_unique<BinanceProtocol>(false);
}
std::unique_ptr<VenueProtocol> MakeBinanceUsdmProtocol() {
  return std::make_unique<BinanceProtocol>(true);
}

}  // namespace oracle::feeds
