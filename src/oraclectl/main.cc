// oraclectl: command-line client of the oracle, and the offline replay tool.
//
// Exit codes (also in --help):
//   0  success; every mark returned has status OK
//   1  unexpected error
//   2  usage error (bad command or flag)
//   3  marks returned, but at least one is not OK (DEGRADED, STALE or UNAVAILABLE)
//   4  request refused: unknown instrument or invalid argument
//   5  mark too old for --max-age (MARK_STALE) or no price yet (MARK_UNAVAILABLE)
//   6  server unreachable or timed out
//   7  replay could not run (input/output file or configuration)
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "feeds/common/capture_replay.h"
#include "google/protobuf/util/json_util.h"
#include "oracle/config/config.h"
#include "oracle/core/cli_args.h"
#include "oracle/replay/replay_runner.h"
#include "oracle/v1/oracle.grpc.pb.h"
#include "render.h"

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

flags:
  --addr HOST:PORT    server (default $ORACLE_ADDR or 127.0.0.1:50051)
  --json              machine-readable output (protobuf JSON, one object per line)
  --timeout DURATION  per-call deadline, e.g. 500ms, 5s (default 5s)
durations: 250ms, 5s, 1.5s, 2m, 1h

exit codes:
  0 success, all marks OK       4 unknown instrument / invalid argument
  1 unexpected error            5 mark older than --max-age, or no price yet
  2 usage error                 6 server unreachable or timed out
  3 a mark is not OK            7 replay could not run (files or configuration)
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

std::string ReasonOf(const grpc::ClientContext& ctx) {
  const auto& md = ctx.GetServerTrailingMetadata();
  auto it = md.find("oracle-error-reason");
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
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
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE && msg.rfind("MARK_UNAVAILABLE", 0) != 0) {
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

std::atomic<grpc::ClientContext*> g_watch_context{nullptr};

void OnInterrupt(int) {
  if (auto* ctx = g_watch_context.load()) ctx->TryCancel();
}

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
  g_watch_context.store(&ctx);
  signal(SIGINT, OnInterrupt);
  signal(SIGTERM, OnInterrupt);
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
  g_watch_context.store(nullptr);
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
  oracle::CliArgs args(argc, argv, 1,
                       {"addr", "timeout", "max-age", "min-interval", "deviation-bps", "heartbeat",
                        "count", "duration", "input", "output", "config", "capture"},
                       {"json", "basic", "provenance", "help"});
  if (!args.ok()) return Usage(args.error());
  if (args.Has("help") || args.positionals().empty()) {
    std::fputs(kUsage, args.Has("help") ? stdout : stderr);
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  const std::string& cmd = args.positionals()[0];
  if (cmd == "replay") return CmdReplay(args);

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

  if (cmd == "get") return CmdGet(c, args);
  if (cmd == "batch") return CmdBatch(c, args);
  if (cmd == "watch") return CmdWatch(c, args);
  if (cmd == "instruments") return CmdInstruments(c);
  if (cmd == "venues") return CmdVenues(c);
  if (cmd == "status") return CmdStatus(c);
  return Usage("unknown command \"" + cmd + "\"");
}
