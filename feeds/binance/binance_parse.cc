#include "feeds/binance/binance_parse.h"

#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// The fields of one Binance event object that the oracle reads, as text.
struct Fields {
  std::string_view e, s, p, q, b, a, ts_E, ts_T, u, t;
  std::string_view symbol_rest, bid_rest, ask_rest, mark_rest, price_rest, time_rest;
  bool has_b = false, has_a = false, has_u = false, has_e = false;
};

enum class ObjectResult { kOk, kBad };

// Records one field of an event object if the oracle reads it. Unknown keys, and values that are
// not strings or numbers (e.g. "m":true), are skipped.
void TakeField(std::string_view key, od::value v, Fields* f) noexcept {
  std::string_view* dst = nullptr;
  if (key.size() == 1) {
    switch (key[0]) {
      case 'e':
        dst = &f->e, f->has_e = true;
        break;
      case 's':
        dst = &f->s;
        break;
      case 'p':
        dst = &f->p;
        break;
      case 'q':
        dst = &f->q;
        break;
      case 'b':
        dst = &f->b, f->has_b = true;
        break;
      case 'a':
        dst = &f->a, f->has_a = true;
        break;
      case 'E':
        dst = &f->ts_E;
        break;
      case 'T':
        dst = &f->ts_T;
        break;
      case 'u':
        dst = &f->u, f->has_u = true;
        break;
      case 't':
        dst = &f->t;
        break;
      default:
        break;
    }
  } else if (key == "symbol") {
    dst = &f->symbol_rest;
  } else if (key == "bidPrice") {
    dst = &f->bid_rest;
  } else if (key == "askPrice") {
    dst = &f->ask_rest;
  } else if (key == "markPrice") {
    dst = &f->mark_rest;
  } else if (key == "price") {
    dst = &f->price_rest;
  } else if (key == "time") {
    dst = &f->time_rest;
  }
  if (dst == nullptr) return;
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return;
  if (t == od::json_type::string || t == od::json_type::number) (void)ValueText(v, dst);
}

// Reads the fields of an event object (one pass, document order).
ObjectResult ReadEvent(od::object obj, Fields* f) noexcept {
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return ObjectResult::kBad;
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return ObjectResult::kBad;
    TakeField(key, field.value(), f);
  }
  return ObjectResult::kOk;
}

bool EventToTicks(const Fields& f, TickBuffer* out, ParseResult* r) noexcept {
  Tick* t;
  auto bad = [&](const char* why) {
    r->kind = FrameKind::kUnparseable;
    r->detail = why;
    return false;
  };
  if (f.e == "trade" || f.e == "aggTrade") {
    t = out->Add();
    t->type = TickType::kTrade;
    t->symbol = f.s;
    if (f.s.empty() || !DecimalFromText(f.p, &t->price) || !DecimalFromText(f.q, &t->size)) {
      out->PopBack();
      return bad("trade without symbol, price or quantity");
    }
    const std::string_view ts = !f.ts_T.empty() ? f.ts_T : f.ts_E;
    if (!ts.empty() && !EpochTimeFromText(ts, kNanosPerMilli, &t->event_time)) {
      out->PopBack();
      return bad("trade time is not a number of milliseconds");
    }
    // Trade ids ("t") and aggregate trade ids ("a") are sequential per symbol: the previous id lets
    // the adapter count missed trades.
    const std::string_view id = f.e == "trade" ? f.t : f.a;
    if (!id.empty() && UintFromText(id, &t->sequence) && t->sequence > 1) {
      t->prev_sequence = t->sequence - 1;
    }
    r->kind = FrameKind::kData;
    return true;
  }
  if (f.e == "bookTicker" || (!f.has_e && f.has_b && f.has_a && f.has_u)) {
    t = out->Add();
    t->type = TickType::kQuote;
    t->symbol = f.s;
    if (f.s.empty() || !DecimalFromText(f.b, &t->bid) || !DecimalFromText(f.a, &t->ask)) {
      out->PopBack();
      return bad("bookTicker without symbol, bid or ask");
    }
    if (!f.u.empty() && !UintFromText(f.u, &t->sequence)) {
      out->PopBack();
      return bad("bookTicker update id is not an unsigned integer");
    }
    // Futures frames carry E/T; spot frames carry no time (event_time stays 0: receive time).
    const std::string_view ts = !f.ts_T.empty() ? f.ts_T : f.ts_E;
    if (!ts.empty() && !EpochTimeFromText(ts, kNanosPerMilli, &t->event_time)) {
      out->PopBack();
      return bad("bookTicker time is not a number of milliseconds");
    }
    r->kind = FrameKind::kData;
    return true;
  }
  if (f.e == "markPriceUpdate") {
    t = out->Add();
    t->type = TickType::kTrade;
    t->symbol = f.s;
    t->size = Decimal{0, 0};
    if (f.s.empty() || !DecimalFromText(f.p, &t->price)) {
      out->PopBack();
      return bad("markPriceUpdate without symbol or mark price");
    }
    if (!f.ts_E.empty() && !EpochTimeFromText(f.ts_E, kNanosPerMilli, &t->event_time)) {
      out->PopBack();
      return bad("markPriceUpdate time is not a number of milliseconds");
    }
    r->kind = FrameKind::kData;
    return true;
  }
  if (f.e == "serverShutdown") {
    r->kind = FrameKind::kReconnect;
    r->detail = "serverShutdown";
    return true;
  }
  if (f.has_e) {  // depthUpdate, kline, 24hrTicker, forceOrder, indexPriceUpdate, ...
    r->kind = FrameKind::kIgnored;
    return true;
  }
  return bad("object is not a Binance market event");
}

