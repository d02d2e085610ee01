#include "oracle/replay/replay_source.h"

#include <time.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "oracle/core/log.h"
#include "oracle/replay/tick_log.h"

namespace oracle {

ReplaySource::ReplaySource(const Config& config, std::string path, double speed, bool loop,
                           Clock clock)
    : config_(config),
      path_(std::move(path)),
      speed_(speed > 0 ? speed : 1.0),
      loop_(loop),
      clock_(OrSystemClock(std::move(clock))) {
  venue_rejected_ = std::make_unique<std::atomic<uint64_t>[]>(config.venues.size());
  venue_seen_ = std::make_unique<std::atomic<bool>[]>(config.venues.size());
  for (size_t v = 0; v < config.venues.size(); ++v) {
    venue_rejected_[v].store(0);
    venue_seen_[v].store(false);
  }
}

ReplaySource::~ReplaySource() { Stop(); }

absl::Status ReplaySource::Start(SpscRing<Event>* ring) {
  std::ifstream probe(path_);
  if (!probe) return absl::NotFoundError(absl::StrCat("cannot open replay file ", path_));
  running_.store(true);
  thread_ = std::thread([this, ring] { Run(ring); });
  return absl::OkStatus();
}

void ReplaySource::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  running_.store(false);
}

void ReplaySource::AddHealth(std::vector<VenueLinkHealth>* per_venue) const {
  bool up = running_.load(std::memory_order_relaxed);
  for (size_t v = 0; v < per_venue->size() && v < config_.venues.size(); ++v) {
    (*per_venue)[v].connected |= up && venue_seen_[v].load(std::memory_order_relaxed);
    (*per_venue)[v].frames_rejected += venue_rejected_[v].load(std::memory_order_relaxed);
  }
}

bool ReplaySource::ParseLine(TickLogParser& parser, const std::string& line, uint64_t line_no,
                             Event* e, int* venue, std::string* error, uint64_t* reported) {
  lines_.fetch_add(1, std::memory_order_relaxed);
  LineOutcome outcome = parser.Parse(line, e, error, venue);
  if (outcome == LineOutcome::kError) {
    bad_lines_.fetch_add(1, std::memory_order_relaxed);
    if (*venue >= 0) venue_rejected_[*venue].fetch_add(1, std::memory_order_relaxed);
    if (++*reported <= 20) {
      Logf(LogLevel::kWarning, "replay: %s line %llu: %s", path_.c_str(),
           static_cast<unsigned long long>(line_no), error->c_str());
    }
    return false;
  }
  return outcome == LineOutcome::kEvent;
}

void ReplaySource::UseLogClock(uint64_t skip_events) {
  log_clock_ = true;
  skip_events_ = skip_events;
}

void ReplaySource::RunLogClock(SpscRing<Event>* ring) {
  TickLogParser parser(config_);
  std::string line, error;
  Event e;
  const DurationNs interval = config_.publish_interval_ns;
  bool started = false;
  TimeNs clock = 0, next_timer = 0;
  uint64_t stream = 0, reported = 0, line_no = 0;
  // Waits while the ring is nearly full: nothing is lost.
  auto push = [&](const Event& ev) -> bool {
    if (++stream <= skip_events_) return true;
    while (ring->pushed() - ring->popped() - ring->dropped() + 2 >= ring->capacity()) {
      if (stop_.load(std::memory_order_relaxed)) return false;
      timespec ts{0, 50'000};
      nanosleep(&ts, nullptr);
    }
    ring->Push(ev);
    pushed_.fetch_add(1, std::memory_order_relaxed);
    return true;
  };
  auto advance = [&](TimeNs t) -> bool {
    if (!started) {
      started = true;
      clock = t;
      next_timer = (clock / interval) * interval;
      if (next_timer < clock) next_timer += interval;
    }
    while (next_timer < t) {
      if (!push(Event::Timer(next_timer))) return false;
      next_timer += interval;
    }
    if (t > clock) clock = t;
    return true;
  };
  std::ifstream in(path_);
  if (!in) Logf(LogLevel::kError, "replay: cannot open %s", path_.c_str());
  bool ok = static_cast<bool>(in);
  while (ok && !stop_.load(std::memory_order_relaxed) && std::getline(in, line)) {
    int venue = -1;
    if (!ParseLine(parser, line, ++line_no, &e, &venue, &error, &reported)) continue;
    ok = advance(e.recv_time) && push(e);
    if (venue >= 0) venue_seen_[venue].store(true, std::memory_order_relaxed);
  }
  if (ok && started && !stop_.load(std::memory_order_relaxed)) {
    while (next_timer <= clock && push(Event::Timer(next_timer))) next_timer += interval;
    passes_.fetch_add(1, std::memory_order_relaxed);
    finished_.store(true, std::memory_order_release);
  }
  running_.store(false);
}

void ReplaySource::Run(SpscRing<Event>* ring) {
  if (log_clock_) {
    RunLogClock(ring);
    return;
  }
  TickLogParser parser(config_);
  std::string line, error;
  Event e;
  const TimeNs start_wall = clock_();
  TimeNs pass_offset = 0;  // log-time shift of the current pass (loops continue forward)
  bool have_first = false;
  TimeNs first_log_time = 0;
  TimeNs last_log_time = 0;
  uint64_t reported = 0;

  auto rebase = [&](TimeNs log_time) -> TimeNs {
    double delta = static_cast<double>(log_time + pass_offset - first_log_time) / speed_;
    return start_wall + static_cast<TimeNs>(delta);
  };

  while (!stop_.load(std::memory_order_relaxed)) {
    std::ifstream in(path_);
    if (!in) {
      Logf(LogLevel::kError, "replay: cannot open %s", path_.c_str());
      break;
    }
    uint64_t line_no = 0;
    while (!stop_.load(std::memory_order_relaxed) && std::getline(in, line)) {
      int venue = -1;
      if (!ParseLine(parser, line, ++line_no, &e, &venue, &error, &reported)) continue;
      if (!have_first) {
        have_first = true;
        first_log_time = e.recv_time;
      }
      if (e.recv_time > last_log_time) last_log_time = e.recv_time;
      const TimeNs target = rebase(e.recv_time);
      // Sleep until the line is due (in short steps so Stop() stays responsive).
      for (;;) {
        TimeNs now = clock_();
        if (now >= target || stop_.load(std::memory_order_relaxed)) break;
        TimeNs wait = std::min<TimeNs>(target - now, 50 * kNanosPerMilli);
        timespec ts{static_cast<time_t>(wait / kNanosPerSecond),
                    static_cast<long>(wait % kNanosPerSecond)};
        nanosleep(&ts, nullptr);
      }
      e.event_time = rebase(e.event_time);
      e.recv_time = clock_();
      ring->Push(e);
      pushed_.fetch_add(1, std::memory_order_relaxed);
      if (venue >= 0) venue_seen_[venue].store(true, std::memory_order_relaxed);
    }
    if (stop_.load(std::memory_order_relaxed)) break;
    passes_.fetch_add(1, std::memory_order_relaxed);
    if (!loop_ || !have_first) break;
    // Next pass continues one publish interval after this pass's last event.
    pass_offset += (last_log_time - first_log_time) + config_.publish_interval_ns;
  }
  running_.store(false);
}

}  // namespace oracle
