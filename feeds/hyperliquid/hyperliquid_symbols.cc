#include "feeds/hyperliquid/hyperliquid_symbols.h"

namespace oracle::feeds {
namespace {

// Appends `s` as the body of a JSON string (coins are plain ASCII; quotes and backslashes are
// escaped all the same).
void AppendJsonString(std::string_view s, std::string* out) {
  for (char c : s) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
}

}  // namespace

std::string HyperliquidSpotCoin(uint32_t spot_pair_index) {
  std::string coin = "@";
  coin += std::to_string(spot_pair_index);
  return coin;
}

std::vector<std::string> HyperliquidSubscribeMessages(const std::vector<std::string>& types,
                                                      const std::vector<std::string>& coins) {
  std::vector<std::string> out;
  for (const auto& coin : coins) {
    for (const auto& type : types) {
      std::string m = "{\"method\":\"subscribe\",\"subscription\":{\"type\":\"";
      AppendJsonString(type, &m);
      m += "\",\"coin\":\"";
      AppendJsonString(coin, &m);
      m += "\"}}";
      out.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace oracle::feeds
