// libFuzzer target for the HTX parser (WebSocket frames and REST tickers).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/htx/htx_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static oracle::feeds::HtxParser parser;
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
  // A reply is only ever {"pong":<digits>}.
  if (!r.reply.empty()) {
    if (r.kind != oracle::feeds::FrameKind::kHeartbeat || !r.reply.starts_with("{\"pong\":") ||
        r.reply.back() != '}') {
      __builtin_trap();
    }
    for (char c : r.reply.substr(8, r.reply.size() - 9)) {
      if (c < '0' || c > '9') __builtin_trap();
    }
  }
  ticks.Clear();
  r = parser.ParseRestTicker(frame, &ticks);
  if (r.kind == oracle::feeds::FrameKind::kUnparseable && r.detail.empty()) __builtin_trap();
  if (r.kind != oracle::feeds::FrameKind::kData && ticks.size() != 0) __builtin_trap();
  for (const auto& t : ticks) {
    if (t.symbol.empty() || t.bid.mantissa <= 0 || t.ask.mantissa <= 0) __builtin_trap();
  }
  return 0;
}
