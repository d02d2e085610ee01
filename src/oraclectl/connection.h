// What oraclectl's server commands share: the connection made from the global flags, JSON output,
// the exit code and message of a failed call, and paging through a listing call.
#ifndef ORACLE_SRC_ORACLECTL_CONNECTION_H_
#define ORACLE_SRC_ORACLECTL_CONNECTION_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "google/protobuf/message.h"
#include "interrupt.h"
#include "oracle/core/cli_args.h"
#include "oracle/core/time.h"
#include "oracle/v1/audit.grpc.pb.h"
#include "oracle/v1/oracle.grpc.pb.h"

namespace google::rpc {
class Status;
}

namespace oracle::ctl {

// The global flags and the stubs of one channel to the server.
struct Connection {
  std::string addr;
  bool json = false;
  DurationNs timeout = 5 * kNanosPerSecond;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::OracleService::Stub> stub;
  std::unique_ptr<v1::AuditService::Stub> audit;
  // "Bearer <token>" from --token-file or $ORACLE_TOKEN; empty: none sent.
  std::string authorization;

  // The per-call deadline (--timeout) and the credentials.
  void PrepareCall(grpc::ClientContext* ctx) const {
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::nanoseconds(timeout));
    AddCredentials(ctx);
  }
  // Only the credentials (streams without a deadline).
  void AddCredentials(grpc::ClientContext* ctx) const {
    if (!authorization.empty()) ctx->AddMetadata("authorization", authorization);
  }
};

// Reads --addr (default $ORACLE_ADDR, then 127.0.0.1:50051), --json, --timeout, the TLS flags
// (--tls, --ca FILE or $ORACLE_CA, --cert FILE --key FILE or $ORACLE_CERT/$ORACLE_KEY; --ca or
// --cert imply --tls) and the token (--token-file FILE, else $ORACLE_TOKEN), and makes the channel
// (never through an HTTP proxy) and its stubs. False with a message in *error naming the flag or
// file at fault.
bool Connect(const CliArgs& args, Connection* c, std::string* error);

// `m` as protobuf JSON on one line, with the .proto field names.
std::string Json(const google::protobuf::Message& m);

// The oracle's reason of a failed call: ErrorInfo.reason from the google.rpc.Status in the
// grpc-status-details-bin trailer (s.error_details()), else `trailer_reason` (the deprecated
// oracle-error-reason trailer, TrailerReason(ctx)), else "" (not an oracle refusal: the transport,
// a proxy, another server).
std::string ErrorReasonOf(const grpc::Status& s, std::string_view trailer_reason = {});
std::string ErrorReasonOf(const google::rpc::Status& details);
// The value of the deprecated oracle-error-reason trailer, "" if absent. After the call ended.
std::string TrailerReason(const grpc::ClientContext& ctx);
// RetryInfo.retry_delay of the details, 0 without one.
DurationNs RetryDelayOf(const google::rpc::Status& details);

// The exit code of a failed call (exit_codes.h), and of a failed batch entry.
int ExitForStatus(const grpc::Status& s, std::string_view trailer_reason = {});
int ExitForEntry(const google::rpc::Status& entry);
// "REASON: message (retry in 1.00s)" of a status with details (a batch entry).
std::string EntryErrorText(const google::rpc::Status& entry);

// Prints "oraclectl <what>: REASON: <message>" to stderr (with the retry delay if the server gave
// one), saying what to check for an unreachable server, one without history or one too old for
// the call; returns ExitForStatus(s, trailer_reason).
int ReportRpcError(const std::string& what, const grpc::Status& s, const std::string& addr,
                   std::string_view trailer_reason = {});

// kExitNotOk if any mark is not MARK_STATUS_OK, else kExitOk.
int ExitForMarks(const std::vector<const v1::Mark*>& marks);

// How a paged listing ended.
struct PagingResult {
  grpc::Status status;         // of the page that failed; OK otherwise
  std::string trailer_reason;  // its deprecated oracle-error-reason trailer
  uint64_t count = 0;          // items passed to `emit`
  bool interrupted = false;
  bool emit_failed = false;
};

// Pages of at most 1000 items, fewer when `limit` (0: none) is smaller.
int32_t PageSizeFor(int64_t limit);

// Pages through a listing call of `stub` (ListMarks, ListEvents, ListInstruments, ListVenues),
// each page with its own --timeout deadline, passing each item to `emit` until the list ends,
// `limit` items have been passed (0: no limit), `emit` returns false, or Ctrl-C (when the command
// called StopCleanlyOnInterrupt).
template <typename Stub, typename Request, typename Response, typename Item>
PagingResult ForEachPage(const Connection& c, Stub& stub, Request req, int64_t limit,
                         grpc::Status (Stub::*call)(grpc::ClientContext*, const Request&,
                                                    Response*),
                         const google::protobuf::RepeatedPtrField<Item>& (Response::*items)() const,
                         const std::type_identity_t<std::function<bool(const Item&)>>& emit) {
  PagingResult r;
  req.set_page_size(PageSizeFor(limit));
  do {
    if (Interrupted()) {
      r.interrupted = true;
      return r;
    }
    grpc::ClientContext ctx;
    c.PrepareCall(&ctx);
    InterruptibleCall interruptible(&ctx);
    Response page;
    grpc::Status s = (stub.*call)(&ctx, req, &page);
    if (!s.ok()) {
      r.interrupted = Interrupted();
      r.status = s;
      r.trailer_reason = TrailerReason(ctx);
      return r;
    }
    for (const Item& item : (page.*items)()) {
      if (!emit(item)) {
        r.emit_failed = true;
        return r;
      }
      if (++r.count == static_cast<uint64_t>(limit)) return r;
    }
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty());
  return r;
}

// ForEachPage over the audit service's ListMarks and ListEvents.
PagingResult ForEachMark(const Connection& c, v1::ListMarksRequest req, int64_t limit,
                         const std::function<bool(const v1::Mark&)>& emit);
PagingResult ForEachEvent(const Connection& c, v1::ListEventsRequest req, int64_t limit,
                          const std::function<bool(const v1::StoredEvent&)>& emit);

}  // namespace oracle::ctl

#endif  // ORACLE_SRC_ORACLECTL_CONNECTION_H_
