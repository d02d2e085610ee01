#include "feeds/kucoin/kucoin_parse.h"

#include <limits>

#include "feeds/common/json_util.h"

namespace oracle::feeds {
namespace {

// An integer epoch time in s, ms, us or ns, told apart by magnitude (KuCoin uses ms on the spot
// ticker, ns on matches and futures; nothing here predates 1973 or postdates 2262). Up to 19
// digits: ns times do not fit a Decimal's 18 significant digits, so this reads them as integers.
bool KucoinTimeNs(std::string_view text, TimeNs* out) noexcept {
  uint64_t v;
  if (!UintFromText(text, &v)) return false;
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  const uint64_t scale = v >= 100'000'000'000'000'000ULL ? 1
                         : v >= 100'000'000'000'000ULL   ? 1'000
                         : v >= 100'000'000'000ULL       ? 1'000'000
                                                         : 1'000'000'000;
  if (v > kMax / scale) return false;  // past 2262
  const uint64_t ns = v * scale;
  *out = static_cast<TimeNs>(ns);
  return true;
}

// The fields of a message's "data" object that the oracle reads, as text.
struct Data {
  std::string_view symbol, price, size, time, ts, sequence;
  std::string_view best_bid, best_ask, best_bid_price, best_ask_price;
};

bool ReadData(od::object obj, Data* d) noexcept {
  return ForEachField(obj, [d](std::string_view key, od::value v) {
    if (key == "symbol") return OptionalText(v, &d->symbol);
    if (key == "price") return OptionalText(v, &d->price);
    if (key == "size") return OptionalText(v, &d->size);
    if (key == "time") return OptionalText(v, &d->time);
    if (key == "ts") return OptionalText(v, &d->ts);
    if (key == "sequence") return OptionalText(v, &d->sequence);
    if (key == "bestBid") return OptionalText(v, &d->best_bid);
    if (key == "bestAsk") return OptionalText(v, &d->best_ask);
    if (key == "bestBidPrice") return OptionalText(v, &d->best_bid_price);
    if (key == "bestAskPrice") return OptionalText(v, &d->best_ask_price);
    return true;
  });
}

// time (or ts) and sequence into `t`; absent fields leave 0.
bool TimeAndSequence(const Data& d, Tick* t) noexcept {
  const std::string_view time = !d.time.empty() ? d.time : d.ts;
  if (!time.empty() && !KucoinTimeNs(time, &t->event_time)) return false;
  if (!d.sequence.empty() && !UintFromText(d.sequence, &t->sequence)) return false;
  return true;
}

ParseResult TradeToTick(std::string_view symbol, const Data& d, TickBuffer* out) noexcept {
  Tick t;
  t.type = TickType::kTrade;
  t.symbol = symbol;
  if (symbol.empty()) return Unparseable("match without symbol");
  if (!DecimalFromText(d.price, &t.price)) return Unparseable("match price is not a decimal");
  if (!DecimalFromText(d.size, &t.size)) return Unparseable("match size is not a decimal");
  if (t.size.mantissa < 0) t.size.mantissa = -t.size.mantissa;
  if (!TimeAndSequence(d, &t)) return Unparseable("match time/sequence is not an integer");
  *out->Add() = t;
  ParseResult r;
  r.kind = FrameKind::kData;
  return r;
}

ParseResult QuoteToTick(std::string_view symbol, std::string_view bid, std::string_view ask,
                        const Data& d, TickBuffer* out) noexcept {
  ParseResult r;
  r.kind = FrameKind::kData;
  if (symbol.empty()) return Unparseable("ticker without symbol");
  if (bid.empty() || ask.empty()) return r;  // an empty book side: no quote
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = symbol;
  if (!DecimalFromText(bid, &t.bid) || !DecimalFromText(ask, &t.ask)) {
    return Unparseable("ticker best bid/ask is not a decimal");
  }
  if (!TimeAndSequence(d, &t)) return Unparseable("ticker time/sequence is not an integer");
  *out->Add() = t;
  return r;
}

// A "type":"message" frame, by topic.
ParseResult MessageToTicks(std::string_view topic, std::string_view subject, const Data& d,
                           TickBuffer* out) noexcept {
  const size_t colon = topic.find(':');
  const std::string_view prefix =
      colon == std::string_view::npos ? topic : topic.substr(0, colon + 1);
  const std::string_view suffix =
      colon == std::string_view::npos ? std::string_view() : topic.substr(colon + 1);
  if (prefix == "/market/match:" || prefix == "/contractMarket/execution:") {
    return TradeToTick(!d.symbol.empty() ? d.symbol : suffix, d, out);
  }
  if (prefix == "/market/ticker:") {
    // /market/ticker:all names the symbol in "subject".
    const std::string_view symbol = suffix == "all" ? subject : suffix;
    return QuoteToTick(symbol, d.best_bid, d.best_ask, d, out);
  }
  if (prefix == "/contractMarket/tickerV2:" || prefix == "/contractMarket/ticker:") {
    return QuoteToTick(!d.symbol.empty() ? d.symbol : suffix, d.best_bid_price, d.best_ask_price, d,
                       out);
  }
  if (topic.empty()) return Unparseable("message without topic");
  ParseResult r;  // level2, candles, snapshot, ...
  r.kind = FrameKind::kIgnored;
  return r;
}

// The members of a REST ticker body, read in one pass.
struct RestFields {
  std::string_view code, msg, data_time, buy, sell;
  Data d;
  bool has_data = false, has_list = false, entry_bad = false;
};

// One allTickers entry {symbol, buy, sell, ..} -> a quote tick (none without both sides). False
// on malformed JSON, and with *entry_bad set on an entry without symbol or with a bad buy/sell.
bool AllTickersEntryToTick(od::object obj, TickBuffer* out, bool* entry_bad) noexcept {
  std::string_view symbol, buy, sell;
  if (!ForEachField(obj, [&](std::string_view key, od::value v) {
        if (key == "symbol") return OptionalText(v, &symbol);
        if (key == "buy") return OptionalText(v, &buy);
        if (key == "sell") return OptionalText(v, &sell);
        return true;
      })) {
    return false;
  }
  if (symbol.empty()) {
    *entry_bad = true;
    return false;
  }
  if (buy.empty() || sell.empty()) return true;  // a symbol without a book side
  Tick t;
  t.type = TickType::kQuote;
  t.symbol = symbol;
  if (!DecimalFromText(buy, &t.bid) || !DecimalFromText(sell, &t.ask)) {
    *entry_bad = true;
    return false;
  }
  *out->Add() = t;
  return true;
}

// allTickers "ticker": [{symbol, buy, sell, ..}, ..] -> quote ticks.
bool ReadAllTickers(od::value v, TickBuffer* out, bool* entry_bad) noexcept {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
  for (auto item : arr) {
    od::object entry;
    if (item.get_object().get(entry) != simdjson::SUCCESS ||
        !AllTickersEntryToTick(entry, out, entry_bad)) {
      return false;
    }
  }
  return true;
}

// A REST "data" object into `f` (allTickers entries into `out`); null (on errors) is skipped.
bool ReadRestData(od::value v, RestFields* f, TickBuffer* out) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t != od::json_type::object) return true;  // null on errors
  f->has_data = true;
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return false;
  Data& d = f->d;
  return ForEachField(obj, [&](std::string_view k, od::value m) {
    if (k == "ticker") {  // allTickers
      f->has_list = true;
      return ReadAllTickers(m, out, &f->entry_bad);
    }
    if (k == "time") return OptionalText(m, &f->data_time);
    if (k == "symbol") return OptionalText(m, &d.symbol);
    if (k == "ts") return OptionalText(m, &d.ts);
    if (k == "sequence") return OptionalText(m, &d.sequence);
    if (k == "bestBid") return OptionalText(m, &d.best_bid);
    if (k == "bestAsk") return OptionalText(m, &d.best_ask);
    if (k == "bestBidPrice") return OptionalText(m, &d.best_bid_price);
    if (k == "bestAskPrice") return OptionalText(m, &d.best_ask_price);
    if (k == "buy") return OptionalText(m, &f->buy);
    if (k == "sell") return OptionalText(m, &f->sell);
    return true;
  });
}

