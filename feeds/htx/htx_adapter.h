// HTX (Huobi) protocol for the generic WebSocket adapter ("htx"):
//  wss://api.huobi.pro/ws (market data; api-aws.huobi.pro is the same service for AWS hosts),
//  topics market.<symbol>.trade.detail and market.<symbol>.bbo (tick-by-tick best bid/ask) per
//  spot symbol, one {"sub":..,"id":..} each; every frame is gzip-compressed binary;
//  keepalive: HTX sends {"ping":n} every 5 s and closes the connection after two unanswered
//  pings; the parser's reply {"pong":n} answers it (no client ping);
//  REST GET /market/detail/merged?symbol=.. (bid/ask arrays), one request per symbol.
#ifndef ORACLE_FEEDS_HTX_HTX_ADAPTER_H_
#define ORACLE_FEEDS_HTX_HTX_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeHtxProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_HTX_HTX_ADAPTER_H_
