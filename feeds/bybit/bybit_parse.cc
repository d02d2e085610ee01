#include "feeds/bybit/bybit_parse.h"

#include <functional>
#include <string>
#include <unordered_map>

#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// Symbols tracked for book/ticker merging; frames for further new symbols give no quotes.
constexpr size_t kMaxTrackedSymbols = 4096;

// The symbol a topic is about: the text after its last '.' (as BybitTopicSymbol, kept here so
// the parser links without the symbols file, e.g. in the fuzz target).
std::string_view TopicSymbol(std::string_view topic) noexcept {
  const size_t dot = topic.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : topic.substr(dot + 1);
}

// Reads the members of an object named by `keys` (alternatives: v5 and legacy spellings) into
// `values`, in one pass. Members of other types than string/number are skipped.
template <size_t N>
bool ReadMembers(od::object obj, const std::string_view (&keys)[N], std::string_view* values,
                 bool* present) noexcept {
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    for (size_t i = 0; i < N; ++i) {
      if (key != keys[i]) continue;
      od::value v = field.value();
      od::json_type t;
      if (v.type().get(t) != simdjson::SUCCESS) return false;
      if (t == od::json_type::string || t == od::json_type::number) {
        present[i] = ValueText(v, &values[i]);
      }
      break;
    }
  }
  return true;
}

// Trade entry members: v5 publicTrade first, then the legacy v2 `trade` spellings.
enum TradeKey { kT, kS, kP, kV, kSeq, kTradeTimeMs, kSymbol, kPrice, kSize, kCrossSeq, kTradeKeys };
constexpr std::string_view kTradeKeyNames[kTradeKeys] = {
    "T", "s", "p", "v", "seq", "trade_time_ms", "symbol", "price", "size", "cross_seq"};

// One trade entry -> one trade tick. Returns the problem, or nullptr.
const char* TradeToTick(od::object obj, std::string_view topic_symbol, TickBuffer* out) noexcept {
  std::string_view f[kTradeKeys];
  bool present[kTradeKeys] = {};
  if (!ReadMembers(obj, kTradeKeyNames, f, present)) return "trade entry is malformed JSON";
  auto pick = [&](TradeKey a, TradeKey b) { return present[a] ? f[a] : f[b]; };
  Tick t;
  t.type = TickType::kTrade;
  t.symbol = pick(kS, kSymbol);
  if (t.symbol.empty()) t.symbol = topic_symbol;
  if (t.symbol.empty()) return "trade without a symbol";
  if (!DecimalFromText(pick(kP, kPrice), &t.price) || !DecimalFromText(pick(kV, kSize), &t.size)) {
    return "trade without a decimal price or size";
  }
  if (t.price.mantissa <= 0 || t.size.mantissa < 0) {
    return "trade price not positive or size negative";
  }
  const std::string_view ts = pick(kT, kTradeTimeMs);  // absent: the frame's ts, set later
  if (!ts.empty() && !EpochTimeFromText(ts, kNanosPerMilli, &t.event_time)) {
    return "trade time is not a number of milliseconds";
  }
  const std::string_view seq = pick(kSeq, kCrossSeq);
  if (!seq.empty() && !UintFromText(seq, &t.sequence)) {
    return "trade seq is not an unsigned integer";
  }
  *out->Add() = t;
  return nullptr;
}

// The best bid or ask as the level-1 feed describes it.
struct Level {
  Decimal price;
  bool known = false;
};

struct Quote {
  Level bid, ask;
};

// Applies one side of an orderbook.1 message ([[price, size], ...]) to `level` (already reset for
// a snapshot): a non-zero size makes that price the level (the best of several), a zero size at
// the current price removes it. Returns the problem, or nullptr.
const char* ApplyBookSide(od::value side, bool bids, Level* level) noexcept {
  od::array entries;
  if (side.get_array().get(entries) != simdjson::SUCCESS) return "book side is not an array";
  const Level old = *level;
  Level best;
  bool deleted = false;
  for (auto entry_result : entries) {
    od::array entry;
    if (entry_result.get_array().get(entry) != simdjson::SUCCESS) {
      return "book level is not an array";
    }
    std::string_view text[2];
    size_t n = 0;
    for (auto item : entry) {
      od::value v;
      if (item.get(v) != simdjson::SUCCESS) return "book level is malformed JSON";
      if (n < 2 && !ValueText(v, &text[n])) return "book level price or size is not a string";
      ++n;
    }
    Decimal price, size;
    if (n < 2 || !DecimalFromText(text[0], &price) || !DecimalFromText(text[1], &size)) {
      return "book level without a decimal price and size";
    }
    if (size.mantissa == 0) {
      if (old.known && CompareDecimal(old.price, price) == 0) deleted = true;
      continue;
    }
    if (price.mantissa <= 0 || size.mantissa < 0) continue;  // not a usable level
    if (!best.known ||
        (bids ? CompareDecimal(price, best.price) > 0 : CompareDecimal(price, best.price) < 0)) {
      best.price = price;
      best.known = true;
    }
  }
  if (best.known) {
    *level = best;
  } else if (deleted) {
    level->known = false;
  }
  return nullptr;
}

