// One mark read from its protobuf JSON, to check its signature offline: ReadMarkJson, then
// MarkVerifier::Verify (mark_signer.h). `oraclectl verify-signature` is this with flags around it.
#ifndef ORACLE_SIGNING_READ_MARK_JSON_H_
#define ORACLE_SIGNING_READ_MARK_JSON_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "oracle/v1/oracle.pb.h"

namespace oracle::signing {

// More than this is not one mark (a mark with its full provenance is a few kilobytes).
inline constexpr size_t kMaxMarkJsonBytes = 16 << 20;

// Reads one mark, oracle.v1.Mark in protobuf JSON as `oraclectl --json get` prints it, from the
// file `path`, or from stdin when `path` is "-". Unknown fields are refused. The error message
// starts with the input ("mark file PATH" or "stdin") and says what is wrong: it cannot be opened
// (NOT_FOUND), a read error (DATA_LOSS), larger than kMaxMarkJsonBytes, empty, or not a mark
// (INVALID_ARGUMENT). Allocates; reads the whole input.
absl::StatusOr<v1::Mark> ReadMarkJson(const std::string& path);

}  // namespace oracle::signing

#endif  // ORACLE_SIGNING_READ_MARK_JSON_H_
