#include "feeds/coinbase/coinbase_parse.h"

#include <algorithm>
#include <cstring>

#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// A trade tick from text fields; `time` is RFC 3339 (may be empty: event_time 0).
bool AddTrade(std::string_view product, std::string_view price, std::string_view size,
              std::string_view time, std::string_view sequence, TickBuffer* out,
              ParseResult* r) noexcept {
  Tick t;
  t.type = TickType::kTrade;
  t.symbol = product;
  if (product.empty() || !DecimalFromText(price, &t.price) || !DecimalFromText(size, &t.size)) {
    return Fail(r, "trade without product_id, price or size");
  }
  if (t.price.mantissa <= 0) return Fail(r, "trade price is not positive");
  if (!time.empty() && !Rfc3339Time(time, &t.event_time)) {
    return Fail(r, "trade time is not RFC 3339");
  }
  if (!sequence.empty() && !UintFromText(sequence, &t.sequence)) {
    return Fail(r, "sequence is not an unsigned integer");
  }
  *out->Add() = t;
  return true;
}

// A quote tick from text fields. A side that is absent, null or "" (no order on that side, or a
// frame from before the venue sent best bid/ask) gives no tick; neither does a non-positive price.
bool AddQuote(std::string_view product, std::string_view bid, std::string_view ask,
              std::string_view time, std::string_view sequence, TickBuffer* out,
              ParseResult* r) noexcept {
  if (bid.empty() || ask.empty()) return true;
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = product;
  if (product.empty()) return Fail(r, "quote without product_id");
  if (!DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
    return Fail(r, "best bid or ask is not a decimal");
  }
  if (!time.empty() && !Rfc3339Time(time, &t.event_time)) {
    return Fail(r, "quote time is not RFC 3339");
  }
  if (!sequence.empty() && !UintFromText(sequence, &t.sequence)) {
    return Fail(r, "sequence is not an unsigned integer");
  }
  if (t.bid.mantissa <= 0 || t.ask.mantissa <= 0) return true;
  *out->Add() = t;
  return true;
}

enum class AdvancedChannel : uint8_t {
  kNone,
  kMarketTrades,
  kTicker,
  kHeartbeats,
  kSubscriptions,
  kOther
};

AdvancedChannel ChannelOf(std::string_view c) noexcept {
  if (c.empty()) return AdvancedChannel::kNone;
  if (c == "market_trades") return AdvancedChannel::kMarketTrades;
  if (c == "ticker" || c == "ticker_batch") return AdvancedChannel::kTicker;
  if (c == "heartbeats") return AdvancedChannel::kHeartbeats;
  if (c == "subscriptions") return AdvancedChannel::kSubscriptions;
  return AdvancedChannel::kOther;
}

bool ReadAdvancedTrades(od::value list, TickBuffer* out, ParseResult* r) noexcept {
  od::array trades;
  if (list.get_array().get(trades) != simdjson::SUCCESS)
    return Fail(r, "\"trades\" is not an array");
  return ForEachElement(trades, [&](od::value item) {
    od::object obj;
    if (item.get_object().get(obj) != simdjson::SUCCESS) return Fail(r, "trade is not an object");
    std::string_view product, price, size, time;
    if (!ForEachField(obj, [&](std::string_view key, od::value v) {
          if (key == "product_id") {
            product = Str(v);
          } else if (key == "price") {
            price = Text(v);
          } else if (key == "size") {
            size = Text(v);
          } else if (key == "time") {
            time = Str(v);
          }
          return true;
        })) {
      return false;
    }
    return AddTrade(product, price, size, time, {}, out, r);
  });
}

bool ReadAdvancedTickers(od::value list, TickBuffer* out, ParseResult* r) noexcept {
  od::array tickers;
  if (list.get_array().get(tickers) != simdjson::SUCCESS) {
    return Fail(r, "\"tickers\" is not an array");
  }
  return ForEachElement(tickers, [&](od::value item) {
    od::object obj;
    if (item.get_object().get(obj) != simdjson::SUCCESS) return Fail(r, "ticker is not an object");
    std::string_view product, bid, ask;
    if (!ForEachField(obj, [&](std::string_view key, od::value v) {
          if (key == "product_id") {
            product = Str(v);
          } else if (key == "best_bid") {
            bid = Text(v);
          } else if (key == "best_ask") {
            ask = Text(v);
          }
          return true;
        })) {
      return false;
    }
    return AddQuote(product, bid, ask, {}, {}, out, r);
  });
}

