// eth_call request bodies, uint256 -> exact Decimal, and JSON-RPC error / revert replies in the
// shapes geth returns (execution-apis test vectors: Error(string) and Panic(uint256) reverts with
// code 3) and ganache returns (revert data nested in error.data).
#include "oracle/rates/evm_rpc.h"

#include <gtest/gtest.h>

#include <string>

namespace oracle::rates {
namespace {

constexpr char kWbeth[] = "0xa2E3356610840701BDf5611a53974510Ae27E2e1";

std::string Word(const std::string& hex) { return std::string(64 - hex.size(), '0') + hex; }

std::string ResultReply(const std::string& result, int id = 1) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"result":")" + result + R"("})";
}

TEST(EvmRpc, EthCallRequestBodyIsTheDocumentedShape) {
  EXPECT_EQ(EthCallRequestBody(1, kWbeth, "0x3ba0b9a9"),
            R"({"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":")"
            R"(0xa2E3356610840701BDf5611a53974510Ae27E2e1","data":"0x3ba0b9a9"},"latest"]})");
  EXPECT_EQ(EthCallRequestBody(2, "0x9D39A5DE30e57443BfF2A8307A4256c8797A3497",
                               "0x07a2d13a0000000000000000000000000000000000000000000000000de0b6b3"
                               "a7640000"),
            R"({"jsonrpc":"2.0","id":2,"method":"eth_call","params":[{"to":")"
            R"(0x9D39A5DE30e57443BfF2A8307A4256c8797A3497","data":"0x07a2d13a000000000000000000)"
            R"(0000000000000000000000000000000de0b6b3a7640000"},"latest"]})");
}

TEST(EvmRpc, ValidatesAddressesAndCalldata) {
  EXPECT_TRUE(ValidateEvmAddress(kWbeth).ok());
  EXPECT_TRUE(ValidateEvmAddress("0X0000000000000000000000000000000000000000").ok());
  EXPECT_FALSE(ValidateEvmAddress("a2E3356610840701BDf5611a53974510Ae27E2e1").ok());
  EXPECT_FALSE(ValidateEvmAddress("0xa2E3356610840701BDf5611a53974510Ae27E2e").ok());
  EXPECT_FALSE(ValidateEvmAddress("0xa2E3356610840701BDf5611a53974510Ae27E2eg").ok());
  EXPECT_FALSE(ValidateEvmAddress("").ok());
  absl::Status bad = ValidateEvmAddress("0x1234");
  EXPECT_NE(bad.message().find("\"0x1234\" is not an EVM address"), absl::string_view::npos) << bad;

  EXPECT_TRUE(ValidateEvmCalldata("0x3ba0b9a9").ok());
  EXPECT_TRUE(ValidateEvmCalldata("0x07a2d13a" + Word("de0b6b3a7640000")).ok());
  EXPECT_FALSE(ValidateEvmCalldata("0x").ok());
  EXPECT_FALSE(ValidateEvmCalldata("0x3ba0b9").ok());     // shorter than a selector
  EXPECT_FALSE(ValidateEvmCalldata("0x3ba0b9a9f").ok());  // odd
  EXPECT_FALSE(ValidateEvmCalldata("3ba0b9a9").ok());
  EXPECT_FALSE(ValidateEvmCalldata("0x3ba0b9zz").ok());
}

TEST(EvmRpc, DecodesSmallValues) {
  EXPECT_EQ(*Uint256HexToDecimal(Word("1"), 18), (Decimal{1, -18}));
  EXPECT_EQ(*Uint256HexToDecimal("1", 18), (Decimal{1, -18}));
  EXPECT_EQ(*Uint256HexToDecimal(Word("0"), 18), (Decimal{0, -18}));
  EXPECT_EQ(*Uint256HexToDecimal("ff", 0), (Decimal{255, 0}));
  EXPECT_EQ(*Uint256HexToDecimal("f4240", 6), (Decimal{1000000, -6}));  // USDC-style 1.000000
}

TEST(EvmRpc, DecodesTheWbethRateExactly) {
  absl::StatusOr<Decimal> d = Uint256HexToDecimal(Word("eddaab97b660000"), 18);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, (Decimal{1071200000000000000, -18}));
  EXPECT_EQ(FormatDecimal(*d), "1.0712");
}

