#include "oracle/api/mark_lookup.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "absl/strings/str_cat.h"
#include "test_util/engine_harness.h"

namespace oracle {
namespace {

constexpr char kConfig[] = R"pb(
  defaults { twap_window_ms: 1000 twap_bucket_ms: 100 jump_lookback_ms: 1000 min_venues: 1 }
  venues { name: "a" }
  instruments {
    name: "ETH-USD"
    sources { venue: "a" pair: "ETH-USD" }
  }
  instruments {
    name: "BTC-USD"
    sources { venue: "a" pair: "BTC-USD" }
  }
)pb";

using testing::At;

class MarkLookupTest : public ::testing::Test {
 protected:
  testing::EngineHarness h{kConfig};
  MarkLookup lookup{h.config(), &h.table()};
  Mark m;
};

TEST_F(MarkLookupTest, NamesAreValidatedBeforeTheyAreLookedUp) {
  auto e = lookup.Lookup("", 0, At(0), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kInvalidInstrumentName);
  EXPECT_EQ(ErrorGrpcCode(e->reason), 3);  // INVALID_ARGUMENT
  e = lookup.Lookup("eth usd", 0, At(0), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kInvalidInstrumentName);
  e = lookup.Lookup("DOGE-USD", 0, At(0), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kInstrumentNotFound);
  EXPECT_EQ(ErrorGrpcCode(e->reason), 5);  // NOT_FOUND
  EXPECT_EQ(ErrorStatusMessage(*e).rfind("INSTRUMENT_NOT_FOUND: ", 0), 0u);
  EXPECT_NE(e->message.find("DOGE-USD"), std::string::npos);
}

TEST_F(MarkLookupTest, NoMarkYetIsUnavailable) {
  auto e = lookup.Lookup("ETH-USD", 0, At(0), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kMarkUnavailable);
  EXPECT_EQ(ErrorGrpcCode(e->reason), 14);  // UNAVAILABLE
}

TEST_F(MarkLookupTest, MaxAgeJudgesTheAgeOfTheLastGoodPrice) {
  h.Quote(At(0), "a", "ETH-USD", "3800", "3800.2");
  h.Timer(At(1));
  EXPECT_FALSE(lookup.Lookup("ETH-USD", 0, At(100), &m));  // no max_age: any age is returned
  EXPECT_FALSE(lookup.Lookup("ETH-USD", 2 * kNanosPerSecond, At(2), &m));
  auto e = lookup.Lookup("ETH-USD", 2 * kNanosPerSecond, At(3.5), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kMarkStale);
  EXPECT_EQ(ErrorGrpcCode(e->reason), 9);  // FAILED_PRECONDITION
  EXPECT_NE(e->message.find("2.50s old"), std::string::npos) << e->message;
  // Republished as STALE long after: judged by its last good time, not its publish time.
  h.Timer(At(20));
  ASSERT_FALSE(lookup.Lookup("ETH-USD", 0, At(20), &m));
  EXPECT_EQ(m.status, MarkStatus::kStale);
  e = lookup.Lookup("ETH-USD", 5 * kNanosPerSecond, At(20), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kMarkStale);
}

// A read never succeeds without a price: with or without max_age, a mark published with status
// UNAVAILABLE (no price) is MARK_UNAVAILABLE, retryable, and says which status it has.
TEST_F(MarkLookupTest, AMarkWithoutPriceIsUnavailableWithOrWithoutMaxAge) {
  h.Timer(At(1));  // BTC-USD has no data: UNAVAILABLE mark
  for (DurationNs max_age : {DurationNs{0}, kNanosPerSecond}) {
    auto e = lookup.Lookup("BTC-USD", max_age, At(1), &m);
    ASSERT_TRUE(e) << "max_age " << max_age;
    EXPECT_EQ(m.status, MarkStatus::kUnavailable);
    EXPECT_EQ(e->reason, ErrorReason::kMarkUnavailable);
    EXPECT_EQ(ErrorGrpcCode(e->reason), 14);  // UNAVAILABLE
    EXPECT_GT(ErrorRetryDelayNs(e->reason), 0);
    EXPECT_NE(e->message.find("NO_DATA_YET"), std::string::npos) << e->message;
    EXPECT_EQ(e->metadata,
              (std::vector<std::pair<std::string, std::string>>{{"instrument", "BTC-USD"},
                                                                {"markStatus", "UNAVAILABLE"},
                                                                {"statusReason", "NO_DATA_YET"}}));
  }
}

// ---------------------------------------------------------------------------------------------
// max_confidence_bps

using Metadata = std::vector<std::pair<std::string, std::string>>;

// A priced mark of `price` ± `confidence`, both mantissas at exponent -2.
Mark PricedMark(int64_t price, int64_t confidence) {
  Mark m;
  m.exponent = -2;
  m.price = price;
  m.confidence = confidence;
  m.has_price = true;
  m.status = MarkStatus::kOk;
  return m;
}

TEST(CheckConfidenceTest, AMarkExactlyAtTheLimitPassesAndOneBpsTighterIsRefused) {
  const Mark m = PricedMark(10000, 10);  // 100.00 ± 0.10: exactly 10 bps
  EXPECT_FALSE(CheckConfidence("ETH-USD", m, 10));
  EXPECT_FALSE(CheckConfidence("ETH-USD", m, 11));
  auto e = CheckConfidence("ETH-USD", m, 9);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kConfidenceTooWide);
  EXPECT_EQ(ErrorGrpcCode(e->reason), 9);  // FAILED_PRECONDITION
  EXPECT_EQ(ErrorRetryDelayNs(e->reason), 0);
  EXPECT_EQ(ErrorStatusMessage(*e).rfind("CONFIDENCE_TOO_WIDE: ", 0), 0u);
  EXPECT_TRUE(e->field.empty()) << e->field;  // not a bad request: the mark is too wide
  EXPECT_EQ(
      e->metadata,
      (Metadata{{"instrument", "ETH-USD"}, {"confidenceBps", "10"}, {"maxConfidenceBps", "9"}}));
  for (const char* part : {"ETH-USD", "10 bps", "max_confidence_bps 9", "100 ± 0.1"}) {
    EXPECT_NE(e->message.find(part), std::string::npos) << part << " in: " << e->message;
  }
}

