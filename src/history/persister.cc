#include "oracle/history/persister.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <chrono>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "oracle/api/mark_proto.h"
#include "oracle/core/byte_ring.h"
#include "oracle/core/log.h"
#include "oracle/history/history_store.h"
#include "oracle/history/records.h"
#include "oracle/signing/mark_signer.h"
#include "oracle/signing/signature_cache.h"
#include "oracle/v1/audit.pb.h"

namespace oracle::history {
namespace {

constexpr uint16_t kRecordEvent = 1;
constexpr uint16_t kRecordMark = 2;
constexpr uint16_t kRecordCheckpoint = 3;
constexpr size_t kBatchBytes = 4 << 20;
constexpr int64_t kFirstBackoffNs = 100 * kNanosPerMilli;
// How long a batch that ends with a mark waits, ring empty, for the mark's event.
constexpr int64_t kMarkEventWaitNs = 100 * kNanosPerMilli;

void SleepNs(int64_t ns) { std::this_thread::sleep_for(std::chrono::nanoseconds(ns)); }

// The newest stored event's sequence (0: none). An error when it cannot be read: then where the
// stored log ends is not known, and writing could overwrite stored events.
absl::StatusOr<uint64_t> LastEventSequence(const HistoryStore& store) {
  auto it = store.NewIterator(Family::kEvents);
  it->SeekToLast();
  if (!it->status().ok()) return it->status();
  if (!it->Valid()) return 0;
  if (it->key().size() != 8) {
    return absl::DataLossError(
        absl::StrCat("the newest key is ", it->key().size(), " bytes, not a sequence"));
  }
  return ReadU64BE(it->key());
}

}  // namespace

std::string_view PersistenceStateName(PersistenceState s) noexcept {
  switch (s) {
    case PersistenceState::kDisabled:
      return "DISABLED";
    case PersistenceState::kOk:
      return "OK";
    case PersistenceState::kFailing:
      return "FAILING";
    case PersistenceState::kUnavailable:
      return "UNAVAILABLE";
  }
  return "UNKNOWN";
}

namespace {

// TWAP accumulators of one instrument, continued from mark to mark.
struct TwapAccumulator {
  bool has = false;
  TimeNs time = 0;
  bool priced = false;
  int64_t price = 0;
  int128 pdt = 0;
  int64_t dt = 0;

  // From the newest stored mark of an instrument.
  void Restore(const v1::StoredMark& sm) {
    has = true;
    time = sm.mark().publish_time().seconds() * kNanosPerSecond + sm.mark().publish_time().nanos();
    priced = sm.mark().has_price();
    price = sm.mark().price().mantissa();
    pdt = Int128FromBytes(sm.twap_price_ns());
    dt = sm.twap_priced_ns();
  }
  // The previous price held from its time until `m`'s.
  void Advance(const Mark& m) {
    if (has && m.publish_time > time && priced) {
      pdt += static_cast<int128>(price) * (m.publish_time - time);
      dt += m.publish_time - time;
    }
    has = true;
    time = std::max(time, m.publish_time);
    priced = m.has_price;
    price = m.price;
  }
};

}  // namespace

// Persister-thread state.
struct Persister::Writer {
  // The store written (null while unavailable) and how its opening is retried.
  std::shared_ptr<HistoryStore> store;
  bool ever_open = false;
  TimeNs last_open_try = 0;
  // The batch being filled, or (retrying) the one that failed, written again as it is.
  std::unique_ptr<HistoryStore::WriteBatch> batch;
  bool retrying = false;
  int failures_in_row = 0;
  int64_t backoff_ns = kFirstBackoffNs;
  bool last_was_mark = false;  // the batch ends with a mark: its event is still to come
  // Since when the batch has ended with a mark while the ring stayed empty (0: not waiting).
  TimeNs mark_wait_since = 0;
  uint64_t batch_last_seq = 0;
  uint64_t batch_events = 0, batch_marks = 0, batch_checkpoints = 0;
  uint64_t expected_seq = 0;  // next event sequence expected; 0: not known yet
  uint64_t seq_offset = 0;    // store sequence = core sequence + offset (a store opened late)
  std::vector<TwapAccumulator> accum;
  TimeNs newest_time = 0;
  TimeNs last_retention_wall = 0;
  uint64_t events_deleted_to = 0, checkpoints_deleted_to = 0;
  Mark mark;
  v1::StoredMark stored;
  std::string key, value;
  // Checkpoint values (megabytes) get their own buffer: SerializeDeterministic writes marks
  // through a StringOutputStream, which first resizes `value` to its whole capacity (zero-filled).
  std::string checkpoint;
};

Persister::Persister(const Config& config, signing::SignatureCache* signatures, void* rocksdb_env,
                     Clock clock)
    : config_(config),
      signatures_(signatures),
      signer_(signatures != nullptr ? signatures->signer() : nullptr),
      rocksdb_env_(rocksdb_env),
      ring_(std::make_unique<ByteRing>(config.history.ring_bytes)),
      writer_(std::make_unique<Writer>()),
      clock_(OrSystemClock(std::move(clock))) {
  writer_->accum.resize(config.instruments.size());
  scratch_.reserve(1 << 20);
}

Persister::~Persister() { Stop(); }

std::shared_ptr<HistoryStore> Persister::store() const {
  std::lock_guard<std::mutex> lock(mu_);
  return store_;
}

void Persister::SetError(PersistenceState state, std::string error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state == PersistenceState::kOk && !recovery_error_.empty()) {
    state = PersistenceState::kFailing;
    error = recovery_error_;
  }
  state_ = state;
  if (!error.empty()) last_error_ = std::move(error);
}

