// InflateFrame: gzip, zlib and raw deflate frames (HTX sends gzip), damaged and oversized input,
// and streams reused across frames.
#include "feeds/common/inflate.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <thread>

namespace oracle::feeds {
namespace {

// window_bits: 15 + 16 gzip, 15 zlib, -15 raw deflate.
std::string Compress(const std::string& text, int window_bits) {
  z_stream zs{};
  EXPECT_EQ(
      deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const std::string kFrame =
    R"({"ch":"market.btcusdt.trade.detail","ts":1,"tick":{"id":1,"ts":1,"data":[]}})";

TEST(InflateFrame, GzipZlibAndRawDeflate) {
  for (int bits : {15 + 16, 15, -15}) {
    std::string out;
    ASSERT_TRUE(InflateFrame(Compress(kFrame, bits), &out)) << bits;
    EXPECT_EQ(out, kFrame) << bits;
  }
}

TEST(InflateFrame, StreamsAreReusedAcrossManyFramesOfEveryKind) {
  std::string out;
  for (int i = 0; i < 1000; ++i) {
    const std::string text = kFrame + std::string(static_cast<size_t>(i % 50), ' ');
    const int bits = i % 3 == 0 ? 15 + 16 : i % 3 == 1 ? 15 : -15;
    ASSERT_TRUE(InflateFrame(Compress(text, bits), &out)) << i;
    ASSERT_EQ(out, text) << i;
    if (i % 7 == 0) EXPECT_FALSE(InflateFrame("not compressed", &out));  // then works again
  }
}

TEST(InflateFrame, DamagedTruncatedOrEmptyInputIsRefused) {
  const std::string gz = Compress(kFrame, 15 + 16);
  std::string out;
  EXPECT_FALSE(InflateFrame(gz.substr(0, gz.size() / 2), &out));
  EXPECT_FALSE(InflateFrame("", &out));
  EXPECT_FALSE(InflateFrame(kFrame, &out));
  std::string damaged = gz;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x55);
  EXPECT_FALSE(InflateFrame(damaged, &out));
}

TEST(InflateFrame, RefusesToInflatePastTheLimit) {
  const std::string big(1 << 20, 'a');  // compresses to ~1 KiB
  std::string out;
  EXPECT_FALSE(InflateFrame(Compress(big, 15 + 16), &out, 64 << 10));
  EXPECT_LE(out.size(), 64u << 10);
  EXPECT_TRUE(InflateFrame(Compress(big, 15 + 16), &out, 2 << 20));
  EXPECT_EQ(out.size(), big.size());
}

TEST(InflateFrame, EachThreadHasItsOwnStreams) {
  auto work = [] {
    std::string out;
    for (int i = 0; i < 200; ++i) {
      if (!InflateFrame(Compress(kFrame, 15 + 16), &out) || out != kFrame) return false;
    }
    return true;
  };
  bool a = false, b = false;
  std::thread t1([&] { a = work(); });
  std::thread t2([&] { b = work(); });
  t1.join();
  t2.join();
  EXPECT_TRUE(a);
  EXPECT_TRUE(b);
}

}  // namespace
}  // namespace oracle::feeds
