// libFuzzer target for the KuCoin parser (WebSocket frames, REST tickers, bullet-public replies).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "feeds/kucoin/kucoin_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static oracle::feeds::KucoinParser* parser = [] {
    auto* p = new oracle::feeds::KucoinParser;
    p->SetRestSymbol("BTC-USDT");
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
  oracle::feeds::KucoinBullet bullet;
  std::string why;
  if (!oracle::feeds::ParseKucoinBullet(frame, &bullet, &why) && why.empty()) __builtin_trap();
  return 0;
}
