#include "oracle/history/audit.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oracle/aggregation/engine.h"
#include "oracle/api/mark_proto.h"
#include "oracle/history/history_store.h"
#include "oracle/history/records.h"
#include "oracle/signing/mark_signer.h"
#include "oracle/v1/audit.pb.h"

namespace oracle::history {
namespace {

constexpr TimeNs kMinTime = INT64_MIN / 2;
constexpr TimeNs kMaxTime = INT64_MAX / 2;

// `field`: the request field at fault (the BadRequest violation of INVALID_ARGUMENT errors).
ApiError Err(ErrorReason r, std::string msg, std::string field = {}) {
  return ApiError{.reason = r, .message = std::move(msg), .field = std::move(field)};
}

ApiError WithMetadata(ApiError e, std::string key, std::string value) {
  e.metadata.emplace_back(std::move(key), std::move(value));
  return e;
}

std::string S(std::string_view v) { return std::string(v); }

TimeNs ToNs(const google::protobuf::Timestamp& t) {
  return t.seconds() * kNanosPerSecond + t.nanos();
}

// A timestamp field: absent -> fallback; out of range -> error.
std::optional<ApiError> ReadTime(bool has, const google::protobuf::Timestamp& t, TimeNs fallback,
                                 const char* field, TimeNs* out) {
  if (!has) {
    *out = fallback;
    return std::nullopt;
  }
  if (t.nanos() < 0 || t.nanos() >= 1'000'000'000 || t.seconds() < -9'000'000'000LL ||
      t.seconds() > 9'000'000'000LL) {
    return Err(ErrorReason::kInvalidArgument,
               absl::StrCat(field, ": not a valid timestamp (seconds ", t.seconds(), ", nanos ",
                            t.nanos(), ")"),
               field);
  }
  *out = ToNs(t);
  return std::nullopt;
}

std::optional<ApiError> ReadRange(bool has_start, const google::protobuf::Timestamp& start,
                                  bool has_end, const google::protobuf::Timestamp& end, TimeNs* lo,
                                  TimeNs* hi) {
  if (auto e = ReadTime(has_start, start, kMinTime, "start_time", lo)) return e;
  if (auto e = ReadTime(has_end, end, kMaxTime, "end_time", hi)) return e;
  if (*hi <= *lo) {
    return Err(ErrorReason::kInvalidTimeRange,
               "end_time must be after start_time (start is inclusive, end exclusive)", "end_time");
  }
  return std::nullopt;
}

std::optional<ApiError> FindInstrument(const Config& config, const std::string& name, int* out) {
  if (name.empty()) return Err(ErrorReason::kInvalidArgument, "instrument: required", "instrument");
  *out = config.FindInstrument(name);
  if (*out < 0) {
    return WithMetadata(
        Err(ErrorReason::kInstrumentNotFound, absl::StrCat("no instrument named ", name)),
        "instrument", name);
  }
  return std::nullopt;
}

// No store: never configured (permanent, FAILED_PRECONDITION) or not open now (retry).
ApiError Unavailable(const Config& config) {
  if (config.history.data_dir.empty()) {
    return Err(ErrorReason::kHistoryNotConfigured,
               "this server keeps no history: its configuration has no history { data_dir }");
  }
  return WithMetadata(
      Err(ErrorReason::kHistoryUnavailable,
          absl::StrCat("the history store in ", config.history.data_dir,
                       " cannot be opened right now (see GetServerStatus persistence); the "
                       "server retries every second")),
      "dataDir", config.history.data_dir);
}

ApiError ReadFailure(const absl::Status& s) {
  return Err(ErrorReason::kInternal, absl::StrCat("reading history failed: ", s.message()));
}

bool ParseStoredMark(std::string_view v, v1::StoredMark* out) {
  if (!out->ParseFromArray(v.data(), static_cast<int>(v.size()))) return false;
  UpgradeStoredMark(out->mutable_mark());
  return true;
}

void ApplyView(v1::MarkView view, v1::Mark* m) {
  if (view == v1::MARK_VIEW_BASIC) m->clear_sources();
}

// The stored mark in force at t (last published at or before t).
bool MarkAt(const HistoryStore& store, const std::string& name, TimeNs t, v1::StoredMark* out,
            absl::Status* status) {
  auto it = store.NewIterator(Family::kMarks, MarkPrefix(name), MarkPrefixEnd(name));
  it->SeekForPrev(MarkKey(name, t, UINT64_MAX));
  *status = it->status();
  return it->Valid() && ParseStoredMark(it->value(), out);
}

// Captures one mark during a verification replay.
class CaptureObserver final : public EngineObserver {
 public:
  CaptureObserver(uint32_t instrument, uint64_t sequence)
      : instrument_(instrument), sequence_(sequence) {}
  void OnMarkPublished(const Mark& mark) noexcept override {
    if (mark.instrument == instrument_ && mark.sequence == sequence_) {
      captured_ = mark;
      found_ = true;
    }
  }
  bool found() const { return found_; }
  const Mark& mark() const { return captured_; }

