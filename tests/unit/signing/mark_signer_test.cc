#include "oracle/signing/mark_signer.h"
#include "oracle/signing/read_mark_json.h"
#include "oracle/signing/signature_cache.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"

namespace oracle::signing {
namespace {

namespace fs = std::filesystem;

std::string Unhex(absl::string_view hex) { return absl::HexStringToBytes(hex); }
std::string Hex(const std::string& bytes) { return absl::BytesToHexString(bytes); }

// Ed25519 (RFC 8032 TEST 1 key) over the v2 text of ExampleMark() with publisher_id = key_id.
// Checked with `openssl pkeyutl -sign -rawin` over the GoldenV2EncodingOfAFullMark text (with
// publisher_id=21fe31dfa154a261) and the RFC 8032 TEST 1 key in a PKCS#8 PEM.
constexpr char kPinnedV2Signature[] =
    "36e3135b1b6c6aa6c4f0656789597bae20f048fcabdc456f26380a4d7db73e1f"
    "05880ff3e71628d895a251e5df52bebbf9198005cc843d275ba0ab8b5e94a103";

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

// RFC 8032 section 7.1.
struct RfcVector {
  const char* name;
  const char* secret_key;
  const char* public_key;
  const char* message;
  const char* signature;
};
constexpr RfcVector kRfc8032[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
     "b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f1"
     "1d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984d"
     "c6594a7c15e9716ed28dc027beceea1ec40a"},
};

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

std::string PemOf(EVP_PKEY* key, bool private_key, const char* passphrase = nullptr) {
  BIO* bio = BIO_new(BIO_s_mem());
  int ok = 0;
  if (!private_key) {
    ok = PEM_write_bio_PUBKEY(bio, key);
  } else if (passphrase != nullptr) {
    ok = PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                       const_cast<char*>(passphrase));
  } else {
    ok = PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int)
  std::string out = ok == 1 ? std::string(data, static_cast<size_t>(len)) : "";
  BIO_free(bio);
  return out;
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "signing_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  // Mode 0600: a private key file must be the owner's only (KeyFiles.*GroupOrOthers*).
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = Path(name);
    std::ofstream(p, std::ios::binary) << content;
    chmod(p.c_str(), 0600);
    return p;
  }

  fs::path dir_;
};

std::unique_ptr<MarkSigner> RfcSigner(int i) {
  auto s = MarkSigner::FromRawPrivateKey(Unhex(kRfc8032[i].secret_key));
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? std::move(*s) : nullptr;
}

// --- Ed25519 itself ---------------------------------------------------------------------------

TEST(Ed25519, Rfc8032VectorsThroughTheRawOpenSslCalls) {
  for (const RfcVector& v : kRfc8032) {
    SCOPED_TRACE(v.name);
    const std::string secret = Unhex(v.secret_key);
    Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(secret.data()),
                                          secret.size()));
    ASSERT_NE(key, nullptr);
    std::string pub(32, '\0');
    size_t pub_len = pub.size();
    ASSERT_EQ(EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(pub.data()),
                                          &pub_len),
              1);
    EXPECT_EQ(Hex(pub), v.public_key);
    // The one-shot, digest-less EVP_DigestSign the signer uses.
    const std::string msg = Unhex(v.message);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::string sig(64, '\0');
    size_t sig_len = sig.size();
    ASSERT_EQ(EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key.get()), 1);
    ASSERT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                             reinterpret_cast<const unsigned char*>(msg.data()), msg.size()),
              1);
    EVP_MD_CTX_free(ctx);
    EXPECT_EQ(sig_len, 64u);
    EXPECT_EQ(Hex(sig), v.signature);
  }
}

TEST(Ed25519, Rfc8032VectorsThroughSignerAndVerifier) {
  for (int i = 0; i < 3; ++i) {
    const RfcVector& v = kRfc8032[i];
    SCOPED_TRACE(v.name);
    auto signer = RfcSigner(i);
    ASSERT_NE(signer, nullptr);
    EXPECT_EQ(Hex(signer->raw_public_key()), v.public_key);
    EXPECT_EQ(Hex(signer->SignBytes(Unhex(v.message))), v.signature);
    auto verifier = MarkVerifier::FromRawPublicKey(Unhex(v.public_key));
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    EXPECT_TRUE((*verifier)->VerifyBytes(Unhex(v.message), Unhex(v.signature)));
    EXPECT_FALSE((*verifier)->VerifyBytes(Unhex(v.message) + "x", Unhex(v.signature)));
  }
}

TEST(KeyId, IsTheFirstEightBytesOfSha256OfTheRawPublicKeyInLowercaseHex) {
  // python3 -c "import hashlib; print(hashlib.sha256(bytes.fromhex(PUB)).hexdigest()[:16])"
  EXPECT_EQ(RfcSigner(0)->key_id(), "21fe31dfa154a261");
  EXPECT_EQ(RfcSigner(1)->key_id(), "39f713d0a644253f");
  EXPECT_EQ(KeyIdOfRawPublicKey(Unhex(kRfc8032[0].public_key)), "21fe31dfa154a261");
}

// --- the canonical encoding -------------------------------------------------------------------