// The members of a top-level object that make it a control reply, an error or a client request.
struct ControlFields {
  bool has_result = false, has_id = false, has_code = false, has_error = false, has_method = false;
  std::string_view msg;
};

// "error":{"msg":..,..}: its msg into *msg. Anything malformed in it is skipped.
void ReadErrorMsg(od::value v, std::string_view* msg) noexcept {
  od::object err;
  if (v.get_object().get(err) != simdjson::SUCCESS) return;
  for (auto ef : err) {
    od::field ff;
    std::string_view k;
    if (std::move(ef).get(ff) == simdjson::SUCCESS &&
        ff.unescaped_key().get(k) == simdjson::SUCCESS && k == "msg") {
      (void)ValueText(ff.value(), msg);
    }
  }
}

// One top-level member: a combined stream's "data" event into `f`, a control member into `c`, or
// else a raw (non-combined) event's field into `f`. False when "data" is not an event object.
bool ReadTopField(std::string_view key, od::value v, Fields* f, ControlFields* c) noexcept {
  if (key == "data") {
    od::object inner;
    return v.get_object().get(inner) == simdjson::SUCCESS &&
           ReadEvent(inner, f) == ObjectResult::kOk;
  }
  if (key == "stream") return true;
  if (key == "method") {
    c->has_method = true;
  } else if (key == "result") {
    c->has_result = true;
  } else if (key == "id") {
    c->has_id = true;
  } else if (key == "code") {
    c->has_code = true;
  } else if (key == "msg") {
    (void)ValueText(v, &c->msg);
  } else if (key == "error") {
    c->has_error = true;
    ReadErrorMsg(v, &c->msg);
  } else {
    TakeField(key, v, f);  // a raw (non-combined) event: its fields are at the top level
  }
  return true;
}

// One REST ticker object (bookTicker, premiumIndex or ticker/price) -> a tick. False when it has
// no symbol or no decimal prices (nothing is added then).
bool RestEntryToTick(od::object obj, TickBuffer* out) noexcept {
  Fields f;
  if (ReadEvent(obj, &f) != ObjectResult::kOk || f.symbol_rest.empty()) return false;
  Tick* t = out->Add();
  t->symbol = f.symbol_rest;
  if (!f.mark_rest.empty() || !f.price_rest.empty()) {  // premiumIndex or ticker/price
    t->type = TickType::kTrade;
    t->size = Decimal{0, 0};
    if (!DecimalFromText(!f.mark_rest.empty() ? f.mark_rest : f.price_rest, &t->price)) {
      out->PopBack();
      return false;
    }
    if (!f.time_rest.empty()) (void)EpochTimeFromText(f.time_rest, kNanosPerMilli, &t->event_time);
    return true;
  }
  t->type = TickType::kQuote;
  if (!DecimalFromText(f.bid_rest, &t->bid) || !DecimalFromText(f.ask_rest, &t->ask)) {
    out->PopBack();
    return false;
  }
  return true;
}

}  // namespace

