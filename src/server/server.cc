#include "oracle/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "arena_allocator.h"
#include "audit_service.h"
#include "oracle/api/serving_counters.h"
#include "oracle/server/serving_health.h"
#include "oracle/status/status_snapshot.h"
#include "oracle_service.h"
#include "server_credentials.h"
#include "service_context.h"
#include "stream_hub.h"

namespace oracle {
namespace {
// The shortest client keepalive interval the README promises to accept.
constexpr int kMinClientPingIntervalMs = 10'000;
// How often the health thread samples the serving health and the history store.
constexpr auto kHealthInterval = std::chrono::milliseconds(100);
}  // namespace

class OracleServer::Impl {
 public:
  explicit Impl(const ServingDeps& d) : deps(d) {}

  // The gRPC builder with both services, health and reflection.
  absl::Status BuildAndStart(const std::string& listen_address);
  // AuditService is SERVING while the history store is open and writing, and not draining.
  void UpdateAuditHealth();
  // "" and oracle.v1.OracleService are SERVING in ServingState kServing only (always without a
  // ServingHealth); AuditService goes NOT_SERVING with them while draining.
  void ApplyServingHealth(status::ServingState state);
  void StartHealthUpdater();
  void Shutdown();

  ServingDeps deps;
  std::unique_ptr<StreamHub> hub;
  std::unique_ptr<OracleServiceImpl> service;
  std::unique_ptr<AuditServiceImpl> audit_service;
  ArenaMessageAllocator<v1::GetMarkRequest, v1::Mark> get_allocator{4 << 10};
  ArenaMessageAllocator<v1::BatchGetMarksRequest, v1::BatchGetMarksResponse> batch_allocator{64
                                                                                             << 10};
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  std::string host;

  // Taken after the ServingHealth's own lock (its listener runs under it), never before.
  std::mutex health_mu;
  bool draining = false;  // guarded by health_mu

  std::thread health_thread;
  std::mutex mu;
  std::condition_variable cv;
  bool shut_down = false;
};

absl::Status OracleServer::Impl::BuildAndStart(const std::string& listen_address) {
  hub = std::make_unique<StreamHub>(deps, deps.config->max_stream_subscriptions);
  service = std::make_unique<OracleServiceImpl>(deps, hub.get());
  service->SetMessageAllocatorFor_GetMark(&get_allocator);
  service->SetMessageAllocatorFor_BatchGetMarks(&batch_allocator);
  audit_service = std::make_unique<AuditServiceImpl>(deps);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which would let a second oracled silently share the port.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Client keepalive (README "Keepalive"): a client may ping every kMinClientPingInterval or
  // slower, with or without calls in flight, and its connection stays up; quiet filtered streams
  // are exactly where a load balancer or NAT would otherwise drop it. gRPC's defaults (5 min
  // between pings without data, pings without calls not permitted, then 2 strikes and GOAWAY
  // "too_many_pings") send away a client pinging every 10 s on an idle connection within 45 s
  // (ClientKeepalivePingsEveryTenSecondsAreAccepted). The server accepts pings down to half the
  // documented minimum, so timer jitter never costs a strike.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             kMinClientPingIntervalMs / 2);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddListeningPort(listen_address, MakeServerCredentials(deps.config->tls), &port);
  builder.RegisterService(service.get());
  builder.RegisterService(audit_service.get());
  server = builder.BuildAndStart();
  if (!server || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", listen_address,
                     " (address in use, or not an address of this machine?)"));
  }
  host = listen_address.substr(0, listen_address.rfind(':'));
  ApplyServingHealth(deps.health != nullptr ? deps.health->Update()
                                            : status::ServingState::kServing);
  hub->Start();
  return absl::OkStatus();
}

void OracleServer::Impl::UpdateAuditHealth() {
  std::lock_guard<std::mutex> lock(health_mu);
  server->GetHealthCheckService()->SetServingStatus(
      "oracle.v1.AuditService", status::HistoryWritable(*deps.status) && !draining);
}

void OracleServer::Impl::ApplyServingHealth(status::ServingState state) {
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  {
    std::lock_guard<std::mutex> lock(health_mu);
    // DRAINING is for good: a sample taken before Drain() and applied after it cannot undo it.
    if (draining) state = status::ServingState::kDraining;
    draining = state == status::ServingState::kDraining;
    const bool serving = ServingHealth::IsServing(state);
    health->SetServingStatus("", serving);
    health->SetServingStatus("oracle.v1.OracleService", serving);
  }
  UpdateAuditHealth();
}

// Every change of the serving health is applied as it happens (from this thread's samples, a
// status read or Drain()); the thread also applies the sampled state and the history store's
// every kHealthInterval, so nothing missed between start and the listener stays wrong.
void OracleServer::Impl::StartHealthUpdater() {
  if (deps.health != nullptr) {
    deps.health->SetListener([this](status::ServingState s) { ApplyServingHealth(s); });
  }
  health_thread = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu);
    while (!shut_down) {
      lock.unlock();
      if (deps.health != nullptr) {
        ApplyServingHealth(deps.health->Update());
      } else {
        UpdateAuditHealth();
      }
      lock.lock();
      cv.wait_for(lock, kHealthInterval);
    }
  });
}

void OracleServer::Impl::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (shut_down) return;
    shut_down = true;
  }
  cv.notify_all();
  if (health_thread.joinable()) health_thread.join();
  if (deps.health != nullptr) deps.health->SetListener(nullptr);
  if (server) {
    server->GetHealthCheckService()->SetServingStatus(false);
    hub->Shutdown();
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  }
}

OracleServer::OracleServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OracleServer::~OracleServer() { Shutdown(); }

absl::StatusOr<std::unique_ptr<OracleServer>> OracleServer::Start(
    const ServingDeps& deps, const std::string& listen_address) {
  auto impl = std::make_unique<Impl>(deps);
  absl::Status st = impl->BuildAndStart(listen_address);
  if (!st.ok()) return st;
  impl->StartHealthUpdater();
  return std::unique_ptr<OracleServer>(new OracleServer(std::move(impl)));
}

int OracleServer::port() const noexcept { return impl_->port; }

std::string OracleServer::address() const { return absl::StrCat(impl_->host, ":", impl_->port); }

void OracleServer::Shutdown() { impl_->Shutdown(); }

}  // namespace oracle
