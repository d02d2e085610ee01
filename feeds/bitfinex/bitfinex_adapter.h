// Bitfinex protocol for the generic WebSocket adapter ("bitfinex"):
//  wss://api-pub.bitfinex.com/ws/2 (public channels), one subscribe message per channel:
//  {"event":"subscribe","channel":"trades"|"ticker","symbol":"tBTCUSD"} per symbol; the ticker
//  channel carries the best bid/ask (BID, ASK) without a timestamp;
//  keepalive: Bitfinex sends [CHAN_ID,"hb"] every 15 s on a quiet channel; no client ping is
//  needed (the optional {"event":"ping"} is not sent);
//  REST GET /v2/tickers?symbols=tBTCUSD,tUSTUSD (all symbols in one request).
#ifndef ORACLE_FEEDS_BITFINEX_BITFINEX_ADAPTER_H_
#define ORACLE_FEEDS_BITFINEX_BITFINEX_ADAPTER_H_

#include <memory>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

std::unique_ptr<VenueProtocol> MakeBitfinexProtocol();

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITFINEX_BITFINEX_ADAPTER_H_
