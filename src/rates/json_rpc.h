// The JSON-RPC 2.0 reply envelope shared by the EVM and Solana parsers (internal to src/rates):
// checks the id, turns an `error` object into a status and hands back `result`.
//
// Uses simdjson's DOM parser (a reply is small and read once per poll; the parser's buffers are
// reused by the caller's thread). Not thread-safe per parser.
#ifndef ORACLE_SRC_RATES_JSON_RPC_H_
#define ORACLE_SRC_RATES_JSON_RPC_H_

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace oracle::rates::internal {

// Says what `error.data` means for one protocol (EVM: revert data); empty if nothing to add.
using ErrorDataDescriber = std::function<std::string(simdjson::dom::element data)>;

// Parses `body` into `parser` and sets *result to its `result` member. Errors: malformed JSON,
// not an object, an id other than `expected_id`, an `error` member ("JSON-RPC error <code>:
// <message> (<what the data says>)"), no `result`. The element lives as long as `parser`.
absl::Status ParseJsonRpcReply(simdjson::dom::parser& parser, std::string_view body,
                               uint64_t expected_id, const ErrorDataDescriber& describe_data,
                               simdjson::dom::element* result);

// std::string_view for absl::StrCat (Debian's Abseil has its own string_view type).
inline absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// At most `max` characters of `text`, with "..." when cut (error messages quote peer input).
std::string Clip(std::string_view text, size_t max = 120);

}  // namespace oracle::rates::internal

#endif  // ORACLE_SRC_RATES_JSON_RPC_H_
