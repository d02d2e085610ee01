// getAccountInfo request bodies, base64, and SPL stake-pool account decoding from a constructed
// 300-byte pool account in the reply shape Solana nodes send.
#include "oracle/rates/solana_rpc.h"

#include <gtest/gtest.h>

#include <string>

#include "unit/rates/rates_test_util.h"

namespace oracle::rates {
namespace {

using testing::Base64;
using testing::StakePoolAccount;
using testing::StakePoolReply;

constexpr char kBnsolPool[] = "Hr9pzexrBge3vgmBNRR8u42CNQgBXdHm4UkUN2DH4a7r";

TEST(SolanaRpc, GetAccountInfoRequestBodyIsTheDocumentedShape) {
  EXPECT_EQ(GetAccountInfoRequestBody(4, kBnsolPool),
            R"({"jsonrpc":"2.0","id":4,"method":"getAccountInfo","params":[")"
            R"(Hr9pzexrBge3vgmBNRR8u42CNQgBXdHm4UkUN2DH4a7r",)"
            R"({"encoding":"base64","commitment":"confirmed"}]})");
}

TEST(SolanaRpc, ValidatesAccounts) {
  EXPECT_TRUE(ValidateSolanaAccount(kBnsolPool).ok());
  EXPECT_TRUE(ValidateSolanaAccount("SPoo1Ku8WFXoNDMHPsrGSTSG1Y47rzgn41SLUNakuHy").ok());
  EXPECT_FALSE(ValidateSolanaAccount("").ok());
  EXPECT_FALSE(ValidateSolanaAccount("Hr9pzexrBge3vgmBNRR8u42CNQgBXdHm4UkUN2DH4a70").ok());  // '0'
  EXPECT_FALSE(ValidateSolanaAccount("Hr9pzexrBge3vgmBNRR8u42CNQgBXdHm4UkUN2DH4a7I").ok());  // 'I'
  EXPECT_FALSE(ValidateSolanaAccount("short").ok());
}

TEST(SolanaRpc, DecodesBase64Strictly) {
  std::string out;
  EXPECT_TRUE(DecodeBase64("", &out));
  EXPECT_EQ(out, "");
  EXPECT_TRUE(DecodeBase64("Zg==", &out));
  EXPECT_EQ(out, "f");
  EXPECT_TRUE(DecodeBase64("Zm8=", &out));
  EXPECT_EQ(out, "fo");
  EXPECT_TRUE(DecodeBase64("Zm9vYmFy", &out));
  EXPECT_EQ(out, "foobar");
  EXPECT_TRUE(DecodeBase64("+/8=", &out));
  EXPECT_EQ(out, "\xfb\xff");
  EXPECT_FALSE(DecodeBase64("Zm9", &out));
  EXPECT_FALSE(DecodeBase64("Z===", &out));
  EXPECT_FALSE(DecodeBase64("Zg=a", &out));
  EXPECT_FALSE(DecodeBase64("Zg==Zg==", &out));
  EXPECT_FALSE(DecodeBase64("Zm9v\n", &out));
  EXPECT_FALSE(DecodeBase64("Zm-_", &out));
  const std::string bytes = StakePoolAccount(1, 2);
  ASSERT_TRUE(DecodeBase64(Base64(bytes), &out));
  EXPECT_EQ(out, bytes);
}

TEST(SolanaRpc, RatioIsTotalLamportsOverPoolTokenSupply) {
  // 10,712 SOL in the pool for 10,000 pool tokens: 1.0712 SOL per BNSOL.
  absl::StatusOr<Decimal> d =
      ParseStakePoolAccountReply(StakePoolReply(10'712'000'000'000, 10'000'000'000'000, 1), 1);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, (Decimal{1071200000000000000, -18}));
  EXPECT_EQ(FormatDecimal(*d), "1.0712");
}

