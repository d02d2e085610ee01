#include "feeds/bitfinex/bitfinex_parse.h"

#include <cstring>

#include "feeds/bitfinex/bitfinex_symbols.h"
#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// Calls f(index, value) for each element of `arr` (ForEachElement in json_util.h passes no index).
template <typename F>
bool ForEachIndexedElement(od::array arr, F&& f) noexcept {
  size_t i = 0;
  for (auto element_result : arr) {
    od::value v;
    if (std::move(element_result).get(v) != simdjson::SUCCESS) return false;
    if (!f(i++, v)) return false;
  }
  return true;
}

ParseResult Classified(FrameKind kind, std::string_view detail) noexcept {
  ParseResult r;
  r.kind = kind;
  r.detail = detail;
  return r;
}

enum class ChannelKind : uint8_t { kTrades, kTicker, kOther };

// A number or a null in a fixed-layout array: its text, or empty for null. False otherwise.
bool NumberOrNull(od::value v, std::string_view* text) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::null) {
    *text = {};
    return true;
  }
  return (t == od::json_type::number || t == od::json_type::string) && ValueText(v, text);
}

// [ID, MTS, AMOUNT, PRICE, ..] -> a trade tick. Returns the problem, or nullptr.
const char* ReadTrade(od::value v, std::string_view symbol, TickBuffer* out) noexcept {
  od::array fields;
  if (v.get_array().get(fields) != simdjson::SUCCESS) return "trade is not an array";
  std::string_view id, mts, amount, price;
  size_t n = 0;
  if (!ForEachIndexedElement(fields, [&](size_t i, od::value f) {
        if (i == 0) id = Text(f);
        if (i == 1) mts = Text(f);
        if (i == 2) amount = Text(f);
        if (i == 3) price = Text(f);
        n = i + 1;
        return true;
      })) {
    return "malformed trade";
  }
  if (n < 4) return "trade has fewer than 4 fields [ID, MTS, AMOUNT, PRICE]";
  Tick t;
  t.type = TickType::kTrade;
  t.symbol = symbol;
  if (!DecimalFromText(price, &t.price)) return "trade PRICE is not a decimal";
  if (t.price.mantissa <= 0) return "trade PRICE is not positive";
  if (!DecimalFromText(amount, &t.size)) return "trade AMOUNT is not a decimal";
  if (t.size.mantissa < 0) t.size.mantissa = -t.size.mantissa;  // sells are negative
  if (!EpochTimeFromText(mts, kNanosPerMilli, &t.event_time)) {
    return "trade MTS is not a number of milliseconds";
  }
  if (!UintFromText(id, &t.sequence)) t.sequence = 0;
  *out->Add() = t;
  return nullptr;
}

// [[ID, MTS, AMOUNT, PRICE], ..] -> trade ticks.
const char* ReadTradeSnapshot(od::value v, std::string_view symbol, TickBuffer* out) noexcept {
  od::array trades;
  if (v.get_array().get(trades) != simdjson::SUCCESS) return "trades snapshot is not an array";
  const char* why = nullptr;
  if (!ForEachIndexedElement(trades, [&](size_t, od::value trade) {
        why = ReadTrade(trade, symbol, out);
        return why == nullptr;
      })) {
    return why != nullptr ? why : "malformed trades snapshot";
  }
  return nullptr;
}

// [BID, BID_SIZE, ASK, ASK_SIZE, ..] (after `offset` leading fields) -> a quote tick, none when
// a side is null or zero.
const char* ReadTicker(od::array fields, size_t offset, std::string_view symbol,
                       TickBuffer* out) noexcept {
  std::string_view bid, ask;
  size_t n = 0;
  bool numbers = true;
  if (!ForEachIndexedElement(fields, [&](size_t i, od::value f) {
        if (i == offset) numbers = NumberOrNull(f, &bid);
        if (i == offset + 2) numbers = NumberOrNull(f, &ask);
        n = i + 1;
        return numbers;
      })) {
    return numbers ? "malformed ticker" : "ticker BID or ASK is not a number";
  }
  if (n < offset + 3) return "ticker has no BID and ASK";
  if (bid.empty() || ask.empty()) return nullptr;
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = symbol;
  if (!DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
    return "ticker BID or ASK is not a decimal";
  }
  if (t.bid.mantissa > 0 && t.ask.mantissa > 0) *out->Add() = t;
  return nullptr;
}

