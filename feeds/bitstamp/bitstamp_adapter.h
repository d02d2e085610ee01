// Bitstamp protocol for the generic WebSocket adapter: live_trades_<s> (trades) and order_book_<s>
// (top of the book) on wss://ws.bitstamp.net, a {"event":"bts:heartbeat"} every 10 s (Bitstamp
// sends nothing on quiet channels and has no server heartbeat), bts:request_reconnect handled as
// a reconnect, connections limited to 90 days by Bitstamp; REST GET /api/v2/ticker/ (every
// market in one body) for the start-up snapshot and the fallback.
#ifndef ORACLE_FEEDS_BITSTAMP_BITSTAMP_ADAPTER_H_
#define ORACLE_FEEDS_BITSTAMP_BITSTAMP_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeBitstampProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITSTAMP_BITSTAMP_ADAPTER_H_
