// A real oracled with TLS, mTLS and bearer tokens on loopback, certificates made here with the
// openssl command: who can connect, who can call what (every RPC x every role x no token, bad
// token, right token), refusal counts in GetServerStatus, certificate rotation without restart,
// the start-up refusal of an exposed insecure address, oraclectl's --tls/--ca/--cert/--token-file.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "integration/error_details.h"
#include "integration/process.h"
#include "oracle/v1/audit.grpc.pb.h"
#include "oracle/v1/oracle.grpc.pb.h"

namespace oracle {
namespace {

using testing::Child;
using testing::DetailsOf;
using testing::RunCommand;
using testing::RunResult;

const std::string kOracled = std::string(ORACLE_BINARY_DIR) + "/oracled";
const std::string kOraclectl = std::string(ORACLE_BINARY_DIR) + "/oraclectl";
const std::string kDemoTicks = std::string(ORACLE_BINARY_DIR) + "/demo/ticks.jsonl";

std::string MakeTempDir() {
  char tmpl[] = "/tmp/auth_it_XXXXXX";
  return mkdtemp(tmpl);
}

void MustRun(const std::vector<std::string>& argv) {
  RunResult r = RunCommand(argv, 60000);
  ASSERT_EQ(r.exit_code, 0) << argv[0] << " " << argv[1] << ": " << r.err;
}

// A CA in dir/<name>-ca.pem and its key.
void MakeCa(const std::string& dir, const std::string& name) {
  MustRun({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
           "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir + "/" + name + "-ca-key.pem", "-out",
           dir + "/" + name + "-ca.pem", "-days", "2", "-subj", "/CN=" + name + " test CA"});
}

// dir/<name>.pem signed by dir/<ca>-ca.pem, with the given subject and SAN extension.
void MakeLeaf(const std::string& dir, const std::string& ca, const std::string& name,
              const std::string& subject, const std::string& san, const std::string& eku) {
  const std::string key = dir + "/" + name + "-key.pem", csr = dir + "/" + name + ".csr";
  const std::string ext = dir + "/" + name + ".ext";
  std::ofstream(ext) << "subjectAltName=" << san << "\nextendedKeyUsage=" << eku << "\n";
  MustRun({"/usr/bin/openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-nodes", "-keyout", key, "-out", csr, "-subj", subject});
  MustRun({"/usr/bin/openssl", "x509", "-req", "-in", csr, "-CA", dir + "/" + ca + "-ca.pem",
           "-CAkey", dir + "/" + ca + "-ca-key.pem", "-CAcreateserial", "-out",
           dir + "/" + name + ".pem", "-days", "2", "-extfile", ext});
}

void MakeServerCert(const std::string& dir, const std::string& ca, const std::string& name) {
  MakeLeaf(dir, ca, name, "/CN=localhost", "DNS:localhost,IP:127.0.0.1", "serverAuth");
}

std::string Slurp(const std::string& path) { return testing::ReadFile(path); }

// The default configuration with `fields` added to its server { } block.
std::string DefaultConfigWithServer(const std::string& fields) {
  std::string text = Slurp(std::string(ORACLE_SOURCE_DIR) + "/feeds/default.textproto");
  const size_t at = text.find("\nserver {");
  EXPECT_NE(at, std::string::npos) << "feeds/default.textproto has no server block";
  text.insert(at + std::string("\nserver {").size(), "\n  " + fields + "\n");
  return text;
}

// sha256 hex of `token`, computed by the sha256sum tool an operator would use.
std::string Sha256Hex(const std::string& dir, const std::string& token) {
  const std::string f = dir + "/tok.tmp";
  std::ofstream(f) << token;
  RunResult r = RunCommand({"/usr/bin/sha256sum", f});
  EXPECT_EQ(r.exit_code, 0);
  return r.out.substr(0, 64);
}

// oracled on the demo log; returns once its port file holds the port (0 on failure).
struct Server {
  std::unique_ptr<Child> child;
  int port = 0;
  std::string addr() const { return "127.0.0.1:" + std::to_string(port); }
};

Server StartOracled(const std::string& dir, std::vector<std::string> extra) {
  std::vector<std::string> argv = {kOracled,   "--listen", "127.0.0.1:0", "--replay",
                                   kDemoTicks, "--loop",   "--port-file", dir + "/port"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  std::filesystem::remove(dir + "/port");
  Server s;
  s.child = std::make_unique<Child>(argv);
  s.port = testing::WaitForPortFile(dir + "/port", 30000);
  if (s.port <= 0) ADD_FAILURE() << "oracled did not start: " << s.child->Output();
  return s;
}

std::shared_ptr<grpc::ChannelCredentials> TlsCredentials(const std::string& ca,
                                                         const std::string& cert = "",
                                                         const std::string& key = "") {
  grpc::SslCredentialsOptions o;
  o.pem_root_certs = ca.empty() ? "" : Slurp(ca);
  if (!cert.empty()) {
    o.pem_cert_chain = Slurp(cert);
    o.pem_private_key = Slurp(key);
  }
  return grpc::SslCredentials(o);
}

std::shared_ptr<grpc::Channel> Channel(const Server& s,
                                       std::shared_ptr<grpc::ChannelCredentials> creds) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  args.SetSslTargetNameOverride("localhost");
  // A fresh connection per channel (the rotation test must not reuse an old handshake).
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(s.addr(), creds, args);
}

// GetMark ETH-USD until it answers something other than MARK_UNAVAILABLE (the first marks) or
// the deadline passes; the last status.
grpc::Status GetMarkOnce(const std::shared_ptr<grpc::Channel>& ch, const std::string& token = "") {
  auto stub = v1::OracleService::NewStub(ch);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  v1::GetMarkRequest req;
  req.set_instrument("ETH-USD");
  v1::Mark mark;
  return stub->GetMark(&ctx, req, &mark);
}

grpc::Status GetMarkWhenReady(const std::shared_ptr<grpc::Channel>& ch,
                              const std::string& token = "") {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  grpc::Status s;
  do {
    s = GetMarkOnce(ch, token);
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  } while (std::chrono::steady_clock::now() < deadline);
  return s;
}

class AuthIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kDemoTicks)) GTEST_SKIP() << "no demo log (make demo-ticks)";
    dir_ = MakeTempDir();
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(AuthIntegration, TlsServesClientsThatTrustTheCaAndNoOthers) {
  MakeCa(dir_, "one");
  MakeServerCert(dir_, "one", "server");
  Server s = StartOracled(
      dir_, {"--tls-cert", dir_ + "/server.pem", "--tls-key", dir_ + "/server-key.pem"});
  ASSERT_GT(s.port, 0);
  EXPECT_NE(s.child->Output().find("over TLS"), std::string::npos) << s.child->Output();
  EXPECT_TRUE(GetMarkWhenReady(Channel(s, TlsCredentials(dir_ + "/one-ca.pem"))).ok());
  // Without the CA (the system's roots do not know it) and in plaintext: no connection.
  grpc::Status untrusted = GetMarkOnce(Channel(s, TlsCredentials("")));
  EXPECT_EQ(untrusted.error_code(), grpc::StatusCode::UNAVAILABLE) << untrusted.error_message();
  grpc::Status plain = GetMarkOnce(Channel(s, grpc::InsecureChannelCredentials()));
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAVAILABLE) << plain.error_message();
  // TLS 1.2 is the minimum: a TLS 1.1 handshake fails, a TLS 1.2 one succeeds.
  // (SECLEVEL=0: the client itself would otherwise refuse to offer TLS 1.1.)
  RunResult old_tls = RunCommand({"/bin/sh", "-c",
                                  "echo | openssl s_client -connect " + s.addr() +
                                      " -tls1_1 -cipher DEFAULT@SECLEVEL=0 " + "-CAfile " + dir_ +
                                      "/one-ca.pem 2>&1"});
  EXPECT_EQ(old_tls.out.find("New, TLSv1.1, Cipher is"), std::string::npos) << old_tls.out;
  EXPECT_NE(old_tls.out.find("Cipher is (NONE)"), std::string::npos) << old_tls.out;
  RunResult tls12 = RunCommand({"/bin/sh", "-c",
                                "echo | openssl s_client -connect " + s.addr() +
                                    " -tls1_2 -alpn h2 -CAfile " + dir_ + "/one-ca.pem 2>&1"});
  EXPECT_NE(tls12.out.find("New, TLSv1.2, Cipher is"), std::string::npos) << tls12.out;
  // oraclectl health: a probe that speaks TLS (Kubernetes' gRPC probes do not).
  // (SERVING follows the first marks through a 100 ms health thread: allow it a moment.)
  RunResult health;
  const auto health_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    health = RunCommand({kOraclectl, "--addr", "localhost:" + std::to_string(s.port), "--ca",
                         dir_ + "/one-ca.pem", "health"});
  } while (health.exit_code != 0 && std::chrono::steady_clock::now() < health_deadline);
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_EQ(health.out, "oracle.v1.OracleService SERVING\n");
  RunResult unknown = RunCommand({kOraclectl, "--addr", "localhost:" + std::to_string(s.port),
                                  "--ca", dir_ + "/one-ca.pem", "health", "no.such.Service"});
  EXPECT_NE(unknown.exit_code, 0) << unknown.out;
  EXPECT_EQ(s.child->Stop(SIGTERM, 20000), 0);
}