 private:
  uint32_t instrument_;
  uint64_t sequence_;
  Mark captured_{};
  bool found_ = false;
};

}  // namespace

void UpgradeStoredMark(v1::Mark* mark) {
  if (!mark->has_redemption()) return;
  v1::RedemptionDetail* r = mark->mutable_redemption();
  google::protobuf::UnknownFieldSet* unknown = r->GetReflection()->MutableUnknownFields(r);
  for (int i = 0; i < unknown->field_count(); ++i) {
    const google::protobuf::UnknownField& f = unknown->field(i);
    if (f.number() != 1 || f.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    v1::RedemptionPolicy policy;
    if (v1::RedemptionPolicy_Parse(absl::StrCat("REDEMPTION_POLICY_", f.length_delimited()),
                                   &policy)) {
      r->set_policy(policy);
    }
    unknown->DeleteSubrange(i, 1);
    return;
  }
}

AuditQueries::AuditQueries(const Config& config, StoreFn store, const signing::MarkSigner* signer)
    : config_(config), store_(std::move(store)), signer_(signer) {}

std::optional<ApiError> AuditQueries::ListMarks(const v1::ListMarksRequest& req,
                                                v1::ListMarksResponse* out,
                                                const Cancelled& cancelled) const {
  int idx;
  if (auto e = FindInstrument(config_, req.instrument(), &idx)) return e;
  TimeNs lo, hi;
  if (auto e = ReadRange(req.has_start_time(), req.start_time(), req.has_end_time(), req.end_time(),
                         &lo, &hi))
    return e;
  int page;
  if (auto e = CoercePageSize(req.page_size(), kAuditPageLimits, &page)) return e;
  if (!v1::Order_IsValid(req.order()) || !v1::MarkView_IsValid(req.view())) {
    return Err(ErrorReason::kInvalidArgument, "order or view: unknown value",
               v1::Order_IsValid(req.order()) ? "view" : "order");
  }
  const bool newest_first = req.order() == v1::ORDER_NEWEST_FIRST;
  const uint64_t query =
      PageQueryHash(absl::StrCat("marks|", req.instrument(), "|", lo, "|", hi, "|", req.order(),
                                 "|", static_cast<int>(req.view())));
  std::string resume;
  if (auto e = ReadPageToken(req.page_token(), query, &resume)) return e;
  std::shared_ptr<HistoryStore> store = store_();
  if (!store) return Unavailable(config_);

  const std::string& name = req.instrument();
  auto it = store->NewIterator(Family::kMarks, MarkKey(name, lo, 0), MarkKey(name, hi, 0));
  if (newest_first) {
    if (resume.empty()) {
      it->SeekToLast();
    } else {
      it->SeekForPrev(resume);
    }
  } else {
    if (resume.empty()) {
      it->SeekToFirst();
    } else {
      it->Seek(resume);
    }
  }
  v1::StoredMark sm;
  int n = 0;
  for (; it->Valid() && n < page; newest_first ? it->Prev() : it->Next()) {
    if ((n & 255) == 255 && cancelled && cancelled()) {
      return Err(ErrorReason::kCancelled, "the client cancelled the call");
    }
    if (!ParseStoredMark(it->value(), &sm)) {
      return Err(ErrorReason::kInternal, "a stored mark is unreadable (corrupt record)");
    }
    v1::Mark* m = out->add_marks();
    m->Swap(sm.mutable_mark());
    ApplyView(req.view(), m);
    ++n;
  }
  if (!it->status().ok()) return ReadFailure(it->status());
  if (it->Valid()) out->set_next_page_token(MakePageToken(query, it->key()));
  return std::nullopt;
}

std::optional<ApiError> AuditQueries::GetMarkAt(const v1::GetMarkAtRequest& req,
                                                v1::GetMarkAtResponse* out) const {
  int idx;
  if (auto e = FindInstrument(config_, req.instrument(), &idx)) return e;
  if (!req.has_read_time()) {
    return Err(ErrorReason::kInvalidTimeRange, "read_time: required", "read_time");
  }
  TimeNs t;
  if (auto e = ReadTime(true, req.read_time(), 0, "read_time", &t)) return e;
  std::shared_ptr<HistoryStore> store = store_();
  if (!store) return Unavailable(config_);
  v1::StoredMark sm;
  absl::Status st;
  if (!MarkAt(*store, req.instrument(), t, &sm, &st)) {
    if (!st.ok()) return ReadFailure(st);
    return WithMetadata(
        Err(ErrorReason::kMarkNotFound,
            absl::StrCat("no stored mark of ", req.instrument(), " at or before that time")),
        "instrument", req.instrument());
  }
  out->set_event_sequence(sm.event_sequence());
  FillDuration(t - ToNs(sm.mark().publish_time()), out->mutable_age());
  out->mutable_mark()->Swap(sm.mutable_mark());
  ApplyView(req.view(), out->mutable_mark());
  return std::nullopt;
}

std::optional<ApiError> AuditQueries::GetTwap(const v1::GetTwapRequest& req,
                                              v1::GetTwapResponse* out) const {
  int idx;
  if (auto e = FindInstrument(config_, req.instrument(), &idx)) return e;
  if (!req.has_start_time() || !req.has_end_time()) {
    return Err(ErrorReason::kInvalidTimeRange, "start_time and end_time: both required",
               req.has_start_time() ? "end_time" : "start_time");
  }
  TimeNs lo, hi;
  if (auto e = ReadRange(true, req.start_time(), true, req.end_time(), &lo, &hi)) return e;
  std::shared_ptr<HistoryStore> store = store_();
  if (!store) return Unavailable(config_);
  // Accumulators at t: the stored ones of the mark in force, extended to t.
  struct At {
    int128 pdt = 0;
    int64_t dt = 0;
    uint64_t sequence = 0;
  };
  auto at = [&](TimeNs t, At* a) -> std::optional<ApiError> {
    v1::StoredMark sm;
    absl::Status st;
    if (!MarkAt(*store, req.instrument(), t, &sm, &st)) {
      if (!st.ok()) return ReadFailure(st);
      return std::nullopt;  // nothing before t: zeros
    }
    a->pdt = Int128FromBytes(sm.twap_price_ns());
    a->dt = sm.twap_priced_ns();
    a->sequence = sm.mark().sequence();
    if (sm.mark().has_price()) {
      const TimeNs since = t - ToNs(sm.mark().publish_time());
      a->pdt += static_cast<int128>(sm.mark().price().mantissa()) * since;
      a->dt += since;
    }
    return std::nullopt;
  };
  At a, b;
  if (auto e = at(lo, &a)) return e;
  if (auto e = at(hi, &b)) return e;
  FillDuration(hi - lo, out->mutable_window_duration());
  FillDuration(b.dt - a.dt, out->mutable_priced_duration());
  out->set_start_mark_sequence(a.sequence);
  out->set_end_mark_sequence(b.sequence);
  if (b.dt - a.dt > 0) {
    int128 v = DivRoundHalfEven(b.pdt - a.pdt, b.dt - a.dt);
    out->mutable_twap()->set_mantissa(static_cast<int64_t>(v));
    out->mutable_twap()->set_exponent(config_.instruments[static_cast<size_t>(idx)].price_exponent);
  }
  return std::nullopt;
}

namespace {

// Which stored events a ListEvents request selects: trades and quotes of the matching feeds, and
// the redemption rates of the instrument (when it names one and no venue).
struct EventFilter {
  std::vector<bool> feed_match;  // by feed id
  int rate_pair = -1;
};

EventFilter MakeEventFilter(const Config& config, int instrument, int venue) {
  EventFilter f;
  f.feed_match.assign(config.feeds.size(), false);
  for (size_t i = 0; i < config.feeds.size(); ++i) {
    const FeedSpec& feed = config.feeds[i];
    bool ok = venue < 0 || feed.venue_id == static_cast<uint32_t>(venue);
    if (ok && instrument >= 0) {
      ok = std::any_of(feed.routes.begin(), feed.routes.end(), [&](const FeedRoute& r) {
        return r.instrument == static_cast<uint32_t>(instrument);
      });
    }
    f.feed_match[i] = ok;
  }
  if (instrument >= 0 && venue < 0 &&
      config.instruments[static_cast<size_t>(instrument)].redemption_priced) {
    f.rate_pair =
        static_cast<int>(config.instruments[static_cast<size_t>(instrument)].rate_pair_id);
  }
  return f;
}

// The core's clock bounds the sequences: from after the last timer before `lo` to the first
// timer at or after `hi`.
std::optional<ApiError> SequenceRange(const HistoryStore& store, TimeNs lo, TimeNs hi,
                                      uint64_t* first_seq, uint64_t* end_seq) {
  *first_seq = 1;
  *end_seq = UINT64_MAX;
  auto ti = store.NewIterator(Family::kTimeIndex);
  if (lo > kMinTime) {
    ti->SeekForPrev(TimeKey(lo - 1));
    if (ti->Valid()) *first_seq = ReadU64BE(ti->value()) + 1;
  }
  if (hi < kMaxTime) {
    ti->Seek(TimeKey(hi));
    if (ti->Valid()) *end_seq = ReadU64BE(ti->value());
  }
  if (!ti->status().ok()) return ReadFailure(ti->status());
  return std::nullopt;
}

// ApplyResult in API numbering: each value is one more (0 is the proto's UNSPECIFIED).
v1::EventResult ResultProto(ApplyResult r) {
  static_assert(static_cast<int>(ApplyResult::kAccepted) + 1 == v1::EVENT_RESULT_ACCEPTED);
  static_assert(static_cast<int>(ApplyResult::kRateStored) + 1 == v1::EVENT_RESULT_RATE_STORED);
  static_assert(static_cast<int>(ApplyResult::kRejectedCrossedBook) + 1 ==
                v1::EVENT_RESULT_REJECTED_CROSSED_BOOK);
  static_assert(static_cast<int>(ApplyResult::kIgnoredOutOfOrder) + 1 ==
                v1::EVENT_RESULT_IGNORED_OUT_OF_ORDER);
  return static_cast<v1::EventResult>(static_cast<int>(r) + 1);
}

// The event as the API shows it, appended to `out` when the filter selects it; null otherwise.
v1::StoredEvent* AddSelectedEvent(const Config& config, const EventFilter& filter, const Event& e,
                                  v1::ListEventsResponse* out) {
  if ((e.type == EventType::kTrade || e.type == EventType::kQuote) &&
      e.id < filter.feed_match.size() && filter.feed_match[e.id]) {
    const FeedSpec& feed = config.feeds[e.id];
    v1::StoredEvent* se = out->add_events();
    se->set_type(e.type == EventType::kTrade ? v1::STORED_EVENT_TYPE_TRADE
                                             : v1::STORED_EVENT_TYPE_QUOTE);
    se->set_venue(config.venues[feed.venue_id].name);
    se->set_pair(feed.pair);
    if (e.type == EventType::kTrade) {
      se->mutable_price()->set_mantissa(e.a);
      se->mutable_price()->set_exponent(e.exp_a);
      se->mutable_size()->set_mantissa(e.c);
      se->mutable_size()->set_exponent(e.exp_c);
    } else {
      se->mutable_bid()->set_mantissa(e.a);
      se->mutable_bid()->set_exponent(e.exp_a);
      se->mutable_ask()->set_mantissa(e.b);
      se->mutable_ask()->set_exponent(e.exp_b);
    }
    return se;
  }
  if (e.type == EventType::kRate && filter.rate_pair >= 0 &&
      e.id == static_cast<uint32_t>(filter.rate_pair)) {
    v1::StoredEvent* se = out->add_events();
    se->set_type(v1::STORED_EVENT_TYPE_RATE);
    se->set_pair(config.rate_pairs[e.id]);
    const auto source = static_cast<size_t>(e.b);
    se->set_rate_source(source < config.rate_providers.size() ? config.rate_providers[source].name
                                                              : absl::StrCat("source-", e.b));
    se->mutable_price()->set_mantissa(e.a);
    se->mutable_price()->set_exponent(e.exp_a);
    return se;
  }
  return nullptr;
}

// What one ListEvents call reads: the sequences [first_seq, end_seq) whose receive time is in
// [lo, hi), at most `page` of them returned; page tokens are bound to `query`.
struct EventScan {
  EventFilter filter;
  TimeNs lo = 0, hi = 0;
  uint64_t first_seq = 1, end_seq = UINT64_MAX;
  int page = 0;
  uint64_t query = 0;
};

std::optional<ApiError> ScanEvents(const Config& config, const HistoryStore& store,
                                   const EventScan& scan, v1::ListEventsResponse* out,
                                   const AuditQueries::Cancelled& cancelled) {
  auto it = store.NewIterator(Family::kEvents);
  uint64_t scanned = 0;
  int n = 0;
  for (it->Seek(SeqKey(scan.first_seq)); it->Valid(); it->Next()) {
    const uint64_t seq = ReadU64BE(it->key());
    if (seq >= scan.end_seq) break;
    if (n >= scan.page || scanned >= kMaxScanPerCall) {
      out->set_next_page_token(MakePageToken(scan.query, it->key()));
      break;
    }
    ++scanned;
    if ((scanned & 4095) == 0 && cancelled && cancelled()) {
      return Err(ErrorReason::kCancelled, "the client cancelled the call");
    }
    Event e;
    ApplyResult r;
    if (!DecodeEvent(it->value(), &e, &r)) continue;
    if (e.recv_time < scan.lo || e.recv_time >= scan.hi) continue;
    v1::StoredEvent* se = AddSelectedEvent(config, scan.filter, e, out);
    if (se == nullptr) continue;
    se->set_sequence(seq);
    FillTimestamp(e.event_time, se->mutable_event_time());
    FillTimestamp(e.recv_time, se->mutable_recv_time());
    se->set_venue_sequence(e.venue_sequence);
    se->set_result(ResultProto(r));
    ++n;
  }
  if (!it->status().ok()) return ReadFailure(it->status());
  out->set_scanned_record_count(scanned);
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> AuditQueries::ListEvents(const v1::ListEventsRequest& req,
                                                 v1::ListEventsResponse* out,
                                                 const Cancelled& cancelled) const {
  if (req.instrument().empty() && req.venue().empty()) {
    return Err(ErrorReason::kInvalidArgument, "instrument or venue: name at least one",
               "instrument");
  }
  int idx = -1, venue = -1;
  if (!req.instrument().empty()) {
    if (auto e = FindInstrument(config_, req.instrument(), &idx)) return e;
  }
  if (!req.venue().empty()) {
    venue = config_.FindVenue(req.venue());
    if (venue < 0)
      return WithMetadata(
          Err(ErrorReason::kVenueNotFound, absl::StrCat("no venue named ", req.venue())), "venue",
          req.venue());
  }
  TimeNs lo, hi;
  if (auto e = ReadRange(req.has_start_time(), req.start_time(), req.has_end_time(), req.end_time(),
                         &lo, &hi))
    return e;
  EventScan scan;
  scan.lo = lo;
  scan.hi = hi;
  if (auto e = CoercePageSize(req.page_size(), kAuditPageLimits, &scan.page)) return e;
  scan.query =
      PageQueryHash(absl::StrCat("events|", req.instrument(), "|", req.venue(), "|", lo, "|", hi));
  std::string resume;
  if (auto e = ReadPageToken(req.page_token(), scan.query, &resume)) return e;
  if (!resume.empty() && resume.size() != 8) {
    return Err(ErrorReason::kInvalidPageToken, "page_token: malformed", "page_token");
  }
  std::shared_ptr<HistoryStore> store = store_();
  if (!store) return Unavailable(config_);
  scan.filter = MakeEventFilter(config_, idx, venue);
  if (auto e = SequenceRange(*store, lo, hi, &scan.first_seq, &scan.end_seq)) return e;
  if (!resume.empty()) scan.first_seq = std::max(scan.first_seq, ReadU64BE(resume));
  return ScanEvents(config_, *store, scan, out, cancelled);
}

namespace {

// The stored mark a VerifyMark request names: by sequence, else the one in force at its time.
std::optional<ApiError> FindMarkToVerify(const HistoryStore& store,
                                         const v1::VerifyMarkRequest& req, v1::StoredMark* sm) {
  const std::string& name = req.instrument();
  if (req.selector_case() == v1::VerifyMarkRequest::kSequence) {
    auto t = store.Get(Family::kMarkSeq, MarkSeqKey(name, req.sequence()));
    if (!t.ok()) return ReadFailure(t.status());
    bool found = false;
    if (t->has_value() && (*t)->size() == 8) {
      auto v = store.Get(Family::kMarks, MarkKey(name, history::ReadTime(**t), req.sequence()));
      if (!v.ok()) return ReadFailure(v.status());
      found = v->has_value() && ParseStoredMark(**v, sm);
    }
    if (!found) {
      return WithMetadata(
          Err(ErrorReason::kMarkNotFound,
              absl::StrCat("no stored mark of ", name, " with sequence ", req.sequence())),
          "instrument", name);
    }
    return std::nullopt;
  }
  TimeNs t;
  if (auto e = ReadTime(true, req.read_time(), 0, "read_time", &t)) return e;
  absl::Status st;
  if (!MarkAt(store, name, t, sm, &st)) {
    if (!st.ok()) return ReadFailure(st);
    return WithMetadata(Err(ErrorReason::kMarkNotFound,
                            absl::StrCat("no stored mark of ", name, " at or before that time")),
                        "instrument", name);
  }
  return std::nullopt;
}

// How far before a mark its inputs reach: a whole TWAP window and bucket, and the oldest quote or
// trade still in force.
DurationNs InputLookback(const Config& config) {
  DurationNs lookback = 0;
  for (const InstrumentSpec& ins : config.instruments) {
    const MethodologyParams& m = ins.methodology;
    lookback = std::max(lookback, m.twap_window_ns + m.twap_bucket_ns +
                                      std::max(m.quote_max_age_ns, m.trade_max_age_ns));
  }
  return lookback;
}

struct ReplayStart {
  bool found = false;
  uint64_t seq = 0;   // the checkpoint's sequence: replay from seq + 1
  std::string value;  // the stored checkpoint
};

// The checkpoint: the newest one whose state precedes every input of the mark's windows (so the
// windows are rebuilt from stored events), or failing that the newest before the mark.
std::optional<ApiError> FindReplayStart(const HistoryStore& store, uint64_t target,
                                        TimeNs mark_time, DurationNs lookback, ReplayStart* out) {
  auto it = store.NewIterator(Family::kCheckpoints);
  for (it->SeekForPrev(SeqKey(target - 1)); it->Valid(); it->Prev()) {
    CheckpointHeader h;
    std::string_view state;
    if (!DecodeCheckpoint(it->value(), &h, &state)) continue;
    const uint64_t seq = ReadU64BE(it->key());
    if (!out->found || h.time <= mark_time - lookback) {
      out->seq = seq;
      out->value = std::string(it->value());
      out->found = true;
    }
    if (h.time <= mark_time - lookback) break;
    if (target - seq > 200'000'000) break;  // bounded: do not walk back forever
  }
  if (!it->status().ok()) return ReadFailure(it->status());
  return std::nullopt;
}

// The key that signed it, from the store (keys rotate; every key used is kept in meta).
void CheckStoredSignature(const HistoryStore& store, const v1::Mark& stored,
                          v1::VerifyMarkResponse* out) {
  if (stored.key_id().empty()) return;
  auto pem = store.Get(Family::kMeta, absl::StrCat(kMetaKeyPrefix, stored.key_id()));
  if (pem.ok() && pem->has_value()) {
    auto verifier = signing::MarkVerifier::FromPublicKeyPem(**pem);
    out->set_signature_valid(verifier.ok() && (*verifier)->Verify(stored).ok());
  }
}

// Why the events after the checkpoint cannot reproduce the mark, if they cannot: another
// methodology or configuration, or a restart without the core's state in between.
std::optional<ApiError> CheckReplayable(const Config& config, const HistoryStore& store,
                                        const CheckpointHeader& h, uint64_t cp_seq,
                                        uint64_t target) {
  if (h.methodology_version != kMethodologyVersion || h.fingerprint != config.fingerprint) {
    return Err(ErrorReason::kNotVerifiable,
               absl::StrCat("recorded under methodology ", h.methodology_version,
                            " and configuration ", h.fingerprint, "; this server runs ",
                            kMethodologyVersion, " and ", config.fingerprint));
  }
  auto it = store.NewIterator(Family::kMeta, std::string(kMetaSegmentPrefix),
                              absl::StrCat(kMetaSegmentPrefix, std::string(8, '\xff')));
  it->Seek(absl::StrCat(kMetaSegmentPrefix, SeqKey(cp_seq + 1)));
  if (it->Valid() && it->key().size() == kMetaSegmentPrefixLen + 8 &&
      ReadU64BE(it->key().substr(kMetaSegmentPrefixLen)) <= target) {
    return Err(ErrorReason::kNotVerifiable,
               "the core restarted without its state between the checkpoint and this mark");
  }
  return std::nullopt;
}

// Applies the stored events cp_seq + 1 .. target to `engine`; every one must be there.
std::optional<ApiError> ReplayStoredEvents(const HistoryStore& store, Engine& engine,
                                           uint64_t cp_seq, uint64_t target,
                                           const AuditQueries::Cancelled& cancelled,
                                           uint64_t* replayed) {
  auto it = store.NewIterator(Family::kEvents, SeqKey(cp_seq + 1), SeqKey(target + 1));
  uint64_t expect = cp_seq + 1, n = 0;
  for (it->Seek(SeqKey(cp_seq + 1)); it->Valid(); it->Next()) {
    const uint64_t seq = ReadU64BE(it->key());
    if (seq != expect) {
      return Err(ErrorReason::kNotVerifiable,
                 absl::StrCat("events ", expect, "..", seq - 1,
                              " are not stored (a persistence gap or retention)"));
    }
    Event e;
    ApplyResult r;
    if (!DecodeEvent(it->value(), &e, &r)) {
      return Err(ErrorReason::kInternal, absl::StrCat("stored event ", seq, " is unreadable"));
    }
    engine.Apply(e);
    ++expect;
    ++n;
    if ((n & 65535) == 0 && cancelled && cancelled()) {
      return Err(ErrorReason::kCancelled, "the client cancelled the call");
    }
  }
  if (!it->status().ok()) return ReadFailure(it->status());
  if (expect != target + 1) {
    return Err(ErrorReason::kNotVerifiable,
               absl::StrCat("events ", expect, "..", target, " are not stored"));
  }
  *replayed = n;
  return std::nullopt;
}

// Fills recomputed, match and differences.
void CompareWithStored(const Config& config, const signing::MarkSigner* signer,
                       const v1::Mark& stored, const Mark& recomputed,
                       v1::VerifyMarkResponse* out) {
  v1::Mark* rec = out->mutable_recomputed();
  FillMarkProto(config, recomputed, /*full=*/true, rec);
  // In the stored mark's encoding: a mark stored under v1 (no publisher_id) is re-signed as v1.
  const signing::SignedEncoding encoding = signing::EncodingOf(stored);
  if (signer != nullptr && !stored.signature().empty()) signer->Sign(rec, encoding);
  // Signed with another key (rotated since) or for another publisher_id, or unsigned now: compare
  // the content; the stored signature's validity is reported on its own (signature_valid).
  v1::Mark stored_content = stored;
  v1::Mark recomputed_content = *rec;
  // MARK_FLAG_SIGNING_FAILED says how the mark was stored (unsigned: signing failed), not what
  // was computed: the recomputation never has it (mark_signer.h).
  auto* flags = stored_content.mutable_flags();
  flags->erase(std::remove(flags->begin(), flags->end(), v1::MARK_FLAG_SIGNING_FAILED),
               flags->end());
  if (signer == nullptr || stored_content.key_id() != signer->key_id() ||
      (encoding == signing::SignedEncoding::kV2 &&
       stored_content.publisher_id() != signer->publisher_id())) {
    for (v1::Mark* m : {&stored_content, &recomputed_content}) {
      m->clear_publisher_id();
      m->clear_key_id();
      m->clear_signature();
    }
  }
  std::string a, b;
  SerializeDeterministic(stored_content, &a);
  SerializeDeterministic(recomputed_content, &b);
  out->set_match(a == b);
  if (a != b) {
    google::protobuf::util::MessageDifferencer diff;
    std::string report;
    diff.ReportDifferencesToString(&report);
    diff.Compare(stored_content, recomputed_content);
    for (absl::string_view line : absl::StrSplit(report, '\n', absl::SkipEmpty())) {
      out->add_differences(std::string(line));
      if (out->differences_size() >= 50) break;
    }
    if (out->differences_size() == 0) out->add_differences("serializations differ");
  }
}

}  // namespace

// Replays the stored events from a checkpoint before the mark through a fresh engine and
// compares the mark it publishes with the stored one.
std::optional<ApiError> AuditQueries::VerifyMark(const v1::VerifyMarkRequest& req,
                                                 v1::VerifyMarkResponse* out,
                                                 const Cancelled& cancelled) const {
  int idx;
  if (auto e = FindInstrument(config_, req.instrument(), &idx)) return e;
  if (req.selector_case() == v1::VerifyMarkRequest::SELECTOR_NOT_SET) {
    return Err(ErrorReason::kInvalidArgument, "selector: give sequence or read_time", "sequence");
  }
  if (req.selector_case() == v1::VerifyMarkRequest::kSequence && req.sequence() <= 0) {
    return Err(ErrorReason::kInvalidArgument,
               absl::StrCat("sequence: ", req.sequence(), " is not a mark sequence (from 1)"),
               "sequence");
  }
  std::shared_ptr<HistoryStore> store = store_();
  if (!store) return Unavailable(config_);
  v1::StoredMark sm;
  if (auto e = FindMarkToVerify(*store, req, &sm)) return e;
  const uint64_t target = sm.event_sequence();
  out->set_methodology_version(std::string(kMethodologyVersion));
  out->set_config_fingerprint(config_.fingerprint);
  ReplayStart start;
  if (auto e = FindReplayStart(*store, target, ToNs(sm.mark().publish_time()),
                               InputLookback(config_), &start))
    return e;
  out->mutable_stored()->CopyFrom(sm.mark());
  CheckStoredSignature(*store, sm.mark(), out);
  if (!start.found) {
    return Err(ErrorReason::kNotVerifiable,
               absl::StrCat("no stored checkpoint precedes event ", target,
                            " (retention removed it, or the record starts later)"));
  }
  CheckpointHeader h;
  std::string_view state;
  DecodeCheckpoint(start.value, &h, &state);
  if (auto e = CheckReplayable(config_, *store, h, start.seq, target)) return e;

  CaptureObserver capture(static_cast<uint32_t>(idx), sm.mark().sequence());
  auto engine = Engine::Create(config_, nullptr, &capture);
  if (!engine.ok()) return Err(ErrorReason::kInternal, std::string(engine.status().message()));
  if (absl::Status st = (*engine)->RestoreState(state); !st.ok()) {
    return Err(ErrorReason::kNotVerifiable, std::string(st.message()));
  }
  uint64_t n = 0;
  if (auto e = ReplayStoredEvents(*store, **engine, start.seq, target, cancelled, &n)) return e;
  out->set_checkpoint_sequence(start.seq);
  FillTimestamp(h.time, out->mutable_checkpoint_time());
  out->set_first_event_sequence(start.seq + 1);
  out->set_last_event_sequence(target);
  out->set_replayed_event_count(n);
  if (!capture.found()) {
    out->set_match(false);
    out->add_differences("the replay published no mark with this sequence");
    return std::nullopt;
  }
  CompareWithStored(config_, signer_, sm.mark(), capture.mark(), out);
  return std::nullopt;
}

}  // namespace oracle::history
