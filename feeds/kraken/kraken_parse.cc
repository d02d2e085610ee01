#include "feeds/kraken/kraken_parse.h"

#include <map>

#include "feeds/common/json_util.h"
#include "feeds/kraken/kraken_symbols.h"

namespace oracle::feeds {
namespace {

// The text of the first element of an array value ("a":["105944.3","1","1.000"] -> "105944.3").
bool FirstElementText(od::value v, std::string_view* text) noexcept {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
  bool first = true;
  return ForEachElement(arr, [&](od::value e) {
    if (first) *text = Text(e);
    first = false;
    return true;
  });
}

bool AddTrade(std::string_view symbol, std::string_view price, std::string_view qty, TimeNs time,
              std::string_view trade_id, TickBuffer* out, ParseResult* r) noexcept {
  Tick t;
  t.type = TickType::kTrade;
  t.symbol = symbol;
  t.event_time = time;
  if (symbol.empty() || !DecimalFromText(price, &t.price) || !DecimalFromText(qty, &t.size)) {
    return Fail(r, "trade without symbol, price or quantity");
  }
  if (t.price.mantissa <= 0) return Fail(r, "trade price is not positive");
  if (!trade_id.empty() && !UintFromText(trade_id, &t.sequence)) {
    return Fail(r, "trade_id is not an unsigned integer");
  }
  // v2 trade ids are sequential per book: the previous one lets the adapter count missed trades.
  if (t.sequence > 1) t.prev_sequence = t.sequence - 1;
  *out->Add() = t;
  return true;
}

// A quote tick; a zero (or negative) side, as in a v1 spread of an empty book, gives no tick.
bool AddQuote(std::string_view symbol, std::string_view bid, std::string_view ask, TimeNs time,
              TickBuffer* out, ParseResult* r) noexcept {
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = symbol;
  t.event_time = time;
  if (symbol.empty() || !DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
    return Fail(r, "quote without symbol, bid or ask");
  }
  if (t.bid.mantissa <= 0 || t.ask.mantissa <= 0) return true;
  *out->Add() = t;
  return true;
}

enum class Channel : uint8_t { kNone, kTicker, kTrade, kHeartbeat, kStatus, kOther };

Channel ChannelOf(std::string_view c) noexcept {
  if (c.empty()) return Channel::kNone;
  if (c == "ticker") return Channel::kTicker;
  if (c == "trade") return Channel::kTrade;
  if (c == "heartbeat") return Channel::kHeartbeat;
  if (c == "status") return Channel::kStatus;
  return Channel::kOther;
}

// v2 "data": [{"symbol":..,"price":..,"qty":..,"trade_id":..,"timestamp":..}, ..] (trade) or
// [{"symbol":..,"bid":..,"ask":..,"timestamp":..}, ..] (ticker).
bool ReadV2Data(od::value v, Channel channel, TickBuffer* out, ParseResult* r) noexcept {
  od::array items;
  if (v.get_array().get(items) != simdjson::SUCCESS) return Fail(r, "\"data\" is not an array");
  const bool trade = channel == Channel::kTrade;
  return ForEachElement(items, [&](od::value item) {
    od::object obj;
    if (item.get_object().get(obj) != simdjson::SUCCESS) {
      return Fail(r, "data entry is not an object");
    }
    std::string_view symbol, first, second, timestamp, trade_id;  // price/qty or bid/ask
    if (!ForEachField(obj, [&](std::string_view key, od::value f) {
          if (key == "symbol") {
            symbol = Str(f);
          } else if (key == "timestamp") {
            timestamp = Str(f);
          } else if (key == (trade ? "price" : "bid")) {
            first = Text(f);
          } else if (key == (trade ? "qty" : "ask")) {
            second = Text(f);
          } else if (trade && key == "trade_id") {
            trade_id = Text(f);
          }
          return true;
        })) {
      return false;
    }
    TimeNs time = 0;
    if (!timestamp.empty() && !Rfc3339Time(timestamp, &time)) {
      return Fail(r, "timestamp is not RFC 3339");
    }
    return trade ? AddTrade(symbol, first, second, time, trade_id, out, r)
                 : AddQuote(symbol, first, second, time, out, r);
  });
}

enum class V1Channel : uint8_t { kTrade, kSpread, kTicker, kOther };

V1Channel V1ChannelOf(std::string_view name) noexcept {
  if (name == "trade") return V1Channel::kTrade;
  if (name == "spread") return V1Channel::kSpread;
  if (name == "ticker") return V1Channel::kTicker;
  return V1Channel::kOther;  // book-10, ohlc-1, ...
}

// Seconds since the epoch as text ("1618678142.557535") or a number (REST trades).
bool SecondsText(std::string_view text, TimeNs* t, ParseResult* r) noexcept {
  if (text.empty() || !EpochTimeFromText(text, kNanosPerSecond, t)) {
    return Fail(r, "time is not a number of seconds");
  }
  return true;
}

// The payload of a v1 channel frame; ticks get the symbol `symbol` (a placeholder the caller
// replaces once it has read the pair, which follows the payload).
bool ReadV1Payload(od::value v, V1Channel channel, std::string_view symbol, TickBuffer* out,
                   ParseResult* r) noexcept {
  switch (channel) {
    case V1Channel::kTrade: {  // [[price, volume, time, side, orderType, misc], ..]
      od::array trades;
      if (v.get_array().get(trades) != simdjson::SUCCESS) return Fail(r, "trades are not an array");
      return ForEachElement(trades, [&](od::value item) {
        od::array fields;
        if (item.get_array().get(fields) != simdjson::SUCCESS) {
          return Fail(r, "trade is not an array");
        }
        std::string_view price, volume, time;
        size_t i = 0;
        if (!ForEachElement(fields, [&](od::value f) {
              if (i == 0) price = Text(f);
              if (i == 1) volume = Text(f);
              if (i == 2) time = Text(f);
              ++i;
              return true;
            })) {
          return false;
        }
        TimeNs t = 0;
        return SecondsText(time, &t, r) && AddTrade(symbol, price, volume, t, {}, out, r);
      });
    }
    case V1Channel::kSpread: {  // [bid, ask, timestamp, bidVolume, askVolume]
      od::array fields;
      if (v.get_array().get(fields) != simdjson::SUCCESS) return Fail(r, "spread is not an array");
      std::string_view bid, ask, time;
      size_t i = 0;
      if (!ForEachElement(fields, [&](od::value f) {
            if (i == 0) bid = Text(f);
            if (i == 1) ask = Text(f);
            if (i == 2) time = Text(f);
            ++i;
            return true;
          })) {
        return false;
      }
      TimeNs t = 0;
      return SecondsText(time, &t, r) && AddQuote(symbol, bid, ask, t, out, r);
    }
    case V1Channel::kTicker: {  // {"a":[price, wholeLotVolume, lotVolume], "b":[..], ..}
      od::object obj;
      if (v.get_object().get(obj) != simdjson::SUCCESS) return Fail(r, "ticker is not an object");
      std::string_view bid, ask;
      if (!ForEachField(obj, [&](std::string_view key, od::value f) {
            if (key == "a") return FirstElementText(f, &ask) || Fail(r, "ticker a is not an array");
            if (key == "b") return FirstElementText(f, &bid) || Fail(r, "ticker b is not an array");
            return true;
          })) {
        return false;
      }
      return AddQuote(symbol, bid, ask, 0, out, r);  // v1 tickers carry no time
    }
    case V1Channel::kOther:
      break;
  }
  return true;
}

// The top-level members of a v2 frame, method reply or v1 event, read in one pass.
struct ObjectFields {
  std::string_view method, error, event, status, error_message;
  bool has_channel = false, has_method = false, has_event = false, has_params = false;
  bool has_success = false, success = false, has_data = false, data_pending = false;
  Channel channel = Channel::kNone;
};

// One top-level member into `f`; a v2 "data" after "channel" is read into `out` at once.
bool ReadObjectField(std::string_view key, od::value v, ObjectFields* f, TickBuffer* out,
                     ParseResult* r) noexcept {
  if (key == "channel") {
    // A second "channel" could re-label data already read: refused, as is a second "data".
    if (f->has_channel) return Fail(r, "repeated \"channel\"");
    f->has_channel = true;
    f->channel = ChannelOf(Str(v));
  } else if (key == "data") {
    if (f->has_data) return Fail(r, "repeated \"data\"");
    f->has_data = true;
    if (f->channel == Channel::kTicker || f->channel == Channel::kTrade) {
      return ReadV2Data(v, f->channel, out, r);
    }
    f->data_pending = f->channel == Channel::kNone;
  } else if (key == "method") {
    f->has_method = true;
    f->method = Str(v);
  } else if (key == "success") {
    f->has_success = true;
    if (v.get_bool().get(f->success) != simdjson::SUCCESS) {
      return Fail(r, "\"success\" is not a boolean");
    }
  } else if (key == "error") {
    f->error = Str(v);
  } else if (key == "event") {
    f->has_event = true;
    f->event = Str(v);
  } else if (key == "status") {
    f->status = Str(v);
  } else if (key == "errorMessage") {
    f->error_message = Str(v);
  } else if (key == "params") {
    f->has_params = true;
  }
  return true;
}

// A v2 channel frame whose members are in `f`; reads "data" again from `doc` when it came before
// "channel". Ticks from `first_tick` on are this frame's.
ParseResult ChannelResult(od::document& doc, const ObjectFields& f, size_t first_tick,
                          TickBuffer* out) noexcept {
  ParseResult r;
  switch (f.channel) {
    case Channel::kTicker:
    case Channel::kTrade:
      if (f.data_pending) {  // "data" came before "channel": read it in a second pass
        doc.rewind();
        od::object again;
        od::value data;
        if (doc.get_object().get(again) != simdjson::SUCCESS ||
            again.find_field_unordered("data").get(data) != simdjson::SUCCESS ||
            !ReadV2Data(data, f.channel, out, &r)) {
          Rollback(out, first_tick);
          if (r.detail.empty()) r.detail = "malformed JSON";
          return r;
        }
      }
      r.kind = FrameKind::kData;
      return r;
    case Channel::kHeartbeat:
      r.kind = FrameKind::kHeartbeat;
      return r;
    case Channel::kStatus:  // engine status, sent on connect and on changes
    case Channel::kOther:   // book, ohlc, instrument, level3, ...
      r.kind = FrameKind::kIgnored;
      return r;
    case Channel::kNone:
      r.detail = "\"channel\" is not a string";
      return r;
  }
  return r;
}

// A v2 method reply (or a client request echoed in a capture).
ParseResult MethodResult(const ObjectFields& f) noexcept {
  ParseResult r;
  if (f.method == "pong") {
    r.kind = FrameKind::kHeartbeat;
  } else if (f.has_params || f.method == "ping") {
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
  } else if ((f.has_success && !f.success) || !f.error.empty()) {
    r.kind = FrameKind::kError;
    r.detail = !f.error.empty() ? f.error : std::string_view("error without message");
  } else if (f.has_success) {
    r.kind = FrameKind::kAck;  // subscribe / unsubscribe
  } else {
    r.detail = "method reply without \"success\"";
  }
  return r;
}

// A v1 event object.
ParseResult V1EventResult(const ObjectFields& f) noexcept {
  ParseResult r;
  if (f.event == "heartbeat" || f.event == "pong") {
    r.kind = FrameKind::kHeartbeat;
  } else if (f.event == "systemStatus") {
    r.kind = FrameKind::kIgnored;
  } else if (f.event == "subscriptionStatus" && f.status != "error") {
    r.kind = FrameKind::kAck;
  } else if (f.event == "subscriptionStatus" || f.event == "error") {
    r.kind = FrameKind::kError;
    r.detail =
        !f.error_message.empty() ? f.error_message : std::string_view("error without message");
  } else if (f.event == "subscribe" || f.event == "unsubscribe" || f.event == "ping") {
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
  } else if (f.event.empty()) {
    r.detail = "\"event\" is not a string";
  } else {
    r.kind = FrameKind::kIgnored;
  }
  return r;
}

// A REST Ticker entry's {"a":[price, ..],"b":[price, ..],..}: the first ask and bid prices.
bool ReadRestTickerSides(od::value v, std::string_view* bid, std::string_view* ask,
                         ParseResult* r) noexcept {
  od::object obj;
  return v.get_object().get(obj) == simdjson::SUCCESS &&
         ForEachField(obj, [&](std::string_view k, od::value f) {
           if (k == "a") return FirstElementText(f, ask) || Fail(r, "ticker a is not an array");
           if (k == "b") return FirstElementText(f, bid) || Fail(r, "ticker b is not an array");
           return true;
         });
}

// A REST Trades list [[price, volume, time, side, type, misc, id], ..] -> trade ticks of
// `symbol`.
bool AddRestTrades(od::array trades, std::string_view symbol, TickBuffer* out,
                   ParseResult* r) noexcept {
  return ForEachElement(trades, [&](od::value item) {
    od::array fields;
    if (item.get_array().get(fields) != simdjson::SUCCESS) {
      return Fail(r, "trade is not an array");
    }
    std::string_view price, volume, time, id;
    size_t i = 0;
    if (!ForEachElement(fields, [&](od::value f) {
          if (i == 0) price = Text(f);
          if (i == 1) volume = Text(f);
          if (i == 2) time = Text(f);
          if (i == 6) id = Text(f);
          ++i;
          return true;
        })) {
      return false;
    }
    TimeNs ts = 0;
    return SecondsText(time, &ts, r) && AddTrade(symbol, price, volume, ts, id, out, r);
  });
}

// A REST "error" list: its first string into *first_error.
bool ReadRestErrors(od::value v, std::string_view* first_error, ParseResult* r) noexcept {
  od::array errors;
  if (v.get_array().get(errors) != simdjson::SUCCESS) {
    return Fail(r, "\"error\" is not an array");
  }
  return ForEachElement(errors, [&](od::value e) {
    if (first_error->empty()) *first_error = Str(e);
    return true;
  });
}

}  // namespace

struct KrakenParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  std::map<std::string, std::string, std::less<>> v1_symbols;    // "XBT/USD" -> "BTC/USD"
  std::map<std::string, std::string, std::less<>> rest_symbols;  // "XXBTZUSD" -> "BTC/USD"
  std::string scratch;

