// oraclectl: command-line client of the oracle, and the offline replay tool.
//
// Exit codes (also in --help):
//   0  success; every mark returned has status OK (verify: match and signature valid)
//   1  unexpected error
//   2  usage error (bad command or flag)
//   3  marks returned, but at least one is not OK (DEGRADED, STALE or UNAVAILABLE)
//   4  request refused: unknown instrument, venue or mark, or invalid argument
//   5  mark too old for --max-age (MARK_STALE) or no price yet (MARK_UNAVAILABLE); twap: no price
//      in the window
//   6  server unreachable or timed out, or it keeps no history (HISTORY_UNAVAILABLE)
//   7  replay or export could not run (input/output file or configuration)
//   8  verification failed: a recomputed mark differs, its signature is invalid, or it cannot be
//      verified (NOT_VERIFIABLE)
//   130 interrupted (Ctrl-C) before history, events or export finished
#include <grpcpp/grpcpp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "feeds/common/capture_replay.h"
#include "google/protobuf/util/json_util.h"
#include "oracle/config/config.h"
#include "oracle/core/cli_args.h"
#include "oracle/export/export_format.h"
#include "oracle/replay/replay_runner.h"
#include "oracle/v1/audit.grpc.pb.h"
#include "oracle/v1/oracle.grpc.pb.h"
#include "render.h"
#include "verify_signature.h"

namespace {

namespace v1 = oracle::v1;
using oracle::TimeNs;

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNotOk = 3;
constexpr int kExitRefused = 4;
constexpr int kExitStale = 5;
constexpr int kExitUnreachable = 6;
constexpr int kExitReplay = 7;
constexpr int kExitVerifyFailed = 8;
constexpr int kExitInterrupted = 130;

constexpr char kUsage[] =
    R"(usage: oraclectl [--addr HOST:PORT] [--json] [--timeout DURATION] COMMAND ...

commands:
  get INSTRUMENT [--max-age DURATION] [--basic]
        latest mark with its per-venue provenance (--basic: without provenance)
  batch INSTRUMENT... [--max-age DURATION] [--basic]
        latest marks of several instruments in one call (up to 1000)
  watch INSTRUMENT... [--min-interval DURATION] [--deviation-bps N] [--heartbeat DURATION]
                      [--count N] [--duration DURATION]
        stream marks as they are published (Ctrl-C to stop)
  instruments         configured instruments, methodology and sources
  venues              venue health: connection, message age, counts
  status              server counters: core throughput, ring drops, request errors
  replay --input TICKS.jsonl --output MARKS.jsonl [--config FILE] [--provenance]
        run the core offline over a tick log, as fast as it goes; "-" is stdin/stdout
  replay --capture FRAMES.jsonl --output MARKS.jsonl [--config FILE] [--provenance]
        the same over raw venue frames recorded by `oracled --live --capture`, through the
        venues' real parsers
  verify-signature --public-key FILE [--mark-json FILE|-] [--print-canonical]
        check a mark's Ed25519 signature offline (the mark as printed by --json get);
        exit 0 valid, 1 not; `oraclectl verify-signature --help` for more

audit commands (the server must keep history: `history { data_dir: ... }` in its configuration):
  history INSTRUMENT [--from TIME] [--to TIME] [--limit N] [--newest-first] [--basic]
        published marks over a time range, one line per mark, oldest first
  at INSTRUMENT TIME [--basic]
        the mark in force at TIME, the event that published it and how long it had been in force
  twap INSTRUMENT --from TIME --to TIME
        time-weighted average of the marks' prices over the window
  events (--instrument NAME | --venue NAME | both) [--from TIME] [--to TIME] [--limit N]
        input events as the core consumed them, one line per event
  verify INSTRUMENT (--sequence N | --at TIME)
        recompute a stored mark from the stored events; compare, and check its signature
  export INSTRUMENT --format csv|jsonl [--from TIME] [--to TIME] [--output FILE|-] [--limit N]
                    [--events [--venue NAME]]
        write marks (--events: input events) as CSV or JSON Lines (default stdout); a file is
        written whole or not at all; the count goes to stderr

flags:
  --addr HOST:PORT    server (default $ORACLE_ADDR or 127.0.0.1:50051)
  --json              machine-readable output (protobuf JSON, one object per line)
  --timeout DURATION  per-call deadline, e.g. 500ms, 5s (default 5s)
durations: 250ms, 5s, 1.5s, 2m, 1h
times: 2026-11-22T10:00:00Z or 2026-11-22T10:00:00.25Z (RFC 3339), 1795341600000000000
       (nanoseconds since the epoch), -30s, -5m, -1h (that long before now);
       --from is inclusive, --to exclusive (default: now); each page of history, events and
       export has its own --timeout; Ctrl-C stops them cleanly

exit codes:
  0   success (get, batch, watch, at: every mark OK; verify: match and signature valid)
  1   unexpected error
  2   usage error
  3   a mark is not OK (get, batch, watch, at)
  4   unknown instrument, venue or mark, or invalid argument
  5   mark older than --max-age or no price yet (get, batch, at); no price in the window (twap)
  6   server unreachable or timed out, or it keeps no history
  7   replay or export could not run (files or configuration)
  8   verification failed (verify): the mark differs, its signature is invalid, or it cannot be
      verified (NOT_VERIFIABLE)
  130 interrupted (Ctrl-C) before history, events or export finished
)";