// Advanced Trade "events": [{"type":"snapshot"|"update","trades"|"tickers":[..]}, ..].
bool ReadAdvancedEvents(od::value v, AdvancedChannel channel, TickBuffer* out,
                        ParseResult* r) noexcept {
  od::array events;
  if (v.get_array().get(events) != simdjson::SUCCESS) return Fail(r, "\"events\" is not an array");
  return ForEachElement(events, [&](od::value ev) {
    od::object obj;
    if (ev.get_object().get(obj) != simdjson::SUCCESS) return Fail(r, "event is not an object");
    return ForEachField(obj, [&](std::string_view key, od::value list) {
      if (channel == AdvancedChannel::kMarketTrades && key == "trades") {
        return ReadAdvancedTrades(list, out, r);
      }
      if (channel == AdvancedChannel::kTicker && key == "tickers") {
        return ReadAdvancedTickers(list, out, r);
      }
      return true;
    });
  });
}

// The price of the first level of a book side: [{"price":..,"size":..}, ..] (Advanced) or
// [["price","size",orders], ..] (Exchange). Empty if the side is empty.
bool FirstLevelPrice(od::value side, std::string_view* price) noexcept {
  od::array levels;
  if (side.get_array().get(levels) != simdjson::SUCCESS) return false;
  bool first = true;
  return ForEachElement(levels, [&](od::value level) {
    if (!first) return true;
    first = false;
    od::json_type t;
    if (level.type().get(t) != simdjson::SUCCESS) return false;
    if (t == od::json_type::object) {
      od::object obj;
      if (level.get_object().get(obj) != simdjson::SUCCESS) return false;
      return ForEachField(obj, [&](std::string_view key, od::value v) {
        if (key == "price") *price = Text(v);
        return true;
      });
    }
    if (t == od::json_type::array) {
      od::array a;
      if (level.get_array().get(a) != simdjson::SUCCESS) return false;
      bool first_item = true;
      return ForEachElement(a, [&](od::value v) {
        if (first_item) *price = Text(v);
        first_item = false;
        return true;
      });
    }
    return false;
  });
}

// The top-level members of a feed frame, read in one pass.
struct FeedFields {
  std::string_view type, product, price, size, time, sequence, best_bid, best_ask, message, reason;
  bool has_type = false, has_channel = false, has_events = false, events_pending = false;
  AdvancedChannel channel = AdvancedChannel::kNone;
  TimeNs envelope_time = 0;
};

// One top-level member of a feed frame into `f`. Exchange frames are flat; Advanced frames carry
// their data in "events", read here when "channel" came first (as the venue sends it).
bool ReadFeedField(std::string_view key, od::value v, FeedFields* f, TickBuffer* out,
                   ParseResult* r) noexcept {
  if (key == "type") {
    f->has_type = true;
    f->type = Str(v);
  } else if (key == "channel") {
    // A second "channel" could re-label events already read: refused, as is a second "events".
    if (f->has_channel) return Fail(r, "repeated \"channel\"");
    f->has_channel = true;
    f->channel = ChannelOf(Str(v));
  } else if (key == "events") {
    if (f->has_events) return Fail(r, "repeated \"events\"");
    f->has_events = true;
    if (f->channel == AdvancedChannel::kMarketTrades || f->channel == AdvancedChannel::kTicker) {
      return ReadAdvancedEvents(v, f->channel, out, r);
    }
    f->events_pending = f->channel == AdvancedChannel::kNone;
  } else if (key == "timestamp") {
    const std::string_view ts = Str(v);
    if (!ts.empty() && !Rfc3339Time(ts, &f->envelope_time)) {
      return Fail(r, "timestamp is not RFC 3339");
    }
  } else if (key == "product_id") {
    f->product = Str(v);
  } else if (key == "price") {
    f->price = Text(v);
  } else if (key == "size") {
    f->size = Text(v);
  } else if (key == "time") {
    f->time = Str(v);
  } else if (key == "sequence") {
    f->sequence = Text(v);
  } else if (key == "best_bid") {
    f->best_bid = Text(v);
  } else if (key == "best_ask") {
    f->best_ask = Text(v);
  } else if (key == "message") {
    f->message = Str(v);
  } else if (key == "reason") {
    f->reason = Str(v);
  }
  return true;
}

