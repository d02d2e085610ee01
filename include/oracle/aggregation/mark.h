// A published mark: the oracle's answer for one instrument at one instant, with its provenance.
//
// Fixed size and trivially copyable so it can live in a seqlock slot and be copied by readers
// without allocation. Prices are mantissas at the instrument's exponent.
#ifndef ORACLE_AGGREGATION_MARK_H_
#define ORACLE_AGGREGATION_MARK_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oracle/config/config.h"
#include "oracle/core/time.h"

namespace oracle {

// Values match oracle.v1.MarkStatus.
enum class MarkStatus : uint8_t {
  kUnspecified = 0,
  kOk = 1,
  kDegraded = 2,
  kStale = 3,
  kUnavailable = 4,
};

// Bits of Mark::flags; bit n corresponds to oracle.v1.MarkFlag value n + 1.
enum MarkFlag : uint32_t {
  kFlagOutliersPresent = 1u << 0,
  kFlagJumpUnconfirmed = 1u << 1,
  kFlagQuoteConverted = 1u << 2,
  kFlagConversionDegraded = 1u << 3,
  kFlagEarlyPublish = 1u << 4,
};
inline constexpr int kNumMarkFlags = 5;

// Values match oracle.v1.ExclusionReason.
enum class Exclusion : uint8_t {
  kUnspecified = 0,
  kNone = 1,
  kNoData = 2,
  kStale = 3,
  kSpreadTooWide = 4,
  kConversionUnavailable = 5,
  kRedemptionPriced = 6,
};

enum class StatusReason : uint8_t {
  kNone = 0,
  kQuorumMet,
  kBelowQuorum,
  kNoFreshVenues,
  kNoDataYet,
  kRedemptionPricingUnavailable,
};

struct SourceContribution {
  int64_t price = 0;         // venue TWAP converted into the instrument's quote
  int64_t native_price = 0;  // venue TWAP in the pair's quote (same exponent)
  int64_t age_ns = -1;       // age of the venue's newest input; -1 if it never sent one
  uint32_t weight_ppm = 0;   // share of the total weight, parts per million; 0 if excluded
  int32_t deviation_bps = 0;
  Exclusion exclusion = Exclusion::kNoData;
  bool outlier = false;
  bool converted = false;
  bool has_price = false;
};

struct Mark {
  uint32_t instrument = 0;
  int32_t exponent = 0;
  int64_t price = 0;
  int64_t confidence = 0;
  TimeNs publish_time = 0;
  TimeNs last_good_time = 0;
  uint64_t sequence = 0;
  uint32_t flags = 0;
  MarkStatus status = MarkStatus::kUnspecified;
  StatusReason reason = StatusReason::kNone;
  bool has_price = false;
  uint8_t venues_used = 0;
  uint8_t venues_required = 0;
  uint8_t num_sources = 0;
  SourceContribution sources[kMaxSourcesPerInstrument];

  // Bytes that carry information: the header and the used part of `sources`.
  size_t UsedBytes() const noexcept {
    return offsetof(Mark, sources) + sizeof(SourceContribution) * num_sources;
  }
};

std::string_view MarkStatusName(MarkStatus s) noexcept;      // "OK", "DEGRADED", ...
std::string_view StatusReasonName(StatusReason r) noexcept;  // "QUORUM_MET", ...
std::string_view ExclusionName(Exclusion e) noexcept;        // "STALE", ...
std::string_view MarkFlagName(int bit) noexcept;             // "OUTLIERS_PRESENT", ...

}  // namespace oracle

#endif  // ORACLE_AGGREGATION_MARK_H_