// The members of an event object, read in one pass.
struct EventFields {
  std::string_view event, channel, symbol, chan_id_text, code, msg, status;
  bool has_event = false, has_chan_id = false, has_version = false, has_status = false;
  std::string_view platform_status;
};

// One member of an event object into `f`. False (and *why, unless malformed JSON) on a bad one.
bool ReadEventField(std::string_view key, od::value v, EventFields* f, const char** why) noexcept {
  if (key == "event") {
    f->has_event = true;
    if (v.get_string().get(f->event) != simdjson::SUCCESS) {
      *why = "\"event\" is not a string";
      return false;
    }
  } else if (key == "channel") {
    f->channel = Text(v);
  } else if (key == "symbol") {
    f->symbol = Text(v);
  } else if (key == "chanId") {
    f->has_chan_id = true;
    f->chan_id_text = Text(v);
  } else if (key == "code") {
    f->code = Text(v);
  } else if (key == "msg") {
    f->msg = Text(v);
  } else if (key == "status") {
    f->has_status = true;
    f->status = Text(v);
  } else if (key == "version") {
    f->has_version = true;
  } else if (key == "platform") {
    od::object platform;
    if (v.get_object().get(platform) != simdjson::SUCCESS) {
      *why = "\"platform\" is not an object";
      return false;
    }
    return ForEachField(platform, [&](std::string_view k, od::value p) {
      if (k == "status") f->platform_status = Text(p);
      return true;
    });
  }
  return true;
}

// {"error":"ERR_RATE_LIMIT"}: a REST error object.
ParseResult RestErrorObject(od::document& doc) noexcept {
  od::object obj;
  std::string_view error;
  bool has_error = false;
  if (doc.get_object().get(obj) != simdjson::SUCCESS ||
      !ForEachField(obj, [&](std::string_view key, od::value v) {
        if (key == "error") {
          has_error = true;
          error = Text(v);
        }
        return true;
      })) {
    return Unparseable("malformed JSON");
  }
  if (!has_error) return Unparseable("REST object without \"error\"");
  return Classified(FrameKind::kError,
                    !error.empty() ? error : std::string_view("error without message"));
}

// A REST ticker [SYMBOL, BID, BID_SIZE, ASK, ASK_SIZE, ..] -> a quote tick of a trading pair
// (none when a side is null or zero). The symbol comes first; funding tickers ([fUSD, FRR, BID,
// BID_PERIOD, ..]) are skipped. Returns the problem, or nullptr.
const char* RestTickerToTick(od::array fields, TickBuffer* out) noexcept {
  const char* why = nullptr;
  std::string_view symbol;
  bool trading = false;
  std::string_view bid, ask;
  size_t n = 0;
  bool numbers = true;
  if (!ForEachIndexedElement(fields, [&](size_t k, od::value f) {
        n = k + 1;
        if (k == 0) {
          if (f.get_string().get(symbol) != simdjson::SUCCESS) {
            why = "ticker SYMBOL is not a string";
            return false;
          }
          trading = BitfinexIsTradingSymbol(symbol);
          return true;
        }
        if (!trading) return true;
        if (k == 1) numbers = NumberOrNull(f, &bid);
        if (k == 3) numbers = NumberOrNull(f, &ask);
        if (!numbers) why = "ticker BID or ASK is not a number";
        return numbers;
      })) {
    return why != nullptr ? why : "malformed ticker";
  }
  if (!trading) return nullptr;
  if (n < 4) return "ticker has no BID and ASK";
  if (bid.empty() || ask.empty()) return nullptr;
  Tick tick;
  tick.type = TickType::kQuote;
  tick.symbol = symbol;
  if (!DecimalFromText(bid, &tick.bid) || !DecimalFromText(ask, &tick.ask)) {
    return "ticker BID or ASK is not a decimal";
  }
  if (tick.bid.mantissa > 0 && tick.ask.mantissa > 0) *out->Add() = tick;
  return nullptr;
}

}  // namespace

