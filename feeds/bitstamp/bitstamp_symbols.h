// Bitstamp's symbol dialect: the configured venue symbol is the lower-case market name ("btcusd",
// "usdtusd", "btcusd-perp"); channels are "<channel>_<market>" ("live_trades_btcusd"); the REST
// ticker list names markets as "BTC/USD".
#ifndef ORACLE_FEEDS_BITSTAMP_BITSTAMP_SYMBOLS_H_
#define ORACLE_FEEDS_BITSTAMP_BITSTAMP_SYMBOLS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

inline constexpr std::string_view kBitstampTradesChannelPrefix = "live_trades_";
inline constexpr std::string_view kBitstampBookChannelPrefix = "order_book_";

// The client keepalive; Bitstamp answers
// {"event":"bts:heartbeat","channel":"","data":{"status":"success"}}.
inline constexpr std::string_view kBitstampHeartbeatRequest = R"({"event":"bts:heartbeat"})";

// "live_trades_" + "btcusd" -> "live_trades_btcusd".
std::string BitstampChannel(std::string_view channel_prefix, std::string_view venue_symbol);

// {"event":"bts:subscribe","data":{"channel":"<channel>"}}: one message per channel.
std::string BitstampSubscribeMessage(std::string_view channel);

// live_trades_<s> and order_book_<s> for every symbol, in that order.
std::vector<std::string> BitstampSubscribeMessages(const std::vector<std::string>& venue_symbols);

// The REST ticker list's market name to the venue symbol: "BTC/USD" -> "btcusd",
// "BTC/USD-PERP" -> "btcusd-perp". Writes at most `capacity` characters to `out` and returns the
// length, or 0 when the name is empty or does not fit. No allocation. (Inline: the parser uses it
// and links without this folder's other files, e.g. in the fuzzer.)
inline size_t BitstampSymbolFromPair(std::string_view pair, char* out, size_t capacity) noexcept {
  size_t n = 0;
  for (char c : pair) {
    if (c == '/') continue;
    if (n == capacity) return 0;
    out[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return n;
}

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITSTAMP_BITSTAMP_SYMBOLS_H_
