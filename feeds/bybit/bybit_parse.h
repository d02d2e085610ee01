// Bybit market-data frames (v5 public spot/linear/inverse, and the legacy v2 frames found in old
// captures) and REST tickers, bytes in, normalized ticks out.
//
//  publicTrade.<s>  {"data":[{T,s,S,v,p,i,seq?,RPI?},..]}  -> trade ticks (p, v, T ms; seq)
//  orderbook.1.<s>  {"type":"snapshot"|"delta","ts","data":{s,b:[[px,sz]],a:[..],u,seq},"cts"?}
//      -> a quote once both sides are known. The level-1 book is kept per symbol: a snapshot
//      replaces it, a delta's non-zero level replaces that side, a zero size deletes the level if
//      it is the current one (older feeds sent deltas; newer ones only snapshots). Time: cts
//      (matching engine) when sent, else ts; sequence: u.
//  tickers.<s>      linear/inverse: snapshot then deltas with only the changed fields, merged per
//      symbol; a quote (bid1Price/ask1Price) whenever both are known; ts; sequence: cs. Spot and
//      option tickers carry no bid1Price/ask1Price: data without ticks.
//  trade.<s>        legacy v2 trades (price/size as numbers or strings, trade_time_ms) -> trades
//  other topics (orderbook.50, kline, liquidation, orderBookL2_25, ...) -> ignored
//  pongs: {"op":"ping","ret_msg":"pong",..} (spot, linear), {"op":"pong",..} (option, private)
//      -> heartbeat;  {"success":true,..} replies -> ack;  {"success":false,"ret_msg":..} -> error
//  client requests {"op":"subscribe"|"ping",..} without "success", as seen in captures -> ignored
// Bybit documents no server "closing soon" notice for public streams: no reconnect frames.
// Pure (no I/O), allocation-free except when a symbol is first seen, not thread-safe.
#ifndef ORACLE_FEEDS_BYBIT_BYBIT_PARSE_H_
#define ORACLE_FEEDS_BYBIT_BYBIT_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class BybitParser {
 public:
  BybitParser();
  ~BybitParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /v5/market/tickers ({"retCode":0,"result":{"list":[{symbol,bid1Price,ask1Price}]},
  // "time":ms}) -> quotes; the legacy v2 /public/tickers (bid_price/ask_price, time_now in s) ->
  // quotes; the legacy spot v3 quote/ticker/price ({symbol, price}) -> last-price trade ticks of
  // size 0. retCode != 0 -> error (retMsg). Entries without both prices give no tick.
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BYBIT_BYBIT_PARSE_H_
