// What the serving side counts and the status snapshot reads: request errors by reason and the
// streams open now. Owned by the process (the app), updated by the gRPC services, read by
// status::GatherStatus. Any thread; relaxed atomics (operators read totals, not orderings).
#ifndef ORACLE_API_SERVING_COUNTERS_H_
#define ORACLE_API_SERVING_COUNTERS_H_

#include <atomic>
#include <cstdint>

#include "oracle/api/errors.h"

namespace oracle {

struct ServingCounters {
  RequestErrorCounters errors;
  std::atomic<uint64_t> open_streams{0};
};

}  // namespace oracle

#endif  // ORACLE_API_SERVING_COUNTERS_H_
