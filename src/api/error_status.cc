#include "oracle/api/error_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace oracle {
namespace {
constexpr int kInvalidArgumentCode = 3;
}  // namespace

void FillErrorStatus(const ApiError& error, google::rpc::Status* out) {
  out->Clear();
  const int code = ErrorGrpcCode(error.reason);
  out->set_code(code);
  out->set_message(ErrorStatusMessage(error));

  google::rpc::ErrorInfo info;
  std::string_view reason = ErrorReasonName(error.reason);
  info.set_reason(reason.data(), reason.size());
  info.set_domain(kErrorDomain);
  for (const auto& [key, value] : error.metadata) (*info.mutable_metadata())[key] = value;
  out->add_details()->PackFrom(info);

  if (const int64_t delay_ns = ErrorRetryDelayNs(error.reason); delay_ns > 0) {
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(delay_ns / 1'000'000'000);
    retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(delay_ns % 1'000'000'000));
    out->add_details()->PackFrom(retry);
  }

  if (code == kInvalidArgumentCode) {
    google::rpc::BadRequest bad;
    auto* violation = bad.add_field_violations();
    violation->set_field(error.field);
    violation->set_description(error.message);
    out->add_details()->PackFrom(bad);
  }
}

std::string SerializedErrorStatus(const ApiError& error) {
  google::rpc::Status status;
  FillErrorStatus(error, &status);
  return status.SerializeAsString();
}

}  // namespace oracle
