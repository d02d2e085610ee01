// Bitget public WebSocket frames (v2, plus the v1 and v3/UTA shapes found in captures) and REST
// tickers, bytes in, normalized ticks out.
//
//  v2 {"action":"snapshot"|"update","arg":{"instType","channel","instId"},"data":[..],"ts":ms}
//  v3 {"action":..,"arg":{"instType","topic","symbol"},"data":[..],"ts":ms}
//    trade (v2)       data [{ts,price,size,side,tradeId}]        -> trade ticks (tradeId -> seq)
//    trade (v1)       data [[ts,price,size,side],..]             -> trade ticks
//    publicTrade (v3) data [{i,p,v,S,T,L,isRPI}]                 -> trade ticks (i -> seq)
//    books1/books5/books15 (v1/v2: asks/bids), books1/books5/books50 (v3: a/b): a full snapshot
//      on every push [{asks:[[px,sz]],bids:[..],ts,seq?,checksum}] -> a quote from the first
//      levels (seq -> sequence)
//    other channels (books = incremental depth, ticker, candle*, ...) -> ignored
//  Entry times are the entry's ts/T (ms, string or number); an entry without one takes the
//  frame's ts. Symbols are arg.instId (v1, v2) or arg.symbol (v3), as subscribed ("BTCUSDT").
//  {"event":"subscribe"|"unsubscribe"|"login",..} -> ack; {"event":"error","code","msg"} -> error
//  the text "pong" (answer to the client's "ping") -> heartbeat
//  client requests {"op":..} and the client's own "ping", as seen in captures -> ignored
// Bitget documents no "closing soon" notice: no reconnect frames. A book side without levels, or
// a non-positive best price, gives no quote (the frame is still data). Trade and book ids that do
// not fit 64 bits are not kept (sequence 0).
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_BITGET_BITGET_PARSE_H_
#define ORACLE_FEEDS_BITGET_BITGET_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class BitgetParser {
 public:
  BitgetParser();
  ~BitgetParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /api/v2/spot/market/tickers[?symbol=..]:
  // {"code":"00000","msg":"success","requestTime":ms,"data":[{symbol,bidPr,askPr,ts,..}]}
  // -> quote ticks (an empty or zero bidPr/askPr gives no tick); code != "00000" -> error (msg).
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITGET_BITGET_PARSE_H_
