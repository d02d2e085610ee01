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

std::string_view ApplyResultCode(ApplyResult r) noexcept {
  switch (r) {
    case ApplyResult::kAccepted:
      return "ACCEPTED";
    case ApplyResult::kTimer:
      return "TIMER";
    case ApplyResult::kRateStored:
      return "RATE_STORED";
    case ApplyResult::kRejectedUnknownFeed:
      return "REJECTED_UNKNOWN_FEED";
    case ApplyResult::kRejectedNonPositive:
      return "REJECTED_NON_POSITIVE";
    case ApplyResult::kRejectedCrossedBook:
      return "REJECTED_CROSSED_BOOK";
    case ApplyResult::kRejectedFutureTimestamp:
      return "REJECTED_FUTURE_TIMESTAMP";
    case ApplyResult::kRejectedOutOfRange:
      return "REJECTED_OUT_OF_RANGE";
    case ApplyResult::kIgnoredOutOfOrder:
      return "IGNORED_OUT_OF_ORDER";
  }
  return "UNKNOWN";
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
void Engine::MarkPath::SaveState(StateWriter& w) const {
  w.PutArray(price_.data(), price_.size());
  w.PutArray(index_.data(), index_.size());
  w.Put(lookback_ns_);
  w.Put(bucket_ns_);
  w.Put(has_);
  w.Put(first_k_);
  w.Put(first_price_);
  w.Put(last_k_);
  w.Put(latest_);
}

bool Engine::MarkPath::RestoreState(StateReader& r) noexcept {
  DurationNs lookback = 0, bucket = 0;
  return r.GetArray(price_.data(), price_.size()) && r.GetArray(index_.data(), index_.size()) &&
         r.Get(&lookback) && r.Get(&bucket) && lookback == lookback_ns_ && bucket == bucket_ns_ &&
         r.Get(&has_) && r.Get(&first_k_) && r.Get(&first_price_) && r.Get(&last_k_) &&
         r.Get(&latest_);
}

namespace {
constexpr uint64_t kStateMagic = 0x3174617453676E45ULL;  // "EngState1" (little-endian, 8 bytes)
}  // namespace

void Engine::SaveState(std::string* out) const {
  out->clear();
  StateWriter w(out);
  w.Put(kStateMagic);
  w.Put<uint64_t>(sizeof(Mark));
  w.Put<uint64_t>(instruments_.size());
  w.Put<uint64_t>(rates_.size());
  w.Put(now_);
  for (const RatePairState& rp : rates_) w.Put(rp);
  for (const InstrumentState& ins : instruments_) {
    w.Put<uint64_t>(ins.sources.size());
    w.Put(ins.last);
    w.Put(ins.has_good);
    w.Put(ins.last_good_price);
    w.Put(ins.last_good_confidence);
    w.Put(ins.last_good_time);
    ins.path.SaveState(w);
    w.Put(ins.confirmed);
    w.Put(ins.last_early_publish);
    w.Put(ins.sequence);
    w.Put(ins.redemption);
    for (const SourceState& s : ins.sources) {
      w.Put(s.has_quote);
      w.Put(s.quote_sane);
      w.Put(s.bid);
      w.Put(s.ask);
      w.Put(s.quote_time);
      w.Put(s.has_trade);
      w.Put(s.trade_price);
      w.Put(s.trade_time);
      w.Put(s.newest_input_time);
      w.Put(s.ever);
      s.twap.SaveState(w);
    }
  }
  w.Put(kStateMagic);
}

absl::Status Engine::RestoreState(std::string_view state) {
  StateReader r(state);
  uint64_t magic = 0, mark_size = 0, n_instruments = 0, n_rates = 0;
  if (!r.Get(&magic) || magic != kStateMagic || !r.Get(&mark_size) || mark_size != sizeof(Mark) ||
      !r.Get(&n_instruments) || n_instruments != instruments_.size() || !r.Get(&n_rates) ||
      n_rates != rates_.size()) {
    return absl::FailedPreconditionError(
        "checkpoint does not fit this engine (another build or configuration)");
  }
  bool ok = r.Get(&now_);
  for (RatePairState& rp : rates_) ok = ok && r.Get(&rp);
  for (InstrumentState& ins : instruments_) {
    uint64_t n_sources = 0;
    ok = ok && r.Get(&n_sources) && n_sources == ins.sources.size();
    ok = ok && r.Get(&ins.last) && r.Get(&ins.has_good) && r.Get(&ins.last_good_price) &&
         r.Get(&ins.last_good_confidence) && r.Get(&ins.last_good_time) &&
         ins.path.RestoreState(r) && r.Get(&ins.confirmed) && r.Get(&ins.last_early_publish) &&
         r.Get(&ins.sequence) && r.Get(&ins.redemption);
    for (SourceState& s : ins.sources) {
      ok = ok && r.Get(&s.has_quote) && r.Get(&s.quote_sane) && r.Get(&s.bid) && r.Get(&s.ask) &&
           r.Get(&s.quote_time) && r.Get(&s.has_trade) && r.Get(&s.trade_price) &&
           r.Get(&s.trade_time) && r.Get(&s.newest_input_time) && r.Get(&s.ever) &&
           s.twap.RestoreState(r);
    }
    if (!ok) break;
  }
  ok = ok && r.Get(&magic) && magic == kStateMagic && r.done();
  if (!ok) {
    return absl::DataLossError("checkpoint is truncated or does not fit this configuration");
  }
  return absl::OkStatus();
}

void Engine::PublishRestored() noexcept {
  if (table_ == nullptr) return;
  for (const InstrumentState& ins : instruments_) {
    if (ins.sequence > 0) table_->Publish(ins.last);
  }
  table_->EndBatch();
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
  // Constant providers (1:1 redemptions) hold their ratio from the start and never age.
  for (const RateProviderSpec& p : config.rate_providers) {
    if (p.kind != RateProviderKind::kConstant || p.rate_pair_id >= e->rates_.size()) continue;
    for (RateSlot& slot : e->rates_[p.rate_pair_id].slots) {
      if (slot.has) continue;
      int64_t r18 = 0;
      if (Rescale(p.constant, -18, &r18))
        slot = RateSlot{true, p.source_id, r18, p.constant, kConstantTime};
      break;
    }
  }
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
  if (rate_pair >= rates_.size()) return false;
  const RateSlot* newest = nullptr;
  for (const RateSlot& slot : rates_[rate_pair].slots) {
    if (slot.has && (newest == nullptr || slot.time > newest->time)) newest = &slot;
  }
  if (newest == nullptr) return false;
  *ratio = newest->ratio;
  *time = newest->time;
  return true;
}

ApplyResult Engine::OnRate(const Event& e) noexcept {
  if (e.id >= rates_.size()) {
    ++totals_.rejected_unknown_feed;
    return ApplyResult::kRejectedUnknownFeed;
  }
  if (e.a <= 0) {
    ++totals_.rejected_non_positive;
    return ApplyResult::kRejectedNonPositive;
  }
  int64_t ratio18 = 0;
  const Decimal ratio = e.A();
  // Sane bounds of every instrument priced with this pair (config caps max_ratio at 9).
  bool in_bounds = Rescale(ratio, -18, &ratio18);
  for (const InstrumentState& ins : instruments_) {
    const InstrumentSpec& spec = *ins.spec;
    if (!in_bounds) break;
    if (!spec.redemption_priced || spec.rate_pair_id != e.id) continue;
    in_bounds = CompareDecimal(ratio, spec.redemption.min_ratio) >= 0 &&
                CompareDecimal(ratio, spec.redemption.max_ratio) <= 0;
  }
  if (!in_bounds) {
    ++totals_.rates_rejected;
    return ApplyResult::kRejectedOutOfRange;
  }
  const uint32_t source = static_cast<uint32_t>(e.b);
  RateSlot* slot = nullptr;
  for (RateSlot& s : rates_[e.id].slots) {
    if (s.has && s.source == source) {
      slot = &s;
      break;
    }
    if (!s.has && slot == nullptr) slot = &s;
  }
  if (slot == nullptr) {
    ++totals_.rates_rejected;
    return ApplyResult::kRejectedUnknownFeed;
  }
  if (slot->has && slot->source == source && slot->time != kConstantTime &&
      e.event_time < slot->time) {
    ++totals_.ignored_out_of_order;
    return ApplyResult::kIgnoredOutOfOrder;
  }
  *slot = RateSlot{true, source, ratio18, ratio, e.event_time};
  ++totals_.rates;
  return ApplyResult::kRateStored;
}

ApplyResult Engine::Apply(const Event& e) noexcept {
  ++totals_.events;
  if (e.recv_time > now_) now_ = e.recv_time;
  ApplyResult r;
  switch (e.type) {
    case EventType::kTimer:
      if (e.event_time > now_) now_ = e.event_time;
      ++totals_.timers;
      timer_flags_ = (e.id & kTimerClockStep) != 0 ? uint32_t{kFlagClockStep} : 0u;
      OnTimer(now_);
      timer_flags_ = 0;
      r = ApplyResult::kTimer;
      break;
    case EventType::kRate:
      r = OnRate(e);
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
  ScaledTick scaled[kMaxRoutesPerFeed];
  const size_t routes = std::min(feed.routes.size(), std::size(scaled));
  switch (const ApplyResult checked = ScaleTickForRoutes(e, feed, routes, is_quote, scaled)) {
    case ApplyResult::kRejectedFutureTimestamp:
      return reject(checked, &totals_.rejected_future);
    case ApplyResult::kRejectedOutOfRange:
      return reject(checked, &totals_.rejected_out_of_range);
    case ApplyResult::kIgnoredOutOfOrder:
      ++totals_.ignored_out_of_order;
      Bump(vc.messages);
      return checked;
    default:
      break;
  }
  StoreTick(e, feed, routes, is_quote, scaled);
  ++totals_.ticks_accepted;
  Bump(vc.messages);
  return ApplyResult::kAccepted;
}

ApplyResult Engine::ScaleTickForRoutes(const Event& e, const FeedSpec& feed, size_t routes,
                                       bool is_quote, ScaledTick* scaled) const noexcept {
  for (size_t k = 0; k < routes; ++k) {
    const FeedRoute& route = feed.routes[k];
    const InstrumentState& ins = instruments_[route.instrument];
    const MethodologyParams& m = ins.spec->methodology;
    if (e.event_time > now_ + m.max_future_ns) return ApplyResult::kRejectedFutureTimestamp;
    const int32_t exp = ins.spec->price_exponent;
    if (!Rescale(e.A(), exp, &scaled[k].a) || (is_quote && !Rescale(e.B(), exp, &scaled[k].b))) {
      return ApplyResult::kRejectedOutOfRange;
    }
    if (scaled[k].a <= 0 || (is_quote && scaled[k].b <= 0)) {
      return ApplyResult::kRejectedOutOfRange;
    }
    const SourceState& s = ins.sources[route.source];
    if (is_quote ? (s.has_quote && e.event_time < s.quote_time)
                 : (s.has_trade && e.event_time < s.trade_time)) {
      return ApplyResult::kIgnoredOutOfOrder;
    }
  }
  return ApplyResult::kAccepted;
}

void Engine::StoreTick(const Event& e, const FeedSpec& feed, size_t routes, bool is_quote,
                       const ScaledTick* scaled) noexcept {
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
  if (spec.redemption_priced) {
    if (!early) EvaluateRedemption(ins, t);
    return;
  }
  Mark mark;
  mark.instrument = ins.index;
  mark.exponent = spec.price_exponent;
  mark.publish_time = t;
  mark.venues_required = static_cast<uint8_t>(m.min_venues);
  mark.num_sources = static_cast<uint8_t>(ins.sources.size());

  bool confirmed = false;
  const int k = Aggregate(ins, t, mark, /*jump_guard=*/true, &confirmed);
  if (k == 0) {
    if (early) return;
    confirmed = false;
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
  } else if (early) {
    if (!ins.last.has_price ||
        !MovedAtLeastBps(mark.price, ins.last.price, m.publish_deviation_bps)) {
      return;
    }
    mark.flags |= kFlagEarlyPublish;
    ++totals_.early_publishes;
  }
  Publish(ins, mark, confirmed);
  if (early && table_ != nullptr) table_->EndBatch();
}

namespace {

// The venues one aggregation uses, in source order. Fixed arrays on the stack: no allocation.
struct UsedVenues {
  WeightedValue used[kMaxSourcesPerInstrument];  // venue price; weight set by CapUsedWeights
  int used_index[kMaxSourcesPerInstrument];      // index into Mark::sources
  int64_t half_width[kMaxSourcesPerInstrument];  // half the quoted spread, plus conversion's
  uint64_t tiers[kMaxSourcesPerInstrument];      // configured weight
  int k = 0;
};

// Caps the tier weights of the k >= 1 used venues (CapWeights), stores them in v.used and each
// venue's share of the total in its provenance (weight_ppm, rounded down). O(k^2), no allocation.
void CapUsedWeights(UsedVenues& v, uint32_t weight_cap_bps, Mark& mark) noexcept {
  const int k = v.k;
  uint64_t capped[kMaxSourcesPerInstrument];
  CapWeights(v.tiers, k, weight_cap_bps, capped);
  unsigned __int128 total = 0;
  for (int i = 0; i < k; ++i) {
    v.used[i].weight = capped[i];
    total += capped[i];
  }
  for (int i = 0; i < k; ++i) {
    mark.sources[v.used_index[i]].weight_ppm =
        static_cast<uint32_t>(static_cast<unsigned __int128>(capped[i]) * 1000000 / total);
  }
}

// Weighted median of the k >= 1 used venues (weights set), sorted in a stack copy. O(k^2), no
// allocation.
int64_t MedianOfUsed(const UsedVenues& v) noexcept {
  WeightedValue sorted[kMaxSourcesPerInstrument];
  std::copy(v.used, v.used + v.k, sorted);
  SortByValue(sorted, v.k);
  return WeightedMedianSorted(sorted, v.k);
}

// Outliers: further than the threshold from the median. They stay in the median (which they
// cannot move outside the other venues' range) and are flagged in the provenance, with every used
// venue's deviation_bps. Sets is_outlier[i] per used venue; returns how many. O(k), no allocation.
int FlagOutliers(const UsedVenues& v, int64_t median, uint32_t outlier_threshold_bps, Mark& mark,
                 bool* is_outlier) noexcept {
  int outliers = 0;
  for (int i = 0; i < v.k; ++i) {
    SourceContribution& c = mark.sources[v.used_index[i]];
    c.deviation_bps = DeviationBps(v.used[i].value, median);
    if (MovedMoreThanBps(v.used[i].value, median, outlier_threshold_bps)) {
      c.outlier = true;
      is_outlier[i] = true;
      ++outliers;
    }
  }
  return outliers;
}

// Confidence from the pooled bid / TWAP / ask of the venues that agree with the median (all
// used venues if none does): dispersion among them widens it, and a dislocated venue shows up
// as a flag and in the quorum rather than as a band that spans the dislocation.
// Returns max(median - p25, p75 - median, 1). O(k^2), no allocation.
int64_t PooledConfidence(const UsedVenues& v, const bool* is_outlier, int outliers,
                         int64_t median) noexcept {
  const int k = v.k;
  WeightedValue pooled[kMaxSourcesPerInstrument * 3];
  int np = 0;
  for (int i = 0; i < k; ++i) {
    if (is_outlier[i] && outliers < k) continue;
    pooled[np++] = WeightedValue{v.used[i].value - v.half_width[i], v.used[i].weight};
    pooled[np++] = WeightedValue{v.used[i].value, v.used[i].weight};
    pooled[np++] = WeightedValue{v.used[i].value + v.half_width[i], v.used[i].weight};
  }
  SortByValue(pooled, np);
  int64_t p25 = WeightedPercentileSorted(pooled, np, 1, 4);
  int64_t p75 = WeightedPercentileSorted(pooled, np, 3, 4);
  return std::max<int64_t>({median - p25, p75 - median, 1});
}

// Used venues that moved past the jump limit from `reference` the same way as `median`. O(k).
int CountJumpConfirmingVenues(const UsedVenues& v, int64_t median, int64_t reference,
                              uint32_t jump_limit_bps) noexcept {
  const bool up = median > reference;
  int confirming = 0;
  for (int i = 0; i < v.k; ++i) {
    int64_t p = v.used[i].value;
    if ((p > reference) == up && p != reference && MovedMoreThanBps(p, reference, jump_limit_bps)) {
      ++confirming;
    }
  }
  return confirming;
}

}  // namespace

bool Engine::PriceSource(SourceState& s, const MethodologyParams& m, int32_t exp, TimeNs t,
                         SourceContribution& c, int64_t* price, int64_t* half_width,
                         bool* converted_any, bool* conversion_degraded) noexcept {
  s.twap.AdvanceTo(t);
  if (!s.ever) {
    c.exclusion = Exclusion::kNoData;
    return false;
  }
  c.age_ns = std::max<int64_t>(0, t - s.newest_input_time);
  int64_t current;
  if (!s.twap.PriceAt(t, &current)) {
    bool quote_fresh = s.has_quote && t < s.quote_time + m.quote_max_age_ns;
    c.exclusion = (quote_fresh && !s.quote_sane) ? Exclusion::kSpreadTooWide : Exclusion::kStale;
    return false;
  }
  int64_t twap;
  if (!s.twap.Twap(t, &twap)) twap = current;
  c.native_price = twap;
  int64_t hw_native = 0;
  if (s.has_quote && s.quote_sane && t < s.quote_time + m.quote_max_age_ns) {
    hw_native = (s.ask - s.bid) / 2;
  }
  *price = twap;
  *half_width = hw_native;
  if (s.convert_instrument >= 0) {
    bool degraded = false;
    const Mark& conv = instruments_[static_cast<size_t>(s.convert_instrument)].last;
    int64_t conv_unc = 0;
    if (!Convert(s, exp, twap, price, &degraded) ||
        !Convert(s, exp, hw_native, half_width, &degraded) ||
        !MultiplyRescale(twap, exp, conv.confidence, conv.exponent, exp, &conv_unc)) {
      c.exclusion = Exclusion::kConversionUnavailable;
      return false;
    }
    *half_width += conv_unc;  // the conversion's own uncertainty widens this venue's band
    c.converted = true;
    *converted_any = true;
    *conversion_degraded |= degraded;
  }
  c.price = *price;
  c.has_price = true;
  c.exclusion = Exclusion::kNone;
  return true;
}

int Engine::Aggregate(InstrumentState& ins, TimeNs t, Mark& mark, bool jump_guard,
                      bool* confirmed) noexcept {
  const InstrumentSpec& spec = *ins.spec;
  const MethodologyParams& m = spec.methodology;
  const int32_t exp = spec.price_exponent;
  *confirmed = true;
  UsedVenues v;
  bool conversion_degraded = false;
  bool converted_any = false;
  for (size_t j = 0; j < ins.sources.size(); ++j) {
    SourceState& s = ins.sources[j];
    int64_t price, hw;
    if (!PriceSource(s, m, exp, t, mark.sources[j], &price, &hw, &converted_any,
                     &conversion_degraded)) {
      continue;
    }
    v.used[v.k] = WeightedValue{price, 0};
    v.used_index[v.k] = static_cast<int>(j);
    v.half_width[v.k] = hw;
    v.tiers[v.k] = s.weight;
    ++v.k;
  }

  const int k = v.k;
  if (k == 0) return 0;
  CapUsedWeights(v, m.weight_cap_bps, mark);
  const int64_t median = MedianOfUsed(v);
  bool is_outlier[kMaxSourcesPerInstrument] = {};
  const int outliers = FlagOutliers(v, median, m.outlier_threshold_bps, mark, is_outlier);
  int64_t conf = PooledConfidence(v, is_outlier, outliers, median);

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
  *confirmed = true;
  int64_t reference = 0;
  if (jump_guard && ins.path.Reference(t, &reference) &&
      MovedMoreThanBps(median, reference, m.jump_limit_bps) &&
      CountJumpConfirmingVenues(v, median, reference, m.jump_limit_bps) <
          static_cast<int>(m.min_venues)) {
    *confirmed = false;
    mark.flags |= kFlagJumpUnconfirmed;
    conf = std::max<int64_t>(conf, Abs(median - reference));
  }
  mark.has_price = true;
  mark.price = median;
  mark.confidence = conf;
  mark.last_good_time = t;
  return k;
}

namespace {

// The value of a redemption without an underlying: a unit mark (price 1, confidence 0, OK), so the
// ratio is the value itself.
const Mark& UnitMark() noexcept {
  static const Mark kUnit = [] {
    Mark m;
    m.price = 1;
    m.has_price = true;
    m.status = MarkStatus::kOk;
    return m;
  }();
  return kUnit;
}

// Redemption value = underlying price x ratio (and its confidence), when a fresh ratio exists and
// the underlying mark `u` is usable (OK or DEGRADED). Sets ri.underlying_status and, if a positive
// value results, ri.has_redemption. O(1), no allocation.
void ValueRedemption(const Mark& u, bool has_ratio_now, int32_t exp, RedemptionInfo& ri) noexcept {
  ri.underlying_status = u.status;
  const bool underlying_ok =
      u.has_price && (u.status == MarkStatus::kOk || u.status == MarkStatus::kDegraded);
  if (has_ratio_now && underlying_ok &&
      MultiplyRescale(u.price, u.exponent, ri.ratio, -18, exp, &ri.redemption_price) &&
      MultiplyRescale(u.confidence, u.exponent, ri.ratio, -18, exp, &ri.redemption_confidence)) {
    ri.has_redemption = ri.redemption_price > 0;
  }
}

// Venues (of the first n_sources) with a used price more than depeg_threshold_bps below the
// redemption value. O(n), no allocation.
int CountDiscountedVenues(const Mark& mark, size_t n_sources, int64_t redemption_price,
                          uint32_t depeg_threshold_bps) noexcept {
  int discounted = 0;
  for (size_t j = 0; j < n_sources; ++j) {
    const SourceContribution& c = mark.sources[j];
    if (!c.has_price || c.exclusion != Exclusion::kNone) continue;
    // price < redemption * (1 - threshold)
    if (static_cast<int128>(c.price) * 10000 <
        static_cast<int128>(redemption_price) * (10000 - depeg_threshold_bps)) {
      ++discounted;
    }
  }
  return discounted;
}

// The depeg clock: *discount_since starts when at least depeg_min_venues venues trade at a
// discount to the redemption value and resets (0) when fewer do or there is no redemption value.
// Sets the mark's discount_venues, discount_since and depeg (the discount held for
// depeg_min_duration). O(n), no allocation.
void UpdateDepegClock(const RedemptionSpec& rs, size_t n_sources, TimeNs t, TimeNs* discount_since,
                      Mark& mark) noexcept {
  RedemptionInfo& ri = mark.redemption;
  if (ri.has_redemption) {
    const int discounted =
        CountDiscountedVenues(mark, n_sources, ri.redemption_price, rs.depeg_threshold_bps);
    ri.discount_venues = static_cast<uint8_t>(discounted);
    if (discounted >= static_cast<int>(rs.depeg_min_venues)) {
      if (*discount_since == 0) *discount_since = t;
    } else {
      *discount_since = 0;
    }
  } else {
    *discount_since = 0;
  }
  ri.discount_since = *discount_since;
  ri.depeg = *discount_since != 0 && t - *discount_since >= rs.depeg_min_duration_ns;
}

// The policy's choice between the redemption value and the market aggregate, from what `ri` has;
// *why is the mark's status reason. O(1).
RedemptionChoice ChooseRedemptionPrice(RedemptionPolicy policy, const RedemptionInfo& ri,
                                       StatusReason* why) noexcept {
  RedemptionChoice choice = RedemptionChoice::kNone;
  *why = StatusReason::kRedemptionPricingUnavailable;
  switch (policy) {
    case RedemptionPolicy::kRedemptionUnlessDepeg:
      if (ri.has_redemption && !(ri.depeg && ri.has_market)) {
        choice = RedemptionChoice::kRedemption;
        *why = StatusReason::kRedemptionValue;
      } else if (ri.has_market) {
        choice = RedemptionChoice::kMarket;
        *why = ri.has_redemption ? StatusReason::kDepegFollowingMarket
                                 : StatusReason::kRedemptionUnavailableMarket;
      }
      break;
    case RedemptionPolicy::kLowerOf:
      if (ri.has_redemption && ri.has_market) {
        choice = ri.market_price < ri.redemption_price ? RedemptionChoice::kMarket
                                                       : RedemptionChoice::kRedemption;
        *why = StatusReason::kLowerOfTwo;
      } else if (ri.has_redemption) {
        choice = RedemptionChoice::kRedemption;
        *why = StatusReason::kRedemptionValue;
      } else if (ri.has_market) {
        choice = RedemptionChoice::kMarket;
        *why = StatusReason::kRedemptionUnavailableMarket;
      }
      break;
    case RedemptionPolicy::kRedemptionOnly:
      if (ri.has_redemption) {
        choice = RedemptionChoice::kRedemption;
        *why = StatusReason::kRedemptionValue;
      }
      break;
    case RedemptionPolicy::kMarketOnly:
      if (ri.has_market) {
        choice = RedemptionChoice::kMarket;
        *why = StatusReason::kMarketPolicy;
      }
      break;
  }
  return choice;
}

// The mark at the redemption value with the underlying `u`'s quorum; the wrapped asset's own
// venues (the first n_sources) are shown against the redemption value, not used. O(n).
void PriceAtRedemptionValue(const Mark& u, size_t n_sources, TimeNs t, Mark& mark) noexcept {
  const RedemptionInfo& ri = mark.redemption;
  mark.has_price = true;
  mark.price = ri.redemption_price;
  mark.confidence = std::max<int64_t>(ri.redemption_confidence, 1);
  mark.last_good_time = t;
  mark.venues_used = u.venues_used;
  mark.venues_required = u.venues_required;
  mark.status = u.status;  // the underlying's quorum
  for (size_t j = 0; j < n_sources; ++j) {
    SourceContribution& c = mark.sources[j];
    if (c.exclusion == Exclusion::kNone) c.exclusion = Exclusion::kRedemptionPriced;
    c.weight_ppm = 0;
    c.outlier = false;
    if (c.has_price) c.deviation_bps = DeviationBps(c.price, ri.redemption_price);
  }
}

// The mark at the market aggregate (its outlier flag back from `market_flags`). Following the
// market because redemption is unavailable (`why`) is never better than DEGRADED. O(1).
void PriceAtMarket(uint32_t market_flags, StatusReason why, Mark& mark) noexcept {
  const RedemptionInfo& ri = mark.redemption;
  mark.price = ri.market_price;
  mark.confidence = ri.market_confidence;
  mark.flags |= market_flags & kFlagOutliersPresent;
  mark.status = ri.market_status;
  if (why == StatusReason::kRedemptionUnavailableMarket) mark.status = MarkStatus::kDegraded;
}

}  // namespace

bool Engine::SelectFreshRatio(const RatePairState& pair, TimeNs t, DurationNs max_ratio_age_ns,
                              RedemptionInfo& ri, TimeNs* newest) noexcept {
  int64_t fresh[kMaxRateSourcesPerPair];
  uint32_t fresh_source[kMaxRateSourcesPerPair];
  int n = 0;
  for (const RateSlot& slot : pair.slots) {
    if (!slot.has) continue;
    ri.has_ratio = true;
    const TimeNs time = slot.time == kConstantTime ? t : slot.time;  // constants never age
    if (time > *newest) {
      *newest = time;
      ri.ratio_time = time;
      ri.ratio = ri.raw_ratio = slot.ratio18;
      ri.ratio_source = slot.source;
    }
    if (t - time > max_ratio_age_ns) continue;
    int at = n++;  // insertion sort by value, ties by source: deterministic
    while (at > 0 && (fresh[at - 1] > slot.ratio18 ||
                      (fresh[at - 1] == slot.ratio18 && fresh_source[at - 1] > slot.source))) {
      fresh[at] = fresh[at - 1];
      fresh_source[at] = fresh_source[at - 1];
      --at;
    }
    fresh[at] = slot.ratio18;
    fresh_source[at] = slot.source;
  }
  ri.ratio_sources = static_cast<uint8_t>(n);
  if (n == 0) return false;
  const int mid = (n - 1) / 2;
  ri.raw_ratio = ri.ratio = fresh[mid];
  ri.ratio_source = fresh_source[mid];
  ri.ratio_time = *newest;
  return true;
}

void Engine::CapRatioGrowth(const RedemptionSpec& rs, TimeNs t, TimeNs newest, RedemptionState& st,
                            RedemptionInfo& ri, uint32_t* flags) noexcept {
  if (!st.has_snapshot) {
    st.has_snapshot = true;
    if (rs.has_snapshot && Rescale(rs.snapshot_ratio, -18, &st.snapshot18)) {
      st.snapshot_time = rs.snapshot_time;
    } else {
      st.snapshot18 = ri.ratio;
      st.snapshot_time = newest;
    }
  }
  constexpr int64_t kYearSeconds = 365LL * 86400;
  int64_t elapsed_s =
      std::clamp<int64_t>((t - st.snapshot_time) / kNanosPerSecond, 0, 10 * kYearSeconds);
  int128 growth18 =
      DivRoundHalfEven(static_cast<int128>(rs.max_yearly_growth_bps) * elapsed_s * Pow10(18),
                       static_cast<int128>(10000) * kYearSeconds);
  int128 cap =
      st.snapshot18 + DivRoundHalfEven(static_cast<int128>(st.snapshot18) * growth18, Pow10(18));
  if (ri.ratio > cap) {
    ri.ratio = static_cast<int64_t>(cap);
    *flags |= kFlagRatioCapped;
  }
}

void Engine::TrackRatioFall(TimeNs t, RedemptionState& st, const RedemptionInfo& ri,
                            uint32_t* flags) noexcept {
  constexpr DurationNs kDay = 86400 * kNanosPerSecond;
  if (st.fall_time != kNoTime && t - st.fall_time >= kDay) {
    st.fall_time = kNoTime;
    st.high18 = ri.ratio;
  }
  if (ri.ratio < st.high18) {
    if (st.fall_time == kNoTime) st.fall_time = t;
    *flags |= kFlagRatioDecreased;
  } else {
    st.high18 = ri.ratio;
    st.fall_time = kNoTime;
  }
}

void Engine::PriceWithoutChoice(const InstrumentState& ins, Mark& mark) noexcept {
  mark.venues_used = 0;
  for (size_t j = 0; j < ins.sources.size(); ++j) {
    SourceContribution& c = mark.sources[j];
    if (c.exclusion == Exclusion::kNone) c.exclusion = Exclusion::kRedemptionPriced;
    c.weight_ppm = 0;
  }
  if (ins.has_good) {
    mark.status = MarkStatus::kStale;
    mark.has_price = true;
    mark.price = ins.last_good_price;
    mark.confidence = ins.last_good_confidence;
    mark.last_good_time = ins.last_good_time;
  } else {
    mark.status = MarkStatus::kUnavailable;
    mark.has_price = false;
    mark.price = 0;
    mark.confidence = 0;
  }
}

// A redemption-priced instrument: redemption value = underlying mark x ratio (median of its fresh
// rate sources, capped by CAPO growth), and the market aggregate of its own venues; the policy
// chooses. Never published early (its inputs move on the cadence of the underlying and the ratio).
void Engine::EvaluateRedemption(InstrumentState& ins, TimeNs t) noexcept {
  const InstrumentSpec& spec = *ins.spec;
  const RedemptionSpec& rs = spec.redemption;
  const MethodologyParams& m = spec.methodology;
  const int32_t exp = spec.price_exponent;
  RedemptionState& st = ins.redemption;
  Mark mark;
  mark.instrument = ins.index;
  mark.exponent = exp;
  mark.publish_time = t;
  mark.venues_required = static_cast<uint8_t>(m.min_venues);
  mark.num_sources = static_cast<uint8_t>(ins.sources.size());
  RedemptionInfo& ri = mark.redemption;
  ri.present = true;
  ri.policy = rs.policy;
  ri.ratio_exponent = -18;

  // The market aggregate (no jump guard: the policy below is this instrument's guard).
  bool unused_confirmed = true;
  const int k = Aggregate(ins, t, mark, /*jump_guard=*/false, &unused_confirmed);
  ri.has_market = k > 0;
  if (ri.has_market) {
    ri.market_price = mark.price;
    ri.market_confidence = mark.confidence;
    ri.market_status = mark.status;
    ri.market_venues = static_cast<uint8_t>(k);
  }
  const uint32_t market_flags = mark.flags;

  // The ratio: median (lower middle) of the sources fresh within max_ratio_age, CAPO-capped;
  // a fall passes through, flagged for a day (slashing).
  TimeNs newest = kNoTime;
  const bool has_ratio_now =
      SelectFreshRatio(rates_[spec.rate_pair_id], t, rs.max_ratio_age_ns, ri, &newest);
  if (has_ratio_now) {
    CapRatioGrowth(rs, t, newest, st, ri, &mark.flags);
    TrackRatioFall(t, st, ri, &mark.flags);
  }

  // The redemption value, from a usable underlying mark, and the depeg clock.
  const int ui = spec.redemption_underlying_instrument;
  const Mark& u = ui >= 0 ? instruments_[static_cast<size_t>(ui)].last : UnitMark();
  ValueRedemption(u, has_ratio_now, exp, ri);
  UpdateDepegClock(rs, ins.sources.size(), t, &st.discount_since, mark);

  StatusReason why;
  const RedemptionChoice choice = ChooseRedemptionPrice(rs.policy, ri, &why);
  ri.choice = choice;
  if (ri.depeg) mark.flags |= kFlagDepeg;

  mark.flags &= ~(kFlagOutliersPresent | kFlagJumpUnconfirmed);
  if (choice == RedemptionChoice::kRedemption) {
    PriceAtRedemptionValue(u, ins.sources.size(), t, mark);
  } else if (choice == RedemptionChoice::kMarket) {
    PriceAtMarket(market_flags, why, mark);
  } else {
    PriceWithoutChoice(ins, mark);
  }
  mark.reason = why;
  Publish(ins, mark, /*confirmed=*/true);
}

void Engine::Publish(InstrumentState& ins, Mark& mark, bool confirmed) noexcept {
  mark.sequence = ++ins.sequence;
  // CLOCK_STEP comes from the timer event (so a replay flags the same marks); an early publish
  // between timers keeps the flag of the mark it follows.
  mark.flags |=
      (mark.flags & kFlagEarlyPublish) != 0 ? (ins.last.flags & kFlagClockStep) : timer_flags_;
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
