// Offline replay: a tick log through the real engine as fast as it goes, on the log's own clock.
//
// Timer events are generated at every multiple of the publish interval on the log's clock: before
// an event received at time t, every timer T < t fires, so a mark at T reflects every event
// received at or before T; after the last line, timers up to the last time fire. Bad lines are
// reported with their line number and skipped. Deterministic: the same log and configuration give
// byte-identical output.
#ifndef ORACLE_REPLAY_REPLAY_RUNNER_H_
#define ORACLE_REPLAY_REPLAY_RUNNER_H_

#include <cstdint>
#include <iosfwd>
#include <string>

#include <vector>

#include "absl/status/statusor.h"
#include "oracle/aggregation/engine.h"
#include "oracle/config/config.h"
#include "oracle/replay/tick_log.h"

namespace oracle {

struct ReplayOptions {
  bool provenance = false;          // add status_reason and sources to each output line
  size_t max_reported_errors = 50;  // bad lines printed individually; the rest are only counted
  EngineObserver* extra_observer = nullptr;  // also sees every event and mark (tests, tools)
};

struct ReplaySummary {
  uint64_t lines = 0;
  uint64_t blank_lines = 0;
  uint64_t bad_lines = 0;
  uint64_t unrouted_lines = 0;  // valid, but for a venue/pair the configuration does not use
  uint64_t events = 0;          // ticks and rates handed to the engine
  uint64_t timers = 0;
  uint64_t marks = 0;
  EngineTotals engine;
  TimeNs first_time = 0;
  TimeNs last_time = 0;
  std::string decoder_summary;

  std::string ToString() const;  // multi-line human summary
};

// Turns one input line into events: a tick-log line into one, a captured venue frame into the ticks
// it carries (possibly none: a heartbeat). Events of one line share its receive time.
class LineDecoder {
 public:
  virtual ~LineDecoder() = default;
  // kEvent with zero or more events appended to *events, or kBlank / kUnrouted / kError.
  // *line_time: when the line was received (advances the replay clock even when the line carries
  // no event, e.g. a heartbeat frame); 0 if unknown.
  virtual LineOutcome Decode(std::string_view line, std::vector<Event>* events, TimeNs* line_time,
                             std::string* error) = 0;
  // Extra lines for the summary (e.g. frames by kind), each ending in a newline.
  virtual std::string SummaryLines() const { return {}; }
};

// Reads `in` to the end through `decoder`, writes one JSON line per published mark to `out`,
// reports bad lines on `diagnostics`. Errors only for I/O failures.
absl::StatusOr<ReplaySummary> RunReplay(const Config& config, LineDecoder& decoder,
                                        std::istream& in, std::ostream& out,
                                        std::ostream& diagnostics, const ReplayOptions& options);

// The normalized tick log (tick_log.h).
absl::StatusOr<ReplaySummary> RunReplay(const Config& config, std::istream& in, std::ostream& out,
                                        std::ostream& diagnostics, const ReplayOptions& options);

}  // namespace oracle

#endif  // ORACLE_REPLAY_REPLAY_RUNNER_H_
