#include "oracle/aggregation/weighted_median.h"

#include "oracle/core/decimal.h"

namespace oracle {

void SortByValue(WeightedValue* items, int n) noexcept {
  for (int i = 1; i < n; ++i) {
    WeightedValue x = items[i];
    int j = i - 1;
    while (j >= 0 && items[j].value > x.value) {
      items[j + 1] = items[j];
      --j;
    }
    items[j + 1] = x;
  }
}

int64_t WeightedMedianSorted(const WeightedValue* items, int n) noexcept {
  unsigned __int128 total = 0;
  for (int i = 0; i < n; ++i) total += items[i].weight;
  // Compare 2*cumulative with total to stay in integers.
  unsigned __int128 cum = 0;
  for (int i = 0; i < n; ++i) {
    cum += items[i].weight;
    unsigned __int128 twice = cum * 2;
    if (twice > total) return items[i].value;
    if (twice == total) {
      // Exactly half: average with the next distinct position (the next item).
      if (i + 1 < n) {
        int128 sum = static_cast<int128>(items[i].value) + items[i + 1].value;
        return static_cast<int64_t>(DivRoundHalfEven(sum, 2));
      }
      return items[i].value;
    }
  }
  return items[n - 1].value;
}

int64_t WeightedPercentileSorted(const WeightedValue* items, int n, uint64_t q_num,
                                 uint64_t q_den) noexcept {
  unsigned __int128 total = 0;
  for (int i = 0; i < n; ++i) total += items[i].weight;
  unsigned __int128 target = total * q_num;  // compare cum * q_den >= total * q_num
  unsigned __int128 cum = 0;
  for (int i = 0; i < n; ++i) {
    cum += items[i].weight;
    if (cum * q_den >= target) return items[i].value;
  }
  return items[n - 1].value;
}

void CapWeights(const uint64_t* tiers, int n, uint32_t cap_bps, uint64_t* out) noexcept {
  constexpr int kShift = 20;
  bool capped[64] = {};
  for (int i = 0; i < n; ++i) out[i] = tiers[i] << kShift;
  if (n <= 1 || cap_bps >= 10000) return;
  for (int round = 0; round < n; ++round) {
    unsigned __int128 total = 0;
    for (int i = 0; i < n; ++i) total += out[i];
    bool changed = false;
    for (int i = 0; i < n; ++i) {
      // Over the cap (with a small tolerance for the rounding of earlier rounds)?
      if (!capped[i] && static_cast<unsigned __int128>(out[i]) * 10000 > total * cap_bps) {
        capped[i] = true;
        changed = true;
      }
    }
    if (!changed) return;
    int k = 0;
    unsigned __int128 uncapped = 0;
    for (int i = 0; i < n; ++i) {
      if (capped[i]) {
        ++k;
      } else {
        uncapped += out[i];
      }
    }
    if (uncapped == 0 || static_cast<uint64_t>(k) * cap_bps >= 10000) {
      // Infeasible or everything capped: equal weights.
      for (int i = 0; i < n; ++i) out[i] = uint64_t{1} << kShift;
      return;
    }
    // x = c * U / (1 - k c) with c = cap_bps / 10000.
    unsigned __int128 x = uncapped * cap_bps / (10000 - static_cast<uint64_t>(k) * cap_bps);
    for (int i = 0; i < n; ++i) {
      if (capped[i]) out[i] = static_cast<uint64_t>(x);
    }
  }
}

}  // namespace oracle
