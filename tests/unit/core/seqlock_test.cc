#include "oracle/core/seqlock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace oracle {
namespace {

struct Wide {
  uint64_t words[40];  // 320 bytes: a torn read would mix versions
};

TEST(Seqlock, ReadsWhatWasWritten) {
  Seqlock<Wide> s;
  Wide w{};
  Wide out{};
  EXPECT_EQ(s.Read(&out), 0u);
  for (auto& x : w.words) x = 7;
  s.Write(w);
  EXPECT_EQ(s.Read(&out), 2u);
  EXPECT_EQ(out.words[39], 7u);
}

TEST(Seqlock, ConcurrentReadersNeverSeeATornValue) {
  Seqlock<Wide> s;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    Wide w{};
    for (uint64_t v = 1; v <= 200'000; ++v) {
      for (auto& x : w.words) x = v;
      s.Write(w);
    }
    done.store(true);
  });
  auto reader = [&] {
    Wide out{};
    uint64_t last = 0;
    bool ok = true;
    while (!done.load()) {
      s.Read(&out);
      for (auto x : out.words) ok &= x == out.words[0];
      ok &= out.words[0] >= last;  // versions only move forward
      last = out.words[0];
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

}  // namespace
}  // namespace oracle
