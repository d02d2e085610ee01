// Clocks handed to threaded components (core runner, persister, event sources) so tests can drive
// time: a component never calls WallClockNow() itself, it calls the Clock it was given.
//
// A Clock returns nanoseconds since the Unix epoch. SystemClock() reads CLOCK_REALTIME; ManualClock
// is a test clock that moves only when told (thread-safe: one atomic).
#ifndef ORACLE_CORE_CLOCK_H_
#define ORACLE_CORE_CLOCK_H_

#include <atomic>
#include <functional>
#include <utility>

#include "oracle/core/time.h"

namespace oracle {

using Clock = std::function<TimeNs()>;

// The wall clock (WallClockNow). Cheap to copy; never empty.
Clock SystemClock();

// `clock` when set, else SystemClock(): for Options structs whose clock field may be left empty.
inline Clock OrSystemClock(Clock clock) { return clock ? std::move(clock) : SystemClock(); }

class ManualClock {
 public:
  explicit ManualClock(TimeNs start = 0) noexcept : now_(start) {}
  TimeNs Now() const noexcept { return now_.load(std::memory_order_acquire); }
  void Set(TimeNs t) noexcept { now_.store(t, std::memory_order_release); }
  void Advance(DurationNs d) noexcept { now_.fetch_add(d, std::memory_order_acq_rel); }
  // A Clock reading this object; the object must outlive it.
  Clock AsClock() const {
    return [this] { return Now(); };
  }

 private:
  std::atomic<TimeNs> now_;
};

}  // namespace oracle

#endif  // ORACLE_CORE_CLOCK_H_