TEST_F(AuthIntegration, MtlsRequireRefusesClientsWithoutACertificateFromTheClientCa) {
  MakeCa(dir_, "one");
  MakeCa(dir_, "rogue");
  MakeServerCert(dir_, "one", "server");
  MakeLeaf(dir_, "one", "engine-1", "/O=Exchange/CN=engine-1", "URI:oracle://client/engine-1",
           "clientAuth");
  MakeLeaf(dir_, "rogue", "intruder", "/CN=engine-1", "URI:oracle://client/engine-1", "clientAuth");
  Server s =
      StartOracled(dir_, {"--tls-cert", dir_ + "/server.pem", "--tls-key", dir_ + "/server-key.pem",
                          "--tls-client-ca", dir_ + "/one-ca.pem"});
  ASSERT_GT(s.port, 0);
  const std::string ca = dir_ + "/one-ca.pem";
  EXPECT_TRUE(GetMarkWhenReady(Channel(s, TlsCredentials(ca, dir_ + "/engine-1.pem",
                                                         dir_ + "/engine-1-key.pem")))
                  .ok());
  grpc::Status none = GetMarkOnce(Channel(s, TlsCredentials(ca)));
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAVAILABLE) << none.error_message();
  grpc::Status rogue = GetMarkOnce(
      Channel(s, TlsCredentials(ca, dir_ + "/intruder.pem", dir_ + "/intruder-key.pem")));
  EXPECT_EQ(rogue.error_code(), grpc::StatusCode::UNAVAILABLE) << rogue.error_message();
  EXPECT_EQ(s.child->Stop(SIGTERM, 20000), 0);
}

