// get, batch, watch: latest marks from the OracleService.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "arg_parsing.h"
#include "commands.h"
#include "exit_codes.h"
#include "interrupt.h"
#include "render.h"
#include "usage.h"

namespace oracle::ctl {
namespace {

void ToDurationProto(DurationNs d, google::protobuf::Duration* out) {
  out->set_seconds(d / kNanosPerSecond);
  out->set_nanos(static_cast<int32_t>(d % kNanosPerSecond));
}

// --max-confidence-bps N: the widest confidence accepted, in basis points of the price (0: any).
bool ParseMaxConfidenceBps(const CliArgs& args, int32_t* out, std::string* error) {
  auto v = args.Get("max-confidence-bps");
  if (!v) return true;
  char* end = nullptr;
  errno = 0;
  const long long bps = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno != 0 || bps < 0 || bps > INT32_MAX) {
    *error = "--max-confidence-bps " + *v + ": expected a whole number of basis points, 0 or more";
    return false;
  }
  *out = static_cast<int32_t>(bps);
  return true;
}

}  // namespace

int CmdGet(Connection& c, const CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("get takes exactly one INSTRUMENT");
  v1::GetMarkRequest req;
  req.set_instrument(args.positionals()[1]);
  DurationNs max_age = 0;
  std::string err;
  if (!ParseDurationArg(args, "max-age", &max_age, &err)) return Usage(err);
  if (max_age > 0) ToDurationProto(max_age, req.mutable_max_age());
  int32_t max_confidence_bps = 0;
  if (!ParseMaxConfidenceBps(args, &max_confidence_bps, &err)) return Usage(err);
  req.set_max_confidence_bps(max_confidence_bps);
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  grpc::ClientContext ctx;
  c.PrepareCall(&ctx);
  v1::Mark mark;
  grpc::Status s = c.stub->GetMark(&ctx, req, &mark);
  if (!s.ok()) return ReportRpcError("get " + req.instrument(), s, c.addr, TrailerReason(ctx));
  if (c.json) {
    std::printf("%s\n", Json(mark).c_str());
  } else {
    std::printf("%s", MarkDetail(mark, WallClockNow()).c_str());
  }
  return ExitForMarks({&mark});
}

int CmdBatch(Connection& c, const CliArgs& args) {
  if (args.positionals().size() < 2) return Usage("batch takes one or more INSTRUMENTs");
  v1::BatchGetMarksRequest req;
  for (size_t i = 1; i < args.positionals().size(); ++i) req.add_instruments(args.positionals()[i]);
  DurationNs max_age = 0;
  std::string err;
  if (!ParseDurationArg(args, "max-age", &max_age, &err)) return Usage(err);
  if (max_age > 0) ToDurationProto(max_age, req.mutable_max_age());
  int32_t max_confidence_bps = 0;
  if (!ParseMaxConfidenceBps(args, &max_confidence_bps, &err)) return Usage(err);
  req.set_max_confidence_bps(max_confidence_bps);
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  grpc::ClientContext ctx;
  c.PrepareCall(&ctx);
  v1::BatchGetMarksResponse resp;
  grpc::Status s = c.stub->BatchGetMarks(&ctx, req, &resp);
  if (!s.ok()) return ReportRpcError("batch", s, c.addr, TrailerReason(ctx));
  std::vector<const v1::Mark*> marks;
  bool refused = false, stale = false;
  const TimeNs now = WallClockNow();
  for (const auto& r : resp.results()) {
    if (c.json) {
      std::printf("%s\n", Json(r).c_str());
    } else if (r.has_mark()) {
      std::printf("%s\n", MarkLine(r.mark(), now).c_str());
    } else {
      std::printf("%-10s error %s\n", r.instrument().c_str(),
                  EntryErrorText(r.error_status()).c_str());
    }
    if (r.has_mark()) marks.push_back(&r.mark());
    if (r.has_error_status()) {
      const int exit = ExitForEntry(r.error_status());
      if (exit == kExitRefused) {
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

int CmdWatch(Connection& c, const CliArgs& args) {
  if (args.positionals().size() < 2) return Usage("watch takes one or more INSTRUMENTs");
  v1::StreamMarksRequest req;
  for (size_t i = 1; i < args.positionals().size(); ++i) req.add_instruments(args.positionals()[i]);
  DurationNs min_interval = 0, heartbeat = 0, duration = 0;
  std::string err;
  if (!ParseDurationArg(args, "min-interval", &min_interval, &err) ||
      !ParseDurationArg(args, "heartbeat", &heartbeat, &err) ||
      !ParseDurationArg(args, "duration", &duration, &err)) {
    return Usage(err);
  }
  if (min_interval > 0) ToDurationProto(min_interval, req.mutable_min_interval());
  if (heartbeat > 0) ToDurationProto(heartbeat, req.mutable_heartbeat());
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
  c.AddCredentials(&ctx);
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
    const TimeNs now = WallClockNow();
    for (const auto& m : msg.marks()) {
      if (c.json) {
        std::printf("%s\n", Json(m).c_str());
      } else {
        std::printf("%s  %s\n", FormatRfc3339(now).c_str(), MarkLine(m, now).c_str());
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
  if (!s.ok() && !ended_by_us) return ReportRpcError("watch", s, c.addr, TrailerReason(ctx));
  return all_ok ? kExitOk : kExitNotOk;
}

}  // namespace oracle::ctl