PersistenceStats Persister::stats() const {
  PersistenceStats s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.state = state_;
    s.last_error = last_error_;
  }
  s.data_dir = config_.history.data_dir;
  s.persisted_sequence = persisted_seq_.load(std::memory_order_acquire);
  s.events_written = events_written_.load(std::memory_order_relaxed);
  s.marks_written = marks_written_.load(std::memory_order_relaxed);
  s.checkpoints_written = checkpoints_written_.load(std::memory_order_relaxed);
  s.write_batches = batches_.load(std::memory_order_relaxed);
  s.write_failures = write_failures_.load(std::memory_order_relaxed);
  s.dropped_records = dropped_.load(std::memory_order_relaxed);
  s.gaps = gaps_.load(std::memory_order_relaxed);
  s.ring_bytes_used = ring_->used();
  s.ring_bytes_capacity = ring_->capacity();
  s.recovered_sequence = recovered_seq_;
  s.restored_checkpoint_sequence = restored_checkpoint_seq_;
  s.replayed_events = replayed_events_;
  s.recovery_faults = recovery_faults_.load(std::memory_order_relaxed);
  s.last_write_time = last_write_time_.load(std::memory_order_relaxed);
  return s;
}

// ---- core side ----

void Persister::Emit(uint16_t kind, uint64_t seq, const void* a, size_t na, const void* b,
                     size_t nb) noexcept {
  for (;;) {
    if (ring_->TryWrite(kind, lost_since_last_, seq, a, na, b, nb)) {
      lost_since_last_ = 0;
      return;
    }
    // Without a store nothing drains the ring: waiting would stop the core (and pricing).
    if (!config_.history.block_when_full || stop_.load(std::memory_order_relaxed) ||
        !started_.load(std::memory_order_relaxed) || !store_open_.load(std::memory_order_relaxed)) {
      break;
    }
    SleepNs(20'000);
  }
  ++lost_since_last_;
  dropped_.fetch_add(1, std::memory_order_relaxed);
  // Events before the loss cannot be replayed past it: a checkpoint after it is needed.
  checkpoint_requested_.store(true, std::memory_order_relaxed);
}

void Persister::OnMarkPublished(const Mark& mark) noexcept {
  if (recovering_) return;
  Emit(kRecordMark, next_seq_ + 1, &mark, mark.UsedBytes(), nullptr, 0);
}

void Persister::OnEventApplied(const Event& event, ApplyResult result) noexcept {
  if (recovering_) return;
  ++next_seq_;
  char buf[kEventValueSize];
  EncodeEvent(event, result, buf);
  Emit(kRecordEvent, next_seq_, buf, sizeof buf, nullptr, 0);
  if (event.type != EventType::kTimer || engine_ == nullptr) return;
  const TimeNs now = engine_->now();
  const bool requested = checkpoint_requested_.load(std::memory_order_relaxed);
  if (!requested && now - last_checkpoint_time_ < config_.history.checkpoint_interval_ns) return;
  engine_->SaveState(&scratch_);
  // A checkpoint the ring refuses is retried at the next timer; it is not a loss of data.
  if (ring_->TryWrite(kRecordCheckpoint, 0, next_seq_, &now, sizeof now, scratch_.data(),
                      scratch_.size())) {
    last_checkpoint_time_ = now;
    if (requested) checkpoint_requested_.store(false, std::memory_order_relaxed);
  } else {
    checkpoint_requested_.store(true, std::memory_order_relaxed);
  }
}

// ---- recovery ----

namespace {

// Why the stored events after `from` cannot be replayed up to `last` ("" when they can): a segment
// start after `from`, a missing event (a persistence gap, retention), or damage (*damaged: an
// event that does not decode, a read error). Reads the events once; touches no engine.
std::string WhyNotReplayable(const HistoryStore& store, uint64_t from, uint64_t last,
                             bool* damaged) {
  *damaged = false;
  {
    auto it = store.NewIterator(Family::kMeta, std::string(kMetaSegmentPrefix),
                                absl::StrCat(kMetaSegmentPrefix, std::string(8, '\xff')));
    it->SeekToLast();
    if (it->Valid() && it->key().size() == kMetaSegmentPrefixLen + 8) {
      const uint64_t segment = ReadU64BE(it->key().substr(kMetaSegmentPrefixLen));
      if (segment > from + 1 && segment <= last) {
        return absl::StrCat("a segment starts at ", segment, " after it");
      }
    }
    if (!it->status().ok()) {
      *damaged = true;
      return absl::StrCat("meta family (segments): ", it->status().message());
    }
  }
  auto it = store.NewIterator(Family::kEvents, SeqKey(from + 1), SeqKey(last + 1));
  uint64_t expect = from + 1;
  for (it->Seek(SeqKey(from + 1)); it->Valid(); it->Next(), ++expect) {
    if (it->key().size() != 8) {
      *damaged = true;
      return absl::StrCat("events family: a key of ", it->key().size(), " bytes after sequence ",
                          expect - 1, " is not a sequence");
    }
    const uint64_t seq = ReadU64BE(it->key());
    if (seq != expect) {
      return absl::StrCat("events ", expect, "..", seq - 1,
                          " are not stored (a persistence gap or retention)");
    }
    Event e;
    ApplyResult r;
    if (!DecodeEvent(it->value(), &e, &r)) {
      *damaged = true;
      return absl::StrCat("events family, sequence ", seq, ": the stored event does not decode (",
                          it->value().size(), " bytes)");
    }
  }
  if (!it->status().ok()) {
    *damaged = true;
    return absl::StrCat("events family after sequence ", expect - 1, ": ", it->status().message());
  }
  if (expect != last + 1) return absl::StrCat("events ", expect, "..", last, " are not stored");
  return "";
}

}  // namespace

// Where a restart continues from.
struct Persister::RestorePoint {
  uint64_t from = 0;            // replay the stored events after this sequence
  bool restored = false;        // a checkpoint's state is in the engine
  std::string why_not;          // why the core cannot continue the stored log; empty: it can
  bool damaged = false;         // damaged records were met (each noted)
  std::string damaged_at_last;  // a damaged checkpoint at the last sequence (it is replaced)

  // A damaged checkpoint: the next older one is tried.
  void Skip(uint64_t seq, uint64_t last, std::string_view value) {
    damaged = true;
    if (seq == last) damaged_at_last.assign(value);
  }
};

void Persister::ResetEngine() {
  absl::Status st = engine_->RestoreState(empty_state_);
  if (!st.ok())
    Logf(LogLevel::kError, "oracled: history: resetting the core failed: %s",
         std::string(st.message()).c_str());
}

// Newest first. A checkpoint of another configuration, methodology or build ends the search
// (events after it were applied under that configuration); so does one whose events cannot be
// replayed (an older one would replay them too). A damaged one (it does not decode, or its state
// does not restore) is skipped for the next older one.
Persister::RestorePoint Persister::FindRestorePoint(const HistoryStore& store, uint64_t last) {
  RestorePoint p;
  auto it = store.NewIterator(Family::kCheckpoints);
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
    const uint64_t seq = it->key().size() == 8 ? ReadU64BE(it->key()) : 0;
    if (seq > last) continue;  // a checkpoint of events that were not stored: impossible, skip
    const std::string where = absl::StrCat("checkpoints family, sequence ", seq, ": ");
    CheckpointHeader h;
    std::string_view state;
    if (it->key().size() != 8 || !DecodeCheckpoint(it->value(), &h, &state)) {
      NoteRecoveryFault(absl::StrCat(where, "the checkpoint does not decode (", it->value().size(),
                                     " bytes); trying the next older one"));
      p.Skip(seq, last, it->value());
      continue;
    }
    if (h.methodology_version != kMethodologyVersion || h.fingerprint != config_.fingerprint) {
      p.why_not = "it was recorded under another configuration or methodology";
      break;
    }
    bool damaged = false;
    if (std::string why = WhyNotReplayable(store, seq, last, &damaged); !why.empty()) {
      if (damaged) NoteRecoveryFault(why);
      p.damaged |= damaged;
      p.why_not = absl::StrCat("the checkpoint at ", seq, " cannot be continued: ", why);
      break;
    }
    if (absl::Status st = engine_->RestoreState(state); !st.ok()) {
      ResetEngine();
      if (absl::IsFailedPrecondition(st)) {  // another build: not damage
        p.why_not = absl::StrCat("the checkpoint at ", seq, ": ", st.message());
        break;
      }
      NoteRecoveryFault(absl::StrCat(where, st.message(), "; trying the next older one"));
      p.Skip(seq, last, it->value());
      continue;
    }
    p.from = seq;
    p.restored = true;
    break;
  }
  if (p.restored || !p.why_not.empty()) return p;
  if (!it->status().ok()) {
    p.damaged = true;
    p.why_not = absl::StrCat("checkpoints family: ", it->status().message());
    NoteRecoveryFault(p.why_not);
  } else if (last > 0) {
    p.why_not = p.damaged ? "no stored checkpoint restores" : "it has no checkpoint";
  }
  return p;
}

