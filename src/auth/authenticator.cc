#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "oracle/auth/auth.h"
#include "oracle/core/log.h"

namespace oracle::auth {

// The token file's entries sorted by digest (binary search per call).
struct Authenticator::TokenTable {
  std::vector<TokenEntry> entries;
};

namespace {

constexpr std::string_view kNoIdentity = "-";

absl::string_view Av(std::string_view s) { return {s.data(), s.size()}; }

bool DigestLess(const TokenEntry& a, const std::array<uint8_t, 32>& d) { return a.digest < d; }

// "Bearer <token>" (the scheme in any case) -> the token; empty if malformed.
std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  if (token.find(' ') != std::string_view::npos) return {};
  return token;
}

std::string ModeName(bool tokens, bool certificates) {
  if (tokens && certificates) return "tokens+mtls";
  if (tokens) return "tokens";
  if (certificates) return "mtls";
  return "none";
}

}  // namespace

Authenticator::Authenticator(const Config& config)
    : enabled_(config.auth.enabled()),
      allow_public_(config.auth.allow_public),
      tokens_file_(config.auth.tokens_file),
      certificates_(config.auth.certificate_identities),
      tokens_(std::make_shared<const TokenTable>()) {}

Authenticator::~Authenticator() = default;

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::Create(const Config& config) {
  std::unique_ptr<Authenticator> a(new Authenticator(config));
  if (!a->tokens_file_.empty()) {
    if (absl::Status st = a->LoadTokens(); !st.ok()) return st;
  }
  return a;
}

absl::Status Authenticator::LoadTokens() {
  struct stat st {};
  if (::stat(tokens_file_.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("token file ", tokens_file_, ": cannot read it (", std::strerror(errno), ")"));
  }
  std::ifstream in(tokens_file_);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return absl::NotFoundError(absl::StrCat("token file ", tokens_file_, ": cannot read it"));
  }
  auto entries = ParseTokenFile(text.str(), tokens_file_);
  if (!entries.ok()) return entries.status();
  auto table = std::make_shared<TokenTable>();
  table->entries = *std::move(entries);
  std::sort(table->entries.begin(), table->entries.end(),
            [](const TokenEntry& a, const TokenEntry& b) { return a.digest < b.digest; });
  std::atomic_store(&tokens_, std::shared_ptr<const TokenTable>(std::move(table)));
  tokens_mtime_ns_ = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  tokens_size_ = static_cast<int64_t>(st.st_size);
  return absl::OkStatus();
}

bool Authenticator::ReloadIfChanged() {
  if (tokens_file_.empty()) return false;
  struct stat st {};
  const bool readable = ::stat(tokens_file_.c_str(), &st) == 0;
  const int64_t mtime =
      readable ? static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec : 0;
  if (readable && mtime == tokens_mtime_ns_ && st.st_size == tokens_size_) return false;
  absl::Status loaded = LoadTokens();
  std::lock_guard<std::mutex> lock(mu_);
  if (!loaded.ok()) {
    const std::string error(loaded.message());
    if (error != tokens_file_error_) {
      Logf(LogLevel::kError, "auth: %s; the previous tokens stay in force", error.c_str());
    }
    tokens_file_error_ = error;
    // Stat again next time rather than re-parsing a file that has not changed.
    tokens_mtime_ns_ = mtime;
    tokens_size_ = readable ? static_cast<int64_t>(st.st_size) : -2;
    return false;
  }
  tokens_file_error_.clear();
  Logf(LogLevel::kInfo, "auth: token file %s re-read: %zu tokens", tokens_file_.c_str(),
       std::atomic_load(&tokens_)->entries.size());
  return true;
}

std::optional<ApiError> Authenticator::IdentifyToken(std::string_view authorization,
                                                     std::shared_ptr<const TokenTable>* keep,
                                                     std::string_view* name, Role* role) const {
  const std::string_view token = BearerToken(authorization);
  if (token.empty()) {
    return ApiError{.reason = ErrorReason::kUnauthenticated,
                    .message = "the authorization metadata must be \"Bearer <token>\""};
  }
  const std::array<uint8_t, 32> digest = TokenDigest(token);
  *keep = std::atomic_load(&tokens_);
  const TokenTable* table = keep->get();
  auto it = std::lower_bound(table->entries.begin(), table->entries.end(), digest, DigestLess);
  if (it == table->entries.end() || it->digest != digest) {
    return ApiError{.reason = ErrorReason::kUnauthenticated,
                    .message =
                        "this bearer token is not in the server's token file (revoked, "
                        "mistyped, or meant for another server)"};
  }
  *name = it->name;  // alive while *keep is
  *role = it->role;
  return std::nullopt;
}

