#include "oracle/rates/solana_rpc.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "json_rpc.h"

namespace oracle::rates {
namespace {

using internal::Clip;
using internal::Sv;

constexpr std::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int Base64Value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

uint64_t ReadU64Le(std::string_view data, size_t offset) noexcept {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(data[offset + i])) << (8 * i);
  }
  return v;
}

std::string DescribeErrorData(simdjson::dom::element data) {
  return Clip(simdjson::to_string(data));
}

}  // namespace

absl::Status ValidateSolanaAccount(std::string_view account) {
  if (account.size() < 32 || account.size() > 44 ||
      account.find_first_not_of(kBase58Alphabet) != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", Clip(account), "\" is not a Solana account (32 to 44 base58 characters)"));
  }
  return absl::OkStatus();
}

std::string GetAccountInfoRequestBody(uint64_t id, std::string_view account) {
  return absl::StrCat(R"({"jsonrpc":"2.0","id":)", id, R"(,"method":"getAccountInfo","params":[")",
                      Sv(account), R"(",{"encoding":"base64","commitment":"confirmed"}]})");
}

bool DecodeBase64(std::string_view text, std::string* out) {
  out->clear();
  if (text.size() % 4 != 0) return false;
  out->reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + static_cast<size_t>(j)];
      if (c == '=' && last && j >= 2) {
        v[j] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return false;  // data after padding
      v[j] = Base64Value(c);
      if (v[j] < 0) return false;
    }
    const uint32_t word = static_cast<uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    out->push_back(static_cast<char>(word >> 16));
    if (pad < 2) out->push_back(static_cast<char>((word >> 8) & 0xff));
    if (pad < 1) out->push_back(static_cast<char>(word & 0xff));
  }
  return true;
}

absl::StatusOr<Decimal> StakePoolRatio(uint64_t total_lamports, uint64_t pool_token_supply) {
  if (pool_token_supply == 0) {
    return absl::FailedPreconditionError(absl::StrCat("pool_token_supply is 0 (total_lamports ",
                                                      total_lamports,
                                                      "): the pool has no tokens, no ratio"));
  }
  // total_lamports < 2^64 < 1.85e19, so total_lamports * 10^18 < 1.85e37 fits int128.
  for (int digits = -kMinDecimalExponent; digits >= 0; --digits) {
    const int128 m = DivRoundHalfEven(static_cast<int128>(total_lamports) * Pow10(digits),
                                      static_cast<int128>(pool_token_supply));
    if (m <= std::numeric_limits<int64_t>::max()) return Decimal{static_cast<int64_t>(m), -digits};
  }
  return absl::OutOfRangeError(absl::StrCat("stake-pool ratio ", total_lamports, " / ",
                                            pool_token_supply, " does not fit an int64 mantissa"));
}

absl::StatusOr<Decimal> StakePoolRatioFromAccountData(std::string_view data) {
  if (data.size() < kStakePoolMinSize) {
    return absl::DataLossError(absl::StrCat("account data is ", data.size(),
                                            " bytes, a stake pool needs at least ",
                                            kStakePoolMinSize));
  }
  const auto type = static_cast<uint8_t>(data[kStakePoolAccountTypeOffset]);
  if (type != kStakePoolAccountType) {
    return absl::FailedPreconditionError(
        absl::StrCat("account type ", type, " is not a stake pool (", kStakePoolAccountType, ")"));
  }
  return StakePoolRatio(ReadU64Le(data, kStakePoolTotalLamportsOffset),
                        ReadU64Le(data, kStakePoolTokenSupplyOffset));
}

absl::StatusOr<Decimal> ParseStakePoolAccountReply(std::string_view body, uint64_t expected_id) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element result;
  if (absl::Status s =
          internal::ParseJsonRpcReply(parser, body, expected_id, &DescribeErrorData, &result);
      !s.ok()) {
    return s;
  }
  simdjson::dom::element value;
  if (result["value"].get(value) != simdjson::SUCCESS) {
    return absl::DataLossError(
        absl::StrCat("result has no value: ", Clip(simdjson::to_string(result))));
  }
  if (value.is_null()) return absl::NotFoundError("account not found (result.value is null)");
  simdjson::dom::array data;
  std::string_view encoded;
  std::string_view encoding;
  if (value["data"].get_array().get(data) != simdjson::SUCCESS || data.size() != 2 ||
      data.at(0).get_string().get(encoded) != simdjson::SUCCESS ||
      data.at(1).get_string().get(encoding) != simdjson::SUCCESS || encoding != "base64") {
    return absl::DataLossError(absl::StrCat("result.value.data is not [\"<base64>\",\"base64\"]: ",
                                            Clip(simdjson::to_string(value))));
  }
  std::string bytes;
  if (!DecodeBase64(encoded, &bytes)) {
    return absl::DataLossError(absl::StrCat("account data is not base64: ", Clip(encoded)));
  }
  return StakePoolRatioFromAccountData(bytes);
}

}  // namespace oracle::rates