TEST(CanonicalMarkBytes, GoldenEncodingOfAFullMark) {
  EXPECT_EQ(CanonicalMarkBytes(ExampleMark(), "21fe31dfa154a261"),
            "oracle-mark-v1\n"
            "key_id=21fe31dfa154a261\n"
            "instrument=USDE-USD\n"
            "price=99951053e-8\n"
            "confidence=9598e-8\n"
            "publish_time_ns=1794892441700015801\n"
            "last_good_time_ns=1794892441600000000\n"
            "sequence=120\n"
            "status=MARK_STATUS_OK\n"
            "status_reason=QUORUM_MET\n"
            "flags=MARK_FLAG_OUTLIERS_PRESENT,MARK_FLAG_QUOTE_CONVERTED\n"
            "venues_used=6\n"
            "venues_required=3\n"
            "redemption_choice=\n");
}

TEST(CanonicalMarkBytes, GoldenEncodingOfAnUnavailableRedemptionMark) {
  v1::Mark m;
  m.set_instrument("WSTETH-USD");
  m.mutable_publish_time()->set_seconds(1700000000);
  m.set_sequence(7);
  m.set_status(v1::MARK_STATUS_UNAVAILABLE);
  m.set_status_reason("REDEMPTION_PRICING_UNAVAILABLE");
  m.set_required_venue_count(3);
  m.mutable_redemption()->set_choice(v1::REDEMPTION_CHOICE_NONE);
  m.mutable_redemption()->set_policy(v1::REDEMPTION_POLICY_REDEMPTION_UNLESS_DEPEG);
  EXPECT_EQ(CanonicalMarkBytes(m, "39f713d0a644253f"),
            "oracle-mark-v1\n"
            "key_id=39f713d0a644253f\n"
            "instrument=WSTETH-USD\n"
            "price=\n"
            "confidence=\n"
            "publish_time_ns=1700000000000000000\n"
            "last_good_time_ns=0\n"
            "sequence=7\n"
            "status=MARK_STATUS_UNAVAILABLE\n"
            "status_reason=REDEMPTION_PRICING_UNAVAILABLE\n"
            "flags=\n"
            "venues_used=0\n"
            "venues_required=3\n"
            "redemption_choice=REDEMPTION_CHOICE_NONE\n");
}

TEST(CanonicalMarkBytes, ZeroAndNegativeDecimalsUnknownEnumsAndAnEmptyMark) {
  v1::Mark m;
  m.mutable_price()->set_mantissa(-5);
  m.mutable_price()->set_exponent(3);
  m.mutable_confidence();  // present, all zero
  m.set_status(static_cast<v1::MarkStatus>(42));
  m.add_flags(static_cast<v1::MarkFlag>(99));
  m.add_flags(v1::MARK_FLAG_DEPEG);
  m.mutable_redemption();  // present, choice unspecified
  m.mutable_publish_time()->set_seconds(-1);
  m.mutable_publish_time()->set_nanos(5);
  EXPECT_EQ(CanonicalMarkBytes(m, ""),
            "oracle-mark-v1\n"
            "key_id=\n"
            "instrument=\n"
            "price=-5e3\n"
            "confidence=0e0\n"
            "publish_time_ns=-999999995\n"
            "last_good_time_ns=0\n"
            "sequence=0\n"
            "status=42\n"
            "status_reason=\n"
            "flags=MARK_FLAG_DEPEG,99\n"
            "venues_used=0\n"
            "venues_required=0\n"
            "redemption_choice=REDEMPTION_CHOICE_UNSPECIFIED\n");
  // Beyond int64 nanoseconds: the exact value, no overflow.
  m.mutable_publish_time()->set_seconds(253402300799);  // 9999-12-31T23:59:59Z
  m.mutable_publish_time()->set_nanos(999999999);
  EXPECT_TRUE(
      absl::StrContains(CanonicalMarkBytes(m, ""), "\npublish_time_ns=253402300799999999999\n"));
}

TEST(CanonicalMarkBytes, GoldenV2EncodingOfAFullMark) {
  EXPECT_EQ(CanonicalMarkBytesV2(ExampleMark(), "21fe31dfa154a261", "oracle-eu-1"),
            "oracle-mark-v2\n"
            "publisher_id=oracle-eu-1\n"
            "key_id=21fe31dfa154a261\n"
            "instrument=USDE-USD\n"
            "price=99951053e-8\n"
            "confidence=9598e-8\n"
            "publish_time_ns=1794892441700015801\n"
            "last_good_time_ns=1794892441600000000\n"
            "sequence=120\n"
            "status=1\n"
            "status_reason=QUORUM_MET\n"
            "flags=1,3\n"
            "venues_used=6\n"
            "venues_required=3\n"
            "redemption_choice=\n");
}

