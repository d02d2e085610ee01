// The durable record on disk: RocksDB with one column family per kind of record.
//
//   events       key: global sequence (8 bytes big-endian)       value: records.h EncodeEvent
//   marks        key: instrument 0x00 time(8) sequence(8)         value: oracle.v1.StoredMark
//   mark_seq     key: instrument 0x00 sequence(8)                 value: time(8)
//   time_index   key: timer time(8)                               value: sequence of that timer
//   checkpoints  key: sequence(8): the core's state after it      value: records.h checkpoint
//   meta         "info", "key/<key id>" (public key PEM), "gap/<seq>", "segment/<seq>",
//                "damaged/checkpoint/<seq>" (a damaged checkpoint's bytes, kept when replaced)
// Times are nanoseconds since the epoch, big-endian with the sign bit flipped, so byte order is
// time order and range scans come out sorted.
//
// Writes go through WriteBatch (atomic across families) with the write-ahead log on; `sync`
// fsyncs the log on every batch. Reads may run on any thread while the persister writes. RocksDB's
// headers stay in history_store.cc.
#ifndef ORACLE_HISTORY_HISTORY_STORE_H_
#define ORACLE_HISTORY_HISTORY_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace oracle::history {

enum class Family : int { kEvents = 0, kMarks, kMarkSeq, kTimeIndex, kCheckpoints, kMeta };
inline constexpr int kNumFamilies = 6;

class HistoryStore {
 public:
  struct Options {
    std::string data_dir;
    bool sync = true;
    bool read_only = false;  // for tools reading a copied or stopped store
    // A rocksdb::Env* to use instead of the default (fault injection in unit tests).
    void* rocksdb_env = nullptr;
  };

  // Creates the directory and the column families when missing. The error names the directory.
  static absl::StatusOr<std::unique_ptr<HistoryStore>> Open(const Options& options);
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  const std::string& data_dir() const noexcept;

  // Bound to one store (its column families); build, Write(), Clear(), reuse.
  class WriteBatch {
   public:
    explicit WriteBatch(const HistoryStore& store);
    ~WriteBatch();
    void Put(Family f, std::string_view key, std::string_view value);
    // Deletes keys in [begin, end).
    void DeleteRange(Family f, std::string_view begin, std::string_view end);
    size_t bytes() const noexcept;
    size_t count() const noexcept;
    void Clear();

   private:
    friend class HistoryStore;
    struct Rep;
    std::unique_ptr<Rep> rep_;
  };

  // Atomic; durable in the WAL when it returns OK (fsynced if Options::sync).
  absl::Status Write(WriteBatch& batch);
  absl::StatusOr<std::optional<std::string>> Get(Family f, std::string_view key) const;
  // After a background error (e.g. the disk was full): tries to return to normal operation.
  absl::Status Resume();

  class Iterator {
   public:
    virtual ~Iterator() = default;
    virtual void SeekToFirst() = 0;
    virtual void SeekToLast() = 0;
    virtual void Seek(std::string_view key) = 0;         // first key >= key
    virtual void SeekForPrev(std::string_view key) = 0;  // last key <= key
    virtual bool Valid() const = 0;
    virtual void Next() = 0;
    virtual void Prev() = 0;
    virtual std::string_view key() const = 0;
    virtual std::string_view value() const = 0;
    virtual absl::Status status() const = 0;
  };
  // Keys limited to [lower, upper) when given (empty: unbounded). A consistent snapshot.
  std::unique_ptr<Iterator> NewIterator(Family f, std::string lower = {},
                                        std::string upper = {}) const;

 private:
  struct Rep;
  explicit HistoryStore(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace oracle::history

#endif  // ORACLE_HISTORY_HISTORY_STORE_H_
