// Reads the standard gRPC error model a client sees: the google.rpc.Status that gRPC carries in
// the `grpc-status-details-bin` trailer (grpc::Status::error_details()), and the ErrorInfo,
// RetryInfo and BadRequest in it. For the integration tests' assertions.
#ifndef ORACLE_TESTS_INTEGRATION_ERROR_DETAILS_H_
#define ORACLE_TESTS_INTEGRATION_ERROR_DETAILS_H_

#include <grpcpp/grpcpp.h>

#include <optional>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace oracle::testing {

struct ErrorDetails {
  bool parsed = false;  // the trailer was there and held a google.rpc.Status
  google::rpc::Status status;
  std::optional<google::rpc::ErrorInfo> info;
  std::optional<google::rpc::RetryInfo> retry;
  std::optional<google::rpc::BadRequest> bad_request;

  std::string Reason() const { return info ? info->reason() : std::string(); }
  std::string Metadata(const std::string& key) const {
    if (!info) return "";
    auto it = info->metadata().find(key);
    return it == info->metadata().end() ? "" : it->second;
  }
  // Nanoseconds of RetryInfo.retry_delay, -1 without RetryInfo.
  int64_t RetryDelayNs() const {
    if (!retry) return -1;
    return retry->retry_delay().seconds() * 1'000'000'000 + retry->retry_delay().nanos();
  }
  // The field of the first violation, "" without BadRequest.
  std::string BadField() const {
    return bad_request && bad_request->field_violations_size() > 0
               ? bad_request->field_violations(0).field()
               : std::string();
  }
};

inline ErrorDetails DetailsOf(const google::rpc::Status& status) {
  ErrorDetails d;
  d.parsed = true;
  d.status = status;
  for (const auto& any : status.details()) {
    if (any.Is<google::rpc::ErrorInfo>()) {
      d.info.emplace();
      any.UnpackTo(&*d.info);
    } else if (any.Is<google::rpc::RetryInfo>()) {
      d.retry.emplace();
      any.UnpackTo(&*d.retry);
    } else if (any.Is<google::rpc::BadRequest>()) {
      d.bad_request.emplace();
      any.UnpackTo(&*d.bad_request);
    }
  }
  return d;
}

inline ErrorDetails DetailsOf(const grpc::Status& s) {
  google::rpc::Status status;
  if (s.error_details().empty() || !status.ParseFromString(s.error_details())) return {};
  return DetailsOf(status);
}

}  // namespace oracle::testing

#endif  // ORACLE_TESTS_INTEGRATION_ERROR_DETAILS_H_
