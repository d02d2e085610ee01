#include "oracle/replay/tick_log.h"

#include <simdjson.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace oracle {
namespace {

std::string Show(std::string_view v) {
  constexpr size_t kMax = 64;
  std::string s(v.substr(0, kMax));
  if (v.size() > kMax) s += "...";
  return absl::StrCat("\"", s, "\"");
}

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// *error = msg; kError.
LineOutcome ErrorOutcome(std::string* error, std::string msg) {
  *error = std::move(msg);
  return LineOutcome::kError;
}

LineOutcome MissingField(std::string* error, const char* name) {
  return ErrorOutcome(error, absl::StrCat("missing field \"", name, "\""));
}

std::string InvalidJson(simdjson::error_code code) {
  return absl::StrCat("not valid JSON (", simdjson::error_message(code), ")");
}

// The fields of a line that the parser reads, as text.
struct LineFields {
  std::string_view time_s, recv_s, venue_s, pair_s, type_s, price_s, size_s, bid_s, ask_s, rate_s,
      source_s;
  bool has_time = false, has_recv = false, has_venue = false, has_pair = false, has_type = false,
       has_price = false, has_size = false, has_bid = false, has_ask = false, has_rate = false,
       has_source = false;
};

// Where a known field's text goes, whether it was seen, and whether a JSON number is accepted.
struct FieldSlot {
  std::string_view* out = nullptr;
  bool* has = nullptr;
  bool numeric = false;
};

// The slot of field `key` in `f`; false for unknown fields.
bool SlotOf(std::string_view key, LineFields* f, FieldSlot* s) {
  if (key == "time") {
    *s = {&f->time_s, &f->has_time, false};
  } else if (key == "recv_time") {
    *s = {&f->recv_s, &f->has_recv, false};
  } else if (key == "venue") {
    *s = {&f->venue_s, &f->has_venue, false};
  } else if (key == "pair") {
    *s = {&f->pair_s, &f->has_pair, false};
  } else if (key == "type") {
    *s = {&f->type_s, &f->has_type, false};
  } else if (key == "source") {
    *s = {&f->source_s, &f->has_source, false};
  } else if (key == "price") {
    *s = {&f->price_s, &f->has_price, true};
  } else if (key == "size") {
    *s = {&f->size_s, &f->has_size, true};
  } else if (key == "bid") {
    *s = {&f->bid_s, &f->has_bid, true};
  } else if (key == "ask") {
    *s = {&f->ask_s, &f->has_ask, true};
  } else if (key == "rate") {
    *s = {&f->rate_s, &f->has_rate, true};
  } else {
    return false;
  }
  return true;
}

// Reads a field's value as text: a string's contents, or a number's literal text.
bool TextOf(simdjson::ondemand::value v, std::string_view name, std::string_view* out,
            bool numbers_ok, std::string* error) {
  simdjson::ondemand::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) {
    *error = absl::StrCat("field \"", AV(name), "\": unreadable value");
    return false;
  }
  if (t == simdjson::ondemand::json_type::string) {
    if (v.get_string().get(*out) != simdjson::SUCCESS) {
      *error = absl::StrCat("field \"", AV(name), "\": invalid string");
      return false;
    }
    return true;
  }
  if (numbers_ok && t == simdjson::ondemand::json_type::number) {
    std::string_view raw = v.raw_json_token();
    while (!raw.empty() &&
           (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n')) {
      raw.remove_suffix(1);
    }
    *out = raw;
    return true;
  }
  *error = absl::StrCat("field \"", AV(name), "\": expected ",
                        numbers_ok ? "a decimal string" : "a string");
  return false;
}

// The line object's fields into `f`, in one pass; unknown fields are ignored. False (with *error)
// on invalid JSON, a repeated field or a value of the wrong type.
bool ReadLineFields(simdjson::ondemand::object obj, LineFields* f, std::string* error) {
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    if (auto code = std::move(field_result).get(field); code != simdjson::SUCCESS) {
      *error = InvalidJson(code);
      return false;
    }
    std::string_view key;
    if (auto code = field.unescaped_key().get(key); code != simdjson::SUCCESS) {
      *error = InvalidJson(code);
      return false;
    }
    simdjson::ondemand::value v = field.value();
    FieldSlot slot;
    if (!SlotOf(key, f, &slot)) continue;  // unknown fields are ignored
    if (*slot.has) {
      *error = absl::StrCat("field \"", AV(key), "\" appears twice");
      return false;
    }
    *slot.has = true;
    if (!TextOf(v, key, slot.out, slot.numeric, error)) return false;
  }
  return true;
}

