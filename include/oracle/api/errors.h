// The API's error vocabulary: each internal error has one machine-readable reason and one gRPC
// code. This is the single place that decides the mapping (AIP-193 style); the service only calls
// it.
#ifndef ORACLE_API_ERRORS_H_
#define ORACLE_API_ERRORS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

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
  kInvalidTimeRange,    // INVALID_ARGUMENT (end before start, missing required time)
  kVenueNotFound,       // NOT_FOUND
  kMarkNotFound,        // NOT_FOUND (no stored mark matches)
  kNotVerifiable,       // FAILED_PRECONDITION (events missing, or another configuration)
  kHistoryUnavailable,  // UNAVAILABLE (no data_dir, or the store cannot be opened)
  kCancelled,           // CANCELLED (the client went away during a scan)
  kInternal,            // INTERNAL (the store failed to read)
};
inline constexpr int kNumErrorReasons = 15;

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

struct ApiError {
  ErrorReason reason;
  std::string message;
};

// "INSTRUMENT_NOT_FOUND", ...
std::string_view ErrorReasonName(ErrorReason reason) noexcept;
// The numeric grpc::StatusCode for the reason.
int ErrorGrpcCode(ErrorReason reason) noexcept;
// "REASON: message": the status message clients see.
std::string ErrorStatusMessage(const ApiError& error);

// Trailing metadata key that carries the reason alone.
inline constexpr char kErrorReasonMetadataKey[] = "oracle-error-reason";

}  // namespace oracle

#endif  // ORACLE_API_ERRORS_H_
