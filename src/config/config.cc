#include "oracle/config/config.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "oracle/v1/config.pb.h"

namespace oracle {
namespace {

namespace pb = ::oracle::v1;

bool IsUpperAlnum(std::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

bool IsVenueName(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string Quoted(std::string_view s) {
  return absl::StrCat("\"", absl::string_view(s.data(), s.size()), "\"");
}

class ErrorList {
 public:
  void Add(const std::string& path, const std::string& value, const std::string& why) {
    lines_.push_back(absl::StrCat(path, ": ", value, ": ", why));
  }
  bool empty() const { return lines_.empty(); }
  absl::Status ToStatus(std::string_view source) const {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid configuration ", absl::string_view(source.data(), source.size()),
                     " (", lines_.size(), lines_.size() == 1 ? " error" : " errors", "):\n  ",
                     absl::StrJoin(lines_, "\n  ")));
  }

 private:
  std::vector<std::string> lines_;
};

// A decimal string field; empty keeps the default.
bool DecimalField(const std::string& text, const std::string& path, Decimal* out,
                  ErrorList* errors) {
  if (text.empty()) return true;
  Decimal d;
  DecimalParseError e = ParseDecimal(text, &d);
  if (e != DecimalParseError::kOk) {
    errors->Add(path, Quoted(text),
                absl::StrCat("not a decimal number (", std::string(DecimalParseErrorName(e)), ")"));
    return false;
  }
  *out = d;
  return true;
}

// redemption.min_ratio / max_ratio / snapshot_ratio / snapshot_time.
void ApplyRedemptionRatioBounds(const pb::RedemptionConfig& r, const std::string& path,
                                RedemptionSpec* out, ErrorList* errors) {
  const Decimal zero{0, 0};
  const Decimal nine{9, 0};
  DecimalField(r.min_ratio(), path + ".min_ratio", &out->min_ratio, errors);
  DecimalField(r.max_ratio(), path + ".max_ratio", &out->max_ratio, errors);
  if (CompareDecimal(out->min_ratio, zero) <= 0) {
    errors->Add(path + ".min_ratio",
                Quoted(FormatDecimal(out->min_ratio.mantissa, out->min_ratio.exponent)),
                "must be positive");
  }
  if (CompareDecimal(out->max_ratio, nine) > 0) {
    errors->Add(path + ".max_ratio", Quoted(r.max_ratio()), "must be at most 9");
  }
  if (CompareDecimal(out->min_ratio, out->max_ratio) >= 0) {
    errors->Add(path + ".max_ratio", Quoted(r.max_ratio()), "must be above min_ratio");
  }
  if (!r.snapshot_ratio().empty()) {
    out->has_snapshot =
        DecimalField(r.snapshot_ratio(), path + ".snapshot_ratio", &out->snapshot_ratio, errors);
    if (out->has_snapshot && (CompareDecimal(out->snapshot_ratio, out->min_ratio) < 0 ||
                              CompareDecimal(out->snapshot_ratio, out->max_ratio) > 0)) {
      errors->Add(path + ".snapshot_ratio", Quoted(r.snapshot_ratio()),
                  "must lie within [min_ratio, max_ratio]");
    }
    if (r.snapshot_time().empty() || !ParseRfc3339(r.snapshot_time(), &out->snapshot_time)) {
      errors->Add(path + ".snapshot_time", Quoted(r.snapshot_time()),
                  "an RFC 3339 time is required with snapshot_ratio");
    }
  } else if (!r.snapshot_time().empty()) {
    errors->Add(path + ".snapshot_time", Quoted(r.snapshot_time()), "given without snapshot_ratio");
  }
}

// redemption.policy; unspecified means REDEMPTION_UNLESS_DEPEG.
void ApplyRedemptionPolicy(const pb::RedemptionConfig& r, const std::string& path,
                           RedemptionSpec* out, ErrorList* errors) {
  switch (r.policy()) {
    case pb::REDEMPTION_POLICY_UNSPECIFIED:
    case pb::REDEMPTION_POLICY_REDEMPTION_UNLESS_DEPEG:
      out->policy = RedemptionPolicy::kRedemptionUnlessDepeg;
      break;
    case pb::REDEMPTION_POLICY_LOWER_OF:
      out->policy = RedemptionPolicy::kLowerOf;
      break;
    case pb::REDEMPTION_POLICY_REDEMPTION_ONLY:
      out->policy = RedemptionPolicy::kRedemptionOnly;
      break;
    case pb::REDEMPTION_POLICY_MARKET_ONLY:
      out->policy = RedemptionPolicy::kMarketOnly;
      break;
    default:
      errors->Add(path + ".policy", absl::StrCat(static_cast<int>(r.policy())),
                  "not a known RedemptionPolicy");
  }
}

// instruments[i].redemption: ratio bounds, growth cap, ratio age, policy, depeg rule, in that
// order.
void ApplyRedemption(const pb::RedemptionConfig& r, const std::string& path,
                     const MethodologyParams& m, RedemptionSpec* out, ErrorList* errors) {
  ApplyRedemptionRatioBounds(r, path, out, errors);
  auto bounded = [&](bool has, uint32_t v, const char* name, uint32_t lo, uint32_t hi) {
    if (has && (v < lo || v > hi)) {
      errors->Add(absl::StrCat(path, ".", name), absl::StrCat(v),
                  absl::StrCat("must be between ", lo, " and ", hi));
      return false;
    }
    return has;
  };
  if (bounded(r.has_max_yearly_growth_bps(), r.max_yearly_growth_bps(), "max_yearly_growth_bps", 0,
              100000)) {
    out->max_yearly_growth_bps = r.max_yearly_growth_bps();
  }
  if (bounded(r.has_max_ratio_age_ms(), r.max_ratio_age_ms(), "max_ratio_age_ms", 1000,
              30u * 86400u * 1000u)) {
    out->max_ratio_age_ns = static_cast<DurationNs>(r.max_ratio_age_ms()) * kNanosPerMilli;
  }
  ApplyRedemptionPolicy(r, path, out, errors);
  if (bounded(r.has_depeg_threshold_bps(), r.depeg_threshold_bps(), "depeg_threshold_bps", 1,
              9999)) {
    out->depeg_threshold_bps = r.depeg_threshold_bps();
  }
  out->depeg_min_venues = m.min_venues;
  if (bounded(r.has_depeg_min_venues(), r.depeg_min_venues(), "depeg_min_venues", 1,
              kMaxSourcesPerInstrument)) {
    out->depeg_min_venues = r.depeg_min_venues();
  }
  if (bounded(r.has_depeg_min_duration_ms(), r.depeg_min_duration_ms(), "depeg_min_duration_ms", 0,
              7u * 86400u * 1000u)) {
    out->depeg_min_duration_ns =
        static_cast<DurationNs>(r.depeg_min_duration_ms()) * kNanosPerMilli;
  }
}

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

// rate_providers[i].evm_call: 0x + 40 hex address, 0x + selector calldata, decimals.
void ApplyEvmCall(const pb::EvmCallConfig& call, const std::string& path, RateProviderSpec* spec,
                  ErrorList* errors) {
  spec->kind = RateProviderKind::kEvmCall;
  spec->evm_to = call.to();
  spec->evm_data = call.data();
  if (call.has_decimals()) spec->evm_decimals = call.decimals();
  std::string_view to = spec->evm_to, data = spec->evm_data;
  if (to.size() != 42 || to.substr(0, 2) != "0x" || !IsHex(to.substr(2))) {
    errors->Add(path + ".evm_call.to", Quoted(spec->evm_to), "must be 0x and 40 hex digits");
  }
  if (data.size() < 10 || data.size() % 2 != 0 || data.substr(0, 2) != "0x" ||
      !IsHex(data.substr(2))) {
    errors->Add(path + ".evm_call.data", Quoted(spec->evm_data),
                "must be 0x and an even number (at least 8) of hex digits");
  }
  if (spec->evm_decimals > 36) {
    errors->Add(path + ".evm_call.decimals", absl::StrCat(spec->evm_decimals),
                "must be at most 36");
  }
}

// rate_providers[i]: which kind (evm_call, solana_stake_pool or constant) and its settings.
void ApplyRateProviderKind(const pb::RateProviderConfig& p, const std::string& path,
                           RateProviderSpec* spec, ErrorList* errors) {
  switch (p.kind_case()) {
    case pb::RateProviderConfig::kEvmCall:
      ApplyEvmCall(p.evm_call(), path, spec, errors);
      break;
    case pb::RateProviderConfig::kSolanaStakePool:
      spec->kind = RateProviderKind::kSolanaStakePool;
      spec->solana_account = p.solana_stake_pool().account();
      if (spec->solana_account.size() < 32 || spec->solana_account.size() > 44 ||
          spec->solana_account.find_first_not_of(
              "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz") != std::string::npos) {
        errors->Add(path + ".solana_stake_pool.account", Quoted(spec->solana_account),
                    "must be a base58 account address (32..44 characters)");
      }
      break;
    case pb::RateProviderConfig::kConstant:
      spec->kind = RateProviderKind::kConstant;
      if (DecimalField(p.constant(), path + ".constant", &spec->constant, errors) &&
          spec->constant.mantissa <= 0) {
        errors->Add(path + ".constant", Quoted(p.constant()), "must be positive");
      }
      break;
    default:
      errors->Add(path, Quoted(p.name()), "needs one of evm_call, solana_stake_pool or constant");
  }
}

// rate_providers[i]: endpoints, poll interval, timeout, disagreement limit.
void ApplyRateProviderPolling(const pb::RateProviderConfig& p, const std::string& path,
                              RateProviderSpec* spec, ErrorList* errors) {
  spec->allow_insecure_http = p.allow_insecure_http();
  for (int e = 0; e < p.endpoints_size(); ++e) {
    std::string_view url = p.endpoints(e);
    if (url.substr(0, 7) != "http://" && url.substr(0, 8) != "https://") {
      errors->Add(absl::StrCat(path, ".endpoints[", e, "]"), Quoted(p.endpoints(e)),
                  "must start with https:// (or http:// with allow_insecure_http: true)");
    } else if (url.substr(0, 7) == "http://" && !p.allow_insecure_http()) {
      errors->Add(absl::StrCat(path, ".endpoints[", e, "]"), Quoted(p.endpoints(e)),
                  "plain http:// lets anyone on the path change the ratio: use https://, or set "
                  "allow_insecure_http: true on this provider for a trusted local node");
    } else if (std::any_of(url.begin(), url.end(), [](char c) {
                 return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
               })) {
      errors->Add(absl::StrCat(path, ".endpoints[", e, "]"), Quoted(p.endpoints(e)),
                  "must not contain spaces or control characters");
    }
    spec->endpoints.push_back(p.endpoints(e));
  }
  if (p.has_poll_interval_ms()) {
    if (p.poll_interval_ms() < 100 || p.poll_interval_ms() > 86400000) {
      errors->Add(path + ".poll_interval_ms", absl::StrCat(p.poll_interval_ms()),
                  "must be between 100 and 86400000");
    }
    spec->poll_interval_ns = static_cast<DurationNs>(p.poll_interval_ms()) * kNanosPerMilli;
  }
  if (p.has_timeout_ms()) {
    if (p.timeout_ms() < 10 || p.timeout_ms() > 600000) {
      errors->Add(path + ".timeout_ms", absl::StrCat(p.timeout_ms()),
                  "must be between 10 and 600000");
    }
    spec->timeout_ns = static_cast<DurationNs>(p.timeout_ms()) * kNanosPerMilli;
  }
  if (p.has_max_disagreement_bps()) spec->max_disagreement_bps = p.max_disagreement_bps();
}

// rate_providers[i]: name, pair (counted in `per_pair`), kind, polling. Checks against the
// providers already in `cfg`.
RateProviderSpec RateProviderFromConfig(const pb::RateProviderConfig& p, int i, const Config& cfg,
                                        std::vector<int>* per_pair, ErrorList* errors) {
  const std::string path = absl::StrCat("rate_providers[", i, "]");
  RateProviderSpec spec;
  spec.name = p.name();
  spec.pair = p.pair();
  spec.source_id = static_cast<uint32_t>(i);
  if (!IsVenueName(p.name())) {
    errors->Add(path + ".name", Quoted(p.name()),
                "must be 1..32 of [a-z0-9-_] (e.g. \"wbeth-exchange-rate\")");
  } else if (cfg.FindRateProvider(p.name()) >= 0) {
    errors->Add(path + ".name", Quoted(p.name()), "duplicate rate provider name");
  }
  int rp = cfg.FindRatePair(p.pair());
  if (rp < 0) {
    errors->Add(path + ".pair", Quoted(p.pair()),
                "no redemption-priced instrument has this ratio_pair");
  } else {
    spec.rate_pair_id = static_cast<uint32_t>(rp);
    if (++(*per_pair)[static_cast<size_t>(rp)] > kMaxRateSourcesPerPair) {
      errors->Add(path + ".pair", Quoted(p.pair()),
                  absl::StrCat("at most ", kMaxRateSourcesPerPair, " providers per pair"));
    }
  }
  ApplyRateProviderKind(p, path, &spec, errors);
  ApplyRateProviderPolling(p, path, &spec, errors);
  return spec;
}

// Rate providers, after the instruments (their pairs must be used by an instrument).
void ApplyRateProviders(const pb::OracleConfig& in, Config* cfg, ErrorList* errors) {
  std::vector<int> per_pair(cfg->rate_pairs.size(), 0);
  for (int i = 0; i < in.rate_providers_size(); ++i) {
    RateProviderSpec spec =
        RateProviderFromConfig(in.rate_providers(i), i, *cfg, &per_pair, errors);
    cfg->rate_providers.push_back(std::move(spec));
  }
}

class CollectingErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    lines.push_back(absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message));
  }
  void AddWarning(int line, int column, const std::string& message) override {
    lines.push_back(absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message));
  }
  std::vector<std::string> lines;
};

