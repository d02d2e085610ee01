#include "feeds/kucoin/kucoin_symbols.h"

#include <algorithm>

namespace oracle::feeds {
namespace {

std::string SubscribeMessage(uint64_t id, const std::string& topic) {
  return "{\"id\":\"" + std::to_string(id) + "\",\"type\":\"subscribe\",\"topic\":\"" + topic +
         "\",\"privateChannel\":false,\"response\":true}";
}

void AppendPercentEncoded(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out->push_back(c);
    } else {
      const auto u = static_cast<unsigned char>(c);
      out->push_back('%');
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 0xF]);
    }
  }
}

}  // namespace

std::string KucoinTopic(std::string_view prefix, const std::vector<std::string>& venue_symbols) {
  std::string topic(prefix);
  for (size_t i = 0; i < venue_symbols.size(); ++i) {
    if (i > 0) topic.push_back(',');
    topic += venue_symbols[i];
  }
  return topic;
}

std::vector<std::string> KucoinSubscribeMessages(const std::vector<std::string>& venue_symbols,
                                                 size_t per_topic) {
  std::vector<std::string> out;
  if (per_topic == 0) per_topic = kKucoinMaxSymbolsPerTopic;
  uint64_t id = 1;
  for (std::string_view prefix : {kKucoinMatchTopicPrefix, kKucoinTickerTopicPrefix}) {
    for (size_t i = 0; i < venue_symbols.size(); i += per_topic) {
      const size_t end = std::min(venue_symbols.size(), i + per_topic);
      const std::vector<std::string> chunk(venue_symbols.begin() + i, venue_symbols.begin() + end);
      out.push_back(SubscribeMessage(id++, KucoinTopic(prefix, chunk)));
    }
  }
  return out;
}

std::string KucoinPingMessage(uint64_t counter) {
  return "{\"id\":\"" + std::to_string(counter) + "\",\"type\":\"ping\"}";
}

std::string KucoinWebSocketUrl(std::string_view endpoint, std::string_view token,
                               std::string_view connect_id) {
  std::string url(endpoint);
  url.push_back(url.find('?') == std::string::npos ? '?' : '&');
  url += "token=";
  AppendPercentEncoded(token, &url);
  url += "&connectId=";
  AppendPercentEncoded(connect_id, &url);
  return url;
}

std::string KucoinRestTickerUrl(std::string_view venue_symbol) {
  std::string url = "https://api.kucoin.com/api/v1/market/stats?symbol=";
  url.append(venue_symbol);
  return url;
}

}  // namespace oracle::feeds
