#include "feeds/bitget/bitget_parse.h"

#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

enum class Channel { kTrades, kBook, kOther };

Channel ChannelOf(std::string_view channel) noexcept {
  if (channel == "trade" || channel == "publicTrade") return Channel::kTrades;
  // Depth channels that push a full snapshot every time (v1/v2: books1/5/15; v3: books1/5/50).
  // "books" is incremental after its first push: not used.
  if (channel == "books1" || channel == "books5" || channel == "books15" || channel == "books50") {
    return Channel::kBook;
  }
  return Channel::kOther;
}

// The members of one data entry that the oracle reads, as text (views into the parser).
struct Entry {
  std::string_view ts, px, sz, id, seq;
  std::string_view best_bid, best_ask;  // first levels of bids/asks (book channels)
};

// Reads an object entry in one pass: v2 {ts,price,size,tradeId} / {asks,bids,ts,seq}, v3
// {T,p,v,i} / {a,b,ts,seq}. False on malformed JSON or a malformed book side.
bool ReadObjectEntry(od::object obj, Channel channel, Entry* e) noexcept {
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    od::value v = field.value();
    if (channel == Channel::kBook) {
      if (key == "asks" || key == "a") {
        if (!FirstArrayLevelPrice(v, &e->best_ask)) return false;
        continue;
      }
      if (key == "bids" || key == "b") {
        if (!FirstArrayLevelPrice(v, &e->best_bid)) return false;
        continue;
      }
    }
    std::string_view* dst = nullptr;
    if (key == "ts" || key == "T") {
      dst = &e->ts;
    } else if (key == "price" || key == "p") {
      dst = &e->px;
    } else if (key == "size" || key == "v") {
      dst = &e->sz;
    } else if (key == "tradeId" || key == "i") {
      dst = &e->id;
    } else if (key == "seq") {
      dst = &e->seq;
    }
    if (dst != nullptr && !OptionalTextLenient(v, dst)) return false;
  }
  return true;
}

// Reads a v1 trade entry ["ts","price","size","side"]. False when it is not such an array.
bool ReadArrayTrade(od::array arr, Entry* e) noexcept {
  size_t index = 0;
  for (auto item_result : arr) {
    od::value v;
    if (item_result.get(v) != simdjson::SUCCESS) return false;
    std::string_view* dst = index == 0   ? &e->ts
                            : index == 1 ? &e->px
                            : index == 2 ? &e->sz
                                         : nullptr;
    if (dst != nullptr && !ValueText(v, dst)) return false;
    ++index;
  }
  return index >= 3;
}

// One data entry -> at most one tick. Returns the problem, or nullptr.
const char* EntryToTick(Channel channel, const Entry& e, std::string_view symbol,
                        TickBuffer* out) noexcept {
  Tick t;
  t.symbol = symbol;
  if (!e.ts.empty() && !EpochTimeFromText(e.ts, kNanosPerMilli, &t.event_time)) {
    return "ts is not a number of milliseconds";
  }
  // Ids beyond 64 bits (or not integers) are not kept: the sequence stays 0.
  if (!e.seq.empty() && !UintFromText(e.seq, &t.sequence)) t.sequence = 0;
  if (channel == Channel::kTrades) {
    t.type = TickType::kTrade;
    if (!DecimalFromText(e.px, &t.price) || !DecimalFromText(e.sz, &t.size)) {
      return "trade without a decimal price or size";
    }
    if (!Positive(t.price) || t.size.mantissa < 0) {
      return "trade price is not positive or size negative";
    }
    if (!e.id.empty() && !UintFromText(e.id, &t.sequence)) t.sequence = 0;
  } else {
    t.type = TickType::kQuote;
    if (e.best_bid.empty() || e.best_ask.empty()) return nullptr;  // a side without orders
    if (!DecimalFromText(e.best_bid, &t.bid) || !DecimalFromText(e.best_ask, &t.ask)) {
      return "best bid or ask is not a decimal";
    }
    if (!Positive(t.bid) || !Positive(t.ask)) return nullptr;  // no usable quote
  }
  *out->Add() = t;
  return nullptr;
}