// Applies one optional methodology field: range-checked, errors name the full path.
template <typename ProtoT>
void ApplyMethodology(const ProtoT& m, const std::string& path, MethodologyParams* out,
                      ErrorList* errors) {
  auto ms_field = [&](bool has, uint32_t v, const char* name, uint32_t lo, uint32_t hi,
                      DurationNs* dst) {
    if (!has) return;
    if (v < lo || v > hi) {
      errors->Add(absl::StrCat(path, ".", name), absl::StrCat(v),
                  absl::StrCat("must be between ", lo, " and ", hi));
      return;
    }
    *dst = static_cast<DurationNs>(v) * kNanosPerMilli;
  };
  auto u_field = [&](bool has, uint32_t v, const char* name, uint32_t lo, uint32_t hi,
                     uint32_t* dst) {
    if (!has) return;
    if (v < lo || v > hi) {
      errors->Add(absl::StrCat(path, ".", name), absl::StrCat(v),
                  absl::StrCat("must be between ", lo, " and ", hi));
      return;
    }
    *dst = v;
  };
  ms_field(m.has_twap_window_ms(), m.twap_window_ms(), "twap_window_ms", 1, 3'600'000,
           &out->twap_window_ns);
  ms_field(m.has_twap_bucket_ms(), m.twap_bucket_ms(), "twap_bucket_ms", 1, 3'600'000,
           &out->twap_bucket_ns);
  ms_field(m.has_quote_max_age_ms(), m.quote_max_age_ms(), "quote_max_age_ms", 1, 86'400'000,
           &out->quote_max_age_ns);
  ms_field(m.has_trade_max_age_ms(), m.trade_max_age_ms(), "trade_max_age_ms", 1, 86'400'000,
           &out->trade_max_age_ns);
  ms_field(m.has_max_future_ms(), m.max_future_ms(), "max_future_ms", 0, 3'600'000,
           &out->max_future_ns);
  u_field(m.has_min_venues(), m.min_venues(), "min_venues", 1, kMaxSourcesPerInstrument,
          &out->min_venues);
  u_field(m.has_weight_cap_bps(), m.weight_cap_bps(), "weight_cap_bps", 1, 10000,
          &out->weight_cap_bps);
  u_field(m.has_outlier_threshold_bps(), m.outlier_threshold_bps(), "outlier_threshold_bps", 1,
          10000, &out->outlier_threshold_bps);
  u_field(m.has_jump_limit_bps(), m.jump_limit_bps(), "jump_limit_bps", 1, 100000,
          &out->jump_limit_bps);
  u_field(m.has_max_spread_bps(), m.max_spread_bps(), "max_spread_bps", 1, 10000,
          &out->max_spread_bps);
  u_field(m.has_publish_deviation_bps(), m.publish_deviation_bps(), "publish_deviation_bps", 0,
          10000, &out->publish_deviation_bps);
  ms_field(m.has_min_early_publish_gap_ms(), m.min_early_publish_gap_ms(),
           "min_early_publish_gap_ms", 0, 3'600'000, &out->min_early_publish_gap_ns);
  ms_field(m.has_jump_lookback_ms(), m.jump_lookback_ms(), "jump_lookback_ms", 1, 3'600'000,
           &out->jump_lookback_ns);
}

