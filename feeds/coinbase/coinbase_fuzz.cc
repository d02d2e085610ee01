// libFuzzer target for the Coinbase parser (WebSocket frames of both feeds and REST bodies).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/coinbase/coinbase_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static oracle::feeds::CoinbaseParser parser;
  static oracle::feeds::TickBuffer ticks;
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
  parser.ParseRestTicker(frame, "BTC-USD", &ticks);
  check();
  return 0;
}
