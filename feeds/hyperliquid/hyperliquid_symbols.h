// Hyperliquid's symbol dialect: the configured venue symbol is the "coin" exactly as Hyperliquid
// spells it in subscriptions and data. Perpetuals (USDC-margined) use the asset name: "BTC",
// "ETH". Spot pairs use "@{index}", the pair's index in the info endpoint's spotMeta universe
// (e.g. "@107" = HYPE/USDC on mainnet), except the first pair, spelled "PURR/USDC". Builder-
// deployed (HIP-3) perpetuals are "<dex>:<asset>". Subscriptions name a type and a coin:
// {"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}}, one per message.
#ifndef ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_SYMBOLS_H_
#define ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_SYMBOLS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// 107 -> "@107": the coin of the spot pair at that spotMeta universe index.
std::string HyperliquidSpotCoin(uint32_t spot_pair_index);

// One {"method":"subscribe","subscription":{"type":t,"coin":c}} per type per coin (in coin
// order). Hyperliquid allows 1000 subscriptions per IP.
std::vector<std::string> HyperliquidSubscribeMessages(const std::vector<std::string>& types,
                                                      const std::vector<std::string>& coins);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_SYMBOLS_H_
