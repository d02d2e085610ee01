// Binance's symbol dialect: the configured venue symbol is the REST/payload spelling ("BTCUSDT");
// stream names are lower case with a channel suffix ("btcusdt@trade").
#ifndef ORACLE_FEEDS_BINANCE_BINANCE_SYMBOLS_H_
#define ORACLE_FEEDS_BINANCE_BINANCE_SYMBOLS_H_

#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// "BTCUSDT" + "trade" -> "btcusdt@trade".
std::string BinanceStreamName(std::string_view venue_symbol, std::string_view channel);

// {"method":"SUBSCRIBE","params":[...],"id":id}, at most `per_message` streams per message.
std::vector<std::string> BinanceSubscribeMessages(const std::vector<std::string>& streams,
                                                  size_t per_message = 200);

// ["BTCUSDT","ETHUSDT"] as the REST `symbols` parameter, URL-encoded.
std::string BinanceRestSymbolsParam(const std::vector<std::string>& venue_symbols);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BINANCE_BINANCE_SYMBOLS_H_
