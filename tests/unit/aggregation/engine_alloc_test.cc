// The hot path does not allocate: after warm-up, ring pushes/pops, tick ingest, timers that publish
// every instrument into the mark table, and lock-free reads make no heap allocation at all. This
// binary replaces the global operator new to count them (so it is its own test executable).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "oracle/core/spsc_ring.h"
#include "oracle/history/persister.h"
#include "test_util/engine_harness.h"

namespace {
std::atomic<uint64_t> g_allocations{0};
thread_local uint64_t t_allocations = 0;  // this thread's (the persister allocates on its own)
}  // namespace

void* operator new(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
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

TEST(HotPath, IngestPublishAndReadMakeNoAllocations) {
  auto config = LoadDefaultConfig();
  ASSERT_TRUE(config.ok());
  MarkTable table(config->instruments.size());
  auto engine = Engine::Create(*config, &table, nullptr);
  ASSERT_TRUE(engine.ok());
  SpscRing<Event> ring(1024);
  const TimeNs t0 = testing::At(0);
  const size_t feeds = config->feeds.size();
  auto step = [&](int i) {
    const TimeNs t = t0 + static_cast<TimeNs>(i) * 10 * kNanosPerMilli;
    const uint32_t feed = static_cast<uint32_t>(i % feeds);
    const int64_t mid = 100000 + (i * 7919) % 200;
    if (i % 3 == 0) {
      ring.Push(Event::Trade(feed, t, t, Decimal{mid, -5}, Decimal{15, -1}));
    } else {
      ring.Push(Event::Quote(feed, t, t, Decimal{mid - 1, -5}, Decimal{mid + 1, -5}));
    }
    if (i % 10 == 0) ring.Push(Event::Timer(t));
    Event e;
    while (ring.TryPop(&e)) (*engine)->Apply(e);
  };
  for (int i = 0; i < 20000; ++i) step(i);  // warm-up: every feed and instrument active
  Mark m;
  const uint64_t before = g_allocations.load();
  for (int i = 20000; i < 220000; ++i) {
    step(i);
    table.Read(static_cast<uint32_t>(i % config->instruments.size()), &m);
  }
  const uint64_t during = g_allocations.load() - before;
  EXPECT_EQ(during, 0u) << "allocations on the hot path over 200k events";
  EXPECT_GT((*engine)->totals().marks_published, 100000u);  // it really published
}

// The same with the history persister attached: the core's side of it (sequence, encode, hand-off
// into the byte ring, and a checkpoint every minute of core time) allocates nothing either.
TEST(HotPath, PersisterAttachedAddsNoAllocationsToTheCoreThread) {
  auto config = LoadDefaultConfig();
  ASSERT_TRUE(config.ok());
  char tmpl[] = "/tmp/oracle_alloc_test_XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  config->history.data_dir = dir;
  config->history.sync = false;
  MarkTable table(config->instruments.size());
  history::Persister persister(*config, nullptr);
  auto engine = Engine::Create(*config, &table, &persister);
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE(persister.Recover(engine->get()).ok());
  persister.Start();
  const TimeNs t0 = testing::At(0);
  const size_t feeds = config->feeds.size();
  auto step = [&](int i) {
    const TimeNs t = t0 + static_cast<TimeNs>(i) * 10 * kNanosPerMilli;
    const uint32_t feed = static_cast<uint32_t>(i % feeds);
    const int64_t mid = 100000 + (i * 7919) % 200;
    (*engine)->Apply(i % 3 == 0
                         ? Event::Trade(feed, t, t, Decimal{mid, -5}, Decimal{15, -1})
                         : Event::Quote(feed, t, t, Decimal{mid - 1, -5}, Decimal{mid + 1, -5}));
    if (i % 10 == 0) (*engine)->Apply(Event::Timer(t));
  };
  for (int i = 0; i < 20000; ++i) step(i);  // warm-up, including the first checkpoint
  const uint64_t before = t_allocations;
  for (int i = 20000; i < 220000; ++i) step(i);
  const uint64_t during = t_allocations - before;
  persister.Stop();
  EXPECT_EQ(during, 0u) << "core-thread allocations over 200k events with the persister attached";
  EXPECT_GT(persister.stats().checkpoints_written, 10u);  // checkpoints were taken meanwhile
  EXPECT_GT(persister.stats().events_written, 100000u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace oracle
