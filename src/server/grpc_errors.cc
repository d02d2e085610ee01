#include "grpc_errors.h"

#include <string>

#include "oracle/api/error_status.h"

namespace oracle {

grpc::Status FailCall(grpc::ServerContextBase* context, const ApiError& error,
                      RequestErrorCounters* errors) {
  errors->Count(error.reason);
  // Deprecated (one release): clients read the reason from ErrorInfo in the details.
  context->AddTrailingMetadata(kErrorReasonMetadataKey, std::string(ErrorReasonName(error.reason)));
  // The third argument is sent as the grpc-status-details-bin trailer.
  return grpc::Status(static_cast<grpc::StatusCode>(ErrorGrpcCode(error.reason)),
                      ErrorStatusMessage(error), SerializedErrorStatus(error));
}

}  // namespace oracle
