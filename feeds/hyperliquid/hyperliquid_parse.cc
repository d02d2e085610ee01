#include "feeds/hyperliquid/hyperliquid_parse.h"

#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// The text of any JSON value: a string unescaped, an object or array as its raw JSON, a scalar
// as its token. `*container` says whether it was an object or array.
bool AnyText(od::value v, std::string_view* text, bool* container) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  *container = false;
  switch (t) {
    case od::json_type::string:
      return v.get_string().get(*text) == simdjson::SUCCESS;
    case od::json_type::object: {
      od::object obj;
      *container = true;
      return v.get_object().get(obj) == simdjson::SUCCESS &&
             obj.raw_json().get(*text) == simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array arr;
      *container = true;
      return v.get_array().get(arr) == simdjson::SUCCESS &&
             arr.raw_json().get(*text) == simdjson::SUCCESS;
    }
    default:
      *text = v.raw_json_token();
      return true;
  }
}

// The price of a book level {"px":..,"sz":..,"n":..}. False when it is not such an object.
bool LevelPrice(od::value level, std::string_view* px) noexcept {
  od::object obj;
  if (level.get_object().get(obj) != simdjson::SUCCESS) return false;
  for (auto field_result : obj) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return false;
    }
    if (key == "px" && !ValueText(field.value(), px)) return false;
  }
  return !px->empty();
}

// The price of the first (best) level of a side [{px,sz,n}, ...]. An empty side leaves *px
// empty. False when the side is not an array of levels.
bool FirstLevelPrice(od::value side, std::string_view* px) noexcept {
  od::array levels;
  if (side.get_array().get(levels) != simdjson::SUCCESS) return false;
  for (auto level_result : levels) {
    od::value level;
    if (level_result.get(level) != simdjson::SUCCESS) return false;
    return LevelPrice(level, px);  // the rest of the side is skipped by the caller's iteration
  }
  return true;
}

// "levels": [[bids, best first], [asks, best first]].
bool ReadLevels(od::value v, std::string_view* bid, std::string_view* ask) noexcept {
  od::array sides;
  if (v.get_array().get(sides) != simdjson::SUCCESS) return false;
  size_t index = 0;
  for (auto side_result : sides) {
    od::value side;
    if (side_result.get(side) != simdjson::SUCCESS) return false;
    if (index < 2 && !FirstLevelPrice(side, index == 0 ? bid : ask)) return false;
    ++index;
  }
  return index == 2;
}

// "bbo": [bid level or null, ask level or null].
bool ReadBbo(od::value v, std::string_view* bid, std::string_view* ask) noexcept {
  od::array sides;
  if (v.get_array().get(sides) != simdjson::SUCCESS) return false;
  size_t index = 0;
  for (auto side_result : sides) {
    od::value side;
    od::json_type t;
    if (side_result.get(side) != simdjson::SUCCESS || side.type().get(t) != simdjson::SUCCESS) {
      return false;
    }
    if (index < 2 && t != od::json_type::null && !LevelPrice(side, index == 0 ? bid : ask)) {
      return false;
    }
    ++index;
  }
  return index == 2;
}

// A book object (l2Book or bbo data, info l2Book body) read in one pass.
struct Book {
  std::string_view coin, time, bid, ask;
  bool has_book = false;           // "levels" or "bbo" present
  size_t other_fields = 0;         // members other than the above (allMids bodies are all
  size_t other_string_fields = 0;  // coin -> mid strings)
};

bool ReadBook(od::object obj, Book* b) noexcept {
  for (auto field_result : obj) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return false;
    }
    od::value v = field.value();
    if (key == "coin") {
      if (v.get_string().get(b->coin) != simdjson::SUCCESS) return false;
    } else if (key == "time") {
      if (!OptionalTextLenient(v, &b->time)) return false;
    } else if (key == "levels") {
      if (!ReadLevels(v, &b->bid, &b->ask)) return false;
      b->has_book = true;
    } else if (key == "bbo") {
      if (!ReadBbo(v, &b->bid, &b->ask)) return false;
      b->has_book = true;
    } else {
      od::json_type t;
      if (v.type().get(t) != simdjson::SUCCESS) return false;
      ++b->other_fields;
      if (t == od::json_type::string) ++b->other_string_fields;
    }
  }
  return true;
}

