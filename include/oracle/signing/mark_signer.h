// Ed25519 signatures of marks (RFC 8032, pure Ed25519, over OpenSSL 3).
//
// What is signed is not the protobuf bytes (protobuf serialization is not canonical) but this
// text, UTF-8, one "name=value\n" line per field, in this order and nothing else:
//
//   oracle-mark-v1
//   key_id=<key_id>
//   instrument=<instrument>
//   price=<mantissa>e<exponent>
//   confidence=<mantissa>e<exponent>
//   publish_time_ns=<seconds*1000000000+nanos>
//   last_good_time_ns=<seconds*1000000000+nanos>
//   sequence=<sequence>
//   status=<status>
//   status_reason=<status_reason>
//   flags=<flags>
//   venues_used=<venues_used>
//   venues_required=<venues_required>
//   redemption_choice=<redemption.choice>
//
// - The first line is the literal "oracle-mark-v1"; every line ends with "\n", the last one too.
// - key_id is the id of the signing key (below), the same as the mark's key_id field.
// - Integers are plain decimal: no sign for non-negative values, no leading zeros, no separators.
// - price and confidence: the Decimal's mantissa, "e", its exponent ("price=99951053e-8",
//   "confidence=0e0"); the value is empty ("price=") when the mark has no such field.
// - publish_time_ns and last_good_time_ns: the Timestamp as nanoseconds since the Unix epoch
//   (an int64 for any time between 1678 and 2261); "0" when the field is absent.
// - status: the MarkStatus value name ("MARK_STATUS_OK"); redemption_choice: the
//   RedemptionChoice value name of redemption.choice ("REDEMPTION_CHOICE_MARKET"), empty when
//   the mark has no redemption field. A value without a name in oracle.proto is written as its
//   decimal number.
// - flags: the MarkFlag value names sorted by numeric value, joined by "," without spaces
//   ("MARK_FLAG_OUTLIERS_PRESENT,MARK_FLAG_QUOTE_CONVERTED"); empty when there are none.
// - instrument and status_reason are written as they are. A mark whose instrument or
//   status_reason contains a line feed is never signed (Sign refuses it, Verify rejects it), so
//   the text has exactly 14 lines and parses back into one mark.
//
// Not signed: the provenance (`sources`, and every field of `redemption` except its choice). It
// is large (a line per venue, two dozen fields of redemption detail) and a keeper acts on the
// price, confidence, times, status and flags; the provenance of every mark is recorded in the
// history and checked against the mark's signed fields there (VerifyMark).
//
// Ed25519 is deterministic: the same key and mark always give the same 64-byte signature, so two
// processes that sign the same mark independently produce identical bytes.
//
// A keeper verifies with standard tools: build the text above from the mark's JSON, then
//   openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in canonical.txt -sigfile sig.bin
// (README "Signed marks"; `oraclectl verify-signature --print-canonical` prints the text).
//
// Cost: signing or verifying one mark takes tens of microseconds and allocates (the text, an
// EVP_MD_CTX); it is not for the hot path. MarkSigner and MarkVerifier are immutable after
// construction: any number of threads may call Sign / Verify on one object concurrently.
#ifndef ORACLE_SIGNING_MARK_SIGNER_H_
#define ORACLE_SIGNING_MARK_SIGNER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oracle/v1/oracle.pb.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header.

namespace oracle::signing {

// The text above for `mark` signed by the key `key_id`. The mark's own key_id and signature
// fields are not read. Allocates; thread-safe.
std::string CanonicalMarkBytes(const v1::Mark& mark, std::string_view key_id);

// The key id of a raw 32-byte Ed25519 public key: the first 8 bytes of its SHA-256, in lowercase
// hex (16 characters).
std::string KeyIdOfRawPublicKey(std::string_view raw_public_key);

namespace internal {
struct PkeyFree {
  void operator()(evp_pkey_st* key) const noexcept;
};
using PkeyPtr = std::unique_ptr<evp_pkey_st, PkeyFree>;
}  // namespace internal

class MarkSigner {
 public:
  // Loads an unencrypted Ed25519 private key in PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", as
  // written by `openssl genpkey -algorithm ed25519`). The error names the file and what is wrong:
  // missing, unreadable, not PEM, encrypted, a public key only, or a key of another type.
  static absl::StatusOr<std::unique_ptr<MarkSigner>> FromPemFile(const std::string& path);