void Persister::PutIdentity(HistoryStore::WriteBatch& batch) const {
  batch.Put(Family::kMeta, kMetaInfo,
            absl::StrCat("methodology_version=", kMethodologyVersion,
                         "\nconfig_fingerprint=", config_.fingerprint, "\n"));
  if (signer_ != nullptr) {
    batch.Put(Family::kMeta, absl::StrCat(kMetaKeyPrefix, signer_->key_id()),
              signer_->public_key_pem());
  }
}

HistoryStore::Options Persister::StoreOptions() const {
  HistoryStore::Options options;
  options.data_dir = config_.history.data_dir;
  options.sync = config_.history.sync;
  options.rocksdb_env = rocksdb_env_;
  return options;
}

void Persister::NoteRecoveryFault(std::string what) {
  recovery_faults_.fetch_add(1, std::memory_order_relaxed);
  Logf(LogLevel::kWarning, "oracled: history %s: %s", config_.history.data_dir.c_str(),
       what.c_str());
  std::lock_guard<std::mutex> lock(mu_);
  last_error_ = std::move(what);
}

void Persister::FailUntilRestart(std::string what) {
  Logf(LogLevel::kError, "oracled: history %s FAILING until restart: %s; live marks go on",
       config_.history.data_dir.c_str(), what.c_str());
  std::lock_guard<std::mutex> lock(mu_);
  recovery_error_ = what;
  last_error_ = std::move(what);
  state_ = PersistenceState::kFailing;
}

