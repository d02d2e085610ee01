#include "oracle/core/time.h"

#include <gtest/gtest.h>

#include <random>

namespace oracle {
namespace {

TEST(Rfc3339, ParsesUtcWithAnyFractionLength) {
  TimeNs t;
  ASSERT_TRUE(ParseRfc3339("2025-10-10T21:36:00.250Z", &t));
  EXPECT_EQ(t, 1760132160LL * kNanosPerSecond + 250 * kNanosPerMilli);
  ASSERT_TRUE(ParseRfc3339("2025-10-10T21:36:00Z", &t));
  EXPECT_EQ(t, 1760132160LL * kNanosPerSecond);
  ASSERT_TRUE(ParseRfc3339("2025-10-10T21:36:00.123456789Z", &t));
  EXPECT_EQ(t % kNanosPerSecond, 123456789);
  ASSERT_TRUE(ParseRfc3339("2025-10-10T21:36:00.1Z", &t));
  EXPECT_EQ(t % kNanosPerSecond, 100000000);
  ASSERT_TRUE(ParseRfc3339("1970-01-01T00:00:00Z", &t));
  EXPECT_EQ(t, 0);
}

TEST(Rfc3339, AppliesOffsets) {
  TimeNs utc, offset;
  ASSERT_TRUE(ParseRfc3339("2025-10-10T21:36:00Z", &utc));
  ASSERT_TRUE(ParseRfc3339("2025-10-10T23:36:00+02:00", &offset));
  EXPECT_EQ(utc, offset);
  ASSERT_TRUE(ParseRfc3339("2025-10-10T16:36:00-05:00", &offset));
  EXPECT_EQ(utc, offset);
}

TEST(Rfc3339, RejectsMalformedTimes) {
  TimeNs t;
  for (const char* bad :
       {"", "2025-10-10", "2025-10-10T21:36:00", "2025-13-10T21:36:00Z", "2025-02-30T00:00:00Z",
        "2025-10-10T24:00:00Z", "2025-10-10T21:60:00Z", "2025-10-10T21:36:00.Z",
        "2025-10-10T21:36:00.1234567891Z", "2025-10-10 21:36:00Z", "2025-10-10T21:36:00ZX",
        "1969-12-31T23:59:59Z", "2025-10-10T21:36:00+0200", "abcd-10-10T21:36:00Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad, &t)) << bad;
  }
  EXPECT_FALSE(ParseRfc3339("2262-04-12T00:00:00Z", &t));  // past the end of int64 nanoseconds
  EXPECT_FALSE(ParseRfc3339("9999-12-31T23:59:59Z", &t));
  EXPECT_TRUE(ParseRfc3339("2262-04-11T00:00:00Z", &t));
  EXPECT_TRUE(ParseRfc3339("2024-02-29T00:00:00Z", &t));  // leap day
  EXPECT_FALSE(ParseRfc3339("2023-02-29T00:00:00Z", &t));
}

TEST(Rfc3339, FormatsWithThreeSixOrNineDigits) {
  TimeNs t = 1760132160LL * kNanosPerSecond;
  EXPECT_EQ(FormatRfc3339(t), "2025-10-10T21:36:00.000Z");
  EXPECT_EQ(FormatRfc3339(t + 250 * kNanosPerMilli), "2025-10-10T21:36:00.250Z");
  EXPECT_EQ(FormatRfc3339(t + 250001 * kNanosPerMicro), "2025-10-10T21:36:00.250001Z");
  EXPECT_EQ(FormatRfc3339(t + 7), "2025-10-10T21:36:00.000000007Z");
}

TEST(Rfc3339, RoundTripsRandomTimes) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    TimeNs t = static_cast<TimeNs>(rng() % static_cast<uint64_t>(INT64_MAX / 2));  // to 2116
    TimeNs back;
    ASSERT_TRUE(ParseRfc3339(FormatRfc3339(t), &back)) << FormatRfc3339(t);
    EXPECT_EQ(back, t);
  }
}

TEST(DurationFlag, ParsesUnits) {
  DurationNs d;
  ASSERT_TRUE(ParseDurationFlag("500ms", &d));
  EXPECT_EQ(d, 500 * kNanosPerMilli);
  ASSERT_TRUE(ParseDurationFlag("1.5s", &d));
  EXPECT_EQ(d, 1500 * kNanosPerMilli);
  ASSERT_TRUE(ParseDurationFlag("2m", &d));
  EXPECT_EQ(d, 120 * kNanosPerSecond);
  ASSERT_TRUE(ParseDurationFlag("1ns", &d));
  EXPECT_EQ(d, 1);
  for (const char* bad : {"", "5", "s", "5x", "-5s", "1.2.3s", "5 s"}) {
    EXPECT_FALSE(ParseDurationFlag(bad, &d)) << bad;
  }
}

}  // namespace
}  // namespace oracle
