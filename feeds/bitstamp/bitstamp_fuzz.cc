// libFuzzer target for the Bitstamp parser (WebSocket frames and REST tickers).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/bitstamp/bitstamp_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static oracle::feeds::BitstampParser* parser = [] {
    auto* p = new oracle::feeds::BitstampParser;
    p->SetRestSymbol("btcusd");
    return p;
  }();
  static oracle::feeds::TickBuffer ticks;
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  ticks.Clear();
  oracle::feeds::ParseResult r = parser->Parse(frame, &ticks);
  if (r.kind == oracle::feeds::FrameKind::kUnparseable && r.detail.empty()) __builtin_trap();
  for (const auto& t : ticks) {
    if (t.symbol.empty()) __builtin_trap();
  }
  ticks.Clear();
  r = parser->ParseRestTicker(frame, &ticks);
  for (const auto& t : ticks) {
    if (t.symbol.empty()) __builtin_trap();
  }
  return 0;
}
