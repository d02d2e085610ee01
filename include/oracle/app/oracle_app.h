// The composition root: configuration -> signer, history, engine on its core thread, event
// sources (replay, live venues, rate providers, synthetic load) -> mark table -> gRPC server.
//
// OracleApp builds every piece in order, starts their threads and stops them in the reverse
// order. It is the only module that knows every other one; oracled and the in-process benchmarks
// call it, the server module only serves what it is handed.
#ifndef ORACLE_APP_ORACLE_APP_H_
#define ORACLE_APP_ORACLE_APP_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oracle/config/config.h"

namespace oracle {

struct AppOptions {
  // Overrides config.listen_address when non-empty ("127.0.0.1:0" picks a free port).
  std::string listen_address;
  // Tick log fed on the wall clock; empty for none.
  std::string replay_path;
  double replay_speed = 1.0;
  bool replay_loop = false;
  // Replay on the log's own clock, as fast as the core goes, deterministic (ReplaySource::
  // UseLogClock); with history, a restart resumes after the stored events.
  bool replay_log_clock = false;
  // Core thread idle sleep (see core_runner.h).
  int64_t idle_sleep_us = 50;
  // Synthetic load for benchmarks: events per second spread over every configured feed (0: off).
  double synthetic_events_per_second = 0;
  // Connect to the venues (feeds/registry.cc) as well as / instead of a replay. The configuration's
  // `live { enabled: true }` does the same.
  bool live = false;
  // Record every raw venue frame (overrides the configuration's live.capture_path).
  std::string capture_path;
  // Overrides config.drain_period_ns when >= 0 (0: end streams at once on Drain()).
  int64_t drain_period_ns = -1;
};

// With --live, every configured venue that is not `live { disabled: true }` needs an adapter in
// feeds/registry.cc. InvalidArgument naming the field (`venues[2].name: ...`), one venue per line.
absl::Status CheckLiveVenues(const Config& config);

class OracleApp {
 public:
  // Builds and starts everything; returns once the gRPC port is listening.
  static absl::StatusOr<std::unique_ptr<OracleApp>> Start(Config config, const AppOptions& options);
  ~OracleApp();

  // The port actually bound (useful with port 0).
  int port() const noexcept;
  std::string address() const;

  // Stops accepting calls, ends streams, stops sources and the core, then the history. Idempotent.
  void Shutdown();
  // The graceful stop (oracled on SIGTERM/SIGINT): health NOT_SERVING for every service at once,
  // unary calls and streams still served for the drain period (server.drain_period_ms or
  // AppOptions::drain_period_ns), then Shutdown(): streams end UNAVAILABLE SERVER_SHUTTING_DOWN,
  // calls in flight finish, sources and core stop, the history is flushed. Blocks until stopped.
  void Drain();
  // Cuts the drain period short (a second signal); any thread, before or during Drain().
  void EndDrainWait();
  // Blocks until Shutdown() has been called (from another thread or a signal handler thread).
  void Wait();

  // Events the core has applied so far (any thread).
  uint64_t events_applied() const noexcept;
  // A --replay-clock log replay has pushed its whole log (false otherwise).
  bool replay_finished() const noexcept;

  class Impl;

 private:
  explicit OracleApp(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle

#endif  // ORACLE_APP_ORACLE_APP_H_