// Reads a tickers bid1Price/ask1Price value into `level`: "" or "0" means no level.
bool ApplyTickerPrice(std::string_view text, Level* level) noexcept {
  level->known = false;
  if (text.empty()) return true;
  Decimal d;
  if (!DecimalFromText(text, &d)) return false;
  if (d.mantissa > 0) {
    level->price = d;
    level->known = true;
  }
  return true;
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

using QuoteMap = std::unordered_map<std::string, Quote, StringHash, std::equal_to<>>;

// The merged quote of a symbol, created when first seen (nullptr beyond kMaxTrackedSymbols).
Quote* StateOf(QuoteMap* map, std::string_view symbol) noexcept {
  auto it = map->find(symbol);
  if (it != map->end()) return &it->second;
  if (map->size() >= kMaxTrackedSymbols) return nullptr;
  return &map->emplace(std::string(symbol), Quote{}).first->second;
}

void EmitQuote(const Quote& q, std::string_view symbol, TimeNs event_time, uint64_t sequence,
               TickBuffer* out) noexcept {
  if (!q.bid.known || !q.ask.known) return;
  Tick* t = out->Add();
  t->type = TickType::kQuote;
  t->symbol = symbol;
  t->bid = q.bid.price;
  t->ask = q.ask.price;
  t->sequence = sequence;
  t->event_time = event_time;
}

enum class Topic { kTrades, kBook, kTicker, kOther };

Topic TopicOf(std::string_view topic) noexcept {
  if (topic.starts_with("publicTrade.") || topic.starts_with("trade.")) return Topic::kTrades;
  if (topic.starts_with("orderbook.1.")) return Topic::kBook;
  if (topic.starts_with("tickers.")) return Topic::kTicker;
  return Topic::kOther;  // other depths, kline, liquidation, legacy orderBookL2_25, ...
}

// A book or ticker update, committed to the per-symbol state once the whole frame has been read.
struct Pending {
  bool active = false;
  Quote* state = nullptr;  // null beyond kMaxTrackedSymbols: no quote
  Quote next;
  std::string_view symbol;
  uint64_t u = 0;
};

// Drops the ticks added since the buffer held `start` ticks; an unparseable result saying why.
ParseResult RollbackUnparseable(TickBuffer* out, size_t start, std::string_view why) noexcept {
  Rollback(out, start);
  return Unparseable(why);
}

// The top-level members of a stream frame, read in one pass.
struct FrameFields {
  std::string_view topic, type, ts, cts, cs, op, ret_msg, late_data;
  bool has_topic = false, has_type = false, has_data = false, has_success = false;
  bool success = false;
  Topic kind = Topic::kOther;
  Pending pending;
};

// The raw text of a "data" object or array, to be read once the frame's other members are known.
const char* KeepRawData(od::value v, std::string_view* raw) noexcept {
  od::json_type t;
  od::object obj;
  od::array arr;
  if (v.type().get(t) != simdjson::SUCCESS) return "malformed JSON";
  const bool ok = t == od::json_type::object
                      ? v.get_object().get(obj) == simdjson::SUCCESS &&
                            obj.raw_json().get(*raw) == simdjson::SUCCESS
                      : t == od::json_type::array && v.get_array().get(arr) == simdjson::SUCCESS &&
                            arr.raw_json().get(*raw) == simdjson::SUCCESS;
  if (!ok) return "\"data\" is neither an object nor an array";
  return nullptr;
}

// REST ticker entry members: v5, legacy v2 and spot v3 spellings.
enum RestKey { kRestSymbol, kRestBid1, kRestAsk1, kRestBidV2, kRestAskV2, kRestPrice, kRestKeys };
constexpr std::string_view kRestKeyNames[kRestKeys] = {"symbol",    "bid1Price", "ask1Price",
                                                       "bid_price", "ask_price", "price"};

// One REST ticker entry -> at most one tick (event time set by the caller: "time" follows
// "result"). Returns the problem, or nullptr.
const char* RestEntryToTick(od::object obj, TickBuffer* out) noexcept {
  std::string_view f[kRestKeys];
  bool present[kRestKeys] = {};
  if (!ReadMembers(obj, kRestKeyNames, f, present)) return "ticker entry is malformed JSON";
  if (f[kRestSymbol].empty()) return "ticker entry without a symbol";
  const bool v5 = present[kRestBid1] || present[kRestAsk1];
  const bool v2 = present[kRestBidV2] || present[kRestAskV2];
  Tick t;
  t.symbol = f[kRestSymbol];
  if (v5 || v2) {
    Level bid, ask;
    if (!ApplyTickerPrice(v5 ? f[kRestBid1] : f[kRestBidV2], &bid) ||
        !ApplyTickerPrice(v5 ? f[kRestAsk1] : f[kRestAskV2], &ask)) {
      return "ticker bid or ask is not a decimal";
    }
    if (!bid.known || !ask.known) return nullptr;  // a side without orders: no quote
    t.type = TickType::kQuote;
    t.bid = bid.price;
    t.ask = ask.price;
  } else if (present[kRestPrice]) {  // spot v3 ticker/price: the last trade price
    t.type = TickType::kTrade;
    if (!DecimalFromText(f[kRestPrice], &t.price)) return "ticker price is not a decimal";
    if (t.price.mantissa <= 0) return nullptr;
    t.size = Decimal{0, 0};
  } else {
    return nullptr;
  }
  *out->Add() = t;
  return nullptr;
}

// A list of REST ticker entries -> ticks. Returns the problem, or nullptr.
const char* RestEntriesToTicks(od::array arr, TickBuffer* out) noexcept {
  for (auto item : arr) {
    od::object obj;
    if (item.get_object().get(obj) != simdjson::SUCCESS) return "ticker entry is not an object";
    if (const char* why = RestEntryToTick(obj, out)) return why;
  }
  return nullptr;
}

// A REST "result": [..] (v2), {"list":[..]} (v5, v3 lists) or {"symbol":..,"price":..} (v3
// single) -> ticks. Returns the problem, or nullptr.
const char* ReadRestResult(od::value v, TickBuffer* out) noexcept {
  od::json_type type;
  od::array arr;
  od::object obj;
  if (v.type().get(type) != simdjson::SUCCESS) return "malformed JSON";
  if (type == od::json_type::array) {
    return v.get_array().get(arr) == simdjson::SUCCESS ? RestEntriesToTicks(arr, out)
                                                       : "malformed JSON";
  }
  if (type != od::json_type::object || v.get_object().get(obj) != simdjson::SUCCESS) {
    return "\"result\" is neither an object nor an array";
  }
  std::string_view f[kRestKeys];
  bool present[kRestKeys] = {};
  for (auto field_result : obj) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return "malformed JSON";
    }
    od::value member = field.value();
    if (key == "list") {
      if (member.get_array().get(arr) != simdjson::SUCCESS)
        return "\"result.list\" is not an array";
      if (const char* why = RestEntriesToTicks(arr, out)) return why;
      continue;
    }
    for (size_t i = 0; i < kRestKeys; ++i) {
      if (key == kRestKeyNames[i]) {
        present[i] = ValueText(member, &f[i]);
        break;
      }
    }
  }
  if (!present[kRestSymbol]) return nullptr;  // a list, or an empty result
  Decimal price;
  if (!present[kRestPrice] || !DecimalFromText(f[kRestPrice], &price)) {
    return "ticker result without a decimal price";
  }
  if (price.mantissa <= 0) return nullptr;
  Tick* t = out->Add();
  t->type = TickType::kTrade;
  t->symbol = f[kRestSymbol];
  t->price = price;
  t->size = Decimal{0, 0};
  return nullptr;
}

}  // namespace

