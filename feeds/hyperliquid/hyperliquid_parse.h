// Hyperliquid WebSocket frames and info-endpoint bodies, bytes in, normalized ticks out.
//
//  {"channel":"trades","data":[{coin,side,px,sz,time,hash,tid,users},..]}
//      -> trade ticks (px, sz strings; time ms; tid -> sequence when it fits 64 bits, read from
//      the number's text, never as a double)
//  {"channel":"bbo","data":{coin,time,bbo:[bid|null, ask|null]}}  (level {px,sz,n})
//      -> a quote (no quote while a side is null)
//  {"channel":"l2Book","data":{coin,time,levels:[[bids..],[asks..]]}}
//      -> a quote from the first level of each side (best first). With nSigFigs set in the
//      subscription the levels are aggregated buckets, not the exact best prices.
//  {"channel":"subscriptionResponse",..} -> ack;  {"channel":"pong"} -> heartbeat;
//  {"channel":"error","data":"..."} -> error (the text)
//  other channels (activeAssetCtx, activeSpotAssetCtx, allMids, candle, post, ...) -> ignored:
//      activeAssetCtx's markPx/oraclePx carry no timestamp and are not subscribed
//  the text "Websocket connection established." sent on connect -> ignored
//  client requests {"method":"subscribe"|"ping",..}, as seen in captures -> ignored
// Hyperliquid documents no "closing soon" notice: no reconnect frames. Ticks' symbol is the coin
// as Hyperliquid spells it ("BTC" perpetual, "@107" or "PURR/USDC" spot).
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_PARSE_H_
#define ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class HyperliquidParser {
 public:
  HyperliquidParser();
  ~HyperliquidParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // Bodies of POST https://api.hyperliquid.xyz/info (Hyperliquid has no GET ticker):
  //  {"type":"l2Book","coin":..} -> {coin,time,levels:[[bids..],[asks..]]} -> a quote;
  //  null (the market does not exist) -> error;
  //  {"type":"allMids"} -> {"BTC":"64412.5",..} (mid prices only, no bid/ask) -> ignored.
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_HYPERLIQUID_HYPERLIQUID_PARSE_H_
