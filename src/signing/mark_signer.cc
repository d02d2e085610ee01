#include "oracle/signing/mark_signer.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace oracle::signing {

namespace internal {
void PkeyFree::operator()(evp_pkey_st* key) const noexcept { EVP_PKEY_free(key); }
}  // namespace internal

namespace {

using internal::PkeyPtr;

// Debian's Abseil is built with its own string_view, not std::string_view.
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr size_t kRawKeyBytes = 32;
constexpr size_t kSignatureBytes = 64;
// A PEM key is a few hundred bytes; anything much larger is not a key file.
constexpr off_t kMaxKeyFileBytes = off_t{64} * 1024;

struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// The oldest error on this thread's OpenSSL error queue, and clears the queue (so it does not
// leak into an unrelated later call on this thread).
std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();  // NOLINT(google-runtime-int): OpenSSL's type
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

// Never asks for a passphrase (OpenSSL's default would prompt on the terminal): an encrypted key
// fails to load and is reported as such.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) { return -1; }

std::string EnumText(const std::string& name, int value) {
  return name.empty() ? absl::StrCat(value) : name;
}

std::string DecimalText(bool has, const v1::Decimal& d) {
  return has ? absl::StrCat(d.mantissa(), "e", d.exponent()) : std::string();
}

std::string TimeNsText(bool has, const google::protobuf::Timestamp& t) {
  if (!has) return "0";
  int64_t ns = 0;
  if (!__builtin_mul_overflow(t.seconds(), int64_t{1000000000}, &ns) &&
      !__builtin_add_overflow(ns, int64_t{t.nanos()}, &ns)) {
    return absl::StrCat(ns);
  }
  // Outside 1678..2261 (only a hand-made mark gets there): the exact value all the same.
  std::ostringstream out;
  out << absl::int128(t.seconds()) * 1000000000 + t.nanos();
  return out.str();
}

bool HasLineFeed(const v1::Mark& mark) {
  return absl::StrContains(mark.instrument(), '\n') ||
         absl::StrContains(mark.status_reason(), '\n');
}

absl::StatusOr<std::string> RawPublicKeyOf(EVP_PKEY* key) {
  std::string raw(kRawKeyBytes, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1 ||
      len != kRawKeyBytes) {
    return absl::InternalError(
        absl::StrCat("cannot read the Ed25519 public key: ", TakeOpenSslError()));
  }
  return raw;
}

// "" if `key` is Ed25519, else what it is ("holds a key of type RSA, ...").
std::string NotEd25519(EVP_PKEY* key) {
  if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519) return "";
  const char* name = EVP_PKEY_get0_type_name(key);
  return absl::StrCat(
      "holds a key of type ", name != nullptr ? name : "unknown",
      ", not Ed25519 (make one with: openssl genpkey -algorithm ed25519 -out FILE)");
}

// Why a private key file's mode is refused ("" if it is not): group or others have any access.
std::string ReadableByOthers(const std::string& path, mode_t mode) {
  if ((mode & 077) == 0) return "";
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode & 07777));
  return absl::StrCat("has mode ", octal,
                      ": group or others may access the private key; make it the owner's only "
                      "with: chmod 600 ",
                      path,
                      " (or accept it with signing.allow_readable_key_file or oracled "
                      "--allow-readable-signing-key)");
}