void CheckMethodologyConsistency(const MethodologyParams& m, const std::string& path,
                                 ErrorList* errors) {
  if (m.twap_window_ns % m.twap_bucket_ns != 0) {
    errors->Add(
        absl::StrCat(path, ".twap_bucket_ms"), absl::StrCat(m.twap_bucket_ns / kNanosPerMilli),
        absl::StrCat("must divide twap_window_ms (", m.twap_window_ns / kNanosPerMilli, ")"));
  } else if (m.twap_window_ns / m.twap_bucket_ns > 4096) {
    errors->Add(absl::StrCat(path, ".twap_bucket_ms"),
                absl::StrCat(m.twap_bucket_ns / kNanosPerMilli),
                "twap_window_ms / twap_bucket_ms must be at most 4096 (memory per source)");
  }
  if (m.jump_lookback_ns % m.twap_bucket_ns != 0) {
    errors->Add(absl::StrCat(path, ".jump_lookback_ms"),
                absl::StrCat(m.jump_lookback_ns / kNanosPerMilli),
                absl::StrCat("must be a multiple of twap_bucket_ms (",
                             m.twap_bucket_ns / kNanosPerMilli, ")"));
  } else if (m.jump_lookback_ns / m.twap_bucket_ns > 4096) {
    errors->Add(absl::StrCat(path, ".jump_lookback_ms"),
                absl::StrCat(m.jump_lookback_ns / kNanosPerMilli),
                "jump_lookback_ms / twap_bucket_ms must be at most 4096");
  }
}

bool ValidListenAddress(std::string_view addr) {
  size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= addr.size()) return false;
  std::string_view port = addr.substr(colon + 1);
  if (port.size() > 5) return false;
  int p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    p = p * 10 + (c - '0');
  }
  return p <= 65535;
}

