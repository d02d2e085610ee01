// AuditService's queries over the history store, without gRPC (src/server/audit_service.cc is the
// thin gRPC layer): requests and responses are the API messages, errors are ApiError with a reason.
//
// Every scan is bounded (page_size records returned, at most kMaxScanPerCall read per call: a
// filtered ListEvents returns a short page with a token when it hits the bound) and polls
// `cancelled` so a client that goes away stops the work.
#ifndef ORACLE_HISTORY_AUDIT_H_
#define ORACLE_HISTORY_AUDIT_H_

#include <functional>
#include <memory>
#include <optional>

#include "oracle/api/errors.h"
#include "oracle/api/paging.h"
#include "oracle/config/config.h"

namespace oracle::v1 {
class Mark;
class ListMarksRequest;
class ListMarksResponse;
class GetMarkAtRequest;
class GetMarkAtResponse;
class GetTwapRequest;
class GetTwapResponse;
class ListEventsRequest;
class ListEventsResponse;
class VerifyMarkRequest;
class VerifyMarkResponse;
}  // namespace oracle::v1

namespace oracle::signing {
class MarkSigner;
}

namespace oracle::history {

class HistoryStore;

// ListMarks and ListEvents: page_size 0 -> 100, above 10000 -> 10000 (AIP-158 coercion).
inline constexpr PageLimits kAuditPageLimits{.default_size = 100, .max_size = 10000};
inline constexpr uint64_t kMaxScanPerCall = 200000;

// Marks stored before the API review (2026-12) carry the redemption policy as a string in the
// now reserved field RedemptionDetail 1; this moves it into the enum field `policy` so they read,
// compare and verify like new ones. Every other renamed field kept its number and wire type.
void UpgradeStoredMark(v1::Mark* mark);

class AuditQueries {
 public:
  using StoreFn = std::function<std::shared_ptr<HistoryStore>()>;
  using Cancelled = std::function<bool()>;

  // `store` returns the open store or null: HISTORY_NOT_CONFIGURED when config.history.data_dir
  // is empty, else HISTORY_UNAVAILABLE (retryable). `signer` may be null.
  AuditQueries(const Config& config, StoreFn store, const signing::MarkSigner* signer);

  std::optional<ApiError> ListMarks(const v1::ListMarksRequest& req, v1::ListMarksResponse* out,
                                    const Cancelled& cancelled) const;
  std::optional<ApiError> GetMarkAt(const v1::GetMarkAtRequest& req,
                                    v1::GetMarkAtResponse* out) const;
  std::optional<ApiError> GetTwap(const v1::GetTwapRequest& req, v1::GetTwapResponse* out) const;
  std::optional<ApiError> ListEvents(const v1::ListEventsRequest& req, v1::ListEventsResponse* out,
                                     const Cancelled& cancelled) const;
  std::optional<ApiError> VerifyMark(const v1::VerifyMarkRequest& req, v1::VerifyMarkResponse* out,
                                     const Cancelled& cancelled) const;

 private:
  const Config& config_;
  StoreFn store_;
  const signing::MarkSigner* signer_;
};

}  // namespace oracle::history

#endif  // ORACLE_HISTORY_AUDIT_H_