// A single-symbol REST body (futures ticker, 24h stats or level 1) -> at most one quote tick;
// `rest_symbol` names the symbol of a level-1 body, which names none.
ParseResult SingleTickerResult(RestFields* f, std::string_view rest_symbol, size_t first_tick,
                               TickBuffer* out) noexcept {
  Data& d = f->d;
  d.time = f->data_time;
  if (!d.best_bid_price.empty() || !d.best_ask_price.empty()) {  // futures ticker
    return QuoteToTick(d.symbol, d.best_bid_price, d.best_ask_price, d, out);
  }
  if (d.best_bid.empty() && d.best_ask.empty() && !d.symbol.empty()) {  // 24h stats
    return QuoteToTick(d.symbol, f->buy, f->sell, d, out);
  }
  // level 1
  const std::string_view symbol = !d.symbol.empty() ? d.symbol : rest_symbol;
  if (symbol.empty()) {
    Rollback(out, first_tick);
    return Unparseable("level-1 body names no symbol and no REST symbol was set");
  }
  return QuoteToTick(symbol, d.best_bid, d.best_ask, d, out);
}

}  // namespace

struct KucoinParser::Impl {
  od::parser parser;
  PaddedFrame frame;
  std::string rest_symbol;
};

KucoinParser::KucoinParser() : impl_(std::make_unique<Impl>()) {}
KucoinParser::~KucoinParser() = default;

