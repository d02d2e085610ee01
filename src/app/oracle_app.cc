#include "oracle/app/oracle_app.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "oracle/api/mark_lookup.h"
#include "oracle/api/serving_counters.h"
#include "oracle/auth/auth.h"
#include "oracle/core/log.h"
#include "oracle/core/time.h"
#include "oracle/history/audit.h"
#include "oracle/server/server.h"
#include "oracle/server/serving_health.h"
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
  // Readiness, progress watchdog and drain state, after the history's restore (BuildCore).
  void BuildServingHealth(const AppOptions& options);
  // The serving side over the pipeline: lookups, status inputs, audit queries, the gRPC server.
  absl::Status StartServing();
  // The history writer, the core thread, then every source on its ring.
  absl::Status StartThreads();
  // Exposure check, TLS files, the authenticator and its token-file re-reads.
  absl::Status StartAuth();
  // Re-reads the token file every second until shutdown (with StartThreads).
  void StartAuthReloader();
  void StopAuth();
  void Shutdown();
  // Health NOT_SERVING, drain_period (or until EndDrainWait()) while calls go on, then Shutdown().
  void Drain();
  void EndDrainWait();

  app::Pipeline p;
  std::unique_ptr<MarkLookup> lookup;
  ServingCounters counters;
  status::StatusInputs status_inputs;
  std::unique_ptr<history::AuditQueries> audit_queries;
  std::unique_ptr<ServingHealth> health;
  std::unique_ptr<OracleServer> server;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::thread auth_reloader;

  std::mutex mu;
  std::condition_variable cv;
  bool shut_down = false;
  bool drain_wait_ended = false;  // guarded by mu
};

void OracleApp::Impl::BuildServingHealth(const AppOptions& options) {
  ServingHealth::Options o;
  o.progress_timeout_ns = p.config.progress_timeout_ns;
  o.expected_interval_ns = p.config.publish_interval_ns;
  o.elapsed_clock = [] { return MonotonicNowNs(); };
  // Every timer the engine applied: the runner's, or a log-clock replay's own.
  const Engine* engine = p.engine.get();
  o.progress = [engine] { return engine->SharedTotals().timers; };
  // A log-clock replay that has pushed its whole log sends no more timers: nothing is late.
  if (options.replay_log_clock && p.replay != nullptr) {
    const ReplaySource* replay = p.replay;
    o.idle = [replay] { return replay->finished(); };
  }
  health = std::make_unique<ServingHealth>(std::move(o));
}

absl::Status OracleApp::Impl::StartAuth() {
  std::vector<std::string> warnings;
  if (absl::Status st = auth::CheckExposure(p.config, &warnings); !st.ok()) return st;
  for (const std::string& w : warnings) Logf(LogLevel::kWarning, "%s", w.c_str());
  if (absl::Status st = auth::CheckTlsFiles(p.config.tls); !st.ok()) return st;
  auto created = auth::Authenticator::Create(p.config);
  if (!created.ok()) return created.status();
  authenticator = *std::move(created);
  status_inputs.auth = [a = authenticator.get(), tls = p.config.tls](status::AuthStatus* out) {
    auth::AuthStats s = a->stats();
    out->mode = s.mode;
    out->tls = tls.enabled();
    out->client_auth = tls.client_auth;
    out->identity_count = s.identity_count;
    out->unauthenticated = s.unauthenticated;
    out->permission_denied = s.permission_denied;
    out->refusals_by_identity = std::move(s.refusals_by_identity);
    out->tokens_file_error = std::move(s.tokens_file_error);
  };
  return absl::OkStatus();
}

void OracleApp::Impl::StartAuthReloader() {
  if (!p.config.auth.tokens_file.empty()) {
    auth_reloader = std::thread([this] {
      std::unique_lock<std::mutex> lock(mu);
      while (!cv.wait_for(lock, std::chrono::seconds(1), [this] { return shut_down; })) {
        lock.unlock();
        authenticator->ReloadIfChanged();
        lock.lock();
      }
    });
  }
}

void OracleApp::Impl::StopAuth() {
  if (auth_reloader.joinable()) auth_reloader.join();
}

absl::Status OracleApp::Impl::StartServing() {
  if (absl::Status st = StartAuth(); !st.ok()) return st;
  lookup = std::make_unique<MarkLookup>(p.config, p.table.get());
  status_inputs.config = &p.config;
  status_inputs.engine = p.engine.get();
  status_inputs.runner = p.runner.get();
  status_inputs.sources = &p.sources;
  status_inputs.persister = p.persister.get();
  status_inputs.rates = p.rate_source;
  status_inputs.serving = &counters;
  status_inputs.start_time = WallClockNow();
  ServingHealth* serving_health = health.get();
  status_inputs.serving_health = [serving_health](status::ServingHealthStatus* out) {
    serving_health->Fill(out);
  };
  status_inputs.clock = [runner = p.runner.get()](status::ClockStatus* c) {
    const CoreRunner::ClockSteps s = runner->clock_steps();
    *c = status::ClockStatus{s.step_count, s.last_step, s.last_step_time, s.stepping};
  };
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
  deps.health = health.get();
  deps.auth = authenticator.get();
  auto started = OracleServer::Start(deps, p.config.listen_address);
  if (!started.ok()) return started.status();
  server = std::move(*started);
  return absl::OkStatus();
}

absl::Status OracleApp::Impl::StartThreads() {
  StartAuthReloader();
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
  StopAuth();
  cv.notify_all();
}

void OracleApp::Impl::Drain() {
  DurationNs period = p.config.drain_period_ns;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (shut_down) return;
  }
  if (health) health->Drain();
  Logf(LogLevel::kInfo,
       "oracled: draining: health NOT_SERVING, calls and streams served for %s more",
       FormatDurationHuman(period).c_str());
  {
    std::unique_lock<std::mutex> lock(mu);
    if (!cv.wait_for(lock, std::chrono::nanoseconds(period),
                     [this] { return drain_wait_ended || shut_down; })) {
      Logf(LogLevel::kInfo, "oracled: drain period over, ending streams");
    }
  }
  Shutdown();
}

void OracleApp::Impl::EndDrainWait() {
  {
    std::lock_guard<std::mutex> lock(mu);
    drain_wait_ended = true;
  }
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
  if (options.drain_period_ns >= 0) p.config.drain_period_ns = options.drain_period_ns;
  if (absl::Status st = app::CheckOptions(p.config, options); !st.ok()) return st;
  if (absl::Status st = app::LoadSigner(p); !st.ok()) return st;
  if (absl::Status st = app::BuildCore(p, options); !st.ok()) return st;
  if (absl::Status st = app::AddEventSources(p, options); !st.ok()) return st;
  impl->BuildServingHealth(options);
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

void OracleApp::Drain() { impl_->Drain(); }

void OracleApp::EndDrainWait() { impl_->EndDrainWait(); }

void OracleApp::Wait() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait(lock, [this] { return impl_->shut_down; });
}

}  // namespace oracle
