#include "feeds/bybit/bybit_adapter.h"

#include "feeds/bybit/bybit_parse.h"
#include "feeds/bybit/bybit_symbols.h"

namespace oracle::feeds {
namespace {

class BybitSpotProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://stream.bybit.com/v5/public/spot";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    std::vector<std::string> topics;
    for (const auto& s : venue_symbols) {
      topics.push_back(BybitTopic("publicTrade", s));
      topics.push_back(BybitTopic("orderbook.1", s));
    }
    return BybitSubscribeMessages(topics, 10);
  }
  // Without pings or data Bybit closes a connection after 10 minutes; it recommends a ping every
  // 20 s. The pong proves the connection alive between quiet book updates.
  std::string ClientPing(uint64_t) const override { return BybitPingMessage(); }
  DurationNs ClientPingInterval() const override { return 20 * kNanosPerSecond; }
  DurationNs SilenceLimit() const override { return 30 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    return BybitRestTickerUrl("spot", venue_symbols);
  }
  // Without `symbol` the endpoint returns every spot pair (more than a TickBuffer holds).
  bool RestTickerPerSymbol() const override { return true; }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, out);
  }

 private:
  BybitParser parser_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeBybitProtocol() { return std::make_unique<BybitSpotProtocol>(); }

}  // namespace oracle::feeds