TEST_F(AuthIntegration, ARotatedCertificateIsServedWithoutARestart) {
  MakeCa(dir_, "one");
  MakeCa(dir_, "two");
  MakeServerCert(dir_, "one", "server");
  MakeServerCert(dir_, "two", "next");
  Server s = StartOracled(
      dir_, {"--tls-cert", dir_ + "/server.pem", "--tls-key", dir_ + "/server-key.pem"});
  ASSERT_GT(s.port, 0);
  EXPECT_TRUE(GetMarkWhenReady(Channel(s, TlsCredentials(dir_ + "/one-ca.pem"))).ok());
  EXPECT_FALSE(GetMarkOnce(Channel(s, TlsCredentials(dir_ + "/two-ca.pem"))).ok());
  // Rotate: key first, then certificate, each by rename (as cert-manager and certbot do).
  std::filesystem::copy_file(dir_ + "/next-key.pem", dir_ + "/k.tmp");
  std::filesystem::rename(dir_ + "/k.tmp", dir_ + "/server-key.pem");
  std::filesystem::copy_file(dir_ + "/next.pem", dir_ + "/c.tmp");
  std::filesystem::rename(dir_ + "/c.tmp", dir_ + "/server.pem");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool rotated = false;
  while (!rotated && std::chrono::steady_clock::now() < deadline) {
    rotated = GetMarkOnce(Channel(s, TlsCredentials(dir_ + "/two-ca.pem"))).ok();
    if (!rotated) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_TRUE(rotated) << "the new certificate was not served within 60 s";
  EXPECT_TRUE(s.child->Running());
  EXPECT_FALSE(GetMarkOnce(Channel(s, TlsCredentials(dir_ + "/one-ca.pem"))).ok());
  EXPECT_EQ(s.child->Stop(SIGTERM, 20000), 0);
}

// One call of each RPC with `token` ("" for none); the status.
using RpcCall = std::function<grpc::Status(grpc::ClientContext*)>;

std::map<std::string, RpcCall> EveryRpc(const std::shared_ptr<grpc::Channel>& ch) {
  std::shared_ptr<v1::OracleService::Stub> o = v1::OracleService::NewStub(ch);
  std::shared_ptr<v1::AuditService::Stub> a = v1::AuditService::NewStub(ch);
  std::map<std::string, RpcCall> calls;
  calls["GetMark"] = [o](grpc::ClientContext* c) {
    v1::GetMarkRequest r;
    r.set_instrument("ETH-USD");
    v1::Mark m;
    return o->GetMark(c, r, &m);
  };
  calls["BatchGetMarks"] = [o](grpc::ClientContext* c) {
    v1::BatchGetMarksRequest r;
    r.add_instruments("ETH-USD");
    v1::BatchGetMarksResponse m;
    return o->BatchGetMarks(c, r, &m);
  };
  calls["StreamMarks"] = [o](grpc::ClientContext* c) {
    v1::StreamMarksRequest r;
    r.add_instruments("ETH-USD");
    auto reader = o->StreamMarks(c, r);
    v1::StreamMarksResponse m;
    if (reader->Read(&m)) c->TryCancel();
    grpc::Status s = reader->Finish();
    return s.error_code() == grpc::StatusCode::CANCELLED ? grpc::Status::OK : s;
  };
  calls["ListInstruments"] = [o](grpc::ClientContext* c) {
    v1::ListInstrumentsResponse m;
    return o->ListInstruments(c, v1::ListInstrumentsRequest(), &m);
  };
  calls["ListVenues"] = [o](grpc::ClientContext* c) {
    v1::ListVenuesResponse m;
    return o->ListVenues(c, v1::ListVenuesRequest(), &m);
  };
  calls["GetServerStatus"] = [o](grpc::ClientContext* c) {
    v1::ServerStatus m;
    return o->GetServerStatus(c, v1::GetServerStatusRequest(), &m);
  };
  // Without history every AuditService call that gets past authorization is
  // FAILED_PRECONDITION HISTORY_NOT_CONFIGURED (or INVALID_ARGUMENT for the empty request).
  calls["ListMarks"] = [a](grpc::ClientContext* c) {
    v1::ListMarksRequest r;
    r.set_instrument("ETH-USD");
    v1::ListMarksResponse m;
    return a->ListMarks(c, r, &m);
  };
  calls["GetMarkAt"] = [a](grpc::ClientContext* c) {
    v1::GetMarkAtRequest r;
    r.set_instrument("ETH-USD");
    v1::GetMarkAtResponse m;
    return a->GetMarkAt(c, r, &m);
  };
  calls["GetTwap"] = [a](grpc::ClientContext* c) {
    v1::GetTwapRequest r;
    r.set_instrument("ETH-USD");
    v1::GetTwapResponse m;
    return a->GetTwap(c, r, &m);
  };
  calls["ListEvents"] = [a](grpc::ClientContext* c) {
    v1::ListEventsRequest r;
    r.set_instrument("ETH-USD");
    v1::ListEventsResponse m;
    return a->ListEvents(c, r, &m);
  };
  calls["VerifyMark"] = [a](grpc::ClientContext* c) {
    v1::VerifyMarkRequest r;
    r.set_instrument("ETH-USD");
    v1::VerifyMarkResponse m;
    return a->VerifyMark(c, r, &m);
  };
  return calls;
}

grpc::Status Call(const RpcCall& call, const std::string& authorization) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
  return call(&ctx);
}

