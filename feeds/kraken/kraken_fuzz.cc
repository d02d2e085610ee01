// libFuzzer target for the Kraken parser (WebSocket v2 and v1 frames, REST bodies).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/kraken/kraken_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static oracle::feeds::KrakenParser parser;
  static oracle::feeds::TickBuffer ticks;
  static const std::vector<std::string> symbols = {"BTC/USD", "USDT/USD", "ETH/USD"};
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto check = [] {
    for (const auto& t : ticks) {
      if (t.symbol.empty()) __builtin_trap();
      if (t.type == oracle::feeds::TickType::kQuote &&
          (t.bid.mantissa <= 0 || t.ask.mantissa <= 0)) {
        __builtin_trap();
      }
      if (t.type == oracle::feeds::TickType::kTrade && t.price.mantissa <= 0) __builtin_trap();
    }
  };
  ticks.Clear();
  parser.Parse(frame, &ticks);
  check();
  ticks.Clear();
  parser.ParseRestTicker(frame, &ticks);
  check();
  ticks.Clear();
  parser.ParseRestTicker(frame, symbols, &ticks);
  check();
  return 0;
}