TEST(CanonicalMarkBytes, V2WritesEnumNumbersSoValuesNewerThanTheVerifierEncode) {
  v1::Mark m;
  m.set_instrument("WSTETH-USD");
  m.set_status(static_cast<v1::MarkStatus>(42));  // no name in this build's oracle.proto
  m.add_flags(static_cast<v1::MarkFlag>(99));
  m.add_flags(v1::MARK_FLAG_DEPEG);
  m.add_flags(v1::MARK_FLAG_DEPEG);  // a repeat is kept, as in v1
  m.mutable_redemption()->set_choice(static_cast<v1::RedemptionChoice>(17));
  EXPECT_EQ(CanonicalMarkBytesV2(m, "k", "p"),
            "oracle-mark-v2\n"
            "publisher_id=p\n"
            "key_id=k\n"
            "instrument=WSTETH-USD\n"
            "price=\n"
            "confidence=\n"
            "publish_time_ns=0\n"
            "last_good_time_ns=0\n"
            "sequence=0\n"
            "status=42\n"
            "status_reason=\n"
            "flags=8,8,99\n"
            "venues_used=0\n"
            "venues_required=0\n"
            "redemption_choice=17\n");
  m.mutable_redemption()->clear_choice();
  EXPECT_TRUE(absl::EndsWith(CanonicalMarkBytesV2(m, "k", "p"), "\nredemption_choice=0\n"));
}

TEST(CanonicalMarkBytes, TheMarksPublisherIdChoosesTheVersion) {
  v1::Mark m = ExampleMark();
  EXPECT_EQ(EncodingOf(m), SignedEncoding::kV1);
  EXPECT_EQ(CanonicalMarkBytes(m, "k"), CanonicalMarkBytesV1(m, "k"));
  m.set_publisher_id("p");
  EXPECT_EQ(EncodingOf(m), SignedEncoding::kV2);
  EXPECT_EQ(CanonicalMarkBytes(m, "k"), CanonicalMarkBytesV2(m, "k", "p"));
}

TEST(CanonicalMarkBytes, IgnoresProvenanceAndTheMarksOwnSignatureFields) {
  const v1::Mark base = ExampleMark();
  v1::Mark m = base;
  m.clear_sources();
  m.mutable_redemption();  // the choice is signed: compare with the same presence
  v1::Mark n = base;
  n.mutable_redemption()->set_policy(v1::REDEMPTION_POLICY_LOWER_OF);
  n.mutable_redemption()->mutable_ratio()->set_mantissa(12);
  n.mutable_sources(0)->set_venue("okx");
  n.set_key_id("ffffffffffffffff");
  n.set_signature("junk");
  EXPECT_EQ(CanonicalMarkBytes(m, "k"), CanonicalMarkBytes(n, "k"));
}

// --- Sign and Verify --------------------------------------------------------------------------

TEST(MarkSigner, SignThenVerifyIsOk) {
  auto signer = RfcSigner(0);
  v1::Mark m = ExampleMark();
  ASSERT_TRUE(signer->Sign(&m));
  EXPECT_EQ(m.key_id(), signer->key_id());
  EXPECT_EQ(m.signature().size(), 64u);
  auto verifier = MarkVerifier::FromPublicKeyPem(signer->public_key_pem());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ((*verifier)->key_id(), signer->key_id());
  EXPECT_TRUE((*verifier)->Verify(m).ok()) << (*verifier)->Verify(m);
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(m)), "OK");
  // The provenance may be dropped (MARK_VIEW_BASIC) or changed without breaking the signature.
  m.clear_sources();
  EXPECT_TRUE((*verifier)->Verify(m).ok());
}

TEST(MarkSigner, SignatureIsDeterministicAndIsTheSignatureOfTheCanonicalText) {
  auto signer = RfcSigner(0);
  v1::Mark a = ExampleMark();
  v1::Mark b = ExampleMark();
  ASSERT_TRUE(signer->Sign(&a));
  ASSERT_TRUE(signer->Sign(&b));
  EXPECT_EQ(a.signature(), b.signature());
  EXPECT_EQ(a.signature(), signer->SignBytes(CanonicalMarkBytesV2(ExampleMark(), "21fe31dfa154a261",
                                                                  "21fe31dfa154a261")));
  // Pinned; the same as `openssl pkeyutl -sign -rawin` gives over the v2 text with the RFC 8032
  // TEST 1 key in a PKCS#8 PEM.
  EXPECT_EQ(Hex(a.signature()), kPinnedV2Signature);
  // Signing again over an already signed mark gives the same bytes.
  ASSERT_TRUE(signer->Sign(&a));
  EXPECT_EQ(a.signature(), b.signature());
}

TEST(MarkSigner, SignsV1AsBeforeV2SoStoredV1SignaturesAreReproduced) {
  auto signer = RfcSigner(0);
  v1::Mark a = ExampleMark();
  a.set_publisher_id("stale");  // cleared: a v1 mark has none
  ASSERT_TRUE(signer->Sign(&a, SignedEncoding::kV1));
  EXPECT_TRUE(a.publisher_id().empty());
  EXPECT_EQ(a.key_id(), "21fe31dfa154a261");
  EXPECT_EQ(a.signature(),
            signer->SignBytes(CanonicalMarkBytes(ExampleMark(), "21fe31dfa154a261")));
  // The signature marks signed before v2 carry (pinned before v2 existed, unchanged).
  EXPECT_EQ(Hex(a.signature()),
            "e8ee1c9f9e9c70ed01a602c3516fe19f789a35cb13bc7134e58964ca1548c5ce"
            "e8577e823e11af1ff957145e12013c8ef366a9383d50d7b16e313e2e8af0c207");
  auto verifier = MarkVerifier::FromRawPublicKey(signer->raw_public_key());
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE((*verifier)->Verify(a).ok()) << (*verifier)->Verify(a);
}