bool IsAuthRefusal(const grpc::Status& s) {
  return s.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
         s.error_code() == grpc::StatusCode::PERMISSION_DENIED;
}

TEST_F(AuthIntegration, PermissionTableForEveryRpcRoleAndToken) {
  const std::vector<std::string> roles = {"MARGIN_ENGINE", "KEEPER", "AUDITOR", "OPERATOR"};
  {
    std::ofstream tokens(dir_ + "/tokens");
    tokens << "# name role sha256(token)\n";
    for (const std::string& r : roles) {
      tokens << "id-" << r << " " << r << " " << Sha256Hex(dir_, "secret-" + r) << "\n";
    }
  }
  Server s = StartOracled(dir_, {"--auth-tokens", dir_ + "/tokens"});
  ASSERT_GT(s.port, 0);
  auto ch = Channel(s, grpc::InsecureChannelCredentials());
  ASSERT_TRUE(GetMarkWhenReady(ch, "secret-OPERATOR").ok());
  const std::map<std::string, std::vector<std::string>> allowed = {
      {"GetMark", {"MARGIN_ENGINE", "KEEPER", "OPERATOR"}},
      {"BatchGetMarks", {"MARGIN_ENGINE", "KEEPER", "OPERATOR"}},
      {"StreamMarks", {"MARGIN_ENGINE", "KEEPER", "OPERATOR"}},
      {"ListInstruments", {"MARGIN_ENGINE", "KEEPER", "AUDITOR", "OPERATOR"}},
      {"ListVenues", {"MARGIN_ENGINE", "KEEPER", "AUDITOR", "OPERATOR"}},
      {"GetServerStatus", {"OPERATOR"}},
      {"ListMarks", {"AUDITOR", "OPERATOR"}},
      {"GetMarkAt", {"AUDITOR", "OPERATOR"}},
      {"GetTwap", {"AUDITOR", "OPERATOR"}},
      {"ListEvents", {"AUDITOR", "OPERATOR"}},
      {"VerifyMark", {"AUDITOR", "OPERATOR"}},
  };
  std::map<std::string, RpcCall> calls = EveryRpc(ch);
  ASSERT_EQ(calls.size(), allowed.size());
  int64_t unauthenticated = 0, denied = 0;
  std::map<std::string, int64_t> denied_by;
  for (const auto& [name, call] : calls) {
    for (const std::string& bad :
         {std::string(), std::string("Bearer wrong-token"), std::string("secret-OPERATOR")}) {
      grpc::Status st = Call(call, bad);
      EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name << " with " << bad;
      EXPECT_EQ(DetailsOf(st).Reason(), "UNAUTHENTICATED") << name;
      EXPECT_EQ(st.error_message().find("wrong-token"), std::string::npos) << st.error_message();
      ++unauthenticated;
    }
    for (const std::string& role : roles) {
      grpc::Status st = Call(call, "Bearer secret-" + role);
      const auto& who = allowed.at(name);
      if (std::find(who.begin(), who.end(), role) != who.end()) {
        EXPECT_FALSE(IsAuthRefusal(st)) << name << " as " << role << ": " << st.error_message();
      } else {
        EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << name << " as " << role;
        EXPECT_EQ(DetailsOf(st).Reason(), "PERMISSION_DENIED") << name;
        ++denied;
        ++denied_by["id-" + role];
      }
    }
  }
  // The refusals, counted by reason and by identity (never by token).
  auto stub = v1::OracleService::NewStub(ch);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer secret-OPERATOR");
  v1::ServerStatus status;
  ASSERT_TRUE(stub->GetServerStatus(&ctx, v1::GetServerStatusRequest(), &status).ok());
  EXPECT_EQ(status.auth().mode(), "tokens");
  EXPECT_EQ(status.auth().identity_count(), 4);
  EXPECT_EQ(status.auth().refusal_counts().at("UNAUTHENTICATED"), unauthenticated);
  EXPECT_EQ(status.auth().refusal_counts().at("PERMISSION_DENIED"), denied);
  EXPECT_EQ(status.auth().refusals_by_identity().at("-"), unauthenticated);
  for (const auto& [id, n] : denied_by) {
    EXPECT_EQ(status.auth().refusals_by_identity().at(id), n) << id;
  }
  EXPECT_EQ(status.request_error_counts().at("PERMISSION_DENIED"), denied);
  for (const auto& [id, n] : status.auth().refusals_by_identity()) {
    EXPECT_EQ(id.find("secret"), std::string::npos) << id;
  }
  EXPECT_EQ(s.child->Output().find("secret-"), std::string::npos) << "a token in the log";
  EXPECT_EQ(s.child->Stop(SIGTERM, 20000), 0);
}

