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
};

HtxParser::HtxParser() : impl_(std::make_unique<Impl>()) {}
HtxParser::~HtxParser() = default;

ParseResult HtxParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  Impl& m = *impl_;
  ParseResult r;
  od::document doc;
  if (m.parser.iterate(m.frame.Load(frame)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");

  const size_t start = out->size();
  auto fail = [&](std::string_view why) {
    Rollback(out, start);
    return Unparseable(why);
  };
  std::string_view ch, symbol, channel_name, ts, tick_ts, status, err_code, err_msg, subbed;
  std::string_view ping, late_tick;
  bool has_ping = false, has_pong = false, has_ch = false, has_tick = false, has_subbed = false;
  bool has_rep = false, has_request = false, has_status = false;
  Channel channel = Channel::kOther;
  const char* why = nullptr;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    // A second "ch" could re-label (or re-symbol) a tick already read, a second "tick" would be
    // read as well, and a second "ping" or "status" could re-classify the frame: all refused.
    if ((key == "ch" && has_ch) || (key == "tick" && has_tick) || (key == "ping" && has_ping) ||
        (key == "status" && has_status)) {
      why = key == "ch"     ? "repeated \"ch\""
            : key == "tick" ? "repeated \"tick\""
            : key == "ping" ? "repeated \"ping\""
                            : "repeated \"status\"";
      return false;
    }
    if (key == "ch") {
      if (v.get_string().get(ch) != simdjson::SUCCESS) {
        why = "\"ch\" is not a string";
        return false;
      }
      has_ch = true;
      if (HtxSplitTopic(ch, &symbol, &channel_name)) channel = ChannelOf(channel_name);
    } else if (key == "tick") {
      has_tick = true;
      if (has_ch) {
        if (channel == Channel::kOther) return true;  // not read: skipped by the iteration
        why = ReadTick(channel, v, out, &tick_ts);
        return why == nullptr;
      }
      od::object obj;
      if (v.get_object().get(obj) != simdjson::SUCCESS ||
          obj.raw_json().get(late_tick) != simdjson::SUCCESS) {
        why = "\"tick\" is not an object";
        return false;
      }
    } else if (key == "ping") {
      has_ping = true;
      ping = Text(v);
    } else if (key == "pong") {
      has_pong = true;
    } else if (key == "ts") {
      ts = Text(v);
    } else if (key == "status") {
      has_status = true;
      status = Text(v);
    } else if (key == "err-code") {
      err_code = Text(v);
    } else if (key == "err-msg") {
      err_msg = Text(v);
    } else if (key == "subbed" || key == "unsubbed") {
      has_subbed = true;
      subbed = Text(v);
    } else if (key == "rep") {
      has_rep = true;
    } else if (key == "sub" || key == "unsub" || key == "req") {
      has_request = true;
    }
    return true;
  });
  if (!ok) return fail(why != nullptr ? why : "malformed JSON");

  // A ping, pong or error beside a push's "tick" is not data: the tick's entries are dropped.
  if (has_ping) {
    // Echo the number exactly; only digits go into the reply.
    if (!AllDigits(ping) || ping.size() > 20) return fail("\"ping\" is not an integer");
    Rollback(out, start);
    m.reply.assign("{\"pong\":");
    m.reply.append(ping);
    m.reply.push_back('}');
    r.kind = FrameKind::kHeartbeat;
    r.reply = m.reply;
    return r;
  }
  if (has_pong) {
    Rollback(out, start);
    r.kind = FrameKind::kHeartbeat;
    return r;
  }
  if (status == "error") {
    Rollback(out, start);
    r.kind = FrameKind::kError;
    r.detail = !err_msg.empty()    ? err_msg
               : !err_code.empty() ? err_code
                                   : std::string_view("error without err-msg");
    return r;
  }
  if (has_ch && has_tick) {
    if (symbol.empty() || channel == Channel::kOther) {  // depth, detail, kline, mbp, ...
      Rollback(out, start);
      r.kind = FrameKind::kIgnored;
      r.detail = ch;
      return r;
    }
    if (!late_tick.empty()) {
      od::document late;
      od::value tick;
      if (m.late_parser.iterate(m.late_frame.Load(late_tick)).get(late) != simdjson::SUCCESS ||
          late.get_value().get(tick) != simdjson::SUCCESS) {
        return fail("\"tick\" is malformed JSON");
      }
      if (const char* bad = ReadTick(channel, tick, out, &tick_ts)) return fail(bad);
    }
    TimeNs fallback = 0;
    if (!MillisText(tick_ts.empty() ? ts : tick_ts, &fallback)) {
      return fail("ts is not a number of milliseconds");
    }
    for (size_t i = start; i < out->size(); ++i) {
      Tick& t = (*out)[i];
      t.symbol = symbol;
      if (t.event_time == 0) t.event_time = fallback;
    }
    r.kind = FrameKind::kData;
    return r;
  }
  if (has_subbed) {
    r.kind = FrameKind::kAck;
    r.detail = subbed;
    return r;
  }
  if (has_rep) {
    r.kind = FrameKind::kIgnored;
    r.detail = "pull reply";
    return r;
  }
  if (has_request) {  // {"sub":..,"id":..} of the client, in a two-way capture
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  if (has_ch) return fail("push without \"tick\"");
  return fail("object is not an HTX push, ping or reply");
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
