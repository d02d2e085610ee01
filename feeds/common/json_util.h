// Helpers the venue parsers share for reading simdjson on-demand values into exact decimals and
// nanosecond timestamps, whatever spelling the venue uses. All are allocation-free.
// Include only from parser .cc files: simdjson.h is large.
#ifndef ORACLE_FEEDS_COMMON_JSON_UTIL_H_
#define ORACLE_FEEDS_COMMON_JSON_UTIL_H_

#include <simdjson.h>

#include <string>
#include <string_view>
#include <utility>

#include "feeds/common/frame.h"
#include "oracle/core/decimal.h"
#include "oracle/core/time.h"

namespace oracle::feeds {

namespace od = simdjson::ondemand;

// Holds a frame with the padding simdjson needs; grows once to the largest frame seen.
class PaddedFrame {
 public:
  simdjson::padded_string_view Load(std::string_view frame) {
    if (buffer_.size() < frame.size() + simdjson::SIMDJSON_PADDING) {
      buffer_.resize(frame.size() + simdjson::SIMDJSON_PADDING);
    }
    std::memcpy(buffer_.data(), frame.data(), frame.size());
    return simdjson::padded_string_view(buffer_.data(), frame.size(), buffer_.size());
  }

 private:
  std::string buffer_;
};

// The text of a JSON string or number (a number's literal text, so it stays exact).
[[nodiscard]] bool ValueText(od::value v, std::string_view* out) noexcept;

// A decimal from a JSON string ("3800.10") or number (3800.10, 9.2E-7).
[[nodiscard]] bool ReadDecimal(od::value v, Decimal* out) noexcept;
[[nodiscard]] bool DecimalFromText(std::string_view text, Decimal* out) noexcept;

// An unsigned integer from a JSON number or a string of digits (sequence numbers, ids).
[[nodiscard]] bool ReadUint(od::value v, uint64_t* out) noexcept;
[[nodiscard]] bool UintFromText(std::string_view text, uint64_t* out) noexcept;

// Timestamps. `scale_ns` is the unit's length in ns (1'000'000 for milliseconds). Accepts a JSON
// number or string, with an optional fraction ("1619093543708.2642" ms, "1618678142.557535" s).
[[nodiscard]] bool ReadEpochTime(od::value v, int64_t scale_ns, TimeNs* out) noexcept;
[[nodiscard]] bool EpochTimeFromText(std::string_view text, int64_t scale_ns, TimeNs* out) noexcept;

// RFC 3339 string ("2026-06-14T05:35:01.66623968Z").
[[nodiscard]] bool ReadRfc3339(od::value v, TimeNs* out) noexcept;

// RFC 3339 text; refuses years after 2261, for which ParseRfc3339 overflows int64 nanoseconds.
[[nodiscard]] bool Rfc3339Time(std::string_view text, TimeNs* t) noexcept;

// Calls f(key, value) per field of `obj` in document order; false on bad JSON or when f is false.
template <typename F>
bool ForEachField(od::object obj, F&& f) noexcept {
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    if (!f(key, field.value())) return false;
  }
  return true;
}

// Calls f(value) per element of `arr`; false on malformed JSON or when f returns false.
template <typename F>
bool ForEachElement(od::array arr, F&& f) noexcept {
  for (auto element_result : arr) {
    od::value v;
    if (std::move(element_result).get(v) != simdjson::SUCCESS) return false;
    if (!f(v)) return false;
  }
  return true;
}

// The text of a string or number (a number's literal text: exact); empty for anything else.
inline std::string_view Text(od::value v) noexcept {
  std::string_view s;
  return ValueText(v, &s) ? s : std::string_view();
}

// The text of a string; empty for anything else.
inline std::string_view Str(od::value v) noexcept {
  std::string_view s;
  return v.get_string().get(s) == simdjson::SUCCESS ? s : std::string_view();
}

// A string's or number's text into *out (other types leave it as is); false on bad JSON/escapes.
bool OptionalText(od::value v, std::string_view* out) noexcept;

// As OptionalText, but a string with bad escapes also leaves *out as is and gives true.
bool OptionalTextLenient(od::value v, std::string_view* out) noexcept;

// The first level's price of a book side [[price, size, ...], ...]; an empty side leaves *price.
bool FirstArrayLevelPrice(od::value side, std::string_view* price) noexcept;

// A ParseResult of kind kUnparseable that says why.
inline ParseResult Unparseable(std::string_view why) noexcept {
  ParseResult r;
  r.kind = FrameKind::kUnparseable;
  r.detail = why;
  return r;
}

// Says why in r->detail and returns false.
inline bool Fail(ParseResult* r, std::string_view why) noexcept {
  r->detail = why;
  return false;
}

// Drops the ticks added after the buffer held `size` ticks.
inline void Rollback(TickBuffer* out, size_t size) noexcept {
  while (out->size() > size) out->PopBack();
}

// A decimal above zero.
inline bool Positive(const Decimal& d) noexcept { return d.mantissa > 0; }

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_JSON_UTIL_H_
