// OKX protocol for the generic WebSocket adapter ("okx"):
//  wss://ws.okx.com:8443/ws/v5/public, channels `trades` and `bbo-tbt` (tick-by-tick best bid/ask,
//  pushed within 10 ms of a change; public, no login) per instId;
//  keepalive: the text "ping" every 20 s (OKX drops connections silent for 30 s), answered "pong";
//  REST GET /api/v5/market/ticker?instId=.. (bidPx/askPx), one request per symbol.
#ifndef ORACLE_FEEDS_OKX_OKX_ADAPTER_H_
#define ORACLE_FEEDS_OKX_OKX_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeOkxProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_OKX_OKX_ADAPTER_H_
