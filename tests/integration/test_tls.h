// A throwaway certificate authority for loopback TLS tests: a self-signed EC certificate for
// 127.0.0.1 and localhost, written as PEM files the server serves and the client trusts.
#ifndef ORACLE_TESTS_INTEGRATION_TEST_TLS_H_
#define ORACLE_TESTS_INTEGRATION_TEST_TLS_H_

#include <string>

namespace oracle::testing {

struct TestCertificate {
  std::string cert_pem_path;  // also the CA file clients trust
  std::string key_pem_path;
};

// Generates a fresh key and certificate in `dir`. Aborts the test binary on OpenSSL failure.
TestCertificate MakeTestCertificate(const std::string& dir);

}  // namespace oracle::testing

#endif  // ORACLE_TESTS_INTEGRATION_TEST_TLS_H_
