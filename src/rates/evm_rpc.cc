#include "oracle/rates/evm_rpc.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <limits>

#include "absl/strings/str_cat.h"
#include "json_rpc.h"

namespace oracle::rates {
namespace {

using internal::Clip;
using internal::Sv;

constexpr std::string_view kErrorSelector = "08c379a0";  // Error(string)
constexpr std::string_view kPanicSelector = "4e487b71";  // Panic(uint256)

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool AllHex(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return HexValue(c) >= 0; });
}

bool HasHexPrefix(std::string_view s) noexcept {
  return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

// 1..64 hex digits -> four big-endian 64-bit limbs (limbs[0] most significant).
bool ParseUint256Hex(std::string_view hex, std::array<uint64_t, 4>* limbs) noexcept {
  if (hex.empty() || hex.size() > 64 || !AllHex(hex)) return false;
  limbs->fill(0);
  // Digit i from the right goes to limb 3 - i / 16, bits 4 * (i % 16).
  for (size_t i = 0; i < hex.size(); ++i) {
    const uint64_t v = static_cast<uint64_t>(HexValue(hex[hex.size() - 1 - i]));
    (*limbs)[3 - i / 16] |= v << (4 * (i % 16));
  }
  return true;
}

// Divides the 256-bit value by `d` in place, returning the remainder.
uint64_t DivModLimbs(std::array<uint64_t, 4>* limbs, uint64_t d) noexcept {
  unsigned __int128 rem = 0;
  for (uint64_t& limb : *limbs) {
    const unsigned __int128 cur = (rem << 64) | limb;
    limb = static_cast<uint64_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<uint64_t>(rem);
}

// Rounds the decimal digit string `digits` (no leading zeros) after dropping its last `drop`
// digits, half to even. The kept part has at most 19 digits (the caller makes sure).
unsigned __int128 RoundDroppingDigits(const std::string& digits, size_t drop) noexcept {
  const size_t n = digits.size();
  const size_t keep_len = drop >= n ? 0 : n - drop;
  unsigned __int128 keep = 0;
  for (size_t i = 0; i < keep_len; ++i) keep = keep * 10 + static_cast<unsigned>(digits[i] - '0');
  if (drop == 0 || drop > n) return keep;  // drop > n: the value is below half a unit
  const char first = digits[keep_len];
  const bool rest_nonzero = std::any_of(digits.begin() + static_cast<std::ptrdiff_t>(keep_len) + 1,
                                        digits.end(), [](char c) { return c != '0'; });
  const bool up = first > '5' || (first == '5' && (rest_nonzero || (keep & 1) != 0));
  return up ? keep + 1 : keep;
}

std::string_view PanicMeaning(uint64_t code) noexcept {
  switch (code) {
    case 0x00:
      return "generic compiler panic";
    case 0x01:
      return "assert(false)";
    case 0x11:
      return "arithmetic overflow or underflow";
    case 0x12:
      return "division or modulo by zero";
    case 0x21:
      return "invalid enum value";
    case 0x22:
      return "invalid storage byte array encoding";
    case 0x31:
      return "pop() on an empty array";
    case 0x32:
      return "array index out of bounds";
    case 0x41:
      return "out of memory";
    case 0x51:
      return "call to a zero-initialized function";
    default:
      return "unknown panic code";
  }
}

// Bytes as printable text: quotes, backslashes and non-printable bytes escaped.
std::string Printable(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u >= 0x20 && u < 0x7f) {
      out.push_back(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

// An ABI word (64 hex digits) as a small number; false if it does not fit 32 bits.
bool SmallWord(std::string_view word, uint64_t* out) noexcept {
  std::array<uint64_t, 4> limbs;
  if (word.size() != 64 || !ParseUint256Hex(word, &limbs)) return false;
  if (limbs[0] != 0 || limbs[1] != 0 || limbs[2] != 0 || limbs[3] > 0xffffffffu) return false;
  *out = limbs[3];
  return true;
}

// Error(string) arguments: offset word, then at the offset a length word and the bytes. Nodes
// do not always pad the bytes to a whole word, so the string may end early.
std::string DescribeErrorString(std::string_view args, std::string_view raw) {
  uint64_t offset = 0;
  uint64_t length = 0;
  if (args.size() < 64 || !SmallWord(args.substr(0, 64), &offset) ||
      args.size() < 2 * offset + 64 || !SmallWord(args.substr(2 * offset, 64), &length)) {
    return absl::StrCat("Error(string) with malformed data ", Clip(raw));
  }
  std::string_view hex = args.substr(2 * offset + 64);
  hex = hex.substr(0, std::min<size_t>(hex.size(), 2 * length) & ~size_t{1});
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(HexValue(hex[i]) * 16 + HexValue(hex[i + 1])));
  }
  return absl::StrCat("revert \"", Printable(bytes), "\"");
}

std::string DescribeErrorData(simdjson::dom::element data) {
  std::string_view s;
  if (data.get_string().get(s) == simdjson::SUCCESS) {
    return HasHexPrefix(s) ? DescribeRevertData(s) : Clip(s);
  }
  // Some nodes (ganache) nest the revert data: {"result": "0x08c379a0...", "reason": ...}.
  for (const char* key : {"result", "data"}) {
    if (data[key].get_string().get(s) == simdjson::SUCCESS && HasHexPrefix(s)) {
      return DescribeRevertData(s);
    }
  }
  return Clip(simdjson::to_string(data));
}

}  // namespace

absl::Status ValidateEvmAddress(std::string_view address) {
  if (address.size() != 42 || !HasHexPrefix(address) || !AllHex(address.substr(2))) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", Clip(address), "\" is not an EVM address (0x and 40 hex digits)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEvmCalldata(std::string_view calldata) {
  if (!HasHexPrefix(calldata) || !AllHex(calldata.substr(2)) || calldata.size() % 2 != 0 ||
      calldata.size() < 10) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", Clip(calldata),
                     "\" is not EVM calldata (0x and an even number of hex digits, at least a "
                     "4-byte selector)"));
  }
  return absl::OkStatus();
}