// "time" into *t, and "recv_time" (default: time) into *recv. False with *error when either is
// not an RFC 3339 time.
bool ReadTimes(const LineFields& f, TimeNs* t, TimeNs* recv, std::string* error) {
  if (!ParseRfc3339(f.time_s, t)) {
    *error = absl::StrCat("field \"time\": ", Show(f.time_s),
                          " is not an RFC 3339 time (e.g. 2025-10-10T21:36:00.250Z)");
    return false;
  }
  *recv = *t;
  if (f.has_recv && !ParseRfc3339(f.recv_s, recv)) {
    *error = absl::StrCat("field \"recv_time\": ", Show(f.recv_s), " is not an RFC 3339 time");
    return false;
  }
  return true;
}

// A decimal field's text into *out; false with *error naming the field and the value.
bool DecimalOf(std::string_view name, std::string_view text, Decimal* out, std::string* error) {
  DecimalParseError e = ParseDecimal(text, out);
  if (e != DecimalParseError::kOk) {
    *error = absl::StrCat("field \"", AV(name), "\": ", Show(text), " is not a decimal number");
    if (e == DecimalParseError::kTooManyDigits || e == DecimalParseError::kExponentRange) {
      absl::StrAppend(error, " (", AV(DecimalParseErrorName(e)), ")");
    }
    return false;
  }
  return true;
}

}  // namespace

struct TickLogParser::Impl {
  simdjson::ondemand::parser parser;
  std::string buffer;                                // line copy with simdjson's padding
  absl::flat_hash_map<std::string, uint32_t> feeds;  // venue '\x1f' pair -> feed id
  absl::flat_hash_map<std::string, uint32_t> rates;  // pair -> rate pair id
  absl::flat_hash_map<std::string, std::pair<uint32_t, std::string>> providers;  // name -> id, pair
  absl::flat_hash_map<std::string, int> venues;                                  // venue -> id
  std::string key;

  // The feed id of a venue and pair; false when the configuration has no such feed.
  bool FindFeed(std::string_view venue, std::string_view pair, uint32_t* feed);
  // The event of a "rate", "trade" or "quote" line whose fields are in `f`.
  LineOutcome RateEvent(const LineFields& f, TimeNs t, TimeNs recv, Event* event,
                        std::string* error);
  LineOutcome TradeEvent(const LineFields& f, TimeNs t, TimeNs recv, Event* event,
                         std::string* error);
  LineOutcome QuoteEvent(const LineFields& f, TimeNs t, TimeNs recv, Event* event,
                         std::string* error);
};

TickLogParser::TickLogParser(const Config& config) : impl_(std::make_unique<Impl>()) {
  for (uint32_t f = 0; f < config.feeds.size(); ++f) {
    const FeedSpec& feed = config.feeds[f];
    impl_->feeds[absl::StrCat(config.venues[feed.venue_id].name, "\x1f", feed.pair)] = f;
  }
  for (uint32_t r = 0; r < config.rate_pairs.size(); ++r) impl_->rates[config.rate_pairs[r]] = r;
  for (const RateProviderSpec& p : config.rate_providers) {
    impl_->providers[p.name] = {p.source_id, p.pair};
  }
  for (uint32_t v = 0; v < config.venues.size(); ++v) {
    impl_->venues[config.venues[v].name] = static_cast<int>(v);
  }
}

TickLogParser::~TickLogParser() = default;