// FNV-1a over the deterministic serialization of the parts that determine marks.
std::string Fingerprint(const pb::OracleConfig& in) {
  pb::OracleConfig c = in;
  c.clear_server();
  c.clear_live();
  c.clear_history();
  c.clear_signing();
  for (auto& v : *c.mutable_venues()) {
    v.clear_live();
    v.clear_display_name();
  }
  for (auto& p : *c.mutable_rate_providers()) {
    p.clear_endpoints();
    p.clear_poll_interval_ms();
    p.clear_timeout_ms();
    p.clear_max_disagreement_bps();
    p.clear_allow_insecure_http();
  }
  c.mutable_core()->clear_clock_step_tolerance_ms();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    c.SerializeToCodedStream(&coded);
  }
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// server.tls: both files or neither; a client CA or client_auth only with TLS.
void ApplyTls(const pb::TlsConfig& t, TlsSpec* out, ErrorList* errors) {
  out->cert_file = t.cert_file();
  out->key_file = t.key_file();
  out->client_ca_file = t.client_ca_file();
  if (t.cert_file().empty() != t.key_file().empty()) {
    errors->Add(t.cert_file().empty() ? "server.tls.cert_file" : "server.tls.key_file", "\"\"",
                "TLS needs both cert_file and key_file");
  }
  if (t.cert_file().empty() && !t.client_ca_file().empty()) {
    errors->Add("server.tls.client_ca_file", Quoted(t.client_ca_file()),
                "client certificates need TLS: set cert_file and key_file too");
  }
  switch (t.client_auth()) {
    case pb::CLIENT_AUTH_UNSPECIFIED:
      out->client_auth =
          t.client_ca_file().empty() ? ClientAuthMode::kNone : ClientAuthMode::kRequire;
      break;
    case pb::CLIENT_AUTH_NONE:
      out->client_auth = ClientAuthMode::kNone;
      break;
    case pb::CLIENT_AUTH_REQUEST:
      out->client_auth = ClientAuthMode::kRequest;
      break;
    case pb::CLIENT_AUTH_REQUIRE:
      out->client_auth = ClientAuthMode::kRequire;
      break;
    default:
      errors->Add("server.tls.client_auth", absl::StrCat(t.client_auth()),
                  "must be NONE, REQUEST or REQUIRE");
  }
  if (out->client_auth != ClientAuthMode::kNone && t.client_ca_file().empty()) {
    errors->Add("server.tls.client_auth", std::string(ClientAuthModeName(out->client_auth)),
                "checking client certificates needs client_ca_file");
  }
}

bool ValidIdentityName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

// A config.proto Role value that names one of the five roles.
bool RoleFromProto(int value, Role* out) {
  if (value < static_cast<int>(Role::kPublic) || value > static_cast<int>(Role::kOperator)) {
    return false;
  }
  *out = static_cast<Role>(value);
  return true;
}

void ApplyCertificateIdentity(const pb::CertificateIdentity& in, const std::string& path,
                              CertificateIdentitySpec* out, ErrorList* errors) {
  if (in.subject().empty() == in.san().empty()) {
    errors->Add(path, Quoted(in.subject().empty() ? "" : in.subject()),
                "give exactly one of subject and san");
  }
  if (!ValidIdentityName(in.name())) {
    errors->Add(path + ".name", Quoted(absl::CHexEscape(in.name())),
                "must be 1..64 characters of letters, digits, '.', '-' or '_'");
  }
  if (!RoleFromProto(in.role(), &out->role)) {
    errors->Add(path + ".role", absl::StrCat(in.role()),
                "must be PUBLIC, MARGIN_ENGINE, KEEPER, AUDITOR or OPERATOR");
  }
  out->subject = in.subject();
  out->san = in.san();
  out->name = in.name();
}

// server.auth: token file, certificate identities, anonymous reads, per-role max_age.
void ApplyAuth(const pb::AuthConfig& a, AuthSpec* out, ErrorList* errors) {
  out->tokens_file = a.tokens_file();
  out->allow_public = a.allow_public();
  for (int i = 0; i < a.certificate_identities_size(); ++i) {
    CertificateIdentitySpec spec;
    ApplyCertificateIdentity(a.certificate_identities(i),
                             absl::StrCat("server.auth.certificate_identities[", i, "]"), &spec,
                             errors);
    out->certificate_identities.push_back(std::move(spec));
  }
  std::array<bool, kNumRoleValues> seen{};
  for (int i = 0; i < a.role_defaults_size(); ++i) {
    const pb::RoleDefaults& d = a.role_defaults(i);
    const std::string path = absl::StrCat("server.auth.role_defaults[", i, "]");
    Role role = Role::kPublic;
    if (!RoleFromProto(d.role(), &role)) {
      errors->Add(path + ".role", absl::StrCat(d.role()),
                  "must be PUBLIC, MARGIN_ENGINE, KEEPER, AUDITOR or OPERATOR");
      continue;
    }
    const auto r = static_cast<size_t>(role);
    if (seen[r]) {
      errors->Add(path + ".role", std::string(RoleName(role)), "is given twice");
    }
    seen[r] = true;
    if (d.max_age_ms() > 86'400'000) {
      errors->Add(path + ".max_age_ms", absl::StrCat(d.max_age_ms()),
                  "must be between 0 and 86400000");
    }
    out->default_max_age[r] = static_cast<DurationNs>(d.max_age_ms()) * kNanosPerMilli;
  }
}

// server: listen address and request limits.
void ApplyServer(const pb::ServerConfig& s, Config* cfg, ErrorList* errors) {
  if (!s.listen_address().empty()) {
    if (!ValidListenAddress(s.listen_address())) {
      errors->Add("server.listen_address", Quoted(s.listen_address()),
                  "must be host:port with a port from 0 to 65535");
    } else {
      cfg->listen_address = s.listen_address();
    }
  }
  if (s.max_batch_instruments() != 0) {
    if (s.max_batch_instruments() > 10000) {
      errors->Add("server.max_batch_instruments", absl::StrCat(s.max_batch_instruments()),
                  "must be between 1 and 10000");
    } else {
      cfg->max_batch_instruments = s.max_batch_instruments();
    }
  }
  if (s.max_stream_subscriptions() != 0) {
    cfg->max_stream_subscriptions = s.max_stream_subscriptions();
  }
  cfg->allow_insecure = s.allow_insecure();
  if (s.has_drain_period_ms() && s.drain_period_ms() != 0) {
    if (s.drain_period_ms() > 600'000) {
      errors->Add("server.drain_period_ms", absl::StrCat(s.drain_period_ms()),
                  "must be between 1 and 600000");
    } else {
      cfg->drain_period_ns = static_cast<DurationNs>(s.drain_period_ms()) * kNanosPerMilli;
    }
  }
  if (s.has_progress_timeout_ms() && s.progress_timeout_ms() != 0) {
    if (s.progress_timeout_ms() < 100 || s.progress_timeout_ms() > 3'600'000) {
      errors->Add("server.progress_timeout_ms", absl::StrCat(s.progress_timeout_ms()),
                  "must be between 100 and 3600000");
    } else {
      cfg->progress_timeout_ns = static_cast<DurationNs>(s.progress_timeout_ms()) * kNanosPerMilli;
    }
  }
  ApplyTls(s.tls(), &cfg->tls, errors);
  ApplyAuth(s.auth(), &cfg->auth, errors);
}

