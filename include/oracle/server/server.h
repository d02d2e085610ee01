// The gRPC server: OracleService (marks), AuditService (history), health and reflection, over the
// pieces the app (oracle/app/oracle_app.h) built. It only serves: it reads the mark table, the
// status snapshot and the audit queries, and owns nothing but the gRPC server, its stream hub
// and its health updater.
//
// Headers of gRPC stay inside the server module's .cc files.
#ifndef ORACLE_SERVER_SERVER_H_
#define ORACLE_SERVER_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "oracle/config/config.h"

namespace oracle {

class MarkTable;
class MarkLookup;
class ServingHealth;
struct ServingCounters;
namespace history {
class AuditQueries;
}
namespace signing {
class SignatureCache;
}
namespace status {
struct StatusInputs;
}
namespace auth {
class Authenticator;
}

// What the services read; every pointer is owned by the caller and outlives the server.
struct ServingDeps {
  const Config* config = nullptr;
  const MarkTable* table = nullptr;
  const MarkLookup* lookup = nullptr;
  signing::SignatureCache* signatures = nullptr;  // signs served marks (no-op without a key)
  const history::AuditQueries* audit = nullptr;
  const status::StatusInputs* status = nullptr;  // GetServerStatus, ListVenues, audit health
  ServingCounters* counters = nullptr;           // request errors, open streams
  auth::Authenticator* auth = nullptr;           // who may call what; null: everyone, everything
  ServingHealth* health = nullptr;  // readiness, watchdog, drain -> gRPC health (null: SERVING)
};

class OracleServer {
 public:
  // Starts serving on `listen_address` ("127.0.0.1:0" picks a free port); returns once the port
  // is listening.
  static absl::StatusOr<std::unique_ptr<OracleServer>> Start(const ServingDeps& deps,
                                                             const std::string& listen_address);
  ~OracleServer();

  // The port actually bound (useful with port 0).
  int port() const noexcept;
  std::string address() const;

  // Marks health NOT_SERVING, ends streams, stops accepting calls (2 s grace). Idempotent.
  void Shutdown();

  class Impl;

 private:
  explicit OracleServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle

#endif  // ORACLE_SERVER_SERVER_H_
