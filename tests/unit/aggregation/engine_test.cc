#include "oracle/aggregation/engine.h"

#include <gtest/gtest.h>

#include "test_util/engine_harness.h"

namespace oracle {
namespace {

using testing::At;
using testing::EngineHarness;

// Five venues; 1 s TWAP in 100 ms buckets so tests move quickly; min 3 venues.
constexpr char kConfig[] = R"pb(
  core { publish_interval_ms: 100 }
  defaults {
    twap_window_ms: 1000
    twap_bucket_ms: 100
    quote_max_age_ms: 5000
    trade_max_age_ms: 5000
    max_future_ms: 1000
    min_venues: 3
    weight_cap_bps: 3300
    outlier_threshold_bps: 200
    jump_limit_bps: 1000
    jump_lookback_ms: 1000
    max_spread_bps: 500
    publish_deviation_bps: 50
    min_early_publish_gap_ms: 10
  }
  venues { name: "a" }
  venues { name: "b" }
  venues { name: "c" }
  venues { name: "d" }
  venues { name: "e" }
  instruments {
    name: "USDT-USD"
    sources { venue: "a" pair: "USDT-USD" }
    sources { venue: "b" pair: "USDT-USD" }
    sources { venue: "c" pair: "USDT-USD" }
  }
  instruments {
    name: "ETH-USD"
    price_exponent: -4
    sources { venue: "a" pair: "ETH-USD" }
    sources { venue: "b" pair: "ETH-USD" }
    sources { venue: "c" pair: "ETH-USD" }
    sources { venue: "d" pair: "ETH-USDT" convert_via: "USDT-USD" }
    sources { venue: "e" pair: "ETH-USDT" convert_via: "USDT-USD" }
  }
  instruments {
    name: "WBETH-USD"
    redemption { underlying: "ETH-USD" ratio_pair: "WBETH-ETH" }
    sources { venue: "a" pair: "WBETH-USD" }
  }
)pb";

class EngineTest : public ::testing::Test {
 protected:
  EngineHarness h{kConfig};