int Usage(const std::string& why) {
  std::fprintf(stderr, "oraclectl: %s\n\n%s", why.c_str(), kUsage);
  return kExitUsage;
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

struct Common {
  std::string addr;
  bool json = false;
  oracle::DurationNs timeout = 5 * oracle::kNanosPerSecond;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::OracleService::Stub> stub;
  std::unique_ptr<v1::AuditService::Stub> audit;

  void SetDeadline(grpc::ClientContext* ctx) const {
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::nanoseconds(timeout));
  }
};

bool ParseDurationArg(const oracle::CliArgs& args, const std::string& name, oracle::DurationNs* out,
                      std::string* error) {
  auto v = args.Get(name);
  if (!v) return true;
  if (!oracle::ParseDurationFlag(*v, out)) {
    *error = absl::StrCat("--", name, " ", *v, ": expected a duration such as 500ms, 5s or 2m");
    return false;
  }
  return true;
}

void ToProto(oracle::DurationNs d, google::protobuf::Duration* out) {
  out->set_seconds(d / oracle::kNanosPerSecond);
  out->set_nanos(static_cast<int32_t>(d % oracle::kNanosPerSecond));
}

int ExitForMarks(const std::vector<const v1::Mark*>& marks) {
  for (const auto* m : marks) {
    if (m->status() != v1::MARK_STATUS_OK) return kExitNotOk;
  }
  return kExitOk;
}

int CmdGet(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("get takes exactly one INSTRUMENT");
  v1::GetMarkRequest req;
  req.set_instrument(args.positionals()[1]);
  oracle::DurationNs max_age = 0;
  std::string err;
  if (!ParseDurationArg(args, "max-age", &max_age, &err)) return Usage(err);
  if (max_age > 0) ToProto(max_age, req.mutable_max_age());
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  grpc::ClientContext ctx;
  c.SetDeadline(&ctx);
  v1::Mark mark;
  grpc::Status s = c.stub->GetMark(&ctx, req, &mark);
  if (!s.ok()) return ReportRpcError("get " + req.instrument(), s, c.addr);
  if (c.json) {
    std::printf("%s\n", Json(mark).c_str());
  } else {
    std::printf("%s", oracle::ctl::MarkDetail(mark, oracle::WallClockNow()).c_str());
  }
  return ExitForMarks({&mark});
}

int CmdBatch(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() < 2) return Usage("batch takes one or more INSTRUMENTs");
  v1::BatchGetMarksRequest req;
  for (size_t i = 1; i < args.positionals().size(); ++i) req.add_instruments(args.positionals()[i]);
  oracle::DurationNs max_age = 0;
  std::string err;
  if (!ParseDurationArg(args, "max-age", &max_age, &err)) return Usage(err);
  if (max_age > 0) ToProto(max_age, req.mutable_max_age());
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  grpc::ClientContext ctx;
  c.SetDeadline(&ctx);
  v1::BatchGetMarksResponse resp;
  grpc::Status s = c.stub->BatchGetMarks(&ctx, req, &resp);
  if (!s.ok()) return ReportRpcError("batch", s, c.addr);
  std::vector<const v1::Mark*> marks;
  bool refused = false, stale = false;
  const TimeNs now = oracle::WallClockNow();
  for (const auto& r : resp.results()) {
    if (c.json) {
      std::printf("%s\n", Json(r).c_str());
    } else if (r.has_mark()) {
      std::printf("%s\n", oracle::ctl::MarkLine(r.mark(), now).c_str());
    } else {
      std::printf("%-10s error %s: %s\n", r.instrument().c_str(), r.error().reason().c_str(),
                  r.error().message().c_str());
    }
    if (r.has_mark()) marks.push_back(&r.mark());
    if (r.has_error()) {
      const auto code = static_cast<grpc::StatusCode>(r.error().code());
      if (code == grpc::StatusCode::NOT_FOUND || code == grpc::StatusCode::INVALID_ARGUMENT) {
        refused = true;
      } else {
        stale = true;
      }
    }
  }
  if (refused) return kExitRefused;
  if (stale) return kExitStale;
  return ExitForMarks(marks);
}

// Ctrl-C and SIGTERM are blocked in every thread (gRPC's included) and taken by one thread with
// sigwait, which cancels the call in flight of a command that stops cleanly (watch, history,
// events, export): no gRPC call from a signal handler. For any other command, and on a second
// signal, the process ends at once as it would by default.
std::mutex g_interrupt_mu;
bool g_interrupt_handled = false;                 // guarded by g_interrupt_mu
bool g_interrupt_requested = false;               // guarded by g_interrupt_mu
grpc::ClientContext* g_interrupt_call = nullptr;  // guarded by g_interrupt_mu
std::string g_interrupt_remove_path;              // guarded by g_interrupt_mu