  // Makes a new key and writes it to `path` as PKCS#8 PEM with mode 0600. Refuses to overwrite:
  // fails with ALREADY_EXISTS when `path` exists (even if another process created it first).
  static absl::StatusOr<std::unique_ptr<MarkSigner>> GenerateToFile(const std::string& path);

  // From the 32-byte RFC 8032 private key (the seed), e.g. for the RFC's test vectors.
  static absl::StatusOr<std::unique_ptr<MarkSigner>> FromRawPrivateKey(std::string_view key);

  // First 8 bytes of SHA-256 over the 32-byte raw public key, lowercase hex (16 characters).
  const std::string& key_id() const { return key_id_; }
  // The 32-byte raw public key.
  const std::string& raw_public_key() const { return raw_public_key_; }
  // The public key as SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), the same as
  // `openssl pkey -in KEY_FILE -pubout` prints; empty only if OpenSSL fails.
  std::string public_key_pem() const;

  // Sets mark->key_id to key_id() and mark->signature to the 64-byte Ed25519 signature of
  // CanonicalMarkBytes(*mark, key_id()). On failure (out of memory, an OpenSSL error, or a line
  // feed in instrument or status_reason) clears both fields and returns false. Thread-safe.
  bool Sign(v1::Mark* mark) const noexcept;

  // The 64-byte Ed25519 signature of `message` (the one-shot EVP_DigestSign Sign uses), or an
  // empty string if OpenSSL fails. Thread-safe.
  std::string SignBytes(std::string_view message) const noexcept;

  MarkSigner(const MarkSigner&) = delete;
  MarkSigner& operator=(const MarkSigner&) = delete;
  ~MarkSigner();

 private:
  explicit MarkSigner(internal::PkeyPtr key);

  internal::PkeyPtr key_;
  std::string raw_public_key_;
  std::string key_id_;
};

class MarkVerifier {
 public:
  // From a public key PEM ("-----BEGIN PUBLIC KEY-----"), or a private key PEM whose public key
  // is used. The key must be Ed25519.
  static absl::StatusOr<std::unique_ptr<MarkVerifier>> FromPublicKeyPem(std::string_view pem);
  // The same from a file; the error names the file.
  static absl::StatusOr<std::unique_ptr<MarkVerifier>> FromPemFile(const std::string& path);
  // From the 32-byte raw public key.
  static absl::StatusOr<std::unique_ptr<MarkVerifier>> FromRawPublicKey(std::string_view key);

  const std::string& key_id() const { return key_id_; }

  // OK if `mark` carries this key's valid signature. Otherwise UNAUTHENTICATED with a message
  // starting with the reason:
  //   "UNSIGNED: ..."       the mark has no signature;
  //   "KEY_MISMATCH: ..."   mark.key_id is not this key's id (it names both ids);
  //   "BAD_SIGNATURE: ..."  the signature does not verify: a signed field was changed, or the
  //                         signature is not 64 bytes, or it was not made by this key.
  // Thread-safe.
  absl::Status Verify(const v1::Mark& mark) const;

  // Whether `signature` is this key's Ed25519 signature of `message`. Thread-safe.
  bool VerifyBytes(std::string_view message, std::string_view signature) const noexcept;

  MarkVerifier(const MarkVerifier&) = delete;
  MarkVerifier& operator=(const MarkVerifier&) = delete;
  ~MarkVerifier();

 private:
  explicit MarkVerifier(internal::PkeyPtr key, std::string raw_public_key);

  internal::PkeyPtr key_;
  std::string raw_public_key_;
  std::string key_id_;
};

// The reason word of a status returned by MarkVerifier::Verify ("UNSIGNED", "KEY_MISMATCH",
// "BAD_SIGNATURE"), "OK" for an OK status, or "" for any other status.
std::string_view VerifyFailureReason(const absl::Status& status);

}  // namespace oracle::signing

#endif  // ORACLE_SIGNING_MARK_SIGNER_H_