void Persister::RefuseUnreadableStore(const absl::Status& st) {
  NoteRecoveryFault(absl::StrCat("events family: the newest event cannot be read: ", st.message()));
  FailUntilRestart(absl::StrCat("the newest stored event cannot be read (", st.message(),
                                "); nothing is recorded while it cannot"));
}

void Persister::StartNewSegment(uint64_t last, const RestorePoint& point,
                                HistoryStore::WriteBatch& batch) {
  const std::string why =
      absl::StrCat("the core starts empty (the stored history cannot be continued: ", point.why_not,
                   "); a new segment begins at ", last + 1);
  Logf(LogLevel::kWarning, "oracled: history in %s: %s", config_.history.data_dir.c_str(),
       why.c_str());
  batch.Put(
      Family::kMeta, absl::StrCat(kMetaSegmentPrefix, SeqKey(last + 1)),
      absl::StrCat("configuration ", config_.fingerprint, " ", kMethodologyVersion, ": ", why));
  if (point.damaged) FailUntilRestart(why);
}

absl::Status Persister::Recover(Engine* engine) {
  engine_ = engine;
  engine->SaveState(&empty_state_);
  auto opened = HistoryStore::Open(StoreOptions());
  if (!opened.ok()) {
    // No record is kept of what the core does meanwhile: data is lost.
    Logf(LogLevel::kError,
         "oracled: history UNAVAILABLE (%s); serving live marks without a record, "
         "retrying every second",
         std::string(opened.status().message()).c_str());
    SetError(PersistenceState::kUnavailable, std::string(opened.status().message()));
    last_checkpoint_time_ = engine->now();
    return absl::OkStatus();
  }
  std::shared_ptr<HistoryStore> store(std::move(*opened));
  const absl::StatusOr<uint64_t> last_or = LastEventSequence(*store);
  if (!last_or.ok()) {
    RefuseUnreadableStore(last_or.status());
    last_checkpoint_time_ = engine->now();
    return absl::OkStatus();  // `store` closes here; the persister thread tries again
  }
  const uint64_t last = *last_or;
  RestorePoint point = FindRestorePoint(*store, last);
  if (point.why_not.empty()) {
    absl::StatusOr<uint64_t> replayed = ReplayStoredEvents(*store, point.from);
    if (replayed.ok()) {
      restored_checkpoint_seq_ = point.from;
      replayed_events_ = *replayed;
      if (point.restored || *replayed > 0) engine->PublishRestored();
    } else {  // read between WhyNotReplayable and here
      ResetEngine();
      point.damaged = true;
      point.why_not = std::string(replayed.status().message());
      NoteRecoveryFault(point.why_not);
    }
  }
  HistoryStore::WriteBatch batch(*store);
  if (!point.why_not.empty()) StartNewSegment(last, point, batch);
  if (!point.damaged_at_last.empty()) {
    // The recovery checkpoint takes its key: keep the damaged bytes.
    batch.Put(Family::kMeta, absl::StrCat(kMetaDamagedCheckpointPrefix, SeqKey(last)),
              point.damaged_at_last);
  }
  recovered_seq_ = last;
  next_seq_ = last;
  persisted_seq_.store(last, std::memory_order_release);
  WriteRecoveryCheckpoint(*store, last, batch);
  last_checkpoint_time_ = engine->now();
  writer_->expected_seq = last + 1;
  writer_->seq_offset = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    store_ = store;
  }
  store_open_.store(true, std::memory_order_relaxed);
  LogRecovered(last, point);
  return absl::OkStatus();
}

void Persister::LogRecovered(uint64_t last, const RestorePoint& point) const {
  if (!point.why_not.empty() || (!point.restored && last == 0)) return;
  const bool fell_back = point.restored && point.damaged;
  Logf(fell_back ? LogLevel::kWarning : LogLevel::kInfo,
       "oracled: history %s: %llu events stored; restored the %scheckpoint at %llu and "
       "replayed %llu events",
       config_.history.data_dir.c_str(), static_cast<unsigned long long>(last),
       fell_back ? "older " : "", static_cast<unsigned long long>(restored_checkpoint_seq_),
       static_cast<unsigned long long>(replayed_events_));
}

