#include "arg_parsing.h"

#include <cerrno>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "oracle/export/export_format.h"

namespace oracle::ctl {

const char kTimeForms[] =
    "expected RFC 3339 (2026-11-22T10:00:00Z), nanoseconds since the epoch, or a time before now "
    "such as -30s, -5m, -1h";

bool ParseDurationArg(const CliArgs& args, const std::string& name, DurationNs* out,
                      std::string* error) {
  auto v = args.Get(name);
  if (!v) return true;
  if (!ParseDurationFlag(*v, out)) {
    *error = absl::StrCat("--", name, " ", *v, ": expected a duration such as 500ms, 5s or 2m");
    return false;
  }
  return true;
}

bool ParseTimeFlag(const CliArgs& args, const std::string& name, TimeNs now,
                   std::optional<TimeNs>* out, std::string* error) {
  auto v = args.Get(name);
  if (!v) return true;
  TimeNs t = 0;
  if (!ParseTimeArg(*v, now, &t)) {
    *error = absl::StrCat("--", name, " ", *v, ": ", kTimeForms);
    return false;
  }
  *out = t;
  return true;
}

bool ParseTimeRange(const CliArgs& args, TimeNs now, std::optional<TimeNs>* from,
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

bool ParseLimit(const CliArgs& args, int64_t* limit, std::string* error) {
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

}  // namespace oracle::ctl
