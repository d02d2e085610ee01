// The redemption-ratio producer: polls every configured rate provider (EVM eth_call, Solana
// stake pool, constant) and pushes Event::Rate into the core's ring.
//
// Per provider, every poll_interval: all its endpoints are asked at once (each with the
// provider's timeout). The successful answers give the ratio: one answer is used as is; several
// give their median (the lower middle for an even count: the conservative choice), and a poll
// whose answers spread by more than max_disagreement_bps of that median counts a disagreement.
// A failing endpoint is skipped (failover) and its error kept in the health; when no endpoint
// answers nothing is pushed (the core ages the last good ratio itself) and a failure is counted.
// An answer must be a positive ratio. Constant providers push their configured ratio each poll.
//
// Pushed event: Event::Rate(spec.rate_pair_id, t, t, ratio, spec.source_id) with t the time of the
// source's clock (the system clock unless one is given) when the answers were in; the health's
// times are that clock's too. Polls are scheduled on the steady clock. One poller thread serves all
// providers: the requests of every provider due at the same moment go out together (curl multi), so
// one round lasts as long as its slowest request (at most the largest timeout). Stop() wakes the
// thread from its wait and from in-flight requests, so it returns within milliseconds. Health() may
// be called from any thread.
#ifndef ORACLE_RATES_RATE_SOURCE_H_
#define ORACLE_RATES_RATE_SOURCE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oracle/config/config.h"
#include "oracle/core/clock.h"
#include "oracle/core/decimal.h"
#include "oracle/core/event_source.h"
#include "oracle/core/time.h"

namespace oracle::rates {

struct RateEndpointHealth {
  std::string endpoint;  // as shown in errors: scheme://host[:port], path and query hidden
  bool ok = false;       // the last request to it gave a ratio
  uint64_t successes = 0;
  uint64_t failures = 0;
  Decimal last_ratio;
  std::string last_error;  // empty until it fails once
};

struct RateProviderHealth {
  std::string name;
  std::string pair;
  RateProviderKind kind = RateProviderKind::kEvmCall;
  uint64_t polls = 0;
  uint64_t failures = 0;       // polls with no answer at all (nothing pushed)
  uint64_t disagreements = 0;  // polls whose answers spread beyond max_disagreement_bps
  uint64_t pushed = 0;         // rate events pushed
  Decimal last_ratio;          // the last ratio pushed
  TimeNs last_success_time = 0;
  TimeNs last_error_time = 0;
  std::string last_error;  // "<endpoint>: <why>" (several joined by "; " when all failed)
  std::vector<RateEndpointHealth> endpoints;
};

// Checks what the poller relies on; every problem, one per line, "<name>: <field>: <why>".
absl::Status ValidateRateProviderSpec(const RateProviderSpec& spec);

// An endpoint URL with its path and query hidden ("https://eth.example.com/..."): RPC URLs often
// carry an API key there, and health and errors are shown to operators.
std::string RedactEndpoint(const std::string& url);

class RateProviderSource : public EventSource {
 public:
  // `clock` (empty: the system clock) stamps the ratios pushed and the health's times.
  explicit RateProviderSource(std::vector<RateProviderSpec> providers, Clock clock = {});
  ~RateProviderSource() override;
  RateProviderSource(const RateProviderSource&) = delete;
  RateProviderSource& operator=(const RateProviderSource&) = delete;

  std::string Name() const override { return "rates"; }
  // Validates every provider; starts the poller (first poll at once). Once only.
  absl::Status Start(SpscRing<Event>* ring) override;
  void Stop() override;
  // Rates are not venues: nothing to add.
  void AddHealth(std::vector<VenueLinkHealth>* /*per_venue*/) const override {}

  // One entry per provider, in the order given. Thread-safe.
  std::vector<RateProviderHealth> Health() const;

  struct Impl;

 private:
  void Run();
  // Pushes the ratio one poll of `provider` gives (if any) and records the poll in its health.
  void PublishPoll(size_t provider, const std::vector<absl::StatusOr<Decimal>>& answers, TimeNs t);

  std::vector<RateProviderSpec> providers_;
  const Clock clock_;
  std::unique_ptr<Impl> impl_;
  SpscRing<Event>* ring_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex wait_mu_;
  std::condition_variable wait_cv_;
  mutable std::mutex health_mu_;
  std::vector<RateProviderHealth> health_;
};

}  // namespace oracle::rates

#endif  // ORACLE_RATES_RATE_SOURCE_H_