// Call before any other thread exists.
void StartInterruptThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    while (sigwait(&set, &sig) == 0) {
      std::lock_guard<std::mutex> lock(g_interrupt_mu);
      if (!g_interrupt_handled || g_interrupt_requested) {
        if (!g_interrupt_remove_path.empty()) unlink(g_interrupt_remove_path.c_str());
        _exit(128 + sig);
      }
      g_interrupt_requested = true;
      if (g_interrupt_call != nullptr) g_interrupt_call->TryCancel();
    }
  }).detach();
}

// The running command stops cleanly on Ctrl-C: it watches Interrupted() and its calls are
// cancelled.
void StopCleanlyOnInterrupt() {
  std::lock_guard<std::mutex> lock(g_interrupt_mu);
  g_interrupt_handled = true;
}

// A file to remove if a second signal ends the process ("": none).
void RemoveOnForcedExit(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_interrupt_mu);
  g_interrupt_remove_path = path;
}

bool Interrupted() {
  std::lock_guard<std::mutex> lock(g_interrupt_mu);
  return g_interrupt_requested;
}

// While alive, Ctrl-C cancels the call of `ctx` (at once if it already came). Declare it after
// the ClientContext so that it is destroyed first.
class InterruptibleCall {
 public:
  explicit InterruptibleCall(grpc::ClientContext* ctx) {
    std::lock_guard<std::mutex> lock(g_interrupt_mu);
    g_interrupt_call = ctx;
    if (g_interrupt_requested) ctx->TryCancel();
  }
  ~InterruptibleCall() {
    std::lock_guard<std::mutex> lock(g_interrupt_mu);
    g_interrupt_call = nullptr;
  }
  InterruptibleCall(const InterruptibleCall&) = delete;
  InterruptibleCall& operator=(const InterruptibleCall&) = delete;
};

int CmdWatch(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() < 2) return Usage("watch takes one or more INSTRUMENTs");
  v1::StreamMarksRequest req;
  for (size_t i = 1; i < args.positionals().size(); ++i) req.add_instruments(args.positionals()[i]);
  oracle::DurationNs min_interval = 0, heartbeat = 0, duration = 0;
  std::string err;
  if (!ParseDurationArg(args, "min-interval", &min_interval, &err) ||
      !ParseDurationArg(args, "heartbeat", &heartbeat, &err) ||
      !ParseDurationArg(args, "duration", &duration, &err)) {
    return Usage(err);
  }
  if (min_interval > 0) ToProto(min_interval, req.mutable_min_interval());
  if (heartbeat > 0) ToProto(heartbeat, req.mutable_heartbeat());
  long long count_limit = 0;
  if (auto v = args.Get("deviation-bps")) {
    char* end = nullptr;
    long bps = std::strtol(v->c_str(), &end, 10);
    if (*end != '\0' || bps < 0 || bps > 100000) {
      return Usage("--deviation-bps " + *v + ": expected an integer from 0 to 100000");
    }
    req.set_deviation_bps(static_cast<uint32_t>(bps));
  }
  if (auto v = args.Get("count")) {
    char* end = nullptr;
    count_limit = std::strtoll(v->c_str(), &end, 10);
    if (*end != '\0' || count_limit <= 0)
      return Usage("--count " + *v + ": expected a positive integer");
  }
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);

  grpc::ClientContext ctx;
  if (duration > 0) {
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::nanoseconds(duration));
  }
  StopCleanlyOnInterrupt();
  InterruptibleCall interruptible(&ctx);
  auto reader = c.stub->StreamMarks(&ctx, req);
  v1::StreamMarksResponse msg;
  long long seen = 0;
  bool all_ok = true;
  while (reader->Read(&msg)) {
    const TimeNs now = oracle::WallClockNow();
    for (const auto& m : msg.marks()) {
      if (c.json) {
        std::printf("%s\n", Json(m).c_str());
      } else {
        std::printf("%s  %s\n", oracle::FormatRfc3339(now).c_str(),
                    oracle::ctl::MarkLine(m, now).c_str());
      }
      all_ok &= m.status() == v1::MARK_STATUS_OK;
      ++seen;
    }
    std::fflush(stdout);
    if (count_limit > 0 && seen >= count_limit) {
      ctx.TryCancel();
      break;
    }
  }
  grpc::Status s = reader->Finish();
  const bool ended_by_us = (count_limit > 0 && seen >= count_limit) ||
                           s.error_code() == grpc::StatusCode::CANCELLED ||
                           (duration > 0 && s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED);
  if (!s.ok() && !ended_by_us) return ReportRpcError("watch", s, c.addr);
  return all_ok ? kExitOk : kExitNotOk;
}

