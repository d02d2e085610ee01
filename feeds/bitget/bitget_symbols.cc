#include "feeds/bitget/bitget_symbols.h"

namespace oracle::feeds {

std::string BitgetSpotSymbol(std::string_view base, std::string_view quote) {
  std::string s;
  s.reserve(base.size() + quote.size());
  s.append(base);
  s.append(quote);
  return s;
}

std::vector<std::string> BitgetSubscribeMessages(const std::vector<std::string>& channels,
                                                 const std::vector<std::string>& inst_ids,
                                                 std::string_view inst_type, size_t per_message) {
  std::vector<std::string> args;
  for (const auto& inst_id : inst_ids) {
    for (const auto& channel : channels) {
      std::string arg = "{\"instType\":\"";
      arg += inst_type;
      arg += "\",\"channel\":\"";
      arg += channel;
      arg += "\",\"instId\":\"";
      arg += inst_id;
      arg += "\"}";
      args.push_back(std::move(arg));
    }
  }
  if (per_message == 0) per_message = 1;
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); i += per_message) {
    std::string m = "{\"op\":\"subscribe\",\"args\":[";
    for (size_t k = i; k < args.size() && k < i + per_message; ++k) {
      if (k > i) m.push_back(',');
      m += args[k];
    }
    m += "]}";
    out.push_back(std::move(m));
  }
  return out;
}

std::string BitgetRestTickerUrl(const std::vector<std::string>& symbols) {
  std::string url = "https://api.bitget.com/api/v2/spot/market/tickers";
  if (symbols.size() == 1) url += "?symbol=" + symbols[0];
  return url;
}

}  // namespace oracle::feeds
