#include "feeds/okx/okx_symbols.h"

namespace oracle::feeds {

std::string OkxSpotInstId(std::string_view base, std::string_view quote) {
  std::string s;
  s.reserve(base.size() + quote.size() + 1);
  s.append(base);
  s.push_back('-');
  s.append(quote);
  return s;
}

std::string_view OkxInstType(std::string_view inst_id) {
  size_t dashes = 0;
  for (char c : inst_id) dashes += c == '-' ? 1 : 0;
  if (dashes <= 1) return "SPOT";
  if (inst_id.ends_with("-SWAP")) return "SWAP";
  if (dashes >= 4) return "OPTION";  // BTC-USD-250627-100000-C
  return "FUTURES";                  // BTC-USD-250627
}

std::vector<std::string> OkxSubscribeMessages(const std::vector<std::string>& channels,
                                              const std::vector<std::string>& inst_ids,
                                              size_t per_message) {
  std::vector<std::string> args;
  for (const auto& inst_id : inst_ids) {
    for (const auto& channel : channels) {
      std::string arg = "{\"channel\":\"";
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

std::string OkxRestTickerUrl(const std::vector<std::string>& inst_ids) {
  if (inst_ids.size() == 1) {
    return "https://www.okx.com/api/v5/market/ticker?instId=" + inst_ids[0];
  }
  const std::string_view type = inst_ids.empty() ? "SPOT" : OkxInstType(inst_ids[0]);
  return "https://www.okx.com/api/v5/market/tickers?instType=" + std::string(type);
}

}  // namespace oracle::feeds