TEST(MarkSigner, PublisherIdIsSignedAndCannotBeStrippedToPassAsV1) {
  auto signer = RfcSigner(0);
  auto verifier = MarkVerifier::FromRawPublicKey(signer->raw_public_key());
  ASSERT_TRUE(verifier.ok());
  v1::Mark v2 = ExampleMark();
  ASSERT_TRUE(signer->Sign(&v2));
  ASSERT_TRUE((*verifier)->Verify(v2).ok());
  v1::Mark m = v2;
  m.clear_publisher_id();  // now read as v1: the v1 text is not what was signed
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(m)), "BAD_SIGNATURE");
  m.set_publisher_id("another-oracle");
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(m)), "BAD_SIGNATURE");
  m.set_publisher_id("bad\nid");
  const absl::Status s = (*verifier)->Verify(m);
  EXPECT_EQ(VerifyFailureReason(s), "BAD_SIGNATURE");
  EXPECT_TRUE(absl::StrContains(s.message(), "publisher_id")) << s;
  // A v1 signature does not verify with a publisher_id added.
  v1::Mark v1_mark = ExampleMark();
  ASSERT_TRUE(signer->Sign(&v1_mark, SignedEncoding::kV1));
  v1_mark.set_publisher_id(signer->publisher_id());
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(v1_mark)), "BAD_SIGNATURE");
}

TEST(MarkSigner, PublisherIdDefaultsToTheKeyIdAndMustBeValid) {
  EXPECT_EQ(RfcSigner(0)->publisher_id(), "21fe31dfa154a261");
  auto named = MarkSigner::FromRawPrivateKey(Unhex(kRfc8032[0].secret_key), "oracle-eu_1.prod");
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ((*named)->publisher_id(), "oracle-eu_1.prod");
  v1::Mark m = ExampleMark();
  ASSERT_TRUE((*named)->Sign(&m));
  EXPECT_EQ(m.publisher_id(), "oracle-eu_1.prod");
  EXPECT_EQ(m.signature(), (*named)->SignBytes(CanonicalMarkBytesV2(
                               ExampleMark(), "21fe31dfa154a261", "oracle-eu_1.prod")));
  for (const std::string& bad :
       {std::string("has space"), std::string("line\nfeed"), std::string(65, 'a'),
        std::string("caf\xc3\xa9"), std::string("a=b")}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(IsValidPublisherId(bad));
    auto s = MarkSigner::FromRawPrivateKey(Unhex(kRfc8032[0].secret_key), bad);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(s.status().message(), "publisher_id \"")) << s.status();
  }
  EXPECT_TRUE(IsValidPublisherId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidPublisherId(""));
}

TEST(MarkSigner, TamperingWithAnySignedFieldIsBadSignature) {
  auto signer = RfcSigner(0);
  auto verifier = MarkVerifier::FromRawPublicKey(signer->raw_public_key());
  ASSERT_TRUE(verifier.ok());
  v1::Mark signed_mark = ExampleMark();
  ASSERT_TRUE(signer->Sign(&signed_mark));

  const std::vector<std::pair<std::string, std::function<void(v1::Mark*)>>> tampers = {
      {"price mantissa", [](v1::Mark* m) { m->mutable_price()->set_mantissa(65000000); }},
      {"price exponent", [](v1::Mark* m) { m->mutable_price()->set_exponent(-7); }},
      {"price removed", [](v1::Mark* m) { m->clear_price(); }},
      {"confidence", [](v1::Mark* m) { m->mutable_confidence()->set_mantissa(1); }},
      {"publish_time seconds", [](v1::Mark* m) { m->mutable_publish_time()->set_seconds(1); }},
      {"publish_time nanos", [](v1::Mark* m) { m->mutable_publish_time()->set_nanos(0); }},
      {"last_good_time", [](v1::Mark* m) { m->clear_last_good_time(); }},
      {"status", [](v1::Mark* m) { m->set_status(v1::MARK_STATUS_DEGRADED); }},
      {"status_reason", [](v1::Mark* m) { m->set_status_reason("BELOW_QUORUM"); }},
      {"flag removed", [](v1::Mark* m) { m->mutable_flags()->RemoveLast(); }},
      {"flag added", [](v1::Mark* m) { m->add_flags(v1::MARK_FLAG_DEPEG); }},
      {"flags cleared", [](v1::Mark* m) { m->clear_flags(); }},
      {"sequence", [](v1::Mark* m) { m->set_sequence(121); }},
      {"instrument", [](v1::Mark* m) { m->set_instrument("USDC-USD"); }},
      {"venues_used", [](v1::Mark* m) { m->set_used_venue_count(5); }},
      {"venues_required", [](v1::Mark* m) { m->set_required_venue_count(1); }},
      {"redemption choice", [](v1::Mark* m) { m->mutable_redemption(); }},
      {"signature bit", [](v1::Mark* m) { (*m->mutable_signature())[10] ^= 1; }},
      {"signature truncated", [](v1::Mark* m) { m->mutable_signature()->resize(63); }},
      {"publisher_id", [](v1::Mark* m) { m->set_publisher_id("another-oracle"); }},
  };
  for (const auto& [what, tamper] : tampers) {
    SCOPED_TRACE(what);
    v1::Mark m = signed_mark;
    tamper(&m);
    const absl::Status s = (*verifier)->Verify(m);
    EXPECT_EQ(VerifyFailureReason(s), "BAD_SIGNATURE") << s;
    EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  }
  // Reordering the flags is not a change: they are signed as a sorted set.
  v1::Mark reordered = signed_mark;
  reordered.mutable_flags()->SwapElements(0, 1);
  EXPECT_TRUE((*verifier)->Verify(reordered).ok());
}

