#include "oracle/api/mark_lookup.h"

#include "absl/strings/str_cat.h"

namespace oracle {
namespace {

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 64)) out.push_back((c >= 0x20 && c < 0x7f) ? c : '?');
  if (s.size() > 64) out += "...";
  return out;
}

}  // namespace

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

}  // namespace oracle
