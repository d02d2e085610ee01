// libFuzzer target for the Bitget parser (WebSocket frames and REST tickers).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/bitget/bitget_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static oracle::feeds::BitgetParser parser;
  static oracle::feeds::TickBuffer ticks;
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  ticks.Clear();
  oracle::feeds::ParseResult r = parser.Parse(frame, &ticks);
  if (r.kind == oracle::feeds::FrameKind::kUnparseable && r.detail.empty()) __builtin_trap();
  for (const auto& t : ticks) {
    if (t.symbol.empty()) __builtin_trap();
    if (t.type == oracle::feeds::TickType::kTrade && t.price.mantissa <= 0) __builtin_trap();
    if (t.type == oracle::feeds::TickType::kQuote && (t.bid.mantissa <= 0 || t.ask.mantissa <= 0)) {
      __builtin_trap();
    }
  }
  if (r.kind != oracle::feeds::FrameKind::kData && ticks.size() != 0) __builtin_trap();
  ticks.Clear();
  r = parser.ParseRestTicker(frame, &ticks);
  if (r.kind == oracle::feeds::FrameKind::kUnparseable && r.detail.empty()) __builtin_trap();
  if (r.kind != oracle::feeds::FrameKind::kData && ticks.size() != 0) __builtin_trap();
  return 0;
}