  // The v2 spelling of a v1 pair: a view into the frame when it is the same, else into the map
  // (an entry is made the first time a renamed pair is seen).
  std::string_view V1Symbol(std::string_view pair) {
    auto it = v1_symbols.find(pair);
    if (it != v1_symbols.end()) return it->second;
    if (!KrakenV1ToV2Symbol(pair, &scratch)) return pair;
    return v1_symbols.emplace(std::string(pair), scratch).first->second;
  }

  std::string_view RestSymbol(std::string_view key, const std::vector<std::string>* symbols) {
    if (symbols != nullptr) {
      for (const std::string& s : *symbols) {
        if (KrakenRestKeyMatchesSymbol(key, s)) return s;
      }
    }
    auto it = rest_symbols.find(key);
    if (it != rest_symbols.end()) return it->second;
    std::string name;
    if (!KrakenRestKeyToSymbol(key, &name)) name.assign(key);
    return rest_symbols.emplace(std::string(key), std::move(name)).first->second;
  }

  ParseResult ParseObject(od::document& doc, od::object top, TickBuffer* out) noexcept;
  ParseResult ParseV1Channel(od::document& doc, TickBuffer* out) noexcept;
  ParseResult ParseRest(std::string_view body, const std::vector<std::string>* symbols,
                        TickBuffer* out) noexcept;
  // One member of a REST "result": a pair's ticker object or trades list ("last" is skipped).
  bool ReadRestEntry(std::string_view key, od::value v, const std::vector<std::string>* symbols,
                     TickBuffer* out, ParseResult* r) noexcept;
};

