#include "oracle/app/oracle_app.h"

#include <condition_variable>
#include <mutex>

#include "oracle/api/mark_lookup.h"
#include "oracle/api/serving_counters.h"
#include "oracle/history/audit.h"
#include "oracle/server/server.h"
#include "oracle/signing/signature_cache.h"
#include "oracle/status/status_snapshot.h"
#include "pipeline.h"

namespace oracle {
namespace {

// ServerStatus.signing from the signature cache (signed and failed marks, the last failure).
std::function<void(status::SigningStatus*)> SigningStatusOf(const signing::SignatureCache* cache) {
  return [cache](status::SigningStatus* out) {
    if (cache == nullptr) return;
    const signing::SigningStats s = cache->stats();
    out->enabled = s.enabled;
    out->key_id = s.key_id;
    out->signed_count = s.signed_count;
    out->failure_count = s.failure_count;
    out->last_error = s.last_error;
  };
}

}  // namespace

class OracleApp::Impl {
 public:
  // The serving side over the pipeline: lookups, status inputs, audit queries, the gRPC server.
  absl::Status StartServing();
  // The history writer, the core thread, then every source on its ring.
  absl::Status StartThreads();
  void Shutdown();

  app::Pipeline p;
  std::unique_ptr<MarkLookup> lookup;
  ServingCounters counters;
  status::StatusInputs status_inputs;
  std::unique_ptr<history::AuditQueries> audit_queries;
  std::unique_ptr<OracleServer> server;

  std::mutex mu;
  std::condition_variable cv;
  bool shut_down = false;
};

absl::Status OracleApp::Impl::StartServing() {
  lookup = std::make_unique<MarkLookup>(p.config, p.table.get());
  status_inputs.config = &p.config;
  status_inputs.engine = p.engine.get();
  status_inputs.runner = p.runner.get();
  status_inputs.sources = &p.sources;
  status_inputs.persister = p.persister.get();
  status_inputs.rates = p.rate_source;
  status_inputs.serving = &counters;
  status_inputs.start_time = WallClockNow();
  status_inputs.signing = SigningStatusOf(p.signatures.get());
  history::Persister* persister = p.persister.get();
  audit_queries = std::make_unique<history::AuditQueries>(
      p.config,
      [persister]() -> std::shared_ptr<history::HistoryStore> {
        return persister != nullptr ? persister->store() : nullptr;
      },
      p.signer.get());
  ServingDeps deps;
  deps.config = &p.config;
  deps.table = p.table.get();
  deps.lookup = lookup.get();
  deps.signatures = p.signatures.get();
  deps.audit = audit_queries.get();
  deps.status = &status_inputs;
  deps.counters = &counters;
  auto started = OracleServer::Start(deps, p.config.listen_address);
  if (!started.ok()) return started.status();
  server = std::move(*started);
  return absl::OkStatus();
}

absl::Status OracleApp::Impl::StartThreads() {
  if (p.persister) p.persister->Start();
  p.runner->Start();
  for (size_t i = 0; i < p.sources.size(); ++i) {
    absl::Status st = p.sources[i]->Start(p.rings[i]);
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

void OracleApp::Impl::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (shut_down) return;
    shut_down = true;
  }
  cv.notify_all();
  if (server) server->Shutdown();
  for (auto& src : p.sources) src->Stop();
  if (p.runner) p.runner->Stop();
  // After the core: what it handed over is written before we go.
  if (p.persister) p.persister->Stop();
  if (p.capture) p.capture->Flush();
  cv.notify_all();
}

OracleApp::OracleApp(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OracleApp::~OracleApp() { Shutdown(); }

absl::StatusOr<std::unique_ptr<OracleApp>> OracleApp::Start(Config config,
                                                            const AppOptions& options) {
  auto impl = std::make_unique<Impl>();
  app::Pipeline& p = impl->p;
  p.config = std::move(config);
  if (!options.listen_address.empty()) p.config.listen_address = options.listen_address;
  if (absl::Status st = app::CheckOptions(p.config, options); !st.ok()) return st;
  if (absl::Status st = app::LoadSigner(p); !st.ok()) return st;
  if (absl::Status st = app::BuildCore(p, options); !st.ok()) return st;
  if (absl::Status st = app::AddEventSources(p, options); !st.ok()) return st;
  if (absl::Status st = impl->StartServing(); !st.ok()) return st;
  auto app = std::unique_ptr<OracleApp>(new OracleApp(std::move(impl)));
  if (absl::Status st = app->impl_->StartThreads(); !st.ok()) {
    app->Shutdown();
    return st;
  }
  return app;
}

int OracleApp::port() const noexcept { return impl_->server->port(); }

std::string OracleApp::address() const { return impl_->server->address(); }

uint64_t OracleApp::events_applied() const noexcept { return impl_->p.runner->events_applied(); }

bool OracleApp::replay_finished() const noexcept {
  return impl_->p.replay != nullptr && impl_->p.replay->finished();
}

void OracleApp::Shutdown() { impl_->Shutdown(); }

void OracleApp::Wait() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait(lock, [this] { return impl_->shut_down; });
}

}  // namespace oracle
