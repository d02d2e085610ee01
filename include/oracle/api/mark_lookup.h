// Finds an instrument's latest mark for a request and applies the request's rules (name syntax,
// existence, max_age, max_confidence_bps). No gRPC here, so the rules are unit-tested without a
// server.
#ifndef ORACLE_API_MARK_LOOKUP_H_
#define ORACLE_API_MARK_LOOKUP_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/api/errors.h"
#include "oracle/config/config.h"

namespace oracle {

// What a read (GetMark, a BatchGetMarks entry) asks of a mark besides its name.
struct ReadLimits {
  DurationNs max_age_ns = 0;       // 0: any age (MarkLookup::Lookup)
  int32_t max_confidence_bps = 0;  // 0: any confidence (CheckConfidence)
};

// max_confidence_bps of a request: negative is INVALID_ARGUMENT naming field "max_confidence_bps";
// 0 (no limit) and positive values are fine.
std::optional<ApiError> CheckMaxConfidenceBps(int32_t max_confidence_bps);

// CONFIDENCE_TOO_WIDE when `mark` has a price and its confidence / |price|, in basis points, is
// more than max_confidence_bps (> 0; 0 is no limit). Exact: compares confidence * 10000 with
// max_confidence_bps * |price| in 128-bit integers, so a mark exactly at the limit passes; a price
// of 0 with a non-zero confidence is infinitely wide. A mark without a price is left to Lookup
// (MARK_UNAVAILABLE). The error's metadata: instrument, confidenceBps (rounded up to 0.01 bps, so
// it never reads as equal to the limit), maxConfidenceBps. No allocation unless it refuses.
std::optional<ApiError> CheckConfidence(std::string_view name, const Mark& mark,
                                        int32_t max_confidence_bps);

class MarkLookup {
 public:
  MarkLookup(const Config& config, const MarkTable* table);

  // Index of a configured instrument, or an error (empty/malformed name, unknown instrument).
  std::optional<ApiError> Resolve(std::string_view name, uint32_t* index) const;

  // The latest mark of `name`, always with a price: none published yet, or a mark without a price
  // (status UNAVAILABLE), is MARK_UNAVAILABLE. With max_age_ns > 0, a mark whose price is older
  // than that (by the time of its last good price, so a STALE mark is judged by the age of its
  // data) is MARK_STALE. Errors name the instrument in their metadata; Resolve's name errors have
  // field "instrument" (callers with a list rewrite it). Reads are lock-free (mark_table.h).
  std::optional<ApiError> Lookup(std::string_view name, DurationNs max_age_ns, TimeNs now,
                                 Mark* out) const;

  // Lookup and then CheckConfidence: GetMark's rules. Allocation-free when it succeeds.
  std::optional<ApiError> Read(std::string_view name, const ReadLimits& limits, TimeNs now,
                               Mark* out) const;
  // Read for entry `i` of a batch: an error about the name has field "instruments[i]".
  std::optional<ApiError> ReadBatchEntry(int i, std::string_view name, const ReadLimits& limits,
                                         TimeNs now, Mark* out) const;

 private:
  const Config& config_;
  const MarkTable* table_;
  absl::flat_hash_map<std::string, uint32_t> index_;
};

}  // namespace oracle

#endif  // ORACLE_API_MARK_LOOKUP_H_