KrakenParser::KrakenParser() : impl_(std::make_unique<Impl>()) {}
KrakenParser::~KrakenParser() = default;

ParseResult KrakenParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  ParseResult r;
  Impl& m = *impl_;
  od::document doc;
  od::json_type type;
  if (m.parser.iterate(m.frame.Load(frame)).get(doc) != simdjson::SUCCESS ||
      doc.type().get(type) != simdjson::SUCCESS) {
    r.detail = "not JSON";
    return r;
  }
  if (type == od::json_type::array) return m.ParseV1Channel(doc, out);
  od::object top;
  if (type != od::json_type::object || doc.get_object().get(top) != simdjson::SUCCESS) {
    r.detail = "not a JSON object or array";
    return r;
  }
  return m.ParseObject(doc, top, out);
}

// v2 channel frames and method replies, and v1 event objects, in one pass over the top level.
ParseResult KrakenParser::Impl::ParseObject(od::document& doc, od::object top,
                                            TickBuffer* out) noexcept {
  ParseResult r;
  ObjectFields f;
  const size_t first_tick = out->size();
  const bool ok = ForEachField(
      top, [&](std::string_view key, od::value v) { return ReadObjectField(key, v, &f, out, &r); });
  if (!ok) {
    Rollback(out, first_tick);
    if (r.detail.empty()) r.detail = "malformed JSON";
    return r;
  }
  if (f.has_channel) return ChannelResult(doc, f, first_tick, out);
  if (f.has_method) return MethodResult(f);
  if (f.has_event) return V1EventResult(f);  // v1
  if (f.has_success && !f.success) {
    r.kind = FrameKind::kError;
    r.detail = !f.error.empty() ? f.error : std::string_view("error without message");
    return r;
  }
  r.detail = "object has no \"channel\", \"method\" or \"event\"";
  return r;
}

