// KuCoin's symbol dialect: spot symbols are upper case with a dash ("BTC-USDT"), the same spelling
// in topics ("/market/match:BTC-USDT,ETH-USDT"), frames and REST. Connections need a token from
// POST /api/v1/bullet-public, passed in the WebSocket URL.
#ifndef ORACLE_FEEDS_KUCOIN_KUCOIN_SYMBOLS_H_
#define ORACLE_FEEDS_KUCOIN_KUCOIN_SYMBOLS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

inline constexpr std::string_view kKucoinBulletPublicUrl =
    "https://api.kucoin.com/api/v1/bullet-public";
inline constexpr std::string_view kKucoinMatchTopicPrefix = "/market/match:";
inline constexpr std::string_view kKucoinTickerTopicPrefix = "/market/ticker:";
// KuCoin takes at most 100 symbols in one topic.
inline constexpr size_t kKucoinMaxSymbolsPerTopic = 100;

// "/market/match:" + {"BTC-USDT","ETH-USDT"} -> "/market/match:BTC-USDT,ETH-USDT".
std::string KucoinTopic(std::string_view prefix, const std::vector<std::string>& venue_symbols);

// {"id":"<n>","type":"subscribe","topic":"..","privateChannel":false,"response":true} for the
// match (trades) and ticker (best bid/ask) topics, at most `per_topic` symbols each; ids from 1.
std::vector<std::string> KucoinSubscribeMessages(const std::vector<std::string>& venue_symbols,
                                                 size_t per_topic = kKucoinMaxSymbolsPerTopic);

// {"id":"<counter>","type":"ping"}; KuCoin answers {"id":"<counter>","type":"pong"}.
std::string KucoinPingMessage(uint64_t counter);

// "<endpoint>?token=<token>&connectId=<connect_id>", the token percent-encoded.
std::string KucoinWebSocketUrl(std::string_view endpoint, std::string_view token,
                               std::string_view connect_id);

// GET /api/v1/market/stats for one symbol: its best bid ("buy") and ask ("sell"), naming the
// symbol (level1 has the same prices but its body does not say whose they are).
std::string KucoinRestTickerUrl(std::string_view venue_symbol);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_KUCOIN_KUCOIN_SYMBOLS_H_
