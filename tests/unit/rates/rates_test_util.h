// Reply builders shared by the rate-provider tests: eth_call results and SPL stake-pool accounts
// in the JSON-RPC shapes EVM and Solana nodes send. Header-only.
#ifndef ORACLE_TESTS_UNIT_RATES_RATES_TEST_UTIL_H_
#define ORACLE_TESTS_UNIT_RATES_RATES_TEST_UTIL_H_

#include <cstdint>
#include <string>

namespace oracle::testing {

inline std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t w = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(w >> s) & 63]);
  }
  if (i < bytes.size()) {
    uint32_t w = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size())
      w |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(w >> 18) & 63]);
    out.push_back(kAlphabet[(w >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(w >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// A 300-byte SPL stake-pool account: account_type 1, filler keys, total_lamports at 258 and
// pool_token_supply at 266 (u64 little-endian), last_update_epoch 700 at 274.
inline std::string StakePoolAccount(uint64_t total_lamports, uint64_t pool_token_supply) {
  std::string data(300, '\0');
  data[0] = 1;
  for (size_t i = 1; i < 258; ++i) data[i] = static_cast<char>(i * 7);
  auto put = [&](size_t offset, uint64_t v) {
    for (size_t b = 0; b < 8; ++b) data[offset + b] = static_cast<char>((v >> (8 * b)) & 0xff);
  };
  put(258, total_lamports);
  put(266, pool_token_supply);
  put(274, 700);
  return data;
}

inline std::string StakePoolReply(const std::string& account_data, uint64_t id) {
  return R"({"jsonrpc":"2.0","result":{"context":{"apiVersion":"2.0.15","slot":341197053},)"
         R"("value":{"data":[")" +
         Base64(account_data) +
         R"(","base64"],"executable":false,"lamports":88573600,)"
         R"("owner":"SPoo1Ku8WFXoNDMHPsrGSTSG1Y47rzgn41SLUNakuHy",)"
         R"("rentEpoch":18446744073709551615,"space":300}},"id":)" +
         std::to_string(id) + "}";
}

inline std::string StakePoolReply(uint64_t total_lamports, uint64_t pool_token_supply,
                                  uint64_t id) {
  return StakePoolReply(StakePoolAccount(total_lamports, pool_token_supply), id);
}

// An eth_call reply whose result is `value` as one 32-byte word.
inline std::string EthCallReply(unsigned __int128 value, uint64_t id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string word(64, '0');
  for (int i = 63; i >= 0 && value != 0; --i, value >>= 4)
    word[static_cast<size_t>(i)] = kHex[value & 15];
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"result":"0x)" + word + R"("})";
}

}  // namespace oracle::testing

#endif  // ORACLE_TESTS_UNIT_RATES_RATES_TEST_UTIL_H_
