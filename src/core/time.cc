#include "oracle/core/time.h"

#include "oracle/core/clock.h"

#include <time.h>

#include <cstdio>

namespace oracle {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
constexpr int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m;
  unsigned d;
};

constexpr Civil CivilFromDays(int64_t z) noexcept {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{y + (m <= 2), m, d};
}

constexpr bool IsLeap(int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned DaysInMonth(int64_t y, unsigned m) noexcept {
  constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) noexcept {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool ParseRfc3339(std::string_view s, TimeNs* out) noexcept {
  int64_t year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day) || (s[10] != 'T' && s[10] != 't') ||
      !Digits(s, 11, 2, &hour) || s[13] != ':' || !Digits(s, 14, 2, &minute) || s[16] != ':' ||
      !Digits(s, 17, 2, &second)) {
    return false;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, static_cast<unsigned>(month)) || hour > 23 || minute > 59 ||
      second > 59) {
    return false;
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits == 9) return false;  // more than nanosecond precision
      nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (int k = digits; k < 9; ++k) nanos *= 10;
  }
  int64_t offset_seconds = 0;
  if (pos >= s.size()) return false;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int64_t oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return false;
    }
    offset_seconds = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return false;
  }
  if (pos != s.size()) return false;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  // TimeNs ends in April 2262: later times do not fit.
  int64_t ns;
  if (__builtin_mul_overflow(secs, kNanosPerSecond, &ns) ||
      __builtin_add_overflow(ns, nanos, &ns)) {
    return false;
  }
  *out = ns;
  return true;
}

int FormatRfc3339To(TimeNs t, char* buf) noexcept {
  int64_t secs = t / kNanosPerSecond;
  int64_t nanos = t % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --secs;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Civil c = CivilFromDays(days);
  int n = std::snprintf(buf, 32, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                        static_cast<long long>(c.y), c.m, c.d, static_cast<long long>(rem / 3600),
                        static_cast<long long>((rem / 60) % 60), static_cast<long long>(rem % 60));
  int frac_digits = 3;
  if (nanos % 1'000'000 != 0) frac_digits = (nanos % 1000 != 0) ? 9 : 6;
  int64_t frac = nanos;
  for (int k = frac_digits; k < 9; ++k) frac /= 10;
  buf[n++] = '.';
  for (int k = frac_digits - 1; k >= 0; --k) {
    buf[n + k] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  n += frac_digits;
  buf[n++] = 'Z';
  buf[n] = '\0';
  return n;
}

std::string FormatRfc3339(TimeNs t) {
  char buf[40];
  int n = FormatRfc3339To(t, buf);
  return std::string(buf, static_cast<size_t>(n));
}

std::string FormatDurationHuman(DurationNs d) {
  char buf[64];
  const char* sign = d < 0 ? "-" : "";
  if (d < 0) d = -d;
  if (d < kNanosPerMicro) {
    std::snprintf(buf, sizeof buf, "%s%lldns", sign, static_cast<long long>(d));
  } else if (d < kNanosPerMilli) {
    std::snprintf(buf, sizeof buf, "%s%.1fus", sign, static_cast<double>(d) / 1e3);
  } else if (d < kNanosPerSecond) {
    std::snprintf(buf, sizeof buf, "%s%.1fms", sign, static_cast<double>(d) / 1e6);
  } else if (d < 60 * kNanosPerSecond) {
    std::snprintf(buf, sizeof buf, "%s%.2fs", sign, static_cast<double>(d) / 1e9);
  } else if (d < 3600 * kNanosPerSecond) {
    int64_t s = d / kNanosPerSecond;
    std::snprintf(buf, sizeof buf, "%s%lldm%02llds", sign, static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else {
    int64_t m = d / (60 * kNanosPerSecond);
    std::snprintf(buf, sizeof buf, "%s%lldh%02lldm", sign, static_cast<long long>(m / 60),
                  static_cast<long long>(m % 60));
  }
  return buf;
}

bool ParseDurationFlag(std::string_view s, DurationNs* out) noexcept {
  size_t unit_pos = 0;
  while (unit_pos < s.size() &&
         ((s[unit_pos] >= '0' && s[unit_pos] <= '9') || s[unit_pos] == '.')) {
    ++unit_pos;
  }
  if (unit_pos == 0 || unit_pos == s.size()) return false;
  std::string_view num = s.substr(0, unit_pos);
  std::string_view unit = s.substr(unit_pos);
  int64_t scale;
  if (unit == "ns") {
    scale = 1;
  } else if (unit == "us") {
    scale = kNanosPerMicro;
  } else if (unit == "ms") {
    scale = kNanosPerMilli;
  } else if (unit == "s") {
    scale = kNanosPerSecond;
  } else if (unit == "m") {
    scale = 60 * kNanosPerSecond;
  } else if (unit == "h") {
    scale = 3600 * kNanosPerSecond;
  } else {
    return false;
  }
  int64_t whole = 0;
  int64_t frac_num = 0;
  int64_t frac_den = 1;
  bool point = false;
  for (char c : num) {
    if (c == '.') {
      if (point) return false;
      point = true;
      continue;
    }
    if (!point) {
      whole = whole * 10 + (c - '0');
      if (whole > 1'000'000'000) return false;
    } else if (frac_den < 1'000'000'000) {
      frac_num = frac_num * 10 + (c - '0');
      frac_den *= 10;
    }
  }
  __int128 total =
      static_cast<__int128>(whole) * scale + static_cast<__int128>(frac_num) * scale / frac_den;
  if (total > INT64_MAX) return false;
  *out = static_cast<int64_t>(total);
  return true;
}

TimeNs WallClockNow() noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<TimeNs>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
}

int64_t MonotonicNowNs() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
}

Clock SystemClock() {
  return [] { return WallClockNow(); };
}

}  // namespace oracle