// core: publication cadence and ring size.
void ApplyCore(const pb::CoreConfig& c, Config* cfg, ErrorList* errors) {
  if (c.publish_interval_ms() != 0) {
    if (c.publish_interval_ms() > 60'000) {
      errors->Add("core.publish_interval_ms", absl::StrCat(c.publish_interval_ms()),
                  "must be between 1 and 60000");
    } else {
      cfg->publish_interval_ns = static_cast<DurationNs>(c.publish_interval_ms()) * kNanosPerMilli;
    }
  }
  if (c.has_clock_step_tolerance_ms()) {
    if (c.clock_step_tolerance_ms() < 10 || c.clock_step_tolerance_ms() > 3'600'000) {
      errors->Add("core.clock_step_tolerance_ms", absl::StrCat(c.clock_step_tolerance_ms()),
                  "must be between 10 and 3600000");
    } else {
      cfg->clock_step_tolerance_ns =
          static_cast<DurationNs>(c.clock_step_tolerance_ms()) * kNanosPerMilli;
    }
  }
  if (c.ring_capacity() != 0) {
    if (c.ring_capacity() < 16 || c.ring_capacity() > (1u << 24)) {
      errors->Add("core.ring_capacity", absl::StrCat(c.ring_capacity()),
                  "must be between 16 and 16777216");
    } else {
      cfg->ring_capacity = c.ring_capacity();
    }
  }
}

// history.*_retention_s, then the checkpoints-vs-events retention cross-check.
void ApplyHistoryRetention(const pb::HistoryConfig& h, HistorySpec* out, ErrorList* errors) {
  const std::tuple<const char*, bool, uint64_t, DurationNs*> retention[] = {
      {"history.events_retention_s", h.has_events_retention_s(), h.events_retention_s(),
       &out->events_retention_ns},
      {"history.marks_retention_s", h.has_marks_retention_s(), h.marks_retention_s(),
       &out->marks_retention_ns},
      {"history.checkpoints_retention_s", h.has_checkpoints_retention_s(),
       h.checkpoints_retention_s(), &out->checkpoints_retention_ns},
  };
  for (const auto& [path, has, seconds, dst] : retention) {
    if (!has) continue;
    if (seconds > 100ull * 365 * 86400) {
      errors->Add(path, absl::StrCat(seconds), "must be at most 100 years (0 keeps forever)");
    } else if (seconds != 0 && seconds < 60) {
      errors->Add(path, absl::StrCat(seconds), "must be 0 (keep forever) or at least 60");
    } else {
      *dst = static_cast<DurationNs>(seconds) * kNanosPerSecond;
    }
  }
  if (!out->data_dir.empty() && out->checkpoints_retention_ns != 0 &&
      out->events_retention_ns != 0 && out->checkpoints_retention_ns < out->events_retention_ns) {
    errors->Add("history.checkpoints_retention_s",
                absl::StrCat(out->checkpoints_retention_ns / kNanosPerSecond),
                "must be at least events_retention_s: verifying the oldest kept marks needs a "
                "checkpoint before them");
  }
}

// history: data dir, WAL ring, overflow policy, checkpoint cadence, retention.
void ApplyHistory(const pb::HistoryConfig& h, HistorySpec* out, ErrorList* errors) {
  out->data_dir = h.data_dir();
  if (h.has_sync()) out->sync = h.sync();
  if (h.has_ring_bytes()) {
    if (h.ring_bytes() < (1u << 20) || h.ring_bytes() > (16ull << 30)) {
      errors->Add("history.ring_bytes", absl::StrCat(h.ring_bytes()),
                  "must be between 1048576 (1 MiB) and 17179869184 (16 GiB)");
    } else {
      out->ring_bytes = h.ring_bytes();
    }
  }
  if (h.overflow() == "BLOCK") {
    out->block_when_full = true;
  } else if (!h.overflow().empty() && h.overflow() != "DROP") {
    errors->Add("history.overflow", Quoted(h.overflow()), "must be DROP or BLOCK");
  }
  if (h.has_checkpoint_interval_ms()) {
    if (h.checkpoint_interval_ms() < 100 || h.checkpoint_interval_ms() > 3'600'000) {
      errors->Add("history.checkpoint_interval_ms", absl::StrCat(h.checkpoint_interval_ms()),
                  "must be between 100 and 3600000");
    } else {
      out->checkpoint_interval_ns =
          static_cast<DurationNs>(h.checkpoint_interval_ms()) * kNanosPerMilli;
    }
  }
  ApplyHistoryRetention(h, out, errors);
}

void ApplySigning(const pb::SigningConfig& s, SigningSpec* out, ErrorList* errors) {
  out->key_file = s.key_file();
  out->generate_if_missing = s.generate_if_missing();
  if (out->generate_if_missing && out->key_file.empty()) {
    errors->Add("signing.generate_if_missing", "true", "needs signing.key_file");
  }
  out->publisher_id = s.publisher_id();
  out->allow_readable_key_file = s.allow_readable_key_file();
  if (!s.publisher_id().empty()) {
    // The same rule as signing::IsValidPublisherId (the signer checks it again).
    const bool charset_ok =
        std::all_of(s.publisher_id().begin(), s.publisher_id().end(), [](char c) {
          return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                 c == '_';
        });
    if (s.publisher_id().size() > 64 || !charset_ok) {
      errors->Add("signing.publisher_id", Quoted(absl::CHexEscape(s.publisher_id())),
                  "must be 1..64 characters of letters, digits, '.', '-' or '_'");
    }
  }
}

// venues[i].live: endpoint overrides, TLS anchors, silence limit, REST use.
void ApplyLiveVenueSettings(const pb::LiveVenueConfig& live, const std::string& path,
                            LiveVenueSettings* out, ErrorList* errors) {
  out->disabled = live.disabled();
  const std::pair<const char*, const std::string*> endpoints[] = {
      {"ws_endpoint_override", &live.ws_endpoint_override()},
      {"rest_endpoint_override", &live.rest_endpoint_override()}};
  for (const auto& [field, value] : endpoints) {
    if (!value->empty() && value->find("://") == std::string::npos) {
      errors->Add(absl::StrCat(path, ".live.", field), Quoted(*value),
                  "must be scheme://host[:port], e.g. \"wss://127.0.0.1:8443\"");
    }
  }
  out->ws_endpoint_override = live.ws_endpoint_override();
  out->rest_endpoint_override = live.rest_endpoint_override();
  out->tls_ca_file = live.tls_ca_file();
  if (live.has_silence_limit_ms()) {
    if (live.silence_limit_ms() < 100 || live.silence_limit_ms() > 3'600'000) {
      errors->Add(path + ".live.silence_limit_ms", absl::StrCat(live.silence_limit_ms()),
                  "must be between 100 and 3600000");
    }
    out->silence_limit_ns = static_cast<DurationNs>(live.silence_limit_ms()) * kNanosPerMilli;
  }
  if (live.has_rest_snapshot()) out->rest_snapshot = live.rest_snapshot();
  if (live.has_rest_fallback()) out->rest_fallback = live.rest_fallback();
}

