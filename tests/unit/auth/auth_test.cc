// The auth module without gRPC: token file parsing, who a call is, the permission table, refusal
// counts, re-reading the token file, the exposure check.
#include "oracle/auth/auth.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "oracle/core/log.h"

namespace oracle::auth {
namespace {

std::string Line(const std::string& name, const std::string& role, const std::string& token) {
  return name + " " + role + " " + TokenDigestHex(token) + "\n";
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/auth_test_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name, const std::string& text) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p) << text;
    return p;
  }

 private:
  std::string path_;
};

TEST(TokenDigest, IsSha256) {
  // printf %s abc | sha256sum
  EXPECT_EQ(TokenDigestHex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ParseTokenFile, ReadsLinesCommentsAndBlankLines) {
  auto entries = ParseTokenFile("# who\n\n" + Line("engine-1", "MARGIN_ENGINE", "t1") + "  " +
                                    Line("keeper.a", "keeper", "t2"),
                                "tokens");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].name, "engine-1");
  EXPECT_EQ((*entries)[0].role, Role::kMarginEngine);
  EXPECT_EQ((*entries)[1].role, Role::kKeeper);
}

TEST(ParseTokenFile, NamesTheLineAndWhatIsWrong) {
  const std::string good = Line("a", "OPERATOR", "t");
  const std::map<std::string, std::string> cases = {
      {"a OPERATOR\n", "tokens:1: expected `name role sha256hex` (3 fields), found 2"},
      {"a b@d OPERATOR " + TokenDigestHex("x") + "\n", "found 4"},
      {"a\x01 OPERATOR " + TokenDigestHex("x") + "\n", "tokens:1: name \"a\\x01\": must be"},
      {"a ROOT " + TokenDigestHex("x") + "\n", "tokens:1: role \"ROOT\": must be PUBLIC"},
      {"a OPERATOR my-secret-token\n", "tokens:1: the digest must be 64 hex digits"},
      {good + good, "tokens:2: the same token as \"a\""},
      {good + Line("a", "KEEPER", "u"), "tokens:2: \"a\" already has role OPERATOR"},
  };
  for (const auto& [text, want] : cases) {
    auto r = ParseTokenFile(text, "tokens");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.status().message().find(want), std::string::npos) << r.status();
    // A token written by mistake in the digest column is not echoed back.
    EXPECT_EQ(r.status().message().find("my-secret-token"), std::string::npos) << r.status();
  }
}

Config TokenConfig(const std::string& tokens_file) {
  Config c;
  c.auth.tokens_file = tokens_file;
  return c;
}

TEST(Authenticator, WithoutAuthenticationEveryCallerHasEveryRole) {
  Config c;
  auto a = Authenticator::Create(c);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE((*a)->enabled());
  Caller caller{.role = Role::kPublic, .unrestricted = false};
  for (int r = 0; r < kNumRpcs; ++r) {
    EXPECT_FALSE((*a)->Authorize({}, static_cast<Rpc>(r), &caller));
    EXPECT_TRUE(caller.unrestricted);
  }
  EXPECT_EQ((*a)->stats().mode, "none");
}

