// The one place an ApiError becomes a gRPC status, for every service (unary, streaming, audit):
// it counts the error by reason, puts the reason in the `oracle-error-reason` trailer and returns
// the status with the reason's code (oracle/api/errors.h decides code and message). Private to
// the server module.
#ifndef ORACLE_SRC_SERVER_GRPC_ERRORS_H_
#define ORACLE_SRC_SERVER_GRPC_ERRORS_H_

#include <grpcpp/grpcpp.h>

#include "oracle/api/errors.h"

namespace oracle {

// Call before the first write of a response (trailers are sent with the status). Allocates.
grpc::Status FailCall(grpc::ServerContextBase* context, const ApiError& error,
                      RequestErrorCounters* errors);

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_GRPC_ERRORS_H_
