#include "oracle/api/mark_lookup.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "oracle/core/decimal.h"

namespace oracle {
namespace {

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 64)) out.push_back((c >= 0x20 && c < 0x7f) ? c : '?');
  if (s.size() > 64) out += "...";
  return out;
}

constexpr int64_t kBasisPointsPerUnit = 10'000;

// A non-negative count of hundredths as text with the fewest digits: 1234 -> "12.34", 1200 -> "12".
std::string FormatHundredths(int128 hundredths) {
  if (hundredths <= INT64_MAX) return FormatDecimal(static_cast<int64_t>(hundredths), -2);
  std::string digits;
  for (int128 whole = hundredths / 100; whole > 0; whole /= 10) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(whole % 10)));
  }
  return digits;  // more than 9.2e16 bps: the hundredths no longer matter
}

// confidence / |price| in basis points, rounded up to 0.01 bps; "inf" for a price of 0.
std::string ConfidenceBpsText(int64_t confidence, int128 abs_price) {
  if (abs_price == 0) return "inf";
  const int128 num = static_cast<int128>(confidence) * kBasisPointsPerUnit * 100;
  return FormatHundredths((num + abs_price - 1) / abs_price);
}

ApiError ConfidenceTooWide(std::string_view name, const Mark& mark, int128 abs_price,
                           int32_t max_confidence_bps) {
  std::string bps = ConfidenceBpsText(mark.confidence, abs_price);
  return ApiError{
      .reason = ErrorReason::kConfidenceTooWide,
      .message = absl::StrCat("the mark of ", AV(name), " has a confidence of ", bps,
                              " bps of its price (", FormatDecimal(mark.price, mark.exponent),
                              " ± ", FormatDecimal(mark.confidence, mark.exponent),
                              "), wider than max_confidence_bps ", max_confidence_bps),
      .metadata = {{"instrument", std::string(name)},
                   {"confidenceBps", bps},
                   {"maxConfidenceBps", absl::StrCat(max_confidence_bps)}}};
}

}  // namespace

std::optional<ApiError> CheckMaxConfidenceBps(int32_t max_confidence_bps) {
  if (max_confidence_bps >= 0) return std::nullopt;
  return ApiError{.reason = ErrorReason::kInvalidArgument,
                  .message = absl::StrCat("max_confidence_bps: ", max_confidence_bps,
                                          " is negative; omit it (0, no limit) or give the widest "
                                          "confidence accepted, in basis points of the price"),
                  .field = "max_confidence_bps"};
}

std::optional<ApiError> CheckConfidence(std::string_view name, const Mark& mark,
                                        int32_t max_confidence_bps) {
  if (max_confidence_bps <= 0 || !mark.has_price) return std::nullopt;
  // Both at mark.exponent, so the exponent cancels: confidence / |price| * 10^4 > max.
  const int128 abs_price = mark.price < 0 ? -static_cast<int128>(mark.price) : mark.price;
  const int128 scaled_confidence = static_cast<int128>(mark.confidence) * kBasisPointsPerUnit;
  if (scaled_confidence <= static_cast<int128>(max_confidence_bps) * abs_price) return std::nullopt;
  return ConfidenceTooWide(name, mark, abs_price, max_confidence_bps);
}

MarkLookup::MarkLookup(const Config& config, const MarkTable* table)
    : config_(config), table_(table) {
  for (uint32_t i = 0; i < config.instruments.size(); ++i) index_[config.instruments[i].name] = i;
}

std::optional<ApiError> MarkLookup::Resolve(std::string_view name, uint32_t* index) const {
  if (name.empty()) {
    return ApiError{.reason = ErrorReason::kInvalidInstrumentName,
                    .message = "instrument name is empty; expected BASE-QUOTE such as \"ETH-USD\"",
                    .field = "instrument"};
  }
  auto it = index_.find(AV(name));
  if (it != index_.end()) {
    *index = it->second;
    return std::nullopt;
  }
  std::string base, quote;
  if (name.size() > 64 || !SplitPair(name, &base, &quote)) {
    return ApiError{
        .reason = ErrorReason::kInvalidInstrumentName,
        .message = absl::StrCat("instrument name \"", Printable(name),
                                "\" is not BASE-QUOTE in upper-case letters and digits"),
        .field = "instrument"};
  }
  return ApiError{.reason = ErrorReason::kInstrumentNotFound,
                  .message = absl::StrCat("no instrument \"", AV(name),
                                          "\" is configured; ListInstruments shows those that are"),
                  .metadata = {{"instrument", std::string(name)}}};
}

std::optional<ApiError> MarkLookup::Lookup(std::string_view name, DurationNs max_age_ns, TimeNs now,
                                           Mark* out) const {
  uint32_t index = 0;
  if (auto err = Resolve(name, &index)) return err;
  if (!table_->Read(index, out)) {
    return ApiError{
        .reason = ErrorReason::kMarkUnavailable,
        .message = absl::StrCat("no mark of ", AV(name), " has been published yet"),
        .metadata = {{"instrument", std::string(name)}, {"markStatus", "NOT_PUBLISHED"}}};
  }
  // A read never succeeds without a price, whatever max_age.
  if (!out->has_price) {
    return ApiError{
        .reason = ErrorReason::kMarkUnavailable,
        .message = absl::StrCat(AV(name), " has no price (status ", AV(MarkStatusName(out->status)),
                                ", ", AV(StatusReasonName(out->reason)), ")"),
        .metadata = {{"instrument", std::string(name)},
                     {"markStatus", std::string(MarkStatusName(out->status))},
                     {"statusReason", std::string(StatusReasonName(out->reason))}}};
  }
  if (max_age_ns > 0) {
    TimeNs priced_at = out->status == MarkStatus::kStale ? out->last_good_time : out->publish_time;
    DurationNs age = now - priced_at;
    if (age > max_age_ns) {
      return ApiError{
          .reason = ErrorReason::kMarkStale,
          .message = absl::StrCat("the mark of ", AV(name), " is ", FormatDurationHuman(age),
                                  " old (status ", AV(MarkStatusName(out->status)),
                                  "), more than max_age ", FormatDurationHuman(max_age_ns)),
          .metadata = {{"instrument", std::string(name)},
                       {"markStatus", std::string(MarkStatusName(out->status))},
                       {"markAgeNs", absl::StrCat(age)},
                       {"maxAgeNs", absl::StrCat(max_age_ns)}}};
    }
  }
  return std::nullopt;
}

std::optional<ApiError> MarkLookup::Read(std::string_view name, const ReadLimits& limits,
                                         TimeNs now, Mark* out) const {
  if (auto err = Lookup(name, limits.max_age_ns, now, out)) return err;
  return CheckConfidence(name, *out, limits.max_confidence_bps);
}

std::optional<ApiError> MarkLookup::ReadBatchEntry(int i, std::string_view name,
                                                   const ReadLimits& limits, TimeNs now,
                                                   Mark* out) const {
  auto err = Read(name, limits, now, out);
  if (err && !err->field.empty()) err->field = absl::StrCat("instruments[", i, "]");
  return err;
}

}  // namespace oracle