// Frames are read in one pass in document order: simdjson's out-of-order lookups assume a
// well-formed prefix, which a venue frame does not promise. A "data" member that comes before
// what it needs ("topic", and "type" for books and tickers) is read again afterwards from its raw
// text with a second parser (Bybit sends topic and type first).
struct BybitParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  od::parser late_parser;
  PaddedFrame late_frame;
  QuoteMap books;    // orderbook.1, per symbol
  QuoteMap tickers;  // tickers (linear/inverse), per symbol

  const char* ReadData(od::value data, Topic topic, std::string_view topic_symbol, bool snapshot,
                       Pending* pending, TickBuffer* out) noexcept;
  const char* ReadLateData(std::string_view text, Topic topic, std::string_view topic_symbol,
                           bool snapshot, Pending* pending, TickBuffer* out) noexcept;
  // One top-level member of a stream frame into `f` ("data" into `out` when it can be read at
  // once). Returns the problem, or nullptr.
  const char* ReadFrameField(std::string_view key, od::value v, FrameFields* f,
                             TickBuffer* out) noexcept;
  // A topic push whose members are in `f`: its ticks, the per-symbol state committed.
  ParseResult TopicResult(FrameFields* f, size_t start, TickBuffer* out) noexcept;
  // A frame without "topic": pongs, subscription replies, client requests.
  ParseResult ReplyResult(const FrameFields& f, size_t start, TickBuffer* out) noexcept;
  // The first of "failTopics" in a COMMAND_RESP reply's raw "data" into *failed (*found false
  // when there is none). Returns the problem, or nullptr.
  const char* FirstFailedTopic(std::string_view data, bool* found,
                               std::string_view* failed) noexcept;
};