int CmdInstruments(Common& c) {
  v1::ListInstrumentsResponse all;
  std::string token;
  do {
    v1::ListInstrumentsRequest req;
    req.set_page_size(1000);
    req.set_page_token(token);
    grpc::ClientContext ctx;
    c.SetDeadline(&ctx);
    v1::ListInstrumentsResponse page;
    grpc::Status s = c.stub->ListInstruments(&ctx, req, &page);
    if (!s.ok()) return ReportRpcError("instruments", s, c.addr);
    for (auto& i : *page.mutable_instruments()) *all.add_instruments() = std::move(i);
    token = page.next_page_token();
  } while (!token.empty());
  if (c.json) {
    for (const auto& i : all.instruments()) std::printf("%s\n", Json(i).c_str());
  } else {
    std::printf("%s", oracle::ctl::InstrumentsTable(all).c_str());
  }
  return kExitOk;
}

int CmdVenues(Common& c) {
  v1::ListVenuesResponse all;
  std::string token;
  do {
    v1::ListVenuesRequest req;
    req.set_page_size(1000);
    req.set_page_token(token);
    grpc::ClientContext ctx;
    c.SetDeadline(&ctx);
    v1::ListVenuesResponse page;
    grpc::Status s = c.stub->ListVenues(&ctx, req, &page);
    if (!s.ok()) return ReportRpcError("venues", s, c.addr);
    for (auto& v : *page.mutable_venues()) *all.add_venues() = std::move(v);
    token = page.next_page_token();
  } while (!token.empty());
  if (c.json) {
    for (const auto& v : all.venues()) std::printf("%s\n", Json(v).c_str());
  } else {
    std::printf("%s", oracle::ctl::VenuesTable(all).c_str());
  }
  return kExitOk;
}

int CmdStatus(Common& c) {
  grpc::ClientContext ctx;
  c.SetDeadline(&ctx);
  v1::ServerStatus status;
  grpc::Status s = c.stub->GetServerStatus(&ctx, v1::GetServerStatusRequest(), &status);
  if (!s.ok()) return ReportRpcError("status", s, c.addr);
  if (c.json) {
    std::printf("%s\n", Json(status).c_str());
  } else {
    std::printf("%s", oracle::ctl::StatusText(status, oracle::WallClockNow()).c_str());
  }
  return kExitOk;
}

// ---- audit commands ----

constexpr char kTimeForms[] =
    "expected RFC 3339 (2026-11-22T10:00:00Z), nanoseconds since the epoch, or a time before now "
    "such as -30s, -5m, -1h";

// Reads the TIME flag `name` if present. A bad value is a usage error naming the flag and value.
bool ParseTimeFlag(const oracle::CliArgs& args, const std::string& name, TimeNs now,
                   std::optional<TimeNs>* out, std::string* error) {
  auto v = args.Get(name);
  if (!v) return true;
  TimeNs t = 0;
  if (!oracle::ctl::ParseTimeArg(*v, now, &t)) {
    *error = absl::StrCat("--", name, " ", *v, ": ", kTimeForms);
    return false;
  }
  *out = t;
  return true;
}

// --from and --to; --from must be before --to when both are given.
bool ParseTimeRange(const oracle::CliArgs& args, TimeNs now, std::optional<TimeNs>* from,
                    std::optional<TimeNs>* to, std::string* error) {
  if (!ParseTimeFlag(args, "from", now, from, error) ||
      !ParseTimeFlag(args, "to", now, to, error)) {
    return false;
  }
  if (*from && *to && **from >= **to) {
    *error = absl::StrCat("--from ", *args.Get("from"), " is not before --to ", *args.Get("to"));
    return false;
  }
  return true;
}

// --limit N: 0 when absent.
bool ParseLimit(const oracle::CliArgs& args, int64_t* limit, std::string* error) {
  *limit = 0;
  auto v = args.Get("limit");
  if (!v) return true;
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno != 0 || n <= 0) {
    *error = "--limit " + *v + ": expected a positive integer";
    return false;
  }
  *limit = n;
  return true;
}

int32_t PageSizeFor(int64_t limit) {
  constexpr int64_t kMaxPage = 1000;
  return static_cast<int32_t>(limit > 0 ? std::min(limit, kMaxPage) : kMaxPage);
}

// How a paged listing ended.
struct PagingResult {
  grpc::Status status;  // of the page that failed; OK otherwise
  uint64_t count = 0;   // items passed to `emit`
  bool interrupted = false;
  bool emit_failed = false;
};

