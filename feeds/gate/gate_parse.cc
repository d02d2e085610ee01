#include "feeds/gate/gate_parse.h"

#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// What a frame's "result" holds, by channel and event.
enum class ResultUse { kNone, kStatus, kTrades, kBookTicker };

ResultUse UseOf(std::string_view channel, std::string_view event) noexcept {
  if (event == "subscribe" || event == "unsubscribe") return ResultUse::kStatus;
  if (event == "update" || event == "all") {
    if (channel == "spot.trades" || channel == "spot.trades_v2" || channel == "futures.trades") {
      return ResultUse::kTrades;
    }
    if (channel == "spot.book_ticker" || channel == "futures.book_ticker") {
      return ResultUse::kBookTicker;
    }
  }
  return ResultUse::kNone;
}

// One trade object (spot: currency_pair/amount; futures: contract/size) -> a trade tick.
bool TradeToTick(od::object obj, TickBuffer* out, ParseResult* r) noexcept {
  std::string_view price, amount, size, time_ms, time_s, pair, contract;
  if (!ForEachField(obj, [&](std::string_view key, od::value v) {
        if (key == "price") return OptionalText(v, &price);
        if (key == "amount") return OptionalText(v, &amount);
        if (key == "size") return OptionalText(v, &size);
        if (key == "create_time_ms") return OptionalText(v, &time_ms);
        if (key == "create_time") return OptionalText(v, &time_s);
        if (key == "currency_pair") return OptionalText(v, &pair);
        if (key == "contract") return OptionalText(v, &contract);
        return true;
      })) {
    *r = Unparseable("malformed trade object");
    return false;
  }
  Tick t;
  t.type = TickType::kTrade;
  t.symbol = !pair.empty() ? pair : contract;
  if (t.symbol.empty()) {
    *r = Unparseable("trade without currency_pair/contract");
    return false;
  }
  if (!DecimalFromText(price, &t.price)) {
    *r = Unparseable("trade price is not a decimal");
    return false;
  }
  if (!DecimalFromText(!amount.empty() ? amount : size, &t.size)) {
    *r = Unparseable("trade amount/size is not a decimal");
    return false;
  }
  if (t.size.mantissa < 0) t.size.mantissa = -t.size.mantissa;  // futures: sign = taker side
  const bool time_ok = !time_ms.empty()  ? EpochTimeFromText(time_ms, kNanosPerMilli, &t.event_time)
                       : !time_s.empty() ? EpochTimeFromText(time_s, kNanosPerSecond, &t.event_time)
                                         : true;
  if (!time_ok) {
    *r = Unparseable("trade create_time_ms/create_time is not a number");
    return false;
  }
  *out->Add() = t;
  return true;
}

bool BookTickerToTick(od::object obj, TickBuffer* out, ParseResult* r) noexcept {
  std::string_view t_ms, u, s, b, a;
  if (!ForEachField(obj, [&](std::string_view key, od::value v) {
        if (key.size() != 1) return true;
        switch (key[0]) {
          case 't':
            return OptionalText(v, &t_ms);
          case 'u':
            return OptionalText(v, &u);
          case 's':
            return OptionalText(v, &s);
          case 'b':
            return OptionalText(v, &b);
          case 'a':
            return OptionalText(v, &a);
          default:
            return true;
        }
      })) {
    *r = Unparseable("malformed book_ticker object");
    return false;
  }
  if (s.empty()) {
    *r = Unparseable("book_ticker without symbol s");
    return false;
  }
  if (b.empty() || a.empty()) return true;  // an empty side (e.g. a contract without a book)
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = s;
  if (!DecimalFromText(b, &t.bid) || !DecimalFromText(a, &t.ask)) {
    *r = Unparseable("book_ticker b/a is not a decimal");
    return false;
  }
  if ((!t_ms.empty() && !EpochTimeFromText(t_ms, kNanosPerMilli, &t.event_time)) ||
      (!u.empty() && !UintFromText(u, &t.sequence))) {
    *r = Unparseable("book_ticker t/u is not an unsigned integer");
    return false;
  }
  *out->Add() = t;
  return true;
}