// confidenceBps is rounded up, so a refused mark never reads as being at the limit.
TEST(CheckConfidenceTest, ReportedConfidenceBpsIsRoundedUpToAHundredth) {
  auto e = CheckConfidence("ETH-USD", PricedMark(30000, 31), 10);  // 10.333... bps
  ASSERT_TRUE(e);
  EXPECT_EQ(e->metadata[1], (std::pair<std::string, std::string>{"confidenceBps", "10.34"}));
  e = CheckConfidence("ETH-USD", PricedMark(1'000'000'000, 1'000'001), 10);  // 10.00001 bps
  ASSERT_TRUE(e);
  EXPECT_EQ(e->metadata[1].second, "10.01");
}

// 0.51 / 100 * 10000 is 51.00000000000001 in binary floating point; the check is exact.
TEST(CheckConfidenceTest, TheBoundaryIsExactWhereFloatingPointIsNot) {
  EXPECT_FALSE(CheckConfidence("ETH-USD", PricedMark(10000, 51), 51));
  EXPECT_FALSE(
      CheckConfidence("ETH-USD", PricedMark(87149951005540000, 128363162836059866), 14729));
  // Seeded marks exactly at the limit pass, one unit of confidence more is refused, and so is the
  // same mark one bps tighter (price = 10^4 k and confidence = bps k is exactly bps).
  std::mt19937_64 rng(20261207);
  for (int n = 0; n < 20000; ++n) {
    const int32_t bps = 1 + static_cast<int32_t>(rng() % 100000);
    const int64_t k = 1 + static_cast<int64_t>(rng() % 9'000'000'000'000);
    const Mark at = PricedMark(10000 * k, bps * k);
    ASSERT_FALSE(CheckConfidence("X-USD", at, bps)) << at.price << " ± " << at.confidence;
    ASSERT_TRUE(CheckConfidence("X-USD", at, bps - 1) || bps == 1) << at.price;
    ASSERT_TRUE(CheckConfidence("X-USD", PricedMark(at.price, at.confidence + 1), bps)) << at.price;
  }
}

TEST(CheckConfidenceTest, ZeroIsNoLimit) {
  EXPECT_FALSE(CheckConfidence("ETH-USD", PricedMark(100, 1'000'000), 0));
  EXPECT_FALSE(CheckMaxConfidenceBps(0));
  EXPECT_FALSE(CheckMaxConfidenceBps(1));
  EXPECT_FALSE(CheckMaxConfidenceBps(INT32_MAX));
}

TEST(CheckConfidenceTest, ANegativeLimitIsAnInvalidArgumentNamingTheField) {
  for (int32_t bad : {-1, INT32_MIN}) {
    auto e = CheckMaxConfidenceBps(bad);
    ASSERT_TRUE(e) << bad;
    EXPECT_EQ(e->reason, ErrorReason::kInvalidArgument);
    EXPECT_EQ(ErrorGrpcCode(e->reason), 3);  // INVALID_ARGUMENT
    EXPECT_EQ(e->field, "max_confidence_bps");
    EXPECT_NE(e->message.find(absl::StrCat(bad)), std::string::npos) << e->message;
  }
}

TEST(CheckConfidenceTest, ANegativePriceIsJudgedByItsMagnitudeAndAZeroPriceIsInfinitelyWide) {
  EXPECT_FALSE(CheckConfidence("SPREAD-USD", PricedMark(-10000, 10), 10));
  EXPECT_TRUE(CheckConfidence("SPREAD-USD", PricedMark(-10000, 11), 10));
  EXPECT_FALSE(CheckConfidence("SPREAD-USD", PricedMark(0, 0), 1));
  auto e = CheckConfidence("SPREAD-USD", PricedMark(0, 1), 100000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->metadata[1].second, "inf");
  // The extremes of both fields do not overflow.
  EXPECT_FALSE(CheckConfidence("X-USD", PricedMark(INT64_MIN, INT64_MAX), 10000));
  EXPECT_TRUE(CheckConfidence("X-USD", PricedMark(1, INT64_MAX), INT32_MAX));
}

// A mark without a price is MARK_UNAVAILABLE whatever max_confidence_bps says; CheckConfidence
// alone leaves it alone.
TEST_F(MarkLookupTest, AnUnpricedMarkIsUnavailableNotTooWide) {
  h.Timer(At(1));  // BTC-USD has no data: UNAVAILABLE mark
  auto e = lookup.Read("BTC-USD", ReadLimits{.max_confidence_bps = 1}, At(1), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kMarkUnavailable);
  Mark unpriced = PricedMark(0, 5);
  unpriced.has_price = false;
  EXPECT_FALSE(CheckConfidence("BTC-USD", unpriced, 1));
}

// The confidence of a real mark from the engine, in bps, exactly (numerator, denominator).
std::pair<int128, int128> ExactBps(const Mark& m) {
  return {static_cast<int128>(m.confidence) * 10000, m.price < 0 ? -m.price : m.price};
}

TEST_F(MarkLookupTest, ReadAppliesMaxConfidenceToARealMark) {
  h.Quote(At(0), "a", "ETH-USD", "3800", "3838");
  h.Timer(At(1));
  ASSERT_FALSE(lookup.Read("ETH-USD", ReadLimits{}, At(1), &m));
  const auto [num, den] = ExactBps(m);
  ASSERT_GT(num, 0);
  const auto floor_bps = static_cast<int32_t>(num / den);
  const int32_t passing = num % den == 0 ? floor_bps : floor_bps + 1;
  EXPECT_FALSE(lookup.Read("ETH-USD", ReadLimits{.max_confidence_bps = passing}, At(1), &m));
  auto e = lookup.Read("ETH-USD", ReadLimits{.max_confidence_bps = passing - 1}, At(1), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kConfidenceTooWide);
  // max_age still comes first: a mark both too old and too wide is MARK_STALE.
  e = lookup.Read("ETH-USD", ReadLimits{.max_age_ns = 1, .max_confidence_bps = 1}, At(5), &m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kMarkStale);
}

// In a batch every entry is judged alone; an entry's name error names instruments[i], a
// CONFIDENCE_TOO_WIDE entry names its instrument (it is not a bad field).
TEST_F(MarkLookupTest, BatchEntriesAreJudgedOneByOne) {
  h.Quote(At(0), "a", "ETH-USD", "3800", "3838");       // wide
  h.Quote(At(0), "a", "BTC-USD", "90000", "90000.02");  // narrow
  h.Timer(At(1));
  const ReadLimits limits{.max_confidence_bps = 5};
  const std::vector<std::string> names = {"BTC-USD", "ETH-USD", "eth usd", "BTC-USD", ""};
  std::vector<std::optional<ApiError>> errors;
  errors.reserve(names.size());
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    errors.push_back(lookup.ReadBatchEntry(i, names[i], limits, At(1), &m));
  }
  EXPECT_FALSE(errors[0]);
  ASSERT_TRUE(errors[1]);
  EXPECT_EQ(errors[1]->reason, ErrorReason::kConfidenceTooWide);
  EXPECT_TRUE(errors[1]->field.empty());
  EXPECT_EQ(errors[1]->metadata[0], (std::pair<std::string, std::string>{"instrument", "ETH-USD"}));
  EXPECT_EQ(errors[1]->metadata[2].second, "5");
  ASSERT_TRUE(errors[2]);
  EXPECT_EQ(errors[2]->reason, ErrorReason::kInvalidInstrumentName);
  EXPECT_EQ(errors[2]->field, "instruments[2]");
  EXPECT_FALSE(errors[3]);
  ASSERT_TRUE(errors[4]);
  EXPECT_EQ(errors[4]->field, "instruments[4]");
}

}  // namespace
}  // namespace oracle
