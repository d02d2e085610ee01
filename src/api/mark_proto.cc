#include "oracle/api/mark_proto.h"

namespace oracle {

void FillTimestamp(TimeNs t, google::protobuf::Timestamp* out) {
  int64_t s = t / kNanosPerSecond;
  int64_t n = t % kNanosPerSecond;
  if (n < 0) {
    n += kNanosPerSecond;
    --s;
  }
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(n));
}

void FillDuration(DurationNs d, google::protobuf::Duration* out) {
  out->set_seconds(d / kNanosPerSecond);
  out->set_nanos(static_cast<int32_t>(d % kNanosPerSecond));
}

DurationNs DurationFromProto(const google::protobuf::Duration& d) {
  // Clamp absurd values instead of overflowing: ~292 years is the int64 limit.
  if (d.seconds() > 9'000'000'000LL) return INT64_MAX;
  if (d.seconds() < -9'000'000'000LL) return INT64_MIN;
  return d.seconds() * kNanosPerSecond + d.nanos();
}

namespace {

void SetDecimal(int64_t mantissa, int32_t exponent, v1::Decimal* out) {
  out->set_mantissa(mantissa);
  out->set_exponent(exponent);
}

// The config's policy numbers are the proto's (config.proto RedemptionPolicy).
v1::RedemptionPolicy PolicyProto(RedemptionPolicy p) {
  static_assert(static_cast<int>(RedemptionPolicy::kRedemptionUnlessDepeg) ==
                v1::REDEMPTION_POLICY_REDEMPTION_UNLESS_DEPEG);
  static_assert(static_cast<int>(RedemptionPolicy::kLowerOf) == v1::REDEMPTION_POLICY_LOWER_OF);
  static_assert(static_cast<int>(RedemptionPolicy::kRedemptionOnly) ==
                v1::REDEMPTION_POLICY_REDEMPTION_ONLY);
  static_assert(static_cast<int>(RedemptionPolicy::kMarketOnly) ==
                v1::REDEMPTION_POLICY_MARKET_ONLY);
  return static_cast<v1::RedemptionPolicy>(p);
}

void FillRedemption(const Config& config, const Mark& mark, v1::RedemptionDetail* out) {
  const InstrumentSpec& spec = config.instruments[mark.instrument];
  const RedemptionInfo& r = mark.redemption;
  out->set_policy(PolicyProto(r.policy));
  out->set_choice(r.choice == RedemptionChoice::kRedemption ? v1::REDEMPTION_CHOICE_REDEMPTION
                  : r.choice == RedemptionChoice::kMarket   ? v1::REDEMPTION_CHOICE_MARKET
                                                            : v1::REDEMPTION_CHOICE_NONE);
  if (r.has_redemption) {
    SetDecimal(r.redemption_price, mark.exponent, out->mutable_redemption_price());
    SetDecimal(r.redemption_confidence, mark.exponent, out->mutable_redemption_confidence());
  }
  if (r.has_market) {
    SetDecimal(r.market_price, mark.exponent, out->mutable_market_price());
    SetDecimal(r.market_confidence, mark.exponent, out->mutable_market_confidence());
    out->set_market_status(static_cast<v1::MarkStatus>(r.market_status));
  }
  out->set_market_venue_count(r.market_venues);
  out->set_underlying(spec.redemption_underlying);
  out->set_underlying_status(static_cast<v1::MarkStatus>(r.underlying_status));
  out->set_ratio_pair(spec.redemption_ratio_pair);
  if (r.has_ratio) {
    SetDecimal(r.ratio, r.ratio_exponent, out->mutable_ratio());
    SetDecimal(r.raw_ratio, r.ratio_exponent, out->mutable_raw_ratio());
    if (r.ratio_source < config.rate_providers.size()) {
      out->set_ratio_source(config.rate_providers[r.ratio_source].name);
    }
    FillTimestamp(r.ratio_time, out->mutable_ratio_time());
    FillDuration(mark.publish_time - r.ratio_time, out->mutable_ratio_age());
  }
  out->set_ratio_source_count(r.ratio_sources);
  out->set_discount_venue_count(r.discount_venues);
  if (r.discount_since != 0) FillTimestamp(r.discount_since, out->mutable_discount_start_time());
  out->set_depeg(r.depeg);
}

}  // namespace

void FillMarkProto(const Config& config, const Mark& mark, bool full, v1::Mark* out) {
  const InstrumentSpec& spec = config.instruments[mark.instrument];
  out->set_instrument(spec.name);
  if (mark.has_price) {
    out->mutable_price()->set_mantissa(mark.price);
    out->mutable_price()->set_exponent(mark.exponent);
    out->mutable_confidence()->set_mantissa(mark.confidence);
    out->mutable_confidence()->set_exponent(mark.exponent);
  }
  FillTimestamp(mark.publish_time, out->mutable_publish_time());
  out->set_sequence(mark.sequence);
  out->set_status(static_cast<v1::MarkStatus>(mark.status));
  for (int bit = 0; bit < kNumMarkFlags; ++bit) {
    if (mark.flags & (1u << bit)) out->add_flags(static_cast<v1::MarkFlag>(bit + 1));
  }
  out->set_used_venue_count(mark.venues_used);
  out->set_required_venue_count(mark.venues_required);
  std::string_view reason = StatusReasonName(mark.reason);
  out->set_status_reason(reason.data(), reason.size());
  if (mark.last_good_time != 0) FillTimestamp(mark.last_good_time, out->mutable_last_good_time());
  if (mark.redemption.present) FillRedemption(config, mark, out->mutable_redemption());
  if (!full) return;
  for (int j = 0; j < mark.num_sources && j < static_cast<int>(spec.sources.size()); ++j) {
    const SourceContribution& c = mark.sources[j];
    const SourceSpec& src = spec.sources[static_cast<size_t>(j)];
    v1::VenueContribution* vc = out->add_sources();
    vc->set_venue(src.venue);
    vc->set_pair(src.pair);
    if (c.has_price) {
      vc->mutable_price()->set_mantissa(c.price);
      vc->mutable_price()->set_exponent(mark.exponent);
    }
    if (c.has_price || c.native_price != 0) {
      vc->mutable_native_price()->set_mantissa(c.native_price);
      vc->mutable_native_price()->set_exponent(mark.exponent);
    }
    vc->mutable_weight()->set_mantissa(c.weight_ppm);
    vc->mutable_weight()->set_exponent(-6);
    if (c.age_ns >= 0) FillDuration(c.age_ns, vc->mutable_age());
    vc->set_exclusion(static_cast<v1::ExclusionReason>(c.exclusion));
    vc->set_outlier(c.outlier);
    vc->set_deviation_bps(c.deviation_bps);
    if (c.converted || !src.convert_via.empty()) vc->set_converted_via(src.convert_via);
  }
}

void FillInstrumentProto(const Config& config, const InstrumentSpec& spec, v1::Instrument* out) {
  out->set_name(spec.name);
  out->set_base(spec.base);
  out->set_quote(spec.quote);
  out->set_price_exponent(spec.price_exponent);
  out->set_pricing(spec.redemption_priced ? v1::PRICING_METHOD_REDEMPTION
                                          : v1::PRICING_METHOD_MARKET);
  const MethodologyParams& m = spec.methodology;
  v1::Methodology* pm = out->mutable_methodology();
  FillDuration(m.twap_window_ns, pm->mutable_twap_window());
  FillDuration(m.twap_bucket_ns, pm->mutable_twap_bucket());
  FillDuration(m.quote_max_age_ns, pm->mutable_quote_max_age());
  FillDuration(m.trade_max_age_ns, pm->mutable_trade_max_age());
  FillDuration(m.max_future_ns, pm->mutable_max_future());
  pm->set_min_venue_count(m.min_venues);
  pm->set_weight_cap_bps(m.weight_cap_bps);
  pm->set_outlier_threshold_bps(m.outlier_threshold_bps);
  pm->set_jump_limit_bps(m.jump_limit_bps);
  pm->set_max_spread_bps(m.max_spread_bps);
  pm->set_publish_deviation_bps(m.publish_deviation_bps);
  FillDuration(config.publish_interval_ns, pm->mutable_publish_interval());
  FillDuration(m.jump_lookback_ns, pm->mutable_jump_lookback());
  for (const SourceSpec& s : spec.sources) {
    v1::Source* ps = out->add_sources();
    ps->set_venue(s.venue);
    ps->set_pair(s.pair);
    ps->set_venue_symbol(s.venue_symbol);
    ps->set_weight(s.weight);
    ps->set_convert_via(s.convert_via);
  }
  if (spec.redemption_priced) {
    out->set_redemption_underlying(spec.redemption_underlying);
    out->set_redemption_ratio_pair(spec.redemption_ratio_pair);
    const RedemptionSpec& r = spec.redemption;
    v1::RedemptionSettings* pr = out->mutable_redemption();
    pr->set_policy(PolicyProto(r.policy));
    SetDecimal(r.min_ratio.mantissa, r.min_ratio.exponent, pr->mutable_min_ratio());
    SetDecimal(r.max_ratio.mantissa, r.max_ratio.exponent, pr->mutable_max_ratio());
    if (r.has_snapshot) {
      SetDecimal(r.snapshot_ratio.mantissa, r.snapshot_ratio.exponent,
                 pr->mutable_snapshot_ratio());
      FillTimestamp(r.snapshot_time, pr->mutable_snapshot_time());
    }
    pr->set_max_yearly_growth_bps(r.max_yearly_growth_bps);
    FillDuration(r.max_ratio_age_ns, pr->mutable_max_ratio_age());
    pr->set_depeg_threshold_bps(r.depeg_threshold_bps);
    pr->set_depeg_min_venue_count(r.depeg_min_venues != 0 ? r.depeg_min_venues
                                                          : spec.methodology.min_venues);
    FillDuration(r.depeg_min_duration_ns, pr->mutable_depeg_min_duration());
  }
}

}  // namespace oracle
