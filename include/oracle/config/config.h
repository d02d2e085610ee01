// The oracle's configuration after validation: plain C++ values with units in their names.
//
// The file format is protobuf text (schema: proto/oracle/v1/config.proto); protobuf stays inside
// config.cc so this header is cheap to include. Loading validates everything and reports every
// problem at once, one line each: "<field path>: <value>: <why>".
#ifndef ORACLE_CONFIG_CONFIG_H_
#define ORACLE_CONFIG_CONFIG_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "oracle/core/decimal.h"
#include "oracle/core/time.h"

namespace oracle {

inline constexpr int kMaxSourcesPerInstrument = 16;
// Instruments one (venue, pair) feed may price.
inline constexpr size_t kMaxRoutesPerFeed = 64;

struct MethodologyParams {
  DurationNs twap_window_ns = 30 * kNanosPerSecond;
  DurationNs twap_bucket_ns = 1 * kNanosPerSecond;
  DurationNs quote_max_age_ns = 5 * kNanosPerSecond;
  DurationNs trade_max_age_ns = 5 * kNanosPerSecond;
  DurationNs max_future_ns = 1 * kNanosPerSecond;
  uint32_t min_venues = 3;
  uint32_t weight_cap_bps = 3300;
  uint32_t outlier_threshold_bps = 200;
  uint32_t jump_limit_bps = 1000;
  uint32_t max_spread_bps = 500;
  uint32_t publish_deviation_bps = 50;
  DurationNs min_early_publish_gap_ns = 10 * kNanosPerMilli;
  DurationNs jump_lookback_ns = 30 * kNanosPerSecond;
};

struct SourceSpec {
  std::string venue;
  uint32_t venue_id = 0;
  std::string pair;          // BASE-QUOTE in the venue's currencies
  std::string venue_symbol;  // the venue's own spelling of the pair
  uint32_t weight = 1;
  std::string convert_via;      // empty if none
  int convert_instrument = -1;  // index into Config::instruments, -1 if none
  uint32_t feed_id = 0;         // index into Config::feeds
};

// Values match oracle.v1.RedemptionPolicy.
enum class RedemptionPolicy : uint8_t {
  kRedemptionUnlessDepeg = 1,
  kLowerOf = 2,
  kRedemptionOnly = 3,
  kMarketOnly = 4,
};
std::string_view RedemptionPolicyName(RedemptionPolicy p) noexcept;  // "REDEMPTION_UNLESS_DEPEG"

// Guards and policy of a redemption-priced instrument (config.proto RedemptionConfig).
struct RedemptionSpec {
  Decimal min_ratio{5, -1};
  Decimal max_ratio{5, 0};
  bool has_snapshot = false;  // else the first accepted ratio is the snapshot
  Decimal snapshot_ratio;
  TimeNs snapshot_time = 0;
  uint32_t max_yearly_growth_bps = 1500;
  DurationNs max_ratio_age_ns = int64_t{3} * 86400 * kNanosPerSecond;
  RedemptionPolicy policy = RedemptionPolicy::kRedemptionUnlessDepeg;
  uint32_t depeg_threshold_bps = 200;
  uint32_t depeg_min_venues = 0;  // 0 in the file: the instrument's min_venues
  DurationNs depeg_min_duration_ns = int64_t{15} * 60 * kNanosPerSecond;
};

// Values match config.proto RateProviderConfig's kind.
enum class RateProviderKind : uint8_t { kEvmCall = 0, kSolanaStakePool = 1, kConstant = 2 };

struct RateProviderSpec {
  std::string name;  // provenance name, e.g. "wbeth-exchange-rate"
  std::string pair;  // "WBETH-ETH"
  RateProviderKind kind = RateProviderKind::kEvmCall;
  std::vector<std::string> endpoints;  // http(s) JSON-RPC URLs
  std::string evm_to;                  // 0x + 40 hex
  std::string evm_data;                // 0x + hex calldata (e.g. 0x3ba0b9a9)
  uint32_t evm_decimals = 18;
  std::string solana_account;  // stake pool account (base58)
  Decimal constant;            // kConstant
  DurationNs poll_interval_ns = 30 * kNanosPerSecond;
  DurationNs timeout_ns = 5 * kNanosPerSecond;
  uint32_t max_disagreement_bps = 10;
  bool allow_insecure_http = false;  // http:// endpoints accepted (else https:// only)
  uint32_t rate_pair_id = 0;         // index into Config::rate_pairs
  uint32_t source_id = 0;            // index into Config::rate_providers (the event's source)
};

// Rate sources one rate pair may have (providers, or sources named in tick logs).
inline constexpr int kMaxRateSourcesPerPair = 8;

struct InstrumentSpec {
  std::string name;  // BASE-QUOTE
  std::string base;
  std::string quote;
  int32_t price_exponent = -8;
  MethodologyParams methodology;
  std::vector<SourceSpec> sources;
  bool redemption_priced = false;
  std::string redemption_underlying;  // instrument name
  int redemption_underlying_instrument = -1;
  std::string redemption_ratio_pair;  // e.g. "WBETH-ETH"
  uint32_t rate_pair_id = 0;          // index into Config::rate_pairs
  RedemptionSpec redemption;
};

struct LiveVenueSettings {
  bool disabled = false;
  std::string ws_endpoint_override;
  std::string rest_endpoint_override;
  std::string tls_ca_file;
  DurationNs silence_limit_ns = 0;  // 0: the venue's own
  bool rest_snapshot = true;
  bool rest_fallback = true;
};

struct VenueSpec {
  std::string name;
  std::string display_name;
  LiveVenueSettings live;
};

// Where one (venue, pair) feed goes: every (instrument, source index) it prices.
struct FeedRoute {
  uint32_t instrument = 0;
  uint32_t source = 0;
};

struct FeedSpec {
  uint32_t venue_id = 0;
  std::string pair;
  std::string venue_symbol;
  std::vector<FeedRoute> routes;
};

// The durable record (config.proto HistoryConfig).
struct HistorySpec {
  std::string data_dir;  // empty: no history
  bool sync = true;      // fsync the WAL on every batch
  uint64_t ring_bytes = 64ull << 20;
  bool block_when_full = false;  // overflow BLOCK (offline replays and tests) instead of DROP
  DurationNs checkpoint_interval_ns = 60 * kNanosPerSecond;
  // Retention by age; 0 keeps forever.
  DurationNs events_retention_ns = int64_t{7} * 86400 * kNanosPerSecond;
  DurationNs marks_retention_ns = int64_t{90} * 86400 * kNanosPerSecond;
  DurationNs checkpoints_retention_ns = int64_t{7} * 86400 * kNanosPerSecond;
  // How often the persister applies retention (wall clock; not in the file: tests shorten it).
  DurationNs retention_check_interval_ns = 60 * kNanosPerSecond;
};

// Ed25519 signing of marks (config.proto SigningConfig).
struct SigningSpec {
  std::string key_file;  // empty: marks are not signed
  bool generate_if_missing = false;
  // Signed into every mark (Mark.publisher_id); empty: the signing key's key_id.
  std::string publisher_id;
  bool allow_readable_key_file = false;  // accept a key file group or others may read
};

// server.tls: TLS on the gRPC port. client_auth defaults to kRequire with a client CA, else kNone.
enum class ClientAuthMode : uint8_t { kNone = 1, kRequest = 2, kRequire = 3 };
std::string_view ClientAuthModeName(ClientAuthMode m) noexcept;  // "NONE", "REQUEST", "REQUIRE"

struct TlsSpec {
  std::string cert_file;  // empty: plaintext
  std::string key_file;
  std::string client_ca_file;
  ClientAuthMode client_auth = ClientAuthMode::kNone;
  bool enabled() const noexcept { return !cert_file.empty(); }
};

// A caller's role (config.proto Role; the values are the proto's numbers). What each may call is
// the permission table of the auth module.
enum class Role : uint8_t {
  kPublic = 1,
  kMarginEngine = 2,
  kKeeper = 3,
  kAuditor = 4,
  kOperator = 5,
};
inline constexpr int kNumRoleValues = 6;     // arrays indexed by the role's value (0 unused)
std::string_view RoleName(Role r) noexcept;  // "MARGIN_ENGINE", ...
// "MARGIN_ENGINE", "margin_engine" or "ROLE_MARGIN_ENGINE"; false if none of the five.
bool ParseRoleName(std::string_view text, Role* out) noexcept;

struct CertificateIdentitySpec {
  std::string subject;  // exactly one of subject and san is set
  std::string san;
  std::string name;
  Role role = Role::kPublic;
};

// server.auth.
struct AuthSpec {
  std::string tokens_file;  // `name role sha256hex` lines
  std::vector<CertificateIdentitySpec> certificate_identities;
  bool allow_public = false;
  // Per role value: the max_age a read without one gets; 0 = none.
  std::array<DurationNs, kNumRoleValues> default_max_age{};
  // Some way to authenticate is configured (else every caller has every role).
  bool enabled() const noexcept { return !tokens_file.empty() || !certificate_identities.empty(); }
};

struct Config {
  std::string source_name;  // file path or "<default>"
  // Identity of everything that determines marks (instruments, methodology, venues, rate pairs and
  // providers' names), 16 hex digits; server, live, history and signing settings do not enter it.
  // Stored history records it: a checkpoint or a verification needs the same fingerprint.
  std::string fingerprint;
  HistorySpec history;
  SigningSpec signing;
  std::string listen_address = "127.0.0.1:50051";
  uint32_t max_batch_instruments = 1000;
  uint32_t max_stream_subscriptions = 10000;
  TlsSpec tls;
  AuthSpec auth;
  bool allow_insecure = false;  // serve a non-loopback address without TLS or authentication
  DurationNs drain_period_ns = 5 * kNanosPerSecond;
  DurationNs progress_timeout_ns = 5 * kNanosPerSecond;
  DurationNs clock_step_tolerance_ns = 1 * kNanosPerSecond;
  DurationNs publish_interval_ns = 100 * kNanosPerMilli;
  uint32_t ring_capacity = 65536;
  bool live_enabled = false;
  std::string capture_path;

