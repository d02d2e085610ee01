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
  kFlagRatioCapped = 1u << 5,     // the redemption ratio was above its growth cap (CAPO)
  kFlagRatioDecreased = 1u << 6,  // the ratio fell within the last day (slashing): passed through
  kFlagDepeg = 1u << 7,           // a broad, persistent market discount: DEPEG declared
  kFlagClockStep = 1u << 8,       // the server's wall clock stepped within the input window
  kFlagSigningFailed = 1u << 9,   // served or stored without the signature it should carry
};
inline constexpr int kNumMarkFlags = 10;

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
  kRedemptionPricingUnavailable,  // no redemption value and no market aggregate (yet)
  kRedemptionValue,               // following the redemption value (underlying's quorum)
  kDepegFollowingMarket,          // DEPEG declared: following the market aggregate
  kRedemptionUnavailableMarket,   // no fresh ratio or underlying: following the market
  kLowerOfTwo,                    // LOWER_OF policy: the lower of redemption value and market
  kMarketPolicy,                  // MARKET_ONLY policy
};

// Why a redemption-priced mark has the price it has (oracle.v1.RedemptionChoice).
enum class RedemptionChoice : uint8_t {
  kNone = 0,
  kRedemption = 1,  // the redemption value
  kMarket = 2,      // the market aggregate
};

// The redemption side of a redemption-priced instrument's mark: both values, the ratio with its
// source and age, the policy and the reason for the choice.
struct RedemptionInfo {
  bool present = false;         // the instrument is redemption-priced
  bool has_redemption = false;  // redemption value available (fresh ratio, usable underlying)
  bool has_market = false;      // at least one fresh venue of the wrapped asset itself
  bool has_ratio = false;       // a ratio was ever accepted (shown even when too old)
  bool depeg = false;
  RedemptionPolicy policy = RedemptionPolicy::kRedemptionUnlessDepeg;
  RedemptionChoice choice = RedemptionChoice::kNone;
  MarkStatus market_status = MarkStatus::kUnspecified;
  MarkStatus underlying_status = MarkStatus::kUnspecified;
  uint8_t market_venues = 0;    // venues in the market aggregate
  uint8_t discount_venues = 0;  // venues further than depeg_threshold_bps below redemption
  uint8_t ratio_sources = 0;    // fresh rate sources in the ratio's median
  int8_t ratio_exponent = 0;
  uint32_t ratio_source = 0;  // Config::rate_providers index of the median's source
  int64_t redemption_price = 0;
  int64_t redemption_confidence = 0;
  int64_t market_price = 0;
  int64_t market_confidence = 0;
  int64_t ratio = 0;          // mantissa; the ratio used (after the cap)
  int64_t raw_ratio = 0;      // mantissa at ratio_exponent; the median before the cap
  TimeNs ratio_time = 0;      // provider time of the newest ratio in the median
  TimeNs discount_since = 0;  // start of the current broad discount; 0 if none
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
  RedemptionInfo redemption;
  SourceContribution sources[kMaxSourcesPerInstrument];

  // Bytes that carry information: the header and the used part of `sources`.
  size_t UsedBytes() const noexcept {
    return offsetof(Mark, sources) + sizeof(SourceContribution) * num_sources;
  }
};

std::string_view MarkStatusName(MarkStatus s) noexcept;              // "OK", "DEGRADED", ...
std::string_view StatusReasonName(StatusReason r) noexcept;          // "QUORUM_MET", ...
std::string_view ExclusionName(Exclusion e) noexcept;                // "STALE", ...
std::string_view MarkFlagName(int bit) noexcept;                     // "OUTLIERS_PRESENT", ...
std::string_view RedemptionChoiceName(RedemptionChoice c) noexcept;  // "REDEMPTION", "MARKET"

}  // namespace oracle

#endif  // ORACLE_AGGREGATION_MARK_H_