TEST_F(AuthIntegration, CertificateIdentitiesGiveRolesUnderMtls) {
  MakeCa(dir_, "one");
  MakeServerCert(dir_, "one", "server");
  MakeLeaf(dir_, "one", "engine-1", "/O=Exchange/CN=engine-1", "URI:oracle://client/engine-1",
           "clientAuth");
  MakeLeaf(dir_, "one", "auditor", "/CN=auditor", "URI:oracle://client/auditor", "clientAuth");
  MakeLeaf(dir_, "one", "stranger", "/CN=stranger", "URI:oracle://client/stranger", "clientAuth");
  std::ofstream(dir_ + "/config.textproto") << DefaultConfigWithServer(
      "tls { cert_file: \"" + dir_ + "/server.pem\" key_file: \"" + dir_ +
      "/server-key.pem\" client_ca_file: \"" + dir_ + "/one-ca.pem\" }\n" +
      "  auth { certificate_identities { subject: \"CN=engine-1,O=Exchange\" name: \"engine-1\" "
      "role: ROLE_MARGIN_ENGINE }\n"
      "         certificate_identities { san: \"oracle://client/auditor\" name: \"auditor\" "
      "role: ROLE_AUDITOR } }");
  Server s = StartOracled(dir_, {"--config", dir_ + "/config.textproto"});
  ASSERT_GT(s.port, 0);
  const std::string ca = dir_ + "/one-ca.pem";
  auto engine = Channel(s, TlsCredentials(ca, dir_ + "/engine-1.pem", dir_ + "/engine-1-key.pem"));
  EXPECT_TRUE(GetMarkWhenReady(engine).ok());
  auto calls = EveryRpc(engine);
  EXPECT_EQ(Call(calls["GetServerStatus"], "").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto auditor =
      EveryRpc(Channel(s, TlsCredentials(ca, dir_ + "/auditor.pem", dir_ + "/auditor-key.pem")));
  EXPECT_EQ(Call(auditor["GetMark"], "").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(IsAuthRefusal(Call(auditor["VerifyMark"], "")));
  auto stranger =
      EveryRpc(Channel(s, TlsCredentials(ca, dir_ + "/stranger.pem", dir_ + "/stranger-key.pem")));
  grpc::Status st = Call(stranger["GetMark"], "");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(st.error_message().find("CN=stranger"), std::string::npos) << st.error_message();
  EXPECT_EQ(s.child->Stop(SIGTERM, 20000), 0);
}

TEST_F(AuthIntegration, RoleDefaultMaxAgeAppliesWhenTheRequestSetsNone) {
  std::ofstream(dir_ + "/tokens") << "engine MARGIN_ENGINE " << Sha256Hex(dir_, "e")
                                  << "\nkeeper KEEPER " << Sha256Hex(dir_, "k") << "\n";
  // A margin engine's reads default to 1 ms: the newest mark is always older than that.
  std::ofstream(dir_ + "/config.textproto")
      << DefaultConfigWithServer("auth { tokens_file: \"" + dir_ + "/tokens\"\n" +
                                 "  role_defaults { role: ROLE_MARGIN_ENGINE max_age_ms: 1 } }");
  Server s = StartOracled(dir_, {"--config", dir_ + "/config.textproto"});
  ASSERT_GT(s.port, 0);
  auto ch = Channel(s, grpc::InsecureChannelCredentials());
  ASSERT_TRUE(GetMarkWhenReady(ch, "k").ok());
  grpc::Status engine = GetMarkOnce(ch, "e");
  EXPECT_EQ(engine.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << engine.error_message();
  EXPECT_EQ(DetailsOf(engine).Reason(), "MARK_STALE");
  EXPECT_EQ(s.child->Stop(SIGTERM, 20000), 0);
}

TEST_F(AuthIntegration, TheTokenFileIsReReadWithoutARestart) {
  std::ofstream(dir_ + "/tokens") << "k KEEPER " << Sha256Hex(dir_, "old") << "\n";
  Server s = StartOracled(dir_, {"--auth-tokens", dir_ + "/tokens"});
  ASSERT_GT(s.port, 0);
  auto ch = Channel(s, grpc::InsecureChannelCredentials());
  ASSERT_TRUE(GetMarkWhenReady(ch, "old").ok());
  const std::string next = dir_ + "/tokens.next";
  std::ofstream(next) << "k KEEPER " << Sha256Hex(dir_, "new") << "\n";
  std::filesystem::rename(next, dir_ + "/tokens");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (GetMarkOnce(ch, "new").error_code() == grpc::StatusCode::UNAUTHENTICATED &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(GetMarkOnce(ch, "new").ok());
  EXPECT_EQ(GetMarkOnce(ch, "old").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.child->Stop(SIGTERM, 20000), 0);
}

TEST_F(AuthIntegration, AnExposedAddressWithoutTlsOrAuthenticationIsRefusedAtStart) {
  RunResult r = RunCommand({kOracled, "--listen", "0.0.0.0:0", "--replay", kDemoTicks}, 30000);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("refusing to serve 0.0.0.0:0 without TLS and authentication"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--tls-cert FILE --tls-key FILE"), std::string::npos) << r.err;
  // With allow_insecure it starts, and says so.
  std::ofstream(dir_ + "/config.textproto") << DefaultConfigWithServer("allow_insecure: true");
  Child c({kOracled, "--config", dir_ + "/config.textproto", "--listen", "0.0.0.0:0", "--replay",
           kDemoTicks, "--port-file", dir_ + "/port"});
  ASSERT_GT(testing::WaitForPortFile(dir_ + "/port", 30000), 0) << c.Output();
  EXPECT_NE(c.Output().find("because server.allow_insecure is set"), std::string::npos)
      << c.Output();
  EXPECT_EQ(c.Stop(SIGTERM, 20000), 0);
}

TEST_F(AuthIntegration, BadTlsFilesAreStartErrorsNamingTheFile) {
  MakeCa(dir_, "one");
  MakeServerCert(dir_, "one", "server");
  MakeServerCert(dir_, "one", "other");
  RunResult wrong_key = RunCommand({kOracled, "--listen", "127.0.0.1:0", "--tls-cert",
                                    dir_ + "/server.pem", "--tls-key", dir_ + "/other-key.pem"});
  EXPECT_EQ(wrong_key.exit_code, 4);
  EXPECT_NE(wrong_key.err.find("server.tls.key_file " + dir_ +
                               "/other-key.pem: is not the key of "
                               "the certificate in " +
                               dir_ + "/server.pem"),
            std::string::npos)
      << wrong_key.err;
  RunResult missing = RunCommand({kOracled, "--listen", "127.0.0.1:0", "--tls-cert",
                                  dir_ + "/nope.pem", "--tls-key", dir_ + "/server-key.pem"});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_NE(missing.err.find("server.tls.cert_file " + dir_ + "/nope.pem: cannot read it"),
            std::string::npos)
      << missing.err;
  RunResult half = RunCommand({kOracled, "--tls-cert", dir_ + "/server.pem"});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_NE(half.err.find("--tls-cert and --tls-key go together"), std::string::npos) << half.err;
  RunResult bad_tokens =
      RunCommand({kOracled, "--listen", "127.0.0.1:0", "--auth-tokens", dir_ + "/none"});
  EXPECT_EQ(bad_tokens.exit_code, 4);
  EXPECT_NE(bad_tokens.err.find("token file " + dir_ + "/none: cannot read it"), std::string::npos)
      << bad_tokens.err;
}

TEST_F(AuthIntegration, OraclectlConnectsWithTlsAClientCertificateAndAToken) {
  MakeCa(dir_, "one");
  MakeServerCert(dir_, "one", "server");
  MakeLeaf(dir_, "one", "ops", "/CN=ops", "URI:oracle://client/ops", "clientAuth");
  std::ofstream(dir_ + "/tokens") << "ops OPERATOR " << Sha256Hex(dir_, "ops-token") << "\n";
  std::ofstream(dir_ + "/ops.token") << "ops-token\n";
  Server s = StartOracled(
      dir_, {"--tls-cert", dir_ + "/server.pem", "--tls-key", dir_ + "/server-key.pem",
             "--tls-client-ca", dir_ + "/one-ca.pem", "--auth-tokens", dir_ + "/tokens"});
  ASSERT_GT(s.port, 0);
  const std::string addr = "localhost:" + std::to_string(s.port);
  const std::vector<std::string> tls = {"--addr", addr,
                                        "--ca",   dir_ + "/one-ca.pem",
                                        "--cert", dir_ + "/ops.pem",
                                        "--key",  dir_ + "/ops-key.pem"};
  auto ctl = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {kOraclectl};
    argv.insert(argv.end(), tls.begin(), tls.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCommand(argv);
  };
  RunResult status = ctl({"--token-file", dir_ + "/ops.token", "status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  RunResult no_token = ctl({"status"});
  EXPECT_NE(no_token.exit_code, 0);
  EXPECT_NE(no_token.err.find("UNAUTHENTICATED"), std::string::npos) << no_token.err;
  setenv("ORACLE_TOKEN", "ops-token", 1);
  RunResult env_token = ctl({"venues"});
  unsetenv("ORACLE_TOKEN");
  EXPECT_EQ(env_token.exit_code, 0) << env_token.err;
  RunResult plain = RunCommand({kOraclectl, "--addr", addr, "--token-file", dir_ + "/ops.token",
                                "--timeout", "2s", "status"});
  EXPECT_NE(plain.exit_code, 0);
  RunResult missing_ca =
      RunCommand({kOraclectl, "--addr", addr, "--ca", dir_ + "/nope.pem", "status"});
  EXPECT_EQ(missing_ca.exit_code, 2) << missing_ca.err;
  EXPECT_NE(missing_ca.err.find("cannot read " + dir_ + "/nope.pem"), std::string::npos)
      << missing_ca.err;
  EXPECT_EQ(s.child->Stop(SIGTERM, 20000), 0);
}

}  // namespace
}  // namespace oracle
