// Kraken protocol for the generic WebSocket adapter: WebSocket v2 wss://ws.kraken.com/v2 with the
// trade channel (no snapshot: its 50 past trades would be stale) and the ticker channel with
// event_trigger "bbo" (a snapshot, then an update on every change of the best bid/offer). Kraken
// sends a heartbeat about once a second when nothing else is sent; client pings are optional and
// not used. REST: GET /0/public/Ticker for all configured pairs in one request.
#ifndef ORACLE_FEEDS_KRAKEN_KRAKEN_ADAPTER_H_
#define ORACLE_FEEDS_KRAKEN_KRAKEN_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeKrakenProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_KRAKEN_KRAKEN_ADAPTER_H_