const char* BybitParser::Impl::ReadData(od::value data, Topic topic, std::string_view topic_symbol,
                                        bool snapshot, Pending* p, TickBuffer* out) noexcept {
  if (topic == Topic::kTrades) {
    od::array entries;
    if (data.get_array().get(entries) != simdjson::SUCCESS) return "trade \"data\" is not an array";
    for (auto entry_result : entries) {
      od::object obj;
      if (entry_result.get_object().get(obj) != simdjson::SUCCESS) {
        return "trade entry is not an object";
      }
      if (const char* why = TradeToTick(obj, topic_symbol, out)) return why;
    }
    return nullptr;
  }
  od::object obj;
  if (data.get_object().get(obj) != simdjson::SUCCESS) return "\"data\" is not an object";
  p->active = true;
  if (topic == Topic::kBook) {  // {s, b, a, u, seq}; seq (cross sequence) is not used
    p->symbol = topic_symbol;
    p->state = StateOf(&books, topic_symbol);
    p->next = (p->state == nullptr || snapshot) ? Quote{} : *p->state;
    std::string_view u;
    for (auto field_result : obj) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) != simdjson::SUCCESS ||
          field.unescaped_key().get(key) != simdjson::SUCCESS) {
        return "malformed JSON";
      }
      if (key == "b" || key == "a") {
        if (const char* why = ApplyBookSide(field.value(), key == "b",
                                            key == "b" ? &p->next.bid : &p->next.ask)) {
          return why;
        }
      } else if (key == "s") {
        if (field.value().get_string().get(p->symbol) != simdjson::SUCCESS) {
          return "book \"s\" is not a string";
        }
      } else if (key == "u") {
        if (!ValueText(field.value(), &u)) return "book \"u\" is not a number";
      }
    }
    if (!u.empty() && !UintFromText(u, &p->u)) return "book \"u\" is not an unsigned integer";
    if (p->symbol.empty()) return "book without a symbol";
    return nullptr;
  }
  // tickers: only the fields present changed.
  enum { kSymbolKey, kBid, kAsk, kKeys };
  static constexpr std::string_view kNames[kKeys] = {"symbol", "bid1Price", "ask1Price"};
  std::string_view f[kKeys];
  bool present[kKeys] = {};
  if (!ReadMembers(obj, kNames, f, present)) return "malformed JSON";
  p->symbol = present[kSymbolKey] ? f[kSymbolKey] : topic_symbol;
  if (p->symbol.empty()) return "ticker without a symbol";
  p->state = StateOf(&tickers, p->symbol);
  p->next = (p->state == nullptr || snapshot) ? Quote{} : *p->state;
  if ((present[kBid] && !ApplyTickerPrice(f[kBid], &p->next.bid)) ||
      (present[kAsk] && !ApplyTickerPrice(f[kAsk], &p->next.ask))) {
    return "ticker bid1Price or ask1Price is not a decimal";
  }
  return nullptr;
}

