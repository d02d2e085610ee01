#include "oracle/aggregation/twap_window.h"

#include <algorithm>

namespace oracle {

void TwapWindow::Init(DurationNs window_ns, DurationNs bucket_ns) {
  window_ns_ = window_ns;
  bucket_ns_ = bucket_ns;
  // Boundaries that can be a window start while still in the ring: window/bucket + 2.
  size_t need = static_cast<size_t>(window_ns / bucket_ns) + 2;
  size_t size = 2;
  while (size < need) size <<= 1;
  mask_ = size - 1;
  ring_ = std::make_unique<Checkpoint[]>(size);
  for (size_t i = 0; i < size; ++i) ring_[i] = Checkpoint{0, 0, -1};
  started_ = false;
  cum_pdt_ = 0;
  cum_dt_ = 0;
  value1_ = value2_ = 0;
  until1_ = until2_ = 0;
}

void TwapWindow::Integrate(TimeNs from, TimeNs to, int128* pdt, int64_t* dt) const noexcept {
  *pdt = 0;
  *dt = 0;
  if (to <= from) return;
  // Segment 1: [.., until1) at value1.
  TimeNs a = from;
  TimeNs b = std::min(to, until1_);
  if (b > a) {
    *pdt += static_cast<int128>(value1_) * (b - a);
    *dt += b - a;
  }
  // Segment 2: [until1, until2) at value2.
  a = std::max(from, until1_);
  b = std::min(to, until2_);
  if (b > a) {
    *pdt += static_cast<int128>(value2_) * (b - a);
    *dt += b - a;
  }
}

void TwapWindow::AdvanceTo(TimeNs t) noexcept {
  if (!started_) {
    started_ = true;
    last_time_ = t;
    return;
  }
  if (t <= last_time_) return;
  // Boundaries strictly after last_time_ and at or before t.
  int64_t first_k = FloorDiv(last_time_, bucket_ns_) + 1;
  int64_t last_k = FloorDiv(t, bucket_ns_);
  const int64_t ring_size = static_cast<int64_t>(mask_ + 1);
  if (last_k - first_k + 1 > ring_size) {
    // Only the newest ring_size boundaries can ever be read again: integrate straight to the first
    // of them.
    int64_t skip_to_k = last_k - ring_size + 1;
    TimeNs boundary = skip_to_k * bucket_ns_;
    int128 pdt;
    int64_t dt;
    Integrate(last_time_, boundary, &pdt, &dt);
    cum_pdt_ += pdt;
    cum_dt_ += dt;
    last_time_ = boundary;
    ring_[static_cast<size_t>(skip_to_k) & mask_] = Checkpoint{cum_pdt_, cum_dt_, skip_to_k};
    first_k = skip_to_k + 1;
  }
  for (int64_t k = first_k; k <= last_k; ++k) {
    TimeNs boundary = k * bucket_ns_;
    int128 pdt;
    int64_t dt;
    Integrate(last_time_, boundary, &pdt, &dt);
    cum_pdt_ += pdt;
    cum_dt_ += dt;
    last_time_ = boundary;
    ring_[static_cast<size_t>(k) & mask_] = Checkpoint{cum_pdt_, cum_dt_, k};
  }
  int128 pdt;
  int64_t dt;
  Integrate(last_time_, t, &pdt, &dt);
  cum_pdt_ += pdt;
  cum_dt_ += dt;
  last_time_ = t;
}

void TwapWindow::SetSchedule(TimeNs t, int64_t value1, TimeNs until1, int64_t value2,
                             TimeNs until2) noexcept {
  AdvanceTo(t);
  value1_ = value1;
  until1_ = until1;
  value2_ = value2;
  until2_ = until2 > until1 ? until2 : until1;
}

bool TwapWindow::PriceAt(TimeNs t, int64_t* out) const noexcept {
  if (!started_) return false;
  if (t < until1_) {
    *out = value1_;
    return true;
  }
  if (t < until2_) {
    *out = value2_;
    return true;
  }
  return false;
}

bool TwapWindow::Twap(TimeNs t, int64_t* out) noexcept {
  if (!started_) return false;
  AdvanceTo(t);
  t = last_time_;  // never earlier than an input already integrated
  int64_t start_k = FloorDiv(t - window_ns_, bucket_ns_);
  const Checkpoint& cp = ring_[static_cast<size_t>(start_k) & mask_];
  int128 base_pdt = 0;
  int64_t base_dt = 0;
  if (cp.bucket_index == start_k) {
    base_pdt = cp.cum_pdt;
    base_dt = cp.cum_dt;
  }
  // Otherwise the history began after the window start: the whole history is the window.
  int64_t dt = cum_dt_ - base_dt;
  if (dt <= 0) return false;
  int128 avg = DivRoundHalfEven(cum_pdt_ - base_pdt, dt);
  *out = static_cast<int64_t>(avg);
  return true;
}

void TwapWindow::SaveState(StateWriter& w) const {
  w.Put(window_ns_);
  w.Put(bucket_ns_);
  w.PutArray(ring_.get(), mask_ + 1);
  w.Put(started_);
  w.Put(last_time_);
  w.Put(cum_pdt_);
  w.Put(cum_dt_);
  w.Put(value1_);
  w.Put(until1_);
  w.Put(value2_);
  w.Put(until2_);
}

bool TwapWindow::RestoreState(StateReader& r) noexcept {
  DurationNs window = 0, bucket = 0;
  if (!r.Get(&window) || !r.Get(&bucket) || window != window_ns_ || bucket != bucket_ns_) {
    return false;
  }
  return r.GetArray(ring_.get(), mask_ + 1) && r.Get(&started_) && r.Get(&last_time_) &&
         r.Get(&cum_pdt_) && r.Get(&cum_dt_) && r.Get(&value1_) && r.Get(&until1_) &&
         r.Get(&value2_) && r.Get(&until2_);
}

}  // namespace oracle
