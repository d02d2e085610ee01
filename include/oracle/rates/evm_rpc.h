// EVM JSON-RPC `eth_call` for redemption ratios (wBETH `exchangeRate()`, ERC-4626
// `convertToAssets(1e18)`): request bodies, response parsing and revert decoding. Pure: no I/O
// (rate_source.h does the HTTP).
//
// A ratio is the returned uint256 divided by 10^decimals, as an exact Decimal: the mantissa keeps
// min(decimals, 18) fraction digits when it fits int64 (1071200000000000000 -> 1.0712 at
// exponent -18); otherwise low digits are dropped, rounding half to even, until it does. A value
// that would need an exponent above kMaxDecimalExponent is an error, never a wrapped number.
// Everything here is thread-safe; the functions returning strings or statuses allocate.
#ifndef ORACLE_RATES_EVM_RPC_H_
#define ORACLE_RATES_EVM_RPC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oracle/core/decimal.h"

namespace oracle::rates {

// Largest `decimals` accepted: 10^77 is the largest power of ten below 2^256.
inline constexpr uint32_t kMaxEvmDecimals = 77;

// "0x" + 40 hex digits (either case; the EIP-55 checksum is not checked).
absl::Status ValidateEvmAddress(std::string_view address);
// "0x" + an even number of hex digits, at least a 4-byte selector.
absl::Status ValidateEvmCalldata(std::string_view calldata);

// {"jsonrpc":"2.0","id":<id>,"method":"eth_call","params":[{"to":"<to>","data":"<data>"},"latest"]}
// `to` and `data` must have passed the validators above (they are copied verbatim).
std::string EthCallRequestBody(uint64_t id, std::string_view to, std::string_view data);

// A big-endian uint256 given as 1 to 64 hex digits (no "0x") divided by 10^decimals, as above.
// Errors: not hex, too long, decimals > kMaxEvmDecimals, does not fit.
absl::StatusOr<Decimal> Uint256HexToDecimal(std::string_view hex, uint32_t decimals);

// The decimal digits of a big-endian uint256 given as 1 to 64 hex digits ("ff" -> "255"); empty
// when `hex` is not 1..64 hex digits.
std::string Uint256HexToDecimalString(std::string_view hex);

// What ABI-encoded revert data says, for error messages: `revert "reason"` for Error(string),
// `panic 0x11 (arithmetic overflow or underflow)` for Panic(uint256), `custom error 0x<selector>`
// otherwise, `no revert data` for "0x". `data` is the "0x..." string of the JSON-RPC error.
std::string DescribeRevertData(std::string_view data);

// Parses an eth_call reply. `expected_id` is checked when the reply carries an id. Errors say
// what the node said: "JSON-RPC error 3: execution reverted: ... (revert \"reason\")", "empty
// result 0x: no contract at the address (or the call returned nothing)", "result is not one
// 32-byte word: 0x...", malformed JSON, and the uint256 errors above.
absl::StatusOr<Decimal> ParseEthCallReply(std::string_view body, uint64_t expected_id,
                                          uint32_t decimals);

}  // namespace oracle::rates

#endif  // ORACLE_RATES_EVM_RPC_H_
