// export: marks or input events of a range as CSV or JSON Lines, to stdout or written whole to a
// file.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "absl/strings/str_cat.h"
#include "arg_parsing.h"
#include "commands.h"
#include "exit_codes.h"
#include "interrupt.h"
#include "oracle/export/export_format.h"
#include "usage.h"

namespace oracle::ctl {
namespace {

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

// What to export, from the command line.
struct ExportQuery {
  std::string instrument;
  std::string venue;  // with --events only; "" for all
  std::optional<TimeNs> from, to;
  int64_t limit = 0;  // 0: no limit
  bool csv = false;   // else JSON Lines
};

PagingResult ExportEvents(const Connection& c, const ExportQuery& q, ExportSink& sink) {
  v1::ListEventsRequest req;
  req.set_instrument(q.instrument);
  req.set_venue(q.venue);
  if (q.from) ToTimestamp(*q.from, req.mutable_start_time());
  if (q.to) ToTimestamp(*q.to, req.mutable_end_time());
  if (q.csv && !sink.Write(EventCsvHeader())) {
    PagingResult r;
    r.emit_failed = true;
    return r;
  }
  return ForEachEvent(c, req, q.limit, [&](const v1::StoredEvent& e) {
    return sink.Write(q.csv ? EventCsvRow(e) : Json(e) + "\n");
  });
}

PagingResult ExportMarks(const Connection& c, const ExportQuery& q, ExportSink& sink) {
  v1::ListMarksRequest req;
  req.set_instrument(q.instrument);
  if (q.from) ToTimestamp(*q.from, req.mutable_start_time());
  if (q.to) ToTimestamp(*q.to, req.mutable_end_time());
  req.set_order(v1::ORDER_OLDEST_FIRST);
  // CSV has no per-venue columns: leave the provenance on the server.
  req.set_view(q.csv ? v1::MARK_VIEW_BASIC : v1::MARK_VIEW_FULL);
  if (q.csv && !sink.Write(MarkCsvHeader())) {
    PagingResult r;
    r.emit_failed = true;
    return r;
  }
  return ForEachMark(c, req, q.limit, [&](const v1::Mark& m) {
    return sink.Write(q.csv ? MarkCsvRow(m) : Json(m) + "\n");
  });
}

// Commits the output when every record was written, and reports how the export ended.
int FinishExport(const Connection& c, const std::string& what, const char* noun,
                 const PagingResult& r, ExportSink& sink) {
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
    const int code = ReportRpcError(what, r.status, c.addr, r.trailer_reason);
    if (!kept.empty()) {
      std::fprintf(stderr, "oraclectl %s: %s not written\n", what.c_str(), sink.Name().c_str());
    }
    return code;
  }
  std::string err;
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

}  // namespace

int CmdExport(Connection& c, const CliArgs& args) {
  if (args.positionals().size() != 2) return Usage("export takes exactly one INSTRUMENT");
  const std::string format = args.GetOr("format", "");
  if (format != "csv" && format != "jsonl") {
    return Usage(args.Has("format") ? "--format " + format + ": expected csv or jsonl"
                                    : "export needs --format csv or --format jsonl");
  }
  const bool events = args.Has("events");
  if (args.Has("venue") && !events) return Usage("export takes --venue only with --events");
  ExportQuery q;
  q.csv = format == "csv";
  std::string err;
  if (!ParseTimeRange(args, WallClockNow(), &q.from, &q.to, &err) ||
      !ParseLimit(args, &q.limit, &err)) {
    return Usage(err);
  }
  q.instrument = args.positionals()[1];
  q.venue = args.GetOr("venue", "");
  const std::string what = "export " + q.instrument;
  ExportSink sink;
  if (!sink.Open(args.GetOr("output", "-"), &err)) {
    std::fprintf(stderr, "oraclectl %s: %s\n", what.c_str(), err.c_str());
    return kExitReplay;
  }
  StopCleanlyOnInterrupt();
  const PagingResult r = events ? ExportEvents(c, q, sink) : ExportMarks(c, q, sink);
  return FinishExport(c, what, events ? "events" : "marks", r, sink);
}

}  // namespace oracle::ctl
