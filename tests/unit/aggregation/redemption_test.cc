// Redemption pricing in the engine: redemption value = underlying mark x ratio, the ratio's guards
// (bounds, CAPO growth cap, slashing flag, age limit, median of sources) and the policies that
// choose between the redemption value and the asset's own market aggregate.
#include <gtest/gtest.h>

#include "oracle/aggregation/engine.h"
#include "test_util/engine_harness.h"

namespace oracle {
namespace {

using testing::At;
using testing::D;
using testing::EngineHarness;

// ETH-USD on three venues; WBETH-USD (redeems into ETH) listed on four venues. 1 s TWAP. Depeg:
// three venues 2% below the redemption value for 60 s. Ratios usable for 600 s.
std::string ConfigWith(const std::string& policy, const std::string& extra = "") {
  return R"pb(
           core { publish_interval_ms: 100 }
           defaults {
             twap_window_ms: 1000
             twap_bucket_ms: 100
             min_venues: 3
             jump_lookback_ms: 1000
           }
           venues { name: "a" }
           venues { name: "b" }
           venues { name: "c" }
           venues { name: "d" }
           instruments {
             name: "ETH-USD"
             sources { venue: "a" pair: "ETH-USD" }
             sources { venue: "b" pair: "ETH-USD" }
             sources { venue: "c" pair: "ETH-USD" }
           }
           instruments {
             name: "WBETH-USD"
             redemption { underlying: "ETH-USD" ratio_pair: "WBETH-ETH" max_ratio_age_ms: 600000
                          depeg_min_duration_ms: 60000
                          policy:)pb" +
         policy + "\n" + extra + R"pb(
    }
    sources { venue: "a" pair: "WBETH-USD" }
      sources { venue: "b" pair: "WBETH-USD" }
      sources { venue: "c" pair: "WBETH-USD" }
      sources { venue: "d" pair: "WBETH-USD" }
    }
    rate_providers { name: "rpc-1" pair: "WBETH-ETH" evm_call { to: "0xa2E3356610840701BDf5611a53974510Ae27E2e1" data: "0x3ba0b9a9" } }
    rate_providers { name: "rpc-2" pair: "WBETH-ETH" evm_call { to: "0xa2E3356610840701BDf5611a53974510Ae27E2e1" data: "0x3ba0b9a9" } }
    rate_providers { name: "rpc-3" pair: "WBETH-ETH" evm_call { to: "0xa2E3356610840701BDf5611a53974510Ae27E2e1" data: "0x3ba0b9a9" } }
  )pb";
}

class RedemptionTest : public ::testing::Test {
 protected:
  explicit RedemptionTest(const std::string& policy = "REDEMPTION_POLICY_REDEMPTION_UNLESS_DEPEG",
                          const std::string& extra = "")
      : h(ConfigWith(policy, extra)) {}

  ApplyResult Rate(TimeNs t, const char* ratio, uint32_t source = 0) {
    return h.engine().Apply(Event::Rate(0, t, t, D(ratio), source));
  }
  // ETH at 3800 on a, b, c; WBETH at the given prices on a..d; then a timer.
  void Second(double s, const char* wa, const char* wb, const char* wc, const char* wd) {
    for (const char* v : {"a", "b", "c"}) h.Quote(At(s), v, "ETH-USD", "3799.9", "3800.1");
    const char* w[] = {wa, wb, wc, wd};
    const char* names[] = {"a", "b", "c", "d"};
    for (int i = 0; i < 4; ++i) {
      if (w[i] != nullptr) h.Trade(At(s), names[i], "WBETH-USD", w[i]);
    }
    h.Timer(At(s + 0.5));
  }
  const Mark& M() { return h.Latest("WBETH-USD"); }

  EngineHarness h;
};

