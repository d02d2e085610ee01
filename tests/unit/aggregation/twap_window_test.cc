#include "oracle/aggregation/twap_window.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace oracle {
namespace {

// Slow reference: keeps every schedule ever set and integrates the window from scratch.
class ReferenceTwap {
 public:
  ReferenceTwap(DurationNs window, DurationNs bucket) : window_(window), bucket_(bucket) {}
  void Set(TimeNs t, int64_t v1, TimeNs u1, int64_t v2, TimeNs u2) {
    if (!history_.empty() && t < history_.back().t) t = history_.back().t;
    history_.push_back({t, v1, u1, v2, u2 > u1 ? u2 : u1});
  }
  bool Twap(TimeNs t, int64_t* out) const {
    if (history_.empty()) return false;
    TimeNs s = t - window_;
    TimeNs start = (s >= 0 ? s / bucket_ : (s - bucket_ + 1) / bucket_) * bucket_;
    int128 pdt = 0;
    int64_t dt = 0;
    for (size_t i = 0; i < history_.size(); ++i) {
      const auto& h = history_[i];
      TimeNs seg_end = i + 1 < history_.size() ? history_[i + 1].t : t;
      // Piece 1: [h.t, min(u1, seg_end)) at v1; piece 2: [max(h.t,u1), min(u2, seg_end)) at v2.
      auto add = [&](TimeNs a, TimeNs b, int64_t v) {
        a = std::max(a, start);
        b = std::min(b, t);
        if (b > a) {
          pdt += static_cast<int128>(v) * (b - a);
          dt += b - a;
        }
      };
      add(h.t, std::min(h.u1, seg_end), h.v1);
      add(std::max(h.t, h.u1), std::min(h.u2, seg_end), h.v2);
    }
    if (dt == 0) return false;
    *out = static_cast<int64_t>(DivRoundHalfEven(pdt, dt));
    return true;
  }

 private:
  struct Entry {
    TimeNs t;
    int64_t v1;
    TimeNs u1;
    int64_t v2;
    TimeNs u2;
  };
  DurationNs window_, bucket_;
  std::vector<Entry> history_;
};

TEST(TwapWindow, ConstantPriceAveragesToItself) {
  TwapWindow w;
  w.Init(30 * kNanosPerSecond, kNanosPerSecond);
  const TimeNs t0 = 1'000 * kNanosPerSecond;
  w.SetSchedule(t0, 380015, t0 + 5 * kNanosPerSecond, 0, 0);
  int64_t v;
  ASSERT_TRUE(w.Twap(t0 + 2 * kNanosPerSecond, &v));
  EXPECT_EQ(v, 380015);
}

TEST(TwapWindow, WeighsByTimeNotByUpdates) {
  TwapWindow w;
  w.Init(10 * kNanosPerSecond, kNanosPerSecond);
  const TimeNs t0 = 100 * kNanosPerSecond;
  const TimeNs forever = t0 + 1000 * kNanosPerSecond;
  w.SetSchedule(t0, 100, forever, 0, 0);                        // 100 for 9 s
  w.SetSchedule(t0 + 9 * kNanosPerSecond, 200, forever, 0, 0);  // 200 for 1 s
  int64_t v;
  ASSERT_TRUE(w.Twap(t0 + 10 * kNanosPerSecond, &v));
  EXPECT_EQ(v, 110);
}

TEST(TwapWindow, TimeWithoutAPriceDoesNotCount) {
  TwapWindow w;
  w.Init(10 * kNanosPerSecond, kNanosPerSecond);
  const TimeNs t0 = 100 * kNanosPerSecond;
  w.SetSchedule(t0, 100, t0 + 2 * kNanosPerSecond, 0, 0);  // fresh for 2 s, then stale
  int64_t v;
  ASSERT_TRUE(w.Twap(t0 + 8 * kNanosPerSecond, &v));
  EXPECT_EQ(v, 100);
  int64_t now;
  EXPECT_FALSE(w.PriceAt(t0 + 8 * kNanosPerSecond, &now));
  // Once the fresh part leaves the window there is no TWAP at all.
  EXPECT_FALSE(w.Twap(t0 + 30 * kNanosPerSecond, &v));
}

TEST(TwapWindow, LongGapsAreIntegratedInConstantWork) {
  TwapWindow w;
  w.Init(30 * kNanosPerSecond, kNanosPerSecond);
  const TimeNs t0 = 100 * kNanosPerSecond;
  const TimeNs far = t0 + 10'000'000 * kNanosPerSecond;  // 115 days later
  w.SetSchedule(t0, 5, far + 100 * kNanosPerSecond, 0, 0);
  int64_t v;
  ASSERT_TRUE(w.Twap(far, &v));
  EXPECT_EQ(v, 5);
}

// Property: random schedules and query times; the O(1) accumulator equals integrating the whole
// history from scratch, bit for bit.
TEST(TwapWindow, MatchesSlowReferenceOnRandomSchedules) {
  std::mt19937_64 rng(1234);
  for (int round = 0; round < 300; ++round) {
    const DurationNs bucket = (1 + static_cast<int64_t>(rng() % 4)) * 250 * kNanosPerMilli;
    const DurationNs window = bucket * (1 + static_cast<int64_t>(rng() % 40));
    TwapWindow w;
    w.Init(window, bucket);
    ReferenceTwap ref(window, bucket);
    TimeNs t = 1'700'000'000LL * kNanosPerSecond + static_cast<TimeNs>(rng() % kNanosPerSecond);
    for (int step = 0; step < 200; ++step) {
      // Mostly small gaps, sometimes a long silence.
      DurationNs gap = (rng() % 20 == 0) ? static_cast<DurationNs>(rng() % (120 * kNanosPerSecond))
                                         : static_cast<DurationNs>(rng() % (3 * kNanosPerSecond));
      t += gap;
      if (rng() % 3 == 0) {
        int64_t got, want;
        bool g = w.Twap(t, &got);
        bool r = ref.Twap(t, &want);
        ASSERT_EQ(g, r) << "round " << round << " step " << step;
        if (g) {
          ASSERT_EQ(got, want) << "round " << round << " step " << step;
        }
      } else {
        int64_t v1 = 1'000'000 + static_cast<int64_t>(rng() % 100'000);
        int64_t v2 = 1'000'000 + static_cast<int64_t>(rng() % 100'000);
        TimeNs u1 = t + static_cast<TimeNs>(rng() % (6 * kNanosPerSecond));
        TimeNs u2 = u1 + static_cast<TimeNs>(rng() % (6 * kNanosPerSecond));
        if (rng() % 4 == 0) u1 = t;  // starts stale
        w.SetSchedule(t, v1, u1, v2, u2);
        ref.Set(t, v1, u1, v2, u2);
      }
    }
  }
}

}  // namespace
}  // namespace oracle