TEST(EvmRpc, DropsLowDigitsOfValuesAbove2To64) {
  EXPECT_EQ(Uint256HexToDecimalString(Word("10000000000000000")), "18446744073709551616");
  // 18.446744073709551616: 20 digits, one dropped (…16 -> …2, half up).
  EXPECT_EQ(*Uint256HexToDecimal(Word("10000000000000000"), 18),
            (Decimal{1844674407370955162, -17}));
}

TEST(EvmRpc, DropsLowDigitsOfValuesAbove2To128) {
  EXPECT_EQ(Uint256HexToDecimalString(Word("100000000000000000000000000000000")),
            "340282366920938463463374607431768211456");
  // 340282366920938463463.374607431768211456 -> 3402823669209384635e2.
  EXPECT_EQ(*Uint256HexToDecimal(Word("100000000000000000000000000000000"), 18),
            (Decimal{3402823669209384635, 2}));
}

TEST(EvmRpc, RoundsDroppedDigitsHalfToEven) {
  // 10.000000000000000005 -> 10.00000000000000000 (keep even), …015 -> …02.
  EXPECT_EQ(*Uint256HexToDecimal(Word("8ac7230489e80005"), 18),
            (Decimal{1000000000000000000, -17}));
  EXPECT_EQ(*Uint256HexToDecimal(Word("8ac7230489e8000f"), 18),
            (Decimal{1000000000000000002, -17}));
  // 92.233720368547758075: rounding up one dropped digit overflows int64, so drop two.
  EXPECT_EQ(*Uint256HexToDecimal(Word("4fffffffffffffffb"), 18),
            (Decimal{922337203685477581, -16}));
}

TEST(EvmRpc, KeepsAtMost18FractionDigits) {
  // 1e-19 (24 decimals) rounds to zero at 18 fraction digits; 6e-19 rounds up to 1e-18.
  EXPECT_EQ(*Uint256HexToDecimal("186a0", 24), (Decimal{0, -18}));            // 100000e-24
  EXPECT_EQ(*Uint256HexToDecimal("927c0", 24), (Decimal{1, -18}));            // 600000e-24
  EXPECT_EQ(*Uint256HexToDecimal("de0b6b3a7640000", 36), (Decimal{1, -18}));  // 1e18 / 1e36
}

TEST(EvmRpc, MaxUint256DoesNotFit) {
  const std::string max(64, 'f');
  EXPECT_EQ(Uint256HexToDecimalString(max),
            "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  absl::StatusOr<Decimal> d = Uint256HexToDecimal(max, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(d.status().message().find("does not fit"), absl::string_view::npos) << d.status();
  // With 77 decimals it is 1.157…: fits.
  EXPECT_EQ(*Uint256HexToDecimal(max, 77), (Decimal{1157920892373161954, -18}));
}

TEST(EvmRpc, RefusesWhatIsNotAUint256) {
  EXPECT_FALSE(Uint256HexToDecimal("", 18).ok());
  EXPECT_FALSE(Uint256HexToDecimal(std::string(65, '1'), 18).ok());
  EXPECT_FALSE(Uint256HexToDecimal("12g4", 18).ok());
  EXPECT_FALSE(Uint256HexToDecimal("1", kMaxEvmDecimals + 1).ok());
  EXPECT_EQ(Uint256HexToDecimalString("xyz"), "");
}

TEST(EvmRpc, ParsesASuccessfulReply) {
  absl::StatusOr<Decimal> d =
      ParseEthCallReply(ResultReply("0x" + Word("eddaab97b660000"), 7), 7, 18);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, (Decimal{1071200000000000000, -18}));
  // Upper-case hex, members in another order, no id (some proxies drop it).
  d = ParseEthCallReply(R"({"result":"0x)" + Word("EDDAAB97B660000") + R"(","jsonrpc":"2.0"})", 9,
                        18);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(FormatDecimal(*d), "1.0712");
}

