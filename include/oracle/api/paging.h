// One paging behaviour for every List call (AIP-158), without gRPC: page_size is coerced (0 ->
// the call's default, above the maximum -> the maximum, negative -> INVALID_ARGUMENT) and page
// tokens are opaque, versioned and bound to the query that issued them, so a token replayed with
// other filters is refused with INVALID_PAGE_TOKEN instead of silently paging another list. An
// empty next_page_token ends a list.
//
// A token is base64url(u8 version, u64 query hash big-endian, resume bytes). It is not a secret
// and not authenticated: a client that forges one only pages its own query from another place.
#ifndef ORACLE_API_PAGING_H_
#define ORACLE_API_PAGING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oracle/api/errors.h"

namespace oracle {

struct PageLimits {
  int default_size;
  int max_size;
};

// The page size to use for `requested`, or INVALID_ARGUMENT when it is negative. No allocation
// on success.
[[nodiscard]] std::optional<ApiError> CoercePageSize(int32_t requested, PageLimits limits,
                                                     int* size);

// A stable 64-bit hash of the query's identity (FNV-1a over `query`): callers join every request
// field that selects or orders the list (never page_size or page_token).
[[nodiscard]] uint64_t PageQueryHash(std::string_view query) noexcept;

// The token that resumes `query` at `resume` (a store key, an encoded offset, ...). Allocates.
[[nodiscard]] std::string MakePageToken(uint64_t query, std::string_view resume);

// Reads `token` issued for `query` into `resume`; an empty token means the first page (resume
// empty). INVALID_PAGE_TOKEN when it is not a token of this server or of this query.
[[nodiscard]] std::optional<ApiError> ReadPageToken(const std::string& token, uint64_t query,
                                                    std::string* resume);

// For lists held in memory: the offset a token resumes at (0 for none), refusing one past
// `total`, and the token that follows a page of `size` from `offset` (empty at the end).
[[nodiscard]] std::optional<ApiError> ReadOffsetToken(const std::string& token, uint64_t query,
                                                      size_t total, size_t* offset);
[[nodiscard]] std::string NextOffsetToken(uint64_t query, size_t offset, size_t size, size_t total);

}  // namespace oracle

#endif  // ORACLE_API_PAGING_H_