const char* BybitParser::Impl::ReadLateData(std::string_view text, Topic topic,
                                            std::string_view topic_symbol, bool snapshot,
                                            Pending* pending, TickBuffer* out) noexcept {
  od::document doc;
  od::value data;
  if (late_parser.iterate(late_frame.Load(text)).get(doc) != simdjson::SUCCESS ||
      doc.get_value().get(data) != simdjson::SUCCESS) {
    return "\"data\" is malformed JSON";
  }
  return ReadData(data, topic, topic_symbol, snapshot, pending, out);
}

BybitParser::BybitParser() : impl_(std::make_unique<Impl>()) {}
BybitParser::~BybitParser() = default;

const char* BybitParser::Impl::ReadFrameField(std::string_view key, od::value v, FrameFields* f,
                                              TickBuffer* out) noexcept {
  if (key == "topic") {
    // A second "topic" (or "type") could re-label data already read: refused, as is a second
    // "data".
    if (f->has_topic) return "repeated \"topic\"";
    if (v.get_string().get(f->topic) != simdjson::SUCCESS) return "\"topic\" is not a string";
    f->has_topic = true;
    f->kind = TopicOf(f->topic);
  } else if (key == "type" || key == "ts" || key == "cts" || key == "cs" || key == "op" ||
             key == "ret_msg") {
    if (key == "type") {
      if (f->has_type) return "repeated \"type\"";
      f->has_type = true;
    }
    std::string_view* dst = key == "type"  ? &f->type
                            : key == "ts"  ? &f->ts
                            : key == "cts" ? &f->cts
                            : key == "cs"  ? &f->cs
                            : key == "op"  ? &f->op
                                           : &f->ret_msg;
    if (!ValueText(v, dst))
      return "\"type\", \"ts\", \"cts\", \"cs\", \"op\" or \"ret_msg\" is not text";
  } else if (key == "success") {
    if (v.get_bool().get(f->success) != simdjson::SUCCESS) return "\"success\" is not a bool";
    f->has_success = true;
  } else if (key == "data") {
    if (f->has_data) return "repeated \"data\"";
    f->has_data = true;
    if (f->has_topic && f->kind == Topic::kOther) return nullptr;  // not read: skipped
    if (f->has_topic && (f->kind == Topic::kTrades || !f->type.empty())) {
      return ReadData(v, f->kind, TopicSymbol(f->topic), f->type != "delta", &f->pending, out);
    }
    return KeepRawData(v, &f->late_data);
  }
  return nullptr;
}

ParseResult BybitParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
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
    if (const char* why = impl_->ReadFrameField(key, field.value(), &f, out)) {
      return RollbackUnparseable(out, start, why);
    }
  }
  if (f.has_topic) return impl_->TopicResult(&f, start, out);
  return impl_->ReplyResult(f, start, out);
}

ParseResult BybitParser::Impl::TopicResult(FrameFields* f, size_t start, TickBuffer* out) noexcept {
  ParseResult r;
  if (f->kind == Topic::kOther) {
    Rollback(out, start);
    r.kind = FrameKind::kIgnored;
    r.detail = f->topic;
    return r;
  }
  const bool snapshot = f->type.empty() || f->type == "snapshot";
  if (!snapshot && f->type != "delta") {
    return RollbackUnparseable(out, start, "\"type\" is neither snapshot nor delta");
  }
  TimeNs push_time = 0, engine_time = 0;
  if ((!f->ts.empty() && !EpochTimeFromText(f->ts, kNanosPerMilli, &push_time)) ||
      (!f->cts.empty() && !EpochTimeFromText(f->cts, kNanosPerMilli, &engine_time))) {
    return RollbackUnparseable(out, start, "\"ts\" or \"cts\" is not a number of milliseconds");
  }
  uint64_t cross_sequence = 0;
  if (!f->cs.empty() && !UintFromText(f->cs, &cross_sequence)) {
    return RollbackUnparseable(out, start, "\"cs\" is not an unsigned integer");
  }
  if (!f->has_data) return RollbackUnparseable(out, start, "topic push without \"data\"");
  if (!f->late_data.empty()) {
    if (const char* why = ReadLateData(f->late_data, f->kind, TopicSymbol(f->topic), snapshot,
                                       &f->pending, out)) {
      return RollbackUnparseable(out, start, why);
    }
  }
  const Pending& pending = f->pending;
  if (f->kind == Topic::kTrades) {  // entries without T: the push time
    for (size_t i = start; i < out->size(); ++i) {
      if ((*out)[i].event_time == 0) (*out)[i].event_time = push_time;
    }
  } else if (pending.active && pending.state != nullptr) {
    *pending.state = pending.next;
    if (f->kind == Topic::kBook) {
      EmitQuote(pending.next, pending.symbol, engine_time != 0 ? engine_time : push_time, pending.u,
                out);
    } else {
      EmitQuote(pending.next, pending.symbol, push_time, cross_sequence, out);
    }
  }
  r.kind = FrameKind::kData;
  return r;
}