// The CHAN_ID map: fixed storage, no allocation. Bitfinex allows 30 channels per connection; the
// map holds two connections' worth and more (an overflow drops the oldest entry).
struct BitfinexParser::Impl {
  static constexpr size_t kMaxChannels = 128;
  static constexpr size_t kMaxSymbol = 32;
  struct Channel {
    uint64_t chan_id = 0;
    uint64_t generation = 0;
    ChannelKind kind = ChannelKind::kOther;
    uint8_t symbol_size = 0;
    char symbol[kMaxSymbol] = {};
    std::string_view Symbol() const noexcept { return {symbol, symbol_size}; }
  };

  od::parser parser;
  PaddedFrame frame;
  Channel channels[kMaxChannels];
  size_t channel_count = 0;
  uint64_t generation = 0;

  const Channel* Find(uint64_t chan_id) const noexcept {
    for (size_t i = 0; i < channel_count; ++i) {
      if (channels[i].chan_id == chan_id) return &channels[i];
    }
    return nullptr;
  }
  void EraseAt(size_t i) noexcept {
    for (size_t k = i + 1; k < channel_count; ++k) channels[k - 1] = channels[k];
    --channel_count;
  }
  void Forget(uint64_t chan_id) noexcept {
    for (size_t i = 0; i < channel_count; ++i) {
      if (channels[i].chan_id == chan_id) return EraseAt(i);
    }
  }
  void Remember(uint64_t chan_id, std::string_view channel, std::string_view symbol) noexcept {
    Forget(chan_id);
    if (channel_count == kMaxChannels) EraseAt(0);  // the oldest
    Channel& c = channels[channel_count++];
    c.chan_id = chan_id;
    c.generation = generation;
    const bool trading = BitfinexIsTradingSymbol(symbol) && symbol.size() <= kMaxSymbol;
    c.kind = !trading              ? ChannelKind::kOther
             : channel == "trades" ? ChannelKind::kTrades
             : channel == "ticker" ? ChannelKind::kTicker
                                   : ChannelKind::kOther;
    c.symbol_size = trading ? static_cast<uint8_t>(symbol.size()) : 0;
    if (trading) std::memcpy(c.symbol, symbol.data(), symbol.size());
  }
  // A new connection: keep the previous generation (the connection it may overlap with).
  void NewConnection() noexcept {
    ++generation;
    for (size_t i = channel_count; i-- > 0;) {
      if (channels[i].generation + 1 < generation) EraseAt(i);
    }
  }

  ParseResult ParseChannelFrame(od::array frame, TickBuffer* out) noexcept;
  ParseResult ParseEvent(od::object event) noexcept;
  // {"event":"info",..}: a new connection's greeting, or a server notice by code.
  ParseResult InfoEventResult(const EventFields& f) noexcept;
};

BitfinexParser::BitfinexParser() : impl_(std::make_unique<Impl>()) {}
BitfinexParser::~BitfinexParser() = default;

size_t BitfinexParser::mapped_channels() const noexcept { return impl_->channel_count; }

ParseResult BitfinexParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  Impl& m = *impl_;
  od::document doc;
  od::json_type type;
  if (m.parser.iterate(m.frame.Load(frame)).get(doc) != simdjson::SUCCESS ||
      doc.type().get(type) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  if (type == od::json_type::array) {
    od::array arr;
    if (doc.get_array().get(arr) != simdjson::SUCCESS) return Unparseable("malformed JSON");
    return m.ParseChannelFrame(arr, out);
  }
  od::object obj;
  if (type != od::json_type::object || doc.get_object().get(obj) != simdjson::SUCCESS) {
    return Unparseable("not a JSON array or object");
  }
  return m.ParseEvent(obj);
}