// v1 [channelID, payload, channelName, pair]. The payload comes before the name that says how to
// read it: a first pass reads the name, a second (after rewinding) the payload and the pair.
ParseResult KrakenParser::Impl::ParseV1Channel(od::document& doc, TickBuffer* out) noexcept {
  ParseResult r;
  od::array arr;
  size_t n = 0;
  bool id_is_number = false, prev_is_string = false, last_is_string = false;
  std::string_view prev, last;
  if (doc.get_array().get(arr) != simdjson::SUCCESS || !ForEachElement(arr, [&](od::value v) {
        od::json_type t;
        if (v.type().get(t) != simdjson::SUCCESS) return false;
        if (n == 0) id_is_number = t == od::json_type::number;
        prev = last;
        prev_is_string = last_is_string;
        last_is_string =
            t == od::json_type::string && v.get_string().get(last) == simdjson::SUCCESS;
        if (!last_is_string) last = {};
        ++n;
        return true;
      })) {
    r.detail = "malformed JSON";
    return r;
  }
  if (n < 4 || !id_is_number || !prev_is_string || !last_is_string) {
    r.detail = "array is not a v1 channel frame [channelID, data, channelName, pair]";
    return r;
  }
  const V1Channel channel = V1ChannelOf(prev);
  if (channel == V1Channel::kOther) {  // book-*, ohlc-*, ...
    r.kind = FrameKind::kIgnored;
    return r;
  }
  if (n != 4) {
    r.detail = "v1 trade/spread/ticker frame does not have 4 elements";
    return r;
  }
  doc.rewind();  // resets simdjson's string buffer: `prev` and `last` are no longer valid
  const size_t first_tick = out->size();
  std::string_view pair;
  size_t i = 0;
  if (doc.get_array().get(arr) != simdjson::SUCCESS || !ForEachElement(arr, [&](od::value v) {
        bool element_ok = true;
        if (i == 1) element_ok = ReadV1Payload(v, channel, "?", out, &r);
        if (i == 3) pair = Str(v);
        ++i;
        return element_ok;
      })) {
    Rollback(out, first_tick);
    if (r.detail.empty()) r.detail = "malformed JSON";
    return r;
  }
  if (pair.empty()) {
    Rollback(out, first_tick);
    r.detail = "v1 pair is empty";
    return r;
  }
  const std::string_view symbol = V1Symbol(pair);
  for (size_t k = first_tick; k < out->size(); ++k) (*out)[k].symbol = symbol;
  r.kind = FrameKind::kData;
  return r;
}

