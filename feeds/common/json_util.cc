#include "feeds/common/json_util.h"

namespace oracle::feeds {

bool ValueText(od::value v, std::string_view* out) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::string) {
    // Unescapes into the parser's own string buffer: no allocation.
    return v.get_string().get(*out) == simdjson::SUCCESS;
  }
  if (t == od::json_type::number) {
    std::string_view raw = v.raw_json_token();
    while (!raw.empty() &&
           (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
      raw.remove_suffix(1);
    }
    *out = raw;
    return !raw.empty();
  }
  return false;
}

bool DecimalFromText(std::string_view text, Decimal* out) noexcept {
  return ParseDecimal(text, out) == DecimalParseError::kOk;
}

bool ReadDecimal(od::value v, Decimal* out) noexcept {
  std::string_view text;
  return ValueText(v, &text) && DecimalFromText(text, out);
}

bool ReadUint(od::value v, uint64_t* out) noexcept {
  std::string_view text;
  return ValueText(v, &text) && UintFromText(text, out);
}

bool UintFromText(std::string_view text, uint64_t* out) noexcept {
  if (text.empty() || text.size() > 20) return false;
  uint64_t r = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    uint64_t next = r * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != r) return false;  // overflow
    r = next;
  }
  *out = r;
  return true;
}

bool EpochTimeFromText(std::string_view text, int64_t scale_ns, TimeNs* out) noexcept {
  Decimal d;
  if (!DecimalFromText(text, &d) || d.mantissa < 0) return false;
  // value * scale_ns nanoseconds, exactly (rounded to the nanosecond).
  int64_t ns;
  if (!MultiplyRescale(d.mantissa, d.exponent, scale_ns, 0, 0, &ns)) return false;
  *out = ns;
  return true;
}

bool ReadEpochTime(od::value v, int64_t scale_ns, TimeNs* out) noexcept {
  std::string_view text;
  return ValueText(v, &text) && EpochTimeFromText(text, scale_ns, out);
}

bool ReadRfc3339(od::value v, TimeNs* out) noexcept {
  std::string_view text;
  if (v.get_string().get(text) != simdjson::SUCCESS) return false;
  return ParseRfc3339(text, out);
}

bool Rfc3339Time(std::string_view text, TimeNs* t) noexcept {
  if (text.size() >= 4 && text.substr(0, 4) > "2261") return false;
  return ParseRfc3339(text, t);
}

bool OptionalText(od::value v, std::string_view* out) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::string || t == od::json_type::number) return ValueText(v, out);
  return true;
}

bool OptionalTextLenient(od::value v, std::string_view* out) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::string || t == od::json_type::number) (void)ValueText(v, out);
  return true;
}

bool FirstArrayLevelPrice(od::value side, std::string_view* price) noexcept {
  od::array levels;
  if (side.get_array().get(levels) != simdjson::SUCCESS) return false;
  for (auto level_result : levels) {
    od::array level;
    if (level_result.get_array().get(level) != simdjson::SUCCESS) return false;
    for (auto item_result : level) {
      od::value item;
      if (item_result.get(item) != simdjson::SUCCESS) return false;
      return ValueText(item, price);  // the rest of the side is skipped by the caller's iteration
    }
    return false;  // an empty level
  }
  return true;
}

}  // namespace oracle::feeds
