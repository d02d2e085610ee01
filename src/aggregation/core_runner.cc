#include "oracle/aggregation/core_runner.h"

#include "oracle/core/log.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace oracle {

namespace {

constexpr TimeNs kUntilRejoined = std::numeric_limits<TimeNs>::max();
// Reading two clocks one after the other: (wall - monotonic) wobbles by this much without a step.
constexpr DurationNs kClockJitterNs = kNanosPerMilli;

TimeNs SteadyClockNow() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

CoreRunner::CoreRunner(Engine* engine, Options options)
    : engine_(engine), options_(std::move(options)) {
  if (!options_.monotonic_clock) {
    if (options_.clock) {
      options_.monotonic_clock = options_.clock;
    } else {
      options_.monotonic_clock = [] { return SteadyClockNow(); };
    }
  }
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

CoreRunner::ClockSteps CoreRunner::clock_steps() const noexcept {
  ClockSteps c;
  c.step_count = step_count_.load(std::memory_order_relaxed);
  c.last_step = last_step_.load(std::memory_order_relaxed);
  c.last_step_time = last_step_time_.load(std::memory_order_relaxed);
  c.stepping = stepping_.load(std::memory_order_relaxed);
  return c;
}

void CoreRunner::RecordStep(DurationNs step, TimeNs wall, TimeNs mono) noexcept {
  step_count_.store(step_count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  last_step_.store(step, std::memory_order_relaxed);
  last_step_time_.store(wall, std::memory_order_relaxed);
  // Forward: the core follows at once, marks mix inputs from both sides for one window. Backward:
  // flagged until the core's time has rejoined the wall clock, then one window more.
  flag_until_mono_ = step > 0 ? mono + options_.clock_step_flag_ns : kUntilRejoined;
  Logf(LogLevel::kWarning,
       "core: the wall clock stepped %s by %s (tolerance %s); publication continues on the "
       "monotonic clock, marks flagged CLOCK_STEP",
       step > 0 ? "forward" : "back", FormatDurationHuman(step > 0 ? step : -step).c_str(),
       FormatDurationHuman(options_.clock_step_tolerance_ns).c_str());
}

TimeNs CoreRunner::WatchClock() noexcept {
  // Monotonic first: a test clock may derive its wall reading from the same instant.
  const TimeNs mono = options_.monotonic_clock();
  const TimeNs wall = options_.clock();
  const DurationNs observed = wall - mono;
  const DurationNs moved = observed - last_observed_;
  last_observed_ = observed;
  if (moved > options_.clock_step_tolerance_ns || moved < -options_.clock_step_tolerance_ns) {
    RecordStep(moved, wall, mono);
  }
  const DurationNs gap = observed - offset_;  // > 0: the wall clock is ahead of the core's time
  if (gap > kClockJitterNs) {
    offset_ = observed;  // forward: followed at once
    RejoinWallClock(mono);
  } else if (gap < -kClockJitterNs) {
    // Behind the core's time: never go back; advance at half speed until the wall clock is met.
    slewing_ = true;
    offset_ = std::max(observed, offset_ - (mono - last_mono_) / 2);
  } else if (slewing_) {
    RejoinWallClock(mono);
  }
  last_mono_ = mono;
  stepping_.store(mono < flag_until_mono_, std::memory_order_relaxed);
  return mono;
}

void CoreRunner::RejoinWallClock(TimeNs mono) noexcept {
  if (slewing_ && flag_until_mono_ == kUntilRejoined) {
    flag_until_mono_ = mono + options_.clock_step_flag_ns;
  }
  slewing_ = false;
  next_timer_mono_ = NextAlignedTimer(mono);  // timers back on the wall clock's grid
}

TimeNs CoreRunner::NextAlignedTimer(TimeNs mono) const noexcept {
  const DurationNs interval = options_.publish_interval_ns;
  const TimeNs core = mono + offset_;
  return (core / interval + 1) * interval - offset_;
}

bool CoreRunner::MaybeApplyTimer(TimeNs mono) noexcept {
  const DurationNs interval = options_.publish_interval_ns;
  if (mono < next_timer_mono_) return false;
  // Behind by more than one interval (a stall of this thread): publish once at the newest grid
  // point and count the skipped ones rather than bursting stale timers.
  const TimeNs latest = next_timer_mono_ + (mono - next_timer_mono_) / interval * interval;
  if (latest > next_timer_mono_) {
    timers_skipped_.store(timers_skipped_.load(std::memory_order_relaxed) +
                              static_cast<uint64_t>((latest - next_timer_mono_) / interval),
                          std::memory_order_relaxed);
  }
  const TimeNs t = std::max(latest + offset_, last_timer_time_ + 1);
  const bool flagged = mono < flag_until_mono_;
  engine_->Apply(Event::Timer(t, flagged ? kTimerClockStep : 0,
                              flagged ? last_step_.load(std::memory_order_relaxed) : 0));
  last_timer_time_ = t;
  timers_applied_.store(timers_applied_.load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
  next_timer_mono_ = latest + interval;
  return true;
}

void CoreRunner::Loop() {
  if (!options_.source_timers) {
    const TimeNs mono = options_.monotonic_clock();
    offset_ = last_observed_ = options_.clock() - mono;
    last_mono_ = mono;
    next_timer_mono_ = NextAlignedTimer(mono);
  }
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
    if (!options_.source_timers && MaybeApplyTimer(WatchClock())) got = 1;
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