// Every RPC x every role x (no token, bad token, right token).
TEST(Authenticator, PermissionTableForEveryRpcRoleAndCredential) {
  TempDir dir;
  const std::vector<std::pair<Role, std::string>> roles = {{Role::kMarginEngine, "MARGIN_ENGINE"},
                                                           {Role::kKeeper, "KEEPER"},
                                                           {Role::kAuditor, "AUDITOR"},
                                                           {Role::kOperator, "OPERATOR"}};
  std::string text;
  for (const auto& [role, name] : roles) text += Line("id-" + name, name, "token-" + name);
  auto a = Authenticator::Create(TokenConfig(dir.File("tokens", text)));
  ASSERT_TRUE(a.ok()) << a.status();
  // The expected table, written out independently of permissions.cc.
  const std::map<Rpc, std::vector<Role>> allowed = {
      {Rpc::kGetMark, {Role::kMarginEngine, Role::kKeeper, Role::kOperator}},
      {Rpc::kBatchGetMarks, {Role::kMarginEngine, Role::kKeeper, Role::kOperator}},
      {Rpc::kStreamMarks, {Role::kMarginEngine, Role::kKeeper, Role::kOperator}},
      {Rpc::kListInstruments,
       {Role::kMarginEngine, Role::kKeeper, Role::kAuditor, Role::kOperator}},
      {Rpc::kListVenues, {Role::kMarginEngine, Role::kKeeper, Role::kAuditor, Role::kOperator}},
      {Rpc::kGetServerStatus, {Role::kOperator}},
      {Rpc::kListMarks, {Role::kAuditor, Role::kOperator}},
      {Rpc::kGetMarkAt, {Role::kAuditor, Role::kOperator}},
      {Rpc::kGetTwap, {Role::kAuditor, Role::kOperator}},
      {Rpc::kListEvents, {Role::kAuditor, Role::kOperator}},
      {Rpc::kVerifyMark, {Role::kAuditor, Role::kOperator}},
  };
  ASSERT_EQ(allowed.size(), static_cast<size_t>(kNumRpcs));
  uint64_t unauthenticated = 0, denied = 0;
  for (const auto& [rpc, who] : allowed) {
    Caller caller;
    auto none = (*a)->Authorize({}, rpc, &caller);
    ASSERT_TRUE(none);
    EXPECT_EQ(none->reason, ErrorReason::kUnauthenticated) << RpcName(rpc);
    const std::string bad_header = "Bearer not-a-token";
    auto bad = (*a)->Authorize({.authorization = bad_header}, rpc, &caller);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->reason, ErrorReason::kUnauthenticated);
    unauthenticated += 2;
    for (const auto& [role, name] : roles) {
      const std::string header = "Bearer token-" + name;
      auto got = (*a)->Authorize({.authorization = header}, rpc, &caller);
      const bool want = std::find(who.begin(), who.end(), role) != who.end();
      EXPECT_EQ(!got, want) << RpcName(rpc) << " as " << name;
      if (got) {
        EXPECT_EQ(got->reason, ErrorReason::kPermissionDenied);
        EXPECT_NE(got->message.find("id-" + name), std::string::npos) << got->message;
        ++denied;
      } else {
        EXPECT_EQ(caller.role, role);
        EXPECT_FALSE(caller.unrestricted);
      }
    }
  }
  AuthStats s = (*a)->stats();
  EXPECT_EQ(s.mode, "tokens");
  EXPECT_EQ(s.identity_count, 4);
  EXPECT_EQ(s.unauthenticated, unauthenticated);
  EXPECT_EQ(s.permission_denied, denied);
  std::map<std::string, uint64_t> by(s.refusals_by_identity.begin(), s.refusals_by_identity.end());
  EXPECT_EQ(by["-"], unauthenticated);
  EXPECT_EQ(by["id-MARGIN_ENGINE"], 6u);  // GetServerStatus and the five AuditService calls
  EXPECT_EQ(by["id-AUDITOR"], 4u);        // the three mark reads and GetServerStatus
  EXPECT_EQ(by.count("id-OPERATOR"), 0u);
  for (const auto& [identity, n] : by) {
    EXPECT_EQ(identity.find("token"), std::string::npos) << "a token in the counts: " << identity;
  }
}

TEST(Authenticator, MalformedAuthorizationHeaderSaysSo) {
  TempDir dir;
  auto a = Authenticator::Create(TokenConfig(dir.File("t", Line("k", "KEEPER", "secret"))));
  ASSERT_TRUE(a.ok());
  Caller caller;
  for (std::string header : {"secret", "Basic c2VjcmV0", "Bearer ", "Bearer a b"}) {
    auto e = (*a)->Authorize({.authorization = header}, Rpc::kGetMark, &caller);
    ASSERT_TRUE(e) << header;
    EXPECT_NE(e->message.find("\"Bearer <token>\""), std::string::npos) << e->message;
  }
  EXPECT_FALSE((*a)->Authorize({.authorization = "bearer secret"}, Rpc::kGetMark, &caller));
}

TEST(Authenticator, PublicCallersReadMarksOnlyWhenAllowed) {
  TempDir dir;
  Config c = TokenConfig(dir.File("t", Line("k", "KEEPER", "secret")));
  c.auth.allow_public = true;
  auto a = Authenticator::Create(c);
  ASSERT_TRUE(a.ok());
  Caller caller;
  EXPECT_FALSE((*a)->Authorize({}, Rpc::kGetMark, &caller));
  EXPECT_EQ(caller.role, Role::kPublic);
  auto e = (*a)->Authorize({}, Rpc::kListMarks, &caller);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kPermissionDenied);
  // A wrong token is still refused: presenting credentials that fail is not anonymous.
  auto bad = (*a)->Authorize({.authorization = "Bearer wrong"}, Rpc::kGetMark, &caller);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, ErrorReason::kUnauthenticated);
}

