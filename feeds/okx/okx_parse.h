// OKX v5 public WebSocket frames and REST tickers, bytes in, normalized ticks out.
//
//  {"arg":{"channel":"trades"|"trades-all",..},"data":[{instId,px,sz,ts,seqId?},..]}
//      -> trade ticks (px, sz; ts = ms string; seqId, in newer frames, -> sequence)
//  {"arg":{"channel":"bbo-tbt"|"books5","instId":..},"data":[{asks:[[px,sz,..]],bids:[..],ts,
//      seqId}]} -> quote ticks from the first level (seqId -> sequence, prevSeqId if sent)
//  {"arg":{"channel":"tickers",..},"data":[{instId,bidPx,askPx,ts,..}]} -> quote ticks
//  other push channels (books, mark-price, index-tickers, funding-rate, ...) -> ignored
//  {"event":"subscribe"|"unsubscribe"|"login"} -> ack; {"event":"error","msg":..} -> error
//  {"event":"notice",..} (connection closes soon for a service upgrade) -> reconnect
//  the text "pong" (answer to the client's "ping") -> heartbeat
//  client requests {"op":..} and the client's own "ping", as seen in captures -> ignored
// A side without levels, or an empty bidPx/askPx, gives no quote (the frame is still data).
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_OKX_OKX_PARSE_H_
#define ORACLE_FEEDS_OKX_OKX_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class OkxParser {
 public:
  OkxParser();
  ~OkxParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /api/v5/market/ticker(s): {"code":"0","msg":"","data":[{instId,bidPx,askPx,ts}]}
  // -> quote ticks; code != "0" -> error (msg). Index and mark price bodies -> ignored.
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_OKX_OKX_PARSE_H_
