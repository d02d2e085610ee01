#include "absl/strings/str_cat.h"
#include "oracle/api/errors.h"

namespace oracle {

// Numeric values of grpc::StatusCode, spelled out so this file needs no gRPC header.
namespace {
constexpr int kCancelledCode = 1;
constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;
constexpr int kResourceExhausted = 8;
constexpr int kFailedPrecondition = 9;
constexpr int kInternalCode = 13;
constexpr int kPermissionDeniedCode = 7;
constexpr int kUnavailable = 14;
constexpr int kUnauthenticatedCode = 16;
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
    case ErrorReason::kInvalidTimeRange:
      return "INVALID_TIME_RANGE";
    case ErrorReason::kVenueNotFound:
      return "VENUE_NOT_FOUND";
    case ErrorReason::kMarkNotFound:
      return "MARK_NOT_FOUND";
    case ErrorReason::kNotVerifiable:
      return "NOT_VERIFIABLE";
    case ErrorReason::kHistoryUnavailable:
      return "HISTORY_UNAVAILABLE";
    case ErrorReason::kCancelled:
      return "CANCELLED";
    case ErrorReason::kInternal:
      return "INTERNAL";
    case ErrorReason::kHistoryNotConfigured:
      return "HISTORY_NOT_CONFIGURED";
    case ErrorReason::kServerShuttingDown:
      return "SERVER_SHUTTING_DOWN";
    case ErrorReason::kConfidenceTooWide:
      return "CONFIDENCE_TOO_WIDE";
    case ErrorReason::kUnauthenticated:
      return "UNAUTHENTICATED";
    case ErrorReason::kPermissionDenied:
      return "PERMISSION_DENIED";
  }
  return "UNKNOWN";
}

int ErrorGrpcCode(ErrorReason reason) noexcept {
  switch (reason) {
    case ErrorReason::kInstrumentNotFound:
    case ErrorReason::kVenueNotFound:
    case ErrorReason::kMarkNotFound:
      return kNotFound;
    case ErrorReason::kNotVerifiable:
    case ErrorReason::kHistoryNotConfigured:
      return kFailedPrecondition;
    case ErrorReason::kHistoryUnavailable:
    case ErrorReason::kServerShuttingDown:
      return kUnavailable;
    case ErrorReason::kCancelled:
      return kCancelledCode;
    case ErrorReason::kInternal:
      return kInternalCode;
    case ErrorReason::kMarkStale:
    case ErrorReason::kConfidenceTooWide:
      return kFailedPrecondition;
    case ErrorReason::kUnauthenticated:
      return kUnauthenticatedCode;
    case ErrorReason::kPermissionDenied:
      return kPermissionDeniedCode;
    case ErrorReason::kMarkUnavailable:
      return kUnavailable;
    case ErrorReason::kTooManySubscriptions:
      return kResourceExhausted;
    case ErrorReason::kInvalidInstrumentName:
    case ErrorReason::kBatchTooLarge:
    case ErrorReason::kInvalidArgument:
    case ErrorReason::kInvalidPageToken:
    case ErrorReason::kInvalidTimeRange:
      return kInvalidArgument;
  }
  return kInvalidArgument;
}

int64_t ErrorRetryDelayNs(ErrorReason reason) noexcept {
  constexpr int64_t kSecond = 1'000'000'000;
  switch (reason) {
    case ErrorReason::kMarkUnavailable:  // the next publication cycles may price it
    case ErrorReason::kServerShuttingDown:
      return 1 * kSecond;
    case ErrorReason::kHistoryUnavailable:  // the persister tries to open the store every second
      return 2 * kSecond;
    case ErrorReason::kTooManySubscriptions:  // streams end when their clients go
      return 5 * kSecond;
    default:
      return 0;
  }
}

std::string ErrorStatusMessage(const ApiError& error) {
  std::string_view name = ErrorReasonName(error.reason);
  return absl::StrCat(absl::string_view(name.data(), name.size()), ": ", error.message);
}

}  // namespace oracle
