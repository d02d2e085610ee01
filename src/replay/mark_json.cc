#include "oracle/replay/mark_json.h"

#include <cstdio>

#include "oracle/core/decimal.h"

namespace oracle {
namespace {

void AppendDecimal(int64_t mantissa, int32_t exponent, std::string* out) {
  char buf[64];
  int n = FormatDecimalTo(mantissa, exponent, buf);
  out->push_back('"');
  out->append(buf, static_cast<size_t>(n));
  out->push_back('"');
}

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  out->append(buf, static_cast<size_t>(n));
}

void AppendOptionalDecimal(bool has, int64_t mantissa, int32_t exponent, std::string* out) {
  if (has) {
    AppendDecimal(mantissa, exponent, out);
  } else {
    out->append("null");
  }
}

// "redemption":{...}: both values, the ratio with its source and age, the policy and the choice.
void AppendRedemption(const Config& config, const Mark& mark, std::string* out) {
  const RedemptionInfo& r = mark.redemption;
  out->append(",\"redemption\":{\"policy\":\"");
  out->append(RedemptionPolicyName(r.policy));
  out->append("\",\"choice\":\"");
  out->append(RedemptionChoiceName(r.choice));
  out->append("\",\"reason\":\"");
  out->append(StatusReasonName(mark.reason));
  out->append("\",\"redemption_price\":");
  AppendOptionalDecimal(r.has_redemption, r.redemption_price, mark.exponent, out);
  out->append(",\"market_price\":");
  AppendOptionalDecimal(r.has_market, r.market_price, mark.exponent, out);
  out->append(",\"market_venues\":");
  AppendInt(r.market_venues, out);
  out->append(",\"ratio\":");
  AppendOptionalDecimal(r.has_ratio, r.ratio, r.ratio_exponent, out);
  out->append(",\"ratio_source\":");
  if (r.has_ratio && r.ratio_source < config.rate_providers.size()) {
    out->push_back('"');
    out->append(config.rate_providers[r.ratio_source].name);
    out->push_back('"');
  } else {
    out->append("null");
  }
  out->append(",\"ratio_age_ms\":");
  if (r.has_ratio) {
    AppendInt((mark.publish_time - r.ratio_time) / kNanosPerMilli, out);
  } else {
    out->append("null");
  }
  out->append(",\"ratio_sources\":");
  AppendInt(r.ratio_sources, out);
  out->append(",\"discount_venues\":");
  AppendInt(r.discount_venues, out);
  out->append(r.depeg ? ",\"depeg\":true}" : ",\"depeg\":false}");
}

}  // namespace

void AppendMarkJson(const Config& config, const Mark& mark, bool provenance, std::string* out) {
  const InstrumentSpec& spec = config.instruments[mark.instrument];
  char tbuf[40];
  int tn = FormatRfc3339To(mark.publish_time, tbuf);
  out->append("{\"time\":\"");
  out->append(tbuf, static_cast<size_t>(tn));
  out->append("\",\"instrument\":\"");
  out->append(spec.name);
  out->append("\",\"price\":");
  if (mark.has_price) {
    AppendDecimal(mark.price, mark.exponent, out);
    out->append(",\"confidence\":");
    AppendDecimal(mark.confidence, mark.exponent, out);
  } else {
    out->append("null,\"confidence\":null");
  }
  out->append(",\"status\":\"");
  out->append(MarkStatusName(mark.status));
  out->append("\",\"flags\":[");
  bool first = true;
  for (int bit = 0; bit < kNumMarkFlags; ++bit) {
    if ((mark.flags & (1u << bit)) == 0) continue;
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    out->append(MarkFlagName(bit));
    out->push_back('"');
  }
  out->append("],\"venues_used\":");
  AppendInt(mark.venues_used, out);
  out->append(",\"sequence\":");
  AppendInt(static_cast<int64_t>(mark.sequence), out);
  if (mark.redemption.present) AppendRedemption(config, mark, out);
  if (provenance) {
    out->append(",\"status_reason\":\"");
    out->append(StatusReasonName(mark.reason));
    out->append("\",\"sources\":[");
    for (int j = 0; j < mark.num_sources; ++j) {
      const SourceContribution& c = mark.sources[j];
      const SourceSpec& src = spec.sources[static_cast<size_t>(j)];
      if (j > 0) out->push_back(',');
      out->append("{\"venue\":\"");
      out->append(src.venue);
      out->append("\",\"pair\":\"");
      out->append(src.pair);
      out->append("\",\"price\":");
      if (c.has_price) {
        AppendDecimal(c.price, mark.exponent, out);
      } else {
        out->append("null");
      }
      out->append(",\"weight\":");
      AppendDecimal(c.weight_ppm, -6, out);
      out->append(",\"age_ms\":");
      if (c.age_ns >= 0) {
        AppendInt(c.age_ns / kNanosPerMilli, out);
      } else {
        out->append("null");
      }
      out->append(",\"excluded\":");
      if (c.exclusion == Exclusion::kNone) {
        out->append("null");
      } else {
        out->push_back('"');
        out->append(ExclusionName(c.exclusion));
        out->push_back('"');
      }
      out->append(c.outlier ? ",\"outlier\":true}" : ",\"outlier\":false}");
    }
    out->push_back(']');
  }
  out->append("}\n");
}

}  // namespace oracle
