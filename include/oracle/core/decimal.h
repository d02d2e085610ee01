// Exact decimal numbers: an int64 mantissa and a base-10 exponent, value = mantissa * 10^exponent.
//
// Everything the oracle persists, publishes or compares is one of these; binary floating point
// never touches a price. Arithmetic rounds half to even at a stated exponent, in 128-bit
// intermediates, and reports overflow instead of wrapping. None of these functions allocate except
// FormatDecimal.
#ifndef ORACLE_CORE_DECIMAL_H_
#define ORACLE_CORE_DECIMAL_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace oracle {

struct Decimal {
  int64_t mantissa = 0;
  int32_t exponent = 0;

  friend bool operator==(const Decimal&, const Decimal&) = default;
};

using int128 = __int128;

// Largest and smallest exponents the oracle accepts anywhere (config, input, arithmetic).
inline constexpr int32_t kMinDecimalExponent = -18;
inline constexpr int32_t kMaxDecimalExponent = 18;

enum class DecimalParseError : uint8_t {
  kOk = 0,
  kEmpty,
  kSyntax,         // not digits with an optional sign, point and exponent
  kTooManyDigits,  // more than 18 significant digits: cannot be exact in int64
  kExponentRange,  // resulting exponent outside [kMinDecimalExponent, kMaxDecimalExponent]
};

std::string_view DecimalParseErrorName(DecimalParseError e) noexcept;

// Parses "123", "-0.0065", "1.5e-7", "1E+3". Exact: the digits become the mantissa (trailing zeros
// of the fraction are dropped so equal values parse to equal Decimals), never rounded. No
// allocation.
DecimalParseError ParseDecimal(std::string_view text, Decimal* out) noexcept;

// 10^n for 0 <= n <= 38 as a 128-bit integer.
int128 Pow10(int n) noexcept;

// Divides num by den (den != 0), rounding half to even. No allocation.
int128 DivRoundHalfEven(int128 num, int128 den) noexcept;

// Converts `value * 10^from_exponent` to a mantissa at `to_exponent`, rounding half to even when
// digits are dropped. Returns false (and leaves *out unspecified) when the result does not fit
// int64.
[[nodiscard]] bool RescaleMantissa(int128 value, int32_t from_exponent, int32_t to_exponent,
                                   int64_t* out) noexcept;

[[nodiscard]] inline bool Rescale(Decimal d, int32_t to_exponent, int64_t* out) noexcept {
  return RescaleMantissa(d.mantissa, d.exponent, to_exponent, out);
}

// a * b, both at their exponents, rounded half to even to `to_exponent`. False on overflow.
[[nodiscard]] bool MultiplyRescale(int64_t a, int32_t a_exponent, int64_t b, int32_t b_exponent,
                                   int32_t to_exponent, int64_t* out) noexcept;

// Compares two decimals exactly (-1, 0, 1).
int CompareDecimal(Decimal a, Decimal b) noexcept;

// Writes the exact value with the fewest digits: "3800.15", "-0.0065", "1500", "0".
// Returns the number of characters written; `buf` must hold at least 48 characters. No allocation.
int FormatDecimalTo(int64_t mantissa, int32_t exponent, char* buf) noexcept;
std::string FormatDecimal(int64_t mantissa, int32_t exponent);
inline std::string FormatDecimal(Decimal d) { return FormatDecimal(d.mantissa, d.exponent); }

// Removes trailing zero digits from the mantissa, raising the exponent (canonical form).
Decimal Normalize(Decimal d) noexcept;

}  // namespace oracle

#endif  // ORACLE_CORE_DECIMAL_H_
