// Coinbase protocol for the generic WebSocket adapter: the Exchange feed
// wss://ws-feed.exchange.coinbase.com with the matches (trades; a last_match right after
// subscribing), ticker (best bid/ask) and heartbeat (one per product per second) channels, in one
// subscribe message. No client pings (Coinbase documents none); no documented connection limit.
// REST: Advanced Trade's public level-1 book, one product per request (RestTickerPerSymbol).
#ifndef ORACLE_FEEDS_COINBASE_COINBASE_ADAPTER_H_
#define ORACLE_FEEDS_COINBASE_COINBASE_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeCoinbaseProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COINBASE_COINBASE_ADAPTER_H_