TEST_F(RedemptionTest, RedemptionValueIsUnderlyingTimesRatioAndIgnoresALocalDump) {
  Rate(At(0), "1.0712");
  Second(0, "4070", "4071", "4070.5", "4070");
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kRedemption);
  EXPECT_EQ(M().reason, StatusReason::kRedemptionValue);
  EXPECT_EQ(M().status, MarkStatus::kOk);  // ETH-USD's quorum
  EXPECT_EQ(M().price, 407056000000);      // 3800 x 1.0712 = 4070.56
  EXPECT_EQ(M().redemption.redemption_price, 407056000000);
  EXPECT_EQ(M().redemption.ratio, 1071200000000000000);
  EXPECT_EQ(M().redemption.ratio_source, 0u);
  EXPECT_TRUE(M().redemption.has_market);
  // One venue dumps 88% for a long time: the mark stays at the redemption value.
  for (int s = 1; s < 300; ++s) Second(s, "430", "4071", "4070.5", "4070");
  EXPECT_EQ(M().price, 407056000000);
  EXPECT_EQ(M().redemption.discount_venues, 1);
  EXPECT_FALSE(M().redemption.depeg);
  EXPECT_EQ(h.Source(M(), "a").exclusion, Exclusion::kRedemptionPriced);
  EXPECT_LT(h.Source(M(), "a").deviation_bps, -8000);
}

TEST_F(RedemptionTest, BroadAndPersistentDiscountDeclaresDepegAndFollowsTheMarket) {
  Rate(At(0), "1.0712");
  Second(0, "4070", "4071", "4070.5", "4070");
  // Three of four venues 10% below from t=1: broad. Depeg after 60 s, not before.
  for (int s = 1; s <= 55; ++s) Second(s, "3660", "3661", "3662", "4070");
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kRedemption);
  EXPECT_EQ(M().redemption.discount_venues, 3);
  EXPECT_NE(M().redemption.discount_since, 0);
  for (int s = 56; s <= 70; ++s) Second(s, "3660", "3661", "3662", "4070");
  EXPECT_TRUE(M().redemption.depeg);
  EXPECT_TRUE(M().flags & kFlagDepeg);
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kMarket);
  EXPECT_EQ(M().reason, StatusReason::kDepegFollowingMarket);
  EXPECT_LT(M().price, 370000000000);
  // The discount closes: back to the redemption value at once.
  for (int s = 71; s <= 75; ++s) Second(s, "4070", "4071", "4070.5", "4070");
  EXPECT_FALSE(M().redemption.depeg);
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kRedemption);
}

TEST_F(RedemptionTest, RatioOutsideBoundsIsRejectedAndCounted) {
  EXPECT_EQ(Rate(At(0), "20"), ApplyResult::kRejectedOutOfRange);
  EXPECT_EQ(Rate(At(0), "0.1"), ApplyResult::kRejectedOutOfRange);
  EXPECT_EQ(h.engine().totals().rates_rejected, 2u);
  Second(0, "4070", "4071", "4070.5", "4070");
  EXPECT_FALSE(M().redemption.has_ratio);
}

TEST_F(RedemptionTest, GrowthAboveTheCapIsCappedAndFlagged) {
  Rate(At(0), "1.0");  // the first ratio is the snapshot; 15%/year cap
  Second(0, "3800", "3800", "3800", "3800");
  EXPECT_FALSE(M().flags & kFlagRatioCapped);
  Rate(At(1), "1.5");  // +50% a second later: far above the cap
  Second(1, "3800", "3800", "3800", "3800");
  EXPECT_TRUE(M().flags & kFlagRatioCapped);
  EXPECT_EQ(M().redemption.raw_ratio, 1500000000000000000);
  EXPECT_LT(M().redemption.ratio, 1000000100000000000);  // 1 + 0.15 * 1.5 s / year
  EXPECT_LT(M().price, 380001000000);
}

TEST_F(RedemptionTest, AFallInTheRatioPassesThroughFlagged) {
  Rate(At(0), "1.0712");
  Second(0, "4070", "4071", "4070.5", "4070");
  Rate(At(1), "0.9641");  // slashing
  Second(1, "4070", "4071", "4070.5", "4070");
  EXPECT_TRUE(M().flags & kFlagRatioDecreased);
  EXPECT_EQ(M().redemption.ratio, 964100000000000000);
  EXPECT_EQ(M().price, 366358000000);  // 3800 x 0.9641
}