void KucoinParser::SetRestSymbol(std::string_view venue_symbol) {
  impl_->rest_symbol.assign(venue_symbol);
}

ParseResult KucoinParser::Parse(std::string_view frame, TickBuffer* out) noexcept {
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(frame)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");
  std::string_view type, topic, subject, code, data_text;
  bool has_type = false;
  Data d;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    if (key == "type") {
      has_type = true;
      return v.get_string().get(type) == simdjson::SUCCESS;
    }
    if (key == "topic") return OptionalText(v, &topic);
    if (key == "subject") return OptionalText(v, &subject);
    if (key == "code") return OptionalText(v, &code);
    if (key == "data") {
      od::json_type t;
      if (v.type().get(t) != simdjson::SUCCESS) return false;
      if (t == od::json_type::object) {
        od::object obj;
        return v.get_object().get(obj) == simdjson::SUCCESS && ReadData(obj, &d);
      }
      return OptionalText(v, &data_text);  // an error's description
    }
    return true;
  });
  if (!ok) return Unparseable("malformed JSON (or \"type\" is not a string)");
  ParseResult r;
  if (!has_type) {
    if (data_text == "welcome") {  // the unified-account welcome {"sessionId":..,"data":"welcome"}
      r.kind = FrameKind::kAck;
      r.detail = "welcome";
      return r;
    }
    return Unparseable("no \"type\": not a KuCoin frame");
  }
  if (type == "message") return MessageToTicks(topic, subject, d, out);
  if (type == "welcome" || type == "ack") {
    r.kind = FrameKind::kAck;
    r.detail = type;
    return r;
  }
  if (type == "pong") {
    r.kind = FrameKind::kHeartbeat;
    return r;
  }
  if (type == "error") {
    r.kind = FrameKind::kError;
    r.detail = !data_text.empty() ? data_text : !code.empty() ? code : type;
    return r;
  }
  if (type == "subscribe" || type == "unsubscribe" || type == "ping") {  // client requests
    r.kind = FrameKind::kIgnored;
    r.detail = "client request";
    return r;
  }
  if (type.empty()) return Unparseable("empty \"type\"");
  r.kind = FrameKind::kIgnored;  // notices of other kinds
  r.detail = type;
  return r;
}

