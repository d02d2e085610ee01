// Hyperliquid protocol for the generic WebSocket adapter ("hyperliquid"):
//  wss://api.hyperliquid.xyz/ws, subscriptions `trades` and `bbo` (best bid/offer, sent when the
//  top of book changes) per coin; public, no login;
//  keepalive: {"method":"ping"} every 30 s, answered {"channel":"pong"} (Hyperliquid closes a
//  connection it has heard nothing from for 60 s);
//  REST: none. The info endpoint (l2Book, allMids) is POST-only and the adapter's REST helper
//  issues GETs, so RestTickerUrl() is empty; ParseRestTicker() reads the l2Book body anyway.
#ifndef ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_ADAPTER_H_
#define ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeHyperliquidProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_ADAPTER_H_
