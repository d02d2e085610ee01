// The normalized tick log: JSON Lines, one event per line.
//   {"time":"2025-10-10T21:36:00.250Z","venue":"binance","pair":"USDE-USDT","type":"trade","price":"0.6512","size":"1500"}
//   {"time":"...","venue":"kraken","pair":"ETH-USD","type":"quote","bid":"3800.10","ask":"3800.20"}
//   {"time":"...","source":"wbeth-exchange-rate","pair":"WBETH-ETH","type":"rate","rate":"1.0712"}
// `time` is RFC 3339 UTC with up to 9 fractional digits: the venue's (or provider's) timestamp.
// An optional `recv_time` (same format) is when the line was received; it drives the replay clock
// and defaults to `time`. Prices and sizes are decimal strings (plain JSON numbers are accepted and
// read exactly from their text). Unknown fields are ignored.
#ifndef ORACLE_REPLAY_TICK_LOG_H_
#define ORACLE_REPLAY_TICK_LOG_H_

#include <memory>
#include <string>
#include <string_view>

#include "oracle/config/config.h"
#include "oracle/core/event.h"

namespace oracle {

enum class LineOutcome : uint8_t {
  kEvent,     // *event is filled
  kUnrouted,  // a valid line for a venue/pair (or rate pair) the configuration does not use
  kBlank,     // empty or whitespace-only
  kError,     // *error says what is wrong
};

class TickLogParser {
 public:
  explicit TickLogParser(const Config& config);
  ~TickLogParser();
  TickLogParser(const TickLogParser&) = delete;
  TickLogParser& operator=(const TickLogParser&) = delete;

  // Parses one line (without its newline). On kError, *error names the field and the value. On
  // kEvent and kUnrouted, *venue_id is the venue's id or -1 (rates, unknown venues).
  // Allocation-free once its buffers have grown to the longest line.
  LineOutcome Parse(std::string_view line, Event* event, std::string* error, int* venue_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle

#endif  // ORACLE_REPLAY_TICK_LOG_H_