ParseResult KrakenParser::ParseRestTicker(std::string_view body,
                                          const std::vector<std::string>& venue_symbols,
                                          TickBuffer* out) noexcept {
  return impl_->ParseRest(body, &venue_symbols, out);
}

ParseResult KrakenParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  return impl_->ParseRest(body, nullptr, out);
}

bool KrakenParser::Impl::ReadRestEntry(std::string_view key, od::value v,
                                       const std::vector<std::string>* symbols, TickBuffer* out,
                                       ParseResult* r) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::object) {  // Ticker
    std::string_view bid, ask;
    if (!ReadRestTickerSides(v, &bid, &ask, r)) return false;
    return AddQuote(RestSymbol(key, symbols), bid, ask, 0, out, r);
  }
  if (t == od::json_type::array) {  // Trades
    od::array trades;
    if (v.get_array().get(trades) != simdjson::SUCCESS) return false;
    return AddRestTrades(trades, RestSymbol(key, symbols), out, r);
  }
  return true;  // "last": the Trades cursor
}

// {"error":[..],"result":{"<pair>":{"a":[..],"b":[..],..}, ..}} (Ticker) or
// {"error":[..],"result":{"<pair>":[[price, volume, time, side, type, misc, id], ..],"last":".."}}
// (Trades).
ParseResult KrakenParser::Impl::ParseRest(std::string_view body,
                                          const std::vector<std::string>* symbols,
                                          TickBuffer* out) noexcept {
  ParseResult r;
  od::document doc;
  od::object top;
  if (parser.iterate(frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    r.detail = "not JSON";
    return r;
  }
  if (doc.get_object().get(top) != simdjson::SUCCESS) {
    r.detail = "not a JSON object";
    return r;
  }
  const size_t first_tick = out->size();
  std::string_view first_error;
  bool has_result = false;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    if (key == "error") return ReadRestErrors(v, &first_error, &r);
    if (key == "result") {
      has_result = true;
      od::object result;
      if (v.get_object().get(result) != simdjson::SUCCESS) {
        return Fail(&r, "\"result\" is not an object");
      }
      return ForEachField(result, [&](std::string_view k, od::value e) {
        return ReadRestEntry(k, e, symbols, out, &r);
      });
    }
    return true;
  });
  if (!ok) {
    Rollback(out, first_tick);
    if (r.detail.empty()) r.detail = "malformed JSON";
    return r;
  }
  if (!first_error.empty()) {
    Rollback(out, first_tick);
    r.kind = FrameKind::kError;
    r.detail = first_error;
    return r;
  }
  if (!has_result) {
    r.detail = "body has no \"result\"";
    return r;
  }
  r.kind = FrameKind::kData;
  return r;
}

}  // namespace oracle::feeds
