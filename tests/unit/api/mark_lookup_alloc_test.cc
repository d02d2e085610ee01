// A read that succeeds makes no heap allocation: MarkLookup::Read and ReadBatchEntry with max_age
// and max_confidence_bps build no string unless they refuse. This binary replaces the global
// operator new to count allocations (so it is its own test executable).
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "oracle/api/mark_lookup.h"
#include "test_util/engine_harness.h"

namespace {
thread_local uint64_t t_allocations = 0;
}  // namespace

void* operator new(size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace oracle {
namespace {

using testing::At;

constexpr char kConfig[] = R"pb(
  defaults { twap_window_ms: 1000 twap_bucket_ms: 100 jump_lookback_ms: 1000 min_venues: 1 }
  venues { name: "a" }
  instruments {
    name: "ETH-USD"
    sources { venue: "a" pair: "ETH-USD" }
  }
)pb";

TEST(MarkLookupAllocations, ASuccessfulReadWithLimitsMakesNoAllocation) {
  testing::EngineHarness h{kConfig};
  MarkLookup lookup{h.config(), &h.table()};
  h.Quote(At(0), "a", "ETH-USD", "3800", "3838");  // about 50 bps wide
  h.Timer(At(1));
  Mark m;
  const ReadLimits generous{.max_age_ns = 10 * kNanosPerSecond, .max_confidence_bps = 1000};
  ASSERT_FALSE(lookup.Read("ETH-USD", generous, At(2), &m));  // warm-up

  const uint64_t before = t_allocations;
  for (int i = 0; i < 1000; ++i) {
    if (lookup.Read("ETH-USD", generous, At(2), &m)) FAIL() << "refused";
    if (lookup.ReadBatchEntry(i, "ETH-USD", generous, At(2), &m)) FAIL() << "refused";
  }
  EXPECT_EQ(t_allocations - before, 0u);

  // The counter does count: a refusal builds its message and metadata.
  const uint64_t refused_before = t_allocations;
  EXPECT_TRUE(lookup.Read("ETH-USD", ReadLimits{.max_confidence_bps = 1}, At(2), &m));
  EXPECT_GT(t_allocations - refused_before, 0u);
}

}  // namespace
}  // namespace oracle