  std::vector<VenueSpec> venues;
  std::vector<InstrumentSpec> instruments;
  std::vector<FeedSpec> feeds;          // distinct (venue, pair)
  std::vector<std::string> rate_pairs;  // distinct redemption ratio pairs
  std::vector<RateProviderSpec> rate_providers;
  std::vector<uint32_t> evaluation_order;  // instruments, each after the ones it converts through

  int FindInstrument(std::string_view name) const noexcept;  // -1 if absent
  int FindVenue(std::string_view name) const noexcept;       // -1 if absent
  int FindFeed(std::string_view venue, std::string_view pair) const noexcept;
  int FindRatePair(std::string_view pair) const noexcept;
  int FindRateProvider(std::string_view name) const noexcept;  // -1 if absent
};

// Parses and validates protobuf text. `source_name` names the input in error messages.
absl::StatusOr<Config> ParseConfigText(std::string_view text, std::string_view source_name);

// Reads and validates a file.
absl::StatusOr<Config> LoadConfigFile(const std::string& path);

// The default configuration (feeds/default.textproto), compiled into the binary.
std::string_view DefaultConfigText() noexcept;
absl::StatusOr<Config> LoadDefaultConfig();

// Splits "BTC-USDT" into base and quote. False unless both are 1..16 of [A-Z0-9].
bool SplitPair(std::string_view pair, std::string* base, std::string* quote);

}  // namespace oracle

#endif  // ORACLE_CONFIG_CONFIG_H_
