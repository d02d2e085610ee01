// The persister: every event the core consumes and every mark it publishes, written to RocksDB off
// the core thread.
//
// Core side (EngineObserver, on the core's thread): each applied event gets the next global
// sequence and is copied with its marks into a byte ring (allocation-free, never waits unless the
// configuration says overflow BLOCK). Every checkpoint_interval of core time, and after a loss or
// a restart, the core's state (Engine::SaveState) goes into the ring too.
//
// Persister thread: drains the ring into write batches that end on an event boundary (so a stored
// event always has its marks), converts marks to oracle.v1.StoredMark (signed when a key is
// configured, with running TWAP accumulators), writes them atomically with the WAL on, and then
// advances persisted_sequence: the acknowledged watermark. When a write fails (disk full, an
// unwritable directory) it keeps the batch, reports FAILING, retries with back-off (RocksDB
// Resume()), and the core goes on publishing marks; records the full ring refuses are counted and
// stored as a gap so that no verification silently spans them. When the store cannot be opened at
// all, it retries the open every second (state UNAVAILABLE).
//
// Restart (Recover): the newest checkpoint made under the same configuration fingerprint and
// methodology version is restored into the engine and the events stored after it are applied
// again, so the core continues exactly where the stored log ends; the first marks after a restart
// equal those an uninterrupted process would have published from the same events.
//
// Damaged history never stops pricing (README "History faults"). Recover reads the store but
// never fails because of what it holds: a checkpoint that does not decode or restore is skipped
// for the next older one (said in the log and last_error, counted in recovery_faults); when none
// can be continued from, the core starts empty and a new segment begins, as for a new
// configuration. When damage (an unreadable record or a read error) is why the stored log cannot
// be continued, the state is FAILING until the process restarts, whatever later writes do. A store
// whose newest event cannot be read is not written at all (the persister retries it every second).
// Nothing stored is deleted; a damaged checkpoint that the recovery checkpoint would replace is
// first copied to meta "damaged/checkpoint/<seq>".
#ifndef ORACLE_HISTORY_PERSISTER_H_
#define ORACLE_HISTORY_PERSISTER_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oracle/aggregation/engine.h"
#include "oracle/config/config.h"
#include "oracle/core/clock.h"
#include "oracle/history/history_store.h"

namespace oracle {
class ByteRing;
}  // namespace oracle

namespace oracle::signing {
class MarkSigner;
class SignatureCache;
}  // namespace oracle::signing

namespace oracle::history {

class HistoryStore;

enum class PersistenceState : int { kDisabled = 0, kOk, kFailing, kUnavailable };
std::string_view PersistenceStateName(PersistenceState s) noexcept;  // "OK", ...

struct PersistenceStats {
  PersistenceState state = PersistenceState::kDisabled;
  std::string data_dir;
  std::string last_error;
  uint64_t persisted_sequence = 0;
  uint64_t events_written = 0;
  uint64_t marks_written = 0;
  uint64_t checkpoints_written = 0;
  uint64_t write_batches = 0;
  uint64_t write_failures = 0;
  uint64_t dropped_records = 0;
  uint64_t gaps = 0;
  uint64_t ring_bytes_used = 0;
  uint64_t ring_bytes_capacity = 0;
  uint64_t recovered_sequence = 0;
  uint64_t restored_checkpoint_sequence = 0;
  uint64_t replayed_events = 0;
  // Damaged records met at start (checkpoints skipped, unreadable events or marks, read errors).
  uint64_t recovery_faults = 0;
  TimeNs last_write_time = 0;
};

class Persister final : public EngineObserver {
 public:
  // `signatures` may be null, or have no signer (marks are stored unsigned); shared with the API so
  // each mark is signed once; it must outlive the persister. Options come from config.history
  // (data_dir must be set). `rocksdb_env` is for fault-injection tests. `clock` (empty: the system
  // clock) is read on the persister thread and in Stop() only: the drain deadline, the retries of
  // an unavailable store, the retention checks and last_write_time. The core side never reads it.
  Persister(const Config& config, signing::SignatureCache* signatures, void* rocksdb_env = nullptr,
            Clock clock = {});
  ~Persister() override;

  // Opens the store and brings `engine` (created with this persister as its observer, not yet
  // running) to the end of the stored log. A store that cannot be opened is not an error: the
  // engine starts empty and the persister thread keeps trying (state UNAVAILABLE). Nor is damaged
  // history (above): the engine starts from an older checkpoint or empty. Returns OK.
  absl::Status Recover(Engine* engine);
  void Start();
  // Stops the thread after writing what the ring holds (at most `drain_timeout_ns`), then closes
  // the store: it waits for queries still reading it (store() is null from here on) and for
  // RocksDB's background flushes, so nothing writes into data_dir once Stop() returns. Do not hold
  // a store() reference across Stop(). Idempotent.
  void Stop(DurationNs drain_timeout_ns = 10 * kNanosPerSecond);

  // EngineObserver: core thread only.
  void OnEventApplied(const Event& event, ApplyResult result) noexcept override;
  void OnMarkPublished(const Mark& mark) noexcept override;