absl::StatusOr<uint64_t> Persister::ReplayStoredEvents(const HistoryStore& store, uint64_t from) {
  recovering_ = true;  // the observer calls are for events already stored
  auto it = store.NewIterator(Family::kEvents, SeqKey(from + 1));
  uint64_t n = 0;
  for (it->Seek(SeqKey(from + 1)); it->Valid(); it->Next()) {
    Event e;
    ApplyResult r;
    if (!DecodeEvent(it->value(), &e, &r)) {
      recovering_ = false;
      return absl::DataLossError(absl::StrCat("events family, sequence ", ReadU64BE(it->key()),
                                              ": the stored event does not decode"));
    }
    engine_->Apply(e);
    ++n;
  }
  recovering_ = false;
  if (!it->status().ok()) {
    return absl::DataLossError(absl::StrCat("events family: ", it->status().message()));
  }
  return n;
}

// A checkpoint of the state we continue from: the next restart or verification starts here.
void Persister::WriteRecoveryCheckpoint(HistoryStore& store, uint64_t last,
                                        HistoryStore::WriteBatch& batch) {
  engine_->SaveState(&scratch_);
  CheckpointHeader h{engine_->now(), std::string(kMethodologyVersion), config_.fingerprint};
  std::string value;
  EncodeCheckpointHeader(h, &value);
  value.append(scratch_);
  batch.Put(Family::kCheckpoints, SeqKey(last), value);
  PutIdentity(batch);
  absl::Status st = store.Write(batch);
  if (!st.ok()) {
    SetError(PersistenceState::kFailing, std::string(st.message()));
  } else {
    checkpoints_written_.fetch_add(1, std::memory_order_relaxed);
    SetError(PersistenceState::kOk, "");
  }
}

// ---- persister thread ----

void Persister::Start() {
  if (started_.exchange(true)) return;
  thread_ = std::thread([this] { Run(); });
}

