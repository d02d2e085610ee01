// Bitfinex's symbol dialect: the configured venue symbol is the v2 trading-pair symbol exactly as
// Bitfinex spells it: "t" + base + quote in upper case ("tBTCUSD"), with a colon between codes
// longer than three letters ("tDOGE:USD"). Bitfinex has its own codes for some currencies:
// Tether USDt is "UST" ("tUSTUSD"), USDC is "UDC" ("tUDCUSD"). Funding currencies start with "f"
// ("fUSD"); the oracle does not use them.
#ifndef ORACLE_FEEDS_BITFINEX_BITFINEX_SYMBOLS_H_
#define ORACLE_FEEDS_BITFINEX_BITFINEX_SYMBOLS_H_

#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// A currency in Bitfinex's spelling: "usdt" -> "UST", "USDC" -> "UDC", "btc" -> "BTC".
std::string BitfinexCurrency(std::string_view currency);

// "BTC", "USD" -> "tBTCUSD"; "USDT", "USD" -> "tUSTUSD"; "DOGE", "USD" -> "tDOGE:USD".
std::string BitfinexTradingSymbol(std::string_view base, std::string_view quote);

// True for a trading-pair symbol ("tBTCUSD"), false for a funding currency ("fUSD").
bool BitfinexIsTradingSymbol(std::string_view symbol);

// {"event":"subscribe","channel":<channel>,"symbol":<symbol>}: one per symbol and channel (symbol
// order, then channel order). Bitfinex takes one subscription per message.
std::vector<std::string> BitfinexSubscribeMessages(const std::vector<std::string>& channels,
                                                   const std::vector<std::string>& symbols);

// REST tickers of these symbols in one request: /v2/tickers?symbols=tBTCUSD,tUSTUSD.
std::string BitfinexRestTickersUrl(const std::vector<std::string>& symbols);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITFINEX_BITFINEX_SYMBOLS_H_
