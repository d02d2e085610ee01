#include "oracle/aggregation/engine.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "oracle/aggregation/weighted_median.h"
#include "oracle/core/decimal.h"

namespace oracle {
namespace {

constexpr TimeNs kNever = INT64_MIN / 4;

void Bump(std::atomic<uint64_t>& c) noexcept {
  c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

int64_t Abs(int64_t v) noexcept { return v < 0 ? -v : v; }

// |a - b| * 10000 >= bps * |b|  (b != 0), exactly.
bool MovedAtLeastBps(int64_t a, int64_t b, uint32_t bps) noexcept {
  int128 diff = static_cast<int128>(a) - b;
  if (diff < 0) diff = -diff;
  int128 base = b < 0 ? -static_cast<int128>(b) : b;
  return diff * 10000 >= base * bps;
}

bool MovedMoreThanBps(int64_t a, int64_t b, uint32_t bps) noexcept {
  int128 diff = static_cast<int128>(a) - b;
  if (diff < 0) diff = -diff;
  int128 base = b < 0 ? -static_cast<int128>(b) : b;
  return diff * 10000 > base * bps;
}

int32_t DeviationBps(int64_t p, int64_t ref) noexcept {
  if (ref == 0) return 0;
  int128 d = DivRoundHalfEven((static_cast<int128>(p) - ref) * 10000, ref);
  if (d > INT32_MAX) return INT32_MAX;
  if (d < INT32_MIN) return INT32_MIN;
  return static_cast<int32_t>(d);
}

int64_t FloorDivide(int64_t a, int64_t b) noexcept {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

std::string_view ApplyResultName(ApplyResult r) noexcept {
  switch (r) {
    case ApplyResult::kAccepted:
      return "accepted";
    case ApplyResult::kTimer:
      return "timer";
    case ApplyResult::kRateStored:
      return "rate stored";
    case ApplyResult::kRejectedUnknownFeed:
      return "unknown feed";
    case ApplyResult::kRejectedNonPositive:
      return "non-positive price";
    case ApplyResult::kRejectedCrossedBook:
      return "crossed book";
    case ApplyResult::kRejectedFutureTimestamp:
      return "timestamp too far in the future";
    case ApplyResult::kRejectedOutOfRange:
      return "price out of range for the instrument's exponent";
    case ApplyResult::kIgnoredOutOfOrder:
      return "older than the venue's newest input";
  }
  return "unknown";
}

Engine::Engine(const Config& config) : config_(config) {}

void Engine::MarkPath::Init(DurationNs lookback_ns, DurationNs bucket_ns) {
  lookback_ns_ = lookback_ns;
  bucket_ns_ = bucket_ns;
  size_t need = static_cast<size_t>(lookback_ns / bucket_ns) + 2;
  size_t size = 2;
  while (size < need) size <<= 1;
  mask_ = size - 1;
  price_.assign(size, 0);
  index_.assign(size, -1);
}

void Engine::MarkPath::Record(TimeNs t, int64_t confirmed_price) noexcept {
  const int64_t k = FloorDivide(t, bucket_ns_);
  if (!has_) {
    has_ = true;
    first_k_ = last_k_ = k;
    first_price_ = latest_ = confirmed_price;
    price_[static_cast<size_t>(k) & mask_] = confirmed_price;
    index_[static_cast<size_t>(k) & mask_] = k;
    return;
  }
  // Boundaries passed since the last record held the price then in force.
  int64_t from = last_k_ + 1;
  if (k - from + 1 > static_cast<int64_t>(mask_ + 1)) from = k - static_cast<int64_t>(mask_);
  for (int64_t b = from; b <= k; ++b) {
    price_[static_cast<size_t>(b) & mask_] = latest_;
    index_[static_cast<size_t>(b) & mask_] = b;
  }
  if (k > last_k_) last_k_ = k;
  latest_ = confirmed_price;
}

bool Engine::MarkPath::Reference(TimeNs t, int64_t* out) const noexcept {
  if (!has_) return false;
  const int64_t k = FloorDivide(t - lookback_ns_, bucket_ns_);
  if (k > last_k_) {
    *out = latest_;
  } else if (k >= first_k_ && index_[static_cast<size_t>(k) & mask_] == k) {
    *out = price_[static_cast<size_t>(k) & mask_];
  } else {
    *out = first_price_;  // the path is younger than the lookback
  }
  return true;
}
Engine::~Engine() = default;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(const Config& config, MarkTable* table,
                                                       EngineObserver* observer) {
  if (table != nullptr && table->size() < config.instruments.size()) {
    return absl::InvalidArgumentError(absl::StrCat("mark table holds ", table->size(),
                                                   " instruments, configuration has ",
                                                   config.instruments.size()));
  }
  std::unique_ptr<Engine> e(new Engine(config));
  e->table_ = table;
  e->observer_ = observer;
  e->venues_ = std::make_unique<VenueCounters[]>(config.venues.size());
  e->rates_.resize(config.rate_pairs.size());
  e->instruments_.resize(e->config_.instruments.size());
  for (uint32_t i = 0; i < e->config_.instruments.size(); ++i) {
    const InstrumentSpec& spec = e->config_.instruments[i];
    InstrumentState& st = e->instruments_[i];
    st.spec = &spec;
    st.index = i;
    st.sources.resize(spec.sources.size());
    for (size_t s = 0; s < spec.sources.size(); ++s) {
      SourceState& ss = st.sources[s];
      ss.venue_id = spec.sources[s].venue_id;
      ss.weight = spec.sources[s].weight;
      ss.convert_instrument = spec.sources[s].convert_instrument;
      ss.twap.Init(spec.methodology.twap_window_ns, spec.methodology.twap_bucket_ns);
    }
    st.path.Init(spec.methodology.jump_lookback_ns, spec.methodology.twap_bucket_ns);
    st.last.instrument = i;
    st.last.exponent = spec.price_exponent;
  }
  return e;
}

EngineTotals Engine::totals() const noexcept { return totals_; }

EngineTotals Engine::SharedTotals() const noexcept {
  uint64_t words[kTotalsWords];
  for (size_t i = 0; i < kTotalsWords; ++i)
    words[i] = shared_totals_[i].load(std::memory_order_relaxed);
  EngineTotals t;
  std::memcpy(&t, words, sizeof t);
  return t;
}

bool Engine::LatestRate(uint32_t rate_pair, Decimal* ratio, TimeNs* time) const noexcept {
  if (rate_pair >= rates_.size() || !rates_[rate_pair].has) return false;
  *ratio = rates_[rate_pair].ratio;
  *time = rates_[rate_pair].time;
  return true;
}

ApplyResult Engine::Apply(const Event& e) noexcept {
  ++totals_.events;
  if (e.recv_time > now_) now_ = e.recv_time;
  ApplyResult r;
  switch (e.type) {
    case EventType::kTimer:
      if (e.event_time > now_) now_ = e.event_time;
      ++totals_.timers;
      OnTimer(now_);
      r = ApplyResult::kTimer;
      break;
    case EventType::kRate:
      if (e.id >= rates_.size()) {
        ++totals_.rejected_unknown_feed;
        r = ApplyResult::kRejectedUnknownFeed;
      } else if (e.a <= 0) {
        ++totals_.rejected_non_positive;
        r = ApplyResult::kRejectedNonPositive;
      } else {
        rates_[e.id] = RateSlot{true, e.A(), e.event_time};
        ++totals_.rates;
        r = ApplyResult::kRateStored;
      }
      break;
    case EventType::kTrade:
    case EventType::kQuote:
      r = OnTick(e);
      break;
    default:
      ++totals_.rejected_unknown_feed;
      r = ApplyResult::kRejectedUnknownFeed;
      break;
  }
  if (observer_ != nullptr) observer_->OnEventApplied(e, r);
  return r;
}

ApplyResult Engine::OnTick(const Event& e) noexcept {
  if (e.id >= config_.feeds.size()) {
    ++totals_.rejected_unknown_feed;
    return ApplyResult::kRejectedUnknownFeed;
  }
  const FeedSpec& feed = config_.feeds[e.id];
  VenueCounters& vc = venues_[feed.venue_id];
  vc.last_message_time.store(e.recv_time, std::memory_order_relaxed);

  auto reject = [&](ApplyResult why, uint64_t* counter) {
    ++*counter;
    Bump(vc.rejected);
    return why;
  };

  const bool is_quote = e.type == EventType::kQuote;
  if (is_quote) {
    if (e.a <= 0 || e.b <= 0)
      return reject(ApplyResult::kRejectedNonPositive, &totals_.rejected_non_positive);
    if (CompareDecimal(e.A(), e.B()) > 0) {
      return reject(ApplyResult::kRejectedCrossedBook, &totals_.rejected_crossed);
    }
  } else {
    if (e.a <= 0 || e.c < 0) {
      return reject(ApplyResult::kRejectedNonPositive, &totals_.rejected_non_positive);
    }
  }

  // Validate against every route first so a tick is either applied everywhere or nowhere.
  struct Scaled {
    int64_t a, b;
  };
  Scaled scaled[kMaxRoutesPerFeed];
  const size_t routes = std::min(feed.routes.size(), std::size(scaled));
  for (size_t k = 0; k < routes; ++k) {
    const FeedRoute& route = feed.routes[k];
    const InstrumentState& ins = instruments_[route.instrument];
    const MethodologyParams& m = ins.spec->methodology;
    if (e.event_time > now_ + m.max_future_ns) {
      return reject(ApplyResult::kRejectedFutureTimestamp, &totals_.rejected_future);
    }
    const int32_t exp = ins.spec->price_exponent;
    if (!Rescale(e.A(), exp, &scaled[k].a) || (is_quote && !Rescale(e.B(), exp, &scaled[k].b))) {
      return reject(ApplyResult::kRejectedOutOfRange, &totals_.rejected_out_of_range);
    }
    if (scaled[k].a <= 0 || (is_quote && scaled[k].b <= 0)) {
      return reject(ApplyResult::kRejectedOutOfRange, &totals_.rejected_out_of_range);
    }
    const SourceState& s = ins.sources[route.source];
    if (is_quote ? (s.has_quote && e.event_time < s.quote_time)
                 : (s.has_trade && e.event_time < s.trade_time)) {
      ++totals_.ignored_out_of_order;
      Bump(vc.messages);
      return ApplyResult::kIgnoredOutOfOrder;
    }
  }

  for (size_t k = 0; k < routes; ++k) {
    const FeedRoute& route = feed.routes[k];
    InstrumentState& ins = instruments_[route.instrument];
    const MethodologyParams& m = ins.spec->methodology;
    SourceState& s = ins.sources[route.source];
    if (is_quote) {
      s.has_quote = true;
      s.bid = scaled[k].a;
      s.ask = scaled[k].b;
      s.quote_time = e.event_time;
      // Spread sane: (ask - bid) * 10000 <= max_spread_bps * mid, with mid = (ask + bid) / 2.
      int128 spread = static_cast<int128>(s.ask) - s.bid;
      int128 sum = static_cast<int128>(s.ask) + s.bid;
      s.quote_sane = spread * 20000 <= sum * m.max_spread_bps;
    } else {
      s.has_trade = true;
      s.trade_price = scaled[k].a;
      s.trade_time = e.event_time;
    }
    s.ever = true;
    if (e.event_time > s.newest_input_time) s.newest_input_time = e.event_time;
    UpdateSchedule(s, m, now_);
    MaybePublishEarly(ins, s);
  }
  ++totals_.ticks_accepted;
  Bump(vc.messages);
  return ApplyResult::kAccepted;
}

void Engine::UpdateSchedule(SourceState& s, const MethodologyParams& m, TimeNs now) noexcept {
  TimeNs quote_until = (s.has_quote && s.quote_sane) ? s.quote_time + m.quote_max_age_ns : kNever;
  TimeNs trade_until = s.has_trade ? s.trade_time + m.trade_max_age_ns : kNever;
  int64_t mid = 0;
  if (s.has_quote) {
    mid = static_cast<int64_t>(DivRoundHalfEven(static_cast<int128>(s.bid) + s.ask, 2));
  }
  if (quote_until > now) {
    s.twap.SetSchedule(now, mid, quote_until, s.trade_price,
                       trade_until > quote_until ? trade_until : quote_until);
  } else if (trade_until > now) {
    s.twap.SetSchedule(now, s.trade_price, trade_until, 0, trade_until);
  } else {
    s.twap.SetSchedule(now, 0, now, 0, now);
  }
}

bool Engine::Convert(const SourceState& s, int32_t exponent, int64_t native, int64_t* out,
                     bool* degraded) const noexcept {
  if (s.convert_instrument < 0) {
    *out = native;
    return true;
  }
  const Mark& conv = instruments_[static_cast<size_t>(s.convert_instrument)].last;
  if (!conv.has_price || (conv.status != MarkStatus::kOk && conv.status != MarkStatus::kDegraded)) {
    return false;
  }
  if (conv.status == MarkStatus::kDegraded) *degraded = true;
  return MultiplyRescale(native, exponent, conv.price, conv.exponent, exponent, out);
}

void Engine::MaybePublishEarly(InstrumentState& ins, const SourceState& s) noexcept {
  const MethodologyParams& m = ins.spec->methodology;
  if (m.publish_deviation_bps == 0 || ins.spec->redemption_priced || !ins.last.has_price ||
      (ins.last.status != MarkStatus::kOk && ins.last.status != MarkStatus::kDegraded)) {
    return;
  }
  if (now_ - ins.last.publish_time < m.min_early_publish_gap_ns ||
      now_ - ins.last_early_publish < m.min_early_publish_gap_ns) {
    return;
  }
  int64_t native;
  if (!s.twap.PriceAt(now_, &native)) return;
  int64_t price;
  bool degraded = false;
  if (!Convert(s, ins.spec->price_exponent, native, &price, &degraded)) return;
  // A venue that has not moved away from the mark by the threshold cannot move the mark that far.
  if (!MovedAtLeastBps(price, ins.last.price, m.publish_deviation_bps)) return;
  ins.last_early_publish = now_;
  Evaluate(ins, now_, /*early=*/true);
}

void Engine::OnTimer(TimeNs t) noexcept {
  for (uint32_t idx : config_.evaluation_order) Evaluate(instruments_[idx], t, /*early=*/false);
  if (table_ != nullptr) table_->EndBatch();
  static_assert(sizeof(EngineTotals) == kTotalsWords * sizeof(uint64_t));
  uint64_t words[kTotalsWords];
  std::memcpy(words, &totals_, sizeof totals_);
  for (size_t i = 0; i < kTotalsWords; ++i)
    shared_totals_[i].store(words[i], std::memory_order_relaxed);
}

void Engine::Evaluate(InstrumentState& ins, TimeNs t, bool early) noexcept {
  const InstrumentSpec& spec = *ins.spec;
  const MethodologyParams& m = spec.methodology;
  const int32_t exp = spec.price_exponent;
  Mark mark;
  mark.instrument = ins.index;
  mark.exponent = exp;
  mark.publish_time = t;
  mark.venues_required = static_cast<uint8_t>(m.min_venues);
  mark.num_sources = static_cast<uint8_t>(ins.sources.size());

  if (spec.redemption_priced) {
    if (early) return;
    for (size_t j = 0; j < ins.sources.size(); ++j) {
      SourceState& s = ins.sources[j];
      SourceContribution& c = mark.sources[j];
      c.exclusion = Exclusion::kRedemptionPriced;
      if (!s.ever) continue;
      c.age_ns = std::max<int64_t>(0, t - s.newest_input_time);
      int64_t current, tw;
      if (s.twap.PriceAt(t, &current) && s.twap.Twap(t, &tw)) c.native_price = tw;
    }
    mark.status = MarkStatus::kUnavailable;
    mark.reason = StatusReason::kRedemptionPricingUnavailable;
    Publish(ins, mark, false);
    return;
  }

  WeightedValue used[kMaxSourcesPerInstrument];
  int used_index[kMaxSourcesPerInstrument];
  int64_t half_width[kMaxSourcesPerInstrument];
  uint64_t tiers[kMaxSourcesPerInstrument];
  int k = 0;
  bool conversion_degraded = false;
  bool converted_any = false;

  for (size_t j = 0; j < ins.sources.size(); ++j) {
    SourceState& s = ins.sources[j];
    SourceContribution& c = mark.sources[j];
    s.twap.AdvanceTo(t);
    if (!s.ever) {
      c.exclusion = Exclusion::kNoData;
      continue;
    }
    c.age_ns = std::max<int64_t>(0, t - s.newest_input_time);
    int64_t current;
    if (!s.twap.PriceAt(t, &current)) {
      bool quote_fresh = s.has_quote && t < s.quote_time + m.quote_max_age_ns;
      c.exclusion = (quote_fresh && !s.quote_sane) ? Exclusion::kSpreadTooWide : Exclusion::kStale;
      continue;
    }
    int64_t twap;
    if (!s.twap.Twap(t, &twap)) twap = current;
    c.native_price = twap;
    int64_t hw_native = 0;
    if (s.has_quote && s.quote_sane && t < s.quote_time + m.quote_max_age_ns) {
      hw_native = (s.ask - s.bid) / 2;
    }
    int64_t price = twap;
    int64_t hw = hw_native;
    if (s.convert_instrument >= 0) {
      bool degraded = false;
      const Mark& conv = instruments_[static_cast<size_t>(s.convert_instrument)].last;
      int64_t conv_unc = 0;
      if (!Convert(s, exp, twap, &price, &degraded) ||
          !Convert(s, exp, hw_native, &hw, &degraded) ||
          !MultiplyRescale(twap, exp, conv.confidence, conv.exponent, exp, &conv_unc)) {
        c.exclusion = Exclusion::kConversionUnavailable;
        continue;
      }
      hw += conv_unc;  // the conversion's own uncertainty widens this venue's band
      c.converted = true;
      converted_any = true;
      conversion_degraded |= degraded;
    }
    c.price = price;
    c.has_price = true;
    c.exclusion = Exclusion::kNone;
    used[k] = WeightedValue{price, 0};
    used_index[k] = static_cast<int>(j);
    half_width[k] = hw;
    tiers[k] = s.weight;
    ++k;
  }

  bool confirmed = false;
  if (k == 0) {
    if (early) return;
    if (ins.has_good) {
      mark.status = MarkStatus::kStale;
      mark.reason = StatusReason::kNoFreshVenues;
      mark.has_price = true;
      mark.price = ins.last_good_price;
      mark.confidence = ins.last_good_confidence;
      mark.last_good_time = ins.last_good_time;
    } else {
      mark.status = MarkStatus::kUnavailable;
      mark.reason = StatusReason::kNoDataYet;
    }
  } else {
    uint64_t capped[kMaxSourcesPerInstrument];
    CapWeights(tiers, k, m.weight_cap_bps, capped);
    unsigned __int128 total = 0;
    for (int i = 0; i < k; ++i) {
      used[i].weight = capped[i];
      total += capped[i];
    }
    for (int i = 0; i < k; ++i) {
      mark.sources[used_index[i]].weight_ppm =
          static_cast<uint32_t>(static_cast<unsigned __int128>(capped[i]) * 1000000 / total);
    }
    WeightedValue sorted[kMaxSourcesPerInstrument];
    std::copy(used, used + k, sorted);
    SortByValue(sorted, k);
    const int64_t median = WeightedMedianSorted(sorted, k);

    // Outliers: further than the threshold from the median. They stay in the median (which they
    // cannot move outside the other venues' range) and are flagged in the provenance.
    bool is_outlier[kMaxSourcesPerInstrument] = {};
    int outliers = 0;
    for (int i = 0; i < k; ++i) {
      SourceContribution& c = mark.sources[used_index[i]];
      c.deviation_bps = DeviationBps(used[i].value, median);
      if (MovedMoreThanBps(used[i].value, median, m.outlier_threshold_bps)) {
        c.outlier = true;
        is_outlier[i] = true;
        ++outliers;
      }
    }

    // Confidence from the pooled bid / TWAP / ask of the venues that agree with the median (all
    // used venues if none does): dispersion among them widens it, and a dislocated venue shows up
    // as a flag and in the quorum rather than as a band that spans the dislocation.
    WeightedValue pooled[kMaxSourcesPerInstrument * 3];
    int np = 0;
    for (int i = 0; i < k; ++i) {
      if (is_outlier[i] && outliers < k) continue;
      pooled[np++] = WeightedValue{used[i].value - half_width[i], used[i].weight};
      pooled[np++] = WeightedValue{used[i].value, used[i].weight};
      pooled[np++] = WeightedValue{used[i].value + half_width[i], used[i].weight};
    }
    SortByValue(pooled, np);
    int64_t p25 = WeightedPercentileSorted(pooled, np, 1, 4);
    int64_t p75 = WeightedPercentileSorted(pooled, np, 3, 4);
    int64_t conf = std::max<int64_t>({median - p25, p75 - median, 1});

    const int agreeing = k - outliers;
    if (outliers > 0) mark.flags |= kFlagOutliersPresent;
    if (converted_any) mark.flags |= kFlagQuoteConverted;
    if (conversion_degraded) mark.flags |= kFlagConversionDegraded;
    mark.venues_used = static_cast<uint8_t>(k);
    if (agreeing >= static_cast<int>(m.min_venues)) {
      mark.status = MarkStatus::kOk;
      mark.reason = StatusReason::kQuorumMet;
    } else {
      mark.status = MarkStatus::kDegraded;
      mark.reason = StatusReason::kBelowQuorum;
    }

    // Jump guard against the recent mark path.
    confirmed = true;
    int64_t reference = 0;
    if (ins.path.Reference(t, &reference) &&
        MovedMoreThanBps(median, reference, m.jump_limit_bps)) {
      const bool up = median > reference;
      int confirming = 0;
      for (int i = 0; i < k; ++i) {
        int64_t p = used[i].value;
        if ((p > reference) == up && p != reference &&
            MovedMoreThanBps(p, reference, m.jump_limit_bps)) {
          ++confirming;
        }
      }
      if (confirming < static_cast<int>(m.min_venues)) {
        confirmed = false;
        mark.flags |= kFlagJumpUnconfirmed;
        conf = std::max<int64_t>(conf, Abs(median - reference));
      }
    }
    mark.has_price = true;
    mark.price = median;
    mark.confidence = conf;
    mark.last_good_time = t;

    if (early) {
      if (!ins.last.has_price ||
          !MovedAtLeastBps(median, ins.last.price, m.publish_deviation_bps)) {
        return;
      }
      mark.flags |= kFlagEarlyPublish;
      ++totals_.early_publishes;
    }
  }
  Publish(ins, mark, confirmed);
  if (early && table_ != nullptr) table_->EndBatch();
}

void Engine::Publish(InstrumentState& ins, Mark& mark, bool confirmed) noexcept {
  mark.sequence = ++ins.sequence;
  if (mark.status == MarkStatus::kOk || mark.status == MarkStatus::kDegraded) {
    ins.has_good = true;
    ins.last_good_price = mark.price;
    ins.last_good_confidence = mark.confidence;
    ins.last_good_time = mark.publish_time;
    // The path carries confirmed prices only; an unconfirmed jump leaves the last confirmed one.
    if (confirmed) ins.confirmed = mark.price;
    ins.path.Record(mark.publish_time, ins.confirmed);
  }
  for (size_t j = 0; j < ins.sources.size(); ++j) {
    Exclusion x = mark.sources[j].exclusion;
    if (x != Exclusion::kNone && x != Exclusion::kRedemptionPriced) {
      Bump(venues_[ins.sources[j].venue_id].excluded);
    }
  }
  ins.last = mark;
  ++totals_.marks_published;
  if (table_ != nullptr) table_->Publish(mark);
  if (observer_ != nullptr) observer_->OnMarkPublished(mark);
}

}  // namespace oracle
