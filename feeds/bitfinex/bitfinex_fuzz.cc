// libFuzzer target for the Bitfinex parser. The parser keeps state (the CHAN_ID map), so the
// input is read as a session: one frame per line, each checked; then the whole input as a REST
// body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/bitfinex/bitfinex_parse.h"

namespace {

void CheckFrame(oracle::feeds::BitfinexParser& parser, oracle::feeds::TickBuffer& ticks,
                std::string_view frame) {
  ticks.Clear();
  oracle::feeds::ParseResult r = parser.Parse(frame, &ticks);
  if (r.kind == oracle::feeds::FrameKind::kUnparseable && r.detail.empty()) __builtin_trap();
  if (!r.reply.empty()) __builtin_trap();  // Bitfinex needs no answers
  for (const auto& t : ticks) {
    if (t.symbol.empty() || t.symbol[0] != 't') __builtin_trap();
    if (t.type == oracle::feeds::TickType::kTrade &&
        (t.price.mantissa <= 0 || t.size.mantissa < 0)) {
      __builtin_trap();
    }
    if (t.type == oracle::feeds::TickType::kQuote && (t.bid.mantissa <= 0 || t.ask.mantissa <= 0)) {
      __builtin_trap();
    }
  }
  if (r.kind != oracle::feeds::FrameKind::kData && ticks.size() != 0) __builtin_trap();
  if (parser.mapped_channels() > 128) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static oracle::feeds::BitfinexParser parser;
  static oracle::feeds::TickBuffer ticks;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (std::string_view rest = input; !rest.empty();) {
    const size_t nl = rest.find('\n');
    CheckFrame(parser, ticks, rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  ticks.Clear();
  oracle::feeds::ParseResult r = parser.ParseRestTicker(input, &ticks);
  if (r.kind == oracle::feeds::FrameKind::kUnparseable && r.detail.empty()) __builtin_trap();
  if (r.kind != oracle::feeds::FrameKind::kData && ticks.size() != 0) __builtin_trap();
  for (const auto& t : ticks) {
    if (t.symbol.empty() || t.bid.mantissa <= 0 || t.ask.mantissa <= 0) __builtin_trap();
  }
  return 0;
}
