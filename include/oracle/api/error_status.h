// The standard gRPC error model (google.rpc.Status with ErrorInfo, RetryInfo and BadRequest
// details, AIP-193) built from an ApiError. Only the server module and the batch entries need it,
// so it is apart from errors.h, which stays free of proto headers.
#ifndef ORACLE_API_ERROR_STATUS_H_
#define ORACLE_API_ERROR_STATUS_H_

#include <string>

#include "oracle/api/errors.h"

namespace google::rpc {
class Status;
}

namespace oracle {

// Fills `out` with the reason's code, ErrorStatusMessage(error) and these details, in order:
// ErrorInfo {reason, kErrorDomain, error.metadata}; RetryInfo {ErrorRetryDelayNs} when the delay
// is not 0; BadRequest {one violation: error.field, error.message} when the code is
// INVALID_ARGUMENT. Allocates; any thread.
void FillErrorStatus(const ApiError& error, google::rpc::Status* out);

// FillErrorStatus serialized: the value of the `grpc-status-details-bin` trailer.
std::string SerializedErrorStatus(const ApiError& error);

}  // namespace oracle

#endif  // ORACLE_API_ERROR_STATUS_H_
