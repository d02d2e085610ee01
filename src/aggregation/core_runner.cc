#include "oracle/aggregation/core_runner.h"

#include <time.h>

namespace oracle {

CoreRunner::CoreRunner(Engine* engine, Options options)
    : engine_(engine), options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return WallClockNow(); };
}

CoreRunner::~CoreRunner() { Stop(); }

SpscRing<Event>* CoreRunner::AddProducer(std::string name, size_t capacity, int venue_id) {
  producers_.push_back(
      Producer{std::move(name), venue_id, std::make_unique<SpscRing<Event>>(capacity)});
  return producers_.back().ring.get();
}

void CoreRunner::Start() {
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void CoreRunner::Stop() {
  stop_.store(true, std::memory_order_relaxed);
  if (thread_.joinable()) thread_.join();
}

std::vector<CoreRunner::ProducerStats> CoreRunner::producer_stats() const {
  std::vector<ProducerStats> out;
  for (const auto& p : producers_) {
    out.push_back(
        ProducerStats{p.name, p.venue_id, p.ring->pushed(), p.ring->popped(), p.ring->dropped()});
  }
  return out;
}

uint64_t CoreRunner::dropped_for_venue(int venue_id) const noexcept {
  uint64_t total = 0;
  for (const auto& p : producers_) {
    if (p.venue_id == venue_id) total += p.ring->dropped();
  }
  return total;
}

void CoreRunner::Loop() {
  const DurationNs interval = options_.publish_interval_ns;
  TimeNs now = options_.clock();
  TimeNs next_timer = (now / interval + 1) * interval;
  int idle = 0;
  uint64_t applied = 0;
  Event e;
  while (!stop_.load(std::memory_order_relaxed)) {
    size_t got = 0;
    for (auto& p : producers_) {
      size_t n = 0;
      while (n < options_.max_batch && p.ring->TryPop(&e)) {
        engine_->Apply(e);
        ++n;
      }
      got += n;
    }
    if (got != 0) {
      applied += got;
      applied_.store(applied, std::memory_order_relaxed);
    }
    now = options_.source_timers ? 0 : options_.clock();
    if (!options_.source_timers && now >= next_timer) {
      // Behind by more than one interval (a stall): publish once at the newest grid point and
      // count the skipped ones rather than bursting stale timers.
      TimeNs latest = (now / interval) * interval;
      if (latest > next_timer) {
        timers_skipped_.store(timers_skipped_.load(std::memory_order_relaxed) +
                                  static_cast<uint64_t>((latest - next_timer) / interval),
                              std::memory_order_relaxed);
      }
      engine_->Apply(Event::Timer(latest));
      timers_applied_.store(timers_applied_.load(std::memory_order_relaxed) + 1,
                            std::memory_order_relaxed);
      next_timer = latest + interval;
      got = 1;
    }
    if (got == 0) {
      if (idle < options_.idle_spins || options_.idle_sleep_us <= 0) {
        if (idle < options_.idle_spins) ++idle;  // saturates: no overflow when spinning forever
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
      } else {
        timespec ts{0, static_cast<long>(options_.idle_sleep_us * 1000)};
        nanosleep(&ts, nullptr);
      }
    } else {
      idle = 0;
    }
  }
}

}  // namespace oracle
