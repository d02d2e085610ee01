// One StatusSnapshot of the running oracle, gathered in one place for every window onto it:
// GetServerStatus and ListVenues render it to proto; a metrics endpoint or a status page renders
// the same struct. Plain C++ values, no protobuf.
//
// GatherStatus reads atomics and the sources', persister's and rate providers' own locked
// snapshots; it never touches the core's thread or its rings beyond their relaxed counters, so
// any number of readers may call it from any thread. It allocates (names, error strings): call it
// per request or scrape, never per event.
#ifndef ORACLE_STATUS_STATUS_SNAPSHOT_H_
#define ORACLE_STATUS_STATUS_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "oracle/aggregation/engine.h"
#include "oracle/api/errors.h"
#include "oracle/api/serving_counters.h"
#include "oracle/config/config.h"
#include "oracle/core/event_source.h"
#include "oracle/core/time.h"
#include "oracle/history/persister.h"
#include "oracle/rates/rate_source.h"

namespace oracle {
class CoreRunner;
}

namespace oracle::status {

struct ServingHealthStatus;
struct ClockStatus;
struct SigningStatus;
struct AuthStatus;

// What the snapshot is gathered from. Pointers are owned elsewhere and outlive every Gather call;
// `persister` and `rates` are null when the process has no history / polls no rate provider.
struct StatusInputs {
  const Config* config = nullptr;
  const Engine* engine = nullptr;  // only its atomic totals and venue counters are read
  const CoreRunner* runner = nullptr;
  const std::vector<std::unique_ptr<EventSource>>* sources = nullptr;
  const history::Persister* persister = nullptr;
  const rates::RateProviderSource* rates = nullptr;
  const ServingCounters* serving = nullptr;
  TimeNs start_time = 0;
  // Each fills its part of the snapshot when set (the pieces live above this module: the serving
  // health, the clock watch, the signature cache, the authenticator). Any thread.
  std::function<void(ServingHealthStatus*)> serving_health;
  std::function<void(ClockStatus*)> clock;
  std::function<void(SigningStatus*)> signing;
  std::function<void(AuthStatus*)> auth;
};

// Readiness, stall and drain of the serving side (ServerStatus.serving; health follows it).
enum class ServingState : uint8_t { kStarting = 1, kServing = 2, kStalled = 3, kDraining = 4 };
std::string_view ServingStateName(ServingState s) noexcept;  // "STARTING", ...

struct ServingHealthStatus {
  ServingState state = ServingState::kStarting;
  TimeNs ready_time = 0;            // 0 while starting
  DurationNs since_last_timer = 0;  // since the core last applied a timer
  uint64_t stall_count = 0;         // times the progress watchdog fired
};

// Steps of the wall clock against the monotonic clock (ServerStatus.clock).
struct ClockStatus {
  uint64_t step_count = 0;
  DurationNs last_step = 0;  // signed: > 0 when the wall clock jumped forward
  TimeNs last_step_time = 0;
  bool stepping = false;  // marks carry CLOCK_STEP now
};

// Signing of served and stored marks (ServerStatus.signing).
struct SigningStatus {
  bool enabled = false;
  std::string key_id;
  uint64_t signed_count = 0;
  uint64_t failure_count = 0;  // marks that went out flagged SIGNING_FAILED
  std::string last_error;
};

// Authentication (ServerStatus.auth).
struct AuthStatus {
  std::string mode = "none";  // "none", "tokens", "mtls", "tokens+mtls"
  bool tls = false;
  ClientAuthMode client_auth = ClientAuthMode::kNone;
  int identity_count = 0;
  uint64_t unauthenticated = 0;  // refusals by reason
  uint64_t permission_denied = 0;
  std::vector<std::pair<std::string, uint64_t>> refusals_by_identity;  // "-": no identity
  std::string tokens_file_error;
};

struct ProducerStatus {
  std::string name;
  std::string venue;  // empty when the ring carries several venues
  uint64_t pushed = 0;
  uint64_t consumed = 0;
  uint64_t dropped = 0;
};

struct VenueStatus {
  std::string name;
  std::string display_name;
  TimeNs last_message_time = 0;     // 0: nothing received yet
  DurationNs last_message_age = 0;  // now - last_message_time, never negative; 0 when none
  uint64_t messages = 0;
  uint64_t rejected_frames = 0;  // the core's rejections plus the source's unreadable frames
  uint64_t excluded_count = 0;
  uint64_t dropped_events = 0;  // events its ring could not take
  uint32_t source_count = 0;    // instrument sources that read this venue
  VenueLinkHealth link;         // connected, live, quarantined, reconnects, errors, gaps
};

struct RateProviderStatus {
  const RateProviderSpec* spec = nullptr;  // name, pair, kind, constant ratio
  bool polled = false;                     // this process polls it; `health` is then set
  rates::RateProviderHealth health;
};

struct PersistenceStatus {
  bool enabled = false;  // false: no data_dir; `stats` is then all defaults (state kDisabled)
  history::PersistenceStats stats;
};

struct StatusSnapshot {
  TimeNs gathered_time = 0;
  TimeNs start_time = 0;
  std::string config_source;
  uint64_t events_applied = 0;
  uint64_t timers_skipped = 0;
  EngineTotals totals;
  std::vector<ProducerStatus> producers;
  std::array<uint64_t, kNumErrorReasons> request_errors{};  // indexed by ErrorReason
  uint64_t open_streams = 0;
  std::vector<RateProviderStatus> rate_providers;  // every configured provider, config order
  PersistenceStatus persistence;
  std::vector<VenueStatus> venues;  // every configured venue, by venue id
  ServingHealthStatus serving;
  ClockStatus clock;
  SigningStatus signing;
  AuthStatus auth;
};

// Ticks refused by the core for any reason (unknown feed, non-positive, crossed, future, range).
uint64_t TicksRejected(const EngineTotals& totals) noexcept;

// Everything, at `now` (for ages).
StatusSnapshot GatherStatus(const StatusInputs& inputs, TimeNs now);

// Only the venues (ListVenues): cheaper than the whole snapshot.
std::vector<VenueStatus> GatherVenueStatus(const StatusInputs& inputs, TimeNs now);

// The history store is open and writing (AuditService health).
bool HistoryWritable(const StatusInputs& inputs);

}  // namespace oracle::status

#endif  // ORACLE_STATUS_STATUS_SNAPSHOT_H_
