// Solana JSON-RPC `getAccountInfo` for SPL stake-pool redemption ratios (BNSOL: SOL per pool
// token): request body, reply parsing and the pool-account layout. Pure: no I/O (rate_source.h
// does the HTTP).
//
// The ratio is total_lamports / pool_token_supply (both u64 little-endian, at byte offsets 258
// and 266 of the stake-pool account; account_type at offset 0 must be 1 = StakePool), computed
// exactly in 128-bit integers and rounded half to even to 18 fraction digits, or fewer when the
// mantissa would not fit int64 (a ratio of 9.2 or more). Thread-safe; allocates.
#ifndef ORACLE_RATES_SOLANA_RPC_H_
#define ORACLE_RATES_SOLANA_RPC_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oracle/core/decimal.h"

namespace oracle::rates {

inline constexpr size_t kStakePoolAccountTypeOffset = 0;
inline constexpr uint8_t kStakePoolAccountType = 1;
inline constexpr size_t kStakePoolTotalLamportsOffset = 258;
inline constexpr size_t kStakePoolTokenSupplyOffset = 266;
inline constexpr size_t kStakePoolMinSize = kStakePoolTokenSupplyOffset + 8;

// A base58 public key: 32 to 44 characters of the Bitcoin base58 alphabet.
absl::Status ValidateSolanaAccount(std::string_view account);

// {"jsonrpc":"2.0","id":<id>,"method":"getAccountInfo","params":["<account>",
//  {"encoding":"base64","commitment":"confirmed"}]}
// `account` must have passed ValidateSolanaAccount (it is copied verbatim).
std::string GetAccountInfoRequestBody(uint64_t id, std::string_view account);

// Strict RFC 4648 base64 (padding required, no whitespace). False on anything else.
bool DecodeBase64(std::string_view text, std::string* out);

// The ratio from raw stake-pool account bytes. Errors: too short, wrong account type, supply 0.
absl::StatusOr<Decimal> StakePoolRatioFromAccountData(std::string_view data);

// total_lamports * 10^k / pool_token_supply rounded half to even, with k = 18 or the largest k
// that keeps the mantissa in int64. Errors: supply 0.
absl::StatusOr<Decimal> StakePoolRatio(uint64_t total_lamports, uint64_t pool_token_supply);

// Parses a getAccountInfo reply (`expected_id` checked when the reply carries an id). Errors:
// "JSON-RPC error <code>: <message>", "account not found (result.value is null)", data not
// ["<base64>","base64"], bad base64, and the account errors above.
absl::StatusOr<Decimal> ParseStakePoolAccountReply(std::string_view body, uint64_t expected_id);

}  // namespace oracle::rates

#endif  // ORACLE_RATES_SOLANA_RPC_H_
