#include "feeds/hyperliquid/hyperliquid_adapter.h"

#include "feeds/hyperliquid/hyperliquid_parse.h"
#include "feeds/hyperliquid/hyperliquid_symbols.h"

namespace oracle::feeds {
namespace {

class HyperliquidProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://api.hyperliquid.xyz/ws";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return HyperliquidSubscribeMessages({"trades", "bbo"}, venue_symbols);
  }
  // The server closes a connection after 60 s without a message from the client; the official
  // SDK pings every 50 s. 30 s keeps a margin; the pong is a heartbeat.
  std::string ClientPing(uint64_t) const override { return R"({"method":"ping"})"; }
  DurationNs ClientPingInterval() const override { return 30 * kNanosPerSecond; }
  // bbo and trades may both be quiet on a calm coin: the pong (within a ping interval) is the
  // only frame then.
  DurationNs SilenceLimit() const override { return 45 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  // No GET ticker exists (POST /info only): no REST snapshot or fallback.
  std::string RestTickerUrl(const std::vector<std::string>&) const override { return {}; }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, out);
  }

 private:
  HyperliquidParser parser_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeHyperliquidProtocol() {
  return std::make_unique<HyperliquidProtocol>();
}

}  // namespace oracle::feeds
