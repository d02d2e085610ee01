#include "oracle/core/decimal.h"

#include <array>
#include <limits>

namespace oracle {
namespace {

constexpr std::array<int128, 39> MakePow10Table() {
  std::array<int128, 39> t{};
  int128 v = 1;
  for (int i = 0; i <= 38; ++i) {
    t[i] = v;
    if (i < 38) v *= 10;
  }
  return t;
}
constexpr std::array<int128, 39> kPow10 = MakePow10Table();

constexpr int128 kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int128 kInt64Min = std::numeric_limits<int64_t>::min();

}  // namespace

std::string_view DecimalParseErrorName(DecimalParseError e) noexcept {
  switch (e) {
    case DecimalParseError::kOk:
      return "ok";
    case DecimalParseError::kEmpty:
      return "empty";
    case DecimalParseError::kSyntax:
      return "not a decimal number";
    case DecimalParseError::kTooManyDigits:
      return "more than 18 significant digits";
    case DecimalParseError::kExponentRange:
      return "exponent out of range";
  }
  return "unknown";
}

int128 Pow10(int n) noexcept { return kPow10[static_cast<size_t>(n)]; }

int128 DivRoundHalfEven(int128 num, int128 den) noexcept {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  int128 q = num / den;  // truncates toward zero
  int128 r = num % den;  // same sign as num
  if (r == 0) return q;
  int128 twice = (r < 0 ? -r : r) * 2;
  bool away = twice > den || (twice == den && (q % 2 != 0));
  if (away) q += (num < 0) ? -1 : 1;
  return q;
}

bool RescaleMantissa(int128 value, int32_t from_exponent, int32_t to_exponent,
                     int64_t* out) noexcept {
  int32_t shift = from_exponent - to_exponent;
  int128 r;
  if (shift == 0) {
    r = value;
  } else if (shift > 0) {
    if (shift > 38) return value == 0 ? (*out = 0, true) : false;
    int128 p = kPow10[shift];
    // Overflow check before multiplying: |value| * p must stay within int64 anyway.
    if (value > kInt64Max / p || value < kInt64Min / p) return false;
    r = value * p;
  } else {
    int32_t drop = -shift;
    if (drop > 38) {
      r = 0;
    } else {
      r = DivRoundHalfEven(value, kPow10[drop]);
    }
  }
  if (r > kInt64Max || r < kInt64Min) return false;
  *out = static_cast<int64_t>(r);
  return true;
}

bool MultiplyRescale(int64_t a, int32_t a_exponent, int64_t b, int32_t b_exponent,
                     int32_t to_exponent, int64_t* out) noexcept {
  int128 product = static_cast<int128>(a) * static_cast<int128>(b);  // |product| < 2^126
  return RescaleMantissa(product, a_exponent + b_exponent, to_exponent, out);
}

DecimalParseError ParseDecimal(std::string_view s, Decimal* out) noexcept {
  if (s.empty()) return DecimalParseError::kEmpty;
  size_t i = 0;
  bool negative = false;
  if (s[i] == '+' || s[i] == '-') {
    negative = s[i] == '-';
    ++i;
  }
  // Zeros after the first significant digit are held back until a non-zero digit follows, so
  // trailing zeros never count against the 18 significant digits an int64 can hold exactly.
  uint64_t mantissa = 0;
  int significant = 0;
  int64_t exp = 0;
  int pending_zeros = 0;
  int any_digits = 0;
  bool seen_point = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      ++any_digits;
      if (seen_point) --exp;
      if (c == '0') {
        if (mantissa != 0) ++pending_zeros;
        continue;
      }
      if (significant + pending_zeros + 1 > 18) return DecimalParseError::kTooManyDigits;
      for (; pending_zeros > 0; --pending_zeros) {
        mantissa *= 10;
        ++significant;
      }
      mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
      ++significant;
    } else if (c == '.') {
      if (seen_point) return DecimalParseError::kSyntax;
      seen_point = true;
    } else if ((c == 'e' || c == 'E') && any_digits > 0) {
      break;
    } else {
      return DecimalParseError::kSyntax;
    }
  }
  if (any_digits == 0) return DecimalParseError::kSyntax;
  // Every digit read after the point lowered exp by one; held-back zeros were not appended, so
  // the exponent rises by their count (they are zeros at the low end of the number).
  exp += pending_zeros;
  if (i < s.size()) {  // exponent part
    ++i;
    if (i >= s.size()) return DecimalParseError::kSyntax;
    bool exp_negative = false;
    if (s[i] == '+' || s[i] == '-') {
      exp_negative = s[i] == '-';
      ++i;
    }
    if (i >= s.size()) return DecimalParseError::kSyntax;
    int64_t e = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c < '0' || c > '9') return DecimalParseError::kSyntax;
      e = e * 10 + (c - '0');
      if (e > 1000) return DecimalParseError::kExponentRange;
    }
    exp += exp_negative ? -e : e;
  }
  int64_t m = static_cast<int64_t>(mantissa);
  if (m == 0) {
    *out = Decimal{0, 0};
    return DecimalParseError::kOk;
  }
  while (m % 10 == 0) {
    m /= 10;
    ++exp;
  }
  // Bring a too-large exponent down by scaling the mantissa while it still fits.
  while (exp > kMaxDecimalExponent && m < std::numeric_limits<int64_t>::max() / 10) {
    m *= 10;
    --exp;
  }
  if (exp < kMinDecimalExponent || exp > kMaxDecimalExponent) {
    return DecimalParseError::kExponentRange;
  }
  *out = Decimal{negative ? -m : m, static_cast<int32_t>(exp)};
  return DecimalParseError::kOk;
}