// A book -> at most one quote. Returns the problem, or nullptr.
const char* BookToTick(const Book& b, TickBuffer* out) noexcept {
  if (b.coin.empty()) return "book without coin";
  if (!b.has_book) return "book without levels or bbo";
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = b.coin;
  if (!b.time.empty() && !EpochTimeFromText(b.time, kNanosPerMilli, &t.event_time)) {
    return "time is not a number of milliseconds";
  }
  if (b.bid.empty() || b.ask.empty()) return nullptr;  // a side without orders
  if (!DecimalFromText(b.bid, &t.bid) || !DecimalFromText(b.ask, &t.ask)) {
    return "best bid or ask px is not a decimal";
  }
  if (!Positive(t.bid) || !Positive(t.ask)) return nullptr;  // no usable quote
  *out->Add() = t;
  return nullptr;
}

const char* ReadBookData(od::value data, TickBuffer* out) noexcept {
  od::object obj;
  Book b;
  if (data.get_object().get(obj) != simdjson::SUCCESS || !ReadBook(obj, &b)) {
    return "\"data\" is not a well-formed book object";
  }
  return BookToTick(b, out);
}

// The entries of a trades push -> trade ticks. Returns the problem, or nullptr.
const char* ReadTrades(od::value data, TickBuffer* out) noexcept {
  od::array entries;
  if (data.get_array().get(entries) != simdjson::SUCCESS) return "\"data\" is not an array";
  for (auto entry_result : entries) {
    od::object obj;
    if (entry_result.get_object().get(obj) != simdjson::SUCCESS) {
      return "trade entry is not an object";
    }
    std::string_view coin, px, sz, time, tid;
    for (auto field_result : obj) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) != simdjson::SUCCESS ||
          field.unescaped_key().get(key) != simdjson::SUCCESS) {
        return "trade entry is not a well-formed object";
      }
      std::string_view* dst = key == "coin"   ? &coin
                              : key == "px"   ? &px
                              : key == "sz"   ? &sz
                              : key == "time" ? &time
                              : key == "tid"  ? &tid
                                              : nullptr;
      if (dst != nullptr && !OptionalTextLenient(field.value(), dst)) {
        return "trade entry is not a well-formed object";
      }
    }
    Tick t;
    t.type = TickType::kTrade;
    t.symbol = coin;
    if (t.symbol.empty()) return "trade without coin";
    if (!DecimalFromText(px, &t.price) || !DecimalFromText(sz, &t.size)) {
      return "trade without a decimal px or sz";
    }
    if (!Positive(t.price) || t.size.mantissa < 0) return "trade px is not positive or sz negative";
    if (!time.empty() && !EpochTimeFromText(time, kNanosPerMilli, &t.event_time)) {
      return "time is not a number of milliseconds";
    }
    // tid is a JSON number that may grow past 2^53: its literal text is read as an integer; an
    // id beyond 64 bits is not kept.
    if (!tid.empty() && !UintFromText(tid, &t.sequence)) t.sequence = 0;
    *out->Add() = t;
  }
  return nullptr;
}

enum class Channel { kTrades, kBbo, kL2Book, kAck, kPong, kError, kOther };

Channel ChannelOf(std::string_view channel) noexcept {
  if (channel == "trades") return Channel::kTrades;
  if (channel == "bbo") return Channel::kBbo;
  if (channel == "l2Book") return Channel::kL2Book;
  if (channel == "subscriptionResponse") return Channel::kAck;
  if (channel == "pong") return Channel::kPong;
  if (channel == "error") return Channel::kError;
  return Channel::kOther;
}

bool IsMarketData(Channel c) noexcept {
  return c == Channel::kTrades || c == Channel::kBbo || c == Channel::kL2Book;
}

const char* ReadData(Channel c, od::value data, TickBuffer* out) noexcept {
  return c == Channel::kTrades ? ReadTrades(data, out) : ReadBookData(data, out);
}

// Drops the ticks added since the buffer held `start` ticks; an unparseable result saying why.
ParseResult RollbackUnparseable(TickBuffer* out, size_t start, std::string_view why) noexcept {
  Rollback(out, start);
  return Unparseable(why);
}

// The top-level members of a frame, read in one pass.
struct FrameFields {
  std::string_view channel_name, data_text;
  Channel channel = Channel::kOther;
  bool has_channel = false, has_data = false, data_read = false, data_container = false;
  bool has_method = false;
};

// One top-level member into `f`; market "data" after "channel" is read into `out` at once.
// Returns the problem, or nullptr.
const char* ReadFrameField(std::string_view key, od::value v, FrameFields* f,
                           TickBuffer* out) noexcept {
  if (key == "channel") {
    // A second "channel" could re-label data already read: refused, as is a second "data".
    if (f->has_channel) return "duplicate \"channel\"";
    if (v.get_string().get(f->channel_name) != simdjson::SUCCESS) {
      return "\"channel\" is not a string";
    }
    f->channel = ChannelOf(f->channel_name);
    f->has_channel = true;
  } else if (key == "data") {
    if (f->has_data) return "duplicate \"data\"";
    f->has_data = true;
    if (f->has_channel && IsMarketData(f->channel)) {
      if (const char* why = ReadData(f->channel, v, out)) return why;
      f->data_read = true;
    } else if (f->has_channel && f->channel != Channel::kError) {
      return nullptr;  // not read: skipped by the iteration
    } else if (!AnyText(v, &f->data_text, &f->data_container)) {
      return "\"data\" is malformed JSON";
    }
  } else if (key == "method") {
    f->has_method = true;
  }
  return nullptr;
}

}  // namespace

