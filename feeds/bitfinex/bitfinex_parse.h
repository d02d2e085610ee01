// Bitfinex WebSocket v2 public frames and REST tickers, bytes in, normalized ticks out.
//
// Data frames are arrays that name their channel only by a number, [CHAN_ID, ...]; the parser
// learns which channel and symbol a CHAN_ID stands for from the "subscribed" events of the same
// connection and keeps that map (so a parser serves one venue's connections, one thread).
//  {"event":"subscribed","channel":"trades"|"ticker"|..,"chanId":n,"symbol":"tBTCUSD",..} -> ack
//      (remembers n); {"event":"unsubscribed","chanId":n} -> ack (forgets n)
//  [n, [[ID, MTS, AMOUNT, PRICE], ..]]  trades snapshot (recent trades, newest first) -> trade
//      ticks; [n, "te", [ID, MTS, AMOUNT, PRICE]] -> a trade tick. size = |AMOUNT| (negative for
//      sells), event time = MTS (ms), sequence = ID.
//      [n, "tu", [..]] repeats a "te" trade (with its database id) -> ignored: only "te" gives
//      ticks, so each trade is counted once. Funding updates ("fte", "ftu") -> ignored.
//  [n, [BID, BID_SIZE, ASK, ASK_SIZE, ..]]  ticker (snapshot and updates alike) -> a quote tick
//      without event time (the frame has none); a null or zero side gives no tick.
//  [n, "hb"] -> heartbeat (every 15 s per channel without data)
//  frames of other channels (book, candles, funding symbols) -> ignored; of an unknown CHAN_ID
//  -> ignored (detail says so)
//  {"event":"info","version":2,"platform":{"status":1}} -> ignored; it opens every connection
//      and starts a new generation of the CHAN_ID map: entries of the generation before are kept
//      (the adapter may overlap two connections while it switches), older ones are dropped.
//  {"event":"info","code":20051} (server restarting) -> reconnect; 20061 (maintenance over:
//      Bitfinex advises subscribing again) -> reconnect; 20060 (maintenance starts) -> error,
//      detail = msg; other codes -> ignored
//  {"event":"error","msg":..,"code":..} -> error (detail = msg)
//  {"event":"pong",..} (answer to the optional {"event":"ping","cid":n}) -> heartbeat
//  {"event":"conf","status":"OK"} -> ack, other status -> error; client requests seen in
//  captures ({"event":"subscribe"|"unsubscribe"|"ping"|"conf"} without status) -> ignored
// Numbers are JSON numbers, read exactly from their text (1e-8 included).
// Pure, allocation-free after the first frames (the CHAN_ID map is fixed storage: 128 entries,
// the oldest dropped first), not thread-safe.
#ifndef ORACLE_FEEDS_BITFINEX_BITFINEX_PARSE_H_
#define ORACLE_FEEDS_BITFINEX_BITFINEX_PARSE_H_

#include <memory>
#include <string_view>

#include "feeds/common/frame.h"

namespace oracle::feeds {

class BitfinexParser {
 public:
  BitfinexParser();
  ~BitfinexParser();
  ParseResult Parse(std::string_view frame, TickBuffer* out) noexcept;

  // REST GET /v2/tickers?symbols=..: [[SYMBOL, BID, BID_SIZE, ASK, ASK_SIZE, ..], ..] -> a quote
  // tick per trading pair (funding tickers are skipped); ["error", code, msg] or
  // {"error":"ERR_RATE_LIMIT"} -> error.
  ParseResult ParseRestTicker(std::string_view body, TickBuffer* out) noexcept;

  // How many CHAN_IDs the parser currently maps (for tests).
  size_t mapped_channels() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_BITFINEX_BITFINEX_PARSE_H_
