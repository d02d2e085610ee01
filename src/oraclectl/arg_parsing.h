// oraclectl's flag values: durations, TIME flags and ranges, --limit. A bad value gives a usage
// message naming the flag and the value.
#ifndef ORACLE_SRC_ORACLECTL_ARG_PARSING_H_
#define ORACLE_SRC_ORACLECTL_ARG_PARSING_H_

#include <cstdint>
#include <optional>
#include <string>

#include "oracle/core/cli_args.h"
#include "oracle/core/time.h"

namespace oracle::ctl {

// The forms a TIME takes, for usage messages.
extern const char kTimeForms[];

// Reads the duration flag `name` into *out if present (left as is if absent).
bool ParseDurationArg(const CliArgs& args, const std::string& name, DurationNs* out,
                      std::string* error);

// Reads the TIME flag `name` if present. A bad value is a usage error naming the flag and value.
bool ParseTimeFlag(const CliArgs& args, const std::string& name, TimeNs now,
                   std::optional<TimeNs>* out, std::string* error);

// --from and --to; --from must be before --to when both are given.
bool ParseTimeRange(const CliArgs& args, TimeNs now, std::optional<TimeNs>* from,
                    std::optional<TimeNs>* to, std::string* error);

// --limit N: 0 when absent.
bool ParseLimit(const CliArgs& args, int64_t* limit, std::string* error);

}  // namespace oracle::ctl

#endif  // ORACLE_SRC_ORACLECTL_ARG_PARSING_H_
