// Gate spot protocol for the generic WebSocket adapter: spot.trades and spot.book_ticker on
// wss://api.gateio.ws/ws/v4/, one subscribe message per channel for all symbols; the server pings
// at the WebSocket level (the transport answers) and a {"channel":"spot.ping"} every 10 s resets
// its idle timer and draws a spot.pong; {"type":"upgrade"} notices are reconnects. REST
// /api/v4/spot/tickers?currency_pair=<s>, one request per symbol (RestTickerPerSymbol()).
#ifndef ORACLE_FEEDS_GATE_GATE_ADAPTER_H_
#define ORACLE_FEEDS_GATE_GATE_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeGateProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_GATE_GATE_ADAPTER_H_
