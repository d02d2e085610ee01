#include "feeds/htx/htx_adapter.h"

#include "feeds/htx/htx_parse.h"
#include "feeds/htx/htx_symbols.h"

namespace oracle::feeds {
namespace {

class HtxProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://api.huobi.pro/ws";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return HtxSubscribeMessages({"trade.detail", "bbo"}, venue_symbols);
  }
  // HTX pings every 5 s: a connection silent for 20 s (four pings missed) is dead.
  DurationNs SilenceLimit() const override { return 20 * kNanosPerSecond; }
  bool BinaryFramesAreCompressed() const override { return true; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    return venue_symbols.empty() ? std::string() : HtxRestTickerUrl(venue_symbols[0]);
  }
  // /market/detail/merged takes one symbol; /market/tickers returns every symbol (more than a
  // TickBuffer holds).
  bool RestTickerPerSymbol() const override { return true; }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, out);
  }

 private:
  HtxParser parser_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeHtxProtocol() { return std::make_unique<HtxProtocol>(); }

}  // namespace oracle::feeds
