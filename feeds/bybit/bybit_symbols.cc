#include "feeds/bybit/bybit_symbols.h"

namespace oracle::feeds {

std::string BybitSpotSymbol(std::string_view base, std::string_view quote) {
  std::string s(base);
  s.append(quote);
  return s;
}

std::string BybitTopic(std::string_view channel, std::string_view symbol) {
  std::string s(channel);
  s.push_back('.');
  s.append(symbol);
  return s;
}

std::string_view BybitTopicSymbol(std::string_view topic) {
  const size_t dot = topic.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : topic.substr(dot + 1);
}

std::vector<std::string> BybitSubscribeMessages(const std::vector<std::string>& topics,
                                                size_t per_message) {
  if (per_message == 0) per_message = 1;
  std::vector<std::string> out;
  int id = 1;
  for (size_t i = 0; i < topics.size(); i += per_message) {
    std::string m = "{\"req_id\":\"" + std::to_string(id++) + "\",\"op\":\"subscribe\",\"args\":[";
    for (size_t k = i; k < topics.size() && k < i + per_message; ++k) {
      if (k > i) m.push_back(',');
      m += "\"" + topics[k] + "\"";
    }
    m += "]}";
    out.push_back(std::move(m));
  }
  return out;
}

std::string BybitPingMessage() { return "{\"op\":\"ping\"}"; }

std::string BybitRestTickerUrl(std::string_view category, const std::vector<std::string>& symbols) {
  std::string url = "https://api.bybit.com/v5/market/tickers?category=" + std::string(category);
  if (symbols.size() == 1) url += "&symbol=" + symbols[0];
  return url;
}

}  // namespace oracle::feeds
