// Bitget's symbol dialect: the configured venue symbol is the instrument id exactly as Bitget's v2
// API spells it, base and quote run together in upper case: "BTCUSDT" (spot; the same spelling
// names the USDT-M perpetual under instType "USDT-FUTURES"). Subscriptions name an instType, a
// channel and an instId: {"instType":"SPOT","channel":"trade","instId":"BTCUSDT"}.
#ifndef ORACLE_FEEDS_BITGET_BITGET_SYMBOLS_H_
#define ORACLE_FEEDS_BITGET_BITGET_SYMBOLS_H_

#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// "BTC", "USDT" -> "BTCUSDT".
std::string BitgetSpotSymbol(std::string_view base, std::string_view quote);

// {"op":"subscribe","args":[{"instType":t,"channel":c,"instId":s},...]}: every channel for every
// instId (in instId order), at most `per_message` args per message. Bitget counts subscribe
// requests (240 per hour per connection) and recommends at most 50 channels per connection.
std::vector<std::string> BitgetSubscribeMessages(const std::vector<std::string>& channels,
                                                 const std::vector<std::string>& inst_ids,
                                                 std::string_view inst_type = "SPOT",
                                                 size_t per_message = 50);

// REST spot ticker (bidPr/askPr) URL: one symbol -> /api/v2/spot/market/tickers?symbol=..;
// otherwise the same path without a symbol (every spot pair).
std::string BitgetRestTickerUrl(const std::vector<std::string>& symbols);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITGET_BITGET_SYMBOLS_H_
