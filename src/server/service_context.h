// What the gRPC handlers read. Private to the server module.
#ifndef ORACLE_SRC_SERVER_SERVICE_CONTEXT_H_
#define ORACLE_SRC_SERVER_SERVICE_CONTEXT_H_

#include "oracle/aggregation/mark_table.h"
#include "oracle/api/mark_lookup.h"
#include "oracle/api/serving_counters.h"
#include "oracle/config/config.h"
#include "oracle/server/server.h"
#include "oracle/signing/signature_cache.h"

namespace oracle {

// The server's view of the process: the same pointers the app handed to OracleServer::Start.
using ServiceContext = ServingDeps;

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_SERVICE_CONTEXT_H_
