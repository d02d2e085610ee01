// Kraken's symbol dialects. The configured venue symbol is the WebSocket v2 spelling "BTC/USD".
// WebSocket v1 spells the same pair "XBT/USD" (and DOGE as "XDG"); REST takes altnames ("XBTUSD")
// and keys its results by Kraken's internal pair names ("XXBTZUSD", "USDTZUSD", "SOLUSD").
#ifndef ORACLE_FEEDS_KRAKEN_KRAKEN_SYMBOLS_H_
#define ORACLE_FEEDS_KRAKEN_KRAKEN_SYMBOLS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// {"method":"subscribe","params":{"channel":<channel>,"symbol":[..]<,options>},"req_id":<id>};
// `options_json` is extra members of "params" without braces, e.g. "\"snapshot\":false".
std::string KrakenSubscribeMessage(std::string_view channel,
                                   const std::vector<std::string>& symbols,
                                   std::string_view options_json, uint64_t req_id);

// {"method":"ping","req_id":<id>} (optional: the venue sends heartbeats by itself).
std::string KrakenPingMessage(uint64_t req_id);

// v1 pair -> v2 symbol: "XBT/USD" -> "BTC/USD", "XDG/EUR" -> "DOGE/EUR", "ETH/XBT" -> "ETH/BTC".
// Returns false (and leaves *v2 alone) when the spelling is the same in both.
bool KrakenV1ToV2Symbol(std::string_view v1, std::string* v2);

// The REST `pair` parameter for v2 symbols: altnames, comma-separated ("XBTUSD,ETHUSD").
std::string KrakenRestPairParam(const std::vector<std::string>& symbols);

// Whether a REST result key ("XXBTZUSD", "XBTUSD", "USDTZUSD", "SOLUSD") is the pair of a v2 symbol
// ("BTC/USD"); case-insensitive.
bool KrakenRestKeyMatchesSymbol(std::string_view rest_key, std::string_view symbol) noexcept;

// A v2 symbol for a REST result key that matches no configured symbol, from Kraken's legacy asset
// codes (XXBT, XETH, ZUSD, ...) and a table of quote currencies: "XXBTZUSD" -> "BTC/USD",
// "XETHXXBT" -> "ETH/BTC", "USDCUSDT" -> "USDC/USDT". False if no quote currency matches.
bool KrakenRestKeyToSymbol(std::string_view rest_key, std::string* symbol);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_KRAKEN_KRAKEN_SYMBOLS_H_