// Reads a frame's "result" for its use; sets r->kind (and detail) unless it fails.
void ReadResult(ResultUse use, std::string_view channel, od::value v, TickBuffer* out,
                ParseResult* r) noexcept {
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) {
    *r = Unparseable("malformed \"result\"");
    return;
  }
  if (use == ResultUse::kStatus) {
    std::string_view status;
    od::object obj;
    if (type == od::json_type::object) {
      if (v.get_object().get(obj) != simdjson::SUCCESS ||
          !ForEachField(obj, [&](std::string_view key, od::value f) {
            return key == "status" ? OptionalText(f, &status) : true;
          })) {
        *r = Unparseable("malformed subscribe result");
        return;
      }
    }
    if (status.empty() || status == "success") {
      r->kind = FrameKind::kAck;
      r->detail = channel;
    } else {
      r->kind = FrameKind::kError;
      r->detail = status;  // "fail"
    }
    return;
  }
  auto one = [&](od::object obj) {
    return use == ResultUse::kTrades ? TradeToTick(obj, out, r) : BookTickerToTick(obj, out, r);
  };
  if (type == od::json_type::object) {
    od::object obj;
    if (v.get_object().get(obj) != simdjson::SUCCESS) {
      *r = Unparseable("malformed \"result\"");
      return;
    }
    if (!one(obj)) return;
  } else if (type == od::json_type::array) {
    od::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) {
      *r = Unparseable("malformed \"result\"");
      return;
    }
    for (auto item : arr) {
      od::object obj;
      if (item.get_object().get(obj) != simdjson::SUCCESS) {
        *r = Unparseable("\"result\" list entry is not an object");
        return;
      }
      if (!one(obj)) return;
    }
  } else {
    *r = Unparseable("\"result\" of a data channel is not an object or list");
    return;
  }
  r->kind = FrameKind::kData;
}

// The top-level members of a frame, read in one pass.
struct FrameFields {
  std::string_view channel, event, type, msg, error_message;
  bool has_channel = false, has_event = false, has_error = false, has_result = false;
  bool has_payload = false, has_method = false, deferred = false;
  ResultUse result_use = ResultUse::kNone;  // how the result was read in the first pass
};

// A non-null "error" (an object with "message", or text) into `f`.
bool ReadError(od::value v, FrameFields* f) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::null) return true;
  f->has_error = true;
  od::object err;
  if (t == od::json_type::object && v.get_object().get(err) == simdjson::SUCCESS) {
    return ForEachField(err, [&](std::string_view k, od::value m) {
      return k == "message" ? OptionalText(m, &f->error_message) : true;
    });
  }
  return OptionalText(v, &f->error_message);
}

// One top-level member into `f`. A "result" after channel and event is read at once (into `out`
// and `r`), else deferred. False (and *why, unless malformed JSON) on a bad member.
bool ReadFrameField(std::string_view key, od::value v, FrameFields* f, TickBuffer* out,
                    ParseResult* r, const char** why) noexcept {
  if (key == "channel") {
    f->has_channel = true;
    return v.get_string().get(f->channel) == simdjson::SUCCESS;
  }
  if (key == "event") {
    f->has_event = true;
    return OptionalText(v, &f->event);
  }
  if (key == "result") {
    // A second "result" would be read as well: its ticks added to the first's, or a first one
    // that failed taken as data.
    if (f->has_result) {
      *why = "repeated \"result\"";
      return false;
    }
    f->has_result = true;
    // Gate sends channel and event first; a frame ordered otherwise (or repeating them) is
    // read in a second pass, once channel and event are final.
    const ResultUse use =
        f->has_channel && f->has_event ? UseOf(f->channel, f->event) : ResultUse::kNone;
    if (use == ResultUse::kNone) {
      f->deferred = true;
    } else {
      ReadResult(use, f->channel, v, out, r);
      f->result_use = use;
    }
    return true;
  }
  if (key == "error") return ReadError(v, f);
  if (key == "payload") {
    f->has_payload = true;
    return true;
  }
  if (key == "type") return OptionalText(v, &f->type);
  if (key == "msg") return OptionalText(v, &f->msg);
  if (key == "method") {
    f->has_method = true;
    return true;
  }
  return true;
}

// A frame without "channel": system notices and legacy frames. `r` as the first pass left it.
ParseResult NoChannelResult(const FrameFields& f, ParseResult r) noexcept {
  if (f.type == "upgrade") {
    r.kind = FrameKind::kReconnect;
    r.detail = !f.msg.empty() ? f.msg : f.type;
    return r;
  }
  if (f.has_method) {  // the retired v3 protocol ({"method":"trades.update","params":[..]})
    r.kind = FrameKind::kIgnored;
    r.detail = "legacy v3 frame";
    return r;
  }
  if (!f.type.empty() && !f.msg.empty()) {  // another system notice
    r.kind = FrameKind::kIgnored;
    r.detail = f.type;
    return r;
  }
  return Unparseable("no \"channel\": not a Gate v4 frame");
}