// Pages through ListMarks (each page with its own --timeout deadline), passing each mark to
// `emit` until the range ends, `limit` marks have been passed (0: no limit), `emit` returns false,
// or Ctrl-C (when the command called StopCleanlyOnInterrupt).
// Every page of a listing call (ListMarks, ListEvents): a fresh deadline per page, stops at
// `limit` items, on Ctrl-C, or when `emit` fails.
template <typename Request, typename Response, typename Item>
PagingResult ForEachPage(Common& c, Request req, int64_t limit,
                         grpc::Status (v1::AuditService::Stub::*call)(grpc::ClientContext*,
                                                                      const Request&, Response*),
                         const google::protobuf::RepeatedPtrField<Item>& (Response::*items)() const,
                         const std::function<bool(const Item&)>& emit) {
  PagingResult r;
  req.set_page_size(PageSizeFor(limit));
  do {
    if (Interrupted()) {
      r.interrupted = true;
      return r;
    }
    grpc::ClientContext ctx;
    c.SetDeadline(&ctx);
    InterruptibleCall interruptible(&ctx);
    Response page;
    grpc::Status s = ((*c.audit).*call)(&ctx, req, &page);
    if (!s.ok()) {
      r.interrupted = Interrupted();
      r.status = s;
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

PagingResult ForEachMark(Common& c, v1::ListMarksRequest req, int64_t limit,
                         const std::function<bool(const v1::Mark&)>& emit) {
  return ForEachPage(c, std::move(req), limit, &v1::AuditService::Stub::ListMarks,
                     &v1::ListMarksResponse::marks, emit);
}

PagingResult ForEachEvent(Common& c, v1::ListEventsRequest req, int64_t limit,
                          const std::function<bool(const v1::StoredEvent&)>& emit) {
  return ForEachPage(c, std::move(req), limit, &v1::AuditService::Stub::ListEvents,
                     &v1::ListEventsResponse::events, emit);
}

// Exit code of a listing printed to stdout: interrupted, failed page, or success.
int FinishListing(const Common& c, const std::string& what, const PagingResult& r,
                  const char* noun) {
  std::fflush(stdout);
  if (r.interrupted) {
    std::fprintf(stderr, "oraclectl %s: interrupted after %llu %s\n", what.c_str(),
                 static_cast<unsigned long long>(r.count), noun);
    return kExitInterrupted;
  }
  if (!r.status.ok()) return ReportRpcError(what, r.status, c.addr);
  if (r.count == 0 && !c.json) std::fprintf(stderr, "oraclectl %s: no %s\n", what.c_str(), noun);
  return kExitOk;
}

int CmdHistory(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("history takes exactly one INSTRUMENT");
  const TimeNs now = oracle::WallClockNow();
  std::optional<TimeNs> from, to;
  int64_t limit = 0;
  std::string err;
  if (!ParseTimeRange(args, now, &from, &to, &err) || !ParseLimit(args, &limit, &err)) {
    return Usage(err);
  }
  v1::ListMarksRequest req;
  req.set_instrument(args.positionals()[1]);
  if (from) oracle::ctl::ToTimestamp(*from, req.mutable_start_time());
  if (to) oracle::ctl::ToTimestamp(*to, req.mutable_end_time());
  req.set_order(args.Has("newest-first") ? v1::ORDER_NEWEST_FIRST : v1::ORDER_OLDEST_FIRST);
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  StopCleanlyOnInterrupt();
  bool header_done = false;
  PagingResult r = ForEachMark(c, req, limit, [&](const v1::Mark& m) {
    if (c.json) {
      std::printf("%s\n", Json(m).c_str());
    } else {
      if (!header_done) std::fputs(oracle::ctl::MarkHistoryHeader().c_str(), stdout);
      header_done = true;
      std::printf("%s\n", oracle::ctl::MarkHistoryLine(m).c_str());
    }
    return true;
  });
  return FinishListing(c, "history " + req.instrument(), r, "marks in the range");
}

int CmdAt(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() != 3) return Usage("at takes an INSTRUMENT and a TIME");
  const std::string& time_text = args.positionals()[2];
  TimeNs at = 0;
  if (!oracle::ctl::ParseTimeArg(time_text, oracle::WallClockNow(), &at)) {
    return Usage(absl::StrCat("TIME ", time_text, ": ", kTimeForms));
  }
  v1::GetMarkAtRequest req;
  req.set_instrument(args.positionals()[1]);
  oracle::ctl::ToTimestamp(at, req.mutable_time());
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  grpc::ClientContext ctx;
  c.SetDeadline(&ctx);
  v1::GetMarkAtResponse resp;
  grpc::Status s = c.audit->GetMarkAt(&ctx, req, &resp);
  if (!s.ok()) return ReportRpcError("at " + req.instrument(), s, c.addr);
  if (c.json) {
    std::printf("%s\n", Json(resp).c_str());
  } else {
    std::printf("%s", oracle::ctl::MarkAtText(resp, at).c_str());
  }
  return ExitForMarks({&resp.mark()});
}

int CmdTwap(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("twap takes exactly one INSTRUMENT");
  std::optional<TimeNs> from, to;
  std::string err;
  if (!ParseTimeRange(args, oracle::WallClockNow(), &from, &to, &err)) return Usage(err);
  if (!from || !to) return Usage("twap needs --from TIME and --to TIME");
  v1::GetTwapRequest req;
  req.set_instrument(args.positionals()[1]);
  oracle::ctl::ToTimestamp(*from, req.mutable_start_time());
  oracle::ctl::ToTimestamp(*to, req.mutable_end_time());
  grpc::ClientContext ctx;
  c.SetDeadline(&ctx);
  v1::GetTwapResponse resp;
  grpc::Status s = c.audit->GetTwap(&ctx, req, &resp);
  if (!s.ok()) return ReportRpcError("twap " + req.instrument(), s, c.addr);
  if (c.json) {
    std::printf("%s\n", Json(resp).c_str());
  } else {
    std::printf("%s", oracle::ctl::TwapText(req.instrument(), resp, *from, *to).c_str());
  }
  return resp.has_twap() ? kExitOk : kExitStale;
}

int CmdEvents(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() != 1) {
    return Usage("events takes no positional arguments: --instrument NAME and/or --venue NAME");
  }
  if (!args.Has("instrument") && !args.Has("venue")) {
    return Usage("events needs --instrument NAME, --venue NAME or both");
  }
  const TimeNs now = oracle::WallClockNow();
  std::optional<TimeNs> from, to;
  int64_t limit = 0;
  std::string err;
  if (!ParseTimeRange(args, now, &from, &to, &err) || !ParseLimit(args, &limit, &err)) {
    return Usage(err);
  }
  v1::ListEventsRequest req;
  req.set_instrument(args.GetOr("instrument", ""));
  req.set_venue(args.GetOr("venue", ""));
  if (from) oracle::ctl::ToTimestamp(*from, req.mutable_start_time());
  if (to) oracle::ctl::ToTimestamp(*to, req.mutable_end_time());
  StopCleanlyOnInterrupt();
  bool header_done = false;
  PagingResult r = ForEachEvent(c, req, limit, [&](const v1::StoredEvent& e) {
    if (c.json) {
      std::printf("%s\n", Json(e).c_str());
    } else {
      if (!header_done) std::fputs(oracle::ctl::EventHeader().c_str(), stdout);
      header_done = true;
      std::printf("%s\n", oracle::ctl::EventLine(e).c_str());
    }
    return true;
  });
  return FinishListing(c, "events", r, "events in the range");
}

int CmdVerify(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("verify takes exactly one INSTRUMENT");
  if (args.Has("sequence") == args.Has("at")) {
    return Usage("verify takes exactly one of --sequence N or --at TIME");
  }
  v1::VerifyMarkRequest req;
  req.set_instrument(args.positionals()[1]);
  if (auto v = args.Get("sequence")) {
    char* end = nullptr;
    errno = 0;
    unsigned long long seq = std::strtoull(v->c_str(), &end, 10);
    if (v->empty() || !std::isdigit(static_cast<unsigned char>((*v)[0])) || *end != '\0' ||
        errno != 0 || seq == 0) {
      return Usage("--sequence " + *v + ": expected a mark sequence (a positive integer)");
    }
    req.set_sequence(seq);
  } else {
    std::optional<TimeNs> at;
    std::string err;
    if (!ParseTimeFlag(args, "at", oracle::WallClockNow(), &at, &err)) return Usage(err);
    oracle::ctl::ToTimestamp(*at, req.mutable_time());
  }
  grpc::ClientContext ctx;
  c.SetDeadline(&ctx);
  v1::VerifyMarkResponse resp;
  grpc::Status s = c.audit->VerifyMark(&ctx, req, &resp);
  const std::string what = "verify " + req.instrument();
  if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
    std::fprintf(stderr, "oraclectl %s: the mark cannot be verified: %s\n", what.c_str(),
                 s.error_message().c_str());
    return kExitVerifyFailed;
  }
  if (!s.ok()) return ReportRpcError(what, s, c.addr);
  if (c.json) {
    std::printf("%s\n", Json(resp).c_str());
  } else {
    std::printf("%s", oracle::ctl::VerifyText(resp).c_str());
  }
  const bool is_signed = !resp.stored().signature().empty() || !resp.stored().key_id().empty();
  return resp.match() && (resp.signature_valid() || !is_signed) ? kExitOk : kExitVerifyFailed;
}