ParseResult KucoinParser::ParseRestTicker(std::string_view body, TickBuffer* out) noexcept {
  od::document doc;
  if (impl_->parser.iterate(impl_->frame.Load(body)).get(doc) != simdjson::SUCCESS) {
    return Unparseable("not JSON");
  }
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return Unparseable("not a JSON object");
  const size_t first_tick = out->size();
  RestFields f;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    if (key == "code") return OptionalText(v, &f.code);
    if (key == "msg") return OptionalText(v, &f.msg);
    if (key != "data") return true;
    return ReadRestData(v, &f, out);
  });
  auto fail = [&](std::string_view why) {
    while (out->size() > first_tick) out->PopBack();
    return Unparseable(why);
  };
  if (f.entry_bad) return fail("allTickers entry without symbol or with a bad buy/sell");
  if (!ok) return fail("malformed JSON");
  ParseResult r;
  if (!f.code.empty() && f.code != "200000") {
    while (out->size() > first_tick) out->PopBack();
    r.kind = FrameKind::kError;
    r.detail = !f.msg.empty() ? f.msg : f.code;
    return r;
  }
  if (!f.has_data) return fail("no \"data\" object");
  if (f.has_list) {
    TimeNs time = 0;
    if (!f.data_time.empty() && !KucoinTimeNs(f.data_time, &time)) {
      return fail("time is not an integer");
    }
    for (size_t i = first_tick; i < out->size(); ++i) (*out)[i].event_time = time;
    r.kind = FrameKind::kData;
    return r;
  }
  return SingleTickerResult(&f, impl_->rest_symbol, first_tick, out);
}

bool ParseKucoinBullet(std::string_view body, KucoinBullet* out, std::string* why) {
  od::parser parser;
  PaddedFrame frame;
  od::document doc;
  *out = KucoinBullet{};
  auto fail = [why](const char* w) {
    *why = w;
    return false;
  };
  if (parser.iterate(frame.Load(body)).get(doc) != simdjson::SUCCESS) return fail("not JSON");
  od::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return fail("not a JSON object");
  std::string_view code, msg;
  bool found_server = false;
  const bool ok = ForEachField(top, [&](std::string_view key, od::value v) {
    if (key == "code") return OptionalText(v, &code);
    if (key == "msg") return OptionalText(v, &msg);
    if (key != "data") return true;
    od::object data;
    if (v.get_object().get(data) != simdjson::SUCCESS) return true;
    return ForEachField(data, [&](std::string_view k, od::value f) {
      if (k == "token") {
        std::string_view token;
        if (f.get_string().get(token) != simdjson::SUCCESS) return false;
        out->token.assign(token);
        return true;
      }
      if (k != "instanceServers") return true;
      od::array servers;
      if (f.get_array().get(servers) != simdjson::SUCCESS) return false;
      for (auto item : servers) {
        od::object server;
        if (item.get_object().get(server) != simdjson::SUCCESS) return false;
        std::string_view endpoint, protocol, interval, timeout;
        if (!ForEachField(server, [&](std::string_view sk, od::value sv) {
              if (sk == "endpoint") return OptionalText(sv, &endpoint);
              if (sk == "protocol") return OptionalText(sv, &protocol);
              if (sk == "pingInterval") return OptionalText(sv, &interval);
              if (sk == "pingTimeout") return OptionalText(sv, &timeout);
              return true;
            })) {
          return false;
        }
        if (found_server || endpoint.empty() || (!protocol.empty() && protocol != "websocket")) {
          continue;
        }
        found_server = true;
        out->endpoint.assign(endpoint);
        uint64_t ms;
        if (UintFromText(interval, &ms))
          out->ping_interval = static_cast<DurationNs>(ms) * kNanosPerMilli;
        if (UintFromText(timeout, &ms))
          out->ping_timeout = static_cast<DurationNs>(ms) * kNanosPerMilli;
      }
      return true;
    });
  });
  if (!ok) return fail("malformed bullet-public reply");
  if (code != "200000") {
    why->assign("bullet-public code ");
    why->append(code.empty() ? std::string_view("missing") : code);
    if (!msg.empty()) why->append(": ").append(msg);
    return false;
  }
  if (out->token.empty()) return fail("bullet-public reply without a token");
  if (!found_server) return fail("bullet-public reply without a websocket instance server");
  return true;
}

}  // namespace oracle::feeds
