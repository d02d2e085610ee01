#include "oracle/api/mark_lookup.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace oracle