// Where `export` writes: stdout, or a temporary file beside --output renamed over it at the end,
// so that a failed or interrupted export leaves no partial file.
class ExportSink {
 public:
  ~ExportSink() { Discard(); }

  // False (with a message in *error) when the temporary file cannot be made.
  bool Open(const std::string& output, std::string* error) {
    if (output == "-") {
      out_ = stdout;
      return true;
    }
    final_path_ = output;
    std::string tmpl = output + ".tmp-XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) {
      *error = absl::StrCat("cannot write --output ", output, ": ", std::strerror(errno));
      return false;
    }
    tmp_path_ = tmpl;
    RemoveOnForcedExit(tmp_path_);
    // mkstemp makes it 0600; give it the mode a newly created file would have.
    const mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    out_ = fdopen(fd, "w");
    if (out_ == nullptr) {
      *error = absl::StrCat("cannot write --output ", output, ": ", std::strerror(errno));
      close(fd);
      Discard();
      return false;
    }
    return true;
  }

  bool Write(const std::string& text) {
    return std::fwrite(text.data(), 1, text.size(), out_) == text.size();
  }

  // Flushes, and for a file: syncs, closes and renames it over --output.
  bool Commit(std::string* error) {
    if (tmp_path_.empty()) {
      if (std::fflush(out_) != 0) {
        *error = absl::StrCat("cannot write to stdout: ", std::strerror(errno));
        return false;
      }
      return true;
    }
    FILE* f = out_;
    out_ = nullptr;
    bool ok = std::fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = (std::fclose(f) == 0) && ok;
    if (ok) ok = std::rename(tmp_path_.c_str(), final_path_.c_str()) == 0;
    if (!ok) {
      *error = absl::StrCat("cannot write --output ", final_path_, ": ", std::strerror(errno));
      Discard();
      return false;
    }
    tmp_path_.clear();
    RemoveOnForcedExit("");
    return true;
  }

  // Removes the temporary file, if any.
  void Discard() {
    if (tmp_path_.empty()) return;
    if (out_ != nullptr) std::fclose(out_);
    out_ = nullptr;
    std::remove(tmp_path_.c_str());
    tmp_path_.clear();
    RemoveOnForcedExit("");
  }

  const std::string& Name() const { return final_path_.empty() ? kStdout : final_path_; }

 private:
  static inline const std::string kStdout = "stdout";
  FILE* out_ = nullptr;
  std::string final_path_;
  std::string tmp_path_;
};