  // Quotes ETH on a, b, c (USD) at the given mids with a 0.2 spread, at time t.
  void EthUsd(TimeNs t, const char* a, const char* b, const char* c) {
    h.Quote(t, "a", "ETH-USD", a, Plus(a, 0.2));
    h.Quote(t, "b", "ETH-USD", b, Plus(b, 0.2));
    h.Quote(t, "c", "ETH-USD", c, Plus(c, 0.2));
  }
  static std::string Plus(const char* v, double d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", std::strtod(v, nullptr) + d);
    return buf;
  }
};

TEST_F(EngineTest, MarkIsTheMedianOfVenueTwapsWithProvenance) {
  EthUsd(At(0), "3800.0", "3801.0", "3799.0");
  h.Timer(At(0.5));
  const Mark& m = h.Latest("ETH-USD");
  EXPECT_EQ(m.status, MarkStatus::kOk);
  EXPECT_EQ(m.reason, StatusReason::kQuorumMet);
  EXPECT_EQ(m.venues_used, 3);
  EXPECT_DOUBLE_EQ(h.Price(m), 3800.1);  // mids 3800.1, 3801.1, 3799.1
  EXPECT_EQ(m.sequence, 1u);
  EXPECT_EQ(m.publish_time, At(0.5));
  EXPECT_EQ(h.Source(m, "a").exclusion, Exclusion::kNone);
  EXPECT_EQ(h.Source(m, "d").exclusion, Exclusion::kNoData);
  EXPECT_EQ(h.Source(m, "a").age_ns, 500 * kNanosPerMilli);
  EXPECT_GT(m.confidence, 0);
  // Equal weights, three used venues: each a third.
  EXPECT_EQ(h.Source(m, "b").weight_ppm, 333333u);
}

TEST_F(EngineTest, TwapWeighsTimeSoABriefSpikeBarelyMovesAVenue) {
  EthUsd(At(0), "3800.0", "3800.0", "3800.0");
  h.Quote(At(0.9), "a", "ETH-USD", "4800.0", "4800.2");  // 100 ms spike on one venue
  h.Quote(At(1.0), "a", "ETH-USD", "3800.0", "3800.2");
  h.Timer(At(1.0));
  const Mark& m = h.Latest("ETH-USD");
  // Venue a's TWAP over [0, 1 s]: 0.9 s at 3800.1 and 0.1 s at 4800.1 = 3900.1.
  EXPECT_DOUBLE_EQ(testing::EngineHarness::Value(h.Source(m, "a").price, m.exponent), 3900.1);
  EXPECT_DOUBLE_EQ(h.Price(m), 3800.1);
  EXPECT_TRUE(h.Source(m, "a").outlier);
  EXPECT_TRUE(m.flags & kFlagOutliersPresent);
}

TEST_F(EngineTest, ExcludesQuotesOlderThanMaxAgeAndFallsBackToFreshTrades) {
  EthUsd(At(0), "3800.0", "3801.0", "3799.0");
  h.Trade(At(4), "a", "ETH-USD", "3802.0");
  h.Quote(At(4), "b", "ETH-USD", "3801.0", "3801.2");
  h.Quote(At(4), "c", "ETH-USD", "3799.0", "3799.2");
  h.Timer(At(6));  // a's quote (t=0) is 6 s old: its trade (t=4) is fresh
  const Mark& m = h.Latest("ETH-USD");
  EXPECT_EQ(h.Source(m, "a").exclusion, Exclusion::kNone);
  EXPECT_EQ(m.venues_used, 3);
  h.Timer(At(9.5));  // now the trade is 5.5 s old as well
  const Mark& later = h.Latest("ETH-USD");
  EXPECT_EQ(h.Source(later, "a").exclusion, Exclusion::kStale);
  EXPECT_EQ(h.Source(later, "a").age_ns, 5500 * kNanosPerMilli);
  EXPECT_EQ(later.venues_used, 0);  // b and c (t=4) are stale too
  EXPECT_EQ(later.status, MarkStatus::kStale);
}

TEST_F(EngineTest, LosingVenuesDegradesThenStalesAndNeverGoesSilent) {
  EthUsd(At(0), "3800.0", "3801.0", "3799.0");
  h.Timer(At(1));
  EXPECT_EQ(h.Latest("ETH-USD").status, MarkStatus::kOk);
  // Only a keeps quoting.
  for (int s = 1; s <= 6; ++s) h.Quote(At(s), "a", "ETH-USD", "3800.0", "3800.2");
  h.Timer(At(6));
  const Mark& degraded = h.Latest("ETH-USD");
  EXPECT_EQ(degraded.status, MarkStatus::kDegraded);
  EXPECT_EQ(degraded.reason, StatusReason::kBelowQuorum);
  EXPECT_EQ(degraded.venues_used, 1);
  EXPECT_EQ(h.Source(degraded, "b").exclusion, Exclusion::kStale);
  // Then a goes quiet too.
  for (int s = 7; s <= 12; ++s) h.Quote(At(s), "a", "ETH-USD", "3800.0", "3800.2");
  h.Timer(At(18));
  const Mark& stale = h.Latest("ETH-USD");
  EXPECT_EQ(stale.status, MarkStatus::kStale);
  EXPECT_EQ(stale.reason, StatusReason::kNoFreshVenues);
  EXPECT_TRUE(stale.has_price);
  EXPECT_DOUBLE_EQ(h.Price(stale), 3800.1);
  EXPECT_EQ(stale.last_good_time, At(6));  // the last mark computed from a fresh venue
  EXPECT_EQ(stale.publish_time, At(18));   // still published, saying it is stale
  // A mark is published on every timer, whatever the status.
  size_t eth = 0;
  for (const auto& m : h.published) eth += m.instrument == h.Instrument("ETH-USD");
  EXPECT_EQ(eth, 3u);
}

TEST_F(EngineTest, RejectsBadTicksAndKeepsWhatWasAccepted) {
  EthUsd(At(0), "3800.0", "3801.0", "3799.0");
  EXPECT_EQ(h.Quote(At(0.1), "a", "ETH-USD", "3900.0", "3800.0"),
            ApplyResult::kRejectedCrossedBook);
  EXPECT_EQ(h.Quote(At(0.1), "a", "ETH-USD", "0", "3800.0"), ApplyResult::kRejectedNonPositive);
  EXPECT_EQ(h.Trade(At(0.1), "a", "ETH-USD", "-5"), ApplyResult::kRejectedNonPositive);
  EXPECT_EQ(h.QuoteAt(At(2.5), At(0.2), "a", "ETH-USD", "1.0", "1.1"),
            ApplyResult::kRejectedFutureTimestamp);
  EXPECT_EQ(h.Quote(At(0.2), "a", "ETH-USD", "1e30", "2e30"), ApplyResult::kRejectedOutOfRange);
  Event unknown = Event::Quote(9999, At(0.2), At(0.2), Decimal{1, 0}, Decimal{2, 0});
  EXPECT_EQ(h.engine().Apply(unknown), ApplyResult::kRejectedUnknownFeed);
  // Out of order: older than a's newest quote.
  EXPECT_EQ(h.QuoteAt(At(-1), At(0.3), "a", "ETH-USD", "1.0", "1.1"),
            ApplyResult::kIgnoredOutOfOrder);
  h.Timer(At(0.5));
  const Mark& m = h.Latest("ETH-USD");
  EXPECT_DOUBLE_EQ(h.Price(m), 3800.1);
  EXPECT_DOUBLE_EQ(testing::EngineHarness::Value(h.Source(m, "a").price, m.exponent), 3800.1);
  EngineTotals t = h.engine().totals();
  EXPECT_EQ(t.rejected_crossed, 1u);
  EXPECT_EQ(t.rejected_non_positive, 2u);
  EXPECT_EQ(t.rejected_future, 1u);
  EXPECT_EQ(t.rejected_out_of_range, 1u);
  EXPECT_EQ(t.rejected_unknown_feed, 1u);
  EXPECT_EQ(t.ignored_out_of_order, 1u);
  EXPECT_EQ(h.engine().venue_counters(0).rejected.load(), 5u);
}

TEST_F(EngineTest, ConvertsUsdtQuotedSourcesThroughTheUsdtMark) {
  for (const char* v : {"a", "b", "c"}) h.Quote(At(0), v, "USDT-USD", "1.0009", "1.0011");
  h.Quote(At(0), "d", "ETH-USDT", "3800.0", "3800.2");
  h.Quote(At(0), "e", "ETH-USDT", "3800.0", "3800.2");
  h.Timer(At(0.1));  // USDT-USD is evaluated first in the same cycle
  const Mark& m = h.Latest("ETH-USD");
  const SourceContribution& d = h.Source(m, "d");
  EXPECT_EQ(d.exclusion, Exclusion::kNone);
  EXPECT_TRUE(d.converted);
  EXPECT_DOUBLE_EQ(testing::EngineHarness::Value(d.native_price, m.exponent), 3800.1);
  EXPECT_DOUBLE_EQ(testing::EngineHarness::Value(d.price, m.exponent), 3803.9001);  // x 1.0010
  EXPECT_TRUE(m.flags & kFlagQuoteConverted);
}

TEST_F(EngineTest, ExcludesConvertedSourcesWhenTheRateHasNoUsableMark) {
  h.Quote(At(0), "d", "ETH-USDT", "3800.0", "3800.2");
  h.Timer(At(0.1));
  const Mark& m = h.Latest("ETH-USD");
  EXPECT_EQ(h.Source(m, "d").exclusion, Exclusion::kConversionUnavailable);
  EXPECT_EQ(m.status, MarkStatus::kUnavailable);
  EXPECT_EQ(m.reason, StatusReason::kNoDataYet);
  EXPECT_FALSE(m.has_price);
}

TEST_F(EngineTest, WideSpreadQuoteIsNotAPrice) {
  EthUsd(At(0), "3800.0", "3801.0", "3799.0");
  h.Quote(At(0.2), "a", "ETH-USD", "3000.0", "4000.0");  // 28% wide
  h.Timer(At(0.5));
  const Mark& m = h.Latest("ETH-USD");
  EXPECT_EQ(h.Source(m, "a").exclusion, Exclusion::kSpreadTooWide);
  EXPECT_EQ(m.venues_used, 2);
  EXPECT_EQ(m.status, MarkStatus::kDegraded);
}

TEST_F(EngineTest, CapsAHeavyVenueAtAThirdOfTheWeight) {
  EngineHarness heavy(R"pb(
    defaults {
      twap_window_ms: 1000
      twap_bucket_ms: 100
      jump_lookback_ms: 1000
      weight_cap_bps: 3300
    }
    venues { name: "a" }
    venues { name: "b" }
    venues { name: "c" }
    venues { name: "d" }
    instruments {
      name: "BTC-USD"
      sources { venue: "a" pair: "BTC-USD" weight: 10 }
      sources { venue: "b" pair: "BTC-USD" weight: 1 }
      sources { venue: "c" pair: "BTC-USD" weight: 1 }
      sources { venue: "d" pair: "BTC-USD" weight: 1 }
    })pb");
  heavy.Quote(At(0), "a", "BTC-USD", "50000", "50001");
  heavy.Quote(At(0), "b", "BTC-USD", "50100", "50101");
  heavy.Quote(At(0), "c", "BTC-USD", "50200", "50201");
  heavy.Quote(At(0), "d", "BTC-USD", "50300", "50301");
  heavy.Timer(At(0.5));
  const Mark& m = heavy.Latest("BTC-USD");
  EXPECT_LE(heavy.Source(m, "a").weight_ppm, 330000u);
  EXPECT_GE(heavy.Source(m, "a").weight_ppm, 329000u);
  // Uncapped, weight 10 of 13 would make a the median by itself; capped, it cannot.
  EXPECT_DOUBLE_EQ(heavy.Price(m), 50100.5);
}

TEST_F(EngineTest, JumpByTooFewVenuesIsFlaggedWithWiderConfidence) {
  for (int i = 0; i <= 20; ++i) {
    EthUsd(At(i * 0.1), "3800.0", "3800.0", "3800.0");
    h.Timer(At(i * 0.1));
  }
  ASSERT_EQ(h.Latest("ETH-USD").flags & kFlagJumpUnconfirmed, 0u);
  // Two of three venues jump 20% at 2.1 s and stay there; the mark (their TWAP) ramps up over the
  // 1 s window. Once it is more than 10% above the confirmed mark of 1 s before, it is flagged.
  for (int i = 21; i <= 30; ++i) {
    EthUsd(At(i * 0.1), "3800.0", "4560.0", "4560.0");
    h.Timer(At(i * 0.1));
  }
  const Mark& m = h.Latest("ETH-USD");
  EXPECT_NEAR(h.Price(m), 4484.1, 1e-9);               // 0.9 s of 4560.1 and 0.1 s of 3800.1
  EXPECT_TRUE(m.flags & kFlagJumpUnconfirmed);         // only two venues confirm it
  EXPECT_GE(h.Confidence(m), 4484.1 - 3800.1 - 1e-9);  // wide enough to cover the move
  EXPECT_EQ(m.status, MarkStatus::kDegraded);          // a is 18% away: only two venues agree
  // The third venue follows: confirmed by a quorum, flag gone, confidence back to the spread.
  for (int i = 31; i <= 50; ++i) {
    EthUsd(At(i * 0.1), "4560.0", "4560.0", "4560.0");
    h.Timer(At(i * 0.1));
  }
  const Mark& after = h.Latest("ETH-USD");
  EXPECT_EQ(after.flags & kFlagJumpUnconfirmed, 0u);
  EXPECT_EQ(after.status, MarkStatus::kOk);
  EXPECT_LT(h.Confidence(after), 1.0);
}

TEST_F(EngineTest, UnconfirmedJumpIsAcceptedOnceItHasHeldForALookback) {
  for (int i = 0; i <= 20; ++i) {
    EthUsd(At(i * 0.1), "3800.0", "3800.0", "3800.0");
    h.Timer(At(i * 0.1));
  }
  int flagged = 0;
  for (int i = 21; i <= 60; ++i) {
    EthUsd(At(i * 0.1), "3800.0", "4560.0", "4560.0");
    h.Timer(At(i * 0.1));
    flagged += (h.Latest("ETH-USD").flags & kFlagJumpUnconfirmed) != 0;
  }
  // Flagged for about one lookback (1 s here), then the recent path has caught up: the level two
  // of three venues have held is the mark, still DEGRADED because only two venues agree.
  EXPECT_GE(flagged, 8);
  EXPECT_LE(flagged, 15);
  const Mark& m = h.Latest("ETH-USD");
  EXPECT_EQ(m.flags & kFlagJumpUnconfirmed, 0u);
  EXPECT_EQ(m.status, MarkStatus::kDegraded);
}

TEST_F(EngineTest, GenuineGradualCrashIsFollowedWithoutJumpFlags) {
  // Every venue falls 25% over two minutes: the mark follows within the TWAP window.
  for (int i = 0; i <= 1500; ++i) {
    double t = i * 0.1;
    double price = 3800.0 * (t < 20 ? 1.0 : (t > 140 ? 0.75 : 1.0 - 0.25 * (t - 20) / 120));
    char p[32];
    std::snprintf(p, sizeof p, "%.2f", price);
    EthUsd(At(t), p, p, p);
    h.Timer(At(t));
    ASSERT_EQ(h.Latest("ETH-USD").flags & kFlagJumpUnconfirmed, 0u) << "t=" << t;
  }
  EXPECT_NEAR(h.Price(h.Latest("ETH-USD")), 2850.1, 0.01);
}

TEST_F(EngineTest, PublishesEarlyWhenTheMarkMovesBetweenTimers) {
  EthUsd(At(0), "3800.0", "3800.0", "3800.0");
  h.Timer(At(0.5));
  size_t before = h.published.size();
  // All venues move 10% at 0.51 s and keep quoting every 10 ms until the next timer.
  for (int i = 51; i < 60; ++i) EthUsd(At(i * 0.01), "4180.0", "4180.0", "4180.0");
  bool early = false;
  for (size_t k = before; k < h.published.size(); ++k) {
    early |= (h.published[k].flags & kFlagEarlyPublish) != 0;
    EXPECT_LT(h.published[k].publish_time, At(0.6));
  }
  EXPECT_TRUE(early);
  EXPECT_GT(h.engine().totals().early_publishes, 0u);
}

TEST_F(EngineTest, RedemptionPricedWithoutAnyRatioFollowsTheMarketDegraded) {
  // kConfig has no rate provider: until a rate event arrives there is no redemption value.
  EthUsd(At(0), "3800.0", "3801.0", "3799.0");
  h.Quote(At(0), "a", "WBETH-USD", "4000", "4001");
  h.Timer(At(0.5));
  const Mark& m = h.Latest("WBETH-USD");
  EXPECT_TRUE(m.redemption.present);
  EXPECT_FALSE(m.redemption.has_ratio);
  EXPECT_EQ(m.redemption.choice, RedemptionChoice::kMarket);
  EXPECT_EQ(m.status, MarkStatus::kDegraded);
  EXPECT_EQ(m.reason, StatusReason::kRedemptionUnavailableMarket);
  EXPECT_EQ(m.price, 400050000000);  // the market: 4000.5 at exponent -8
}

TEST_F(EngineTest, SameEventsGiveTheSameMarks) {
  auto run = [](std::vector<Mark>* out) {
    EngineHarness x{kConfig};
    for (int i = 0; i < 300; ++i) {
      double t = i * 0.037;
      char p[32];
      std::snprintf(p, sizeof p, "%.1f", 3800.0 + (i * 7919) % 23);
      x.Quote(At(t), (i % 3 == 0) ? "a" : (i % 3 == 1 ? "b" : "c"), "ETH-USD", p, "3900.0");
      if (i % 5 == 0) x.Timer(At(t));
    }
    *out = x.published;
  };
  std::vector<Mark> first, second;
  run(&first);
  run(&second);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].price, second[i].price);
    EXPECT_EQ(first[i].confidence, second[i].confidence);
    EXPECT_EQ(first[i].sequence, second[i].sequence);
    EXPECT_EQ(first[i].status, second[i].status);
    EXPECT_EQ(first[i].flags, second[i].flags);
  }
}

