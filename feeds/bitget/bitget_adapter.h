// Bitget protocol for the generic WebSocket adapter ("bitget"):
//  wss://ws.bitget.com/v2/ws/public, channels `trade` and `books1` (level-1 book, a full snapshot
//  on every push) per spot instId, instType "SPOT"; public, no login;
//  keepalive: the text "ping" every 20 s, answered "pong" (Bitget drops a connection that sends
//  no "ping" for 30 s in one revision of its docs, 2 min in another, and closes every
//  connection after 24 h);
//  REST GET /api/v2/spot/market/tickers?symbol=.. (bidPr/askPr), one request per symbol.
#ifndef ORACLE_FEEDS_BITGET_BITGET_ADAPTER_H_
#define ORACLE_FEEDS_BITGET_BITGET_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeBitgetProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITGET_BITGET_ADAPTER_H_
