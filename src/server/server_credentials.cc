#include "server_credentials.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

namespace oracle {
namespace {

grpc_ssl_client_certificate_request_type RequestType(ClientAuthMode mode) {
  switch (mode) {
    case ClientAuthMode::kNone:
      return GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
    case ClientAuthMode::kRequest:
      return GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
    case ClientAuthMode::kRequire:
      return GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
}

}  // namespace

std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const TlsSpec& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  const bool client_certificates = tls.client_auth != ClientAuthMode::kNone;
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      tls.key_file, tls.cert_file, client_certificates ? tls.client_ca_file : std::string(),
      kCertificateRefreshSeconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (client_certificates) options.watch_root_certs();
  options.set_cert_request_type(RequestType(tls.client_auth));
  return grpc::experimental::TlsServerCredentials(options);
}

}  // namespace oracle
