// HTX (Huobi) market WebSocket frames and REST tickers, bytes in, normalized ticks out. The
// frames are gzip-compressed on the wire; the parser reads the inflated text.
//
//  {"ch":"market.<sym>.trade.detail","ts":..,"tick":{"id":..,"ts":..,"data":[{"id":..,"ts":..,
//      "tradeId":..,"amount":..,"price":..,"direction":..},..]}}
//      -> trade ticks (price, amount, data ts in ms; tradeId (or "trade-id") -> sequence). The
//      data "id" may exceed 64 bits (100182534526255757567432481, 1.0003317158754671e+22 or a
//      string) and is never read. Prices are JSON numbers, scientific notation included (9.2E-7).
//      Linear-swap frames ("market.BTC-USDT.trade.detail") carry "quantity" (coin) next to
//      "amount" (contracts): size = quantity when present, else amount (then a contract count,
//      as in older linear-swap frames).
//  {"ch":"market.<sym>.bbo","ts":..,"tick":{"seqId":..,"ask":..,"askSize":..,"bid":..,
//      "bidSize":..,"quoteTime":..,"symbol":..}} -> a quote tick (quoteTime ms; seqId ->
//      sequence). Linear-swap bbo ticks carry "bid":[price,size], "ask":[price,size] and "ts".
//      The event time falls back to tick "ts", then the frame "ts". A zero side gives no tick.
//  other channels (depth, detail, kline, mbp, ...) -> ignored
//  {"ping":n} -> heartbeat, reply {"pong":n} (HTX closes the connection after two unanswered
//  pings); {"pong":n} -> heartbeat
//  {"id":..,"status":"ok","subbed"|"unsubbed":..} -> ack
//  {"status":"error","err-code":..,"err-msg":..} -> error (detail = err-msg, else err-code)
//  {"rep":..} (pull replies) and client requests {"sub"|"unsub"|"req":..} seen in captures
//  -> ignored
// Ticks carry the symbol spelled as in the topic ("btcusdt"): the configured venue symbol.
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_HTX_HTX_PARSE_H_
#define ORACLE_FEEDS_HTX_HTX_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class HtxParser {
 public:
  HtxParser();
  ~HtxParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /market/detail/merged?symbol=..:
  // {"ch":"market.<sym>.detail.merged","status":"ok","ts":..,"tick":{"bid":[p,s],"ask":[p,s],..}}
  // -> a quote tick (event time = the reply's "ts"); {"status":"error","err-msg":..} -> error.
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_HTX_HTX_PARSE_H_