TEST(Authenticator, CertificateIdentitiesBySubjectOrSan) {
  Config c;
  c.auth.certificate_identities = {
      {.subject = "CN=engine-1,O=Exchange", .name = "engine-1", .role = Role::kMarginEngine},
      {.san = "oracle://client/auditor", .name = "auditor", .role = Role::kAuditor}};
  auto a = Authenticator::Create(c);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE((*a)->uses_certificates());
  Caller caller;
  const std::vector<std::string> no_sans;
  EXPECT_FALSE((*a)->Authorize(
      {.certificate_subject = "CN=engine-1,O=Exchange", .certificate_sans = &no_sans},
      Rpc::kGetMark, &caller));
  EXPECT_EQ(caller.role, Role::kMarginEngine);
  const std::vector<std::string> sans = {"DNS:x", "oracle://client/auditor"};
  EXPECT_FALSE((*a)->Authorize({.certificate_subject = "CN=whoever", .certificate_sans = &sans},
                               Rpc::kVerifyMark, &caller));
  EXPECT_EQ(caller.role, Role::kAuditor);
  auto unknown = (*a)->Authorize(
      {.certificate_subject = "CN=stranger", .certificate_sans = &no_sans}, Rpc::kGetMark, &caller);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->reason, ErrorReason::kUnauthenticated);
  EXPECT_NE(unknown->message.find("CN=stranger"), std::string::npos) << unknown->message;
  auto token = (*a)->Authorize({.authorization = "Bearer x"}, Rpc::kGetMark, &caller);
  ASSERT_TRUE(token);
  EXPECT_NE(token->message.find("takes no bearer tokens"), std::string::npos) << token->message;
  EXPECT_EQ((*a)->stats().mode, "mtls");
}

TEST(Authenticator, TokenFileIsReReadWhenItChangesAndABadFileKeepsTheOldTokens) {
  TempDir dir;
  const std::string path = dir.File("t", Line("k", "KEEPER", "old"));
  auto a = Authenticator::Create(TokenConfig(path));
  ASSERT_TRUE(a.ok());
  Caller caller;
  EXPECT_FALSE((*a)->Authorize({.authorization = "Bearer old"}, Rpc::kGetMark, &caller));
  EXPECT_FALSE((*a)->ReloadIfChanged());  // unchanged

  dir.File("t", Line("k", "KEEPER", "new") + Line("op", "OPERATOR", "op-token"));
  EXPECT_TRUE((*a)->ReloadIfChanged());
  EXPECT_TRUE((*a)->Authorize({.authorization = "Bearer old"}, Rpc::kGetMark, &caller));
  EXPECT_FALSE((*a)->Authorize({.authorization = "Bearer new"}, Rpc::kGetMark, &caller));
  EXPECT_EQ((*a)->stats().identity_count, 2);

  ScopedLogCapture log;
  dir.File("t", "k KEEPER not-hex-at-all\n");
  EXPECT_FALSE((*a)->ReloadIfChanged());
  EXPECT_FALSE((*a)->Authorize({.authorization = "Bearer new"}, Rpc::kGetMark, &caller));
  AuthStats s = (*a)->stats();
  EXPECT_NE(s.tokens_file_error.find(path + ":1: the digest must be"), std::string::npos)
      << s.tokens_file_error;
  EXPECT_TRUE(log.Contains("the previous tokens stay in force"));
  EXPECT_FALSE(log.Contains("not-hex-at-all"));

  dir.File("t", Line("k", "KEEPER", "newer"));
  EXPECT_TRUE((*a)->ReloadIfChanged());
  EXPECT_TRUE((*a)->stats().tokens_file_error.empty());
}

TEST(Authenticator, AMissingTokenFileIsAnErrorNamingIt) {
  auto a = Authenticator::Create(TokenConfig("/nonexistent/tokens"));
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("token file /nonexistent/tokens: cannot read it"),
            std::string::npos)
      << a.status();
}

TEST(Exposure, LoopbackAddresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3:0"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:1"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.5:50051"));
  EXPECT_FALSE(IsLoopbackAddress("oracle.example.org:443"));
}

TEST(Exposure, NonLoopbackNeedsTlsAndAuthenticationOrAllowInsecure) {
  Config c;
  c.listen_address = "0.0.0.0:50051";
  std::vector<std::string> warnings;
  absl::Status st = CheckExposure(c, &warnings);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("without TLS and authentication"), std::string::npos) << st;
  EXPECT_NE(st.message().find("--tls-cert FILE --tls-key FILE"), std::string::npos) << st;
  EXPECT_NE(st.message().find("--auth-tokens FILE"), std::string::npos) << st;

  c.tls.cert_file = "cert.pem";
  c.tls.key_file = "key.pem";
  st = CheckExposure(c, &warnings);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("without authentication"), std::string::npos) << st;

  c.auth.tokens_file = "tokens";
  warnings.clear();
  EXPECT_TRUE(CheckExposure(c, &warnings).ok());
  EXPECT_TRUE(warnings.empty());

  c.tls = {};
  c.allow_insecure = true;
  EXPECT_TRUE(CheckExposure(c, &warnings).ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("without TLS because server.allow_insecure is set"), std::string::npos)
      << warnings[0];
}

TEST(Exposure, LoopbackWithoutAuthenticationIsAllowedAndSaysSo) {
  Config c;
  std::vector<std::string> warnings;
  EXPECT_TRUE(CheckExposure(c, &warnings).ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("every caller on 127.0.0.1:50051 has every role"), std::string::npos);
}

}  // namespace
}  // namespace oracle::auth