// A frame with "channel" whose members are in `f`; reads a deferred "result" again from `top`.
// `r` as the first pass left it; ticks from `first_tick` on are this frame's.
ParseResult ChannelResult(od::object& top, const FrameFields& f, size_t first_tick, TickBuffer* out,
                          ParseResult r) noexcept {
  if (f.has_error) {
    Rollback(out, first_tick);
    r = ParseResult{};
    r.kind = FrameKind::kError;
    r.detail =
        !f.error_message.empty() ? f.error_message : std::string_view("error without message");
    return r;
  }
  const ResultUse use = UseOf(f.channel, f.event);
  if (use != f.result_use && f.result_use != ResultUse::kNone) {  // channel/event repeated, changed
    Rollback(out, first_tick);
    return Unparseable("\"channel\"/\"event\" repeated with other values");
  }
  if (f.channel.ends_with(".pong")) {
    r.kind = FrameKind::kHeartbeat;
    return r;
  }
  if (f.channel.ends_with(".ping")) {
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  if (f.deferred && f.result_use == ResultUse::kNone && use != ResultUse::kNone) {
    od::value v;
    if (top.reset().error() != simdjson::SUCCESS ||
        top.find_field("result").get(v) != simdjson::SUCCESS) {
      Rollback(out, first_tick);
      return Unparseable("malformed JSON");
    }
    ReadResult(use, f.channel, v, out, &r);
  }
  if (r.kind == FrameKind::kUnparseable && !r.detail.empty()) {
    Rollback(out, first_tick);
    return r;
  }
  if (use == ResultUse::kStatus) {
    if (f.has_result) return r;  // ack or error, set by ReadResult
    r.kind = f.has_payload ? FrameKind::kIgnored : FrameKind::kAck;
    r.detail = f.has_payload ? std::string_view("client request") : f.channel;
    return r;
  }
  if (use != ResultUse::kNone) {
    if (!f.has_result || r.kind != FrameKind::kData) {
      Rollback(out, first_tick);
      return Unparseable("data frame without a readable \"result\"");
    }
    return r;
  }
  r.kind = FrameKind::kIgnored;  // tickers, order books, candlesticks, ...
  return r;
}

}  // namespace

struct GateParser::Impl {
  od::parser parser;
  PaddedFrame frame;
};

GateParser::GateParser() : impl_(std::make_unique<Impl>()) {}
GateParser::~GateParser() = default;

ParseResult GateParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(frame)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");

  const size_t first_tick = out->size();
  FrameFields f;
  ParseResult r;  // set by ReadResult when the result is read in the first pass
  const char* why = nullptr;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    return ReadFrameField(key, v, &f, out, &r, &why);
  });
  if (!ok) {
    Rollback(out, first_tick);
    return Unparseable(why != nullptr ? why : "malformed JSON");
  }
  if (!f.has_channel) return NoChannelResult(f, r);
  return ChannelResult(top, f, first_tick, out, r);
}

ParseResult GateParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::json_type type;
  if (doc.type().get(type) != simdjson::SUCCESS) return Unparseable("not JSON");
  ParseResult r;
  if (type == od::json_type::object) {  // {"label":"INVALID_CURRENCY_PAIR","message":".."}
    od::object obj;
    std::string_view label, message;
    if (doc.get_object().get(obj) != simdjson::SUCCESS ||
        !ForEachField(obj, [&](std::string_view key, od::value v) {
          if (key == "label") return OptionalText(v, &label);
          if (key == "message") return OptionalText(v, &message);
          return true;
        })) {
      return Unparseable("malformed JSON");
    }
    if (label.empty() && message.empty()) return Unparseable("ticker body is not a list");
    r.kind = FrameKind::kError;
    r.detail = !message.empty() ? message : label;
    return r;
  }
  od::array arr;
  if (doc.get_array().get(arr) != simdjson::SUCCESS)
    return Unparseable("ticker body is not a list");
  const size_t first_tick = out->size();
  auto fail = [&](std::string_view why) {
    while (out->size() > first_tick) out->PopBack();
    return Unparseable(why);
  };
  for (auto item : arr) {
    od::object obj;
    if (item.get_object().get(obj) != simdjson::SUCCESS) {
      return fail("ticker list entry is not an object");
    }
    std::string_view pair, bid, ask;
    if (!ForEachField(obj, [&](std::string_view key, od::value v) {
          if (key == "currency_pair") return OptionalText(v, &pair);
          if (key == "highest_bid") return OptionalText(v, &bid);
          if (key == "lowest_ask") return OptionalText(v, &ask);
          return true;
        })) {
      return fail("malformed ticker entry");
    }
    if (pair.empty()) return fail("ticker entry without currency_pair");
    if (bid.empty() || ask.empty()) continue;  // a pair without a book side
    Tick t;
    t.type = TickType::kQuote;
    t.symbol = pair;
    if (!DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
      return fail("ticker highest_bid/lowest_ask is not a decimal");
    }
    *out->Add() = t;
  }
  r.kind = FrameKind::kData;
  return r;
}

}  // namespace oracle::feeds
