#include "oracle/replay/replay_runner.h"

#include <istream>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/replay/mark_json.h"
#include "oracle/replay/tick_log.h"

namespace oracle {
namespace {

// Writes marks as JSON lines through a buffer flushed in large blocks.
class JsonLinesWriter : public EngineObserver {
 public:
  JsonLinesWriter(const Config& config, std::ostream& out, bool provenance, EngineObserver* extra)
      : config_(config), out_(out), provenance_(provenance), extra_(extra) {
    buffer_.reserve(1 << 20);
  }
  void OnEventApplied(const Event& e, ApplyResult r) noexcept override {
    if (extra_ != nullptr) extra_->OnEventApplied(e, r);
  }
  void OnMarkPublished(const Mark& mark) noexcept override {
    ++marks_;
    AppendMarkJson(config_, mark, provenance_, &buffer_);
    if (buffer_.size() > (1 << 20) - 4096) Flush();
    if (extra_ != nullptr) extra_->OnMarkPublished(mark);
  }
  void Flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
  uint64_t marks() const { return marks_; }

 private:
  const Config& config_;
  std::ostream& out_;
  bool provenance_;
  EngineObserver* extra_;
  std::string buffer_;
  uint64_t marks_ = 0;
};

class TickLogDecoder : public LineDecoder {
 public:
  explicit TickLogDecoder(const Config& config) : parser_(config) {}
  LineOutcome Decode(std::string_view line, std::vector<Event>* events, TimeNs* line_time,
                     std::string* error) override {
    Event e;
    int venue_id = -1;
    LineOutcome o = parser_.Parse(line, &e, error, &venue_id);
    if (o == LineOutcome::kEvent) {
      events->push_back(e);
      *line_time = e.recv_time;
    }
    return o;
  }

 private:
  TickLogParser parser_;
};

}  // namespace

std::string ReplaySummary::ToString() const {
  std::string s = absl::StrCat(
      "replay summary:\n", "  lines read:        ", lines, "\n", "  bad lines:         ", bad_lines,
      " (reported above with their line numbers, skipped)\n",
      "  unrouted lines:    ", unrouted_lines, " (valid, venue/pair not in the configuration)\n",
      "  events applied:    ", events, " (ticks accepted ", engine.ticks_accepted, ", rates ",
      engine.rates, ")\n", "  ticks rejected:    ",
      engine.rejected_non_positive + engine.rejected_crossed + engine.rejected_future +
          engine.rejected_out_of_range + engine.rejected_unknown_feed,
      " (non-positive ", engine.rejected_non_positive, ", crossed book ", engine.rejected_crossed,
      ", future timestamp ", engine.rejected_future, ", out of range ",
      engine.rejected_out_of_range, ")\n", "  out of order:      ", engine.ignored_out_of_order,
      " (older than the venue's newest input, ignored)\n", "  timer events:      ", timers, "\n",
      "  marks written:     ", marks, " (", engine.early_publishes, " early)\n");
  if (first_time != 0) {
    absl::StrAppend(&s, "  log clock:         ", FormatRfc3339(first_time), " .. ",
                    FormatRfc3339(last_time), "\n");
  }
  absl::StrAppend(&s, decoder_summary);
  return s;
}

absl::StatusOr<ReplaySummary> RunReplay(const Config& config, std::istream& in, std::ostream& out,
                                        std::ostream& diagnostics, const ReplayOptions& options) {
  TickLogDecoder decoder(config);
  return RunReplay(config, decoder, in, out, diagnostics, options);
}

absl::StatusOr<ReplaySummary> RunReplay(const Config& config, LineDecoder& decoder,
                                        std::istream& in, std::ostream& out,
                                        std::ostream& diagnostics, const ReplayOptions& options) {
  JsonLinesWriter writer(config, out, options.provenance, options.extra_observer);
  auto engine_or = Engine::Create(config, /*table=*/nullptr, &writer);
  if (!engine_or.ok()) return engine_or.status();
  Engine& engine = **engine_or;
  std::vector<Event> events;

  ReplaySummary summary;
  const DurationNs interval = config.publish_interval_ns;
  bool started = false;
  TimeNs clock = 0;
  TimeNs next_timer = 0;
  std::string line;
  std::string error;

  while (std::getline(in, line)) {
    ++summary.lines;
    events.clear();
    TimeNs line_time = 0;
    LineOutcome outcome = decoder.Decode(line, &events, &line_time, &error);
    switch (outcome) {
      case LineOutcome::kBlank:
        ++summary.blank_lines;
        continue;
      case LineOutcome::kError:
        ++summary.bad_lines;
        if (summary.bad_lines <= options.max_reported_errors) {
          diagnostics << "line " << summary.lines << ": " << error << "\n";
        } else if (summary.bad_lines == options.max_reported_errors + 1) {
          diagnostics << "(further bad lines are counted, not printed)\n";
        }
        continue;
      case LineOutcome::kUnrouted:
        ++summary.unrouted_lines;
        continue;
      case LineOutcome::kEvent:
        break;
    }
    // The replay clock: timers up to (not including) the line's time fire first.
    auto advance = [&](TimeNs t) {
      if (!started) {
        started = true;
        clock = t;
        summary.first_time = clock;
        next_timer = (clock / interval) * interval;
        if (next_timer < clock) next_timer += interval;
      }
      while (next_timer < t) {
        engine.Apply(Event::Timer(next_timer));
        ++summary.timers;
        next_timer += interval;
      }
      if (t > clock) clock = t;
    };
    if (line_time > 0) advance(line_time);
    for (const Event& event : events) {
      advance(event.recv_time);
      engine.Apply(event);
      ++summary.events;
    }
  }
  if (in.bad()) return absl::DataLossError("error reading the tick log");
  if (started) {
    while (next_timer <= clock) {
      engine.Apply(Event::Timer(next_timer));
      ++summary.timers;
      next_timer += interval;
    }
    summary.last_time = clock;
  }
  writer.Flush();
  out.flush();
  if (!out) return absl::DataLossError("error writing marks");
  summary.marks = writer.marks();
  summary.engine = engine.totals();
  summary.decoder_summary = decoder.SummaryLines();
  return summary;
}

}  // namespace oracle
