// libFuzzer target for the Binance parser (WebSocket frames and REST tickers).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/binance/binance_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static oracle::feeds::BinanceParser parser;
  static oracle::feeds::TickBuffer ticks;
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  ticks.Clear();
  parser.Parse(frame, &ticks);
  for (const auto& t : ticks) {
    if (t.symbol.data() == nullptr && !t.symbol.empty()) __builtin_trap();
  }
  ticks.Clear();
  parser.ParseRestTicker(frame, &ticks);
  return 0;
}
