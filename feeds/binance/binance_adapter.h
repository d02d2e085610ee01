// Binance protocols for the generic WebSocket adapter:
//  "binance"        spot: <sym>@trade and <sym>@bookTicker on wss://stream.binance.com:9443/stream,
//                   REST /api/v3/ticker/bookTicker; server pings (answered by the transport),
//                   connections closed by Binance after 24 h (replaced at 23 h, overlapping).
//  "binance-usdm"   USD-M futures mark price <sym>@markPrice@1s on wss://fstream.binance.com/stream
//                   (an extra, derivative-based source), REST /fapi/v1/premiumIndex.
#ifndef ORACLE_FEEDS_BINANCE_BINANCE_ADAPTER_H_
#define ORACLE_FEEDS_BINANCE_BINANCE_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeBinanceSpotProtocol();
std::unique_ptr<VenueProtocol> MakeBinanceUsdmProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BINANCE_BINANCE_ADAPTER_H_
