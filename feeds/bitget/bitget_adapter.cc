#include "feeds/bitget/bitget_adapter.h"

#include "feeds/bitget/bitget_parse.h"
#include "feeds/bitget/bitget_symbols.h"

namespace oracle::feeds {
namespace {

class BitgetProtocol : public VenueProtocol {
 public:
  std::string WebSocketUrl(const std::vector<std::string>&) const override {
    return "wss://ws.bitget.com/v2/ws/public";
  }
  std::vector<std::string> SubscribeMessages(
      const std::vector<std::string>& venue_symbols) const override {
    return BitgetSubscribeMessages({"trade", "books1"}, venue_symbols, "SPOT");
  }
  // Bitget asks for the text "ping" on a 30 s timer; one revision of its docs also closes a
  // connection that sent no "ping" for 30 s, so 20 s keeps a margin. "pong" is a heartbeat.
  std::string ClientPing(uint64_t) const override { return "ping"; }
  DurationNs ClientPingInterval() const override { return 20 * kNanosPerSecond; }
  // A pong is due within a ping interval even when no symbol trades; books1 pushes every
  // 10-60 ms while the book is alive.
  DurationNs SilenceLimit() const override { return 30 * kNanosPerSecond; }
  DurationNs ConnectionLifetime() const override { return 24 * 3600 * kNanosPerSecond; }

  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept override {
    return parser_.Parse(frame, out);
  }
  std::string RestTickerUrl(const std::vector<std::string>& venue_symbols) const override {
    return BitgetRestTickerUrl(venue_symbols);
  }
  // Without a symbol the endpoint returns every spot pair (more than a TickBuffer holds).
  bool RestTickerPerSymbol() const override { return true; }
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept override {
    return parser_.ParseRestTicker(body, out);
  }

 private:
  BitgetParser parser_;
};

}  // namespace

std::unique_ptr<VenueProtocol> MakeBitgetProtocol() { return std::make_unique<BitgetProtocol>(); }

}  // namespace oracle::feeds
