// The seam every producer of events plugs into: the replay reader today, venue adapters and rate
// providers in later issues.
//
// A source runs on its own thread(s) and pushes into exactly one ring it is given (it is that
// ring's only producer). Push never blocks (spsc_ring.h), so a slow or broken source can never
// stall the core or another source.
#ifndef ORACLE_CORE_EVENT_SOURCE_H_
#define ORACLE_CORE_EVENT_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oracle/core/event.h"
#include "oracle/core/spsc_ring.h"

namespace oracle {

// What a source knows about one venue's link (the core knows the rest: messages, exclusions).
struct VenueLinkHealth {
  bool connected = false;        // delivering now
  bool live = false;             // a live adapter serves this venue
  bool quarantined = false;      // too many unreadable frames: its data is excluded for now
  uint64_t frames_rejected = 0;  // frames the source could not parse or route
  uint64_t reconnects = 0;
  uint64_t venue_errors = 0;  // errors the venue reported (e.g. subscription refused)
  uint64_t sequence_gaps = 0;
  std::string last_error;
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Short name for logs ("replay", "binance").
  virtual std::string Name() const = 0;
  // Starts producing into `ring`. Returns an error (and produces nothing) if it cannot start.
  virtual absl::Status Start(SpscRing<Event>* ring) = 0;
  // Stops and joins its threads. Idempotent.
  virtual void Stop() = 0;
  // Adds this source's view of each venue into `per_venue` (indexed by venue id; sized by the
  // caller). Thread-safe: called from request threads while the source runs.
  virtual void AddHealth(std::vector<VenueLinkHealth>* per_venue) const = 0;
};

}  // namespace oracle

#endif  // ORACLE_CORE_EVENT_SOURCE_H_
