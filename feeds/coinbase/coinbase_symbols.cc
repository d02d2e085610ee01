#include "feeds/coinbase/coinbase_symbols.h"

namespace oracle::feeds {
namespace {

bool IsUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

void AppendStringArray(const std::vector<std::string>& items, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    *out += "\"" + items[i] + "\"";
  }
  out->push_back(']');
}

}  // namespace

bool IsCoinbaseProductId(std::string_view product_id) noexcept {
  const size_t dash = product_id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == product_id.size()) return false;
  for (size_t i = 0; i < product_id.size(); ++i) {
    if (i != dash && !IsUpperAlnum(product_id[i])) return false;
  }
  return true;
}

std::string CoinbaseExchangeSubscribeMessage(const std::vector<std::string>& product_ids,
                                             const std::vector<std::string>& channels) {
  std::string m = "{\"type\":\"subscribe\",\"product_ids\":";
  AppendStringArray(product_ids, &m);
  m += ",\"channels\":";
  AppendStringArray(channels, &m);
  m += "}";
  return m;
}

std::string CoinbaseAdvancedSubscribeMessage(const std::vector<std::string>& product_ids,
                                             std::string_view channel) {
  std::string m = "{\"type\":\"subscribe\",\"product_ids\":";
  AppendStringArray(product_ids, &m);
  m += ",\"channel\":\"";
  m.append(channel);
  m += "\"}";
  return m;
}

std::string CoinbaseProductBookUrl(std::string_view product_id) {
  std::string url = "https://api.coinbase.com/api/v3/brokerage/market/product_book?product_id=";
  url.append(product_id);
  url += "&limit=1";
  return url;
}

std::string CoinbaseExchangeTickerUrl(std::string_view product_id) {
  std::string url = "https://api.exchange.coinbase.com/products/";
  url.append(product_id);
  url += "/ticker";
  return url;
}

}  // namespace oracle::feeds
