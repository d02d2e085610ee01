#include "stream_hub.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "grpc_errors.h"
#include "oracle/api/errors.h"
#include "oracle/api/mark_proto.h"
#include "oracle/api/serving_counters.h"
#include "oracle/signing/signature_cache.h"

namespace oracle {

struct StreamHub::Subscription {
  std::mutex mu;
  Reactor* reactor = nullptr;  // null once the call is done
  bool in_flight = false;
  bool finishing = false;
  bool full_view = true;
  std::unique_ptr<StreamFilter> filter;
  v1::StreamMarksResponse response;  // the message in flight
  std::vector<Mark> due;
};

class StreamHub::Reactor : public grpc::ServerWriteReactor<v1::StreamMarksResponse> {
 public:
  Reactor(StreamHub* hub, std::shared_ptr<Subscription> sub, grpc::CallbackServerContext* context)
      : hub_(hub), sub_(std::move(sub)), context_(context) {}

  // Finishes at once with an error (before any write).
  void FailNow(const ApiError& error) {
    grpc::Status status = FailCall(context_, error, &hub_->ctx_.counters->errors);
    {
      std::lock_guard<std::mutex> lock(sub_->mu);
      sub_->finishing = true;
    }
    Finish(std::move(status));
  }

  void OnWriteDone(bool ok) override {
    bool finish = false;
    {
      std::lock_guard<std::mutex> lock(sub_->mu);
      sub_->in_flight = false;
      if ((!ok || hub_->stop_.load()) && !sub_->finishing) {
        sub_->finishing = true;
        finish = true;
      }
    }
    if (finish) {
      Finish(ok ? ShuttingDown() : grpc::Status::CANCELLED);
    } else {
      hub_->wake_.store(true, std::memory_order_release);
    }
  }