TEST(MarkVerifier, AnotherKeysMarkIsKeyMismatchAndNamesBothIds) {
  auto signer = RfcSigner(0);
  auto other = MarkVerifier::FromRawPublicKey(Unhex(kRfc8032[1].public_key));
  ASSERT_TRUE(other.ok());
  v1::Mark m = ExampleMark();
  ASSERT_TRUE(signer->Sign(&m));
  const absl::Status s = (*other)->Verify(m);
  EXPECT_EQ(VerifyFailureReason(s), "KEY_MISMATCH") << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "21fe31dfa154a261")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "39f713d0a644253f")) << s;
  // Claiming the other key's id does not help: the signature is not that key's.
  m.set_key_id((*other)->key_id());
  EXPECT_EQ(VerifyFailureReason((*other)->Verify(m)), "BAD_SIGNATURE");
}

TEST(MarkVerifier, UnsignedMarkIsUnsigned) {
  auto verifier = MarkVerifier::FromRawPublicKey(Unhex(kRfc8032[0].public_key));
  ASSERT_TRUE(verifier.ok());
  v1::Mark m = ExampleMark();
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(m)), "UNSIGNED");
  m.set_key_id((*verifier)->key_id());  // an id without a signature is still unsigned
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(m)), "UNSIGNED");
}

TEST(MarkSigner, RefusesALineFeedInATextFieldAndClearsAnOldSignature) {
  auto signer = RfcSigner(0);
  auto verifier = MarkVerifier::FromRawPublicKey(signer->raw_public_key());
  v1::Mark m = ExampleMark();
  ASSERT_TRUE(signer->Sign(&m));
  m.set_status_reason("QUORUM_MET\nprice=1e0");
  EXPECT_FALSE(signer->Sign(&m));
  EXPECT_TRUE(m.signature().empty());
  EXPECT_TRUE(m.key_id().empty());
  // A forged signature over such a mark is rejected without looking further.
  m.set_key_id(signer->key_id());
  m.set_signature(signer->SignBytes(CanonicalMarkBytes(m, signer->key_id())));
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(m)), "BAD_SIGNATURE");
  EXPECT_FALSE(signer->Sign(nullptr));
}

