// history, at, twap, events, verify: the marks and input events the server keeps (AuditService).
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"
#include "arg_parsing.h"
#include "commands.h"
#include "exit_codes.h"
#include "interrupt.h"
#include "oracle/export/export_format.h"
#include "render.h"
#include "usage.h"

namespace oracle::ctl {
namespace {

// Exit code of a listing printed to stdout: interrupted, failed page, or success.
int FinishListing(const Connection& c, const std::string& what, const PagingResult& r,
                  const char* noun) {
  std::fflush(stdout);
  if (r.interrupted) {
    std::fprintf(stderr, "oraclectl %s: interrupted after %llu %s\n", what.c_str(),
                 static_cast<unsigned long long>(r.count), noun);
    return kExitInterrupted;
  }
  if (!r.status.ok()) return ReportRpcError(what, r.status, c.addr, r.trailer_reason);
  if (r.count == 0 && !c.json) std::fprintf(stderr, "oraclectl %s: no %s\n", what.c_str(), noun);
  return kExitOk;
}

}  // namespace

int CmdHistory(Connection& c, const CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("history takes exactly one INSTRUMENT");
  const TimeNs now = WallClockNow();
  std::optional<TimeNs> from, to;
  int64_t limit = 0;
  std::string err;
  if (!ParseTimeRange(args, now, &from, &to, &err) || !ParseLimit(args, &limit, &err)) {
    return Usage(err);
  }
  v1::ListMarksRequest req;
  req.set_instrument(args.positionals()[1]);
  if (from) ToTimestamp(*from, req.mutable_start_time());
  if (to) ToTimestamp(*to, req.mutable_end_time());
  req.set_order(args.Has("newest-first") ? v1::ORDER_NEWEST_FIRST : v1::ORDER_OLDEST_FIRST);
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  StopCleanlyOnInterrupt();
  bool header_done = false;
  PagingResult r = ForEachMark(c, req, limit, [&](const v1::Mark& m) {
    if (c.json) {
      std::printf("%s\n", Json(m).c_str());
    } else {
      if (!header_done) std::fputs(MarkHistoryHeader().c_str(), stdout);
      header_done = true;
      std::printf("%s\n", MarkHistoryLine(m).c_str());
    }
    return true;
  });
  return FinishListing(c, "history " + req.instrument(), r, "marks in the range");
}

int CmdAt(Connection& c, const CliArgs& args) {
  if (args.positionals().size() != 3) return Usage("at takes an INSTRUMENT and a TIME");
  const std::string& time_text = args.positionals()[2];
  TimeNs at = 0;
  if (!ParseTimeArg(time_text, WallClockNow(), &at)) {
    return Usage(absl::StrCat("TIME ", time_text, ": ", kTimeForms));
  }
  v1::GetMarkAtRequest req;
  req.set_instrument(args.positionals()[1]);
  ToTimestamp(at, req.mutable_read_time());
  req.set_view(args.Has("basic") ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  grpc::ClientContext ctx;
  c.PrepareCall(&ctx);
  v1::GetMarkAtResponse resp;
  grpc::Status s = c.audit->GetMarkAt(&ctx, req, &resp);
  if (!s.ok()) return ReportRpcError("at " + req.instrument(), s, c.addr, TrailerReason(ctx));
  if (c.json) {
    std::printf("%s\n", Json(resp).c_str());
  } else {
    std::printf("%s", MarkAtText(resp, at).c_str());
  }
  return ExitForMarks({&resp.mark()});
}

int CmdTwap(Connection& c, const CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("twap takes exactly one INSTRUMENT");
  std::optional<TimeNs> from, to;
  std::string err;
  if (!ParseTimeRange(args, WallClockNow(), &from, &to, &err)) return Usage(err);
  if (!from || !to) return Usage("twap needs --from TIME and --to TIME");
  v1::GetTwapRequest req;
  req.set_instrument(args.positionals()[1]);
  ToTimestamp(*from, req.mutable_start_time());
  ToTimestamp(*to, req.mutable_end_time());
  grpc::ClientContext ctx;
  c.PrepareCall(&ctx);
  v1::GetTwapResponse resp;
  grpc::Status s = c.audit->GetTwap(&ctx, req, &resp);
  if (!s.ok()) return ReportRpcError("twap " + req.instrument(), s, c.addr, TrailerReason(ctx));
  if (c.json) {
    std::printf("%s\n", Json(resp).c_str());
  } else {
    std::printf("%s", TwapText(req.instrument(), resp, *from, *to).c_str());
  }
  return resp.has_twap() ? kExitOk : kExitStale;
}

int CmdEvents(Connection& c, const CliArgs& args) {
  if (args.positionals().size() != 1) {
    return Usage("events takes no positional arguments: --instrument NAME and/or --venue NAME");
  }
  if (!args.Has("instrument") && !args.Has("venue")) {
    return Usage("events needs --instrument NAME, --venue NAME or both");
  }
  const TimeNs now = WallClockNow();
  std::optional<TimeNs> from, to;
  int64_t limit = 0;
  std::string err;
  if (!ParseTimeRange(args, now, &from, &to, &err) || !ParseLimit(args, &limit, &err)) {
    return Usage(err);
  }
  v1::ListEventsRequest req;
  req.set_instrument(args.GetOr("instrument", ""));
  req.set_venue(args.GetOr("venue", ""));
  if (from) ToTimestamp(*from, req.mutable_start_time());
  if (to) ToTimestamp(*to, req.mutable_end_time());
  StopCleanlyOnInterrupt();
  bool header_done = false;
  PagingResult r = ForEachEvent(c, req, limit, [&](const v1::StoredEvent& e) {
    if (c.json) {
      std::printf("%s\n", Json(e).c_str());
    } else {
      if (!header_done) std::fputs(EventHeader().c_str(), stdout);
      header_done = true;
      std::printf("%s\n", EventLine(e).c_str());
    }
    return true;
  });
  return FinishListing(c, "events", r, "events in the range");
}

int CmdVerify(Connection& c, const CliArgs& args) {
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
    if (!ParseTimeFlag(args, "at", WallClockNow(), &at, &err)) return Usage(err);
    ToTimestamp(*at, req.mutable_read_time());
  }
  grpc::ClientContext ctx;
  c.PrepareCall(&ctx);
  v1::VerifyMarkResponse resp;
  grpc::Status s = c.audit->VerifyMark(&ctx, req, &resp);
  const std::string what = "verify " + req.instrument();
  if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
    std::fprintf(stderr, "oraclectl %s: the mark cannot be verified: %s\n", what.c_str(),
                 s.error_message().c_str());
    return kExitVerifyFailed;
  }
  if (!s.ok()) return ReportRpcError(what, s, c.addr, TrailerReason(ctx));
  if (c.json) {
    std::printf("%s\n", Json(resp).c_str());
  } else {
    std::printf("%s", VerifyText(resp).c_str());
  }
  const bool is_signed = !resp.stored().signature().empty() || !resp.stored().key_id().empty();
  return resp.match() && (resp.signature_valid() || !is_signed) ? kExitOk : kExitVerifyFailed;
}

}  // namespace oracle::ctl
