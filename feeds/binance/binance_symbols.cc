#include "feeds/binance/binance_symbols.h"

#include <cctype>

namespace oracle::feeds {

std::string BinanceStreamName(std::string_view venue_symbol, std::string_view channel) {
  std::string s;
  s.reserve(venue_symbol.size() + channel.size() + 1);
  for (char c : venue_symbol)
    s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  s.push_back('@');
  s.append(channel);
  return s;
}

std::vector<std::string> BinanceSubscribeMessages(const std::vector<std::string>& streams,
                                                  size_t per_message) {
  std::vector<std::string> out;
  int id = 1;
  for (size_t i = 0; i < streams.size(); i += per_message) {
    std::string m = "{\"method\":\"SUBSCRIBE\",\"params\":[";
    for (size_t k = i; k < streams.size() && k < i + per_message; ++k) {
      if (k > i) m.push_back(',');
      m += "\"" + streams[k] + "\"";
    }
    m += "],\"id\":" + std::to_string(id++) + "}";
    out.push_back(std::move(m));
  }
  return out;
}

std::string BinanceRestSymbolsParam(const std::vector<std::string>& venue_symbols) {
  // ["A","B"] URL-encoded: %5B%22A%22%2C%22B%22%5D
  std::string s = "%5B";
  for (size_t i = 0; i < venue_symbols.size(); ++i) {
    if (i > 0) s += "%2C";
    s += "%22" + venue_symbols[i] + "%22";
  }
  s += "%5D";
  return s;
}

}  // namespace oracle::feeds
