#include "connection.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "arg_parsing.h"
#include "exit_codes.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace oracle::ctl {

namespace {

// A flag's value, else the environment variable's, else "".
std::string FlagOrEnv(const CliArgs& args, const char* flag, const char* env) {
  if (auto v = args.Get(flag)) return *v;
  const char* e = std::getenv(env);
  return e != nullptr ? e : "";
}

bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

// The channel credentials of the TLS flags; null with *error set when a file cannot be read.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const CliArgs& args,
                                                             std::string* error) {
  const std::string ca = FlagOrEnv(args, "ca", "ORACLE_CA");
  const std::string cert = FlagOrEnv(args, "cert", "ORACLE_CERT");
  const std::string key = FlagOrEnv(args, "key", "ORACLE_KEY");
  if (!args.Has("tls") && ca.empty() && cert.empty()) return grpc::InsecureChannelCredentials();
  if (cert.empty() != key.empty()) {
    *error = "--cert and --key go together (a client certificate and its key)";
    return nullptr;
  }
  grpc::SslCredentialsOptions options;
  const std::pair<const std::string*, std::string*> files[] = {{&ca, &options.pem_root_certs},
                                                               {&cert, &options.pem_cert_chain},
                                                               {&key, &options.pem_private_key}};
  for (const auto& [path, into] : files) {
    if (!path->empty() && !ReadWholeFile(*path, into)) {
      *error = "cannot read " + *path;
      return nullptr;
    }
  }
  return grpc::SslCredentials(options);
}

// "Bearer <token>" from --token-file (first line, trimmed) or $ORACLE_TOKEN; "" if neither.
bool ReadAuthorization(const CliArgs& args, std::string* out, std::string* error) {
  std::string token;
  if (auto path = args.Get("token-file")) {
    if (!ReadWholeFile(*path, &token)) {
      *error = "--token-file " + *path + ": cannot read it";
      return false;
    }
    token = token.substr(0, token.find('\n'));
  } else if (const char* env = std::getenv("ORACLE_TOKEN")) {
    token = env;
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.find_first_of(" \t\r") != std::string::npos) {
    *error = "the token (--token-file or $ORACLE_TOKEN) must be one word";
    return false;
  }
  if (!token.empty()) *out = "Bearer " + token;
  return true;
}

}  // namespace

bool Connect(const CliArgs& args, Connection* c, std::string* error) {
  const char* env_addr = std::getenv("ORACLE_ADDR");
  c->addr = args.GetOr("addr", env_addr != nullptr ? env_addr : "127.0.0.1:50051");
  c->json = args.Has("json");
  if (!ParseDurationArg(args, "timeout", &c->timeout, error)) return false;
  if (!ReadAuthorization(args, &c->authorization, error)) return false;
  std::shared_ptr<grpc::ChannelCredentials> credentials = ChannelCredentials(args, error);
  if (!credentials) return false;
  grpc::ChannelArguments ch_args;
  ch_args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);  // loopback and LAN addresses: never via a proxy
  c->channel = grpc::CreateCustomChannel(c->addr, credentials, ch_args);
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

std::string TrailerReason(const grpc::ClientContext& ctx) {
  const auto& md = ctx.GetServerTrailingMetadata();
  auto it = md.find("oracle-error-reason");
  return it == md.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

std::string ErrorReasonOf(const google::rpc::Status& details) {
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) return info.reason();
  }
  return std::string();
}

std::string ErrorReasonOf(const grpc::Status& s, std::string_view trailer_reason) {
  google::rpc::Status details;
  if (!s.error_details().empty() && details.ParseFromString(s.error_details())) {
    if (std::string reason = ErrorReasonOf(details); !reason.empty()) return reason;
  }
  return std::string(trailer_reason);
}

DurationNs RetryDelayOf(const google::rpc::Status& details) {
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo retry;
    if (any.Is<google::rpc::RetryInfo>() && any.UnpackTo(&retry)) {
      return retry.retry_delay().seconds() * kNanosPerSecond + retry.retry_delay().nanos();
    }
  }
  return 0;
}

namespace {

int ExitForCode(grpc::StatusCode code, const std::string& reason) {
  if (reason == "HISTORY_NOT_CONFIGURED") return kExitRefused;
  switch (code) {
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::INVALID_ARGUMENT:
      return kExitRefused;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return kExitStale;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return reason == "MARK_UNAVAILABLE" ? kExitStale : kExitUnreachable;
    default:
      return kExitError;
  }
}

}  // namespace

int ExitForStatus(const grpc::Status& s, std::string_view trailer_reason) {
  return ExitForCode(s.error_code(), ErrorReasonOf(s, trailer_reason));
}

int ExitForEntry(const google::rpc::Status& entry) {
  return ExitForCode(static_cast<grpc::StatusCode>(entry.code()), ErrorReasonOf(entry));
}

std::string EntryErrorText(const google::rpc::Status& entry) {
  const std::string reason = ErrorReasonOf(entry);
  std::string text = entry.message();
  // Until the deprecated "REASON: " prefix goes, the message starts with the reason already.
  if (!reason.empty() && text.rfind(reason + ":", 0) != 0) text = absl::StrCat(reason, ": ", text);
  if (const DurationNs delay = RetryDelayOf(entry); delay > 0) {
    absl::StrAppend(&text, " (retry in ", FormatDurationHuman(delay), ")");
  }
  return text;
}

int ReportRpcError(const std::string& what, const grpc::Status& s, const std::string& addr,
                   std::string_view trailer_reason) {
  const std::string reason = ErrorReasonOf(s, trailer_reason);
  google::rpc::Status details;
  if (!s.error_details().empty()) (void)details.ParseFromString(s.error_details());
  details.set_code(s.error_code());
  details.set_message(s.error_message());
  std::string msg = reason.empty() ? s.error_message() : EntryErrorText(details);
  if (reason.empty()) {
    // No details and no trailer: not an oracle refusal, but the transport or another server.
    if (s.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      msg = absl::StrCat("the server at ", addr, " does not implement this call (", msg,
                         "); is it an oracled recent enough for this command?");
    } else if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
      msg = absl::StrCat("cannot reach the oracle at ", addr, " (", msg,
                         "); is oracled running? (make run)");
    } else if (s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      msg = absl::StrCat("no answer from ", addr, " within the --timeout");
    }
  } else if (reason == "HISTORY_NOT_CONFIGURED" || reason == "HISTORY_UNAVAILABLE") {
    msg = absl::StrCat("the oracle at ", addr,
                       reason == "HISTORY_NOT_CONFIGURED"
                           ? " keeps no history (its configuration has no `history { data_dir: "
                             "... }`): "
                           : " cannot open its history store now: ",
                       msg);
  }
  std::fprintf(stderr, "oraclectl %s: %s\n", what.c_str(), msg.c_str());
  return ExitForCode(s.error_code(), reason);
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
