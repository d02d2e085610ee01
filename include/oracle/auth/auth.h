// Callers and roles: who is calling (a bearer token from the token file, or a client certificate
// under mTLS) and whether their role may make this call (one permission table, permissions.cc).
//
// No gRPC here: the server extracts the credentials of a call (the `authorization` metadata, the
// peer certificate's subject and SANs) and hands them to Authorize; the unit tests do the same.
// Tokens are never stored or logged: the token file holds SHA-256 digests, and a call's token is
// hashed and looked up. Any thread; Authorize takes no lock on the accepting path.
#ifndef ORACLE_AUTH_AUTH_H_
#define ORACLE_AUTH_AUTH_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "oracle/api/errors.h"
#include "oracle/config/config.h"

namespace oracle::auth {

// Every RPC a caller can be refused, in the permission table's order.
enum class Rpc : uint8_t {
  kGetMark,
  kBatchGetMarks,
  kStreamMarks,
  kListInstruments,
  kListVenues,
  kGetServerStatus,
  kListMarks,
  kGetMarkAt,
  kGetTwap,
  kListEvents,
  kVerifyMark,
};
inline constexpr int kNumRpcs = 11;
// "oracle.v1.OracleService/GetMark", ...
std::string_view RpcName(Rpc rpc) noexcept;

// The permission table: may `role` call `rpc`? (Health and reflection are open to every caller.)
bool Allowed(Role role, Rpc rpc) noexcept;
// ListVenues answers every caller that may call it, but only operators see the venues' error
// strings (they can hold endpoint details).
bool SeesVenueErrors(Role role) noexcept;

// Who a call was made by, once authorized.
struct Caller {
  Role role = Role::kOperator;
  // No authentication is configured: every caller has every role (loopback only, see
  // CheckExposure).
  bool unrestricted = true;
};

// What a call presented. `authorization` is the raw metadata value ("" if absent);
// `certificate_subject` and `certificate_sans` come from a verified client certificate (empty
// without one).
struct Credentials {
  std::string_view authorization;
  std::string_view certificate_subject;
  const std::vector<std::string>* certificate_sans = nullptr;
};

// One line of the token file: `name role sha256hex`.
struct TokenEntry {
  std::string name;
  Role role = Role::kPublic;
  std::array<uint8_t, 32> digest{};
};

// Parses a token file's text. InvalidArgument naming `source:line` and what is wrong: a name
// outside [A-Za-z0-9._-]{1,64}, an unknown role, a digest that is not 64 hex digits, a digest
// given twice, one name with two roles.
absl::StatusOr<std::vector<TokenEntry>> ParseTokenFile(std::string_view text,
                                                       std::string_view source);

// SHA-256 of `token`.
std::array<uint8_t, 32> TokenDigest(std::string_view token) noexcept;
// The same as 64 lower-case hex digits: the token file's third column.
std::string TokenDigestHex(std::string_view token);

struct AuthStats {
  std::string mode;  // "none", "tokens", "mtls", "tokens+mtls"
  int identity_count = 0;
  uint64_t unauthenticated = 0;
  uint64_t permission_denied = 0;
  std::vector<std::pair<std::string, uint64_t>> refusals_by_identity;  // "-": no identity
  std::string tokens_file_error;  // the last re-read failed; the previous tokens stay in force
};

class Authenticator {
 public:
  // Reads config.auth.tokens_file when set. The error names the file (and line).
  static absl::StatusOr<std::unique_ptr<Authenticator>> Create(const Config& config);
  ~Authenticator();

  // Who is calling and may they call `rpc`. On refusal: UNAUTHENTICATED (no credentials where
  // they are needed, a malformed authorization header, a token nobody issued, a certificate that
  // maps to no identity) or PERMISSION_DENIED (a known caller outside its role), counted by reason
  // and identity. Allocates only when refusing.
  [[nodiscard]] std::optional<ApiError> Authorize(const Credentials& credentials, Rpc rpc,
                                                  Caller* caller);

  // Re-reads the token file if its modification time or size changed. A file that no longer
  // parses keeps the identities in force and is reported in stats().tokens_file_error (and
  // logged). Returns true when new identities took effect.
  bool ReloadIfChanged();

  // Some way to authenticate is configured (else every caller is unrestricted).
  bool enabled() const noexcept { return enabled_; }
  // Certificate identities are configured: the server must extract the peer certificate.
  bool uses_certificates() const noexcept { return !certificates_.empty(); }
  AuthStats stats() const;

 private:
  struct TokenTable;
  explicit Authenticator(const Config& config);
  absl::Status LoadTokens();
  // The identity a call presented, or the refusal.
  // `keep` holds the token table the name points into.
  std::optional<ApiError> Identify(const Credentials& credentials,
                                   std::shared_ptr<const TokenTable>* keep, std::string_view* name,
                                   Role* role) const;
  std::optional<ApiError> IdentifyToken(std::string_view authorization,
                                        std::shared_ptr<const TokenTable>* keep,
                                        std::string_view* name, Role* role) const;
  std::optional<ApiError> IdentifyCertificate(const Credentials& credentials,
                                              std::string_view* name, Role* role) const;
  ApiError Refuse(ErrorReason reason, std::string_view identity, std::string message);

  bool enabled_ = false;
  bool allow_public_ = false;
  std::string tokens_file_;
  std::vector<CertificateIdentitySpec> certificates_;
  std::shared_ptr<const TokenTable> tokens_;  // atomic_load/atomic_store: readers never lock
  int64_t tokens_mtime_ns_ = 0;               // ReloadIfChanged's thread only
  int64_t tokens_size_ = -1;

  std::atomic<uint64_t> unauthenticated_{0};
  std::atomic<uint64_t> permission_denied_{0};
  mutable std::mutex mu_;  // guards the two below
  std::vector<std::pair<std::string, uint64_t>> refusals_by_identity_;
  std::string tokens_file_error_;
};

// Refuses a configuration that would expose the API: a listen address that is not loopback
// without TLS, or without authentication, unless server.allow_insecure. InvalidArgument saying
// what to add. `warnings` gets the lines every start must log (allow_insecure in use, no
// authentication on loopback).
absl::Status CheckExposure(const Config& config, std::vector<std::string>* warnings);

// The server's TLS files: readable, PEM, the key belongs to the certificate, not expired, the
// client CA parses. InvalidArgument naming the field and the file. OK without TLS.
absl::Status CheckTlsFiles(const TlsSpec& tls);

// host:port names a loopback host (127.0.0.0/8, ::1, localhost).
bool IsLoopbackAddress(std::string_view host_port) noexcept;

}  // namespace oracle::auth

#endif  // ORACLE_AUTH_AUTH_H_
