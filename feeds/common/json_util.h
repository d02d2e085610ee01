// Helpers the venue parsers share for reading simdjson on-demand values into exact decimals and
// nanosecond timestamps, whatever spelling the venue uses. All are allocation-free.
// Include only from parser .cc files: simdjson.h is large.
#ifndef ORACLE_FEEDS_COMMON_JSON_UTIL_H_
#define ORACLE_FEEDS_COMMON_JSON_UTIL_H_

#include <simdjson.h>

#include <string>
#include <string_view>

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
bool ValueText(od::value v, std::string_view* out) noexcept;

// A decimal from a JSON string ("3800.10") or number (3800.10, 9.2E-7).
bool ReadDecimal(od::value v, Decimal* out) noexcept;
bool DecimalFromText(std::string_view text, Decimal* out) noexcept;

// An unsigned integer from a JSON number or a string of digits (sequence numbers, ids).
bool ReadUint(od::value v, uint64_t* out) noexcept;
bool UintFromText(std::string_view text, uint64_t* out) noexcept;

// Timestamps. `scale_ns` is the unit's length in ns (1'000'000 for milliseconds). Accepts a JSON
// number or string, with an optional fraction ("1619093543708.2642" ms, "1618678142.557535" s).
bool ReadEpochTime(od::value v, int64_t scale_ns, TimeNs* out) noexcept;
bool EpochTimeFromText(std::string_view text, int64_t scale_ns, TimeNs* out) noexcept;

// RFC 3339 string ("2026-06-14T05:35:01.66623968Z").
bool ReadRfc3339(od::value v, TimeNs* out) noexcept;

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_JSON_UTIL_H_