// Reads a small file whole. Errors name the file and the problem. `owner_only`: a file group or
// others may access is refused (FAILED_PRECONDITION), without reading it.
absl::StatusOr<std::string> ReadKeyFile(const std::string& what, const std::string& path,
                                        bool owner_only = false) {
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat(what, ": no file name given"));
  // O_NONBLOCK: a FIFO given by mistake must not hang the open; it is refused below.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat(what, " ", path, ": no such file"));
    }
    const std::string msg =
        absl::StrCat(what, " ", path, ": cannot be opened: ", std::strerror(err));
    return err == EACCES || err == EPERM ? absl::PermissionDeniedError(msg)
                                         : absl::InvalidArgumentError(msg);
  }
  struct stat st {};
  std::string out;
  std::string error;
  if (::fstat(fd, &st) != 0) {
    error = absl::StrCat("cannot be examined: ", std::strerror(errno));
  } else if (S_ISDIR(st.st_mode)) {
    error = "is a directory, not a key file";
  } else if (!S_ISREG(st.st_mode)) {
    error = "is not a regular file";
  } else if (std::string why = owner_only ? ReadableByOthers(path, st.st_mode) : ""; !why.empty()) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(what, " ", path, " ", why));
  } else if (st.st_size > kMaxKeyFileBytes) {
    error = absl::StrCat("is ", st.st_size, " bytes, too large to be a PEM key file");
  } else {
    char buf[4096];
    while (true) {
      const ssize_t n = ::read(fd, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = absl::StrCat("cannot be read: ", std::strerror(errno));
        break;
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
      if (out.size() > static_cast<size_t>(kMaxKeyFileBytes)) {
        error = "is too large to be a PEM key file";
        break;
      }
    }
  }
  ::close(fd);
  if (!error.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, ": ", error));
  }
  return out;
}

// Why `text` cannot hold the PEM block wanted, before OpenSSL gets to it: "" if it may.
std::string NotPem(absl::string_view text) {
  if (text.empty()) return "is empty";
  if (!absl::StrContains(text, "-----BEGIN ")) {
    return "is not a PEM file (no \"-----BEGIN ...-----\" line)";
  }
  return "";
}

absl::StatusOr<PkeyPtr> ParsePrivateKeyPem(absl::string_view pem) {
  if (std::string why = NotPem(pem); !why.empty()) return absl::InvalidArgumentError(why);
  if (absl::StrContains(pem, "ENCRYPTED")) {
    return absl::InvalidArgumentError(
        "holds an encrypted private key; the oracle needs an unencrypted PKCS#8 key (openssl "
        "pkey -in FILE -out PLAIN)");
  }
  if (!absl::StrContains(pem, "PRIVATE KEY-----")) {
    return absl::InvalidArgumentError(absl::StrCat("holds no private key (",
                                                   absl::StrContains(pem, "PUBLIC KEY-----")
                                                       ? "only a public key"
                                                       : "no \"-----BEGIN PRIVATE KEY-----\" block",
                                                   "); the signer needs the Ed25519 private key"));
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return absl::ResourceExhaustedError("out of memory");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) {
    return absl::InvalidArgumentError(absl::StrCat(
        "holds no readable PEM private key (damaged or truncated?): ", TakeOpenSslError()));
  }
  ERR_clear_error();
  if (std::string why = NotEd25519(key.get()); !why.empty()) {
    return absl::InvalidArgumentError(why);
  }
  return key;
}

// A public key PEM, or failing that the public half of a private key PEM.
absl::StatusOr<PkeyPtr> ParsePublicKeyPem(absl::string_view pem) {
  if (pem.size() > static_cast<size_t>(kMaxKeyFileBytes)) {
    return absl::InvalidArgumentError("is too large to be a PEM key");
  }
  if (std::string why = NotPem(pem); !why.empty()) return absl::InvalidArgumentError(why);
  PkeyPtr key;
  if (absl::StrContains(pem, "-----BEGIN PUBLIC KEY-----")) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return absl::ResourceExhaustedError("out of memory");
    key.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr));
    if (!key) {
      return absl::InvalidArgumentError(absl::StrCat(
          "holds no readable PEM public key (damaged or truncated?): ", TakeOpenSslError()));
    }
    ERR_clear_error();
    if (std::string why = NotEd25519(key.get()); !why.empty()) {
      return absl::InvalidArgumentError(why);
    }
    return key;
  }
  if (absl::StrContains(pem, "PRIVATE KEY-----")) {
    absl::StatusOr<PkeyPtr> priv = ParsePrivateKeyPem(pem);
    if (!priv.ok()) return priv.status();
    absl::StatusOr<std::string> raw = RawPublicKeyOf(priv->get());
    if (!raw.ok()) return raw.status();
    key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(raw->data()),
                                          raw->size()));
    if (!key) return absl::InternalError(TakeOpenSslError());
    return key;
  }
  return absl::InvalidArgumentError(
      "holds no \"-----BEGIN PUBLIC KEY-----\" or \"-----BEGIN PRIVATE KEY-----\" block");
}