// A timer flagged kTimerClockStep (the runner riding out a wall-clock step) flags every mark it
// publishes, redemption-priced ones too; an early publish in between keeps the flag of the mark it
// follows; an unflagged timer clears it. Everything comes from the events: a second engine given
// the same events publishes the same flags.
TEST_F(EngineTest, ClockStepTimersFlagTheirMarksAndAReplayFlagsTheSame) {
  std::vector<Event> events;
  auto apply = [&](const Event& e) {
    events.push_back(e);
    h.engine().Apply(e);
  };
  auto quote = [&](TimeNs t, const char* venue, const char* bid, const char* ask) {
    apply(Event::Quote(h.Feed(venue, "ETH-USD"), t, t, testing::D(bid), testing::D(ask)));
  };
  for (const char* v : {"a", "b", "c"}) quote(At(0), v, "3000", "3000.2");
  apply(Event::Timer(At(0.1)));
  EXPECT_EQ(h.Latest("ETH-USD").flags & kFlagClockStep, 0u);
  apply(Event::Timer(At(0.5), kTimerClockStep, 3 * kNanosPerSecond));
  EXPECT_NE(h.Latest("ETH-USD").flags & kFlagClockStep, 0u);
  EXPECT_NE(h.Latest("WBETH-USD").flags & kFlagClockStep, 0u);
  // Every venue moves 10% and keeps quoting: early publishes between timers, still flagged.
  const size_t before = h.published.size();
  for (int i = 51; i < 60; ++i) {
    for (const char* v : {"a", "b", "c"}) quote(At(i * 0.01), v, "3300", "3300.2");
  }
  int early = 0;
  for (size_t k = before; k < h.published.size(); ++k) {
    if ((h.published[k].flags & kFlagEarlyPublish) == 0) continue;
    ++early;
    EXPECT_NE(h.published[k].flags & kFlagClockStep, 0u) << "early mark " << k;
  }
  EXPECT_GT(early, 0);
  apply(Event::Timer(At(0.6)));
  EXPECT_EQ(h.Latest("ETH-USD").flags & kFlagClockStep, 0u);
  EXPECT_EQ(h.Latest("WBETH-USD").flags & kFlagClockStep, 0u);

  EngineHarness replay{kConfig};
  for (const Event& e : events) replay.engine().Apply(e);
  ASSERT_EQ(replay.published.size(), h.published.size());
  for (size_t k = 0; k < h.published.size(); ++k) {
    EXPECT_EQ(replay.published[k].flags, h.published[k].flags) << "mark " << k;
    EXPECT_EQ(replay.published[k].price, h.published[k].price) << "mark " << k;
  }
}

}  // namespace
}  // namespace oracle