std::optional<ApiError> Authenticator::IdentifyCertificate(const Credentials& c,
                                                           std::string_view* name,
                                                           Role* role) const {
  for (const CertificateIdentitySpec& id : certificates_) {
    bool match = !id.subject.empty() && id.subject == c.certificate_subject;
    if (!id.san.empty() && c.certificate_sans != nullptr) {
      match = match || std::find(c.certificate_sans->begin(), c.certificate_sans->end(), id.san) !=
                           c.certificate_sans->end();
    }
    if (match) {
      *name = id.name;
      *role = id.role;
      return std::nullopt;
    }
  }
  return ApiError{
      .reason = ErrorReason::kUnauthenticated,
      .message = absl::StrCat("the client certificate (subject \"",
                              absl::CHexEscape(absl::string_view(c.certificate_subject.data(),
                                                                 c.certificate_subject.size())),
                              "\") maps to no identity in server.auth.certificate_identities")};
}

std::optional<ApiError> Authenticator::Identify(const Credentials& c,
                                                std::shared_ptr<const TokenTable>* keep,
                                                std::string_view* name, Role* role) const {
  if (!c.authorization.empty()) {
    if (tokens_file_.empty()) {
      return ApiError{.reason = ErrorReason::kUnauthenticated,
                      .message =
                          "this server takes no bearer tokens (server.auth has no "
                          "tokens_file): authenticate with a client certificate"};
    }
    return IdentifyToken(c.authorization, keep, name, role);
  }
  if (!c.certificate_subject.empty() && !certificates_.empty()) {
    return IdentifyCertificate(c, name, role);
  }
  if (allow_public_) {
    *name = "public";
    *role = Role::kPublic;
    return std::nullopt;
  }
  return ApiError{.reason = ErrorReason::kUnauthenticated,
                  .message = tokens_file_.empty()
                                 ? "no credentials: present a client certificate"
                                 : "no credentials: send the metadata \"authorization: Bearer "
                                   "<token>\""};
}

std::optional<ApiError> Authenticator::Authorize(const Credentials& credentials, Rpc rpc,
                                                 Caller* caller) {
  if (!enabled_) {
    *caller = Caller{.role = Role::kOperator, .unrestricted = true};
    return std::nullopt;
  }
  std::shared_ptr<const TokenTable> keep;
  std::string_view name = kNoIdentity;
  Role role = Role::kPublic;
  if (auto refusal = Identify(credentials, &keep, &name, &role)) {
    return Refuse(ErrorReason::kUnauthenticated, kNoIdentity, std::move(refusal->message));
  }
  if (!Allowed(role, rpc)) {
    return Refuse(ErrorReason::kPermissionDenied, name,
                  absl::StrCat("\"", Av(name), "\" (", Av(RoleName(role)), ") may not call ",
                               Av(RpcName(rpc))));
  }
  *caller = Caller{.role = role, .unrestricted = false};
  return std::nullopt;
}

ApiError Authenticator::Refuse(ErrorReason reason, std::string_view identity, std::string message) {
  (reason == ErrorReason::kUnauthenticated ? unauthenticated_ : permission_denied_)
      .fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(refusals_by_identity_.begin(), refusals_by_identity_.end(),
                           [&](const auto& p) { return p.first == identity; });
    if (it == refusals_by_identity_.end()) {
      refusals_by_identity_.emplace_back(std::string(identity), 1);
    } else {
      ++it->second;
    }
  }
  return ApiError{.reason = reason, .message = std::move(message)};
}

AuthStats Authenticator::stats() const {
  AuthStats s;
  s.mode = ModeName(!tokens_file_.empty(), !certificates_.empty());
  s.identity_count =
      static_cast<int>(std::atomic_load(&tokens_)->entries.size() + certificates_.size());
  s.unauthenticated = unauthenticated_.load(std::memory_order_relaxed);
  s.permission_denied = permission_denied_.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mu_);
  s.refusals_by_identity = refusals_by_identity_;
  s.tokens_file_error = tokens_file_error_;
  return s;
}

}  // namespace oracle::auth
