// Bybit's symbol dialect: the configured venue symbol is Bybit's `symbol` as sent in payloads and
// REST ("BTCUSDT" spot/linear, "BTCUSD" inverse, "BTC-26DEC25" dated futures). WebSocket v5 topics
// are "<channel>.<symbol>" ("publicTrade.BTCUSDT", "orderbook.1.BTCUSDT", "tickers.BTCUSDT").
#ifndef ORACLE_FEEDS_BYBIT_BYBIT_SYMBOLS_H_
#define ORACLE_FEEDS_BYBIT_BYBIT_SYMBOLS_H_

#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// "BTC", "USDT" -> "BTCUSDT".
std::string BybitSpotSymbol(std::string_view base, std::string_view quote);

// "publicTrade", "BTCUSDT" -> "publicTrade.BTCUSDT"; "orderbook.1", "BTCUSDT" ->
// "orderbook.1.BTCUSDT".
std::string BybitTopic(std::string_view channel, std::string_view symbol);

// The symbol a topic is about: the text after its last '.' ("orderbook.1.BTCUSDT" -> "BTCUSDT").
std::string_view BybitTopicSymbol(std::string_view topic);

// {"req_id":"<n>","op":"subscribe","args":[...]}, at most `per_message` topics per message (Bybit
// spot accepts at most 10 args per subscribe request).
std::vector<std::string> BybitSubscribeMessages(const std::vector<std::string>& topics,
                                                size_t per_message = 10);

// The client heartbeat Bybit asks for every 20 s: {"op":"ping"}.
std::string BybitPingMessage();

// REST GET /v5/market/tickers?category=<category>[&symbol=<s>] (bid1Price/ask1Price): one
// symbol -> that symbol only; several -> the whole category.
std::string BybitRestTickerUrl(std::string_view category, const std::vector<std::string>& symbols);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BYBIT_BYBIT_SYMBOLS_H_