// [CHAN_ID, payload] or [CHAN_ID, TYPE, payload?]. CHAN_ID comes first, so the channel is known
// before the payload is read.
ParseResult BitfinexParser::Impl::ParseChannelFrame(od::array frame, TickBuffer* out) noexcept {
  const size_t start = out->size();
  const Channel* channel = nullptr;
  std::string_view update_type;
  bool has_payload = false, has_update = false, bad_id = false, bad_second = false;
  const char* why = nullptr;
  size_t n = 0;
  const bool ok = ForEachIndexedElement(frame, [&](size_t i, od::value v) {
    n = i + 1;
    if (i == 0) {
      uint64_t chan_id = 0;
      od::json_type t;
      bad_id = v.type().get(t) != simdjson::SUCCESS || t != od::json_type::number ||
               !UintFromText(Text(v), &chan_id);
      if (bad_id) return false;
      channel = Find(chan_id);
      return true;
    }
    if (i == 1) {
      od::json_type t;
      if (v.type().get(t) != simdjson::SUCCESS) return false;
      if (t == od::json_type::string) {
        if (v.get_string().get(update_type) != simdjson::SUCCESS) return false;
        return true;
      }
      if (t != od::json_type::array) {
        bad_second = true;
        return false;
      }
      has_payload = true;
      if (channel == nullptr) return true;  // not read: skipped by the iteration
      if (channel->kind == ChannelKind::kTrades) {
        why = ReadTradeSnapshot(v, channel->Symbol(), out);
      } else if (channel->kind == ChannelKind::kTicker) {
        od::array fields;
        why = v.get_array().get(fields) != simdjson::SUCCESS
                  ? "ticker is not an array"
                  : ReadTicker(fields, 0, channel->Symbol(), out);
      }
      return why == nullptr;
    }
    if (i == 2 && update_type == "te" && channel != nullptr &&
        channel->kind == ChannelKind::kTrades) {
      has_update = true;
      why = ReadTrade(v, channel->Symbol(), out);
      return why == nullptr;
    }
    return true;  // sequence numbers (conf flag SEQ_ALL) and future fields
  });
  if (!ok) {
    Rollback(out, start);
    if (bad_id) return Unparseable("first element is not a CHAN_ID");
    if (bad_second) return Unparseable("second element is not an update type or an array");
    return Unparseable(why != nullptr ? why : "malformed JSON");
  }
  if (n < 2) return Unparseable("channel frame with fewer than 2 elements");
  if (update_type == "hb") return Classified(FrameKind::kHeartbeat, {});
  if (channel == nullptr) return Classified(FrameKind::kIgnored, "data for an unknown CHAN_ID");
  if (channel->kind == ChannelKind::kOther) {  // book, candles, funding symbols, ...
    return Classified(FrameKind::kIgnored, "a channel the oracle does not use");
  }
  if (has_payload) return Classified(FrameKind::kData, {});
  if (update_type == "te") {
    if (channel->kind != ChannelKind::kTrades) return Classified(FrameKind::kIgnored, "te");
    if (!has_update) return Unparseable("\"te\" without a trade");
    return Classified(FrameKind::kData, {});
  }
  if (update_type == "tu") return Classified(FrameKind::kIgnored, "tu repeats a te trade");
  return Classified(FrameKind::kIgnored, update_type);  // fte, ftu, cs, ...
}

