#include "feeds/htx/htx_parse.h"

#include <string>

#include "feeds/common/json_util.h"
#include "feeds/htx/htx_symbols.h"

namespace oracle::feeds {
namespace {

enum class Channel : uint8_t { kTrade, kBbo, kOther };

Channel ChannelOf(std::string_view channel) noexcept {
  if (channel == "trade.detail") return Channel::kTrade;
  if (channel == "bbo") return Channel::kBbo;
  return Channel::kOther;  // depth.step0, detail, kline.1min, mbp.150, ...
}

// A best bid or ask: a number or string (spot), or [price, size] (linear swap) -> the price's
// text; null -> empty. False for anything else.
bool SideText(od::value v, std::string_view* text) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::null) {
    *text = {};
    return true;
  }
  if (t == od::json_type::string || t == od::json_type::number) return ValueText(v, text);
  if (t != od::json_type::array) return false;
  od::array pair;
  if (v.get_array().get(pair) != simdjson::SUCCESS) return false;
  bool first = true, ok = true;
  if (!ForEachElement(pair, [&](od::value e) {
        if (first) ok = ValueText(e, text);
        first = false;
        return ok;
      })) {
    return false;
  }
  if (first) *text = {};  // [] : no price
  return ok;
}

// "ts" of a tick or frame (ms) -> ns; empty text -> 0. False when it is not a number of ms.
bool MillisText(std::string_view text, TimeNs* t) noexcept {
  if (text.empty()) {
    *t = 0;
    return true;
  }
  return EpochTimeFromText(text, kNanosPerMilli, t);
}

// One trade of a trade.detail tick -> a tick with a placeholder symbol. Returns the problem, or
// nullptr.
const char* ReadTrade(od::value v, TickBuffer* out) noexcept {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return "trade is not an object";
  std::string_view price, amount, quantity, ts, trade_id;
  if (!ForEachField(obj, [&](std::string_view key, od::value f) {
        // "id" (may exceed 64 bits) and "direction" are not read.
        if (key == "price") {
          price = Text(f);
        } else if (key == "amount") {
          amount = Text(f);
        } else if (key == "quantity") {
          quantity = Text(f);
        } else if (key == "ts") {
          ts = Text(f);
        } else if (key == "tradeId" || key == "trade-id") {
          trade_id = Text(f);
        }
        return true;
      })) {
    return "malformed trade";
  }
  Tick t;
  t.type = TickType::kTrade;
  if (!DecimalFromText(price, &t.price)) return "trade price is not a decimal";
  if (t.price.mantissa <= 0) return "trade price is not positive";
  if (!DecimalFromText(quantity.empty() ? amount : quantity, &t.size)) {
    return "trade amount is not a decimal";
  }
  if (t.size.mantissa < 0) return "trade amount is negative";
  if (!MillisText(ts, &t.event_time)) return "trade ts is not a number of milliseconds";
  if (!trade_id.empty() && !UintFromText(trade_id, &t.sequence)) t.sequence = 0;
  *out->Add() = t;
  return nullptr;
}

// A trade.detail tick {"id":..,"ts":..,"data":[..]} -> trade ticks; *tick_ts = its "ts".
const char* ReadTradeTick(od::value tick, TickBuffer* out, std::string_view* tick_ts) noexcept {
  od::object obj;
  if (tick.get_object().get(obj) != simdjson::SUCCESS) return "\"tick\" is not an object";
  const char* why = nullptr;
  bool has_data = false;
  if (!ForEachField(obj, [&](std::string_view key, od::value f) {
        if (key == "ts") {
          *tick_ts = Text(f);
        } else if (key == "data") {
          has_data = true;
          od::array trades;
          if (f.get_array().get(trades) != simdjson::SUCCESS) {
            why = "trade \"data\" is not an array";
            return false;
          }
          return ForEachElement(trades, [&](od::value e) {
            why = ReadTrade(e, out);
            return why == nullptr;
          });
        }
        return true;
      })) {
    return why != nullptr ? why : "malformed trade tick";
  }
  return has_data ? nullptr : "trade tick without \"data\"";
}

