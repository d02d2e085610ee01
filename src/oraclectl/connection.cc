#include "connection.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "arg_parsing.h"
#include "exit_codes.h"
#include "google/protobuf/util/json_util.h"

namespace oracle::ctl {

bool Connect(const CliArgs& args, Connection* c, std::string* error) {
  const char* env_addr = std::getenv("ORACLE_ADDR");
  c->addr = args.GetOr("addr", env_addr != nullptr ? env_addr : "127.0.0.1:50051");
  c->json = args.Has("json");
  if (!ParseDurationArg(args, "timeout", &c->timeout, error)) return false;
  grpc::ChannelArguments ch_args;
  ch_args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);  // loopback and LAN addresses: never via a proxy
  c->channel = grpc::CreateCustomChannel(c->addr, grpc::InsecureChannelCredentials(), ch_args);
  c->stub = v1::OracleService::NewStub(c->channel);
  c->audit = v1::AuditService::NewStub(c->channel);
  return true;
}

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return out;
}

int ExitForStatus(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::INVALID_ARGUMENT:
      return kExitRefused;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return kExitStale;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return s.error_message().rfind("MARK_UNAVAILABLE", 0) == 0 ? kExitStale : kExitUnreachable;
    default:
      return kExitError;
  }
}

int ReportRpcError(const std::string& what, const grpc::Status& s, const std::string& addr) {
  std::string msg = s.error_message();
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE && msg.rfind("HISTORY_UNAVAILABLE", 0) == 0) {
    msg = absl::StrCat("the oracle at ", addr,
                       " keeps no history (its configuration has no `history { data_dir: ... }`, "
                       "or the store cannot be opened): ",
                       msg);
  } else if (s.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    msg = absl::StrCat("the server at ", addr, " does not implement this call (", msg,
                       "); is it an oracled recent enough for this command?");
  } else if (s.error_code() == grpc::StatusCode::UNAVAILABLE &&
             msg.rfind("MARK_UNAVAILABLE", 0) != 0) {
    msg = absl::StrCat("cannot reach the oracle at ", addr, " (", msg,
                       "); is oracled running? (make run)");
  } else if (s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    msg = absl::StrCat("no answer from ", addr, " within the --timeout");
  }
  std::fprintf(stderr, "oraclectl %s: %s\n", what.c_str(), msg.c_str());
  return ExitForStatus(s);
}

int ExitForMarks(const std::vector<const v1::Mark*>& marks) {
  for (const auto* m : marks) {
    if (m->status() != v1::MARK_STATUS_OK) return kExitNotOk;
  }
  return kExitOk;
}

int32_t PageSizeFor(int64_t limit) {
  constexpr int64_t kMaxPage = 1000;
  return static_cast<int32_t>(limit > 0 ? std::min(limit, kMaxPage) : kMaxPage);
}

PagingResult ForEachMark(const Connection& c, v1::ListMarksRequest req, int64_t limit,
                         const std::function<bool(const v1::Mark&)>& emit) {
  return ForEachPage(c, *c.audit, std::move(req), limit, &v1::AuditService::Stub::ListMarks,
                     &v1::ListMarksResponse::marks, emit);
}

PagingResult ForEachEvent(const Connection& c, v1::ListEventsRequest req, int64_t limit,
                          const std::function<bool(const v1::StoredEvent&)>& emit) {
  return ForEachPage(c, *c.audit, std::move(req), limit, &v1::AuditService::Stub::ListEvents,
                     &v1::ListEventsResponse::events, emit);
}

}  // namespace oracle::ctl
