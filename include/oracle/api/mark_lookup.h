// Finds an instrument's latest mark for a request and applies the request's rules (name syntax,
// existence, max_age). No gRPC here, so the rules are unit-tested without a server.
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

 private:
  const Config& config_;
  const MarkTable* table_;
  absl::flat_hash_map<std::string, uint32_t> index_;
};

}  // namespace oracle

#endif  // ORACLE_API_MARK_LOOKUP_H_
