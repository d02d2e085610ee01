#include "oracle/api/paging.h"

#include <gtest/gtest.h>

namespace oracle {
namespace {

constexpr PageLimits kLimits{.default_size = 100, .max_size = 1000};

TEST(PageSize, ZeroIsTheDefaultAboveTheMaximumIsTheMaximum) {
  int size = -1;
  ASSERT_FALSE(CoercePageSize(0, kLimits, &size));
  EXPECT_EQ(size, 100);
  ASSERT_FALSE(CoercePageSize(7, kLimits, &size));
  EXPECT_EQ(size, 7);
  ASSERT_FALSE(CoercePageSize(1000, kLimits, &size));
  EXPECT_EQ(size, 1000);
  ASSERT_FALSE(CoercePageSize(1001, kLimits, &size));
  EXPECT_EQ(size, 1000);
  ASSERT_FALSE(CoercePageSize(INT32_MAX, kLimits, &size));
  EXPECT_EQ(size, 1000);
}

TEST(PageSize, NegativeIsAnInvalidArgumentThatNamesTheField) {
  int size = 5;
  auto e = CoercePageSize(-1, kLimits, &size);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kInvalidArgument);
  EXPECT_NE(e->message.find("page_size"), std::string::npos) << e->message;
  EXPECT_EQ(size, 5) << "untouched on error";
}

TEST(PageToken, RoundTripsTheResumePointForItsOwnQuery) {
  const uint64_t q = PageQueryHash("marks|ETH-USD|0|100");
  const std::string token = MakePageToken(q, std::string("key\0with\xffzero", 13));
  std::string resume;
  ASSERT_FALSE(ReadPageToken(token, q, &resume));
  EXPECT_EQ(resume, std::string("key\0with\xffzero", 13));
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << "URL-safe: " << token;
}

TEST(PageToken, EmptyMeansTheFirstPage) {
  std::string resume = "left over";
  ASSERT_FALSE(ReadPageToken("", 1, &resume));
  EXPECT_TRUE(resume.empty());
}

TEST(PageToken, ATokenOfAnotherQueryIsRefused) {
  const std::string token = MakePageToken(PageQueryHash("instruments|f1"), "x");
  std::string resume;
  auto e = ReadPageToken(token, PageQueryHash("venues|f1"), &resume);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kInvalidPageToken);
  EXPECT_NE(e->message.find("different query"), std::string::npos) << e->message;
}

TEST(PageToken, GarbageAndTruncatedTokensAreRefused) {
  const uint64_t q = PageQueryHash("q");
  std::string resume;
  for (const std::string& bad : {std::string("p2"), std::string("not base64 !"), std::string("AQ"),
                                 MakePageToken(q, "").substr(0, 6)}) {
    auto e = ReadPageToken(bad, q, &resume);
    ASSERT_TRUE(e) << bad;
    EXPECT_EQ(e->reason, ErrorReason::kInvalidPageToken) << bad;
  }
}

TEST(OffsetToken, WalksAListAndEndsWithAnEmptyToken) {
  const uint64_t q = PageQueryHash("instruments|fp");
  const size_t total = 5;
  std::vector<size_t> starts;
  std::string token;
  do {
    size_t offset = 99;
    ASSERT_FALSE(ReadOffsetToken(token, q, total, &offset));
    starts.push_back(offset);
    token = NextOffsetToken(q, offset, 2, total);
  } while (!token.empty() && starts.size() < 10);
  EXPECT_EQ(starts, (std::vector<size_t>{0, 2, 4}));
}

TEST(OffsetToken, AnOffsetPastTheEndIsRefused) {
  const uint64_t q = PageQueryHash("venues|fp");
  const std::string token = NextOffsetToken(q, 0, 8, 10);  // resumes at 8
  size_t offset = 0;
  ASSERT_FALSE(ReadOffsetToken(token, q, 10, &offset));
  EXPECT_EQ(offset, 8u);
  auto e = ReadOffsetToken(token, q, 5, &offset);  // the list shrank
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, ErrorReason::kInvalidPageToken);
}

}  // namespace
}  // namespace oracle
