#include "feeds/okx/okx_parse.h"

#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// The members of one data entry that the oracle reads, as text (views into the parser).
struct Entry {
  std::string_view inst_id, px, sz, ts, seq_id, prev_seq_id, bid_px, ask_px;
  std::string_view best_bid, best_ask;  // first levels of bids/asks (bbo-tbt, books5)
  bool has_bid_px = false, has_ask_px = false;
};

// Reads an entry object in one pass. False on malformed JSON or a malformed book side.
bool ReadEntry(od::object obj, Entry* e) noexcept {
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    od::value v = field.value();
    if (key == "asks" || key == "bids") {
      if (!FirstArrayLevelPrice(v, key == "asks" ? &e->best_ask : &e->best_bid)) return false;
      continue;
    }
    std::string_view* dst = nullptr;
    if (key == "instId") {
      dst = &e->inst_id;
    } else if (key == "px") {
      dst = &e->px;
    } else if (key == "sz") {
      dst = &e->sz;
    } else if (key == "ts") {
      dst = &e->ts;
    } else if (key == "seqId") {
      dst = &e->seq_id;
    } else if (key == "prevSeqId") {
      dst = &e->prev_seq_id;
    } else if (key == "bidPx") {
      dst = &e->bid_px, e->has_bid_px = true;
    } else if (key == "askPx") {
      dst = &e->ask_px, e->has_ask_px = true;
    }
    if (dst == nullptr) continue;
    od::json_type t;
    if (v.type().get(t) != simdjson::SUCCESS) return false;
    if (t == od::json_type::string || t == od::json_type::number) (void)ValueText(v, dst);
  }
  return true;
}

enum class Channel { kTrades, kBook, kTickers, kOther };

Channel ChannelOf(std::string_view channel) noexcept {
  if (channel == "trades" || channel == "trades-all") return Channel::kTrades;
  if (channel == "bbo-tbt" || channel == "books5") return Channel::kBook;
  if (channel == "tickers") return Channel::kTickers;
  return Channel::kOther;
}

// Fills the parts of a tick shared by all kinds: event time and sequence numbers. Returns the
// problem, or nullptr.
const char* ReadTimeAndSequence(const Entry& e, Tick* t) noexcept {
  if (!e.ts.empty() && !EpochTimeFromText(e.ts, kNanosPerMilli, &t->event_time)) {
    return "ts is not a number of milliseconds";
  }
  if (!e.seq_id.empty() && !UintFromText(e.seq_id, &t->sequence)) {
    return "seqId is not an unsigned integer";
  }
  // prevSeqId is -1 in snapshots: the update then follows nothing.
  if (!e.prev_seq_id.empty() && !UintFromText(e.prev_seq_id, &t->prev_sequence)) {
    t->prev_sequence = 0;
  }
  return nullptr;
}

// One data entry -> at most one tick. Returns the problem, or nullptr.
const char* EntryToTick(Channel channel, const Entry& e, std::string_view arg_inst_id,
                        TickBuffer* out) noexcept {
  Tick t;
  t.symbol = e.inst_id.empty() ? arg_inst_id : e.inst_id;
  if (t.symbol.empty()) return "data entry without instId";
  if (const char* why = ReadTimeAndSequence(e, &t)) return why;
  if (channel == Channel::kTrades) {
    t.type = TickType::kTrade;
    if (!DecimalFromText(e.px, &t.price) || !DecimalFromText(e.sz, &t.size)) {
      return "trade without a decimal px or sz";
    }
    if (!Positive(t.price) || t.size.mantissa < 0) return "trade px is not positive or sz negative";
  } else {
    t.type = TickType::kQuote;
    const std::string_view bid = channel == Channel::kBook ? e.best_bid : e.bid_px;
    const std::string_view ask = channel == Channel::kBook ? e.best_ask : e.ask_px;
    if (channel == Channel::kTickers && (!e.has_bid_px || !e.has_ask_px)) {
      return "tickers entry without bidPx or askPx";
    }
    if (bid.empty() || ask.empty()) return nullptr;  // a side without orders: no quote
    if (!DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
      return "best bid or ask is not a decimal";
    }
    if (!Positive(t.bid) || !Positive(t.ask)) return nullptr;  // no usable quote
  }
  *out->Add() = t;
  return nullptr;
}

// Reads "arg": {"channel":..,"instId":..} in one pass. False when it is not such an object.
bool ReadArg(od::value v, std::string_view* channel, std::string_view* inst_id) noexcept {
  od::object arg;
  if (v.get_object().get(arg) != simdjson::SUCCESS) return false;
  for (auto field_result : arg) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return false;
    }
    if (key == "channel" || key == "instId") {
      if (field.value().get_string().get(key == "channel" ? *channel : *inst_id) !=
          simdjson::SUCCESS) {
        return false;
      }
    }
  }
  return !channel->empty();
}

// The entries of a push's "data" array -> ticks. Returns the problem, or nullptr.
const char* ReadEntries(od::value data, Channel channel, std::string_view arg_inst_id,
                        TickBuffer* out) noexcept {
  od::array entries;
  if (data.get_array().get(entries) != simdjson::SUCCESS) return "\"data\" is not an array";
  for (auto entry_result : entries) {
    od::object obj;
    Entry e;
    if (entry_result.get_object().get(obj) != simdjson::SUCCESS || !ReadEntry(obj, &e)) {
      return "data entry is not a well-formed object";
    }
    if (const char* why = EntryToTick(channel, e, arg_inst_id, out)) return why;
  }
  return nullptr;
}

// Drops the ticks added since the buffer held `start` ticks; an unparseable result saying why.
ParseResult RollbackUnparseable(TickBuffer* out, size_t start, std::string_view why) noexcept {
  Rollback(out, start);
  return Unparseable(why);
}

