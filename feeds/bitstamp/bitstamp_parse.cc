#include "feeds/bitstamp/bitstamp_parse.h"

#include <set>
#include <string>

#include "feeds/bitstamp/bitstamp_symbols.h"
#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// The fields of a frame's "data" object (or of a REST ticker) that the oracle reads, as text.
struct Data {
  std::string_view price_str, price, amount_str, amount, microtimestamp, timestamp;
  std::string_view first_bid, first_ask;  // price of the first level of "bids" / "asks"
  std::string_view message;
  std::string_view pair, market, bid, ask, status, reason;  // REST ticker
};

bool ReadData(od::object obj, Data* d) noexcept {
  return ForEachField(obj, [d](std::string_view key, od::value v) {
    if (key == "price_str") return OptionalText(v, &d->price_str);
    if (key == "price") return OptionalText(v, &d->price);
    if (key == "amount_str") return OptionalText(v, &d->amount_str);
    if (key == "amount") return OptionalText(v, &d->amount);
    if (key == "microtimestamp") return OptionalText(v, &d->microtimestamp);
    if (key == "timestamp") return OptionalText(v, &d->timestamp);
    if (key == "bids") return FirstArrayLevelPrice(v, &d->first_bid);
    if (key == "asks") return FirstArrayLevelPrice(v, &d->first_ask);
    if (key == "message") return OptionalText(v, &d->message);
    if (key == "pair") return OptionalText(v, &d->pair);
    if (key == "market") return OptionalText(v, &d->market);
    if (key == "bid") return OptionalText(v, &d->bid);
    if (key == "ask") return OptionalText(v, &d->ask);
    if (key == "status") return OptionalText(v, &d->status);
    if (key == "reason") return OptionalText(v, &d->reason);
    return true;
  });
}

// microtimestamp (us) if present, else timestamp (s); 0 when the frame has neither.
bool EventTime(const Data& d, TimeNs* out) noexcept {
  if (!d.microtimestamp.empty()) return EpochTimeFromText(d.microtimestamp, kNanosPerMicro, out);
  if (!d.timestamp.empty()) return EpochTimeFromText(d.timestamp, kNanosPerSecond, out);
  *out = 0;
  return true;
}

ParseResult TradeToTick(std::string_view channel, const Data& d, TickBuffer* out) noexcept {
  ParseResult r;
  if (!channel.starts_with(kBitstampTradesChannelPrefix)) {  // e.g. private-live_trades_...
    r.kind = FrameKind::kIgnored;
    return r;
  }
  const std::string_view symbol = channel.substr(kBitstampTradesChannelPrefix.size());
  if (symbol.empty()) return Unparseable("trade channel names no market");
  Tick t;
  t.type = TickType::kTrade;
  t.symbol = symbol;
  if (!DecimalFromText(!d.price_str.empty() ? d.price_str : d.price, &t.price)) {
    return Unparseable("trade without a decimal price_str/price");
  }
  if (!DecimalFromText(!d.amount_str.empty() ? d.amount_str : d.amount, &t.size)) {
    return Unparseable("trade without a decimal amount_str/amount");
  }
  if (!EventTime(d, &t.event_time)) {
    return Unparseable("trade microtimestamp/timestamp is not a number");
  }
  *out->Add() = t;
  r.kind = FrameKind::kData;
  return r;
}

ParseResult BookToTick(std::string_view channel, const Data& d, TickBuffer* out) noexcept {
  ParseResult r;
  if (!channel.starts_with(kBitstampBookChannelPrefix)) {  // diff_/detail_/full_order_book
    r.kind = FrameKind::kIgnored;
    return r;
  }
  const std::string_view symbol = channel.substr(kBitstampBookChannelPrefix.size());
  if (symbol.empty()) return Unparseable("order_book channel names no market");
  r.kind = FrameKind::kData;
  if (d.first_bid.empty() || d.first_ask.empty()) return r;  // one side of the book is empty
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = symbol;
  if (!DecimalFromText(d.first_bid, &t.bid) || !DecimalFromText(d.first_ask, &t.ask)) {
    return Unparseable("order_book level price is not a decimal");
  }
  if (!EventTime(d, &t.event_time)) {
    return Unparseable("order_book microtimestamp/timestamp is not a number");
  }
  *out->Add() = t;
  return r;
}

}  // namespace

struct BitstampParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  std::string rest_symbol;
  // Venue symbols made from the REST list's market names; nodes are stable, so ticks may point
  // into them. Grows once per market.
  std::set<std::string, std::less<>> symbols;

  std::string_view Intern(std::string_view s) {
    auto it = symbols.find(s);
    if (it == symbols.end()) it = symbols.emplace(s).first;
    return *it;
  }
};

BitstampParser::BitstampParser() : impl_(std::make_unique<Impl>()) {}
BitstampParser::~BitstampParser() = default;

void BitstampParser::SetRestSymbol(std::string_view venue_symbol) {
  impl_->rest_symbol.assign(venue_symbol);
}

