#include "oracle/server/serving_health.h"

#include <algorithm>
#include <utility>

namespace oracle {

using status::ServingState;

ServingHealth::ServingHealth(Options options) : options_(std::move(options)) {
  options_.wall_clock = OrSystemClock(std::move(options_.wall_clock));
  options_.elapsed_clock = OrSystemClock(std::move(options_.elapsed_clock));
  stall_after_ns_ = std::max(options_.progress_timeout_ns, 2 * options_.expected_interval_ns);
  last_progress_ = options_.progress();
  last_progress_at_ = options_.elapsed_clock();
}

ServingState ServingHealth::Update() {
  std::lock_guard<std::mutex> lock(mu_);
  return UpdateLocked();
}

ServingState ServingHealth::UpdateLocked() {
  const TimeNs now = options_.elapsed_clock();
  const uint64_t progress = options_.progress();
  const bool progressed = progress != last_progress_;
  if (progressed) {
    last_progress_ = progress;
    last_progress_at_ = now;
  }
  // DRAINING is for good (progress is still sampled above, for since_last_timer).
  if (state_ == ServingState::kDraining) return state_;
  if (progressed) {
    if (state_ == ServingState::kStarting) ready_time_ = options_.wall_clock();
    SetStateLocked(ServingState::kServing);
  } else if (state_ != ServingState::kStarting) {
    // (STARTING waits for the first round however long it takes: never SERVING before it.)
    if (options_.idle && options_.idle()) {
      SetStateLocked(ServingState::kServing);
    } else if (now - last_progress_at_ > stall_after_ns_) {
      SetStateLocked(ServingState::kStalled);
    }
  }
  return state_;
}

void ServingHealth::Drain() {
  std::lock_guard<std::mutex> lock(mu_);
  SetStateLocked(ServingState::kDraining);
}

void ServingHealth::SetStateLocked(ServingState next) {
  if (next == state_) return;
  if (next == ServingState::kStalled) ++stall_count_;
  state_ = next;
  if (listener_) listener_(next);
}

void ServingHealth::Fill(status::ServingHealthStatus* out) {
  std::lock_guard<std::mutex> lock(mu_);
  UpdateLocked();
  out->state = state_;
  out->ready_time = ready_time_;
  out->since_last_timer = std::max<DurationNs>(0, options_.elapsed_clock() - last_progress_at_);
  out->stall_count = stall_count_;
}

void ServingHealth::SetListener(std::function<void(ServingState)> listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listener_ = std::move(listener);
}

ServingState ServingHealth::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

}  // namespace oracle