// An Advanced Trade frame (one with "channel") whose members are in `f`. Reads "events" again
// from `doc` when it came before "channel". Ticks from `first_tick` on are this frame's.
ParseResult AdvancedFrameResult(od::document& doc, const FeedFields& f, size_t first_tick,
                                TickBuffer* out) noexcept {
  ParseResult r;
  switch (f.channel) {
    case AdvancedChannel::kMarketTrades:
    case AdvancedChannel::kTicker: {
      if (f.events_pending) {  // "events" came before "channel": read it in a second pass.
        doc.rewind();
        od::object again;
        od::value events;
        if (doc.get_object().get(again) != simdjson::SUCCESS ||
            again.find_field_unordered("events").get(events) != simdjson::SUCCESS ||
            !ReadAdvancedEvents(events, f.channel, out, &r)) {
          Rollback(out, first_tick);
          if (r.detail.empty()) r.detail = "malformed JSON";
          return r;
        }
      }
      if (f.channel == AdvancedChannel::kTicker) {
        for (size_t i = first_tick; i < out->size(); ++i) (*out)[i].event_time = f.envelope_time;
      }
      r.kind = FrameKind::kData;
      return r;
    }
    case AdvancedChannel::kHeartbeats:
      r.kind = FrameKind::kHeartbeat;
      return r;
    case AdvancedChannel::kSubscriptions:
      r.kind = FrameKind::kAck;
      return r;
    case AdvancedChannel::kNone:
      r.detail = "\"channel\" is not a string";
      return r;
    case AdvancedChannel::kOther:
      r.kind = FrameKind::kIgnored;  // l2_data, candles, status, user, ...
      return r;
  }
  return r;
}

// One entry of an Exchange /products/{id}/trades body -> a trade tick of `product_id`.
bool ReadExchangeTrade(od::value item, std::string_view product_id, TickBuffer* out,
                       ParseResult* r) noexcept {
  od::object obj;
  if (item.get_object().get(obj) != simdjson::SUCCESS) {
    return Fail(r, "trade is not an object");
  }
  std::string_view price, size, time;
  if (!ForEachField(obj, [&](std::string_view key, od::value v) {
        if (key == "price") {
          price = Text(v);
        } else if (key == "size") {
          size = Text(v);
        } else if (key == "time") {
          time = Str(v);
        }
        return true;
      })) {
    return false;
  }
  return AddTrade(product_id, price, size, time, {}, out, r);
}

// The members of a REST object body, read in one pass.
struct RestFields {
  bool has_pricebook = false, has_trades = false, has_bids = false, has_asks = false;
  bool has_best = false, has_bid = false, has_stats = false;
  std::string_view pb_product, pb_bid, pb_ask, pb_time;           // Advanced product_book
  std::string_view tr_product, tr_price, tr_size, tr_time;        // Advanced ticker: newest trade
  std::string_view best_bid, best_ask;                            // Advanced ticker
  std::string_view bid, ask, book_bid, book_ask, time, sequence;  // Exchange ticker / book
  std::string_view message, error;
};

// Advanced product_book "pricebook": {product_id, bids, asks, time} into `f`.
bool ReadPricebook(od::value v, RestFields* f, ParseResult* r) noexcept {
  od::object pb;
  if (v.get_object().get(pb) != simdjson::SUCCESS) return Fail(r, "pricebook is not an object");
  return ForEachField(pb, [&](std::string_view k, od::value pv) {
    if (k == "product_id") {
      f->pb_product = Str(pv);
    } else if (k == "bids") {
      return FirstLevelPrice(pv, &f->pb_bid) || Fail(r, "pricebook bids is not a list of levels");
    } else if (k == "asks") {
      return FirstLevelPrice(pv, &f->pb_ask) || Fail(r, "pricebook asks is not a list of levels");
    } else if (k == "time") {
      f->pb_time = Str(pv);
    }
    return true;
  });
}

// Advanced ticker "trades" (newest first): the first one's members into `f`.
bool ReadNewestTrade(od::value v, RestFields* f, ParseResult* r) noexcept {
  od::array trades;
  if (v.get_array().get(trades) != simdjson::SUCCESS) return Fail(r, "trades is not an array");
  bool first = true;  // trades come newest first
  return ForEachElement(trades, [&](od::value item) {
    if (!first) return true;
    first = false;
    od::object obj;
    if (item.get_object().get(obj) != simdjson::SUCCESS) return Fail(r, "trade is not an object");
    return ForEachField(obj, [&](std::string_view k, od::value tv) {
      if (k == "product_id") {
        f->tr_product = Str(tv);
      } else if (k == "price") {
        f->tr_price = Text(tv);
      } else if (k == "size") {
        f->tr_size = Text(tv);
      } else if (k == "time") {
        f->tr_time = Str(tv);
      }
      return true;
    });
  });
}