ParseResult BitstampParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(frame)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");
  std::string_view event, channel, top_message;
  bool has_event = false, event_is_string = true;
  Data d;
  bool data_ok = true;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    if (key == "event") {
      has_event = true;
      event_is_string = v.get_string().get(event) == simdjson::SUCCESS;
      return true;
    }
    if (key == "channel") return OptionalText(v, &channel);
    if (key == "message") return OptionalText(v, &top_message);
    if (key == "data") {
      od::json_type t;
      if (v.type().get(t) != simdjson::SUCCESS) return false;
      if (t != od::json_type::object) return true;  // "" or null (bts:request_reconnect)
      od::object obj;
      data_ok = v.get_object().get(obj) == simdjson::SUCCESS && ReadData(obj, &d);
      return data_ok;
    }
    return true;
  });
  if (!data_ok) return Unparseable("\"data\" is not a well-formed object");
  if (!ok) return Unparseable("malformed JSON");
  if (!has_event) return Unparseable("no \"event\": not a Bitstamp frame");
  if (!event_is_string) return Unparseable("\"event\" is not a string");

  ParseResult r;
  if (event == "trade") return TradeToTick(channel, d, out);
  if (event == "data") return BookToTick(channel, d, out);
  if (event == "bts:subscription_succeeded" || event == "bts:unsubscription_succeeded") {
    r.kind = FrameKind::kAck;
    r.detail = channel;
    return r;
  }
  if (event == "bts:heartbeat") {
    r.kind = FrameKind::kHeartbeat;
    return r;
  }
  if (event == "bts:request_reconnect") {
    r.kind = FrameKind::kReconnect;
    r.detail = "bts:request_reconnect";
    return r;
  }
  if (event == "bts:error" || event == "bts:subscription_failed") {
    r.kind = FrameKind::kError;
    r.detail = !d.message.empty() ? d.message : !top_message.empty() ? top_message : event;
    return r;
  }
  if (event == "bts:subscribe" || event == "bts:unsubscribe") {  // a client request in a capture
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  if (event.empty()) return Unparseable("empty \"event\"");
  // live_orders (order_created/changed/deleted), funding_rate_saved, ...
  r.kind = FrameKind::kIgnored;
  return r;
}

ParseResult BitstampParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  // One ticker object -> at most one quote tick. `in_list`: an entry of the /ticker/ list, which
  // must name its market.
  auto one = [&](od::object obj, bool in_list, ParseResult* r) -> bool {
    Data d;
    if (!ReadData(obj, &d)) {
      *r = Unparseable("malformed ticker object");
      return false;
    }
    if (d.bid.empty() && d.ask.empty() && (d.status == "error" || !d.message.empty())) {
      r->kind = FrameKind::kError;
      r->detail = !d.reason.empty() ? d.reason : !d.message.empty() ? d.message : d.status;
      return false;
    }
    std::string_view symbol;
    const std::string_view pair = !d.pair.empty() ? d.pair : d.market;
    if (!pair.empty()) {
      char buf[64];
      const size_t n = BitstampSymbolFromPair(pair, buf, sizeof(buf));
      if (n == 0) {
        *r = Unparseable("ticker pair is not a market name");
        return false;
      }
      symbol = impl_->Intern(std::string_view(buf, n));
    } else if (!in_list && !impl_->rest_symbol.empty()) {
      symbol = impl_->rest_symbol;
    } else {
      *r = Unparseable("ticker names no pair (and no REST symbol was set)");
      return false;
    }
    if (d.bid.empty() || d.ask.empty()) return true;  // a market without a book side: no tick
    Tick t;
    t.type = TickType::kQuote;
    t.symbol = symbol;
    if (!DecimalFromText(d.bid, &t.bid) || !DecimalFromText(d.ask, &t.ask)) {
      *r = Unparseable("ticker bid/ask is not a decimal");
      return false;
    }
    if (!d.timestamp.empty() && !EpochTimeFromText(d.timestamp, kNanosPerSecond, &t.event_time)) {
      *r = Unparseable("ticker timestamp is not a number of seconds");
      return false;
    }
    *out->Add() = t;
    return true;
  };
  ParseResult r;
  const size_t first_tick = out->size();
  auto failed = [&] {
    while (out->size() > first_tick) out->PopBack();
    return r;
  };
  od::json_type type;
  if (doc.type().get(type) != simdjson::SUCCESS) return Unparseable("not JSON");
  if (type == od::json_type::array) {
    od::array arr;
    if (doc.get_array().get(arr) != simdjson::SUCCESS) return Unparseable("malformed JSON");
    for (auto item : arr) {
      od::object obj;
      if (item.get_object().get(obj) != simdjson::SUCCESS) {
        r = Unparseable("ticker list entry is not an object");
        return failed();
      }
      if (!one(obj, true, &r)) return failed();
    }
  } else {
    od::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      return Unparseable("ticker is not a JSON object or array");
    }
    if (!one(obj, false, &r)) return r;
  }
  r.kind = FrameKind::kData;
  return r;
}

}  // namespace oracle::feeds