// The top-level members of a frame, read in one pass.
struct FrameFields {
  std::string_view channel, inst_id, event, msg, code, late_data;
  bool has_arg = false, has_data = false, has_event = false, has_op = false;
};

// "data": its entries read into `out` when "arg" came first, else its raw text kept in `f`.
// Returns the problem, or nullptr.
const char* ReadDataField(od::value v, FrameFields* f, TickBuffer* out) noexcept {
  if (f->has_arg) {
    const Channel kind = ChannelOf(f->channel);
    if (kind == Channel::kOther) return nullptr;  // not read: skipped by the iteration
    return ReadEntries(v, kind, f->inst_id, out);
  }
  od::array data;
  if (v.get_array().get(data) != simdjson::SUCCESS ||
      data.raw_json().get(f->late_data) != simdjson::SUCCESS) {
    return "\"data\" is not an array";
  }
  return nullptr;
}

// One top-level member into `f`. Returns the problem, or nullptr.
const char* ReadFrameField(std::string_view key, od::value v, FrameFields* f,
                           TickBuffer* out) noexcept {
  if (key == "arg") {
    // A second "arg" could re-label data already read: refused, as is a second "data".
    if (f->has_arg) return "repeated \"arg\"";
    if (!ReadArg(v, &f->channel, &f->inst_id)) return "\"arg\" is not an object with a channel";
    f->has_arg = true;
  } else if (key == "data") {
    if (f->has_data) return "repeated \"data\"";
    f->has_data = true;
    return ReadDataField(v, f, out);
  } else if (key == "event") {
    if (v.get_string().get(f->event) != simdjson::SUCCESS) return "\"event\" is not a string";
    f->has_event = true;
  } else if (key == "msg" || key == "code") {
    if (!ValueText(v, key == "msg" ? &f->msg : &f->code)) {
      return "\"msg\" or \"code\" is not a string";
    }
  } else if (key == "op") {
    f->has_op = true;
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
    } else if (f.event == "error" || f.event == "channel-conn-count-error") {
      r.kind = FrameKind::kError;
      r.detail = !f.msg.empty()    ? f.msg
                 : !f.code.empty() ? f.code
                                   : std::string_view("error without msg");
    } else if (f.event == "notice") {  // code 64008: closing soon for a service upgrade
      r.kind = FrameKind::kReconnect;
      r.detail = !f.msg.empty() ? f.msg : std::string_view("notice");
    } else {  // channel-conn-count and future informational events
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
      f.has_arg ? "push without \"data\"" : "object is not an OKX push, event or request");
}

}  // namespace

// Frames are read in one pass in document order: simdjson's out-of-order lookups assume a
// well-formed prefix, which a venue frame does not promise. A "data" array that comes before
// "arg" (never seen from OKX, but JSON does not forbid it) is read again afterwards from its raw
// text with a second parser.
struct OkxParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  od::parser late_parser;
  PaddedFrame late_frame;

  // A push ("arg" and "data") whose members are in `f`: its ticks from `start` on.
  ParseResult PushResult(const FrameFields& f, size_t start, TickBuffer* out) noexcept;
};

OkxParser::OkxParser() : impl_(std::make_unique<Impl>()) {}
OkxParser::~OkxParser() = default;

ParseResult OkxParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
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

ParseResult OkxParser::Impl::PushResult(const FrameFields& f, size_t start,
                                        TickBuffer* out) noexcept {
  ParseResult r;
  const Channel kind = ChannelOf(f.channel);
  if (kind == Channel::kOther) {  // books, mark-price, index-tickers, funding-rate, ...
    Rollback(out, start);
    r.kind = FrameKind::kIgnored;
    r.detail = f.channel;
    return r;
  }
  if (!f.late_data.empty()) {
    od::document late;
    od::value data;
    if (late_parser.iterate(late_frame.Load(f.late_data)).get(late) != simdjson::SUCCESS ||
        late.get_value().get(data) != simdjson::SUCCESS) {
      return RollbackUnparseable(out, start, "\"data\" is malformed JSON");
    }
    if (const char* why = ReadEntries(data, kind, f.inst_id, out)) {
      return RollbackUnparseable(out, start, why);
    }
  }
  r.kind = FrameKind::kData;
  return r;
}

ParseResult OkxParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
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
  bool has_code = false, has_data = false, any_entry = false, any_ticker = false;
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
        return fail("\"code\" or \"msg\" is not a string");
      }
      has_code = has_code || key == "code";
    } else if (key == "data") {
      if (has_data) return fail("repeated \"data\"");
      od::array entries;
      if (v.get_array().get(entries) != simdjson::SUCCESS) return fail("\"data\" is not an array");
      has_data = true;
      for (auto entry_result : entries) {
        od::object obj;
        Entry e;
        if (entry_result.get_object().get(obj) != simdjson::SUCCESS || !ReadEntry(obj, &e)) {
          return fail("data entry is not a well-formed object");
        }
        any_entry = true;
        if (!e.has_bid_px && !e.has_ask_px) continue;  // index-tickers, mark-price: no book
        any_ticker = true;
        if (const char* why = EntryToTick(Channel::kTickers, e, {}, out)) return fail(why);
      }
    }
  }
  if (has_code && code != "0") {
    Rollback(out, start);
    r.kind = FrameKind::kError;
    r.detail = !msg.empty() ? msg : code;
    return r;
  }
  if (!has_data) return fail("REST body without a \"data\" array");
  if (any_entry && !any_ticker) {
    r.kind = FrameKind::kIgnored;
    r.detail = "REST entries without bidPx/askPx (index or mark price)";
    return r;
  }
  r.kind = FrameKind::kData;
  return r;
}

}  // namespace oracle::feeds
