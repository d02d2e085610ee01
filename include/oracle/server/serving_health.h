// The serving side's health as a small state machine: STARTING until the core publishes its first
// round of marks after start (and after the history's restore, which happens before it), SERVING
// while it keeps making progress, STALLED when it makes none for the progress timeout, DRAINING
// (for good) once Drain() is called. The gRPC health service follows it (SERVING only in SERVING;
// server.cc applies it) and GetServerStatus reports it (ServerStatus.serving).
//
// Progress is a counter handed in (the app gives the engine's timer total, which counts the
// runner's timers and, with a replay on its own clock, the replay's): the machine samples it in
// Update(), from the server's health thread and from every status read. No gRPC, no threads of its
// own; any thread may call any method (one mutex, held briefly). The listener is called under that
// mutex on every change of state, in order, and must not call back into this object.
#ifndef ORACLE_SERVER_SERVING_HEALTH_H_
#define ORACLE_SERVER_SERVING_HEALTH_H_

#include <cstdint>
#include <functional>
#include <mutex>

#include "oracle/core/clock.h"
#include "oracle/core/time.h"
#include "oracle/status/status_snapshot.h"

namespace oracle {

class ServingHealth {
 public:
  struct Options {
    // No progress for this long -> STALLED. Raised to twice `expected_interval_ns` so that the
    // watchdog never fires between two rounds that are on time.
    DurationNs progress_timeout_ns = 5 * kNanosPerSecond;
    // How often progress is due (the core's publish interval).
    DurationNs expected_interval_ns = 100 * kNanosPerMilli;
    // ready_time is read from `wall_clock`; intervals from `elapsed_clock` (a monotonic clock, so a
    // step of the wall clock is no stall). Both default to SystemClock(); tests pass one
    // ManualClock for both.
    Clock wall_clock;
    Clock elapsed_clock;
    // The progress counter (required). Its value at construction is the baseline: readiness needs
    // progress beyond it, so what a restore applied before does not count.
    std::function<uint64_t()> progress;
    // When set and true, no progress is expected (a replay on its own clock that has pushed its
    // whole log): the watchdog waits instead of firing.
    std::function<bool()> idle;
  };

  explicit ServingHealth(Options options);

  // Samples progress and returns the state it leads to.
  status::ServingState Update();
  // DRAINING from now on: NOT_SERVING, whatever the core does. Idempotent.
  void Drain();
  // Update(), then the state, ready time, time since the last progress and the stall count.
  void Fill(status::ServingHealthStatus* out);
  // Called with each new state (empty: none). The caller keeps it valid until it resets it.
  void SetListener(std::function<void(status::ServingState)> listener);

  // The state as of the last Update() or Drain().
  status::ServingState state() const;
  // True in SERVING only.
  static bool IsServing(status::ServingState s) noexcept {
    return s == status::ServingState::kServing;
  }

 private:
  // With mu_ held: moves to `next`, counting stalls and telling the listener.
  void SetStateLocked(status::ServingState next);
  status::ServingState UpdateLocked();

  Options options_;
  DurationNs stall_after_ns_;
  mutable std::mutex mu_;
  std::function<void(status::ServingState)> listener_;
  status::ServingState state_ = status::ServingState::kStarting;
  uint64_t last_progress_ = 0;
  TimeNs last_progress_at_ = 0;  // elapsed clock
  TimeNs ready_time_ = 0;        // wall clock
  uint64_t stall_count_ = 0;
};

}  // namespace oracle

#endif  // ORACLE_SERVER_SERVING_HEALTH_H_