// The entries of a push's "data" array -> ticks. Returns the problem, or nullptr.
const char* ReadEntries(od::value data, Channel channel, std::string_view symbol,
                        TickBuffer* out) noexcept {
  od::array entries;
  if (data.get_array().get(entries) != simdjson::SUCCESS) return "\"data\" is not an array";
  for (auto entry_result : entries) {
    od::value entry;
    od::json_type type;
    if (entry_result.get(entry) != simdjson::SUCCESS ||
        entry.type().get(type) != simdjson::SUCCESS) {
      return "data entry is malformed JSON";
    }
    Entry e;
    if (type == od::json_type::object) {
      od::object obj;
      if (entry.get_object().get(obj) != simdjson::SUCCESS || !ReadObjectEntry(obj, channel, &e)) {
        return "data entry is not a well-formed object";
      }
    } else if (type == od::json_type::array && channel == Channel::kTrades) {
      od::array arr;
      if (entry.get_array().get(arr) != simdjson::SUCCESS || !ReadArrayTrade(arr, &e)) {
        return "v1 trade entry is not [ts, price, size, side]";
      }
    } else {
      return "data entry is not an object";
    }
    if (const char* why = EntryToTick(channel, e, symbol, out)) return why;
  }
  return nullptr;
}

// Reads "arg": {"instType","channel"|"topic","instId"|"symbol"} in one pass. False when it is not
// an object or those members are not strings (a missing channel is the caller's concern: an
// error event may echo an incomplete arg).
bool ReadArg(od::value v, std::string_view* channel, std::string_view* symbol) noexcept {
  od::object arg;
  if (v.get_object().get(arg) != simdjson::SUCCESS) return false;
  for (auto field_result : arg) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return false;
    }
    std::string_view* dst = nullptr;
    if (key == "channel" || key == "topic") {
      dst = channel;
    } else if (key == "instId" || key == "symbol") {
      dst = symbol;
    }
    if (dst != nullptr && field.value().get_string().get(*dst) != simdjson::SUCCESS) return false;
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
  std::string_view channel, symbol, event, msg, code, push_ts, late_data;
  bool has_arg = false, has_data = false, has_event = false, has_op = false;
  bool late_data_not_array = false;
};

// "data": its entries read into `out` when "arg" came first, else its raw text kept in `f`.
// Returns the problem, or nullptr.
const char* ReadDataField(od::value v, FrameFields* f, TickBuffer* out) noexcept {
  if (f->has_arg) {
    const Channel kind = ChannelOf(f->channel);
    if (kind == Channel::kOther) return nullptr;  // not read: skipped by the iteration
    if (f->symbol.empty()) return "\"arg\" without instId or symbol";
    return ReadEntries(v, kind, f->symbol, out);
  }
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return "malformed JSON";
  od::array data;
  if (t != od::json_type::array) {
    f->late_data_not_array = true;  // an error only for a channel the oracle reads
  } else if (v.get_array().get(data) != simdjson::SUCCESS ||
             data.raw_json().get(f->late_data) != simdjson::SUCCESS) {
    return "\"data\" is malformed JSON";
  }
  return nullptr;
}

// One top-level member into `f`. Returns the problem, or nullptr.
const char* ReadFrameField(std::string_view key, od::value v, FrameFields* f,
                           TickBuffer* out) noexcept {
  if (key == "arg") {
    // A second "arg" could re-label data already read: refused, as is a second "data".
    if (f->has_arg) return "duplicate \"arg\"";
    if (!ReadArg(v, &f->channel, &f->symbol)) return "\"arg\" is not an object of strings";
    f->has_arg = true;
  } else if (key == "data") {
    if (f->has_data) return "duplicate \"data\"";
    f->has_data = true;
    return ReadDataField(v, f, out);
  } else if (key == "ts") {
    if (!OptionalTextLenient(v, &f->push_ts)) return "malformed JSON";
  } else if (key == "event") {
    if (v.get_string().get(f->event) != simdjson::SUCCESS) return "\"event\" is not a string";
    f->has_event = true;
  } else if (key == "msg" || key == "code") {
    if (!ValueText(v, key == "msg" ? &f->msg : &f->code)) {
      return "\"msg\" or \"code\" is not a string or number";
    }
  } else if (key == "op") {
    f->has_op = true;
  }
  return nullptr;
}

