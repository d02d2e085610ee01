#include "feeds/htx/htx_symbols.h"

namespace oracle::feeds {

std::string HtxSpotSymbol(std::string_view base, std::string_view quote) {
  std::string s;
  s.reserve(base.size() + quote.size());
  for (std::string_view part : {base, quote}) {
    for (char c : part) s.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return s;
}

std::string HtxTopic(std::string_view symbol, std::string_view channel) {
  std::string t = "market.";
  t.append(symbol);
  t.push_back('.');
  t.append(channel);
  return t;
}

bool HtxSplitTopic(std::string_view topic, std::string_view* symbol, std::string_view* channel) {
  constexpr std::string_view kPrefix = "market.";
  if (!topic.starts_with(kPrefix)) return false;
  topic.remove_prefix(kPrefix.size());
  const size_t dot = topic.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == topic.size()) return false;
  *symbol = topic.substr(0, dot);
  *channel = topic.substr(dot + 1);
  return true;
}

std::vector<std::string> HtxSubscribeMessages(const std::vector<std::string>& channels,
                                              const std::vector<std::string>& symbols) {
  std::vector<std::string> out;
  size_t id = 0;
  for (const auto& symbol : symbols) {
    for (const auto& channel : channels) {
      std::string m = "{\"sub\":\"";
      m += HtxTopic(symbol, channel);
      m += "\",\"id\":\"";
      m += std::to_string(++id);
      m += "\"}";
      out.push_back(std::move(m));
    }
  }
  return out;
}

std::string HtxRestTickerUrl(std::string_view symbol) {
  return "https://api.huobi.pro/market/detail/merged?symbol=" + std::string(symbol);
}

}  // namespace oracle::feeds
