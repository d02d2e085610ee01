#include "feeds/gate/gate_adapter.h"

#include "feeds/gate/gate_parse.h"
#include "feeds/gate/gate_symbols.h"

namespace oracle::feeds {
namespace {

// Gate rejects requests whose "time" is more than 60 s from its clock: requests carry the wall
// clock (the adapter runs in the connection thread, not in the core).
int64_t NowSeconds() { return WallClockNow() / kNanosPerSecond; }

class GateProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://api.gateio.ws/ws/v4/";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return GateSpotSubscribeMessages(venue_symbols, NowSeconds());
  }
  std::string ClientPing(uint64_t) const override { return GateSpotPingMessage(NowSeconds()); }
  DurationNs ClientPingInterval() const override { return 10 * kNanosPerSecond; }
  DurationNs SilenceLimit() const override { return 30 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  // The endpoint takes one currency_pair (without it, all ~2000 pairs): one request per symbol
  // (the adapter asks for each); the body names its pair.
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    if (venue_symbols.empty()) return {};
    return GateSpotRestTickerUrl(venue_symbols.front());
  }
  bool RestTickerPerSymbol() const override { return true; }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return rest_parser_.ParseRestTicker(body, out);
  }

 private:
  GateParser parser_;       // WebSocket frames (connection thread)
  GateParser rest_parser_;  // REST bodies, wherever the adapter fetches them
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeGateProtocol() { return std::make_unique<GateProtocol>(); }

}  // namespace oracle::feeds