// A bbo tick -> a quote tick with a placeholder symbol (none when a side is empty or zero).
const char* ReadBboTick(od::value tick, TickBuffer* out, std::string_view* tick_ts) noexcept {
  od::object obj;
  if (tick.get_object().get(obj) != simdjson::SUCCESS) return "\"tick\" is not an object";
  std::string_view bid, ask, quote_time, seq_id;
  bool has_bid = false, has_ask = false, sides_ok = true;
  if (!ForEachField(obj, [&](std::string_view key, od::value f) {
        if (key == "bid" || key == "ask") {
          (key == "bid" ? has_bid : has_ask) = true;
          sides_ok = SideText(f, key == "bid" ? &bid : &ask);
          return sides_ok;
        }
        if (key == "quoteTime") {
          quote_time = Text(f);
        } else if (key == "ts") {
          *tick_ts = Text(f);
        } else if (key == "seqId") {
          seq_id = Text(f);
        }
        return true;
      })) {
    return sides_ok ? "malformed bbo tick" : "bid or ask is not a number or [price, size]";
  }
  if (!has_bid || !has_ask) return "bbo tick without bid or ask";
  Tick t;
  t.type = TickType::kQuote;
  if (!MillisText(quote_time.empty() ? *tick_ts : quote_time, &t.event_time)) {
    return "quoteTime is not a number of milliseconds";
  }
  if (!seq_id.empty() && !UintFromText(seq_id, &t.sequence)) t.sequence = 0;
  if (bid.empty() || ask.empty()) return nullptr;  // a side without orders: no quote
  if (!DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
    return "bid or ask is not a decimal";
  }
  if (t.bid.mantissa <= 0 || t.ask.mantissa <= 0) return nullptr;
  *out->Add() = t;
  return nullptr;
}

const char* ReadTick(Channel channel, od::value tick, TickBuffer* out,
                     std::string_view* tick_ts) noexcept {
  return channel == Channel::kTrade ? ReadTradeTick(tick, out, tick_ts)
                                    : ReadBboTick(tick, out, tick_ts);
}

bool AllDigits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Drops the ticks added since the buffer held `start` ticks; an unparseable result saying why.
ParseResult RollbackUnparseable(TickBuffer* out, size_t start, std::string_view why) noexcept {
  Rollback(out, start);
  return Unparseable(why);
}

// The top-level members of a frame, read in one pass.
struct FrameFields {
  std::string_view ch, symbol, channel_name, ts, tick_ts, status, err_code, err_msg, subbed;
  std::string_view ping, late_tick;
  bool has_ping = false, has_pong = false, has_ch = false, has_tick = false, has_subbed = false;
  bool has_rep = false, has_request = false, has_status = false;
  Channel channel = Channel::kOther;
};

// One top-level member into `f`; a "tick" after "ch" is read into `out` at once, one before it
// is kept as raw text. False (and *why, unless malformed JSON) on a bad member.
bool ReadFrameField(std::string_view key, od::value v, FrameFields* f, TickBuffer* out,
                    const char** why) noexcept {
  // A second "ch" could re-label (or re-symbol) a tick already read, a second "tick" would be
  // read as well, and a second "ping" or "status" could re-classify the frame: all refused.
  if ((key == "ch" && f->has_ch) || (key == "tick" && f->has_tick) ||
      (key == "ping" && f->has_ping) || (key == "status" && f->has_status)) {
    *why = key == "ch"     ? "repeated \"ch\""
           : key == "tick" ? "repeated \"tick\""
           : key == "ping" ? "repeated \"ping\""
                           : "repeated \"status\"";
    return false;
  }
  if (key == "ch") {
    if (v.get_string().get(f->ch) != simdjson::SUCCESS) {
      *why = "\"ch\" is not a string";
      return false;
    }
    f->has_ch = true;
    if (HtxSplitTopic(f->ch, &f->symbol, &f->channel_name)) f->channel = ChannelOf(f->channel_name);
  } else if (key == "tick") {
    f->has_tick = true;
    if (f->has_ch) {
      if (f->channel == Channel::kOther) return true;  // not read: skipped by the iteration
      *why = ReadTick(f->channel, v, out, &f->tick_ts);
      return *why == nullptr;
    }
    od::object obj;
    if (v.get_object().get(obj) != simdjson::SUCCESS ||
        obj.raw_json().get(f->late_tick) != simdjson::SUCCESS) {
      *why = "\"tick\" is not an object";
      return false;
    }
  } else if (key == "ping") {
    f->has_ping = true;
    f->ping = Text(v);
  } else if (key == "pong") {
    f->has_pong = true;
  } else if (key == "ts") {
    f->ts = Text(v);
  } else if (key == "status") {
    f->has_status = true;
    f->status = Text(v);
  } else if (key == "err-code") {
    f->err_code = Text(v);
  } else if (key == "err-msg") {
    f->err_msg = Text(v);
  } else if (key == "subbed" || key == "unsubbed") {
    f->has_subbed = true;
    f->subbed = Text(v);
  } else if (key == "rep") {
    f->has_rep = true;
  } else if (key == "sub" || key == "unsub" || key == "req") {
    f->has_request = true;
  }
  return true;
}

}  // namespace