TEST(EvmRpc, EmptyResultMeansNoContract) {
  absl::StatusOr<Decimal> d = ParseEthCallReply(ResultReply("0x"), 1, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(d.status().message().find("no contract at the address"), absl::string_view::npos);
}

TEST(EvmRpc, ResultMustBeOneWord) {
  // call-contract.io: a 2-byte result; call-callenv.io: several words.
  for (const std::string& r : {std::string("0xffee"), "0x" + Word("36") + Word("c72dd9d5e883e")}) {
    absl::StatusOr<Decimal> d = ParseEthCallReply(ResultReply(r), 1, 18);
    ASSERT_FALSE(d.ok()) << r;
    EXPECT_NE(d.status().message().find("not one 32-byte word"), absl::string_view::npos)
        << d.status();
  }
  EXPECT_FALSE(ParseEthCallReply(R"({"jsonrpc":"2.0","id":1,"result":5})", 1, 18).ok());
  EXPECT_FALSE(ParseEthCallReply(R"({"jsonrpc":"2.0","id":1,"result":"12"})", 1, 18).ok());
}

TEST(EvmRpc, DecodesAnErrorStringRevert) {
  // The shape of execution-apis call-revert-abi-error (the string is not padded to a word).
  const std::string reply =
      R"({"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted: user error",)"
      R"("data":"0x08c379a0)" +
      Word("20") + Word("a") + R"(75736572206572726f72"}})";
  absl::StatusOr<Decimal> d = ParseEthCallReply(reply, 1, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "JSON-RPC error 3: execution reverted: user error (revert \"user error\")");
}

TEST(EvmRpc, DecodesAPanicRevert) {
  const std::string reply =
      R"js({"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted: assert(false)",)js"
      R"("data":"0x4e487b71)" +
      Word("1") + R"("}})";
  absl::StatusOr<Decimal> d = ParseEthCallReply(reply, 1, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "JSON-RPC error 3: execution reverted: assert(false) (panic 0x01 (assert(false)))");
  EXPECT_EQ(DescribeRevertData("0x4e487b71" + Word("11")),
            "panic 0x11 (arithmetic overflow or underflow)");
  EXPECT_EQ(DescribeRevertData("0x4e487b71" + Word("12")),
            "panic 0x12 (division or modulo by zero)");
}

TEST(EvmRpc, DecodesNestedRevertDataAsGanacheSendsIt) {
  const std::string data = "0x08c379a0" + Word("20") + Word("a") +
                           "6f6e6c79206f776e657200000000000000000000000000000000000000000000";
  const std::string reply =
      R"({"id":4,"jsonrpc":"2.0","error":{"message":"VM Exception while processing transaction: )"
      R"(revert only owner","code":-32000,"data":{"hash":null,"programCounter":120,"result":")" +
      data + R"(","reason":"only owner","message":"revert"}}})";
  absl::StatusOr<Decimal> d = ParseEthCallReply(reply, 4, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("JSON-RPC error -32000: VM Exception"),
            absl::string_view::npos)
      << d.status();
  EXPECT_NE(d.status().message().find("(revert \"only owner\")"), absl::string_view::npos)
      << d.status();
}

TEST(EvmRpc, DescribesOtherRevertData) {
  EXPECT_EQ(DescribeRevertData("0x"), "no revert data");
  EXPECT_EQ(DescribeRevertData("0x01"), "revert data 0x01");
  EXPECT_EQ(DescribeRevertData("0xDEADBEEF" + Word("1")),
            "custom error 0xdeadbeef with 32 bytes of arguments");
  EXPECT_EQ(DescribeRevertData("0x08c379a0" + Word("20")).substr(0, 34),
            "Error(string) with malformed data ");
  EXPECT_EQ(DescribeRevertData("0x08c379a0" + Word("20") + Word("3") + "41220a"),
            "revert \"A\\\"\\x0a\"");
  EXPECT_EQ(DescribeRevertData("0x4e487b71"), "Panic(uint256) with malformed data 0x4e487b71");
  EXPECT_EQ(DescribeRevertData("nothex"), "revert data is not hex: nothex");
}

TEST(EvmRpc, ReportsNodeErrors) {
  absl::StatusOr<Decimal> d = ParseEthCallReply(
      R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header not found"}})", 1, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "JSON-RPC error -32000: header not found");

  d = ParseEthCallReply(ResultReply("0x" + Word("1"), 2), 1, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "reply id 2 does not match request id 1");

  d = ParseEthCallReply("<html>502 Bad Gateway</html>", 1, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("not JSON"), absl::string_view::npos);

  d = ParseEthCallReply(R"({"jsonrpc":"2.0","id":1})", 1, 18);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("neither result nor error"), absl::string_view::npos);
}

}  // namespace
}  // namespace oracle::rates