int CompareDecimal(Decimal a, Decimal b) noexcept {
  // Compare a.m * 10^(a.e - e) with b.m * 10^(b.e - e) at e = min exponent, in 128 bits. The
  // difference of exponents is at most 36, so |m| * 10^36 < 2^63 * 2^120 may overflow int128;
  // compare signs first, then fall back to exact long comparison by scaling the smaller shift.
  if ((a.mantissa < 0) != (b.mantissa < 0)) return a.mantissa < 0 ? -1 : 1;
  int32_t e = a.exponent < b.exponent ? a.exponent : b.exponent;
  int32_t sa = a.exponent - e;
  int32_t sb = b.exponent - e;
  if (sa > 19 || sb > 19) {
    // One side has at least 19 more decimal places of scale; with 18-digit mantissas the
    // magnitude decides unless the other mantissa is zero.
    if (a.mantissa == 0 || b.mantissa == 0) {
      return (a.mantissa > b.mantissa) - (a.mantissa < b.mantissa);
    }
    bool a_bigger_mag = sa > sb;
    int sign = a.mantissa < 0 ? -1 : 1;
    return a_bigger_mag ? sign : -sign;
  }
  int128 x = static_cast<int128>(a.mantissa) * kPow10[sa];
  int128 y = static_cast<int128>(b.mantissa) * kPow10[sb];
  return (x > y) - (x < y);
}

Decimal Normalize(Decimal d) noexcept {
  if (d.mantissa == 0) return Decimal{0, 0};
  while (d.mantissa % 10 == 0 && d.exponent < kMaxDecimalExponent) {
    d.mantissa /= 10;
    ++d.exponent;
  }
  return d;
}

int FormatDecimalTo(int64_t mantissa, int32_t exponent, char* buf) noexcept {
  Decimal d = Normalize(Decimal{mantissa, exponent});
  char digits[24];
  int n = 0;
  uint64_t mag = d.mantissa < 0 ? static_cast<uint64_t>(-(d.mantissa + 1)) + 1
                                : static_cast<uint64_t>(d.mantissa);
  do {
    digits[n++] = static_cast<char>('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  // digits[] holds the mantissa reversed.
  int pos = 0;
  if (d.mantissa < 0) buf[pos++] = '-';
  if (d.exponent >= 0) {
    for (int k = n - 1; k >= 0; --k) buf[pos++] = digits[k];
    for (int k = 0; k < d.exponent; ++k) buf[pos++] = '0';
  } else {
    int frac = -d.exponent;
    if (n <= frac) {
      buf[pos++] = '0';
      buf[pos++] = '.';
      for (int k = 0; k < frac - n; ++k) buf[pos++] = '0';
      for (int k = n - 1; k >= 0; --k) buf[pos++] = digits[k];
    } else {
      for (int k = n - 1; k >= frac; --k) buf[pos++] = digits[k];
      buf[pos++] = '.';
      for (int k = frac - 1; k >= 0; --k) buf[pos++] = digits[k];
    }
  }
  buf[pos] = '\0';
  return pos;
}

std::string FormatDecimal(int64_t mantissa, int32_t exponent) {
  char buf[64];
  int n = FormatDecimalTo(mantissa, exponent, buf);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace oracle
