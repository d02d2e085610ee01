#include "oracle/aggregation/weighted_median.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "oracle/core/decimal.h"

namespace oracle {
namespace {

// Slow, obvious references: expand every value into `weight` copies, sort, pick.
std::vector<int64_t> Expand(const std::vector<WeightedValue>& items) {
  std::vector<int64_t> all;
  for (const auto& it : items) all.insert(all.end(), it.weight, it.value);
  std::sort(all.begin(), all.end());
  return all;
}

int64_t ReferenceMedian(const std::vector<WeightedValue>& items) {
  std::vector<int64_t> all = Expand(items);
  size_t w = all.size();
  if (w % 2 == 1) return all[w / 2];
  return static_cast<int64_t>(
      DivRoundHalfEven(static_cast<int128>(all[w / 2 - 1]) + all[w / 2], 2));
}

int64_t ReferencePercentile(const std::vector<WeightedValue>& items, uint64_t num, uint64_t den) {
  std::vector<int64_t> all = Expand(items);
  size_t pos = static_cast<size_t>((all.size() * num + den - 1) / den);  // ceil, 1-based
  return all[std::max<size_t>(pos, 1) - 1];
}

TEST(WeightedMedian, MatchesExpandAndSortOnRandomInputs) {
  std::mt19937_64 rng(20251010);
  for (int round = 0; round < 20000; ++round) {
    int n = 1 + static_cast<int>(rng() % 12);
    std::vector<WeightedValue> items;
    for (int i = 0; i < n; ++i) {
      // Small value range so ties and exact-half splits happen often.
      int64_t v = static_cast<int64_t>(rng() % 7) * 1000 - 3000 + static_cast<int64_t>(rng() % 3);
      items.push_back(WeightedValue{v, 1 + rng() % 5});
    }
    std::vector<WeightedValue> sorted = items;
    SortByValue(sorted.data(), n);
    ASSERT_TRUE(std::is_sorted(sorted.begin(), sorted.end(),
                               [](auto a, auto b) { return a.value < b.value; }));
    ASSERT_EQ(WeightedMedianSorted(sorted.data(), n), ReferenceMedian(items)) << "round " << round;
    ASSERT_EQ(WeightedPercentileSorted(sorted.data(), n, 1, 4), ReferencePercentile(items, 1, 4));
    ASSERT_EQ(WeightedPercentileSorted(sorted.data(), n, 3, 4), ReferencePercentile(items, 3, 4));
  }
}

TEST(WeightedMedian, OddAndEvenExamples) {
  std::vector<WeightedValue> v = {{100, 1}, {300, 1}, {200, 1}};
  SortByValue(v.data(), 3);
  EXPECT_EQ(WeightedMedianSorted(v.data(), 3), 200);
  std::vector<WeightedValue> even = {{100, 1}, {200, 1}};
  EXPECT_EQ(WeightedMedianSorted(even.data(), 2), 150);
  std::vector<WeightedValue> heavy = {{100, 3}, {200, 1}, {300, 1}};
  EXPECT_EQ(WeightedMedianSorted(heavy.data(), 3), 100);
}

// The property the oracle relies on: items holding less than half the weight cannot pull the
// median outside the range of the others, whatever their values.
TEST(WeightedMedian, MinorityCannotLeaveTheHonestRange) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 20000; ++round) {
    int honest = 1 + static_cast<int>(rng() % 8);
    std::vector<WeightedValue> items;
    uint64_t honest_weight = 0;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int i = 0; i < honest; ++i) {
      int64_t v = 1'000'000 + static_cast<int64_t>(rng() % 2000) - 1000;
      uint64_t w = 1 + rng() % 5;
      items.push_back({v, w});
      honest_weight += w;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    // Attackers: any values, total weight strictly below the honest weight.
    uint64_t budget = honest_weight - 1;
    while (budget > 0 && items.size() < 16) {
      uint64_t w = 1 + rng() % budget;
      int64_t v = static_cast<int64_t>(rng() % 4'000'000'000ULL) - 2'000'000'000LL;
      items.push_back({v, w});
      budget -= w;
      if (rng() % 2) break;
    }
    SortByValue(items.data(), static_cast<int>(items.size()));
    int64_t m = WeightedMedianSorted(items.data(), static_cast<int>(items.size()));
    ASSERT_GE(m, lo);
    ASSERT_LE(m, hi);
  }
}

TEST(CapWeights, NoVenueExceedsTheCap) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 5000; ++round) {
    int n = 3 + static_cast<int>(rng() % 10);
    uint64_t tiers[16];
    for (int i = 0; i < n; ++i) tiers[i] = 1 + rng() % 20;
    uint32_t cap = 3400 + static_cast<uint32_t>(rng() % 3000);
    if (static_cast<uint64_t>(n) * cap < 10000) continue;  // infeasible: tested below
    uint64_t out[16];
    CapWeights(tiers, n, cap, out);
    unsigned __int128 total = 0;
    for (int i = 0; i < n; ++i) total += out[i];
    for (int i = 0; i < n; ++i) {
      ASSERT_LE(static_cast<unsigned __int128>(out[i]) * 10000, total * cap + total)
          << "round " << round << " venue " << i;
      ASSERT_GT(out[i], 0u);
    }
  }
}

TEST(CapWeights, KeepsOrderAndLeavesSmallWeightsProportional) {
  uint64_t tiers[5] = {10, 1, 1, 1, 1};
  uint64_t out[5];
  CapWeights(tiers, 5, 3300, out);
  unsigned __int128 total = 0;
  for (auto w : out) total += w;
  EXPECT_NEAR(static_cast<double>(out[0]) / static_cast<double>(total), 0.33, 0.001);
  EXPECT_EQ(out[1], out[2]);
  EXPECT_GT(out[0], out[1]);
}

TEST(CapWeights, InfeasibleCapGivesEqualWeights) {
  uint64_t tiers[2] = {3, 1};  // two venues cannot each stay under 33%
  uint64_t out[2];
  CapWeights(tiers, 2, 3300, out);
  EXPECT_EQ(out[0], out[1]);
}

}  // namespace
}  // namespace oracle
