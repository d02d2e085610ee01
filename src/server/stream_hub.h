// StreamMarks subscriptions and the dispatcher thread that feeds them. Private to the server.
//
// The dispatcher waits for the mark table's publish epoch to change (or 10 ms, for heartbeats),
// then, for every subscription with no write in flight, collects the marks due (stream_filter.h)
// and starts one write. A subscriber that is slow to take messages therefore has at most one
// message in flight and is conflated to the newest marks; nothing queues up, and the core never
// waits for any of it.
#ifndef ORACLE_SRC_SERVER_STREAM_HUB_H_
#define ORACLE_SRC_SERVER_STREAM_HUB_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "oracle/api/errors.h"
#include "oracle/api/mark_lookup.h"
#include "oracle/api/stream_filter.h"
#include "oracle/v1/oracle.pb.h"
#include "service_context.h"

namespace oracle {

class StreamHub {
 public:
  StreamHub(const ServiceContext& ctx, uint32_t max_subscriptions);
  ~StreamHub();

  void Start();
  // Ends every open stream with UNAVAILABLE ("server shutting down") and stops the dispatcher.
  void Shutdown();

  // The reactor for one StreamMarks call (validates the request; on error, or when `refused`
  // holds the caller's refusal, the reactor finishes with that error at once).
  grpc::ServerWriteReactor<v1::StreamMarksResponse>* Open(
      grpc::CallbackServerContext* context, const v1::StreamMarksRequest* request,
      std::optional<ApiError> refused = std::nullopt);

  size_t open_streams() const;

  struct Subscription;

 private:
  class Reactor;
  void Run();
  void Remove(const std::shared_ptr<Subscription>& sub);

  ServiceContext ctx_;
  uint32_t max_subscriptions_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Subscription>> subs_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> wake_{false};
};

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_STREAM_HUB_H_
