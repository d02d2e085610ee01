// KuCoin spot protocol for the generic WebSocket adapter. Each connection first POSTs
// /api/v1/bullet-public for a token and an instance server, then connects to
// "<endpoint>?token=<token>&connectId=<unique>"; topics /market/match:<s,..> (trades) and
// /market/ticker:<s,..> (best bid/ask), 100 symbols per topic at most; a {"id":"<n>","type":"ping"}
// every pingInterval (18 s as handed out; never less often than every 20 s), answered by a pong.
// REST /api/v1/market/stats?symbol=<s>, one request per symbol (RestTickerPerSymbol()).
#ifndef ORACLE_FEEDS_KUCOIN_KUCOIN_ADAPTER_H_
#define ORACLE_FEEDS_KUCOIN_KUCOIN_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeKucoinProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_KUCOIN_KUCOIN_ADAPTER_H_