  void OnCancel() override {
    bool finish = false;
    {
      std::lock_guard<std::mutex> lock(sub_->mu);
      if (!sub_->in_flight && !sub_->finishing) {
        sub_->finishing = true;
        finish = true;
      }
    }
    if (finish) Finish(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    {
      std::lock_guard<std::mutex> lock(sub_->mu);
      sub_->reactor = nullptr;
    }
    hub_->Remove(sub_);
    delete this;
  }

  // Called by the dispatcher with sub_->mu NOT held and in_flight already set.
  void Send() { StartWrite(&sub_->response); }
  // Ends an open stream because the server is stopping (no write in flight).
  void EndShuttingDown() { Finish(ShuttingDown()); }

 private:
  grpc::Status ShuttingDown() {
    return FailCall(context_,
                    ApiError{ErrorReason::kServerShuttingDown,
                             "the server is shutting down; reconnect (to another replica or the "
                             "restarted server) and subscribe again"},
                    &hub_->ctx_.counters->errors);
  }

  StreamHub* hub_;
  std::shared_ptr<Subscription> sub_;
  grpc::CallbackServerContext* context_;
};

StreamHub::StreamHub(const ServiceContext& ctx, uint32_t max_subscriptions)
    : ctx_(ctx), max_subscriptions_(max_subscriptions) {}

StreamHub::~StreamHub() { Shutdown(); }

void StreamHub::Start() {
  thread_ = std::thread([this] { Run(); });
}

size_t StreamHub::open_streams() const {
  std::lock_guard<std::mutex> lock(mu_);
  return subs_.size();
}

void StreamHub::Remove(const std::shared_ptr<Subscription>& sub) {
  std::lock_guard<std::mutex> lock(mu_);
  subs_.erase(std::remove(subs_.begin(), subs_.end(), sub), subs_.end());
  ctx_.counters->open_streams.store(subs_.size(), std::memory_order_relaxed);
}

grpc::ServerWriteReactor<v1::StreamMarksResponse>* StreamHub::Open(
    grpc::CallbackServerContext* context, const v1::StreamMarksRequest* request,
    std::optional<ApiError> refused) {
  auto sub = std::make_shared<Subscription>();
  auto* reactor = new Reactor(this, sub, context);
  sub->reactor = reactor;

  std::optional<ApiError> error = std::move(refused);
  std::vector<uint32_t> instruments;
  const uint32_t max_instruments = ctx_.config->max_batch_instruments;
  auto bad = [](ErrorReason reason, std::string field, std::string message) {
    return ApiError{.reason = reason, .message = std::move(message), .field = std::move(field)};
  };
  if (error) {
    // Refused before anything else is looked at.
  } else if (stop_.load()) {
    error = ApiError{ErrorReason::kServerShuttingDown,
                     "the server is shutting down; reconnect (to another replica or the restarted "
                     "server) and subscribe again"};
  } else if (request->instruments_size() == 0) {
    error = bad(ErrorReason::kInvalidArgument, "instruments",
                "instruments: name at least one instrument");
  } else if (request->instruments_size() > static_cast<int>(max_instruments)) {
    error = bad(ErrorReason::kBatchTooLarge, "instruments",
                absl::StrCat("instruments: ", request->instruments_size(), " names, at most ",
                             max_instruments));
    error->metadata = {{"maxInstrumentsPerCall", absl::StrCat(max_instruments)},
                       {"instrumentsRequested", absl::StrCat(request->instruments_size())}};
  } else if (request->min_interval().seconds() < 0 || request->min_interval().nanos() < 0) {
    error =
        bad(ErrorReason::kInvalidArgument, "min_interval", "min_interval: must not be negative");
  } else if (request->heartbeat().seconds() < 0 || request->heartbeat().nanos() < 0) {
    error = bad(ErrorReason::kInvalidArgument, "heartbeat", "heartbeat: must not be negative");
  } else if (request->deviation_bps() > 100000) {
    error = bad(
        ErrorReason::kInvalidArgument, "deviation_bps",
        absl::StrCat("deviation_bps: ", request->deviation_bps(), " is more than 100000 (1000%)"));
  } else {
    for (int i = 0; i < request->instruments_size() && !error; ++i) {
      uint32_t index = 0;
      if (auto e = ctx_.lookup->Resolve(request->instruments(i), &index)) {
        e->message = absl::StrCat("instruments[", i, "]: ", e->message);
        if (!e->field.empty()) e->field = absl::StrCat("instruments[", i, "]");
        error = std::move(e);
      } else if (std::find(instruments.begin(), instruments.end(), index) == instruments.end()) {
        instruments.push_back(index);
      }
    }
  }
  if (!error) {
    std::lock_guard<std::mutex> lock(mu_);
    if (subs_.size() >= max_subscriptions_) {
      error = ApiError{.reason = ErrorReason::kTooManySubscriptions,
                       .message = absl::StrCat("the server holds its limit of ", max_subscriptions_,
                                               " streams; retry later"),
                       .metadata = {{"maxStreams", absl::StrCat(max_subscriptions_)}}};
    } else {
      StreamFilterParams params;
      params.min_interval_ns = DurationFromProto(request->min_interval());
      params.deviation_bps = request->deviation_bps();
      params.heartbeat_ns = DurationFromProto(request->heartbeat());
      sub->filter = std::make_unique<StreamFilter>(instruments, params);
      sub->full_view = request->view() != v1::MARK_VIEW_BASIC;
      subs_.push_back(sub);
      ctx_.counters->open_streams.store(subs_.size(), std::memory_order_relaxed);
    }
  }
  if (error) {
    reactor->FailNow(*error);
  } else {
    wake_.store(true, std::memory_order_release);
  }
  return reactor;
}

void StreamHub::Run() {
  uint64_t epoch = 0;
  std::vector<std::shared_ptr<Subscription>> snapshot;
  while (!stop_.load(std::memory_order_acquire)) {
    if (!wake_.exchange(false, std::memory_order_acq_rel)) {
      epoch = ctx_.table->WaitForEpochChange(epoch, 10 * kNanosPerMilli);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      snapshot = subs_;
    }
    const TimeNs now = WallClockNow();
    for (const auto& sub : snapshot) {
      Reactor* reactor = nullptr;
      {
        std::lock_guard<std::mutex> lock(sub->mu);
        if (sub->reactor == nullptr || sub->in_flight || sub->finishing || !sub->filter) continue;
        sub->due.clear();
        sub->filter->CollectDue(*ctx_.table, now, &sub->due);
        if (sub->due.empty()) continue;
        sub->response.Clear();
        for (const Mark& m : sub->due) {
          v1::Mark* out = sub->response.add_marks();
          FillMarkProto(*ctx_.config, m, sub->full_view, out);
          ctx_.signatures->Sign(m.instrument, out);
        }
        sub->in_flight = true;
        reactor = sub->reactor;
      }
      reactor->Send();
    }
    snapshot.clear();
  }
}

void StreamHub::Shutdown() {
  if (stop_.exchange(true)) {
    if (thread_.joinable()) thread_.join();
    return;
  }
  if (thread_.joinable()) thread_.join();
  std::vector<std::shared_ptr<Subscription>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all = subs_;
  }
  for (const auto& sub : all) {
    Reactor* reactor = nullptr;
    {
      std::lock_guard<std::mutex> lock(sub->mu);
      if (sub->reactor != nullptr && !sub->in_flight && !sub->finishing) {
        sub->finishing = true;
        reactor = sub->reactor;
      }
    }
    // With a write in flight, OnWriteDone sees stop_ and finishes.
    if (reactor != nullptr) reactor->EndShuttingDown();
  }
}

}  // namespace oracle
