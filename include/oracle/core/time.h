// Time in the oracle: int64 nanoseconds since the Unix epoch (UTC), carried inside events.
//
// The core never reads a clock; wall-clock time enters as timer events made by the runner.
// Parsing and formatting here are pure, allocation-free (except FormatRfc3339) and thread-safe.
#ifndef ORACLE_CORE_TIME_H_
#define ORACLE_CORE_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace oracle {

using TimeNs = int64_t;      // nanoseconds since 1970-01-01T00:00:00Z
using DurationNs = int64_t;  // nanoseconds

inline constexpr DurationNs kNanosPerMicro = 1'000;
inline constexpr DurationNs kNanosPerMilli = 1'000'000;
inline constexpr DurationNs kNanosPerSecond = 1'000'000'000;

// Parses RFC 3339 in UTC: "2025-10-10T21:36:00.250Z" with 0 to 9 fractional digits. Also accepts a
// numeric offset ("+00:00", "-05:00") and a lower-case 't'/'z'. Returns false on anything else,
// including out-of-range fields and years outside 1970..9999.
[[nodiscard]] bool ParseRfc3339(std::string_view text, TimeNs* out) noexcept;

// Formats as "2025-10-10T21:36:00.250Z": the fraction has 3, 6 or 9 digits, the fewest that are
// exact. `buf` must hold 32 characters; returns the length written.
int FormatRfc3339To(TimeNs t, char* buf) noexcept;
std::string FormatRfc3339(TimeNs t);

// Formats a duration for people: "250ms", "1.5s", "3m20s", "2h05m".
std::string FormatDurationHuman(DurationNs d);

// Parses a duration flag value: "500ms", "5s", "1.5s", "2m", "1h", "250us", "100ns". False if bad.
[[nodiscard]] bool ParseDurationFlag(std::string_view text, DurationNs* out) noexcept;

// Wall clock in nanoseconds (CLOCK_REALTIME). Only runners and tools call it, never the core.
TimeNs WallClockNow() noexcept;

// Monotonic clock in nanoseconds, for measuring intervals in tools and benchmarks.
int64_t MonotonicNowNs() noexcept;

}  // namespace oracle

#endif  // ORACLE_CORE_TIME_H_