ParseResult BybitParser::Impl::ReplyResult(const FrameFields& f, size_t start,
                                           TickBuffer* out) noexcept {
  ParseResult r;
  if (f.op == "pong" || (f.has_success && f.ret_msg == "pong")) {
    r.kind = FrameKind::kHeartbeat;
    return r;
  }
  if (!f.has_success) {
    if (f.op.empty()) {
      return RollbackUnparseable(out, start, "object is not a Bybit push, reply or request");
    }
    r.kind = FrameKind::kIgnored;  // {"op":"subscribe"|"ping",...}: the client's request
    r.detail = "client request";
    return r;
  }
  if (!f.success) {
    r.kind = FrameKind::kError;
    r.detail = !f.ret_msg.empty() ? f.ret_msg : std::string_view("request failed");
    return r;
  }
  if (f.type == "COMMAND_RESP" && !f.late_data.empty()) {
    bool found = false;
    std::string_view failed;
    if (const char* why = FirstFailedTopic(f.late_data, &found, &failed)) {
      return RollbackUnparseable(out, start, why);
    }
    if (found) {
      r.kind = FrameKind::kError;
      r.detail = failed;
      return r;
    }
  }
  r.kind = FrameKind::kAck;
  r.detail = f.op;
  return r;
}

const char* BybitParser::Impl::FirstFailedTopic(std::string_view data, bool* found,
                                                std::string_view* failed) noexcept {
  // Option/spread replies: {"data":{"failTopics":[..],"successTopics":[..]}}.
  od::document reply;
  od::object obj;
  if (late_parser.iterate(late_frame.Load(data)).get(reply) != simdjson::SUCCESS ||
      reply.get_object().get(obj) != simdjson::SUCCESS) {
    return "COMMAND_RESP \"data\" is not an object";
  }
  for (auto field_result : obj) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return "malformed JSON";
    }
    if (key != "failTopics") continue;
    od::array fail_topics;
    if (field.value().get_array().get(fail_topics) != simdjson::SUCCESS) {
      return "\"failTopics\" is not an array";
    }
    for (auto topic_result : fail_topics) {
      std::string_view topic;
      *found = true;
      *failed = topic_result.get_string().get(topic) == simdjson::SUCCESS
                    ? topic
                    : std::string_view("subscription failed");
      return nullptr;
    }
  }
  return nullptr;
}

ParseResult BybitParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
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

  // v5/v3 spell them retCode/retMsg/time (ms); v2 ret_code/ret_msg/time_now (s).
  std::string_view code, msg, time_ms, time_s;
  bool has_code = false, has_result = false;
  for (auto field_result : top) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return fail("malformed JSON");
    }
    od::value v = field.value();
    if (key == "retCode" || key == "ret_code") {
      if (!ValueText(v, &code)) return fail("\"retCode\" is not a number");
      has_code = true;
    } else if (key == "retMsg" || key == "ret_msg") {
      if (!ValueText(v, &msg)) return fail("\"retMsg\" is not a string");
    } else if (key == "time" || key == "time_now") {
      if (!ValueText(v, key == "time" ? &time_ms : &time_s))
        return fail("\"time\" is not a number");
    } else if (key == "result") {
      has_result = true;
      if (const char* why = ReadRestResult(v, out)) return fail(why);
    }
  }
  if (has_code && code != "0") {
    Rollback(out, start);
    r.kind = FrameKind::kError;
    r.detail = !msg.empty() ? msg : code;
    return r;
  }
  if (!has_result) return fail("REST body without \"result\"");
  TimeNs event_time = 0;
  if ((!time_ms.empty() && !EpochTimeFromText(time_ms, kNanosPerMilli, &event_time)) ||
      (time_ms.empty() && !time_s.empty() &&
       !EpochTimeFromText(time_s, kNanosPerSecond, &event_time))) {
    return fail("\"time\" is not a number of milliseconds");
  }
  for (size_t i = start; i < out->size(); ++i) (*out)[i].event_time = event_time;
  r.kind = FrameKind::kData;
  return r;
}

}  // namespace oracle::feeds
