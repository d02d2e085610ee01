// Weighted order statistics over a handful of venues: the kernels behind the cross-venue mark.
#ifndef ORACLE_AGGREGATION_WEIGHTED_MEDIAN_H_
#define ORACLE_AGGREGATION_WEIGHTED_MEDIAN_H_

#include <cstdint>

namespace oracle {

// One value with its (positive) weight.
struct WeightedValue {
  int64_t value;
  uint64_t weight;
};

// Sorts `items` by value in place: insertion sort, stable, O(n^2) for the n <= 64 it is used on
// (faster than std::sort at that size, and deterministic). No allocation.
void SortByValue(WeightedValue* items, int n) noexcept;

// Weighted median of items already sorted by value (n >= 1, total weight > 0).
// Returns the smallest value whose cumulative weight reaches half the total; when the cumulative
// weight equals exactly half at a value, returns the mean of it and the next value, rounded half
// to even. Consequence: a set of items holding less than half the weight cannot move the result
// outside the range of the other items. O(n), no allocation.
int64_t WeightedMedianSorted(const WeightedValue* items, int n) noexcept;

// Weighted percentile of sorted items: the smallest value whose cumulative weight reaches
// q_num/q_den of the total (0 < q_num <= q_den). O(n), no allocation.
int64_t WeightedPercentileSorted(const WeightedValue* items, int n, uint64_t q_num,
                                 uint64_t q_den) noexcept;

// Caps weights so that none exceeds cap_bps/10000 of the total (water filling: capped weights are
// set to exactly the cap share of the new total, repeated until stable). When the cap cannot be met
// (n * cap < 100%), all weights become equal, the closest feasible answer. Inputs are raw tiers,
// outputs are in the same units scaled by 2^20 (rounded down). O(n^2) worst case, no allocation.
void CapWeights(const uint64_t* tiers, int n, uint32_t cap_bps, uint64_t* out) noexcept;

}  // namespace oracle

#endif  // ORACLE_AGGREGATION_WEIGHTED_MEDIAN_H_
