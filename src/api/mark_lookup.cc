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
    return ApiError{ErrorReason::kInvalidInstrumentName,
                    "instrument name is empty; expected BASE-QUOTE such as \"ETH-USD\""};
  }
  auto it = index_.find(AV(name));
  if (it != index_.end()) {
    *index = it->second;
    return std::nullopt;
  }
  std::string base, quote;
  if (name.size() > 64 || !SplitPair(name, &base, &quote)) {
    return ApiError{ErrorReason::kInvalidInstrumentName,
                    absl::StrCat("instrument name \"", Printable(name),
                                 "\" is not BASE-QUOTE in upper-case letters and digits")};
  }
  return ApiError{ErrorReason::kInstrumentNotFound,
                  absl::StrCat("no instrument \"", AV(name),
                               "\" is configured; ListInstruments shows those that are")};
}

std::optional<ApiError> MarkLookup::Lookup(std::string_view name, DurationNs max_age_ns, TimeNs now,
                                           Mark* out) const {
  uint32_t index = 0;
  if (auto err = Resolve(name, &index)) return err;
  if (!table_->Read(index, out)) {
    return ApiError{ErrorReason::kMarkUnavailable,
                    absl::StrCat("no mark of ", AV(name), " has been published yet")};
  }
  if (max_age_ns > 0) {
    if (!out->has_price) {
      return ApiError{
          ErrorReason::kMarkUnavailable,
          absl::StrCat(AV(name), " has no price (status ", AV(MarkStatusName(out->status)), ", ",
                       AV(StatusReasonName(out->reason)), ")")};
    }
    TimeNs priced_at = out->status == MarkStatus::kStale ? out->last_good_time : out->publish_time;
    DurationNs age = now - priced_at;
    if (age > max_age_ns) {
      return ApiError{ErrorReason::kMarkStale,
                      absl::StrCat("the mark of ", AV(name), " is ", FormatDurationHuman(age),
                                   " old (status ", AV(MarkStatusName(out->status)),
                                   "), more than max_age ", FormatDurationHuman(max_age_ns))};
    }
  }
  return std::nullopt;
}

}  // namespace oracle
