#include "absl/strings/str_cat.h"
#include "oracle/server/errors.h"

namespace oracle {

// Numeric values of grpc::StatusCode, spelled out so this file needs no gRPC header.
namespace {
constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;
constexpr int kResourceExhausted = 8;
constexpr int kFailedPrecondition = 9;
constexpr int kUnavailable = 14;
}  // namespace

std::string_view ErrorReasonName(ErrorReason reason) noexcept {
  switch (reason) {
    case ErrorReason::kInstrumentNotFound:
      return "INSTRUMENT_NOT_FOUND";
    case ErrorReason::kInvalidInstrumentName:
      return "INVALID_INSTRUMENT_NAME";
    case ErrorReason::kMarkStale:
      return "MARK_STALE";
    case ErrorReason::kMarkUnavailable:
      return "MARK_UNAVAILABLE";
    case ErrorReason::kBatchTooLarge:
      return "BATCH_TOO_LARGE";
    case ErrorReason::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorReason::kInvalidPageToken:
      return "INVALID_PAGE_TOKEN";
    case ErrorReason::kTooManySubscriptions:
      return "TOO_MANY_SUBSCRIPTIONS";
  }
  return "UNKNOWN";
}

int ErrorGrpcCode(ErrorReason reason) noexcept {
  switch (reason) {
    case ErrorReason::kInstrumentNotFound:
      return kNotFound;
    case ErrorReason::kMarkStale:
      return kFailedPrecondition;
    case ErrorReason::kMarkUnavailable:
      return kUnavailable;
    case ErrorReason::kTooManySubscriptions:
      return kResourceExhausted;
    case ErrorReason::kInvalidInstrumentName:
    case ErrorReason::kBatchTooLarge:
    case ErrorReason::kInvalidArgument:
    case ErrorReason::kInvalidPageToken:
      return kInvalidArgument;
  }
  return kInvalidArgument;
}

std::string ErrorStatusMessage(const ApiError& error) {
  std::string_view name = ErrorReasonName(error.reason);
  return absl::StrCat(absl::string_view(name.data(), name.size()), ": ", error.message);
}

}  // namespace oracle
