// Manipulation resistance: what a minority of venues can and cannot do to the mark, with the
// default methodology (30 s TWAP, 5 s staleness, quorum 3, 33% weight cap, 100 ms cadence).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "test_util/engine_harness.h"

namespace oracle {
namespace {

using testing::At;
using testing::EngineHarness;

std::string FiveVenueConfig(const std::vector<int>& weights) {
  std::string s = R"pb(
    core { publish_interval_ms: 100 }
    defaults {
      twap_window_ms: 30000
      twap_bucket_ms: 1000
      quote_max_age_ms: 5000
      trade_max_age_ms: 5000
      max_future_ms: 1000
      min_venues: 3
      weight_cap_bps: 3300
      outlier_threshold_bps: 200
      jump_limit_bps: 1000
      jump_lookback_ms: 30000
      max_spread_bps: 500
      publish_deviation_bps: 50
      min_early_publish_gap_ms: 10
    }
  )pb";
  for (size_t v = 0; v < weights.size(); ++v)
    s += "venues { name: \"v" + std::to_string(v) + "\" }\n";
  s += "instruments { name: \"USDE-USD\"\n";
  for (size_t v = 0; v < weights.size(); ++v) {
    s += "  sources { venue: \"v" + std::to_string(v) +
         "\" pair: \"USDE-USD\" weight: " + std::to_string(weights[v]) + " }\n";
  }
  s += "}\n";
  return s;
}

std::string Price(double p) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.8f", p);
  return buf;
}

// What an attacking venue does during one episode.
enum class Attack { kHonest, kDump, kPump, kAnyPrice, kSilent, kStealth };

struct Simulation {
  std::vector<int> weights;
  std::vector<bool> attacker;
  uint64_t seed;
  int seconds;
};

struct Outcome {
  uint64_t marks_checked = 0;
  uint64_t violations = 0;
  uint64_t not_ok = 0;
  std::string first_violation;
};

// Honest venues quote 1.000 +- 0.002 every ~0.5 s. Attackers switch between attacks in episodes
// of 1 s to 10 min. Every published mark in which the honest venues hold more than half the used
// weight must lie within the honest venues' range of prices.
Outcome Simulate(const Simulation& sim) {
  EngineHarness h(FiveVenueConfig(sim.weights));
  std::mt19937_64 rng(sim.seed);
  const int n = static_cast<int>(sim.weights.size());
  const double lo = 0.998, hi = 1.002;
  std::vector<Attack> mode(n, Attack::kHonest);
  std::vector<double> episode_end(n, 0), attack_price(n, 1.0);
  std::vector<double> next_quote(n, 0);
  // Everyone quotes at t = 0, then every 0.2-0.8 s.
  Outcome out;
  size_t seen = 0;
  for (int step = 0; step <= sim.seconds * 10; ++step) {
    const double t = step * 0.1;
    for (int v = 0; v < n; ++v) {
      if (sim.attacker[v] && t >= episode_end[v]) {
        mode[v] = static_cast<Attack>(rng() % 6);
        episode_end[v] = t + std::exp(std::uniform_real_distribution<>(0, std::log(600))(rng));
        switch (mode[v]) {
          case Attack::kDump:
            attack_price[v] = 0.65;
            break;
          case Attack::kPump:
            attack_price[v] = 1.35;
            break;
          case Attack::kAnyPrice:
            attack_price[v] =
                std::exp(std::uniform_real_distribution<>(std::log(1e-4), std::log(1e4))(rng));
            break;
          case Attack::kStealth:
            attack_price[v] = hi + 0.0005;
            break;  // just outside, inside band
          default:
            attack_price[v] = 1.0;
            break;
        }
      }
      while (next_quote[v] <= t) {
        const double qt = next_quote[v];
        next_quote[v] += std::uniform_real_distribution<>(0.2, 0.8)(rng);
        if (sim.attacker[v] && mode[v] == Attack::kSilent) continue;
        double p = (sim.attacker[v] && mode[v] != Attack::kHonest)
                       ? attack_price[v]
                       : std::uniform_real_distribution<>(lo + 1e-4, hi - 1e-4)(rng);
        double half = (sim.attacker[v] && mode[v] != Attack::kHonest) ? p * 0.001 : 1e-4;
        h.Quote(At(qt), "v" + std::to_string(v), "USDE-USD", Price(p - half), Price(p + half));
      }
    }
    h.Timer(At(t));
    for (; seen < h.published.size(); ++seen) {
      const Mark& m = h.published[seen];
      if (!m.has_price || m.status == MarkStatus::kStale) continue;
      uint64_t honest_ppm = 0, used_ppm = 0;
      for (int v = 0; v < n; ++v) {
        const SourceContribution& c = m.sources[v];
        if (c.exclusion != Exclusion::kNone) continue;
        used_ppm += c.weight_ppm;
        if (!sim.attacker[v]) honest_ppm += c.weight_ppm;
      }
      if (honest_ppm * 2 <= used_ppm) continue;  // attackers hold half or more: no claim
      ++out.marks_checked;
      if (m.status != MarkStatus::kOk) ++out.not_ok;
      const double price = EngineHarness::Value(m.price, m.exponent);
      if (price < lo || price > hi) {
        if (out.violations++ == 0) {
          out.first_violation = "t=" + std::to_string(t) + " price " + std::to_string(price);
        }
      }
    }
  }
  return out;
}

