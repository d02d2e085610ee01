#include "feeds/bitstamp/bitstamp_symbols.h"

namespace oracle::feeds {

std::string BitstampChannel(std::string_view channel_prefix, std::string_view venue_symbol) {
  std::string s;
  s.reserve(channel_prefix.size() + venue_symbol.size());
  s.append(channel_prefix);
  s.append(venue_symbol);
  return s;
}

std::string BitstampSubscribeMessage(std::string_view channel) {
  std::string m = R"({"event":"bts:subscribe","data":{"channel":")";
  m.append(channel);
  m += "\"}}";
  return m;
}

std::vector<std::string> BitstampSubscribeMessages(const std::vector<std::string>& venue_symbols) {
  std::vector<std::string> out;
  out.reserve(venue_symbols.size() * 2);
  for (const std::string& s : venue_symbols) {
    out.push_back(BitstampSubscribeMessage(BitstampChannel(kBitstampTradesChannelPrefix, s)));
    out.push_back(BitstampSubscribeMessage(BitstampChannel(kBitstampBookChannelPrefix, s)));
  }
  return out;
}

}  // namespace oracle::feeds