absl::Status Prefixed(const absl::Status& s, absl::string_view prefix) {
  return absl::Status(s.code(), absl::StrCat(prefix, " ", s.message()));
}

absl::Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InternalError(std::strerror(errno));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

std::string CanonicalMarkBytesV1(const v1::Mark& mark, std::string_view key_id) {
  std::vector<int> flags(mark.flags().begin(), mark.flags().end());
  std::sort(flags.begin(), flags.end());
  std::string flag_text = absl::StrJoin(
      flags, ",", [](std::string* out, int f) { out->append(EnumText(v1::MarkFlag_Name(f), f)); });
  return absl::StrCat(
      "oracle-mark-v1\n",                                                                  //
      "key_id=", Sv(key_id), "\n",                                                         //
      "instrument=", mark.instrument(), "\n",                                              //
      "price=", DecimalText(mark.has_price(), mark.price()), "\n",                         //
      "confidence=", DecimalText(mark.has_confidence(), mark.confidence()), "\n",          //
      "publish_time_ns=", TimeNsText(mark.has_publish_time(), mark.publish_time()), "\n",  //
      "last_good_time_ns=", TimeNsText(mark.has_last_good_time(), mark.last_good_time()),
      "\n",                                                                          //
      "sequence=", mark.sequence(), "\n",                                            //
      "status=", EnumText(v1::MarkStatus_Name(mark.status()), mark.status()), "\n",  //
      "status_reason=", mark.status_reason(), "\n",                                  //
      "flags=", flag_text, "\n",                                                     //
      "venues_used=", mark.used_venue_count(), "\n",                                 //
      "venues_required=", mark.required_venue_count(), "\n",                         //
      "redemption_choice=",
      mark.has_redemption() ? EnumText(v1::RedemptionChoice_Name(mark.redemption().choice()),
                                       mark.redemption().choice())
                            : std::string(),
      "\n");
}

std::string CanonicalMarkBytesV2(const v1::Mark& mark, std::string_view key_id,
                                 std::string_view publisher_id) {
  std::vector<int> flags(mark.flags().begin(), mark.flags().end());
  std::sort(flags.begin(), flags.end());
  return absl::StrCat(
      "oracle-mark-v2\n",                                                                  //
      "publisher_id=", Sv(publisher_id), "\n",                                             //
      "key_id=", Sv(key_id), "\n",                                                         //
      "instrument=", mark.instrument(), "\n",                                              //
      "price=", DecimalText(mark.has_price(), mark.price()), "\n",                         //
      "confidence=", DecimalText(mark.has_confidence(), mark.confidence()), "\n",          //
      "publish_time_ns=", TimeNsText(mark.has_publish_time(), mark.publish_time()), "\n",  //
      "last_good_time_ns=", TimeNsText(mark.has_last_good_time(), mark.last_good_time()),
      "\n",                                                   //
      "sequence=", mark.sequence(), "\n",                     //
      "status=", static_cast<int>(mark.status()), "\n",       //
      "status_reason=", mark.status_reason(), "\n",           //
      "flags=", absl::StrJoin(flags, ","), "\n",              //
      "venues_used=", mark.used_venue_count(), "\n",          //
      "venues_required=", mark.required_venue_count(), "\n",  //
      "redemption_choice=",
      mark.has_redemption() ? absl::StrCat(static_cast<int>(mark.redemption().choice()))
                            : std::string(),
      "\n");
}

SignedEncoding EncodingOf(const v1::Mark& mark) {
  return mark.publisher_id().empty() ? SignedEncoding::kV1 : SignedEncoding::kV2;
}

std::string CanonicalMarkBytes(const v1::Mark& mark, std::string_view key_id) {
  return EncodingOf(mark) == SignedEncoding::kV2
             ? CanonicalMarkBytesV2(mark, key_id, mark.publisher_id())
             : CanonicalMarkBytesV1(mark, key_id);
}

