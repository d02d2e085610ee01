#include "feeds/bitfinex/bitfinex_symbols.h"

namespace oracle::feeds {

std::string BitfinexCurrency(std::string_view currency) {
  std::string c;
  c.reserve(currency.size());
  for (char ch : currency)
    c.push_back(ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch);
  if (c == "USDT") return "UST";
  if (c == "USDC") return "UDC";
  return c;
}

std::string BitfinexTradingSymbol(std::string_view base, std::string_view quote) {
  const std::string b = BitfinexCurrency(base);
  const std::string q = BitfinexCurrency(quote);
  std::string s = "t";
  s += b;
  if (b.size() > 3 || q.size() > 3) s.push_back(':');
  s += q;
  return s;
}

bool BitfinexIsTradingSymbol(std::string_view symbol) {
  return symbol.size() > 1 && symbol[0] == 't';
}

std::vector<std::string> BitfinexSubscribeMessages(const std::vector<std::string>& channels,
                                                   const std::vector<std::string>& symbols) {
  std::vector<std::string> out;
  for (const auto& symbol : symbols) {
    for (const auto& channel : channels) {
      std::string m = "{\"event\":\"subscribe\",\"channel\":\"";
      m += channel;
      m += "\",\"symbol\":\"";
      m += symbol;
      m += "\"}";
      out.push_back(std::move(m));
    }
  }
  return out;
}

std::string BitfinexRestTickersUrl(const std::vector<std::string>& symbols) {
  std::string url = "https://api-pub.bitfinex.com/v2/tickers?symbols=";
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0) url.push_back(',');
    url += symbols[i];
  }
  return url;
}

}  // namespace oracle::feeds
