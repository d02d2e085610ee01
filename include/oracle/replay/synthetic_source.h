// A synthetic event source for load tests and benchmarks: quotes on every configured feed,
// round-robin, at a steady target rate, each a small random walk around 100.00 with a 1 bp spread.
// Not market data; it only exercises the pipeline.
#ifndef ORACLE_REPLAY_SYNTHETIC_SOURCE_H_
#define ORACLE_REPLAY_SYNTHETIC_SOURCE_H_

#include <atomic>
#include <thread>

#include "oracle/config/config.h"
#include "oracle/core/clock.h"
#include "oracle/core/event_source.h"

namespace oracle {

class SyntheticSource : public EventSource {
 public:
  // `clock` (empty: the system clock) stamps the quotes; the pace is kept on the monotonic clock.
  SyntheticSource(const Config& config, double events_per_second, uint64_t seed = 1,
                  Clock clock = {});
  ~SyntheticSource() override;
  std::string Name() const override { return "synthetic"; }
  absl::Status Start(SpscRing<Event>* ring) override;
  void Stop() override;
  void AddHealth(std::vector<VenueLinkHealth>* per_venue) const override;
  uint64_t pushed() const noexcept { return pushed_.load(std::memory_order_relaxed); }

 private:
  void Run(SpscRing<Event>* ring);
  const Config& config_;
  double rate_;
  uint64_t seed_;
  const Clock clock_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> pushed_{0};
};

}  // namespace oracle

#endif  // ORACLE_REPLAY_SYNTHETIC_SOURCE_H_