bool IsValidPublisherId(std::string_view publisher_id) {
  if (publisher_id.empty() || publisher_id.size() > 64) return false;
  return std::all_of(publisher_id.begin(), publisher_id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

std::string KeyIdOfRawPublicKey(std::string_view raw_public_key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(raw_public_key.data(), raw_public_key.size(), digest, &len, EVP_sha256(),
                 nullptr) != 1 ||
      len < 8) {
    ERR_clear_error();
    return "";
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), 8));  // lowercase
}

std::string_view VerifyFailureReason(const absl::Status& status) {
  if (status.ok()) return "OK";
  for (std::string_view reason : {"UNSIGNED", "KEY_MISMATCH", "BAD_SIGNATURE"}) {
    if (absl::StartsWith(status.message(), absl::StrCat(Sv(reason), ":"))) return reason;
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// MarkSigner

MarkSigner::MarkSigner(PkeyPtr key) : key_(std::move(key)) {}
MarkSigner::~MarkSigner() = default;

namespace {
// OK for an empty publisher_id (the key_id is used) or a valid one.
absl::Status CheckPublisherId(std::string_view publisher_id) {
  if (publisher_id.empty() || IsValidPublisherId(publisher_id)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("publisher_id \"", absl::CHexEscape(Sv(publisher_id)),
                   "\": must be 1..64 characters of letters, digits, '.', '-' or '_'"));
}
}  // namespace

absl::Status MarkSigner::Finish(std::string raw_public_key, std::string_view publisher_id) {
  if (absl::Status s = CheckPublisherId(publisher_id); !s.ok()) return s;
  raw_public_key_ = std::move(raw_public_key);
  key_id_ = KeyIdOfRawPublicKey(raw_public_key_);
  publisher_id_ = publisher_id.empty() ? key_id_ : std::string(publisher_id);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<MarkSigner>> MarkSigner::FromPemFile(const std::string& path,
                                                                    std::string_view publisher_id,
                                                                    KeyFileAccess access) {
  if (absl::Status s = CheckPublisherId(publisher_id); !s.ok()) return s;
  absl::StatusOr<std::string> pem =
      ReadKeyFile("signing key file", path, access == KeyFileAccess::kOwnerOnly);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<PkeyPtr> key = ParsePrivateKeyPem(*pem);
  if (!key.ok()) return Prefixed(key.status(), absl::StrCat("signing key file ", path, ":"));
  absl::StatusOr<std::string> raw = RawPublicKeyOf(key->get());
  if (!raw.ok()) return Prefixed(raw.status(), absl::StrCat("signing key file ", path, ":"));
  std::unique_ptr<MarkSigner> signer(new MarkSigner(std::move(*key)));
  if (absl::Status s = signer->Finish(std::move(*raw), publisher_id); !s.ok()) return s;
  return signer;
}

absl::StatusOr<std::unique_ptr<MarkSigner>> MarkSigner::FromRawPrivateKey(
    std::string_view key, std::string_view publisher_id) {
  if (key.size() != kRawKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 private key is ", kRawKeyBytes, " bytes, got ", key.size()));
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(key.data()), key.size()));
  if (!pkey) return absl::InternalError(TakeOpenSslError());
  absl::StatusOr<std::string> raw = RawPublicKeyOf(pkey.get());
  if (!raw.ok()) return raw.status();
  std::unique_ptr<MarkSigner> signer(new MarkSigner(std::move(pkey)));
  if (absl::Status s = signer->Finish(std::move(*raw), publisher_id); !s.ok()) return s;
  return signer;
}

absl::StatusOr<std::unique_ptr<MarkSigner>> MarkSigner::GenerateToFile(
    const std::string& path, std::string_view publisher_id) {
  const std::string what = absl::StrCat("signing key file ", path, ":");
  if (path.empty()) return absl::InvalidArgumentError("signing key file: no file name given");
  if (absl::Status s = CheckPublisherId(publisher_id); !s.ok()) return s;
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) {
    return absl::InternalError(
        absl::StrCat(what, " cannot generate an Ed25519 key: ", TakeOpenSslError()));
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return absl::InternalError(
        absl::StrCat(what, " cannot encode the new key: ", TakeOpenSslError()));
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);  // NOLINT(google-runtime-int)
  const std::string_view pem(data, static_cast<size_t>(len));

  // O_EXCL: never overwrite a key, even one another process created a moment ago.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat(what, " already exists; refusing to overwrite a key"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat(what, " cannot be created: ", std::strerror(err)));
  }
  absl::Status written = absl::OkStatus();
  if (::fchmod(fd, 0600) != 0) written = absl::InternalError(std::strerror(errno));
  if (written.ok()) written = WriteAll(fd, pem);
  if (written.ok() && ::fsync(fd) != 0) written = absl::InternalError(std::strerror(errno));
  if (::close(fd) != 0 && written.ok()) written = absl::InternalError(std::strerror(errno));
  if (!written.ok()) {
    ::unlink(path.c_str());
    return absl::InternalError(absl::StrCat(what, " cannot be written: ", written.message()));
  }

  absl::StatusOr<std::string> raw = RawPublicKeyOf(key.get());
  if (!raw.ok()) return Prefixed(raw.status(), what);
  std::unique_ptr<MarkSigner> signer(new MarkSigner(std::move(key)));
  if (absl::Status s = signer->Finish(std::move(*raw), publisher_id); !s.ok()) return s;
  return signer;
}

