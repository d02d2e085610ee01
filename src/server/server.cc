#include "oracle/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "arena_allocator.h"
#include "audit_service.h"
#include "feeds/common/capture.h"
#include "feeds/common/ws_source.h"
#include "feeds/registry.h"
#include "oracle/aggregation/core_runner.h"
#include "oracle/aggregation/engine.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/history/audit.h"
#include "oracle/history/persister.h"
#include "oracle/rates/rate_source.h"
#include "oracle/replay/replay_source.h"
#include "oracle/replay/synthetic_source.h"
#include "oracle/api/mark_lookup.h"
#include "oracle/signing/mark_signer.h"
#include "oracle/signing/signature_cache.h"
#include "oracle_service.h"
#include "service_context.h"
#include "stream_hub.h"

namespace oracle {

class OracleServer::Impl {
 public:
  Config config;
  std::unique_ptr<signing::MarkSigner> signer;
  std::unique_ptr<signing::SignatureCache> signatures;
  std::unique_ptr<history::Persister> persister;
  std::unique_ptr<history::AuditQueries> audit_queries;
  std::unique_ptr<AuditServiceImpl> audit_service;
  ReplaySource* replay = nullptr;
  std::thread health_thread;
  std::unique_ptr<MarkTable> table;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<CoreRunner> runner;
  std::unique_ptr<feeds::CaptureWriter> capture;
  std::vector<std::unique_ptr<EventSource>> sources;
  std::unique_ptr<MarkLookup> lookup;
  ServiceContext ctx;
  RequestErrorCounters errors;
  std::unique_ptr<StreamHub> hub;
  std::unique_ptr<OracleServiceImpl> service;
  ArenaMessageAllocator<v1::GetMarkRequest, v1::Mark> get_allocator{4 << 10};
  ArenaMessageAllocator<v1::BatchGetMarksRequest, v1::BatchGetMarksResponse> batch_allocator{64
                                                                                             << 10};
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  std::string host;