// venues: a venue with a bad or duplicate name is reported and left out.
void ApplyVenues(const pb::OracleConfig& in, Config* cfg, ErrorList* errors) {
  for (int i = 0; i < in.venues_size(); ++i) {
    const auto& v = in.venues(i);
    std::string path = absl::StrCat("venues[", i, "]");
    if (!IsVenueName(v.name())) {
      errors->Add(path + ".name", Quoted(v.name()),
                  "must be 1..32 characters of lower-case letters, digits, '-' or '_'");
      continue;
    }
    if (cfg->FindVenue(v.name()) >= 0) {
      errors->Add(path + ".name", Quoted(v.name()), "duplicate venue name");
      continue;
    }
    VenueSpec venue{v.name(), v.display_name().empty() ? v.name() : v.display_name(), {}};
    ApplyLiveVenueSettings(v.live(), path, &venue.live, errors);
    cfg->venues.push_back(std::move(venue));
  }
  if (in.venues_size() == 0) errors->Add("venues", "[]", "at least one venue is required");
}

// instruments: names first so convert_via and redemption can refer forward.
void DeclareInstruments(const pb::OracleConfig& in, Config* cfg, ErrorList* errors) {
  for (int i = 0; i < in.instruments_size(); ++i) {
    const auto& ins = in.instruments(i);
    std::string path = absl::StrCat("instruments[", i, "]");
    InstrumentSpec spec;
    spec.name = ins.name();
    if (!SplitPair(ins.name(), &spec.base, &spec.quote)) {
      errors->Add(path + ".name", Quoted(ins.name()),
                  "must be BASE-QUOTE in upper-case letters and digits, e.g. \"BTC-USD\"");
    } else {
      for (const auto& other : cfg->instruments) {
        if (other.name == ins.name()) {
          errors->Add(path + ".name", Quoted(ins.name()), "duplicate instrument name");
          break;
        }
      }
    }
    cfg->instruments.push_back(std::move(spec));
  }
  if (in.instruments_size() == 0) {
    errors->Add("instruments", "[]", "at least one instrument is required");
  }
}

// instruments[i].redemption.underlying. Returns the underlying's index as found (-1 if none or
// unknown; `i` itself when it names the instrument, which is reported).
int ResolveRedemptionUnderlying(const pb::RedemptionConfig& r, int i, const std::string& path,
                                const Config& cfg, InstrumentSpec* spec, ErrorList* errors) {
  // No underlying: the ratio is itself the value in the instrument's quote currency (USDC
  // redeems 1:1 into USD).
  int u = r.underlying().empty() ? -1 : cfg.FindInstrument(r.underlying());
  if (r.underlying().empty()) {
  } else if (u < 0) {
    errors->Add(path + ".redemption.underlying", Quoted(r.underlying()),
                "no instrument of that name");
  } else if (u == i) {
    errors->Add(path + ".redemption.underlying", Quoted(r.underlying()),
                "an instrument cannot redeem into itself");
  } else {
    spec->redemption_underlying_instrument = u;
    if (cfg.instruments[static_cast<size_t>(u)].quote != spec->quote) {
      errors->Add(path + ".redemption.underlying", Quoted(r.underlying()),
                  absl::StrCat("must be quoted in ", spec->quote));
    }
  }
  return u;
}

// instruments[i].redemption.ratio_pair against the instrument and its underlying `u` (as
// ResolveRedemptionUnderlying returned it); a valid pair gets a rate pair id (new pairs appended).
void ApplyRedemptionRatioPair(const pb::RedemptionConfig& r, int u, const std::string& path,
                              Config* cfg, InstrumentSpec* spec, ErrorList* errors) {
  std::string rb, rq;
  if (!SplitPair(r.ratio_pair(), &rb, &rq)) {
    errors->Add(path + ".redemption.ratio_pair", Quoted(r.ratio_pair()),
                "must be BASE-QUOTE, e.g. \"WBETH-ETH\"");
  } else if (rb != spec->base) {
    errors->Add(path + ".redemption.ratio_pair", Quoted(r.ratio_pair()),
                absl::StrCat("base must be the instrument's base ", spec->base));
  } else if (u < 0 && r.underlying().empty() && rq != spec->quote) {
    errors->Add(path + ".redemption.ratio_pair", Quoted(r.ratio_pair()),
                absl::StrCat("without an underlying, the quote must be the instrument's quote ",
                             spec->quote));
  } else if (u >= 0 && rq != cfg->instruments[static_cast<size_t>(u)].base) {
    errors->Add(path + ".redemption.ratio_pair", Quoted(r.ratio_pair()),
                absl::StrCat("quote must be the underlying's base ",
                             cfg->instruments[static_cast<size_t>(u)].base));
  } else {
    int rp = cfg->FindRatePair(r.ratio_pair());
    if (rp < 0) {
      rp = static_cast<int>(cfg->rate_pairs.size());
      cfg->rate_pairs.push_back(r.ratio_pair());
    }
    spec->rate_pair_id = static_cast<uint32_t>(rp);
  }
}

// instruments[i].redemption: underlying, ratio pair, then the guards and policy.
void ApplyInstrumentRedemption(const pb::RedemptionConfig& r, int i, const std::string& path,
                               Config* cfg, InstrumentSpec* spec, ErrorList* errors) {
  spec->redemption_priced = true;
  spec->redemption_underlying = r.underlying();
  spec->redemption_ratio_pair = r.ratio_pair();
  const int u = ResolveRedemptionUnderlying(r, i, path, *cfg, spec, errors);
  ApplyRedemptionRatioPair(r, u, path, cfg, spec, errors);
  ApplyRedemption(r, path + ".redemption", spec->methodology, &spec->redemption, errors);
}

// sources[s].venue: listed, and the instrument's only source on it. Sets venue_id.
bool ApplySourceVenue(const pb::SourceConfig& src, const std::string& spath,
                      const InstrumentSpec& spec, const Config& cfg, SourceSpec* ss,
                      ErrorList* errors) {
  int venue = cfg.FindVenue(src.venue());
  if (venue < 0) {
    errors->Add(spath + ".venue", Quoted(src.venue()), "not listed in venues");
    return false;
  }
  ss->venue_id = static_cast<uint32_t>(venue);
  for (const auto& prev : spec.sources) {
    if (prev.venue == src.venue()) {
      errors->Add(spath + ".venue", Quoted(src.venue()),
                  "the instrument already has a source on this venue (one per venue, so "
                  "the weight cap applies per venue)");
      return false;
    }
  }
  return true;
}

