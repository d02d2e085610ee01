// Gate's symbol dialect: currency pairs are upper case with an underscore ("BTC_USDT"), the same
// spelling in WebSocket payloads, frames and REST; USDT-margined futures contracts use it too.
// Requests carry the client's time in seconds ("time"), which Gate requires to be within 60 s of
// its own clock, so the builders take it as an argument.
#ifndef ORACLE_FEEDS_GATE_GATE_SYMBOLS_H_
#define ORACLE_FEEDS_GATE_GATE_SYMBOLS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

inline constexpr std::string_view kGateSpotTradesChannel = "spot.trades";
inline constexpr std::string_view kGateSpotBookTickerChannel = "spot.book_ticker";

// {"time":<time_s>,"channel":"<channel>","event":"subscribe","payload":["BTC_USDT",...]}
std::string GateSubscribeMessage(std::string_view channel,
                                 const std::vector<std::string>& venue_symbols, int64_t time_s);

// spot.trades then spot.book_ticker for all the symbols.
std::vector<std::string> GateSpotSubscribeMessages(const std::vector<std::string>& venue_symbols,
                                                   int64_t time_s);

// The application-level ping {"time":<time_s>,"channel":"spot.ping"}; Gate answers spot.pong.
std::string GateSpotPingMessage(int64_t time_s);

// GET /api/v4/spot/tickers for one currency pair (the endpoint takes one pair, or none = all
// ~2000 pairs, too many for one TickBuffer).
std::string GateSpotRestTickerUrl(std::string_view venue_symbol);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_GATE_GATE_SYMBOLS_H_
