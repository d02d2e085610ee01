#include "oracle/core/decimal.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace oracle {
namespace {

Decimal Parse(std::string_view s) {
  Decimal d;
  EXPECT_EQ(ParseDecimal(s, &d), DecimalParseError::kOk) << s;
  return d;
}

TEST(DecimalParse, ReadsPlainNumbersExactly) {
  EXPECT_EQ(Parse("0.6512"), (Decimal{6512, -4}));
  EXPECT_EQ(Parse("1500"), (Decimal{15, 2}));
  EXPECT_EQ(Parse("3800.10"), (Decimal{38001, -1}));
  EXPECT_EQ(Parse("-0.0065"), (Decimal{-65, -4}));
  EXPECT_EQ(Parse("+7"), (Decimal{7, 0}));
  EXPECT_EQ(Parse(".5"), (Decimal{5, -1}));
  EXPECT_EQ(Parse("5."), (Decimal{5, 0}));
}

TEST(DecimalParse, EqualValuesParseEqual) {
  EXPECT_EQ(Parse("1.50"), Parse("1.5"));
  EXPECT_EQ(Parse("0001.5000"), Parse("1.5"));
  EXPECT_EQ(Parse("0"), Parse("0.000"));
  EXPECT_EQ(Parse("-0"), (Decimal{0, 0}));
  EXPECT_EQ(Parse("150e-2"), Parse("1.5"));
}

TEST(DecimalParse, ReadsScientificNotation) {
  EXPECT_EQ(Parse("1.5e-7"), (Decimal{15, -8}));
  EXPECT_EQ(Parse("1E+3"), (Decimal{1, 3}));
  EXPECT_EQ(Parse("2.5E3"), (Decimal{25, 2}));
  EXPECT_EQ(Parse("6.5e-05"), (Decimal{65, -6}));
}

TEST(DecimalParse, TrailingZerosDoNotCountAsDigits) {
  // 25 digits, but only 2 significant: exact.
  EXPECT_EQ(Parse("1.500000000000000000000000"), (Decimal{15, -1}));
  EXPECT_EQ(Parse("12000000000000000000"), (Decimal{12, 18}));  // 20 digits, 2 significant
}

TEST(DecimalParse, RejectsWhatIsNotANumber) {
  Decimal d;
  EXPECT_EQ(ParseDecimal("", &d), DecimalParseError::kEmpty);
  for (const char* bad : {"abc", "1.2.3", "--1", "1e", "e5", "1e+", ".", "-", "1,5", " 1", "1 ",
                          "0x10", "NaN", "inf", "1e5.5"}) {
    EXPECT_EQ(ParseDecimal(bad, &d), DecimalParseError::kSyntax) << bad;
  }
}

TEST(DecimalParse, RejectsWhatCannotBeExact) {
  Decimal d;
  EXPECT_EQ(ParseDecimal("1234567890123456789", &d), DecimalParseError::kTooManyDigits);
  EXPECT_EQ(ParseDecimal("0.1234567890123456789", &d), DecimalParseError::kTooManyDigits);
  EXPECT_EQ(ParseDecimal("123456789012345678", &d), DecimalParseError::kOk);  // 18 digits fit
  EXPECT_EQ(ParseDecimal("1e-40", &d), DecimalParseError::kExponentRange);
  EXPECT_EQ(ParseDecimal("1e99999", &d), DecimalParseError::kExponentRange);
}

TEST(DecimalFormat, WritesFewestDigits) {
  EXPECT_EQ(FormatDecimal(380015, -2), "3800.15");
  EXPECT_EQ(FormatDecimal(380010, -2), "3800.1");
  EXPECT_EQ(FormatDecimal(-65, -4), "-0.0065");
  EXPECT_EQ(FormatDecimal(15, 2), "1500");
  EXPECT_EQ(FormatDecimal(0, -8), "0");
  EXPECT_EQ(FormatDecimal(100000000, -8), "1");
  EXPECT_EQ(FormatDecimal(std::numeric_limits<int64_t>::min(), 0), "-9223372036854775808");
  EXPECT_EQ(FormatDecimal(std::numeric_limits<int64_t>::max(), -18), "9.223372036854775807");
}

TEST(DecimalFormat, RoundTripsThroughParse) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    int64_t m =
        static_cast<int64_t>(rng() % 2'000'000'000'000'000'000ULL) - 1'000'000'000'000'000'000LL;
    int32_t e = static_cast<int32_t>(rng() % 25) - 18;
    Decimal d = Normalize(Decimal{m, e});
    Decimal back;
    ASSERT_EQ(ParseDecimal(FormatDecimal(d), &back), DecimalParseError::kOk) << FormatDecimal(d);
    EXPECT_EQ(back, d) << FormatDecimal(d);
  }
}

