// `oraclectl verify-signature` run as the real binary: its flags, output and exit codes. What it
// checks (ReadMarkJson, MarkVerifier) is tested in tests/unit/signing.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "google/protobuf/util/json_util.h"
#include "integration/process.h"
#include "oracle/signing/mark_signer.h"

namespace oracle::ctl {
namespace {

namespace fs = std::filesystem;
using signing::CanonicalMarkBytes;
using signing::MarkSigner;

// The mark of the README's example, with provenance.
v1::Mark ExampleMark() {
  v1::Mark m;
  m.set_instrument("USDE-USD");
  m.mutable_price()->set_mantissa(99951053);
  m.mutable_price()->set_exponent(-8);
  m.mutable_confidence()->set_mantissa(9598);
  m.mutable_confidence()->set_exponent(-8);
  m.mutable_publish_time()->set_seconds(1794892441);
  m.mutable_publish_time()->set_nanos(700015801);
  m.mutable_last_good_time()->set_seconds(1794892441);
  m.mutable_last_good_time()->set_nanos(600000000);
  m.set_sequence(120);
  m.set_status(v1::MARK_STATUS_OK);
  m.set_status_reason("QUORUM_MET");
  m.add_flags(v1::MARK_FLAG_QUOTE_CONVERTED);  // out of order on purpose
  m.add_flags(v1::MARK_FLAG_OUTLIERS_PRESENT);
  m.set_used_venue_count(6);
  m.set_required_venue_count(3);
  v1::VenueContribution* s = m.add_sources();
  s->set_venue("binance");
  s->set_pair("USDE-USDT");
  s->mutable_price()->set_mantissa(87174616);
  s->mutable_price()->set_exponent(-8);
  s->set_outlier(true);
  s->set_deviation_bps(-1278);
  return m;
}

// The secret keys of RFC 8032 section 7.1, TEST 1 to 3 (TEST 1: key id 21fe31dfa154a261).
constexpr const char* kRfc8032SecretKeys[] = {
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
};

std::unique_ptr<MarkSigner> RfcSigner(int i) {
  auto s = MarkSigner::FromRawPrivateKey(absl::HexStringToBytes(kRfc8032SecretKeys[i]));
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? std::move(*s) : nullptr;
}

class VerifySignatureCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "verify_signature_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = Path(name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  // Runs the command; returns the exit code, stdout in *out and stderr in *err.
  int Run(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.begin(), {std::string(ORACLE_BINARY_DIR) + "/oraclectl", "verify-signature"});
    const oracle::testing::RunResult r = oracle::testing::RunCommand(args);
    *out = r.out;
    *err = r.err;
    return r.exit_code;
  }
  std::string MarkJson(const v1::Mark& m) {
    std::string json;
    google::protobuf::util::JsonPrintOptions opts;
    opts.preserve_proto_field_names = true;  // as `oraclectl --json get` prints it
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &json, opts).ok());
    return json + "\n";
  }

  fs::path dir_;
};

TEST_F(VerifySignatureCommand, VerifiesPrintsCanonicalAndReportsFailures) {
  auto signer = RfcSigner(0);
  const std::string pub = Write("pub.pem", signer->public_key_pem());
  v1::Mark m = ExampleMark();
  ASSERT_TRUE(signer->Sign(&m));
  const std::string good = Write("good.json", MarkJson(m));
  std::string out, err;
  EXPECT_EQ(Run({"--public-key", pub, "--mark-json", good}, &out, &err), 0) << err;
  EXPECT_EQ(out,
            "OK publisher_id=21fe31dfa154a261 key_id=21fe31dfa154a261 instrument=USDE-USD "
            "sequence=120\n");

  EXPECT_EQ(Run({"--print-canonical", "--mark-json", good}, &out, &err), 0) << err;
  EXPECT_EQ(out, CanonicalMarkBytes(m, "21fe31dfa154a261"));
  EXPECT_TRUE(absl::StartsWith(out, "oracle-mark-v2\npublisher_id=21fe31dfa154a261\n")) << out;

  // A mark stored before encoding v2 (no publisher_id) verifies as v1.
  v1::Mark old_mark = ExampleMark();
  ASSERT_TRUE(signer->Sign(&old_mark, signing::SignedEncoding::kV1));
  const std::string old_file = Write("v1.json", MarkJson(old_mark));
  EXPECT_EQ(Run({"--public-key", pub, "--mark-json", old_file}, &out, &err), 0) << err;
  EXPECT_EQ(out, "OK key_id=21fe31dfa154a261 instrument=USDE-USD sequence=120 (encoding v1)\n");
  EXPECT_EQ(Run({"--print-canonical", "--mark-json", old_file}, &out, &err), 0) << err;
  EXPECT_TRUE(absl::StartsWith(out, "oracle-mark-v1\nkey_id=21fe31dfa154a261\n")) << out;

  v1::Mark tampered = m;
  tampered.mutable_price()->set_mantissa(65000000);
  EXPECT_EQ(
      Run({"--public-key", pub, "--mark-json", Write("bad.json", MarkJson(tampered))}, &out, &err),
      1);
  EXPECT_TRUE(absl::StartsWith(out, "BAD_SIGNATURE:")) << out;

  v1::Mark unsigned_mark = ExampleMark();
  EXPECT_EQ(Run({"--public-key", pub, "--mark-json", Write("u.json", MarkJson(unsigned_mark))},
                &out, &err),
            1);
  EXPECT_TRUE(absl::StartsWith(out, "UNSIGNED:")) << out;

  EXPECT_EQ(
      Run({"--public-key", pub, "--mark-json", Write("junk.json", "{\"price\": 3")}, &out, &err),
      1);
  EXPECT_TRUE(absl::StrContains(err, "junk.json")) << err;
  EXPECT_EQ(Run({"--public-key", Path("missing.pem"), "--mark-json", good}, &out, &err), 1);
  EXPECT_TRUE(absl::StrContains(err, "missing.pem: no such file")) << err;
  EXPECT_EQ(Run({"--public-key", pub, "--mark-json", Path("missing.json")}, &out, &err), 1);
  EXPECT_TRUE(absl::StrContains(err, "missing.json")) << err;

  EXPECT_EQ(Run({"--mark-json", good}, &out, &err), 2);  // no --public-key
  EXPECT_EQ(Run({"--public-key"}, &out, &err), 2);
  EXPECT_EQ(Run({"--public-key", pub, "extra"}, &out, &err), 2);
  EXPECT_EQ(Run({"--bogus"}, &out, &err), 2);
}

}  // namespace
}  // namespace oracle::ctl
