// The TLS files, checked at start so a wrong path or a key of another certificate is a clear
// start-up error instead of failed handshakes later.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "oracle/auth/auth.h"

namespace oracle::auth {
namespace {

struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const noexcept { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};

absl::Status FileError(std::string_view field, const std::string& path, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("server.tls.", absl::string_view(field.data(), field.size()), " ", path, ": ",
                   absl::string_view(why.data(), why.size())));
}

std::unique_ptr<BIO, BioFree> OpenFile(const std::string& path) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_file(path.c_str(), "r"));
}

// The first certificate of a PEM file.
absl::Status ReadCertificate(std::string_view field, const std::string& path,
                             std::unique_ptr<X509, X509Free>* out) {
  auto bio = OpenFile(path);
  if (!bio) return FileError(field, path, "cannot read it");
  out->reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!*out) return FileError(field, path, "no PEM certificate (-----BEGIN CERTIFICATE-----)");
  if (X509_cmp_current_time(X509_get0_notAfter(out->get())) < 0) {
    return FileError(field, path, "the certificate has expired");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckTlsFiles(const TlsSpec& tls) {
  if (!tls.enabled()) return absl::OkStatus();
  std::unique_ptr<X509, X509Free> cert;
  if (absl::Status st = ReadCertificate("cert_file", tls.cert_file, &cert); !st.ok()) return st;
  auto key_bio = OpenFile(tls.key_file);
  if (!key_bio) return FileError("key_file", tls.key_file, "cannot read it");
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!key) return FileError("key_file", tls.key_file, "no PEM private key (or it is encrypted)");
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return FileError("key_file", tls.key_file,
                     absl::StrCat("is not the key of the certificate in ", tls.cert_file));
  }
  if (!tls.client_ca_file.empty()) {
    std::unique_ptr<X509, X509Free> ca;
    if (absl::Status st = ReadCertificate("client_ca_file", tls.client_ca_file, &ca); !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

}  // namespace oracle::auth