// Entries without their own time (from `start` on) take the push time (the frame's "ts", ms),
// read only when one needs it. Returns the problem, or nullptr.
const char* SetPushTime(std::string_view push_ts, size_t start, TickBuffer* out) noexcept {
  if (push_ts.empty()) return nullptr;
  TimeNs push_time = 0;
  bool push_time_read = false;
  for (size_t i = start; i < out->size(); ++i) {
    Tick& t = (*out)[i];
    if (t.event_time != 0) continue;
    if (!push_time_read) {
      if (!EpochTimeFromText(push_ts, kNanosPerMilli, &push_time)) {
        return "ts is not a number of milliseconds";
      }
      push_time_read = true;
    }
    t.event_time = push_time;
  }
  return nullptr;
}

// A frame that is not a push: events, client requests.
ParseResult EventResult(const FrameFields& f, size_t start, TickBuffer* out) noexcept {
  ParseResult r;
  if (f.has_event) {
    if (f.event == "subscribe" || f.event == "unsubscribe" || f.event == "login") {
      r.kind = FrameKind::kAck;
      r.detail = f.event;
    } else if (f.event == "error") {  // {"event":"error","code":30001,"msg":"... doesn't exist"}
      r.kind = FrameKind::kError;
      r.detail = !f.msg.empty()    ? f.msg
                 : !f.code.empty() ? f.code
                                   : std::string_view("error without msg");
    } else {  // events Bitget may add: counted, not acted on
      r.kind = FrameKind::kIgnored;
      r.detail = f.event;
    }
    return r;
  }
  if (f.has_op) {  // a client request ({"op":"subscribe",...}) seen in a capture
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  return RollbackUnparseable(
      out, start,
      f.has_arg ? "push without \"data\"" : "object is not a Bitget push, event or request");
}

// One REST ticker entry {symbol, bidPr, askPr, ts, ..} -> at most one quote tick. Returns the
// problem, or nullptr.
const char* RestEntryToTick(od::object obj, TickBuffer* out) noexcept {
  std::string_view symbol, bid, ask, ts;
  bool has_bid = false, has_ask = false;
  for (auto member_result : obj) {
    od::field member;
    std::string_view name;
    if (std::move(member_result).get(member) != simdjson::SUCCESS ||
        member.unescaped_key().get(name) != simdjson::SUCCESS) {
      return "data entry is not a well-formed object";
    }
    std::string_view* dst = nullptr;
    if (name == "symbol") {
      dst = &symbol;
    } else if (name == "bidPr") {
      dst = &bid, has_bid = true;
    } else if (name == "askPr") {
      dst = &ask, has_ask = true;
    } else if (name == "ts") {
      dst = &ts;
    }
    if (dst != nullptr && !OptionalTextLenient(member.value(), dst)) {
      return "data entry is not a well-formed object";
    }
  }
  if (symbol.empty()) return "ticker entry without symbol";
  if (!has_bid || !has_ask) return "ticker entry without bidPr or askPr";
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = symbol;
  if (!ts.empty() && !EpochTimeFromText(ts, kNanosPerMilli, &t.event_time)) {
    return "ts is not a number of milliseconds";
  }
  if (bid.empty() || ask.empty()) return nullptr;  // a side without orders
  if (!DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
    return "bidPr or askPr is not a decimal";
  }
  if (!Positive(t.bid) || !Positive(t.ask)) return nullptr;  // no usable quote
  *out->Add() = t;
  return nullptr;
}

// The entries of a REST "data" array -> quote ticks. Returns the problem, or nullptr.
const char* RestEntriesToTicks(od::array entries, TickBuffer* out) noexcept {
  for (auto entry_result : entries) {
    od::object obj;
    if (entry_result.get_object().get(obj) != simdjson::SUCCESS) {
      return "data entry is not an object";
    }
    if (const char* why = RestEntryToTick(obj, out)) return why;
  }
  return nullptr;
}

}  // namespace

