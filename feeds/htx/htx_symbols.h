// HTX's (Huobi's) symbol dialect: the configured venue symbol is the spot symbol exactly as HTX
// spells it, base and quote in lower case without a separator: "btcusdt", "ethbtc". Topics embed
// it: "market.btcusdt.trade.detail", "market.btcusdt.bbo". Derivatives use contract codes in the
// same place ("BTC-USDT" on the linear-swap feed, "BTC_CW" on the delivery feed); the spot
// adapter subscribes spot symbols only.
#ifndef ORACLE_FEEDS_HTX_HTX_SYMBOLS_H_
#define ORACLE_FEEDS_HTX_HTX_SYMBOLS_H_

#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// "BTC", "USDT" -> "btcusdt".
std::string HtxSpotSymbol(std::string_view base, std::string_view quote);

// "btcusdt", "trade.detail" -> "market.btcusdt.trade.detail".
std::string HtxTopic(std::string_view symbol, std::string_view channel);

// Splits a topic "market.<symbol>.<channel>" into its symbol and channel ("trade.detail", "bbo",
// "depth.step0", ...). False when the topic does not have that shape.
bool HtxSplitTopic(std::string_view topic, std::string_view* symbol, std::string_view* channel);

// One {"sub":"market.<symbol>.<channel>","id":"<n>"} per symbol and channel (symbol order, then
// channel order), ids counting from 1.
std::vector<std::string> HtxSubscribeMessages(const std::vector<std::string>& channels,
                                              const std::vector<std::string>& symbols);

// REST aggregated ticker (best bid/ask) of one symbol: /market/detail/merged?symbol=<symbol>.
std::string HtxRestTickerUrl(std::string_view symbol);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_HTX_HTX_SYMBOLS_H_