TEST(SolanaRpc, RatioRoundsHalfToEvenAt18Digits) {
  EXPECT_EQ(*StakePoolRatio(2, 3), (Decimal{666666666666666667, -18}));
  EXPECT_EQ(*StakePoolRatio(1, 3), (Decimal{333333333333333333, -18}));
  // 1/(2*10^18) = 0.0000000000000000005: the half goes to the even 0; 3/(2e18) to 2e-18.
  EXPECT_EQ(*StakePoolRatio(1, 2'000'000'000'000'000'000u), (Decimal{0, -18}));
  EXPECT_EQ(*StakePoolRatio(3, 2'000'000'000'000'000'000u), (Decimal{2, -18}));
}

TEST(SolanaRpc, LargeRatiosKeepFewerDigits) {
  EXPECT_EQ(*StakePoolRatio(10'000'000'000, 1'000'000'000), (Decimal{1000000000000000000, -17}));
  EXPECT_EQ(*StakePoolRatio(UINT64_MAX, 1'000'000'000),
            (Decimal{1844674407370955162, -8}));  // 18446744073.709551615
  EXPECT_EQ(*StakePoolRatio(1ull << 62, 1), (Decimal{int64_t{1} << 62, 0}));
  absl::StatusOr<Decimal> too_big = StakePoolRatio(UINT64_MAX, 1);
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("does not fit"), absl::string_view::npos);
}

TEST(SolanaRpc, ZeroSupplyIsAnError) {
  absl::StatusOr<Decimal> d = ParseStakePoolAccountReply(StakePoolReply(5, 0, 1), 1);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("pool_token_supply is 0"), absl::string_view::npos)
      << d.status();
}

TEST(SolanaRpc, MissingAccountIsAnError) {
  absl::StatusOr<Decimal> d = ParseStakePoolAccountReply(
      R"({"jsonrpc":"2.0","result":{"context":{"apiVersion":"2.0.15","slot":341197053},)"
      R"("value":null},"id":1})",
      1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(d.status().message(), "account not found (result.value is null)");
}

TEST(SolanaRpc, ShortOrForeignAccountDataIsAnError) {
  // An 82-byte SPL mint account (the BNSOL mint configured instead of the pool).
  std::string mint(82, '\x01');
  absl::StatusOr<Decimal> d = ParseStakePoolAccountReply(StakePoolReply(mint, 1), 1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "account data is 82 bytes, a stake pool needs at least 274");

  std::string validator_list = StakePoolAccount(1, 1);
  validator_list[0] = 2;
  d = ParseStakePoolAccountReply(StakePoolReply(validator_list, 1), 1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "account type 2 is not a stake pool (1)");
}

TEST(SolanaRpc, ReportsRpcErrorsAndMalformedReplies) {
  absl::StatusOr<Decimal> d = ParseStakePoolAccountReply(
      R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid param: WrongSize"},"id":1})",
      1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "JSON-RPC error -32602: Invalid param: WrongSize");

  d = ParseStakePoolAccountReply(
      R"({"jsonrpc":"2.0","error":{"code":-32005,"message":"Node is behind by 42 slots",)"
      R"("data":{"numSlotsBehind":42}},"id":1})",
      1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "JSON-RPC error -32005: Node is behind by 42 slots ({\"numSlotsBehind\":42})");

  // jsonParsed instead of base64.
  d = ParseStakePoolAccountReply(
      R"({"jsonrpc":"2.0","result":{"context":{"slot":1},"value":{"data":{"parsed":{}},)"
      R"("executable":false,"lamports":1,"owner":"x","rentEpoch":0}},"id":1})",
      1);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("is not [\"<base64>\",\"base64\"]"), absl::string_view::npos)
      << d.status();

  d = ParseStakePoolAccountReply(
      R"({"jsonrpc":"2.0","result":{"context":{"slot":1},"value":{"data":["@@@@","base64"]}},)"
      R"("id":1})",
      1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "account data is not base64: @@@@");

  d = ParseStakePoolAccountReply(StakePoolReply(1, 1, 3), 1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "reply id 3 does not match request id 1");
}

}  // namespace
}  // namespace oracle::rates
