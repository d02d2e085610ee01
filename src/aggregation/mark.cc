#include "oracle/aggregation/mark.h"

namespace oracle {

std::string_view MarkStatusName(MarkStatus s) noexcept {
  switch (s) {
    case MarkStatus::kOk:
      return "OK";
    case MarkStatus::kDegraded:
      return "DEGRADED";
    case MarkStatus::kStale:
      return "STALE";
    case MarkStatus::kUnavailable:
      return "UNAVAILABLE";
    case MarkStatus::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view StatusReasonName(StatusReason r) noexcept {
  switch (r) {
    case StatusReason::kQuorumMet:
      return "QUORUM_MET";
    case StatusReason::kBelowQuorum:
      return "BELOW_QUORUM";
    case StatusReason::kNoFreshVenues:
      return "NO_FRESH_VENUES";
    case StatusReason::kNoDataYet:
      return "NO_DATA_YET";
    case StatusReason::kRedemptionPricingUnavailable:
      return "REDEMPTION_PRICING_UNAVAILABLE";
    case StatusReason::kRedemptionValue:
      return "REDEMPTION_VALUE";
    case StatusReason::kDepegFollowingMarket:
      return "DEPEG_FOLLOWING_MARKET";
    case StatusReason::kRedemptionUnavailableMarket:
      return "REDEMPTION_UNAVAILABLE_FOLLOWING_MARKET";
    case StatusReason::kLowerOfTwo:
      return "LOWER_OF_REDEMPTION_AND_MARKET";
    case StatusReason::kMarketPolicy:
      return "MARKET_POLICY";
    case StatusReason::kNone:
      break;
  }
  return "";
}

std::string_view ExclusionName(Exclusion e) noexcept {
  switch (e) {
    case Exclusion::kNone:
      return "NONE";
    case Exclusion::kNoData:
      return "NO_DATA";
    case Exclusion::kStale:
      return "STALE";
    case Exclusion::kSpreadTooWide:
      return "SPREAD_TOO_WIDE";
    case Exclusion::kConversionUnavailable:
      return "CONVERSION_UNAVAILABLE";
    case Exclusion::kRedemptionPriced:
      return "REDEMPTION_PRICED";
    case Exclusion::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

std::string_view MarkFlagName(int bit) noexcept {
  switch (bit) {
    case 0:
      return "OUTLIERS_PRESENT";
    case 1:
      return "JUMP_UNCONFIRMED";
    case 2:
      return "QUOTE_CONVERTED";
    case 3:
      return "CONVERSION_DEGRADED";
    case 4:
      return "EARLY_PUBLISH";
    case 5:
      return "RATIO_CAPPED";
    case 6:
      return "RATIO_DECREASED";
    case 7:
      return "DEPEG";
    case 8:
      return "CLOCK_STEP";
    case 9:
      return "SIGNING_FAILED";
    default:
      return "UNKNOWN";
  }
}

std::string_view RedemptionChoiceName(RedemptionChoice c) noexcept {
  switch (c) {
    case RedemptionChoice::kRedemption:
      return "REDEMPTION";
    case RedemptionChoice::kMarket:
      return "MARKET";
    case RedemptionChoice::kNone:
      break;
  }
  return "NONE";
}

}  // namespace oracle