  // Any thread.
  PersistenceStats stats() const;
  uint64_t persisted_sequence() const noexcept {
    return persisted_seq_.load(std::memory_order_acquire);
  }
  // The open store for queries (null while unavailable). Kept alive by the caller's reference.
  std::shared_ptr<HistoryStore> store() const;

 private:
  struct Writer;  // persister-thread state
  enum class WriteStep { kWritten, kRetry, kStop };

  // Core side.
  void Emit(uint16_t kind, uint64_t seq, const void* a, size_t na, const void* b,
            size_t nb) noexcept;

  // Recovery (the caller's thread, before Start).
  HistoryStore::Options StoreOptions() const;
  struct RestorePoint;
  // The newest checkpoint the stored log can be continued from, restored into the engine (the
  // engine is left empty when there is none). Damage met on the way is noted.
  RestorePoint FindRestorePoint(const HistoryStore& store, uint64_t last);
  // Applies the stored events after `from` to the engine; returns how many.
  absl::StatusOr<uint64_t> ReplayStoredEvents(const HistoryStore& store, uint64_t from);
  // Back to the state of an engine that applied nothing.
  void ResetEngine();
  // The core starts empty after `last`: a segment record says why.
  void StartNewSegment(uint64_t last, const RestorePoint& point, HistoryStore::WriteBatch& batch);
  // The store opened but its newest event cannot be read: it is closed, not written (FAILING).
  void RefuseUnreadableStore(const absl::Status& st);
  void LogRecovered(uint64_t last, const RestorePoint& point) const;
  void WriteRecoveryCheckpoint(HistoryStore& store, uint64_t last, HistoryStore::WriteBatch& batch);

  // Persister thread.
  void Run();
  // Opens the store from the persister thread. `continuing`: a store this persister already wrote
  // (reopened after a failure): the sequence space goes on; otherwise a store that could not be
  // opened at start: the core's sequences are shifted past the stored ones and a segment starts.
  bool TryOpen(bool continuing);
  // TryOpen once a second; true when the store is open now.
  bool OpenStoreIfDue();
  // The batch ends with a mark whose event did not come (see persister.cc); persister thread.
  bool MarksEventIsLost(size_t records_taken);
  void InitAccumulators();
  size_t FillBatch();
  void AddGap(uint16_t kind, uint64_t seq, uint32_t lost);
  void AddEvent(uint64_t seq, std::string_view payload);
  void AddMark(uint64_t seq, std::string_view payload);
  void AddCheckpoint(uint64_t seq, std::string_view payload);
  // After the thread ended: drops store_, waits until no query holds the store, destroys it.
  void CloseStore();
  WriteStep WritePendingBatch(bool stopping);
  WriteStep OnWriteFailed(const absl::Status& st, bool stopping);
  void DropBatchAndCloseStore();
  void ApplyRetentionIfDue();
  void ApplyRetention(HistoryStore& store, TimeNs newest);

  // kOk becomes kFailing (with the recovery error) while a recovery error stands.
  void SetError(PersistenceState state, std::string error);
  // A damaged record met at start: counted, logged, kept as last_error.
  void NoteRecoveryFault(std::string what);
  // The stored log could not be continued because of damage: FAILING until restart.
  void FailUntilRestart(std::string what);
  // meta "info" (methodology version, configuration fingerprint) and the signing key.
  void PutIdentity(HistoryStore::WriteBatch& batch) const;

  const Config& config_;
  signing::SignatureCache* signatures_;
  const signing::MarkSigner* signer_;
  void* rocksdb_env_;
  std::unique_ptr<ByteRing> ring_;
  std::unique_ptr<Writer> writer_;
  const Clock clock_;

  // Core side.
  Engine* engine_ = nullptr;
  bool recovering_ = false;
  uint64_t next_seq_ = 0;  // sequence of the last event handed over
  TimeNs last_checkpoint_time_ = 0;
  uint32_t lost_since_last_ = 0;  // records refused since the last one accepted
  std::string scratch_;           // checkpoint state (capacity kept)
  std::string empty_state_;       // the engine's state before it applied anything
  std::atomic<bool> checkpoint_requested_{false};

  // Shared.
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};
  // The persister has a store to drain the ring into: only then does block_when_full wait.
  std::atomic<bool> store_open_{false};
  std::atomic<int64_t> drain_deadline_{0};
  std::atomic<uint64_t> persisted_seq_{0};
  std::atomic<uint64_t> dropped_{0};
  mutable std::mutex mu_;  // guards store_ (the pointer) and error_/state_ text
  std::shared_ptr<HistoryStore> store_;
  PersistenceState state_ = PersistenceState::kUnavailable;
  std::string last_error_;
  std::string recovery_error_;   // set once at start: FAILING until restart
  bool writes_failing_ = false;  // the last write failed (its recovery is logged)
  std::atomic<uint64_t> events_written_{0}, marks_written_{0}, checkpoints_written_{0}, batches_{0},
      write_failures_{0}, gaps_{0}, recovery_faults_{0};
  std::atomic<int64_t> last_write_time_{0};
  uint64_t recovered_seq_ = 0, restored_checkpoint_seq_ = 0, replayed_events_ = 0;
};

}  // namespace oracle::history

#endif  // ORACLE_HISTORY_PERSISTER_H_
