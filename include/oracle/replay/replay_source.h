// Feeds a tick log into the live server on the wall clock (`oracled --replay FILE --speed N`).
//
// The log's clock is mapped onto the wall clock from the moment the source starts:
//   wall(t) = start_wall + (t - first_log_time) / speed
// and every event's timestamps are rebased the same way, so marks carry current times and
// max_age checks mean what they say. With `loop`, the log starts again after its end, its times
// continuing forward. Bad lines are counted as rejected frames of their venue (or of no venue) and
// the first ones are logged.
#ifndef ORACLE_REPLAY_REPLAY_SOURCE_H_
#define ORACLE_REPLAY_REPLAY_SOURCE_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "oracle/config/config.h"
#include "oracle/core/clock.h"
#include "oracle/core/event_source.h"

namespace oracle {

class TickLogParser;

class ReplaySource : public EventSource {
 public:
  // `clock` (empty: the system clock) is the wall clock the log is mapped onto: what the source
  // waits for and the receive time it stamps.
  ReplaySource(const Config& config, std::string path, double speed, bool loop, Clock clock = {});
  ~ReplaySource() override;

  // The log's own clock instead of the wall clock (`oracled --replay-clock log`): events keep their
  // recorded times, the source itself emits the timer events on the publication grid (as the
  // offline `oraclectl replay` does; the core runner must not make its own: CoreRunner::Options::
  // source_timers), it goes as fast as the core takes events and waits when the ring is full
  // instead of losing any. So the run is deterministic: the same log gives the same marks. The
  // first `skip_events` events of that stream (timers included) are not sent: a restart with
  // history resumes after the events already stored. No loop. Before Start().
  void UseLogClock(uint64_t skip_events);
  // Every event of the log (and its timers) has been pushed.
  bool finished() const noexcept { return finished_.load(std::memory_order_acquire); }

  std::string Name() const override { return "replay"; }
  absl::Status Start(SpscRing<Event>* ring) override;
  void Stop() override;
  void AddHealth(std::vector<VenueLinkHealth>* per_venue) const override;

  // Any thread.
  uint64_t lines() const noexcept { return lines_.load(std::memory_order_relaxed); }
  uint64_t bad_lines() const noexcept { return bad_lines_.load(std::memory_order_relaxed); }
  uint64_t events_pushed() const noexcept { return pushed_.load(std::memory_order_relaxed); }
  uint64_t passes_completed() const noexcept { return passes_.load(std::memory_order_relaxed); }
  bool running() const noexcept { return running_.load(std::memory_order_relaxed); }

 private:
  void Run(SpscRing<Event>* ring);
  void RunLogClock(SpscRing<Event>* ring);
  // One line: counts it, counts and reports (the first 20) bad ones; true when it is an event.
  bool ParseLine(TickLogParser& parser, const std::string& line, uint64_t line_no, Event* e,
                 int* venue, std::string* error, uint64_t* reported);
  bool log_clock_ = false;
  uint64_t skip_events_ = 0;
  std::atomic<bool> finished_{false};

  const Config& config_;
  std::string path_;
  double speed_;
  bool loop_;
  const Clock clock_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> lines_{0};
  std::atomic<uint64_t> bad_lines_{0};
  std::atomic<uint64_t> pushed_{0};
  std::atomic<uint64_t> passes_{0};
  std::unique_ptr<std::atomic<uint64_t>[]> venue_rejected_;
  std::unique_ptr<std::atomic<bool>[]> venue_seen_;
};

}  // namespace oracle

#endif  // ORACLE_REPLAY_REPLAY_SOURCE_H_