// A "tick" that comes before "ch" (never seen from HTX, but JSON does not forbid it) is read again
// afterwards from its raw text with a second parser.
struct HtxParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  od::parser late_parser;
  PaddedFrame late_frame;
  std::string reply;  // {"pong":n}

  Impl() { reply.reserve(64); }

  // The frame whose members are in `f`; ticks from `start` on are its own.
  ParseResult FrameResult(FrameFields* f, size_t start, TickBuffer* out) noexcept;
  // {"ping":n} -> a heartbeat that answers {"pong":n}.
  ParseResult PingReply(std::string_view ping, size_t start, TickBuffer* out) noexcept;
  // A push with "ch" and "tick" of a channel in use: its ticks, named by the topic's symbol.
  ParseResult TickResult(FrameFields* f, size_t start, TickBuffer* out) noexcept;
};

HtxParser::HtxParser() : impl_(std::make_unique<Impl>()) {}
HtxParser::~HtxParser() = default;

ParseResult HtxParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  Impl& m = *impl_;
  od::document doc;
  if (m.parser.iterate(m.frame.Load(frame)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");

  const size_t start = out->size();
  FrameFields f;
  const char* why = nullptr;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    return ReadFrameField(key, v, &f, out, &why);
  });
  if (!ok) return RollbackUnparseable(out, start, why != nullptr ? why : "malformed JSON");
  return m.FrameResult(&f, start, out);
}

