#include "feeds/gate/gate_symbols.h"

namespace oracle::feeds {

std::string GateSubscribeMessage(std::string_view channel,
                                 const std::vector<std::string>& venue_symbols, int64_t time_s) {
  std::string m = "{\"time\":" + std::to_string(time_s) + ",\"channel\":\"";
  m.append(channel);
  m += "\",\"event\":\"subscribe\",\"payload\":[";
  for (size_t i = 0; i < venue_symbols.size(); ++i) {
    if (i > 0) m.push_back(',');
    m += "\"" + venue_symbols[i] + "\"";
  }
  m += "]}";
  return m;
}

std::vector<std::string> GateSpotSubscribeMessages(const std::vector<std::string>& venue_symbols,
                                                   int64_t time_s) {
  if (venue_symbols.empty()) return {};
  return {GateSubscribeMessage(kGateSpotTradesChannel, venue_symbols, time_s),
          GateSubscribeMessage(kGateSpotBookTickerChannel, venue_symbols, time_s)};
}

std::string GateSpotPingMessage(int64_t time_s) {
  return "{\"time\":" + std::to_string(time_s) + ",\"channel\":\"spot.ping\"}";
}

std::string GateSpotRestTickerUrl(std::string_view venue_symbol) {
  std::string url = "https://api.gateio.ws/api/v4/spot/tickers?currency_pair=";
  url.append(venue_symbol);
  return url;
}

}  // namespace oracle::feeds
