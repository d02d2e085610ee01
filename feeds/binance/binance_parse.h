// Binance market-data frames (spot and USD-M/COIN-M futures), bytes in, normalized ticks out.
//
// Handles combined-stream frames {"stream":..,"data":{..}} and raw frames alike:
//  trade, aggTrade          -> trade ticks (price p, quantity q, trade time T)
//  bookTicker               -> quote ticks (b / a; spot frames have no time: event_time 0)
//  markPriceUpdate          -> a trade-type tick at the mark price p (USD-M extra source)
//  {"result":..,"id":n}     -> ack;   {"code":n,"msg":..} or {"error":{..}} -> error
//  serverShutdown           -> reconnect;  depthUpdate, kline, 24hrTicker, ... -> ignored
// Pure, allocation-free after the first frames, not thread-safe (one per connection thread).
#ifndef ORACLE_FEEDS_BINANCE_BINANCE_PARSE_H_
#define ORACLE_FEEDS_BINANCE_BINANCE_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class BinanceParser {
 public:
  BinanceParser();
  ~BinanceParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /api/v3/ticker/bookTicker (object or array) and /fapi/v1/premiumIndex (mark price).
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BINANCE_BINANCE_PARSE_H_