// One member of a REST object body into `f`.
bool ReadRestField(std::string_view key, od::value v, RestFields* f, ParseResult* r) noexcept {
  if (key == "pricebook") {
    f->has_pricebook = true;
    return ReadPricebook(v, f, r);
  }
  if (key == "trades") {
    f->has_trades = true;
    return ReadNewestTrade(v, f, r);
  }
  if (key == "best_bid") {
    f->has_best = true;
    f->best_bid = Text(v);
  } else if (key == "best_ask") {
    f->has_best = true;
    f->best_ask = Text(v);
  } else if (key == "bid") {
    f->has_bid = true;
    f->bid = Text(v);
  } else if (key == "ask") {
    f->ask = Text(v);
  } else if (key == "bids") {
    f->has_bids = true;
    return FirstLevelPrice(v, &f->book_bid) || Fail(r, "bids is not a list of levels");
  } else if (key == "asks") {
    f->has_asks = true;
    return FirstLevelPrice(v, &f->book_ask) || Fail(r, "asks is not a list of levels");
  } else if (key == "time") {
    f->time = Str(v);
  } else if (key == "sequence") {
    f->sequence = Text(v);
  } else if (key == "message") {
    f->message = Str(v);
  } else if (key == "error") {
    f->error = Str(v);
  } else if (key == "iso" || key == "last" || key == "volume_30day") {
    f->has_stats = true;
  }
  return true;
}

// The ticks and kind of a REST object body whose members are in `f`. Ticks from `first_tick` on
// are this body's.
ParseResult RestBodyResult(const RestFields& f, std::string_view product_id, size_t first_tick,
                           TickBuffer* out) noexcept {
  ParseResult r;
  auto done = [&](bool added) {
    if (added) {
      r.kind = FrameKind::kData;
    } else {
      Rollback(out, first_tick);
    }
    return r;
  };
  if (f.has_pricebook) {
    const std::string_view symbol = !f.pb_product.empty() ? f.pb_product : product_id;
    if (symbol.empty()) {
      r.detail = "pricebook without product_id";
      return r;
    }
    return done(AddQuote(symbol, f.pb_bid, f.pb_ask, f.pb_time, {}, out, &r));
  }
  if (f.has_trades || f.has_best) {
    const std::string_view symbol = !f.tr_product.empty() ? f.tr_product : product_id;
    if (symbol.empty()) {
      r.detail = "ticker names no product (no trades)";
      return r;
    }
    bool added = AddQuote(symbol, f.best_bid, f.best_ask, {}, {}, out, &r);
    if (added && !f.tr_price.empty())
      added = AddTrade(symbol, f.tr_price, f.tr_size, f.tr_time, {}, out, &r);
    return done(added);
  }
  if (f.has_bid || f.has_bids || f.has_asks) {
    if (product_id.empty()) {
      r.detail = "Exchange ticker/book body names no product (pass the requested product id)";
      return r;
    }
    if (f.has_bid) return done(AddQuote(product_id, f.bid, f.ask, f.time, {}, out, &r));
    return done(AddQuote(product_id, f.book_bid, f.book_ask, f.time, f.sequence, out, &r));
  }
  if (!f.message.empty() || !f.error.empty()) {
    r.kind = FrameKind::kError;
    r.detail = !f.message.empty() ? f.message : f.error;
    return r;
  }
  if (f.has_stats) {  // /products/{id}/stats, /time: valid bodies without a bid/ask
    r.kind = FrameKind::kIgnored;
    return r;
  }
  r.detail = "not a Coinbase ticker or book body";
  return r;
}

}  // namespace

struct CoinbaseParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  char detail[256];

  // "message: reason" into the parser's own buffer (truncated to fit).
  std::string_view ErrorDetail(std::string_view message, std::string_view reason) noexcept {
    if (message.empty() && reason.empty()) return "error without message";
    size_t n = 0;
    auto append = [&](std::string_view s) {
      const size_t k = std::min(s.size(), sizeof(detail) - n);
      if (k == 0) return;  // an empty view may have a null data()
      std::memcpy(detail + n, s.data(), k);
      n += k;
    };
    append(message);
    if (!message.empty() && !reason.empty()) append(": ");
    append(reason);
    return std::string_view(detail, n);
  }

  ParseResult ParseRest(std::string_view body, std::string_view product_id,
                        TickBuffer* out) noexcept;
  // An Exchange frame (one without "channel") whose members are in `f`.
  ParseResult ExchangeFrameResult(const FeedFields& f, TickBuffer* out) noexcept;
};