LineOutcome TickLogParser::Parse(std::string_view line, Event* event, std::string* error,
                                 int* venue_id) {
  *venue_id = -1;
  size_t first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return LineOutcome::kBlank;

  Impl& im = *impl_;
  if (im.buffer.size() < line.size() + simdjson::SIMDJSON_PADDING) {
    im.buffer.resize(line.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(im.buffer.data(), line.data(), line.size());
  simdjson::padded_string_view psv(im.buffer.data(), line.size(), im.buffer.size());

  simdjson::ondemand::document doc;
  if (auto code = im.parser.iterate(psv).get(doc); code != simdjson::SUCCESS) {
    return ErrorOutcome(error, InvalidJson(code));
  }
  simdjson::ondemand::object obj;
  if (auto code = doc.get_object().get(obj); code != simdjson::SUCCESS) {
    if (code == simdjson::INCORRECT_TYPE) return ErrorOutcome(error, "not a JSON object");
    return ErrorOutcome(error, InvalidJson(code));
  }
  LineFields f;
  if (!ReadLineFields(obj, &f, error)) return LineOutcome::kError;
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    return ErrorOutcome(error, "trailing characters after the JSON object");
  }

  if (!f.has_type) return MissingField(error, "type");
  if (!f.has_time) return MissingField(error, "time");
  TimeNs t, recv;
  if (!ReadTimes(f, &t, &recv, error)) return LineOutcome::kError;
  if (f.type_s == "rate") return im.RateEvent(f, t, recv, event, error);
  if (f.type_s != "trade" && f.type_s != "quote") {
    return ErrorOutcome(error, absl::StrCat("field \"type\": ", Show(f.type_s),
                                            " is not one of trade, quote, rate"));
  }
  if (!f.has_venue) return MissingField(error, "venue");
  if (!f.has_pair) return MissingField(error, "pair");
  auto vit = im.venues.find(AV(f.venue_s));
  if (vit != im.venues.end()) *venue_id = vit->second;
  if (f.type_s == "trade") return im.TradeEvent(f, t, recv, event, error);
  return im.QuoteEvent(f, t, recv, event, error);
}

bool TickLogParser::Impl::FindFeed(std::string_view venue, std::string_view pair, uint32_t* feed) {
  key.assign(venue);
  key.push_back('\x1f');
  key.append(pair);
  auto it = feeds.find(key);
  if (it == feeds.end()) return false;
  *feed = it->second;
  return true;
}

LineOutcome TickLogParser::Impl::RateEvent(const LineFields& f, TimeNs t, TimeNs recv, Event* event,
                                           std::string* error) {
  if (!f.has_pair) return MissingField(error, "pair");
  if (!f.has_rate) return MissingField(error, "rate");
  if (!f.has_source) return MissingField(error, "source");
  Decimal ratio;
  if (!DecimalOf("rate", f.rate_s, &ratio, error)) return LineOutcome::kError;
  if (ratio.mantissa <= 0) {
    return ErrorOutcome(error,
                        absl::StrCat("field \"rate\": ", Show(f.rate_s), " must be positive"));
  }
  auto it = rates.find(AV(f.pair_s));
  if (it == rates.end()) return LineOutcome::kUnrouted;
  auto provider = providers.find(AV(f.source_s));
  if (provider == providers.end()) {
    return ErrorOutcome(error, absl::StrCat("field \"source\": ", Show(f.source_s),
                                            " is not a configured rate provider (rate_providers)"));
  }
  if (provider->second.second != AV(f.pair_s)) {
    return ErrorOutcome(
        error, absl::StrCat("field \"source\": rate provider ", Show(f.source_s), " provides ",
                            provider->second.second, ", not ", Show(f.pair_s)));
  }
  *event = Event::Rate(it->second, t, recv, ratio, provider->second.first);
  return LineOutcome::kEvent;
}

LineOutcome TickLogParser::Impl::TradeEvent(const LineFields& f, TimeNs t, TimeNs recv,
                                            Event* event, std::string* error) {
  if (!f.has_price) return MissingField(error, "price");
  if (!f.has_size) return MissingField(error, "size");
  Decimal price, size;
  if (!DecimalOf("price", f.price_s, &price, error) || !DecimalOf("size", f.size_s, &size, error)) {
    return LineOutcome::kError;
  }
  uint32_t feed = 0;
  if (!FindFeed(f.venue_s, f.pair_s, &feed)) return LineOutcome::kUnrouted;
  *event = Event::Trade(feed, t, recv, price, size);
  return LineOutcome::kEvent;
}

LineOutcome TickLogParser::Impl::QuoteEvent(const LineFields& f, TimeNs t, TimeNs recv,
                                            Event* event, std::string* error) {
  if (!f.has_bid) return MissingField(error, "bid");
  if (!f.has_ask) return MissingField(error, "ask");
  Decimal bid, ask;
  if (!DecimalOf("bid", f.bid_s, &bid, error) || !DecimalOf("ask", f.ask_s, &ask, error)) {
    return LineOutcome::kError;
  }
  uint32_t feed = 0;
  if (!FindFeed(f.venue_s, f.pair_s, &feed)) return LineOutcome::kUnrouted;
  *event = Event::Quote(feed, t, recv, bid, ask);
  return LineOutcome::kEvent;
}

}  // namespace oracle