TEST(Manipulation, AnyOneOrTwoOfFiveEqualVenuesCannotMoveTheMarkOutOfTheHonestRange) {
  std::mt19937_64 pick(7);
  uint64_t checked = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    Simulation sim{{1, 1, 1, 1, 1}, std::vector<bool>(5, false), seed, 900};
    const int attackers = 1 + static_cast<int>(seed % 2);
    for (int k = 0; k < attackers;) {
      int v = static_cast<int>(pick() % 5);
      if (!sim.attacker[v]) sim.attacker[v] = true, ++k;
    }
    Outcome o = Simulate(sim);
    EXPECT_EQ(o.violations, 0u) << "seed " << seed << ": " << o.first_violation;
    // Three honest venues always agree: the quorum holds whatever the attackers do.
    EXPECT_EQ(o.not_ok, 0u) << "seed " << seed;
    checked += o.marks_checked;
  }
  EXPECT_GT(checked, 60u * 8000);  // nearly every mark was an honest-majority mark
}

TEST(Manipulation, AnyVenueSetUnderHalfTheWeightCannotMoveTheMark) {
  std::mt19937_64 pick(11);
  uint64_t checked = 0;
  for (uint64_t seed = 100; seed < 140; ++seed) {
    const int n = 5 + static_cast<int>(pick() % 4);
    std::vector<int> weights(n);
    for (auto& w : weights) w = 1 + static_cast<int>(pick() % 3);
    std::vector<bool> attacker(n, false);
    for (int v = 0; v < n; ++v) attacker[v] = pick() % 3 == 0;
    Outcome o = Simulate(Simulation{weights, attacker, seed, 600});
    EXPECT_EQ(o.violations, 0u) << "seed " << seed << ": " << o.first_violation;
    checked += o.marks_checked;
  }
  EXPECT_GT(checked, 40u * 1000);
}

TEST(Manipulation, AStaleVenueIsExcludedAndItsLastPriceIgnored) {
  EngineHarness h(FiveVenueConfig({1, 1, 1, 1, 1}));
  for (int s = 0; s <= 60; ++s) {
    for (int v = 0; v < 5; ++v) {
      // v4 dumps to 0.65 once at 20 s and then falls silent, its last word a wild price.
      if (v == 4 && s > 20) continue;
      const char* bid = (v == 4 && s == 20) ? "0.6500" : "0.9999";
      const char* ask = (v == 4 && s == 20) ? "0.6510" : "1.0001";
      h.Quote(At(s), "v" + std::to_string(v), "USDE-USD", bid, ask);
    }
    h.Timer(At(s + 0.5));
  }
  const Mark& m = h.Latest("USDE-USD");
  EXPECT_EQ(h.Source(m, "v4").exclusion, Exclusion::kStale);
  EXPECT_EQ(h.Source(m, "v4").weight_ppm, 0u);
  EXPECT_EQ(m.venues_used, 4);
  EXPECT_EQ(m.status, MarkStatus::kOk);
  EXPECT_DOUBLE_EQ(h.Price(m), 1.0);
}

TEST(Manipulation, LosingVenuesDegradesThenStalesAndSaysSo) {
  EngineHarness h(FiveVenueConfig({1, 1, 1, 1, 1}));
  // Venue v stops quoting at 10 s * (v + 1): 5 venues, then 4, 3, 2, 1, 0.
  std::vector<MarkStatus> status_at;
  std::vector<int> used_at;
  for (int step = 0; step <= 700; ++step) {
    const double t = step * 0.1;
    if (step % 10 == 0) {
      for (int v = 0; v < 5; ++v) {
        if (t < 10.0 * (v + 1))
          h.Quote(At(t), "v" + std::to_string(v), "USDE-USD", "0.9999", "1.0001");
      }
    }
    h.Timer(At(t));
    if (step % 100 == 55) {  // 5.5 s, 15.5 s, ...: past each venue's 5 s staleness
      status_at.push_back(h.Latest("USDE-USD").status);
      used_at.push_back(h.Latest("USDE-USD").venues_used);
    }
  }
  EXPECT_EQ(used_at, (std::vector<int>{5, 4, 3, 2, 1, 0, 0}));
  EXPECT_EQ(status_at, (std::vector<MarkStatus>{MarkStatus::kOk, MarkStatus::kOk, MarkStatus::kOk,
                                                MarkStatus::kDegraded, MarkStatus::kDegraded,
                                                MarkStatus::kStale, MarkStatus::kStale}));
  const Mark& m = h.Latest("USDE-USD");
  EXPECT_TRUE(m.has_price);               // the last good price, labelled STALE with its time
  EXPECT_EQ(m.last_good_time, At(53.9));  // v4's last quote (49 s) was fresh until 54 s
  EXPECT_EQ(m.publish_time, At(70));
  // Never silent: a mark on every one of the 701 timers.
  EXPECT_EQ(h.published.size(), 701u);
}

}  // namespace
}  // namespace oracle