std::string MarkSigner::public_key_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    ERR_clear_error();
    return "";
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);  // NOLINT(google-runtime-int)
  return std::string(data, static_cast<size_t>(len));
}

std::string MarkSigner::SignBytes(std::string_view message) const noexcept {
  try {
    // One context per call: EVP_MD_CTX is not safe to share; the EVP_PKEY is (read-only).
    MdCtxPtr ctx(EVP_MD_CTX_new());
    std::string sig(kSignatureBytes, '\0');
    size_t sig_len = sig.size();
    // Ed25519 is one-shot: no digest (NULL), EVP_DigestSign over the whole message.
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        sig_len != kSignatureBytes) {
      ERR_clear_error();
      return "";
    }
    return sig;
  } catch (...) {
    ERR_clear_error();
    return "";
  }
}

namespace {

void ClearSignature(v1::Mark* mark) {
  mark->clear_publisher_id();
  mark->clear_key_id();
  mark->clear_signature();
}

// A signed mark never carries MARK_FLAG_SIGNING_FAILED (mark_signer.h).
void RemoveSigningFailedFlag(v1::Mark* mark) {
  auto* flags = mark->mutable_flags();
  for (int i = flags->size() - 1; i >= 0; --i) {
    if (flags->Get(i) == v1::MARK_FLAG_SIGNING_FAILED) flags->erase(flags->begin() + i);
  }
}

}  // namespace

bool MarkSigner::Sign(v1::Mark* mark, SignedEncoding encoding) const noexcept {
  return SignOrExplain(mark, encoding).ok();
}

absl::Status MarkSigner::SignOrExplain(v1::Mark* mark, SignedEncoding encoding) const noexcept {
  if (mark == nullptr) return absl::InvalidArgumentError("no mark");
  try {
    if (HasLineFeed(*mark)) {
      ClearSignature(mark);
      return absl::InvalidArgumentError(
          "the mark's instrument or status_reason holds a line feed: it cannot be signed");
    }
    RemoveSigningFailedFlag(mark);
    std::string sig = SignBytes(encoding == SignedEncoding::kV1
                                    ? CanonicalMarkBytesV1(*mark, key_id_)
                                    : CanonicalMarkBytesV2(*mark, key_id_, publisher_id_));
    if (sig.empty()) {
      ClearSignature(mark);
      return absl::InternalError("OpenSSL could not make the Ed25519 signature");
    }
    if (encoding == SignedEncoding::kV1) {
      mark->clear_publisher_id();
    } else {
      mark->set_publisher_id(publisher_id_);
    }
    mark->set_key_id(key_id_);
    mark->set_signature(std::move(sig));
    return absl::OkStatus();
  } catch (...) {
    ClearSignature(mark);
    return absl::ResourceExhaustedError("out of memory while signing");
  }
}

// ---------------------------------------------------------------------------------------------
// MarkVerifier