TEST(MarkSigner, ConcurrentSigningFromFourThreadsGivesCorrectSignatures) {
  auto signer = RfcSigner(2);
  auto verifier = MarkVerifier::FromRawPublicKey(signer->raw_public_key());
  ASSERT_TRUE(verifier.ok());
  constexpr size_t kThreads = 4;
  constexpr size_t kMarksPerThread = 300;
  std::vector<v1::Mark> marks(kThreads * kMarksPerThread);
  std::vector<std::string> expected(marks.size());
  for (size_t i = 0; i < marks.size(); ++i) {
    marks[i] = ExampleMark();
    marks[i].set_sequence(i);
    expected[i] =
        signer->SignBytes(CanonicalMarkBytesV2(marks[i], signer->key_id(), signer->publisher_id()));
  }
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < marks.size(); i += kThreads) {
        ASSERT_TRUE(signer->Sign(&marks[i]));
        ASSERT_TRUE((*verifier)->Verify(marks[i]).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (size_t i = 0; i < marks.size(); ++i) {
    ASSERT_EQ(marks[i].signature(), expected[i]) << i;
  }
}

// --- the shared signature cache (API readers and the history persister) ----------------------

TEST(SignatureCache, SignsEachMarkOnceKeepsTheNewestAndIsRightFromManyThreads) {
  auto signer = RfcSigner(1);
  auto verifier = MarkVerifier::FromRawPublicKey(signer->raw_public_key());
  ASSERT_TRUE(verifier.ok());
  SignatureCache cache(signer.get(), 2);
  v1::Mark newest = ExampleMark();
  newest.set_sequence(5);
  cache.Sign(0, &newest);
  ASSERT_TRUE((*verifier)->Verify(newest).ok());
  // An older mark (the persister catching up) is signed correctly and does not evict the newest.
  v1::Mark older = ExampleMark();
  older.set_sequence(3);
  cache.Sign(0, &older);
  EXPECT_TRUE((*verifier)->Verify(older).ok());
  v1::Mark again = ExampleMark();
  again.set_sequence(5);
  cache.Sign(0, &again);
  EXPECT_EQ(again.signature(), newest.signature());
  EXPECT_EQ(again.publisher_id(), signer->publisher_id());  // from the cache: v2 as well
  EXPECT_TRUE((*verifier)->Verify(again).ok());
  // Out of range instruments are signed directly; no signer: nothing is set.
  v1::Mark other = ExampleMark();
  cache.Sign(7, &other);
  EXPECT_TRUE((*verifier)->Verify(other).ok());
  SignatureCache none(nullptr, 2);
  v1::Mark unsigned_mark = ExampleMark();
  none.Sign(0, &unsigned_mark);
  EXPECT_TRUE(unsigned_mark.signature().empty());

  // Four threads, two instruments, sequences going up with repeats: every mark verifies.
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t i = 0; i < 200; ++i) {
        v1::Mark m = ExampleMark();
        m.set_sequence(10 + i / 3);
        cache.Sign(static_cast<uint32_t>((i + t) % 2), &m);
        if (!(*verifier)->Verify(m).ok()) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

bool HasFlag(const v1::Mark& m, v1::MarkFlag flag) {
  return std::find(m.flags().begin(), m.flags().end(), flag) != m.flags().end();
}

// A mark that should be signed and cannot be goes out unsigned, flagged SIGNING_FAILED, counted,
// with the reason kept; never silently unsigned. Signing it later succeeds and drops the flag.
TEST(SignatureCache, ASigningFailureIsFlaggedCountedAndKeptAsTheLastError) {
  auto signer = RfcSigner(1);
  auto verifier = MarkVerifier::FromRawPublicKey(signer->raw_public_key());
  ASSERT_TRUE(verifier.ok());
  std::atomic<bool> fail{true};
  SignatureCache cache(signer.get(), 2, [&](const MarkSigner& s, v1::Mark* m) {
    if (fail) return absl::InternalError("injected: the HSM is gone");
    return s.SignOrExplain(m);
  });
  v1::Mark m = ExampleMark();
  m.set_sequence(9);
  EXPECT_FALSE(cache.Sign(0, &m));
  EXPECT_TRUE(m.signature().empty());
  EXPECT_TRUE(m.key_id().empty());
  EXPECT_TRUE(m.publisher_id().empty());
  ASSERT_TRUE(HasFlag(m, v1::MARK_FLAG_SIGNING_FAILED));
  EXPECT_EQ(m.flags(m.flags_size() - 1), v1::MARK_FLAG_SIGNING_FAILED);
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(m)), "UNSIGNED");
  SigningStats st = cache.stats();
  EXPECT_TRUE(st.enabled);
  EXPECT_EQ(st.key_id, signer->key_id());
  EXPECT_EQ(st.signed_count, 0u);
  EXPECT_EQ(st.failure_count, 1u);
  EXPECT_TRUE(absl::StrContains(st.last_error, "USDE-USD sequence 9")) << st.last_error;
  EXPECT_TRUE(absl::StrContains(st.last_error, "the HSM is gone")) << st.last_error;
  // Nothing was cached: the next reader of the same mark tries again (and is counted again).
  v1::Mark again = ExampleMark();
  again.set_sequence(9);
  EXPECT_FALSE(cache.Sign(0, &again));
  EXPECT_EQ(cache.stats().failure_count, 2u);

  fail = false;
  EXPECT_TRUE(cache.Sign(0, &m));  // the flagged mark itself, signed now: the flag goes
  EXPECT_FALSE(HasFlag(m, v1::MARK_FLAG_SIGNING_FAILED));
  EXPECT_TRUE((*verifier)->Verify(m).ok());
  st = cache.stats();
  EXPECT_EQ(st.signed_count, 1u);
  EXPECT_EQ(st.failure_count, 2u);
}

// A real failure, no injection: MarkSigner refuses a mark whose instrument has a line feed.
TEST(SignatureCache, AMarkTheSignerRefusesIsFlaggedWithTheReason) {
  auto signer = RfcSigner(0);
  SignatureCache cache(signer.get(), 1);
  v1::Mark m = ExampleMark();
  m.set_instrument("USDE\nUSD");
  EXPECT_FALSE(cache.Sign(0, &m));
  EXPECT_TRUE(m.signature().empty());
  EXPECT_TRUE(HasFlag(m, v1::MARK_FLAG_SIGNING_FAILED));
  EXPECT_EQ(cache.stats().failure_count, 1u);
  EXPECT_TRUE(absl::StrContains(cache.stats().last_error, "line feed")) << cache.stats().last_error;
}

// A signed mark never carries the flag; adding it to a signed mark breaks the signature.
TEST(SignatureCache, ASignedMarkNeverCarriesTheSigningFailedFlag) {
  auto signer = RfcSigner(0);
  auto verifier = MarkVerifier::FromRawPublicKey(signer->raw_public_key());
  ASSERT_TRUE(verifier.ok());
  v1::Mark m = ExampleMark();
  m.add_flags(v1::MARK_FLAG_SIGNING_FAILED);
  ASSERT_TRUE(signer->Sign(&m));
  EXPECT_FALSE(HasFlag(m, v1::MARK_FLAG_SIGNING_FAILED));
  EXPECT_EQ(m.signature(), Unhex(kPinnedV2Signature));  // the same bytes as without the flag
  EXPECT_TRUE(absl::StrContains(CanonicalMarkBytes(m, m.key_id()), "\nflags=1,3\n"));
  m.add_flags(v1::MARK_FLAG_SIGNING_FAILED);
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(m)), "BAD_SIGNATURE");
}

// --- key files --------------------------------------------------------------------------------

using KeyFiles = TempDir;

