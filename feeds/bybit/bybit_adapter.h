// Bybit protocol for the generic WebSocket adapter ("bybit", spot):
//  wss://stream.bybit.com/v5/public/spot, topics publicTrade.<s> and orderbook.1.<s> (spot
//  tickers carry no bid/ask), at most 10 topics per subscribe request;
//  keepalive: {"op":"ping"} every 20 s (Bybit's recommendation), answered by a pong;
//  REST GET /v5/market/tickers?category=spot&symbol=<s> (bid1Price/ask1Price), one per symbol.
#ifndef ORACLE_FEEDS_BYBIT_BYBIT_ADAPTER_H_
#define ORACLE_FEEDS_BYBIT_BYBIT_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeBybitProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BYBIT_BYBIT_ADAPTER_H_
