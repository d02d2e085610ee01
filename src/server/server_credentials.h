// The gRPC port's credentials: plaintext, or TLS from files that gRPC's file watcher re-reads
// (a rotated certificate is served without a restart). Private to the server module.
#ifndef ORACLE_SRC_SERVER_SERVER_CREDENTIALS_H_
#define ORACLE_SRC_SERVER_SERVER_CREDENTIALS_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>

#include "oracle/config/config.h"

namespace oracle {

// How often the certificate files are re-read (seconds).
inline constexpr unsigned kCertificateRefreshSeconds = 2;

// Insecure without tls.cert_file; else TLS (1.2 or newer: gRPC's minimum) with the client
// certificate policy of tls.client_auth. The files must have been checked (auth::CheckTlsFiles).
std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const TlsSpec& tls);

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_SERVER_CREDENTIALS_H_