ParseResult HtxParser::Impl::FrameResult(FrameFields* f, size_t start, TickBuffer* out) noexcept {
  ParseResult r;
  // A ping, pong or error beside a push's "tick" is not data: the tick's entries are dropped.
  if (f->has_ping) return PingReply(f->ping, start, out);
  if (f->has_pong) {
    Rollback(out, start);
    r.kind = FrameKind::kHeartbeat;
    return r;
  }
  if (f->status == "error") {
    Rollback(out, start);
    r.kind = FrameKind::kError;
    r.detail = !f->err_msg.empty()    ? f->err_msg
               : !f->err_code.empty() ? f->err_code
                                      : std::string_view("error without err-msg");
    return r;
  }
  if (f->has_ch && f->has_tick) return TickResult(f, start, out);
  if (f->has_subbed) {
    r.kind = FrameKind::kAck;
    r.detail = f->subbed;
    return r;
  }
  if (f->has_rep) {
    r.kind = FrameKind::kIgnored;
    r.detail = "pull reply";
    return r;
  }
  if (f->has_request) {  // {"sub":..,"id":..} of the client, in a two-way capture
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  if (f->has_ch) return RollbackUnparseable(out, start, "push without \"tick\"");
  return RollbackUnparseable(out, start, "object is not an HTX push, ping or reply");
}

ParseResult HtxParser::Impl::PingReply(std::string_view ping, size_t start,
                                       TickBuffer* out) noexcept {
  // Echo the number exactly; only digits go into the reply.
  if (!AllDigits(ping) || ping.size() > 20) {
    return RollbackUnparseable(out, start, "\"ping\" is not an integer");
  }
  Rollback(out, start);
  reply.assign("{\"pong\":");
  reply.append(ping);
  reply.push_back('}');
  ParseResult r;
  r.kind = FrameKind::kHeartbeat;
  r.reply = reply;
  return r;
}

ParseResult HtxParser::Impl::TickResult(FrameFields* f, size_t start, TickBuffer* out) noexcept {
  ParseResult r;
  if (f->symbol.empty() || f->channel == Channel::kOther) {  // depth, detail, kline, mbp, ...
    Rollback(out, start);
    r.kind = FrameKind::kIgnored;
    r.detail = f->ch;
    return r;
  }
  if (!f->late_tick.empty()) {
    od::document late;
    od::value tick;
    if (late_parser.iterate(late_frame.Load(f->late_tick)).get(late) != simdjson::SUCCESS ||
        late.get_value().get(tick) != simdjson::SUCCESS) {
      return RollbackUnparseable(out, start, "\"tick\" is malformed JSON");
    }
    if (const char* bad = ReadTick(f->channel, tick, out, &f->tick_ts)) {
      return RollbackUnparseable(out, start, bad);
    }
  }
  TimeNs fallback = 0;
  if (!MillisText(f->tick_ts.empty() ? f->ts : f->tick_ts, &fallback)) {
    return RollbackUnparseable(out, start, "ts is not a number of milliseconds");
  }
  for (size_t i = start; i < out->size(); ++i) {
    Tick& t = (*out)[i];
    t.symbol = f->symbol;
    if (t.event_time == 0) t.event_time = fallback;
  }
  r.kind = FrameKind::kData;
  return r;
}

ParseResult HtxParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  Impl& m = *impl_;
  ParseResult r;
  od::document doc;
  if (m.parser.iterate(m.frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");
  std::string_view ch, ts, status, err_code, err_msg, bid, ask;
  bool has_tick = false, has_bid = false, has_ask = false;
  const char* why = nullptr;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    if (key == "ch") {
      ch = Text(v);
    } else if (key == "ts") {
      ts = Text(v);
    } else if (key == "status") {
      status = Text(v);
    } else if (key == "err-code") {
      err_code = Text(v);
    } else if (key == "err-msg") {
      err_msg = Text(v);
    } else if (key == "tick") {
      has_tick = true;
      od::object tick;
      if (v.get_object().get(tick) != simdjson::SUCCESS) {
        why = "\"tick\" is not an object";
        return false;
      }
      return ForEachField(tick, [&](std::string_view k, od::value f) {
        if (k != "bid" && k != "ask") return true;
        (k == "bid" ? has_bid : has_ask) = true;
        if (!SideText(f, k == "bid" ? &bid : &ask)) {
          why = "bid or ask is not [price, size]";
          return false;
        }
        return true;
      });
    }
    return true;
  });
  if (!ok) return Unparseable(why != nullptr ? why : "malformed JSON");
  if (status == "error") {
    r.kind = FrameKind::kError;
    r.detail = !err_msg.empty()    ? err_msg
               : !err_code.empty() ? err_code
                                   : std::string_view("error without err-msg");
    return r;
  }
  if (!has_tick) return Unparseable("REST body without \"tick\"");
  std::string_view symbol, channel;
  if (!HtxSplitTopic(ch, &symbol, &channel)) {
    return Unparseable("REST body without a \"ch\" market.<symbol>.<channel>");
  }
  if (!has_bid || !has_ask) return Unparseable("REST tick without bid or ask");
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = symbol;
  if (!MillisText(ts, &t.event_time)) return Unparseable("ts is not a number of milliseconds");
  r.kind = FrameKind::kData;
  if (bid.empty() || ask.empty()) return r;  // a side without orders: no quote
  if (!DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
    return Unparseable("bid or ask is not a decimal");
  }
  if (t.bid.mantissa > 0 && t.ask.mantissa > 0) *out->Add() = t;
  return r;
}

}  // namespace oracle::feeds
