#include "oracle/api/stream_filter.h"

#include <gtest/gtest.h>

namespace oracle {
namespace {

class StreamFilterTest : public ::testing::Test {
 protected:
  MarkTable table{2};
  uint64_t seq[2] = {0, 0};

  void Publish(uint32_t instrument, int64_t price, MarkStatus status = MarkStatus::kOk) {
    Mark m;
    m.instrument = instrument;
    m.price = price;
    m.has_price = true;
    m.status = status;
    m.sequence = ++seq[instrument];
    table.Publish(m);
  }
  std::vector<Mark> Due(StreamFilter& f, TimeNs now) {
    std::vector<Mark> out;
    f.CollectDue(table, now, &out);
    return out;
  }
};

TEST_F(StreamFilterTest, SendsFirstMarksThenOnlyNewOnes) {
  StreamFilter f({0, 1}, {});
  EXPECT_TRUE(Due(f, 0).empty());  // nothing published yet
  Publish(0, 100);
  Publish(1, 200);
  auto due = Due(f, 1);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_TRUE(Due(f, 2).empty());
  Publish(0, 101);
  due = Due(f, 3);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].price, 101);
}

TEST_F(StreamFilterTest, SlowSubscriberGetsTheNewestMarkNotABacklog) {
  StreamFilter f({0}, {});
  Publish(0, 100);
  ASSERT_EQ(Due(f, 1).size(), 1u);
  for (int i = 1; i <= 50; ++i) Publish(0, 100 + i);  // published while the subscriber was busy
  auto due = Due(f, 2);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].price, 150);
  EXPECT_EQ(f.skipped(), 49u);
}

TEST_F(StreamFilterTest, MinIntervalLimitsTheRatePerInstrument) {
  StreamFilter f({0}, {.min_interval_ns = 1000, .deviation_bps = 0, .heartbeat_ns = 0});
  Publish(0, 100);
  ASSERT_EQ(Due(f, 0).size(), 1u);
  Publish(0, 101);
  EXPECT_TRUE(Due(f, 500).empty());
  Publish(0, 102);
  auto due = Due(f, 1000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].price, 102);
}

TEST_F(StreamFilterTest, DeviationFilterPassesBigMovesAndStatusChanges) {
  StreamFilter f({0}, {.min_interval_ns = 0, .deviation_bps = 100, .heartbeat_ns = 0});
  Publish(0, 10000);
  ASSERT_EQ(Due(f, 0).size(), 1u);
  Publish(0, 10050);  // 0.5%: filtered
  EXPECT_TRUE(Due(f, 1).empty());
  Publish(0, 10099);  // still under 1% from the last one sent
  EXPECT_TRUE(Due(f, 2).empty());
  Publish(0, 10100);  // 1%
  ASSERT_EQ(Due(f, 3).size(), 1u);
  Publish(0, 10101, MarkStatus::kDegraded);  // tiny move, but the status changed
  ASSERT_EQ(Due(f, 4).size(), 1u);
}

// A stream never presents a price-less mark as a price: it is sent (its status is news) without
// a price; with deviation_bps, repeats of the same price-less status are filtered, and getting a
// price back passes at once.
TEST_F(StreamFilterTest, DeviationFilterSendsPricelessStatusChangesOnce) {
  StreamFilter f({0}, {.min_interval_ns = 0, .deviation_bps = 100, .heartbeat_ns = 0});
  auto publish_priceless = [&] {
    Mark m;
    m.instrument = 0;
    m.status = MarkStatus::kUnavailable;
    m.sequence = ++seq[0];
    table.Publish(m);
  };
  publish_priceless();
  auto due = Due(f, 0);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(due[0].has_price);
  publish_priceless();
  publish_priceless();
  EXPECT_TRUE(Due(f, 1).empty());
  Publish(0, 10000);  // priced again: a status change
  due = Due(f, 2);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(due[0].has_price);
  publish_priceless();  // and the price lost again
  ASSERT_EQ(Due(f, 3).size(), 1u);
}

TEST_F(StreamFilterTest, HeartbeatResendsTheLatestMark) {
  StreamFilter f({0}, {.min_interval_ns = 0, .deviation_bps = 100, .heartbeat_ns = 1000});
  Publish(0, 10000);
  ASSERT_EQ(Due(f, 0).size(), 1u);
  Publish(0, 10001);
  EXPECT_TRUE(Due(f, 999).empty());
  auto due = Due(f, 1000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].price, 10001);
  EXPECT_TRUE(Due(f, 1500).empty());
  EXPECT_EQ(Due(f, 2000).size(), 1u);  // even with no new mark at all
}

}  // namespace
}  // namespace oracle