TEST_F(KeyFiles, GenerateToFileWritesMode0600AndLoadsBack) {
  const std::string path = Path("signing.pem");
  const mode_t old_umask = umask(0);  // the mode must not depend on the umask
  auto generated = MarkSigner::GenerateToFile(path);
  umask(old_umask);
  ASSERT_TRUE(generated.ok()) << generated.status();
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  auto loaded = MarkSigner::FromPemFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->key_id(), (*generated)->key_id());
  EXPECT_EQ((*loaded)->key_id().size(), 16u);
  v1::Mark m = ExampleMark();
  ASSERT_TRUE((*loaded)->Sign(&m));
  auto verifier = MarkVerifier::FromPublicKeyPem((*generated)->public_key_pem());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_TRUE((*verifier)->Verify(m).ok());
  // The private key file works as the verifier's key too.
  auto from_private = MarkVerifier::FromPemFile(path);
  ASSERT_TRUE(from_private.ok()) << from_private.status();
  EXPECT_TRUE((*from_private)->Verify(m).ok());
}

TEST_F(KeyFiles, GenerateToFileRefusesToOverwrite) {
  const std::string path = Write("existing.pem", "do not touch\n");
  auto generated = MarkSigner::GenerateToFile(path);
  ASSERT_FALSE(generated.ok());
  EXPECT_EQ(generated.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(absl::StrContains(generated.status().message(), path)) << generated.status();
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "do not touch\n");
  // A missing directory is named too.
  auto no_dir = MarkSigner::GenerateToFile(Path("no/such/dir/key.pem"));
  ASSERT_FALSE(no_dir.ok());
  EXPECT_TRUE(absl::StrContains(no_dir.status().message(), "no/such/dir/key.pem"));
}

TEST_F(KeyFiles, RfcKeyAsPkcs8PemLoadsWithTheRfcKeyId) {
  const std::string secret = Unhex(kRfc8032[0].secret_key);
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                        reinterpret_cast<const unsigned char*>(secret.data()),
                                        secret.size()));
  const std::string path = Write("rfc.pem", PemOf(key.get(), true));
  auto signer = MarkSigner::FromPemFile(path);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ((*signer)->key_id(), "21fe31dfa154a261");
  EXPECT_EQ((*signer)->public_key_pem(), PemOf(key.get(), false));
}

// What the error for each bad key file must say (besides the path).
struct BadKey {
  std::string file;
  std::string content;
  std::string says;
};

std::vector<BadKey> BadKeyFiles() {
  Pkey rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  Pkey ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Pkey x25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
  Pkey ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  return {
      {"empty.pem", "", "is empty"},
      {"garbage.pem", std::string("\x00\x01garbage\xff", 10), "not a PEM file"},
      {"truncated.pem", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n",
       "no readable PEM private key"},
      {"rsa.pem", PemOf(rsa.get(), true), "type RSA, not Ed25519"},
      {"ec.pem", PemOf(ec.get(), true), "type EC, not Ed25519"},
      {"x25519.pem", PemOf(x25519.get(), true), "type X25519, not Ed25519"},
      {"public_only.pem", PemOf(ed.get(), false), "only a public key"},
      {"encrypted.pem", PemOf(ed.get(), true, "secret"), "encrypted"},
      {"cert.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
       "no private key"},
  };
}