// Frames are read in one pass in document order: simdjson's out-of-order lookups assume a
// well-formed prefix, which a venue frame does not promise. A "data" array that comes before
// "arg" (never seen from Bitget, but JSON does not forbid it) is read again afterwards from its
// raw text with a second parser.
struct BitgetParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  od::parser late_parser;
  PaddedFrame late_frame;

  // A push ("arg" and "data") whose members are in `f`: its ticks from `start` on.
  ParseResult PushResult(const FrameFields& f, size_t start, TickBuffer* out) noexcept;
};

BitgetParser::BitgetParser() : impl_(std::make_unique<Impl>()) {}
BitgetParser::~BitgetParser() = default;

ParseResult BitgetParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  ParseResult r;
  if (frame == "pong") {
    r.kind = FrameKind::kHeartbeat;
    return r;
  }
  if (frame == "ping") {  // the client's keepalive, in captures of both directions
    r.kind = FrameKind::kIgnored;
    r.detail = "client ping";
    return r;
  }
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(frame)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");

  const size_t start = out->size();
  FrameFields f;
  for (auto field_result : top) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return RollbackUnparseable(out, start, "malformed JSON");
    }
    if (const char* why = ReadFrameField(key, field.value(), &f, out)) {
      return RollbackUnparseable(out, start, why);
    }
  }
  if (f.has_arg && f.has_data) return impl_->PushResult(f, start, out);
  return EventResult(f, start, out);
}

ParseResult BitgetParser::Impl::PushResult(const FrameFields& f, size_t start,
                                           TickBuffer* out) noexcept {
  ParseResult r;
  if (f.channel.empty()) return RollbackUnparseable(out, start, "\"arg\" without channel or topic");
  const Channel kind = ChannelOf(f.channel);
  if (kind == Channel::kOther) {  // books, ticker, candle1m, ...
    Rollback(out, start);
    r.kind = FrameKind::kIgnored;
    r.detail = f.channel;
    return r;
  }
  if (f.symbol.empty()) return RollbackUnparseable(out, start, "\"arg\" without instId or symbol");
  if (f.late_data_not_array) return RollbackUnparseable(out, start, "\"data\" is not an array");
  if (!f.late_data.empty()) {
    od::document late;
    od::value data;
    if (late_parser.iterate(late_frame.Load(f.late_data)).get(late) != simdjson::SUCCESS ||
        late.get_value().get(data) != simdjson::SUCCESS) {
      return RollbackUnparseable(out, start, "\"data\" is malformed JSON");
    }
    if (const char* why = ReadEntries(data, kind, f.symbol, out)) {
      return RollbackUnparseable(out, start, why);
    }
  }
  if (const char* why = SetPushTime(f.push_ts, start, out)) {
    return RollbackUnparseable(out, start, why);
  }
  r.kind = FrameKind::kData;
  return r;
}

ParseResult BitgetParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  ParseResult r;
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");
  const size_t start = out->size();
  auto fail = [&](const char* why) {
    Rollback(out, start);
    return Unparseable(why);
  };
  std::string_view code, msg;
  bool has_code = false, has_data = false;
  for (auto field_result : top) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return fail("malformed JSON");
    }
    od::value v = field.value();
    if (key == "code" || key == "msg") {
      if (!ValueText(v, key == "code" ? &code : &msg)) {
        return fail("\"code\" or \"msg\" is not a string or number");
      }
      has_code = has_code || key == "code";
    } else if (key == "data") {
      od::json_type t;
      if (v.type().get(t) != simdjson::SUCCESS) return fail("malformed JSON");
      if (t == od::json_type::null) continue;  // error replies carry "data":null
      od::array entries;
      if (v.get_array().get(entries) != simdjson::SUCCESS) return fail("\"data\" is not an array");
      has_data = true;
      if (const char* why = RestEntriesToTicks(entries, out)) return fail(why);
    }
  }
  if (has_code && code != "00000") {
    Rollback(out, start);
    r.kind = FrameKind::kError;
    r.detail = !msg.empty() ? msg : code;
    return r;
  }
  if (!has_data) return fail("REST body without a \"data\" array");
  r.kind = FrameKind::kData;
  return r;
}

}  // namespace oracle::feeds
