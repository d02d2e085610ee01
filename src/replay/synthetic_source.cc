#include "oracle/replay/synthetic_source.h"

#include <time.h>

#include <vector>

namespace oracle {

SyntheticSource::SyntheticSource(const Config& config, double events_per_second, uint64_t seed,
                                 Clock clock)
    : config_(config),
      rate_(events_per_second),
      seed_(seed),
      clock_(OrSystemClock(std::move(clock))) {}

SyntheticSource::~SyntheticSource() { Stop(); }

absl::Status SyntheticSource::Start(SpscRing<Event>* ring) {
  if (config_.feeds.empty()) return absl::FailedPreconditionError("no feeds configured");
  running_.store(true);
  thread_ = std::thread([this, ring] { Run(ring); });
  return absl::OkStatus();
}

void SyntheticSource::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  running_.store(false);
}

void SyntheticSource::AddHealth(std::vector<VenueLinkHealth>* per_venue) const {
  for (auto& v : *per_venue) v.connected |= running_.load(std::memory_order_relaxed);
}

void SyntheticSource::Run(SpscRing<Event>* ring) {
  const size_t n = config_.feeds.size();
  std::vector<int64_t> mid(n, 10'000'000);  // 100.00000 at exponent -5
  uint64_t x = seed_ | 1;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const int64_t start = MonotonicNowNs();
  uint64_t sent = 0;
  size_t feed = 0;
  while (!stop_.load(std::memory_order_relaxed)) {
    const double elapsed_s = static_cast<double>(MonotonicNowNs() - start) / 1e9;
    const uint64_t due = static_cast<uint64_t>(elapsed_s * rate_);
    if (sent >= due) {
      timespec ts{0, 100'000};
      nanosleep(&ts, nullptr);
      continue;
    }
    const TimeNs now = clock_();
    uint64_t burst = std::min<uint64_t>(due - sent, 4096);
    for (uint64_t k = 0; k < burst; ++k) {
      int64_t& m = mid[feed];
      m += static_cast<int64_t>(next() % 201) - 100;  // +-0.001
      if (m < 9'000'000) m = 9'000'000;
      Decimal bid{m - 500, -5};
      Decimal ask{m + 500, -5};
      ring->Push(Event::Quote(static_cast<uint32_t>(feed), now, now, bid, ask));
      if (++feed == n) feed = 0;
    }
    sent += burst;
    pushed_.store(sent, std::memory_order_relaxed);
  }
}

}  // namespace oracle