MarkVerifier::MarkVerifier(PkeyPtr key, std::string raw_public_key)
    : key_(std::move(key)),
      raw_public_key_(std::move(raw_public_key)),
      key_id_(KeyIdOfRawPublicKey(raw_public_key_)) {}
MarkVerifier::~MarkVerifier() = default;

absl::StatusOr<std::unique_ptr<MarkVerifier>> MarkVerifier::FromPublicKeyPem(std::string_view pem) {
  absl::StatusOr<PkeyPtr> key = ParsePublicKeyPem(Sv(pem));
  if (!key.ok()) return Prefixed(key.status(), "public key PEM:");
  absl::StatusOr<std::string> raw = RawPublicKeyOf(key->get());
  if (!raw.ok()) return Prefixed(raw.status(), "public key PEM:");
  return std::unique_ptr<MarkVerifier>(new MarkVerifier(std::move(*key), std::move(*raw)));
}

absl::StatusOr<std::unique_ptr<MarkVerifier>> MarkVerifier::FromPemFile(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadKeyFile("public key file", path);
  if (!pem.ok()) return pem.status();
  const std::string what = absl::StrCat("public key file ", path, ":");
  absl::StatusOr<PkeyPtr> key = ParsePublicKeyPem(*pem);
  if (!key.ok()) return Prefixed(key.status(), what);
  absl::StatusOr<std::string> raw = RawPublicKeyOf(key->get());
  if (!raw.ok()) return Prefixed(raw.status(), what);
  return std::unique_ptr<MarkVerifier>(new MarkVerifier(std::move(*key), std::move(*raw)));
}

absl::StatusOr<std::unique_ptr<MarkVerifier>> MarkVerifier::FromRawPublicKey(std::string_view key) {
  if (key.size() != kRawKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 public key is ", kRawKeyBytes, " bytes, got ", key.size()));
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(key.data()), key.size()));
  if (!pkey) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an Ed25519 public key: ", TakeOpenSslError()));
  }
  return std::unique_ptr<MarkVerifier>(new MarkVerifier(std::move(pkey), std::string(key)));
}

bool MarkVerifier::VerifyBytes(std::string_view message,
                               std::string_view signature) const noexcept {
  if (signature.size() != kSignatureBytes) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  return ok;
}

absl::Status MarkVerifier::Verify(const v1::Mark& mark) const {
  const std::string which =
      absl::StrCat("mark ", absl::CHexEscape(mark.instrument()), " sequence ", mark.sequence());
  if (mark.signature().empty()) {
    return absl::UnauthenticatedError(absl::StrCat("UNSIGNED: ", which, " carries no signature"));
  }
  if (mark.key_id() != key_id_) {
    return absl::UnauthenticatedError(
        absl::StrCat("KEY_MISMATCH: ", which, " was signed by key_id \"",
                     absl::CHexEscape(mark.key_id()), "\", this public key's key_id is ", key_id_));
  }
  if (mark.signature().size() != kSignatureBytes) {
    return absl::UnauthenticatedError(absl::StrCat("BAD_SIGNATURE: ", which, " has a ",
                                                   mark.signature().size(),
                                                   "-byte signature; Ed25519's is 64 bytes"));
  }
  if (HasLineFeed(mark)) {
    return absl::UnauthenticatedError(absl::StrCat(
        "BAD_SIGNATURE: ", which,
        " has a line feed in instrument or status_reason, which the signer never signs"));
  }
  if (EncodingOf(mark) == SignedEncoding::kV2 && !IsValidPublisherId(mark.publisher_id())) {
    return absl::UnauthenticatedError(absl::StrCat("BAD_SIGNATURE: ", which, " has publisher_id \"",
                                                   absl::CHexEscape(mark.publisher_id()),
                                                   "\", which the signer never signs"));
  }
  if (!VerifyBytes(CanonicalMarkBytes(mark, key_id_), mark.signature())) {
    return absl::UnauthenticatedError(absl::StrCat(
        "BAD_SIGNATURE: the signature of ", which, " does not verify with key_id ", key_id_,
        ": a signed field was changed after signing, or this key did not make it"));
  }
  return absl::OkStatus();
}

}  // namespace oracle::signing
