// OKX's symbol dialect: the configured venue symbol is the instrument id ("instId") exactly as OKX
// spells it: "BTC-USDT" (spot), "BTC-USDT-SWAP" (perpetual), "BTC-USD-250627" (dated future),
// "BTC-USD-250627-100000-C" (option). Index ids ("BTC-USDT" in index-tickers) share the spot
// spelling. Subscriptions name a channel and an instId: {"channel":"trades","instId":"BTC-USDT"}.
#ifndef ORACLE_FEEDS_OKX_OKX_SYMBOLS_H_
#define ORACLE_FEEDS_OKX_OKX_SYMBOLS_H_

#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// "BTC", "USDT" -> "BTC-USDT".
std::string OkxSpotInstId(std::string_view base, std::string_view quote);

// The instrument type OKX's REST API takes in `instType`, from the instId's shape: "SPOT",
// "SWAP", "FUTURES" or "OPTION".
std::string_view OkxInstType(std::string_view inst_id);

// {"op":"subscribe","args":[{"channel":c,"instId":s},...]}: every channel for every instId (in
// instId order), at most `per_message` args per message.
std::vector<std::string> OkxSubscribeMessages(const std::vector<std::string>& channels,
                                              const std::vector<std::string>& inst_ids,
                                              size_t per_message = 100);

// REST ticker (bidPx/askPx/last) URL: one instId -> /api/v5/market/ticker?instId=..; several ->
// /api/v5/market/tickers?instType=.. (every instrument of the first one's type).
std::string OkxRestTickerUrl(const std::vector<std::string>& inst_ids);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_OKX_OKX_SYMBOLS_H_
