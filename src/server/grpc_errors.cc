#include "grpc_errors.h"

#include <string>

namespace oracle {

grpc::Status FailCall(grpc::ServerContextBase* context, const ApiError& error,
                      RequestErrorCounters* errors) {
  errors->Count(error.reason);
  context->AddTrailingMetadata(kErrorReasonMetadataKey, std::string(ErrorReasonName(error.reason)));
  return grpc::Status(static_cast<grpc::StatusCode>(ErrorGrpcCode(error.reason)),
                      ErrorStatusMessage(error));
}

}  // namespace oracle