// sources[s].convert_via for a pair quoted in `pq`: an instrument pq-QUOTE other than instrument
// `i`. Sets convert_instrument.
bool ApplySourceConversion(const pb::SourceConfig& src, const std::string& spath,
                           const std::string& pq, int i, const InstrumentSpec& spec,
                           const Config& cfg, SourceSpec* ss, ErrorList* errors) {
  int c = cfg.FindInstrument(src.convert_via());
  if (c < 0) {
    errors->Add(spath + ".convert_via", Quoted(src.convert_via()), "no instrument of that name");
    return false;
  }
  if (c == i) {
    errors->Add(spath + ".convert_via", Quoted(src.convert_via()),
                "an instrument cannot convert through itself");
    return false;
  }
  const auto& conv = cfg.instruments[static_cast<size_t>(c)];
  if (conv.base != pq || conv.quote != spec.quote) {
    errors->Add(spath + ".convert_via", Quoted(src.convert_via()),
                absl::StrCat("must be ", pq, "-", spec.quote, " to convert ", src.pair(), " into ",
                             spec.quote));
    return false;
  }
  ss->convert_instrument = c;
  return true;
}

// sources[s].pair: the instrument's base, and its quote unless convert_via converts it.
bool ApplySourcePair(const pb::SourceConfig& src, const std::string& spath, int i,
                     const InstrumentSpec& spec, const Config& cfg, SourceSpec* ss,
                     ErrorList* errors) {
  std::string pb_, pq;
  if (!SplitPair(src.pair(), &pb_, &pq)) {
    errors->Add(spath + ".pair", Quoted(src.pair()),
                "must be BASE-QUOTE in the venue's currencies, e.g. \"BTC-USDT\"");
    return false;
  }
  if (pb_ != spec.base) {
    errors->Add(spath + ".pair", Quoted(src.pair()),
                absl::StrCat("base must be the instrument's base ", spec.base));
    return false;
  }
  if (src.convert_via().empty()) {
    if (pq != spec.quote) {
      errors->Add(spath + ".pair", Quoted(src.pair()),
                  absl::StrCat("quote ", pq, " differs from the instrument's quote ", spec.quote,
                               ": set convert_via to an instrument ", pq, "-", spec.quote));
      return false;
    }
    return true;
  }
  return ApplySourceConversion(src, spath, pq, i, spec, cfg, ss, errors);
}

// instruments[i].sources[s]; every check runs and reports. False: the source is left out.
bool ApplySource(const pb::SourceConfig& src, const std::string& spath, int i,
                 const InstrumentSpec& spec, const Config& cfg, SourceSpec* ss, ErrorList* errors) {
  ss->venue = src.venue();
  ss->pair = src.pair();
  ss->venue_symbol = src.venue_symbol().empty() ? src.pair() : src.venue_symbol();
  ss->weight = src.weight() == 0 ? 1 : src.weight();
  ss->convert_via = src.convert_via();
  bool ok = ApplySourceVenue(src, spath, spec, cfg, ss, errors);
  if (src.weight() > 100) {
    errors->Add(spath + ".weight", absl::StrCat(src.weight()), "must be between 1 and 100");
    ok = false;
  }
  if (!ApplySourcePair(src, spath, i, spec, cfg, ss, errors)) ok = false;
  return ok;
}

// instruments[i] after DeclareInstruments: exponent, methodology, redemption, sources.
void ApplyInstrument(const pb::InstrumentConfig& ins, int i, const MethodologyParams& defaults,
                     Config* cfg, ErrorList* errors) {
  InstrumentSpec& spec = cfg->instruments[static_cast<size_t>(i)];
  std::string path = absl::StrCat("instruments[", i, "]");
  if (ins.has_price_exponent()) {
    if (ins.price_exponent() < -12 || ins.price_exponent() > 6) {
      errors->Add(path + ".price_exponent", absl::StrCat(ins.price_exponent()),
                  "must be between -12 and 6");
    } else {
      spec.price_exponent = ins.price_exponent();
    }
  }
  spec.methodology = defaults;
  ApplyMethodology(ins.methodology(), path + ".methodology", &spec.methodology, errors);
  CheckMethodologyConsistency(spec.methodology, path + ".methodology", errors);

  if (ins.has_redemption()) {
    ApplyInstrumentRedemption(ins.redemption(), i, path, cfg, &spec, errors);
  } else if (ins.sources_size() == 0) {
    errors->Add(path + ".sources", "[]", "a market-priced instrument needs at least one source");
  }
  if (ins.sources_size() > kMaxSourcesPerInstrument) {
    errors->Add(path + ".sources", absl::StrCat(ins.sources_size(), " sources"),
                absl::StrCat("at most ", kMaxSourcesPerInstrument, " per instrument"));
  }

  for (int s = 0; s < ins.sources_size() && s < kMaxSourcesPerInstrument; ++s) {
    std::string spath = absl::StrCat(path, ".sources[", s, "]");
    SourceSpec ss;
    if (ApplySource(ins.sources(s), spath, i, spec, *cfg, &ss, errors)) {
      spec.sources.push_back(std::move(ss));
    }
  }
}

// Evaluation order: each instrument after those it converts through or redeems into. Reports the
// first instrument found on a cycle.
void OrderInstrumentsForEvaluation(Config* cfg, ErrorList* errors) {
  size_t n = cfg->instruments.size();
  std::vector<int> state(n, 0);  // 0 new, 1 visiting, 2 done
  std::function<bool(size_t)> visit = [&](size_t k) -> bool {
    if (state[k] == 2) return true;
    if (state[k] == 1) return false;
    state[k] = 1;
    const auto& spec = cfg->instruments[k];
    for (const auto& s : spec.sources) {
      if (s.convert_instrument >= 0 && !visit(static_cast<size_t>(s.convert_instrument))) {
        return false;
      }
    }
    if (spec.redemption_underlying_instrument >= 0 &&
        !visit(static_cast<size_t>(spec.redemption_underlying_instrument))) {
      return false;
    }
    state[k] = 2;
    cfg->evaluation_order.push_back(static_cast<uint32_t>(k));
    return true;
  };
  for (size_t k = 0; k < n; ++k) {
    if (!visit(k)) {
      errors->Add(absl::StrCat("instruments[", k, "]"), Quoted(cfg->instruments[k].name),
                  "convert_via / redemption.underlying form a cycle");
      break;
    }
  }
}

