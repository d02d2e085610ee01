// The API's error vocabulary: each internal error has one machine-readable reason, one gRPC code
// and, where retrying helps, one retry delay. This is the single place that decides the mapping
// (AIP-193: a permanent condition is never UNAVAILABLE); the services only call it. The
// google.rpc.Status built from an ApiError lives in error_status.h (it needs proto headers; this
// one does not).
#ifndef ORACLE_API_ERRORS_H_
#define ORACLE_API_ERRORS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oracle {

enum class ErrorReason {
  kInstrumentNotFound,     // NOT_FOUND
  kInvalidInstrumentName,  // INVALID_ARGUMENT (empty or malformed name)
  kMarkStale,              // FAILED_PRECONDITION (older than the request's max_age)
  kMarkUnavailable,        // UNAVAILABLE (no price yet; retry later)
  kBatchTooLarge,          // INVALID_ARGUMENT
  kInvalidArgument,        // INVALID_ARGUMENT (any other bad field)
  kInvalidPageToken,       // INVALID_ARGUMENT
  kTooManySubscriptions,   // RESOURCE_EXHAUSTED
  // AuditService
  kInvalidTimeRange,      // INVALID_ARGUMENT (end before start, missing required time)
  kVenueNotFound,         // NOT_FOUND
  kMarkNotFound,          // NOT_FOUND (no stored mark matches)
  kNotVerifiable,         // FAILED_PRECONDITION (events missing, or another configuration)
  kHistoryUnavailable,    // UNAVAILABLE (a data_dir is configured; the store cannot be opened now)
  kCancelled,             // CANCELLED (the client went away during a scan)
  kInternal,              // INTERNAL (the store failed to read)
  kHistoryNotConfigured,  // FAILED_PRECONDITION (no history { data_dir }: retrying cannot help)
  kServerShuttingDown,    // UNAVAILABLE (the call met the server's shutdown; another replica or
                          // the restarted server can answer)
  kConfidenceTooWide,     // FAILED_PRECONDITION (wider than the request's max_confidence_bps)
  kUnauthenticated,       // UNAUTHENTICATED (no credentials, or credentials nobody issued)
  kPermissionDenied,      // PERMISSION_DENIED (a known caller outside its role)
};
inline constexpr int kNumErrorReasons = 20;

// Request errors by reason, for operators (GetServerStatus). Any thread.
class RequestErrorCounters {
 public:
  void Count(ErrorReason r) noexcept {
    counts_[static_cast<int>(r)].fetch_add(1, std::memory_order_relaxed);
  }
  uint64_t Get(ErrorReason r) const noexcept {
    return counts_[static_cast<int>(r)].load(std::memory_order_relaxed);
  }

 private:
  std::atomic<uint64_t> counts_[kNumErrorReasons] = {};
};

// An error with what a client needs to act on it without parsing the message. Aggregate, so
// `ApiError{reason, "message"}` and designated initializers both work.
struct ApiError {
  ErrorReason reason = ErrorReason::kInternal;
  // For people; names the field and the value.
  std::string message = {};
  // The request field at fault, as a path ("max_age", "instruments[3]"): the BadRequest field
  // violation of an INVALID_ARGUMENT error (whose description is `message`).
  std::string field = {};
  // ErrorInfo metadata: lowerCamelCase keys with units in the key ("instrument", "markAgeNs",
  // "maxInstrumentsPerCall"), values as text.
  std::vector<std::pair<std::string, std::string>> metadata = {};
};

// The domain of every ErrorInfo this server sends.
inline constexpr char kErrorDomain[] = "oracle.markoracle.org";

// "INSTRUMENT_NOT_FOUND", ...
std::string_view ErrorReasonName(ErrorReason reason) noexcept;
// The numeric grpc::StatusCode for the reason.
int ErrorGrpcCode(ErrorReason reason) noexcept;
// How long a client should wait before it sends the same call again (RetryInfo), or 0 when
// retrying the same call cannot help.
int64_t ErrorRetryDelayNs(ErrorReason reason) noexcept;
// "REASON: message": the status message clients see (the "REASON: " prefix is deprecated).
std::string ErrorStatusMessage(const ApiError& error);

// Trailing metadata key that carries the reason alone (deprecated: read ErrorInfo.reason).
inline constexpr char kErrorReasonMetadataKey[] = "oracle-error-reason";

}  // namespace oracle

#endif  // ORACLE_API_ERRORS_H_