TEST_F(KeyFiles, BadSigningKeyFilesGiveClearErrors) {
  for (const BadKey& bad : BadKeyFiles()) {
    SCOPED_TRACE(bad.file);
    const std::string path = Write(bad.file, bad.content);
    auto signer = MarkSigner::FromPemFile(path);
    ASSERT_FALSE(signer.ok());
    const std::string msg(signer.status().message());
    EXPECT_TRUE(absl::StrContains(msg, path)) << msg;
    EXPECT_TRUE(absl::StrContains(msg, bad.says)) << msg;
  }
  auto missing = MarkSigner::FromPemFile(Path("missing.pem"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            absl::StrCat("signing key file ", Path("missing.pem"), ": no such file"));
  auto dir = MarkSigner::FromPemFile(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_TRUE(absl::StrContains(dir.status().message(), "is a directory")) << dir.status();
  const std::string fifo = Path("fifo.pem");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto from_fifo = MarkSigner::FromPemFile(fifo);  // must not hang waiting for a writer
  ASSERT_FALSE(from_fifo.ok());
  EXPECT_TRUE(absl::StrContains(from_fifo.status().message(), "is not a regular file"))
      << from_fifo.status();
  EXPECT_FALSE(MarkSigner::FromPemFile("").ok());
  EXPECT_FALSE(MarkSigner::FromRawPrivateKey("short").ok());
}

// Tests run as root, so the mode is set explicitly: access() would say any file is readable.
TEST_F(KeyFiles, AKeyFileGroupOrOthersMayAccessIsRefusedUnlessAllowed) {
  const std::string path = Path("key.pem");
  auto generated = MarkSigner::GenerateToFile(path);
  ASSERT_TRUE(generated.ok()) << generated.status();
  for (const mode_t mode : {0644, 0640, 0604, 0620, 0602, 0610, 0601, 0660}) {
    SCOPED_TRACE(::testing::Message() << std::oct << mode);
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    auto refused = MarkSigner::FromPemFile(path);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
    const std::string msg(refused.status().message());
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_TRUE(absl::StrContains(msg, absl::StrCat("signing key file ", path))) << msg;
    EXPECT_TRUE(absl::StrContains(msg, absl::StrCat("mode ", octal))) << msg;
    EXPECT_TRUE(absl::StrContains(msg, absl::StrCat("chmod 600 ", path))) << msg;
    EXPECT_TRUE(absl::StrContains(msg, "signing.allow_readable_key_file")) << msg;
    auto allowed =
        MarkSigner::FromPemFile(path, {}, MarkSigner::KeyFileAccess::kGroupOrOthersAllowed);
    ASSERT_TRUE(allowed.ok()) << allowed.status();
    EXPECT_EQ((*allowed)->key_id(), (*generated)->key_id());
  }
  for (const mode_t mode : {0600, 0400}) {
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    EXPECT_TRUE(MarkSigner::FromPemFile(path).ok()) << std::oct << mode;
  }
  // A public key file may be world-readable: the verifier does not care.
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  EXPECT_TRUE(MarkVerifier::FromPemFile(path).ok());
}

TEST_F(KeyFiles, UnreadableKeyFileSaysSo) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string path = Write("unreadable.pem", "x");
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  auto signer = MarkSigner::FromPemFile(path);
  ASSERT_FALSE(signer.ok());
  EXPECT_TRUE(absl::StrContains(signer.status().message(), "cannot be opened")) << signer.status();
}

TEST_F(KeyFiles, BadPublicKeysGiveClearErrors) {
  Pkey rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  auto v = MarkVerifier::FromPublicKeyPem(PemOf(rsa.get(), false));
  ASSERT_FALSE(v.ok());
  EXPECT_TRUE(absl::StrContains(v.status().message(), "type RSA, not Ed25519")) << v.status();
  v = MarkVerifier::FromPublicKeyPem("hello");
  ASSERT_FALSE(v.ok());
  EXPECT_TRUE(absl::StrContains(v.status().message(), "not a PEM")) << v.status();
  v = MarkVerifier::FromPublicKeyPem(
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  ASSERT_FALSE(v.ok());
  EXPECT_TRUE(absl::StrContains(v.status().message(), "no readable PEM public key")) << v.status();
  const std::string missing = Path("nope.pem");
  v = MarkVerifier::FromPemFile(missing);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), absl::StrCat("public key file ", missing, ": no such file"));
  EXPECT_FALSE(MarkVerifier::FromRawPublicKey("short").ok());
}

// --- a mark read from its JSON (what `oraclectl verify-signature` checks) ---------------------

using MarkJsonFiles = TempDir;

std::string MarkJson(const v1::Mark& m) {
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;  // as `oraclectl --json get` prints it
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &json, opts).ok());
  return json + "\n";
}

TEST_F(MarkJsonFiles, ReadsTheMarkJsonGetPrintsAndItsSignatureVerifies) {
  auto signer = RfcSigner(0);
  auto verifier = MarkVerifier::FromPublicKeyPem(signer->public_key_pem());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  v1::Mark m = ExampleMark();
  ASSERT_TRUE(signer->Sign(&m));
  const absl::StatusOr<v1::Mark> good = ReadMarkJson(Write("good.json", MarkJson(m)));
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*good, m));
  EXPECT_TRUE((*verifier)->Verify(*good).ok());
  EXPECT_EQ(CanonicalMarkBytes(*good, good->key_id()), CanonicalMarkBytes(m, "21fe31dfa154a261"));

  v1::Mark tampered = m;
  tampered.mutable_price()->set_mantissa(65000000);
  const auto bad = ReadMarkJson(Write("bad.json", MarkJson(tampered)));
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(*bad)), "BAD_SIGNATURE");

  const auto unsigned_mark = ReadMarkJson(Write("u.json", MarkJson(ExampleMark())));
  ASSERT_TRUE(unsigned_mark.ok()) << unsigned_mark.status();
  EXPECT_EQ(VerifyFailureReason((*verifier)->Verify(*unsigned_mark)), "UNSIGNED");
}

TEST_F(MarkJsonFiles, BadInputsNameTheFileAndWhatIsWrong) {
  const std::string junk = Write("junk.json", "{\"price\": 3");
  auto read = ReadMarkJson(junk);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(
      read.status().message(),
      absl::StrCat("mark file ", junk, ": not a mark in protobuf JSON (oracle.v1.Mark): ")))
      << read.status();

  read = ReadMarkJson(Write("unknown.json", "{\"instrument\": \"X\", \"no_such_field\": 1}"));
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(absl::StrContains(read.status().message(), "not a mark")) << read.status();

  const std::string empty = Write("empty.json", " \n");
  read = ReadMarkJson(empty);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(),
            absl::StrCat("mark file ", empty, ": empty; expected one mark as protobuf JSON"));

  const std::string missing = Path("missing.json");
  read = ReadMarkJson(missing);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(read.status().message(),
            absl::StrCat("mark file ", missing, ": cannot be opened (missing or unreadable)"));

  const std::string large = Write("large.json", std::string(kMaxMarkJsonBytes + 1, ' '));
  read = ReadMarkJson(large);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(),
            absl::StrCat("mark file ", large, ": larger than 16 MiB; expected one mark"));
}

}  // namespace
}  // namespace oracle::signing