struct BinanceParser::Impl {
  od::parser parser;
  PaddedFrame frame;

  // A REST object body that is not a ticker: Binance's error reply ({"code":-1121,"msg":..}) is
  // a venue error, anything else unparseable. Iterates `body` afresh.
  ParseResult RestErrorReply(std::string_view body) noexcept;
};

BinanceParser::BinanceParser() : impl_(std::make_unique<Impl>()) {}
BinanceParser::~BinanceParser() = default;

ParseResult BinanceParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  ParseResult r;
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(frame)).get(doc) != simdjson::SUCCESS) {
    r.detail = "not JSON";
    return r;
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) {
    r.detail = "not a JSON object";
    return r;
  }
  // One pass over the top level: a combined-stream wrapper, a control reply, or a raw event.
  Fields f;
  ControlFields c;
  for (auto field_result : top) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) {
      r.detail = "malformed JSON";
      return r;
    }
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
      r.detail = "malformed JSON";
      return r;
    }
    if (!ReadTopField(key, field.value(), &f, &c)) {
      r.detail = "\"data\" is not an event object";
      return r;
    }
  }
  if (c.has_error || (c.has_code && !c.msg.empty())) {
    r.kind = FrameKind::kError;
    r.detail = c.msg.empty() ? std::string_view("error without message") : c.msg;
    return r;
  }
  if (c.has_result && c.has_id) {
    r.kind = FrameKind::kAck;
    return r;
  }
  if (c.has_method) {  // a client request (SUBSCRIBE, ...) echoed in a capture: not market data
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  EventToTicks(f, out, &r);
  return r;
}

ParseResult BinanceParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  ParseResult r;
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    r.detail = "not JSON";
    return r;
  }
  od::json_type type;
  if (doc.type().get(type) != simdjson::SUCCESS) {
    r.detail = "not JSON";
    return r;
  }
  if (type == od::json_type::array) {
    od::array arr;
    if (doc.get_array().get(arr) != simdjson::SUCCESS) {
      r.detail = "malformed JSON";
      return r;
    }
    const size_t start = out->size();
    for (auto item : arr) {
      od::object obj;
      if (item.get_object().get(obj) != simdjson::SUCCESS || !RestEntryToTick(obj, out)) {
        while (out->size() > start) out->PopBack();  // the entries before it are not data either
        r.detail = "ticker entry without symbol or prices";
        return r;
      }
    }
  } else {
    od::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS || !RestEntryToTick(obj, out)) {
      return impl_->RestErrorReply(body);
    }
  }
  r.kind = FrameKind::kData;
  return r;
}

ParseResult BinanceParser::Impl::RestErrorReply(std::string_view body) noexcept {
  ParseResult r;
  // Binance's error reply, e.g. {"code":-1121,"msg":"Invalid symbol."}: a venue error.
  // Read again in document order (out-of-order lookups assume well-formed JSON).
  int64_t code = 0;
  std::string_view msg;
  bool has_code = false, has_msg = false, well_formed = true;
  // A fresh iteration, not rewind(): after an error simdjson abandons the iterator.
  od::document again;
  od::object err;
  if (parser.iterate(frame.Load(body)).get(again) == simdjson::SUCCESS &&
      again.get_object().get(err) == simdjson::SUCCESS) {
    for (auto field_result : err) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) != simdjson::SUCCESS ||
          field.unescaped_key().get(key) != simdjson::SUCCESS) {
        well_formed = false;
        break;
      }
      if (key == "code") {
        has_code = field.value().get_int64().get(code) == simdjson::SUCCESS;
      } else if (key == "msg") {
        has_msg = field.value().get_string().get(msg) == simdjson::SUCCESS;
      }
    }
  }
  if (well_formed && has_code && has_msg) {
    r.kind = FrameKind::kError;
    r.detail = msg;
    return r;
  }
  r.detail = "ticker without symbol or prices";
  return r;
}

}  // namespace oracle::feeds
