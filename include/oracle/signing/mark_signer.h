// Ed25519 signatures of marks (RFC 8032, pure Ed25519, over OpenSSL 3).
//
// What is signed is not the protobuf bytes (protobuf serialization is not canonical) but a text,
// UTF-8, one "name=value\n" line per field, in a fixed order and nothing else. There are two
// versions; new marks are signed with v2, and marks stored under v1 (history written before v2)
// still verify.
//
// Encoding v2 (every mark signed since v2):
//
//   oracle-mark-v2
//   publisher_id=<publisher_id>
//   key_id=<key_id>
//   instrument=<instrument>
//   price=<mantissa>e<exponent>
//   confidence=<mantissa>e<exponent>
//   publish_time_ns=<seconds*1000000000+nanos>
//   last_good_time_ns=<seconds*1000000000+nanos>
//   sequence=<sequence>
//   status=<status number>
//   status_reason=<status_reason>
//   flags=<flag numbers>
//   venues_used=<venues_used>
//   venues_required=<venues_required>
//   redemption_choice=<redemption.choice number>
//
// - The first line is the literal "oracle-mark-v2"; every line ends with "\n", the last one too.
// - publisher_id is the mark's publisher_id (config `signing { publisher_id }`, by default the
//   key_id); key_id is the id of the signing key (below), the same as the mark's key_id field.
// - Integers are plain decimal: no sign for non-negative values, no leading zeros, no separators.
// - price and confidence: the Decimal's mantissa, "e", its exponent ("price=99951053e-8",
//   "confidence=0e0"); the value is empty ("price=") when the mark has no such field.
// - publish_time_ns and last_good_time_ns: the Timestamp as nanoseconds since the Unix epoch
//   (an int64 for any time between 1678 and 2261); "0" when the field is absent.
// - status and redemption_choice: the enum value's NUMBER ("status=2"), never its name, so a
//   value added to oracle.proto later encodes the same in a verifier built before it;
//   redemption_choice is empty when the mark has no redemption field.
// - flags: the MarkFlag numbers sorted ascending, joined by "," without spaces ("1,3"); empty
//   when there are none.
// - instrument and status_reason are written as they are. A mark whose instrument or
//   status_reason contains a line feed is never signed (Sign refuses it, Verify rejects it), and
//   publisher_id is always IsValidPublisherId, so the text has exactly 15 lines and parses back
//   into one mark.
//
// Encoding v1 (marks signed before v2): the first line is "oracle-mark-v1", there is no
// publisher_id line, and status, flags and redemption_choice are the value NAMES in oracle.proto
// ("MARK_STATUS_OK"; flags "MARK_FLAG_OUTLIERS_PRESENT,MARK_FLAG_QUOTE_CONVERTED" sorted by
// numeric value; a value without a name is its decimal number); 14 lines, otherwise as v2.
//
// Which version a signature covers: a v2 mark always carries a non-empty publisher_id, a v1 mark
// never does (the field did not exist). So a signed mark with a publisher_id is verified as v2,
// one without as v1 (EncodingOf). Removing publisher_id from a v2 mark does not make it verify as
// v1, since the first line, which differs, is signed.
//
// Not signed: the provenance (`sources`, and every field of `redemption` except its choice). It
// is large (a line per venue, two dozen fields of redemption detail) and a keeper acts on the
// price, confidence, times, status and flags; the provenance of every mark is recorded in the
// history and checked against the mark's signed fields there (VerifyMark).
//
// Ed25519 is deterministic: the same key and mark always give the same 64-byte signature, so two
// processes that sign the same mark independently produce identical bytes.
//
// Signing failures and MARK_FLAG_SIGNING_FAILED (10): a mark that should be signed (a signing key
// is configured) but cannot be goes out unsigned (no publisher_id, key_id or signature) with
// MARK_FLAG_SIGNING_FAILED in its flags, served and stored alike (SignatureCache). A signed mark
// never carries the flag: Sign removes it before building the text, so the flags line of a signed
// mark never lists 10, and a signed mark to which the flag is added no longer verifies
// (BAD_SIGNATURE: flags are signed). A keeper reads the flag as "this oracle meant to sign this
// mark and could not": never as a signature to check. VerifyMark (history/) compares stored and
// recomputed marks without the flag: it records how the mark went out, not what was computed.
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

enum class SignedEncoding { kV1 = 1, kV2 = 2 };

// The encoding a signed mark's signature covers: kV2 when it carries a publisher_id, else kV1.
SignedEncoding EncodingOf(const v1::Mark& mark);

