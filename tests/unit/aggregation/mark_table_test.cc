#include "oracle/aggregation/mark_table.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace oracle {
namespace {

Mark MakeMark(uint32_t instrument, uint64_t seq, uint8_t sources) {
  Mark m;
  m.instrument = instrument;
  m.sequence = seq;
  m.price = static_cast<int64_t>(seq) * 100;
  m.confidence = static_cast<int64_t>(seq);
  m.has_price = true;
  m.num_sources = sources;
  for (int j = 0; j < sources; ++j) m.sources[j].price = static_cast<int64_t>(seq) * 100 + j;
  return m;
}

TEST(MarkTable, ReadsTheLatestMark) {
  MarkTable table(3);
  Mark out;
  EXPECT_FALSE(table.Read(1, &out));
  EXPECT_FALSE(table.Read(7, &out));  // out of range
  table.Publish(MakeMark(1, 1, 4));
  table.Publish(MakeMark(1, 2, 2));
  ASSERT_TRUE(table.Read(1, &out));
  EXPECT_EQ(out.sequence, 2u);
  EXPECT_EQ(out.num_sources, 2);
  EXPECT_EQ(out.sources[1].price, 201);
  EXPECT_EQ(table.LatestSequence(1), 2u);
  EXPECT_EQ(table.LatestSequence(0), 0u);
}

// One writer publishing marks of varying size, readers copying concurrently: every mark read is
// internally consistent (all fields from the same publication) and sequences never go back.
TEST(MarkTable, ConcurrentReadersSeeWholeMarksOnly) {
  MarkTable table(2);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (uint64_t s = 1; s <= 100'000; ++s) {
      table.Publish(MakeMark(0, s, static_cast<uint8_t>(1 + s % 16)));
      if (s % 64 == 0) table.EndBatch();
    }
    done.store(true);
  });
  auto reader = [&] {
    bool ok = true;
    uint64_t last = 0;
    Mark m;
    while (!done.load()) {
      if (!table.Read(0, &m)) continue;
      ok &= m.price == static_cast<int64_t>(m.sequence) * 100;
      ok &= m.confidence == static_cast<int64_t>(m.sequence);
      ok &= m.num_sources == 1 + m.sequence % 16;
      for (int j = 0; j < m.num_sources; ++j) {
        ok &= m.sources[j].price == static_cast<int64_t>(m.sequence) * 100 + j;
      }
      ok &= m.sequence >= last;
      last = m.sequence;
    }
    return ok;
  };
  bool ok1 = true, ok2 = true;
  std::thread r1([&] { ok1 = reader(); });
  std::thread r2([&] { ok2 = reader(); });
  writer.join();
  r1.join();
  r2.join();
  EXPECT_TRUE(ok1);
  EXPECT_TRUE(ok2);
}

TEST(MarkTable, WaitForEpochChangeWakesOnBatchEndOrTimesOut) {
  MarkTable table(1);
  uint64_t e0 = table.epoch();
  EXPECT_EQ(table.WaitForEpochChange(e0, 2 * kNanosPerMilli), e0);  // times out
  std::thread t([&] { table.EndBatch(); });
  uint64_t e1 = table.WaitForEpochChange(e0, 5 * kNanosPerSecond);
  t.join();
  EXPECT_NE(e1, e0);
}

}  // namespace
}  // namespace oracle