std::string EthCallRequestBody(uint64_t id, std::string_view to, std::string_view data) {
  return absl::StrCat(R"({"jsonrpc":"2.0","id":)", id, R"(,"method":"eth_call","params":[{"to":")",
                      Sv(to), R"(","data":")", Sv(data), R"("},"latest"]})");
}

std::string Uint256HexToDecimalString(std::string_view hex) {
  std::array<uint64_t, 4> limbs;
  if (!ParseUint256Hex(hex, &limbs)) return "";
  constexpr uint64_t kChunk = 10'000'000'000'000'000'000u;  // 10^19
  std::string chunks[5];  // 2^256 < 10^78: at most five 19-digit chunks
  int count = 0;
  do {
    const uint64_t r = DivModLimbs(&limbs, kChunk);
    chunks[count++] = std::to_string(r);
  } while ((limbs[0] | limbs[1] | limbs[2] | limbs[3]) != 0);
  std::string out = chunks[count - 1];
  for (int i = count - 2; i >= 0; --i) {
    out.append(19 - chunks[i].size(), '0');
    out += chunks[i];
  }
  return out;
}

absl::StatusOr<Decimal> Uint256HexToDecimal(std::string_view hex, uint32_t decimals) {
  if (decimals > kMaxEvmDecimals) {
    return absl::InvalidArgumentError(
        absl::StrCat("decimals ", decimals, " is above ", kMaxEvmDecimals));
  }
  const std::string digits = Uint256HexToDecimalString(hex);
  if (digits.empty()) {
    return absl::DataLossError(
        absl::StrCat("\"", Clip(hex), "\" is not a uint256 (1 to 64 hex digits)"));
  }
  const int32_t scale = static_cast<int32_t>(decimals);
  if (digits == "0") return Decimal{0, -std::min(scale, -kMinDecimalExponent)};
  const int32_t n = static_cast<int32_t>(digits.size());
  // Fewest digits to drop: enough for the exponent to reach kMinDecimalExponent and for the
  // mantissa to have at most 19 digits; one more while the rounded mantissa exceeds int64.
  int32_t drop = std::max({0, scale + kMinDecimalExponent, n - 19});
  for (;; ++drop) {
    const int32_t exponent = drop - scale;
    if (exponent > kMaxDecimalExponent) {
      return absl::OutOfRangeError(absl::StrCat(
          "uint256 ", digits, " / 10^", decimals,
          " does not fit an int64 mantissa with an exponent of at most ", kMaxDecimalExponent));
    }
    const unsigned __int128 m = RoundDroppingDigits(digits, static_cast<size_t>(drop));
    if (m <= static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) {
      return Decimal{static_cast<int64_t>(m), exponent};
    }
  }
}

std::string DescribeRevertData(std::string_view data) {
  if (!HasHexPrefix(data) || !AllHex(data.substr(2))) {
    return absl::StrCat("revert data is not hex: ", Clip(data));
  }
  const std::string_view hex = data.substr(2);
  if (hex.empty()) return "no revert data";
  if (hex.size() < 8) return absl::StrCat("revert data ", Sv(data));
  std::string selector(hex.substr(0, 8));
  std::transform(selector.begin(), selector.end(), selector.begin(),
                 [](char c) { return static_cast<char>(c >= 'A' && c <= 'F' ? c + 32 : c); });
  const std::string_view args = hex.substr(8);
  if (selector == kErrorSelector) return DescribeErrorString(args, data);
  if (selector == kPanicSelector) {
    std::array<uint64_t, 4> limbs;
    if (args.size() != 64 || !ParseUint256Hex(args, &limbs)) {
      return absl::StrCat("Panic(uint256) with malformed data ", Clip(data));
    }
    if (limbs[0] != 0 || limbs[1] != 0 || limbs[2] != 0) {
      return absl::StrCat("panic 0x", Clip(args), " (unknown panic code)");
    }
    return absl::StrCat("panic 0x", absl::Hex(limbs[3], absl::kZeroPad2), " (",
                        Sv(PanicMeaning(limbs[3])), ")");
  }
  return absl::StrCat("custom error 0x", selector, " with ", args.size() / 2,
                      " bytes of arguments");
}

absl::StatusOr<Decimal> ParseEthCallReply(std::string_view body, uint64_t expected_id,
                                          uint32_t decimals) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element result;
  if (absl::Status s =
          internal::ParseJsonRpcReply(parser, body, expected_id, &DescribeErrorData, &result);
      !s.ok()) {
    return s;
  }
  std::string_view hex;
  if (result.get_string().get(hex) != simdjson::SUCCESS || !HasHexPrefix(hex)) {
    return absl::DataLossError(
        absl::StrCat("result is not a 0x string: ", Clip(simdjson::to_string(result))));
  }
  if (hex.size() == 2) {
    return absl::NotFoundError(
        "empty result 0x: no contract at the address (or the call returned nothing)");
  }
  if (hex.size() != 66 || !AllHex(hex.substr(2))) {
    return absl::DataLossError(
        absl::StrCat("result is not one 32-byte word (0x and 64 hex digits): ", Clip(hex)));
  }
  return Uint256HexToDecimal(hex.substr(2), decimals);
}

}  // namespace oracle::rates
