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

}  // namespace

struct TickLogParser::Impl {
  simdjson::ondemand::parser parser;
  std::string buffer;                                // line copy with simdjson's padding
  absl::flat_hash_map<std::string, uint32_t> feeds;  // venue '\x1f' pair -> feed id
  absl::flat_hash_map<std::string, uint32_t> rates;  // pair -> rate pair id
  absl::flat_hash_map<std::string, std::pair<uint32_t, std::string>> providers;  // name -> id, pair
  absl::flat_hash_map<std::string, int> venues;                                  // venue -> id
  std::string key;
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

  auto fail = [&](std::string msg) {
    *error = std::move(msg);
    return LineOutcome::kError;
  };

  auto invalid = [&](simdjson::error_code code) {
    return fail(absl::StrCat("not valid JSON (", simdjson::error_message(code), ")"));
  };
  simdjson::ondemand::document doc;
  if (auto code = im.parser.iterate(psv).get(doc); code != simdjson::SUCCESS) return invalid(code);
  simdjson::ondemand::object obj;
  if (auto code = doc.get_object().get(obj); code != simdjson::SUCCESS) {
    if (code == simdjson::INCORRECT_TYPE) return fail("not a JSON object");
    return invalid(code);
  }

  std::string_view time_s, recv_s, venue_s, pair_s, type_s, price_s, size_s, bid_s, ask_s, rate_s,
      source_s;
  bool has_time = false, has_recv = false, has_venue = false, has_pair = false, has_type = false,
       has_price = false, has_size = false, has_bid = false, has_ask = false, has_rate = false,
       has_source = false;

  // Reads a field's value as text: a string's contents, or a number's literal text.
  auto text_of = [&](simdjson::ondemand::value v, std::string_view name, std::string_view* out,
                     bool numbers_ok) -> bool {
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
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' ||
                              raw.back() == '\n')) {
        raw.remove_suffix(1);
      }
      *out = raw;
      return true;
    }
    *error = absl::StrCat("field \"", AV(name), "\": expected ",
                          numbers_ok ? "a decimal string" : "a string");
    return false;
  };

  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    if (auto code = std::move(field_result).get(field); code != simdjson::SUCCESS) {
      return invalid(code);
    }
    std::string_view key;
    if (auto code = field.unescaped_key().get(key); code != simdjson::SUCCESS) return invalid(code);
    simdjson::ondemand::value v = field.value();
    std::string_view* out = nullptr;
    bool* has = nullptr;
    bool numeric = false;
    if (key == "time") {
      out = &time_s, has = &has_time;
    } else if (key == "recv_time") {
      out = &recv_s, has = &has_recv;
    } else if (key == "venue") {
      out = &venue_s, has = &has_venue;
    } else if (key == "pair") {
      out = &pair_s, has = &has_pair;
    } else if (key == "type") {
      out = &type_s, has = &has_type;
    } else if (key == "source") {
      out = &source_s, has = &has_source;
    } else if (key == "price") {
      out = &price_s, has = &has_price, numeric = true;
    } else if (key == "size") {
      out = &size_s, has = &has_size, numeric = true;
    } else if (key == "bid") {
      out = &bid_s, has = &has_bid, numeric = true;
    } else if (key == "ask") {
      out = &ask_s, has = &has_ask, numeric = true;
    } else if (key == "rate") {
      out = &rate_s, has = &has_rate, numeric = true;
    } else {
      continue;  // unknown fields are ignored
    }
    if (*has) return fail(absl::StrCat("field \"", AV(key), "\" appears twice"));
    *has = true;
    const bool ok = text_of(v, key, out, numeric);
    if (!ok) return LineOutcome::kError;
  }
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    return fail("trailing characters after the JSON object");
  }

  auto missing = [&](const char* name) {
    return fail(absl::StrCat("missing field \"", name, "\""));
  };
  if (!has_type) return missing("type");
  if (!has_time) return missing("time");
  TimeNs t, recv;
  if (!ParseRfc3339(time_s, &t)) {
    return fail(absl::StrCat("field \"time\": ", Show(time_s),
                             " is not an RFC 3339 time (e.g. 2025-10-10T21:36:00.250Z)"));
  }
  recv = t;
  if (has_recv && !ParseRfc3339(recv_s, &recv)) {
    return fail(absl::StrCat("field \"recv_time\": ", Show(recv_s), " is not an RFC 3339 time"));
  }
  auto decimal = [&](std::string_view name, std::string_view text, Decimal* out) -> bool {
    DecimalParseError e = ParseDecimal(text, out);
    if (e != DecimalParseError::kOk) {
      *error = absl::StrCat("field \"", AV(name), "\": ", Show(text), " is not a decimal number");
      if (e == DecimalParseError::kTooManyDigits || e == DecimalParseError::kExponentRange) {
        absl::StrAppend(error, " (", AV(DecimalParseErrorName(e)), ")");
      }
      return false;
    }
    return true;
  };

  if (type_s == "rate") {
    if (!has_pair) return missing("pair");
    if (!has_rate) return missing("rate");
    if (!has_source) return missing("source");
    Decimal ratio;
    if (!decimal("rate", rate_s, &ratio)) return LineOutcome::kError;
    if (ratio.mantissa <= 0) {
      return fail(absl::StrCat("field \"rate\": ", Show(rate_s), " must be positive"));
    }
    auto it = im.rates.find(AV(pair_s));
    if (it == im.rates.end()) return LineOutcome::kUnrouted;
    auto provider = im.providers.find(AV(source_s));
    if (provider == im.providers.end()) {
      return fail(absl::StrCat("field \"source\": ", Show(source_s),
                               " is not a configured rate provider (rate_providers)"));
    }
    if (provider->second.second != AV(pair_s)) {
      return fail(absl::StrCat("field \"source\": rate provider ", Show(source_s), " provides ",
                               provider->second.second, ", not ", Show(pair_s)));
    }
    *event = Event::Rate(it->second, t, recv, ratio, provider->second.first);
    return LineOutcome::kEvent;
  }
  if (type_s != "trade" && type_s != "quote") {
    return fail(
        absl::StrCat("field \"type\": ", Show(type_s), " is not one of trade, quote, rate"));
  }
  if (!has_venue) return missing("venue");
  if (!has_pair) return missing("pair");
  auto vit = im.venues.find(AV(venue_s));
  if (vit != im.venues.end()) *venue_id = vit->second;

  if (type_s == "trade") {
    if (!has_price) return missing("price");
    if (!has_size) return missing("size");
    Decimal price, size;
    if (!decimal("price", price_s, &price) || !decimal("size", size_s, &size)) {
      return LineOutcome::kError;
    }
    im.key.assign(venue_s);
    im.key.push_back('\x1f');
    im.key.append(pair_s);
    auto it = im.feeds.find(im.key);
    if (it == im.feeds.end()) return LineOutcome::kUnrouted;
    *event = Event::Trade(it->second, t, recv, price, size);
    return LineOutcome::kEvent;
  }
  if (!has_bid) return missing("bid");
  if (!has_ask) return missing("ask");
  Decimal bid, ask;
  if (!decimal("bid", bid_s, &bid) || !decimal("ask", ask_s, &ask)) return LineOutcome::kError;
  im.key.assign(venue_s);
  im.key.push_back('\x1f');
  im.key.append(pair_s);
  auto it = im.feeds.find(im.key);
  if (it == im.feeds.end()) return LineOutcome::kUnrouted;
  *event = Event::Quote(it->second, t, recv, bid, ask);
  return LineOutcome::kEvent;
}

}  // namespace oracle
