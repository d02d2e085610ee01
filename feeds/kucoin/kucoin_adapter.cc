#include "feeds/kucoin/kucoin_adapter.h"

#include <algorithm>
#include <atomic>

#include "feeds/kucoin/kucoin_parse.h"
#include "feeds/kucoin/kucoin_symbols.h"

namespace oracle::feeds {
namespace {

constexpr DurationNs kDefaultPingInterval = 18 * kNanosPerSecond;  // what bullet-public hands out
constexpr DurationNs kMaxPingInterval = 20 * kNanosPerSecond;      // keeps SilenceLimit() valid

class KucoinProtocol : public VenueProtocol {
 public:
  // Without a token this address refuses the connection: the adapter uses the bootstrap.
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://ws-api-spot.kucoin.com/";
  }
  std::string BootstrapUrl() const override { return std::string(kKucoinBulletPublicUrl); }
  bool WebSocketUrlFromBootstrap(std::string_view body, std::string* url,
                                 DurationNs* ping_interval) const override {
    KucoinBullet bullet;
    std::string why;
    if (!ParseKucoinBullet(body, &bullet, &why)) return false;
    // connectId only has to be unique per connection (KuCoin echoes it in the welcome).
    const std::string connect_id =
        std::to_string(WallClockNow()) + "-" + std::to_string(connections_.fetch_add(1) + 1);
    *url = KucoinWebSocketUrl(bullet.endpoint, bullet.token, connect_id);
    // Pinging more often than asked is allowed; at most every 20 s, pongs alone keep the
    // connection under SilenceLimit() even when the symbols are quiet.
    const DurationNs asked = bullet.ping_interval > 0 ? bullet.ping_interval : kDefaultPingInterval;
    *ping_interval = std::min(asked, kMaxPingInterval);
    return true;
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return KucoinSubscribeMessages(venue_symbols);
  }
  std::string ClientPing(uint64_t counter) const override { return KucoinPingMessage(counter); }
  DurationNs ClientPingInterval() const override { return kDefaultPingInterval; }
  DurationNs SilenceLimit() const override { return 30 * kNanosPerSecond; }
  // The bullet token is said to be valid for 24 h (a summary of KuCoin's docs, not an official
  // page): connections are renewed, with a new token, before then.
  DurationNs ConnectionLifetime() const override { return 24LL * 3600 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  // One symbol per request (the adapter asks for each); the stats body names its symbol.
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    if (venue_symbols.empty()) return {};
    return KucoinRestTickerUrl(venue_symbols.front());
  }
  bool RestTickerPerSymbol() const override { return true; }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return rest_parser_.ParseRestTicker(body, out);
  }

 private:
  KucoinParser parser_;       // WebSocket frames (connection thread)
  KucoinParser rest_parser_;  // REST bodies, wherever the adapter fetches them
  mutable std::atomic<uint64_t> connections_{0};
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeKucoinProtocol() { return std::make_unique<KucoinProtocol>(); }

}  // namespace oracle::feeds