TEST_F(RedemptionTest, MedianOfFreshSourcesAndOldRatiosExpire) {
  Rate(At(0), "1.0712", 0);
  Rate(At(0), "1.0713", 1);
  Rate(At(0), "1.9000", 2);  // one endpoint wrong: the median ignores it
  Second(0, "4070", "4071", "4070.5", "4070");
  EXPECT_EQ(M().redemption.ratio_sources, 3);
  EXPECT_EQ(M().redemption.ratio, 1071300000000000000);
  EXPECT_EQ(M().redemption.ratio_source, 1u);
  // No provider answers for longer than max_ratio_age (600 s): no redemption value.
  Second(599, "4070", "4071", "4070.5", "4070");
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kRedemption);
  Second(601, "4070", "4071", "4070.5", "4070");
  EXPECT_FALSE(M().redemption.has_redemption);
  EXPECT_TRUE(M().redemption.has_ratio);  // shown, with its age
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kMarket);
  EXPECT_EQ(M().reason, StatusReason::kRedemptionUnavailableMarket);
  EXPECT_EQ(M().status, MarkStatus::kDegraded);
}

TEST_F(RedemptionTest, NothingAtAllKeepsTheLastGoodPriceStale) {
  Rate(At(0), "1.0712");
  Second(0, "4070", "4071", "4070.5", "4070");
  const int64_t good = M().price;
  h.Timer(At(700));  // ratio and every venue too old
  EXPECT_EQ(M().status, MarkStatus::kStale);
  EXPECT_EQ(M().price, good);
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kNone);
}

class LowerOfTest : public RedemptionTest {
 protected:
  LowerOfTest() : RedemptionTest("REDEMPTION_POLICY_LOWER_OF") {}
};

TEST_F(LowerOfTest, TakesTheLowerOfRedemptionAndMarket) {
  Rate(At(0), "1.0712");
  Second(0, "4000", "4000", "4000", "4000");  // market below redemption (4070.56)
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kMarket);
  EXPECT_EQ(M().reason, StatusReason::kLowerOfTwo);
  EXPECT_EQ(M().price, 400000000000);
  Second(1, "4100", "4100", "4100", "4100");
  Second(2, "4100", "4100", "4100", "4100");
  EXPECT_EQ(M().redemption.choice, RedemptionChoice::kRedemption);
  EXPECT_EQ(M().price, 407056000000);
}

class GuardConfigTest : public ::testing::Test {};

TEST_F(GuardConfigTest, BadGuardsAreListedWithTheirPaths) {
  auto c = ParseConfigText(
      ConfigWith("REDEMPTION_POLICY_LOWER_OF",
                 R"pb(min_ratio: "2"
                      max_ratio: "12"
                      snapshot_ratio: "x"
                      max_yearly_growth_bps: 200000)pb") +
          R"pb(rate_providers { name: "Bad Name" pair: "ETH-BTC" constant: "-1" })pb",
      "<t>");
  ASSERT_FALSE(c.ok());
  const std::string msg(c.status().message());
  for (const char* want : {"instruments[1].redemption.max_ratio: \"12\": must be at most 9",
                           "instruments[1].redemption.snapshot_ratio: \"x\": not a decimal",
                           "instruments[1].redemption.snapshot_time",
                           "instruments[1].redemption.max_yearly_growth_bps: 200000",
                           "rate_providers[3].name: \"Bad Name\"",
                           "rate_providers[3].pair: \"ETH-BTC\": no redemption-priced instrument",
                           "rate_providers[3].constant: \"-1\": must be positive"}) {
    EXPECT_NE(msg.find(want), std::string::npos) << want << "\n" << msg;
  }
}

}  // namespace
}  // namespace oracle