CoinbaseParser::CoinbaseParser() : impl_(std::make_unique<Impl>()) {}
CoinbaseParser::~CoinbaseParser() = default;

ParseResult CoinbaseParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  ParseResult r;
  Impl& m = *impl_;
  od::document doc;
  if (m.parser.iterate(m.frame.Load(frame)).get(doc) != simdjson::SUCCESS) {
    r.detail = "not JSON";
    return r;
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) {
    r.detail = "not a JSON object";
    return r;
  }
  FeedFields f;
  const size_t first_tick = out->size();
  const bool ok = ForEachField(
      top, [&](std::string_view key, od::value v) { return ReadFeedField(key, v, &f, out, &r); });
  if (!ok) {
    Rollback(out, first_tick);
    if (r.detail.empty()) r.detail = "malformed JSON";
    return r;
  }

  if (f.type == "subscribe" || f.type == "unsubscribe") {  // client requests echoed in captures
    Rollback(out, first_tick);
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  if (f.has_channel) return AdvancedFrameResult(doc, f, first_tick, out);
  return m.ExchangeFrameResult(f, out);
}

ParseResult CoinbaseParser::Impl::ExchangeFrameResult(const FeedFields& f,
                                                      TickBuffer* out) noexcept {
  ParseResult r;
  if (!f.has_type) {
    r.detail = "object has neither \"type\" nor \"channel\"";
    return r;
  }
  if (f.type == "match" || f.type == "last_match") {
    if (AddTrade(f.product, f.price, f.size, f.time, f.sequence, out, &r)) {
      r.kind = FrameKind::kData;
    }
    return r;
  }
  if (f.type == "ticker") {
    if (f.product.empty()) {
      r.detail = "ticker without product_id";
    } else if (AddQuote(f.product, f.best_bid, f.best_ask, f.time, f.sequence, out, &r)) {
      r.kind = FrameKind::kData;
    }
    return r;
  }
  if (f.type == "heartbeat") {
    r.kind = FrameKind::kHeartbeat;
  } else if (f.type == "subscriptions") {
    r.kind = FrameKind::kAck;
  } else if (f.type == "error") {
    r.kind = FrameKind::kError;
    r.detail = ErrorDetail(f.message, f.reason);
  } else if (f.type.empty()) {
    r.detail = "\"type\" is not a string";
  } else {
    // l2update, snapshot, status, received, open, done, change, ...: the venue says clients
    // are to ignore message types they do not use.
    r.kind = FrameKind::kIgnored;
  }
  return r;
}

ParseResult CoinbaseParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  return impl_->ParseRest(body, {}, out);
}

ParseResult CoinbaseParser::ParseRestTicker(std::string_view body, std::string_view product_id,
                                            TickBuffer* out) noexcept {
  return impl_->ParseRest(body, product_id, out);
}

ParseResult CoinbaseParser::Impl::ParseRest(std::string_view body, std::string_view product_id,
                                            TickBuffer* out) noexcept {
  ParseResult r;
  od::document doc;
  if (parser.iterate(frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    r.detail = "not JSON";
    return r;
  }
  od::json_type type;
  if (doc.type().get(type) != simdjson::SUCCESS) {
    r.detail = "not JSON";
    return r;
  }
  const size_t first_tick = out->size();
  if (type == od::json_type::array) {  // Exchange /products/{id}/trades
    od::array trades;
    if (product_id.empty()) {
      r.detail = "trades body names no product (pass the requested product id)";
      return r;
    }
    if (doc.get_array().get(trades) != simdjson::SUCCESS ||
        !ForEachElement(
            trades, [&](od::value item) { return ReadExchangeTrade(item, product_id, out, &r); })) {
      Rollback(out, first_tick);
      if (r.detail.empty()) r.detail = "malformed JSON";
      return r;
    }
    r.kind = FrameKind::kData;
    return r;
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) {
    r.detail = "not a JSON object or array";
    return r;
  }
  RestFields f;
  const bool ok = ForEachField(
      top, [&](std::string_view key, od::value v) { return ReadRestField(key, v, &f, &r); });
  if (!ok) {
    if (r.detail.empty()) r.detail = "malformed JSON";
    return r;
  }
  return RestBodyResult(f, product_id, first_tick, out);
}

}  // namespace oracle::feeds
