#include "integration/test_tls.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>

namespace oracle::testing {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "test certificate: %s failed\n", what);
    std::abort();
  }
}

}  // namespace

TestCertificate MakeTestCertificate(const std::string& dir) {
  EVP_PKEY* key = EVP_EC_gen("prime256v1");
  Check(key != nullptr, "EVP_EC_gen");
  X509* cert = X509_new();
  Check(cert != nullptr, "X509_new");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 7 * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("oracle test venue"), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"},
                            std::pair{NID_key_usage, "critical,digitalSignature,keyCertSign"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    Check(ext != nullptr, "X509V3_EXT_conf_nid");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  Check(X509_sign(cert, key, EVP_sha256()) > 0, "X509_sign");
  TestCertificate out{dir + "/test_cert.pem", dir + "/test_key.pem"};
  std::FILE* f = std::fopen(out.cert_pem_path.c_str(), "w");
  Check(f != nullptr && PEM_write_X509(f, cert) == 1, "write certificate");
  std::fclose(f);
  f = std::fopen(out.key_pem_path.c_str(), "w");
  Check(f != nullptr && PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "write key");
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace oracle::testing
