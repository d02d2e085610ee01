// What the gRPC handlers read. Private to the server module.
#ifndef ORACLE_SRC_SERVER_SERVICE_CONTEXT_H_
#define ORACLE_SRC_SERVER_SERVICE_CONTEXT_H_

#include <memory>
#include <vector>

#include "oracle/aggregation/core_runner.h"
#include "oracle/aggregation/engine.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/config/config.h"
#include "oracle/core/event_source.h"
#include "oracle/api/mark_lookup.h"

namespace oracle::history {
class Persister;
}

namespace oracle::signing {
class SignatureCache;
}
namespace oracle::rates {
class RateProviderSource;
}

namespace oracle {

struct ServiceContext {
  const Config* config = nullptr;
  const MarkTable* table = nullptr;
  const Engine* engine = nullptr;  // only its atomic venue counters are read
  const CoreRunner* runner = nullptr;
  const std::vector<std::unique_ptr<EventSource>>* sources = nullptr;
  const MarkLookup* lookup = nullptr;
  RequestErrorCounters* errors = nullptr;
  TimeNs start_time = 0;
  signing::SignatureCache* signatures = nullptr;  // signs served marks (no-op without a key)
  const history::Persister* persister = nullptr;
  const rates::RateProviderSource* rates =
      nullptr;  // null unless this server polls providers  // null without history
};

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_SERVICE_CONTEXT_H_
