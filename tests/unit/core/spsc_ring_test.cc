#include "oracle/core/spsc_ring.h"

#include <gtest/gtest.h>

#include <thread>

#include "oracle/core/event.h"

namespace oracle {
namespace {

Event Numbered(uint64_t n) {
  Event e =
      Event::Quote(static_cast<uint32_t>(n % 1000), static_cast<TimeNs>(n), static_cast<TimeNs>(n),
                   Decimal{static_cast<int64_t>(n), -2}, Decimal{static_cast<int64_t>(n) + 1, -2});
  e.venue_sequence = n;
  return e;
}

TEST(SpscRing, DeliversInOrder) {
  SpscRing<Event> ring(8);
  EXPECT_EQ(ring.capacity(), 8u);
  Event e;
  EXPECT_FALSE(ring.TryPop(&e));
  for (uint64_t i = 0; i < 5; ++i) ring.Push(Numbered(i));
  for (uint64_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(ring.TryPop(&e));
    EXPECT_EQ(e.venue_sequence, i);
    EXPECT_EQ(e.a, static_cast<int64_t>(i));
  }
  EXPECT_FALSE(ring.TryPop(&e));
  EXPECT_EQ(ring.dropped(), 0u);
}

TEST(SpscRing, RoundsCapacityUpToPowerOfTwo) {
  SpscRing<Event> ring(100);
  EXPECT_EQ(ring.capacity(), 128u);
}

TEST(SpscRing, FullRingDropsTheOldestAndCountsThem) {
  SpscRing<Event> ring(8);
  for (uint64_t i = 0; i < 20; ++i) ring.Push(Numbered(i));  // 12 too many
  Event e;
  std::vector<uint64_t> got;
  while (ring.TryPop(&e)) got.push_back(e.venue_sequence);
  // The newest 8 survive, in order; the 12 oldest are counted as dropped.
  EXPECT_EQ(got, (std::vector<uint64_t>{12, 13, 14, 15, 16, 17, 18, 19}));
  EXPECT_EQ(ring.dropped(), 12u);
  EXPECT_EQ(ring.popped(), 8u);
  EXPECT_EQ(ring.pushed(), 20u);
  // It keeps working afterwards.
  ring.Push(Numbered(20));
  ASSERT_TRUE(ring.TryPop(&e));
  EXPECT_EQ(e.venue_sequence, 20u);
}

// Producer and consumer on two threads, the consumer deliberately slow so the ring overflows:
// every event is either delivered intact and in order, or counted as dropped; none is torn.
TEST(SpscRing, ConcurrentOverflowNeverTearsOrReorders) {
  constexpr uint64_t kEvents = 400'000;
  SpscRing<Event> ring(64);
  std::thread producer([&] {
    for (uint64_t i = 1; i <= kEvents; ++i) ring.Push(Numbered(i));
  });
  uint64_t delivered = 0;
  uint64_t last = 0;
  bool intact = true;
  bool ordered = true;
  Event e;
  for (;;) {
    if (ring.TryPop(&e)) {
      ++delivered;
      intact &= e.a == static_cast<int64_t>(e.venue_sequence) &&
                e.b == static_cast<int64_t>(e.venue_sequence) + 1 &&
                e.event_time == static_cast<TimeNs>(e.venue_sequence);
      ordered &= e.venue_sequence > last;
      last = e.venue_sequence;
      if (delivered % 64 == 0) std::this_thread::yield();  // fall behind now and then
      if (last == kEvents) break;
    }
  }
  producer.join();
  while (ring.TryPop(&e)) ++delivered;
  EXPECT_TRUE(intact);
  EXPECT_TRUE(ordered);
  EXPECT_EQ(delivered + ring.dropped(), kEvents);
}

TEST(SpscRing, ConcurrentWithoutOverflowDeliversEverything) {
  constexpr uint64_t kEvents = 200'000;
  SpscRing<Event> ring(1 << 18);
  std::thread producer([&] {
    for (uint64_t i = 1; i <= kEvents; ++i) ring.Push(Numbered(i));
  });
  uint64_t expect = 1;
  Event e;
  while (expect <= kEvents) {
    if (ring.TryPop(&e)) {
      ASSERT_EQ(e.venue_sequence, expect);
      ++expect;
    }
  }
  producer.join();
  EXPECT_EQ(ring.dropped(), 0u);
}

}  // namespace
}  // namespace oracle
