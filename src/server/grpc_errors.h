// The one place an ApiError becomes a gRPC status, for every service (unary, streaming, audit):
// it counts the error by reason and returns the status with the reason's code, the
// "REASON: message" message and the google.rpc.Status details (ErrorInfo, RetryInfo, BadRequest;
// oracle/api/error_status.h), which gRPC sends in the `grpc-status-details-bin` trailer. The
// deprecated `oracle-error-reason` trailer still carries the reason. Private to the server module.
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