// Feeds: distinct (venue, pair), each with the sources it prices.
void BuildFeeds(Config* cfg, ErrorList* errors) {
  for (uint32_t i = 0; i < cfg->instruments.size(); ++i) {
    auto& spec = cfg->instruments[i];
    for (uint32_t s = 0; s < spec.sources.size(); ++s) {
      auto& src = spec.sources[s];
      int f = cfg->FindFeed(src.venue, src.pair);
      if (f < 0) {
        f = static_cast<int>(cfg->feeds.size());
        cfg->feeds.push_back(FeedSpec{src.venue_id, src.pair, src.venue_symbol, {}});
      } else if (cfg->feeds[static_cast<size_t>(f)].venue_symbol != src.venue_symbol) {
        errors->Add(absl::StrCat("instruments[", i, "].sources[", s, "].venue_symbol"),
                    Quoted(src.venue_symbol),
                    absl::StrCat("differs from \"", cfg->feeds[static_cast<size_t>(f)].venue_symbol,
                                 "\" given for the same venue and pair elsewhere"));
      }
      src.feed_id = static_cast<uint32_t>(f);
      auto& routes = cfg->feeds[static_cast<size_t>(f)].routes;
      if (routes.size() == kMaxRoutesPerFeed) {
        errors->Add(
            absl::StrCat("instruments[", i, "].sources[", s, "]"),
            Quoted(absl::StrCat(src.venue, " ", src.pair)),
            absl::StrCat("one venue pair may price at most ", kMaxRoutesPerFeed, " instruments"));
        continue;
      }
      routes.push_back(FeedRoute{i, s});
    }
  }
}

// Checks sections in file order so the first error reported stays the first one found.
absl::StatusOr<Config> Validate(const pb::OracleConfig& in, std::string_view source_name) {
  ErrorList errors;
  Config cfg;
  cfg.source_name = std::string(source_name);

  ApplyServer(in.server(), &cfg, &errors);
  ApplyCore(in.core(), &cfg, &errors);
  cfg.live_enabled = in.live().enabled();
  cfg.capture_path = in.live().capture_path();
  ApplyHistory(in.history(), &cfg.history, &errors);
  ApplySigning(in.signing(), &cfg.signing, &errors);
  cfg.fingerprint = Fingerprint(in);

  MethodologyParams defaults;
  ApplyMethodology(in.defaults(), "defaults", &defaults, &errors);
  CheckMethodologyConsistency(defaults, "defaults", &errors);

  ApplyVenues(in, &cfg, &errors);
  DeclareInstruments(in, &cfg, &errors);
  for (int i = 0; i < in.instruments_size(); ++i) {
    ApplyInstrument(in.instruments(i), i, defaults, &cfg, &errors);
  }
  ApplyRateProviders(in, &cfg, &errors);

  if (errors.empty()) OrderInstrumentsForEvaluation(&cfg, &errors);
  if (!errors.empty()) return errors.ToStatus(source_name);

  BuildFeeds(&cfg, &errors);
  if (!errors.empty()) return errors.ToStatus(source_name);
  return cfg;
}

}  // namespace

bool SplitPair(std::string_view pair, std::string* base, std::string* quote) {
  size_t dash = pair.find('-');
  if (dash == std::string_view::npos) return false;
  std::string_view b = pair.substr(0, dash);
  std::string_view q = pair.substr(dash + 1);
  if (!IsUpperAlnum(b) || !IsUpperAlnum(q)) return false;
  *base = std::string(b);
  *quote = std::string(q);
  return true;
}

int Config::FindInstrument(std::string_view name) const noexcept {
  for (size_t i = 0; i < instruments.size(); ++i) {
    if (instruments[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Config::FindVenue(std::string_view name) const noexcept {
  for (size_t i = 0; i < venues.size(); ++i) {
    if (venues[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Config::FindFeed(std::string_view venue, std::string_view pair) const noexcept {
  int v = FindVenue(venue);
  if (v < 0) return -1;
  for (size_t i = 0; i < feeds.size(); ++i) {
    if (feeds[i].venue_id == static_cast<uint32_t>(v) && feeds[i].pair == pair) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

int Config::FindRateProvider(std::string_view name) const noexcept {
  for (size_t i = 0; i < rate_providers.size(); ++i) {
    if (rate_providers[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string_view ClientAuthModeName(ClientAuthMode m) noexcept {
  switch (m) {
    case ClientAuthMode::kNone:
      return "NONE";
    case ClientAuthMode::kRequest:
      return "REQUEST";
    case ClientAuthMode::kRequire:
      return "REQUIRE";
  }
  return "UNKNOWN";
}

std::string_view RoleName(Role r) noexcept {
  switch (r) {
    case Role::kPublic:
      return "PUBLIC";
    case Role::kMarginEngine:
      return "MARGIN_ENGINE";
    case Role::kKeeper:
      return "KEEPER";
    case Role::kAuditor:
      return "AUDITOR";
    case Role::kOperator:
      return "OPERATOR";
  }
  return "UNKNOWN";
}

bool ParseRoleName(std::string_view text, Role* out) noexcept {
  std::string upper = absl::AsciiStrToUpper(absl::string_view(text.data(), text.size()));
  std::string_view name = upper;
  if (name.substr(0, 5) == "ROLE_") name.remove_prefix(5);
  for (int v = static_cast<int>(Role::kPublic); v <= static_cast<int>(Role::kOperator); ++v) {
    if (name == RoleName(static_cast<Role>(v))) {
      *out = static_cast<Role>(v);
      return true;
    }
  }
  return false;
}

std::string_view RedemptionPolicyName(RedemptionPolicy p) noexcept {
  switch (p) {
    case RedemptionPolicy::kRedemptionUnlessDepeg:
      return "REDEMPTION_UNLESS_DEPEG";
    case RedemptionPolicy::kLowerOf:
      return "LOWER_OF";
    case RedemptionPolicy::kRedemptionOnly:
      return "REDEMPTION_ONLY";
    case RedemptionPolicy::kMarketOnly:
      return "MARKET_ONLY";
  }
  return "UNKNOWN";
}

int Config::FindRatePair(std::string_view pair) const noexcept {
  for (size_t i = 0; i < rate_pairs.size(); ++i) {
    if (rate_pairs[i] == pair) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<Config> ParseConfigText(std::string_view text, std::string_view source_name) {
  pb::OracleConfig proto;
  google::protobuf::TextFormat::Parser parser;
  CollectingErrors collector;
  parser.RecordErrorsTo(&collector);
  if (!parser.ParseFromString(std::string(text), &proto)) {
    if (collector.lines.empty()) collector.lines.push_back("unreadable protobuf text");
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid configuration ", absl::string_view(source_name.data(), source_name.size()),
        " (not valid oracle.v1.OracleConfig text):\n  ", absl::StrJoin(collector.lines, "\n  ")));
  }
  return Validate(proto, source_name);
}

absl::StatusOr<Config> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open configuration file ", path));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read configuration file ", path));
  return ParseConfigText(ss.str(), path);
}

absl::StatusOr<Config> LoadDefaultConfig() {
  return ParseConfigText(DefaultConfigText(), "<built-in feeds/default.textproto>");
}

}  // namespace oracle