// The v2 text above for `mark` signed by the key `key_id` for `publisher_id`. The mark's own
// publisher_id, key_id and signature fields are not read. Allocates; thread-safe.
std::string CanonicalMarkBytesV2(const v1::Mark& mark, std::string_view key_id,
                                 std::string_view publisher_id);
// The v1 text above for `mark` signed by the key `key_id`. Allocates; thread-safe.
std::string CanonicalMarkBytesV1(const v1::Mark& mark, std::string_view key_id);
// The text the mark's signature covers (EncodingOf): v2 with the mark's publisher_id, or v1.
std::string CanonicalMarkBytes(const v1::Mark& mark, std::string_view key_id);

// 1..64 characters of ASCII letters, digits, '.', '-' or '_' (the config's signing.publisher_id
// rule, src/config/config.cc).
bool IsValidPublisherId(std::string_view publisher_id);

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
  // `publisher_id` (every factory): signed into each mark; empty means key_id(); one that is not
  // IsValidPublisherId is refused (INVALID_ARGUMENT naming it).
  // `access`: kOwnerOnly (the default) refuses, with FAILED_PRECONDITION and without reading it,
  // a file whose mode gives group or others any access (mode & 077); the error names the file,
  // its mode in octal and the fix (chmod 600 FILE). kGroupOrOthersAllowed accepts it (config
  // signing.allow_readable_key_file, oracled --allow-readable-signing-key).
  enum class KeyFileAccess { kOwnerOnly, kGroupOrOthersAllowed };
  static absl::StatusOr<std::unique_ptr<MarkSigner>> FromPemFile(
      const std::string& path, std::string_view publisher_id = {},
      KeyFileAccess access = KeyFileAccess::kOwnerOnly);

  // Makes a new key and writes it to `path` as PKCS#8 PEM with mode 0600. Refuses to overwrite:
  // fails with ALREADY_EXISTS when `path` exists (even if another process created it first).
  static absl::StatusOr<std::unique_ptr<MarkSigner>> GenerateToFile(
      const std::string& path, std::string_view publisher_id = {});

  // From the 32-byte RFC 8032 private key (the seed), e.g. for the RFC's test vectors.
  static absl::StatusOr<std::unique_ptr<MarkSigner>> FromRawPrivateKey(
      std::string_view key, std::string_view publisher_id = {});

  // First 8 bytes of SHA-256 over the 32-byte raw public key, lowercase hex (16 characters).
  const std::string& key_id() const { return key_id_; }
  // What Sign puts in Mark.publisher_id: the one given, or key_id().
  const std::string& publisher_id() const { return publisher_id_; }
  // The 32-byte raw public key.
  const std::string& raw_public_key() const { return raw_public_key_; }
  // The public key as SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), the same as
  // `openssl pkey -in KEY_FILE -pubout` prints; empty only if OpenSSL fails.
  std::string public_key_pem() const;

  // Sets mark->publisher_id to publisher_id(), mark->key_id to key_id() and mark->signature to
  // the 64-byte Ed25519 signature of CanonicalMarkBytesV2(*mark, key_id(), publisher_id()).
  // With kV1 (only to reproduce a mark stored under v1, as VerifyMark does) clears
  // mark->publisher_id and signs CanonicalMarkBytesV1. On failure (out of memory, an OpenSSL
  // error, or a line feed in instrument or status_reason) clears the three fields and returns
  // false. Removes MARK_FLAG_SIGNING_FAILED from the flags first (above). Thread-safe.
  bool Sign(v1::Mark* mark, SignedEncoding encoding = SignedEncoding::kV2) const noexcept;
  // Sign, with what went wrong when it fails (for the signing status).
  absl::Status SignOrExplain(v1::Mark* mark,
                             SignedEncoding encoding = SignedEncoding::kV2) const noexcept;

  // The 64-byte Ed25519 signature of `message` (the one-shot EVP_DigestSign Sign uses), or an
  // empty string if OpenSSL fails. Thread-safe.
  std::string SignBytes(std::string_view message) const noexcept;

  MarkSigner(const MarkSigner&) = delete;
  MarkSigner& operator=(const MarkSigner&) = delete;
  ~MarkSigner();

 private:
  explicit MarkSigner(internal::PkeyPtr key);
  // Sets raw_public_key_, key_id_ and publisher_id_ (key_id_ when `publisher_id` is empty).
  absl::Status Finish(std::string raw_public_key, std::string_view publisher_id);

  internal::PkeyPtr key_;
  std::string raw_public_key_;
  std::string key_id_;
  std::string publisher_id_;
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
  // The text checked is CanonicalMarkBytes: v2 for a mark with a publisher_id, else v1.
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
