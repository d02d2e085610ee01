// Decompresses a gzip, zlib or raw-deflate frame (HTX sends gzip, some venues raw deflate).
#ifndef ORACLE_FEEDS_COMMON_INFLATE_H_
#define ORACLE_FEEDS_COMMON_INFLATE_H_

#include <string>
#include <string_view>

namespace oracle::feeds {

// Writes the decompressed bytes into *out (its capacity is reused: no allocation once it has grown
// to the largest frame). False if the data is not a complete compressed stream or would inflate to
// more than `max_bytes`.
[[nodiscard]] bool InflateFrame(std::string_view compressed, std::string* out,
                                size_t max_bytes = 4 << 20);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_INFLATE_H_