void Persister::Stop(DurationNs drain_timeout_ns) {
  if (started_.load()) {
    drain_deadline_ = clock_() + drain_timeout_ns;
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  // The thread is gone, but RocksDB is not done with the directory: the last writes may have
  // switched a full memtable to a new write-ahead log and scheduled its flush, which RocksDB's
  // own background thread runs later (creating the next NNNNNN.sst, then deleting obsolete
  // files). Until the store is closed that can happen at any time; a caller that removes or copies
  // data_dir after Stop() (engine_alloc_test's teardown did, and failed with "cannot remove:
  // Directory not empty" when the flush created its table file in the middle of remove_all)
  // would race it. Closing the store here (DB::Close waits for running flushes and compactions
  // and closes the info LOG) makes Stop() the end of every write into data_dir.
  CloseStore();
}

void Persister::CloseStore() {
  std::shared_ptr<HistoryStore> store;
  {
    std::lock_guard<std::mutex> lock(mu_);
    store = std::move(store_);
  }
  // Queries in flight hold it too; it closes when the last one ends.
  while (store.use_count() > 1) SleepNs(kNanosPerMilli);
  store.reset();
}

bool Persister::TryOpen(bool continuing) {
  auto opened = HistoryStore::Open(StoreOptions());
  if (!opened.ok()) {
    SetError(PersistenceState::kUnavailable, std::string(opened.status().message()));
    return false;
  }
  std::shared_ptr<HistoryStore> store(std::move(*opened));
  if (continuing) {
    checkpoint_requested_.store(true, std::memory_order_relaxed);
    Logf(LogLevel::kInfo, "oracled: history %s reopened", config_.history.data_dir.c_str());
    std::lock_guard<std::mutex> lock(mu_);
    store_ = store;
    return true;
  }
  // Opened after the core started: its sequences are shifted past the stored ones, and a segment
  // starts (the core's state there does not follow from the stored events).
  const absl::StatusOr<uint64_t> last_or = LastEventSequence(*store);
  if (!last_or.ok()) {
    SetError(PersistenceState::kFailing,
             absl::StrCat("the newest stored event cannot be read (", last_or.status().message(),
                          "); nothing is recorded while it cannot"));
    return false;
  }
  const uint64_t last = *last_or;
  Writer& w = *writer_;
  w.seq_offset = last;
  w.expected_seq = last + 1;
  HistoryStore::WriteBatch batch(*store);
  batch.Put(Family::kMeta, absl::StrCat(kMetaSegmentPrefix, SeqKey(last + 1)),
            absl::StrCat("configuration ", config_.fingerprint, " ", kMethodologyVersion,
                         ": store opened after the core started; earlier events not recorded"));
  PutIdentity(batch);
  absl::Status st = store->Write(batch);
  if (!st.ok()) {
    SetError(PersistenceState::kUnavailable, std::string(st.message()));
    return false;
  }
  persisted_seq_.store(last, std::memory_order_release);
  checkpoint_requested_.store(true, std::memory_order_relaxed);
  Logf(LogLevel::kInfo, "oracled: history %s opened; recording from sequence %llu",
       config_.history.data_dir.c_str(), static_cast<unsigned long long>(last) + 1);
  {
    std::lock_guard<std::mutex> lock(mu_);
    store_ = store;
  }
  SetError(PersistenceState::kOk, "");
  return true;
}

// The loop: open the store when it is not, move what the ring holds into a batch, write it
// (retrying a failure), apply retention when due, and when stopping, drain the ring until it is
// empty or the drain deadline passes.
void Persister::Run() {
  Writer& w = *writer_;
  w.store = this->store();
  w.ever_open = static_cast<bool>(w.store);
  if (w.store) InitAccumulators();
  for (;;) {
    const bool stopping = stop_.load(std::memory_order_acquire);
    if (!w.store) {
      if (stopping) break;
      if (!OpenStoreIfDue()) SleepNs(20 * kNanosPerMilli);
      continue;
    }
    if (!w.batch) w.batch = std::make_unique<HistoryStore::WriteBatch>(*w.store);
    const size_t records = FillBatch();
    if (w.batch->count() > 0 && (!w.last_was_mark || stopping || MarksEventIsLost(records))) {
      const WriteStep step = WritePendingBatch(stopping);
      if (step == WriteStep::kStop) break;
      if (step == WriteStep::kRetry) continue;
    }
    ApplyRetentionIfDue();
    if (records == 0) {
      if (stopping && ring_->Empty()) break;
      if (stopping && clock_() >= drain_deadline_.load()) break;
      SleepNs(200'000);
    }
  }
  w.batch.reset();
  w.store.reset();
  store_open_.store(false, std::memory_order_relaxed);
}

// A mark is written with its event, which the core emits right after it. When the ring refused
// that event (it was full: the next record will carry the gap), the batch would wait for it until
// the core applies another event, which on a quiet feed may be never, and a recovered store would
// stay FAILING that long. So a batch that has ended with a mark for kMarkEventWaitNs of the
// persister's clock while the ring stayed empty is written without its event.
bool Persister::MarksEventIsLost(size_t records_taken) {
  Writer& w = *writer_;
  if (!w.last_was_mark || records_taken > 0) {
    w.mark_wait_since = 0;
    return false;
  }
  const TimeNs now = clock_();
  if (w.mark_wait_since == 0) w.mark_wait_since = now;
  return now - w.mark_wait_since >= kMarkEventWaitNs;
}

bool Persister::OpenStoreIfDue() {
  Writer& w = *writer_;
  const TimeNs now = clock_();
  if (now - w.last_open_try < kNanosPerSecond) return false;
  w.last_open_try = now;
  if (!TryOpen(w.ever_open)) return false;
  w.store = this->store();
  w.ever_open = true;
  store_open_.store(true, std::memory_order_relaxed);
  InitAccumulators();
  return true;
}

// Accumulators continue from the newest stored mark of each instrument. When it cannot be read
// they start from zero, and stored TWAPs across this point would be wrong: FAILING until restart.
void Persister::InitAccumulators() {
  Writer& w = *writer_;
  for (size_t i = 0; i < config_.instruments.size(); ++i) {
    const std::string& name = config_.instruments[i].name;
    auto it = w.store->NewIterator(Family::kMarks, MarkPrefix(name), MarkPrefixEnd(name));
    it->SeekToLast();
    TwapAccumulator& a = w.accum[i];
    a = TwapAccumulator{};
    v1::StoredMark sm;
    std::string fault;
    if (!it->status().ok()) {
      fault = absl::StrCat("marks family, instrument ", name, ": ", it->status().message());
    } else if (!it->Valid()) {
      continue;
    } else if (!sm.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      std::string_view instrument;
      TimeNs t = 0;
      uint64_t seq = 0;
      DecodeMarkKey(it->key(), &instrument, &t, &seq);
      fault =
          absl::StrCat("marks family, instrument ", name, ", sequence ", seq,
                       ": the newest stored mark does not parse (", it->value().size(), " bytes)");
    }
    if (fault.empty()) {
      a.Restore(sm);
      continue;
    }
    NoteRecoveryFault(fault);
    FailUntilRestart(absl::StrCat(fault, "; its TWAP accumulators start again from zero"));
  }
}

// Moves records from the ring into the batch; it ends after an event or a checkpoint, never
// between a mark and its event. A batch that failed is retried as it is: nothing more joins it
// (the ring holds the rest). Returns how many records were taken.
size_t Persister::FillBatch() {
  Writer& w = *writer_;
  size_t records = 0;
  ByteRing::Record rec;
  while (!w.retrying && (w.batch->bytes() < kBatchBytes || w.last_was_mark) && ring_->Peek(&rec)) {
    const uint64_t seq = rec.seq + w.seq_offset;
    if (rec.aux > 0 || (rec.kind == kRecordEvent && w.expected_seq != 0 && seq != w.expected_seq)) {
      AddGap(rec.kind, seq, rec.aux);
    }
    switch (rec.kind) {
      case kRecordEvent:
        AddEvent(seq, rec.payload);
        break;
      case kRecordMark:
        AddMark(seq, rec.payload);
        break;
      case kRecordCheckpoint:
        AddCheckpoint(seq, rec.payload);
        break;
      default:
        break;
    }
    w.last_was_mark = rec.kind == kRecordMark;
    ring_->Pop();
    ++records;
  }
  return records;
}

// Records were lost before this one (the ring was full): keep a gap record.
void Persister::AddGap(uint16_t kind, uint64_t seq, uint32_t lost) {
  Writer& w = *writer_;
  const uint64_t first = w.expected_seq != 0 ? w.expected_seq : seq;
  std::string gap;
  AppendU64BE(&gap, seq >= first ? seq - (kind == kRecordEvent ? 1 : 0) : seq);
  AppendU64BE(&gap, lost);
  w.batch->Put(Family::kMeta, absl::StrCat(kMetaGapPrefix, SeqKey(first)), gap);
  gaps_.fetch_add(1, std::memory_order_relaxed);
  checkpoint_requested_.store(true, std::memory_order_relaxed);
}

void Persister::AddEvent(uint64_t seq, std::string_view payload) {
  Writer& w = *writer_;
  w.batch->Put(Family::kEvents, SeqKey(seq), payload);
  Event e;
  ApplyResult r;
  if (DecodeEvent(payload, &e, &r) && e.type == EventType::kTimer) {
    w.batch->Put(Family::kTimeIndex, TimeKey(e.event_time), SeqKey(seq));
    if (e.event_time > w.newest_time) w.newest_time = e.event_time;
  }
  w.expected_seq = seq + 1;
  w.batch_last_seq = seq;
  ++w.batch_events;
}

// The mark as oracle.v1.StoredMark (signed when a key is configured) with its running TWAP
// accumulators, under its time and its sequence.
void Persister::AddMark(uint64_t seq, std::string_view payload) {
  Writer& w = *writer_;
  std::memset(static_cast<void*>(&w.mark), 0, sizeof(Mark));
  std::memcpy(static_cast<void*>(&w.mark), payload.data(), std::min(payload.size(), sizeof(Mark)));
  const Mark& m = w.mark;
  if (m.instrument >= config_.instruments.size()) return;
  const std::string& name = config_.instruments[m.instrument].name;
  w.stored.Clear();
  FillMarkProto(config_, m, /*full=*/true, w.stored.mutable_mark());
  if (signatures_ != nullptr) signatures_->Sign(m.instrument, w.stored.mutable_mark());
  TwapAccumulator& a = w.accum[m.instrument];
  a.Advance(m);
  w.stored.set_event_sequence(seq);
  w.stored.set_twap_price_ns(Int128Bytes(a.pdt));
  w.stored.set_twap_priced_ns(a.dt);
  SerializeDeterministic(w.stored, &w.value);
  w.batch->Put(Family::kMarks, MarkKey(name, m.publish_time, m.sequence), w.value);
  w.key.clear();
  AppendTime(&w.key, m.publish_time);
  w.batch->Put(Family::kMarkSeq, MarkSeqKey(name, m.sequence), w.key);
  ++w.batch_marks;
}

void Persister::AddCheckpoint(uint64_t seq, std::string_view payload) {
  Writer& w = *writer_;
  if (payload.size() < sizeof(TimeNs)) return;
  TimeNs t;
  std::memcpy(&t, payload.data(), sizeof t);
  CheckpointHeader h{t, std::string(kMethodologyVersion), config_.fingerprint};
  w.checkpoint.clear();
  EncodeCheckpointHeader(h, &w.checkpoint);
  w.checkpoint.append(payload.substr(sizeof t));
  w.batch->Put(Family::kCheckpoints, SeqKey(seq), w.checkpoint);
  ++w.batch_checkpoints;
}

Persister::WriteStep Persister::WritePendingBatch(bool stopping) {
  Writer& w = *writer_;
  absl::Status st = w.store->Write(*w.batch);
  if (!st.ok()) return OnWriteFailed(st, stopping);
  batches_.fetch_add(1, std::memory_order_relaxed);
  events_written_.fetch_add(w.batch_events, std::memory_order_relaxed);
  marks_written_.fetch_add(w.batch_marks, std::memory_order_relaxed);
  checkpoints_written_.fetch_add(w.batch_checkpoints, std::memory_order_relaxed);
  w.batch_events = w.batch_marks = w.batch_checkpoints = 0;
  if (w.batch_last_seq > 0) persisted_seq_.store(w.batch_last_seq, std::memory_order_release);
  last_write_time_.store(clock_(), std::memory_order_relaxed);
  w.batch->Clear();
  w.backoff_ns = kFirstBackoffNs;
  w.failures_in_row = 0;
  w.retrying = false;
  bool recovered;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A recovery error keeps FAILING (SetError): only the end of a write failure is news.
    recovered = state_ != PersistenceState::kOk && (writes_failing_ || recovery_error_.empty());
    writes_failing_ = false;
  }
  if (recovered) {
    Log(LogLevel::kInfo, "oracled: history writes recovered");
    SetError(PersistenceState::kOk, "");
  }
  return WriteStep::kWritten;
}

// Reports the failure (FAILING), waits with back-off and has the batch retried; after three
// failures that RocksDB cannot resume from, drops the batch and reopens the store.
Persister::WriteStep Persister::OnWriteFailed(const absl::Status& st, bool stopping) {
  Writer& w = *writer_;
  write_failures_.fetch_add(1, std::memory_order_relaxed);
  bool first;
  {
    std::lock_guard<std::mutex> lock(mu_);
    first = !writes_failing_;
    writes_failing_ = true;
    state_ = PersistenceState::kFailing;
    last_error_ = std::string(st.message());
  }
  if (first) {
    Logf(LogLevel::kWarning, "oracled: history write failed (%s); live marks go on, retrying",
         std::string(st.message()).c_str());
  }
  if (stopping && clock_() >= drain_deadline_.load()) return WriteStep::kStop;
  SleepNs(w.backoff_ns);
  w.backoff_ns = std::min<int64_t>(w.backoff_ns * 2, 2 * kNanosPerSecond);
  w.retrying = true;
  if (w.store->Resume().ok() || ++w.failures_in_row < 3) {
    return WriteStep::kRetry;  // the same batch again; the ring waits (and overflows if it must)
  }
  DropBatchAndCloseStore();
  return WriteStep::kRetry;
}

// RocksDB will not resume (e.g. its write-ahead log failed): drop the unwritten batch (recorded as
// a gap: the next write starts after the last acknowledged event), close the store and open it
// again; queries see HISTORY_UNAVAILABLE meanwhile.
void Persister::DropBatchAndCloseStore() {
  Writer& w = *writer_;
  w.failures_in_row = 0;
  w.retrying = false;
  w.batch.reset();
  w.batch_events = w.batch_marks = w.batch_checkpoints = 0;
  w.batch_last_seq = 0;
  w.expected_seq = persisted_seq_.load(std::memory_order_acquire) + 1;
  {
    std::lock_guard<std::mutex> lock(mu_);
    store_.reset();
  }
  store_open_.store(false, std::memory_order_relaxed);
  // Queries in flight hold the old store; it closes when the last one ends.
  while (w.store.use_count() > 1) SleepNs(kNanosPerMilli);
  w.store.reset();
  w.last_open_try = 0;
}

// Retention by age of core time, once per retention_check_interval of the persister's clock.
void Persister::ApplyRetentionIfDue() {
  Writer& w = *writer_;
  const TimeNs wall = clock_();
  if (wall - w.last_retention_wall >= config_.history.retention_check_interval_ns &&
      w.newest_time > 0) {
    w.last_retention_wall = wall;
    ApplyRetention(*w.store, w.newest_time);
  }
}

void Persister::ApplyRetention(HistoryStore& store, TimeNs newest) {
  const HistorySpec& h = config_.history;
  Writer& w = *writer_;
  HistoryStore::WriteBatch batch(store);
  // The newest stored timer before `cutoff`: it and every event before it are older (the core's
  // clock is the newest receive time, so events applied before a timer were received by then).
  // 0 when nothing is that old.
  auto last_seq_before = [&](TimeNs cutoff) -> uint64_t {
    auto it = store.NewIterator(Family::kTimeIndex);
    it->SeekForPrev(TimeKey(cutoff - 1));
    return it->Valid() ? ReadU64BE(it->value()) : 0;
  };
  if (h.events_retention_ns > 0) {
    const TimeNs cutoff = newest - h.events_retention_ns;
    const uint64_t seq = last_seq_before(cutoff);
    if (seq > w.events_deleted_to) {
      w.events_deleted_to = seq;
      batch.DeleteRange(Family::kEvents, SeqKey(0), SeqKey(seq + 1));
      batch.DeleteRange(Family::kTimeIndex, TimeKey(INT64_MIN / 2), TimeKey(cutoff));
    }
  }
  if (h.checkpoints_retention_ns > 0) {
    const uint64_t seq = last_seq_before(newest - h.checkpoints_retention_ns);
    if (seq > 0) {
      // Keep the newest checkpoint at or before the last deleted event: replaying the first kept
      // event needs that state.
      auto it = store.NewIterator(Family::kCheckpoints);
      it->SeekForPrev(SeqKey(seq));
      if (it->Valid() && ReadU64BE(it->key()) > w.checkpoints_deleted_to) {
        w.checkpoints_deleted_to = ReadU64BE(it->key());
        batch.DeleteRange(Family::kCheckpoints, SeqKey(0), std::string(it->key()));
      }
    }
  }
  if (h.marks_retention_ns > 0) {
    const TimeNs cutoff = newest - h.marks_retention_ns;
    for (const InstrumentSpec& ins : config_.instruments) {
      const std::string cut = MarkKey(ins.name, cutoff, 0);
      auto it = store.NewIterator(Family::kMarks, MarkPrefix(ins.name), MarkPrefixEnd(ins.name));
      it->SeekToFirst();
      if (!it->Valid() || it->key() >= cut) continue;  // nothing that old: no tombstone
      it->Seek(cut);
      std::string_view name;
      TimeNs t;
      uint64_t first_kept = 0;
      if (it->Valid() && DecodeMarkKey(it->key(), &name, &t, &first_kept)) {
        batch.DeleteRange(Family::kMarkSeq, MarkSeqKey(ins.name, 0),
                          MarkSeqKey(ins.name, first_kept));
      } else {
        batch.DeleteRange(Family::kMarkSeq, MarkPrefix(ins.name), MarkPrefixEnd(ins.name));
      }
      batch.DeleteRange(Family::kMarks, MarkPrefix(ins.name), cut);
    }
  }
  if (batch.count() > 0) {
    absl::Status st = store.Write(batch);
    if (!st.ok()) SetError(PersistenceState::kFailing, std::string(st.message()));
  }
}

}  // namespace oracle::history