ParseResult BitfinexParser::Impl::ParseEvent(od::object event_object) noexcept {
  EventFields f;
  const char* why = nullptr;
  const bool ok = ForEachField(event_object, [&](std::string_view key, od::value v) {
    return ReadEventField(key, v, &f, &why);
  });
  if (!ok) return Unparseable(why != nullptr ? why : "malformed JSON");
  if (!f.has_event || f.event.empty()) return Unparseable("object without an \"event\"");

  const std::string_view event = f.event;
  if (event == "subscribed") {
    uint64_t chan_id = 0;
    if (!f.has_chan_id || !UintFromText(f.chan_id_text, &chan_id)) {
      return Unparseable("\"subscribed\" without a numeric chanId");
    }
    Remember(chan_id, f.channel, f.symbol);
    return Classified(FrameKind::kAck, f.channel);
  }
  if (event == "unsubscribed") {
    uint64_t chan_id = 0;
    if (f.has_chan_id && UintFromText(f.chan_id_text, &chan_id)) Forget(chan_id);
    return Classified(FrameKind::kAck, event);
  }
  if (event == "info") return InfoEventResult(f);
  if (event == "error") {
    return Classified(FrameKind::kError, !f.msg.empty()    ? f.msg
                                         : !f.code.empty() ? f.code
                                                           : std::string_view("error without msg"));
  }
  if (event == "pong") return Classified(FrameKind::kHeartbeat, {});
  if (event == "conf" && f.has_status) {
    return f.status == "OK"
               ? Classified(FrameKind::kAck, event)
               : Classified(FrameKind::kError,
                            !f.status.empty() ? f.status : std::string_view("conf failed"));
  }
  if (event == "subscribe" || event == "unsubscribe" || event == "ping" || event == "conf") {
    return Classified(FrameKind::kIgnored, "client request");
  }
  return Classified(FrameKind::kIgnored, event);  // auth and future events
}

ParseResult BitfinexParser::Impl::InfoEventResult(const EventFields& f) noexcept {
  if (f.has_version) {
    NewConnection();
    return Classified(FrameKind::kIgnored, f.platform_status == "0"
                                               ? "info: platform in maintenance"
                                               : "info: connected");
  }
  if (f.code == "20051") {
    return Classified(FrameKind::kReconnect,
                      !f.msg.empty() ? f.msg : std::string_view("20051: server restarting"));
  }
  if (f.code == "20061") {
    return Classified(FrameKind::kReconnect,
                      !f.msg.empty() ? f.msg : std::string_view("20061: maintenance ended"));
  }
  if (f.code == "20060") {
    return Classified(FrameKind::kError,
                      !f.msg.empty() ? f.msg : std::string_view("20060: maintenance started"));
  }
  return Classified(FrameKind::kIgnored, "info");
}

ParseResult BitfinexParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  Impl& m = *impl_;
  od::document doc;
  od::json_type type;
  if (m.parser.iterate(m.frame.Load(body)).get(doc) != simdjson::SUCCESS ||
      doc.type().get(type) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  if (type == od::json_type::object) return RestErrorObject(doc);
  od::array rows;
  if (type != od::json_type::array || doc.get_array().get(rows) != simdjson::SUCCESS) {
    return Unparseable("REST body is not an array");
  }
  const size_t start = out->size();
  bool error_reply = false;
  std::string_view error_msg, error_code;
  const char* why = nullptr;
  const bool ok = ForEachIndexedElement(rows, [&](size_t i, od::value row) {
    od::json_type t;
    if (row.type().get(t) != simdjson::SUCCESS) return false;
    if (i == 0 && t == od::json_type::string) {  // ["error", 10020, "symbol: invalid"]
      error_reply = Text(row) == "error";
      if (!error_reply) why = "REST array starts with a string other than \"error\"";
      return error_reply;
    }
    if (error_reply) {
      if (i == 1) error_code = Text(row);
      if (i == 2) error_msg = Text(row);
      return true;
    }
    od::array fields;
    if (t != od::json_type::array || row.get_array().get(fields) != simdjson::SUCCESS) {
      why = "ticker is not an array";
      return false;
    }
    why = RestTickerToTick(fields, out);
    return why == nullptr;
  });
  if (!ok) {
    Rollback(out, start);
    return Unparseable(why != nullptr ? why : "malformed JSON");
  }
  if (error_reply) {
    return Classified(FrameKind::kError, !error_msg.empty()    ? error_msg
                                         : !error_code.empty() ? error_code
                                                               : std::string_view("error"));
  }
  return Classified(FrameKind::kData, {});
}

}  // namespace oracle::feeds