// Frames are read in one pass in document order: simdjson's out-of-order lookups assume a
// well-formed prefix, which a venue frame does not promise. A "data" value that comes before
// "channel" (never seen from Hyperliquid, but JSON does not forbid it) is read again afterwards
// from its raw text with a second parser.
struct HyperliquidParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  od::parser late_parser;
  PaddedFrame late_frame;

  // A frame with "channel" whose members are in `f`: its ticks from `start` on.
  ParseResult ChannelResult(const FrameFields& f, size_t start, TickBuffer* out) noexcept;
  // Market "data" that came before "channel", from its raw text. Returns the problem, or nullptr.
  const char* ReadLateData(Channel channel, std::string_view text, TickBuffer* out) noexcept;
};

HyperliquidParser::HyperliquidParser() : impl_(std::make_unique<Impl>()) {}
HyperliquidParser::~HyperliquidParser() = default;

ParseResult HyperliquidParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  ParseResult r;
  if (frame == "Websocket connection established.") {  // sent once on connect
    r.kind = FrameKind::kIgnored;
    r.detail = "connection established";
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
  if (f.has_channel) return impl_->ChannelResult(f, start, out);
  if (f.has_method) {  // a client request ({"method":"subscribe",...}) seen in a capture
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  return RollbackUnparseable(out, start, "object is not a Hyperliquid channel message or request");
}

ParseResult HyperliquidParser::Impl::ChannelResult(const FrameFields& f, size_t start,
                                                   TickBuffer* out) noexcept {
  ParseResult r;
  switch (f.channel) {
    case Channel::kTrades:
    case Channel::kBbo:
    case Channel::kL2Book:
      if (!f.has_data) return RollbackUnparseable(out, start, "push without \"data\"");
      if (!f.data_read) {  // "data" came before "channel"
        if (!f.data_container) {
          return RollbackUnparseable(out, start, "\"data\" is not an array or object");
        }
        if (const char* why = ReadLateData(f.channel, f.data_text, out)) {
          return RollbackUnparseable(out, start, why);
        }
      }
      r.kind = FrameKind::kData;
      return r;
    case Channel::kAck:
      r.kind = FrameKind::kAck;
      r.detail = f.channel_name;
      return r;
    case Channel::kPong:
      r.kind = FrameKind::kHeartbeat;
      return r;
    case Channel::kError:
      r.kind = FrameKind::kError;
      r.detail = !f.data_text.empty() ? f.data_text : std::string_view("error without data");
      return r;
    case Channel::kOther:  // activeAssetCtx, allMids, candle, post, ...
      r.kind = FrameKind::kIgnored;
      r.detail = f.channel_name;
      return r;
  }
  return r;
}

const char* HyperliquidParser::Impl::ReadLateData(Channel channel, std::string_view text,
                                                  TickBuffer* out) noexcept {
  od::document late;
  od::value data;
  if (late_parser.iterate(late_frame.Load(text)).get(late) != simdjson::SUCCESS ||
      late.get_value().get(data) != simdjson::SUCCESS) {
    return "\"data\" is malformed JSON";
  }
  return ReadData(channel, data, out);
}

ParseResult HyperliquidParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  ParseResult r;
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::json_type t;
  if (doc.type().get(t) != simdjson::SUCCESS) return Unparseable("not JSON");
  if (t == od::json_type::null) {
    r.kind = FrameKind::kError;
    r.detail = "null l2Book: the market does not exist";
    return r;
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");
  const size_t start = out->size();
  Book b;
  if (!ReadBook(top, &b)) return Unparseable("malformed JSON");
  if (b.has_book) {
    if (const char* why = BookToTick(b, out)) {
      Rollback(out, start);
      return Unparseable(why);
    }
    r.kind = FrameKind::kData;
    return r;
  }
  if (b.coin.empty() && b.time.empty() && b.other_fields > 0 &&
      b.other_fields == b.other_string_fields) {
    r.kind = FrameKind::kIgnored;
    r.detail = "allMids: mid prices only, no bid/ask";
    return r;
  }
  return Unparseable("body is not an l2Book snapshot or allMids");
}

}  // namespace oracle::feeds