TEST(DecimalRescale, RoundsHalfToEven) {
  int64_t out;
  ASSERT_TRUE(Rescale(Decimal{125, -3}, -2, &out));  // 0.125 -> 0.12
  EXPECT_EQ(out, 12);
  ASSERT_TRUE(Rescale(Decimal{135, -3}, -2, &out));  // 0.135 -> 0.14
  EXPECT_EQ(out, 14);
  ASSERT_TRUE(Rescale(Decimal{-125, -3}, -2, &out));  // -0.125 -> -0.12
  EXPECT_EQ(out, -12);
  ASSERT_TRUE(Rescale(Decimal{-135, -3}, -2, &out));
  EXPECT_EQ(out, -14);
  ASSERT_TRUE(Rescale(Decimal{1251, -4}, -2, &out));  // 0.1251 -> 0.13 (above half)
  EXPECT_EQ(out, 13);
  ASSERT_TRUE(Rescale(Decimal{15, -1}, 0, &out));
  EXPECT_EQ(out, 2);
  ASSERT_TRUE(Rescale(Decimal{25, -1}, 0, &out));
  EXPECT_EQ(out, 2);
}

TEST(DecimalRescale, ScalesUpExactlyAndReportsOverflow) {
  int64_t out;
  ASSERT_TRUE(Rescale(Decimal{65, -2}, -8, &out));
  EXPECT_EQ(out, 65'000'000);
  EXPECT_FALSE(Rescale(Decimal{1, 12}, -8, &out));  // 1e20 at 1e-8 does not fit
  EXPECT_FALSE(Rescale(Decimal{std::numeric_limits<int64_t>::max(), 0}, -1, &out));
  ASSERT_TRUE(Rescale(Decimal{1, -30}, -8, &out));  // far below the unit rounds to zero
  EXPECT_EQ(out, 0);
}

TEST(DecimalMultiply, ConvertsAcrossExponents) {
  int64_t out;
  // 0.6512 USDT * 1.0003 USD/USDT = 0.65139536 USD
  ASSERT_TRUE(MultiplyRescale(6512, -4, 10003, -4, -8, &out));
  EXPECT_EQ(out, 65139536);
  // 113000.5 * 0.9999 = 112989.19995 -> at -2: 112989.20
  ASSERT_TRUE(MultiplyRescale(1130005, -1, 9999, -4, -2, &out));
  EXPECT_EQ(out, 11298920);
  EXPECT_FALSE(MultiplyRescale(std::numeric_limits<int64_t>::max(), 0, 10, 0, 0, &out));
}

TEST(DecimalDivide, RoundsHalfToEvenForEverySign) {
  EXPECT_EQ(DivRoundHalfEven(7, 2), 4);
  EXPECT_EQ(DivRoundHalfEven(5, 2), 2);
  EXPECT_EQ(DivRoundHalfEven(-5, 2), -2);
  EXPECT_EQ(DivRoundHalfEven(-7, 2), -4);
  EXPECT_EQ(DivRoundHalfEven(5, -2), -2);
  EXPECT_EQ(DivRoundHalfEven(10, 3), 3);
  EXPECT_EQ(DivRoundHalfEven(11, 3), 4);
  EXPECT_EQ(DivRoundHalfEven(0, 3), 0);
}

TEST(DecimalCompare, ComparesAcrossExponents) {
  EXPECT_EQ(CompareDecimal(Decimal{15, -1}, Decimal{150, -2}), 0);
  EXPECT_LT(CompareDecimal(Decimal{38001, -1}, Decimal{38002, -1}), 0);
  EXPECT_GT(CompareDecimal(Decimal{1, 0}, Decimal{-1, 5}), 0);
  EXPECT_GT(CompareDecimal(Decimal{1, 18}, Decimal{999, -18}), 0);
  EXPECT_LT(CompareDecimal(Decimal{-1, 18}, Decimal{-999, -18}), 0);
  EXPECT_GT(CompareDecimal(Decimal{1, -18}, Decimal{0, 18}), 0);
}

}  // namespace
}  // namespace oracle