int CmdExport(Common& c, const oracle::CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("export takes exactly one INSTRUMENT");
  const std::string format = args.GetOr("format", "");
  if (format != "csv" && format != "jsonl") {
    return Usage(args.Has("format") ? "--format " + format + ": expected csv or jsonl"
                                    : "export needs --format csv or --format jsonl");
  }
  const bool csv = format == "csv";
  const bool events = args.Has("events");
  if (args.Has("venue") && !events) return Usage("export takes --venue only with --events");
  const TimeNs now = oracle::WallClockNow();
  std::optional<TimeNs> from, to;
  int64_t limit = 0;
  std::string err;
  if (!ParseTimeRange(args, now, &from, &to, &err) || !ParseLimit(args, &limit, &err)) {
    return Usage(err);
  }
  const std::string instrument = args.positionals()[1];
  const std::string what = "export " + instrument;
  ExportSink sink;
  if (!sink.Open(args.GetOr("output", "-"), &err)) {
    std::fprintf(stderr, "oraclectl %s: %s\n", what.c_str(), err.c_str());
    return kExitReplay;
  }
  StopCleanlyOnInterrupt();
  PagingResult r;
  const char* noun = events ? "events" : "marks";
  if (events) {
    v1::ListEventsRequest req;
    req.set_instrument(instrument);
    req.set_venue(args.GetOr("venue", ""));
    if (from) oracle::ctl::ToTimestamp(*from, req.mutable_start_time());
    if (to) oracle::ctl::ToTimestamp(*to, req.mutable_end_time());
    bool ok = !csv || sink.Write(oracle::ctl::EventCsvHeader());
    if (ok) {
      r = ForEachEvent(c, req, limit, [&](const v1::StoredEvent& e) {
        return sink.Write(csv ? oracle::ctl::EventCsvRow(e) : Json(e) + "\n");
      });
    } else {
      r.emit_failed = true;
    }
  } else {
    v1::ListMarksRequest req;
    req.set_instrument(instrument);
    if (from) oracle::ctl::ToTimestamp(*from, req.mutable_start_time());
    if (to) oracle::ctl::ToTimestamp(*to, req.mutable_end_time());
    req.set_order(v1::ORDER_OLDEST_FIRST);
    // CSV has no per-venue columns: leave the provenance on the server.
    req.set_view(csv ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
    bool ok = !csv || sink.Write(oracle::ctl::MarkCsvHeader());
    if (ok) {
      r = ForEachMark(c, req, limit, [&](const v1::Mark& m) {
        return sink.Write(csv ? oracle::ctl::MarkCsvRow(m) : Json(m) + "\n");
      });
    } else {
      r.emit_failed = true;
    }
  }
  const std::string kept =
      sink.Name() == "stdout" ? "" : absl::StrCat("; ", sink.Name(), " not written");
  if (r.interrupted) {
    sink.Discard();
    std::fprintf(stderr, "oraclectl %s: interrupted after %llu %s%s\n", what.c_str(),
                 static_cast<unsigned long long>(r.count), noun, kept.c_str());
    return kExitInterrupted;
  }
  if (!r.status.ok()) {
    sink.Discard();
    const int code = ReportRpcError(what, r.status, c.addr);
    if (!kept.empty()) {
      std::fprintf(stderr, "oraclectl %s: %s not written\n", what.c_str(), sink.Name().c_str());
    }
    return code;
  }
  if (r.emit_failed || !sink.Commit(&err)) {
    if (err.empty())
      err = absl::StrCat("cannot write to ", sink.Name(), ": ", std::strerror(errno));
    sink.Discard();
    std::fprintf(stderr, "oraclectl %s: %s\n", what.c_str(), err.c_str());
    return kExitReplay;
  }
  std::fprintf(stderr, "oraclectl %s: %llu %s written to %s\n", what.c_str(),
               static_cast<unsigned long long>(r.count), noun, sink.Name().c_str());
  return kExitOk;
}

int CmdReplay(const oracle::CliArgs& args) {
  if (args.positionals().size() != 1) return Usage("replay takes no positional arguments");
  auto capture = args.Get("capture");
  auto input = capture ? capture : args.Get("input");
  auto output = args.Get("output");
  if (capture && args.Has("input")) return Usage("replay takes --input or --capture, not both");
  if (!input) return Usage("replay needs --input TICKS.jsonl (or --capture FRAMES.jsonl)");
  if (!output) return Usage("replay needs --output MARKS.jsonl (or - for stdout)");
  auto config = args.Has("config") ? oracle::LoadConfigFile(*args.Get("config"))
                                   : oracle::LoadDefaultConfig();
  if (!config.ok()) {
    std::fprintf(stderr, "oraclectl replay: %s\n", std::string(config.status().message()).c_str());
    return kExitReplay;
  }
  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (*input != "-") {
    in_file.open(*input, std::ios::binary);
    if (!in_file) {
      std::fprintf(stderr, "oraclectl replay: cannot open --%s %s\n", capture ? "capture" : "input",
                   input->c_str());
      return kExitReplay;
    }
    in = &in_file;
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (*output != "-") {
    out_file.open(*output, std::ios::binary | std::ios::trunc);
    if (!out_file) {
      std::fprintf(stderr, "oraclectl replay: cannot write --output %s\n", output->c_str());
      return kExitReplay;
    }
    out = &out_file;
  }
  std::ios::sync_with_stdio(false);
  oracle::ReplayOptions options;
  options.provenance = args.Has("provenance");
  const int64_t start = oracle::MonotonicNowNs();
  absl::StatusOr<oracle::ReplaySummary> summary;
  if (capture) {
    oracle::feeds::CaptureDecoder decoder(*config);
    summary = oracle::RunReplay(*config, decoder, *in, *out, std::cerr, options);
  } else {
    summary = oracle::RunReplay(*config, *in, *out, std::cerr, options);
  }
  if (!summary.ok()) {
    std::fprintf(stderr, "oraclectl replay: %s\n", std::string(summary.status().message()).c_str());
    return kExitReplay;
  }
  const double secs = static_cast<double>(oracle::MonotonicNowNs() - start) / 1e9;
  std::cerr << summary->ToString();
  std::fprintf(stderr, "  wall time:         %.2fs (%.0f events/s)\n", secs,
               secs > 0 ? static_cast<double>(summary->events) / secs : 0.0);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const std::set<std::string> value_flags = {
      "addr",       "timeout", "max-age",  "min-interval", "deviation-bps",
      "heartbeat",  "count",   "duration", "input",        "output",
      "config",     "capture", "from",     "to",           "limit",
      "instrument", "venue",   "sequence", "at",           "format"};
  // verify-signature is offline and parses its own flags: hand it argv from the command word on.
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      if (arg == "verify-signature") return oracle::ctl::RunVerifySignature(argc - i, argv + i);
      break;
    }
    if (arg.find('=') == std::string::npos && value_flags.count(arg.substr(2)) != 0) ++i;
  }
  oracle::CliArgs args(argc, argv, 1, value_flags,
                       {"json", "basic", "provenance", "help", "newest-first", "events"});
  if (!args.ok()) return Usage(args.error());
  if (args.Has("help") || args.positionals().empty()) {
    std::fputs(kUsage, args.Has("help") ? stdout : stderr);
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  const std::string& cmd = args.positionals()[0];
  if (cmd == "replay") return CmdReplay(args);

  StartInterruptThread();  // before gRPC starts its threads
  Common c;
  const char* env_addr = std::getenv("ORACLE_ADDR");
  c.addr = args.GetOr("addr", env_addr != nullptr ? env_addr : "127.0.0.1:50051");
  c.json = args.Has("json");
  std::string err;
  if (!ParseDurationArg(args, "timeout", &c.timeout, &err)) return Usage(err);
  grpc::ChannelArguments ch_args;
  ch_args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);  // loopback and LAN addresses: never via a proxy
  c.channel = grpc::CreateCustomChannel(c.addr, grpc::InsecureChannelCredentials(), ch_args);
  c.stub = v1::OracleService::NewStub(c.channel);
  c.audit = v1::AuditService::NewStub(c.channel);

  if (cmd == "get") return CmdGet(c, args);
  if (cmd == "batch") return CmdBatch(c, args);
  if (cmd == "watch") return CmdWatch(c, args);
  if (cmd == "instruments") return CmdInstruments(c);
  if (cmd == "venues") return CmdVenues(c);
  if (cmd == "status") return CmdStatus(c);
  if (cmd == "history") return CmdHistory(c, args);
  if (cmd == "at") return CmdAt(c, args);
  if (cmd == "twap") return CmdTwap(c, args);
  if (cmd == "events") return CmdEvents(c, args);
  if (cmd == "verify") return CmdVerify(c, args);
  if (cmd == "export") return CmdExport(c, args);
  return Usage("unknown command \"" + cmd + "\"");
}