  std::mutex mu;
  std::condition_variable cv;
  bool shut_down = false;
};

OracleServer::OracleServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OracleServer::~OracleServer() { Shutdown(); }

absl::StatusOr<std::unique_ptr<OracleServer>> OracleServer::Start(Config config,
                                                                  const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  Impl& s = *impl;
  s.config = std::move(config);
  if (!options.listen_address.empty()) s.config.listen_address = options.listen_address;

  // Signing key.
  if (!s.config.signing.key_file.empty()) {
    const std::string& path = s.config.signing.key_file;
    if (s.config.signing.generate_if_missing && access(path.c_str(), F_OK) != 0) {
      auto gen = signing::MarkSigner::GenerateToFile(path);
      if (!gen.ok()) return gen.status();
      s.signer = std::move(*gen);
      std::fprintf(stderr,
                   "oracled: WARNING: generated a new signing key in %s (key id %s): a development "
                   "key; production keys are made and guarded outside the oracle\n",
                   path.c_str(), s.signer->key_id().c_str());
    } else {
      auto loaded = signing::MarkSigner::FromPemFile(path);
      if (!loaded.ok()) return loaded.status();
      s.signer = std::move(*loaded);
    }
    std::fprintf(stderr, "oracled: signing marks with key %s\n", s.signer->key_id().c_str());
  }
  // One signature per mark, shared by the API's readers and the history persister.
  s.signatures =
      std::make_unique<signing::SignatureCache>(s.signer.get(), s.config.instruments.size());

  s.table = std::make_unique<MarkTable>(s.config.instruments.size());
  if (!s.config.history.data_dir.empty()) {
    // A deterministic replay records every event: the core waits for the disk rather than drop.
    if (options.replay_log_clock) s.config.history.block_when_full = true;
    s.persister = std::make_unique<history::Persister>(s.config, s.signatures.get());
  }
  auto engine = Engine::Create(s.config, s.table.get(), s.persister.get());
  if (!engine.ok()) return engine.status();
  s.engine = std::move(*engine);
  if (s.persister) {
    absl::Status st = s.persister->Recover(s.engine.get());
    if (!st.ok()) return st;
  }
  CoreRunner::Options ro;
  ro.publish_interval_ns = s.config.publish_interval_ns;
  ro.idle_sleep_us = options.idle_sleep_us;
  ro.source_timers = options.replay_log_clock;
  s.runner = std::make_unique<CoreRunner>(s.engine.get(), ro);

  std::vector<SpscRing<Event>*> rings;
  if (options.replay_log_clock) {
    if (options.replay_path.empty()) {
      return absl::InvalidArgumentError("--replay-clock log needs --replay FILE");
    }
    if (options.replay_loop || options.live || s.config.live_enabled ||
        options.synthetic_events_per_second > 0) {
      return absl::InvalidArgumentError(
          "--replay-clock log replays one log deterministically: it cannot be combined with "
          "--loop, --live or --synthetic-eps");
    }
  }
  if (!options.replay_path.empty()) {
    auto replay = std::make_unique<ReplaySource>(s.config, options.replay_path,
                                                 options.replay_speed, options.replay_loop);
    if (options.replay_log_clock) {
      const uint64_t skip = s.persister ? s.persister->stats().recovered_sequence : 0;
      replay->UseLogClock(skip);
      if (skip > 0) {
        std::fprintf(stderr, "oracled: replay resumes after the %llu stored events\n",
                     static_cast<unsigned long long>(skip));
      }
    }
    s.replay = replay.get();
    s.sources.push_back(std::move(replay));
    rings.push_back(s.runner->AddProducer("replay", s.config.ring_capacity));
  }
  const bool live = options.live || s.config.live_enabled;
  const std::string capture_path =
      !options.capture_path.empty() ? options.capture_path : s.config.capture_path;
  if (!capture_path.empty()) {
    if (!live) {
      return absl::InvalidArgumentError("a capture records live frames: it needs --live");
    }
    auto writer = feeds::CaptureWriter::Open(capture_path);
    if (!writer.ok()) return writer.status();
    s.capture = std::move(*writer);
  }
  if (live) {
    for (uint32_t v = 0; v < s.config.venues.size(); ++v) {
      const VenueSpec& venue = s.config.venues[v];
      if (venue.live.disabled) continue;
      if (feeds::MakeVenueProtocol(venue.name) == nullptr) {
        std::fprintf(stderr, "oracled: venue %s has no live adapter (feeds/registry.cc): offline\n",
                     venue.name.c_str());
        continue;
      }
      feeds::LiveOptions lo;
      lo.ws_endpoint_override = venue.live.ws_endpoint_override;
      lo.rest_endpoint_override = venue.live.rest_endpoint_override;
      lo.tls_ca_file = venue.live.tls_ca_file;
      lo.silence_limit = venue.live.silence_limit_ns;
      lo.rest_snapshot = venue.live.rest_snapshot;
      lo.rest_fallback = venue.live.rest_fallback;
      lo.capture = s.capture.get();
      lo.seed = 0x9E3779B97F4A7C15ULL ^ (static_cast<uint64_t>(WallClockNow()) + v);
      s.sources.push_back(std::make_unique<feeds::WebSocketVenueSource>(
          s.config, v, [name = venue.name] { return feeds::MakeVenueProtocol(name); },
          std::move(lo)));
      rings.push_back(
          s.runner->AddProducer(venue.name, s.config.ring_capacity, static_cast<int>(v)));
      std::fprintf(stderr, "oracled: venue %s: live\n", venue.name.c_str());
    }
  }
  if (live) {
    // Redemption ratios: every provider with endpoints (constants need none: the core holds them).
    std::vector<RateProviderSpec> polled;
    for (const RateProviderSpec& p : s.config.rate_providers) {
      if (p.kind == RateProviderKind::kConstant) continue;
      if (p.endpoints.empty()) {
        std::fprintf(stderr,
                     "oracled: rate provider %s has no endpoints: its ratio comes only from "
                     "rate events (add JSON-RPC endpoints to rate_providers to read it live)\n",
                     p.name.c_str());
        continue;
      }
      polled.push_back(p);
    }
    if (!polled.empty()) {
      std::fprintf(stderr, "oracled: polling %zu rate provider(s)\n", polled.size());
      auto rate_source = std::make_unique<rates::RateProviderSource>(std::move(polled));
      s.ctx.rates = rate_source.get();
      s.sources.push_back(std::move(rate_source));
      rings.push_back(s.runner->AddProducer("rates", s.config.ring_capacity));
    }
  }
  if (options.synthetic_events_per_second > 0) {
    s.sources.push_back(
        std::make_unique<SyntheticSource>(s.config, options.synthetic_events_per_second));
    rings.push_back(s.runner->AddProducer("synthetic", s.config.ring_capacity));
  }

  s.lookup = std::make_unique<MarkLookup>(s.config, s.table.get());
  s.ctx.config = &s.config;
  s.ctx.table = s.table.get();
  s.ctx.engine = s.engine.get();
  s.ctx.runner = s.runner.get();
  s.ctx.sources = &s.sources;
  s.ctx.lookup = s.lookup.get();
  s.ctx.errors = &s.errors;
  s.ctx.start_time = WallClockNow();
  s.ctx.signatures = s.signatures.get();
  s.ctx.persister = s.persister.get();
  s.hub = std::make_unique<StreamHub>(s.ctx, s.config.max_stream_subscriptions);
  s.service = std::make_unique<OracleServiceImpl>(s.ctx, s.hub.get());
  s.service->SetMessageAllocatorFor_GetMark(&s.get_allocator);
  s.service->SetMessageAllocatorFor_BatchGetMarks(&s.batch_allocator);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which would let a second oracled silently share the port.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(s.config.listen_address, grpc::InsecureServerCredentials(), &s.port);
  builder.RegisterService(s.service.get());
  {
    history::Persister* persister = s.persister.get();
    s.audit_queries = std::make_unique<history::AuditQueries>(
        s.config,
        [persister]() -> std::shared_ptr<history::HistoryStore> {
          return persister != nullptr ? persister->store() : nullptr;
        },
        s.signer.get());
    s.audit_service = std::make_unique<AuditServiceImpl>(s.audit_queries.get(), &s.errors);
    builder.RegisterService(s.audit_service.get());
  }
  s.server = builder.BuildAndStart();
  if (!s.server || s.port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", s.config.listen_address,
                     " (address in use, or not an address of this machine?)"));
  }
  s.host = s.config.listen_address.substr(0, s.config.listen_address.rfind(':'));
  s.server->GetHealthCheckService()->SetServingStatus("oracle.v1.OracleService", true);
  // AuditService is SERVING while the history store is open and writing.
  auto audit_health = [&s] {
    const bool ok =
        s.persister != nullptr && s.persister->stats().state == history::PersistenceState::kOk;
    s.server->GetHealthCheckService()->SetServingStatus("oracle.v1.AuditService", ok);
  };
  audit_health();

  if (s.persister) s.persister->Start();
  s.runner->Start();
  s.hub->Start();
  for (size_t i = 0; i < s.sources.size(); ++i) {
    absl::Status st = s.sources[i]->Start(rings[i]);
    if (!st.ok()) {
      auto server = std::unique_ptr<OracleServer>(new OracleServer(std::move(impl)));
      server->Shutdown();
      return st;
    }
  }
  s.health_thread = std::thread([&s, audit_health] {
    std::unique_lock<std::mutex> lock(s.mu);
    while (!s.shut_down) {
      lock.unlock();
      audit_health();
      lock.lock();
      s.cv.wait_for(lock, std::chrono::milliseconds(500));
    }
  });
  return std::unique_ptr<OracleServer>(new OracleServer(std::move(impl)));
}

int OracleServer::port() const noexcept { return impl_->port; }

std::string OracleServer::address() const { return absl::StrCat(impl_->host, ":", impl_->port); }

uint64_t OracleServer::events_applied() const noexcept { return impl_->runner->events_applied(); }

bool OracleServer::replay_finished() const noexcept {
  return impl_->replay != nullptr && impl_->replay->finished();
}

void OracleServer::Shutdown() {
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.shut_down) return;
    s.shut_down = true;
  }
  s.cv.notify_all();
  if (s.health_thread.joinable()) s.health_thread.join();
  if (s.server) {
    s.server->GetHealthCheckService()->SetServingStatus(false);
    s.hub->Shutdown();
    s.server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  }
  for (auto& src : s.sources) src->Stop();
  s.runner->Stop();
  // After the core: what it handed over is written before we go.
  if (s.persister) s.persister->Stop();
  if (s.capture) s.capture->Flush();
  s.cv.notify_all();
}

void OracleServer::Wait() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait(lock, [this] { return impl_->shut_down; });
}

}  // namespace oracle
