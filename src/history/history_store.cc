#include "oracle/history/history_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"

namespace oracle::history {
namespace {

constexpr std::string_view kFamilyNames[kNumFamilies] = {"events",     "marks",       "mark_seq",
                                                         "time_index", "checkpoints", "meta"};

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(absl::string_view(what.data(), what.size()), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsIOError() || s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) {
    return absl::UnavailableError(msg);
  }
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  return absl::InternalError(msg);
}

class RocksIterator final : public HistoryStore::Iterator {
 public:
  RocksIterator(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, std::string lower,
                std::string upper)
      : lower_(std::move(lower)), upper_(std::move(upper)) {
    rocksdb::ReadOptions ro;
    if (!lower_.empty()) {
      lower_slice_ = rocksdb::Slice(lower_);
      ro.iterate_lower_bound = &lower_slice_;
    }
    if (!upper_.empty()) {
      upper_slice_ = rocksdb::Slice(upper_);
      ro.iterate_upper_bound = &upper_slice_;
    }
    it_.reset(db->NewIterator(ro, cf));
  }
  void SeekToFirst() override { it_->SeekToFirst(); }
  void SeekToLast() override { it_->SeekToLast(); }
  void Seek(std::string_view key) override { it_->Seek(ToSlice(key)); }
  void SeekForPrev(std::string_view key) override { it_->SeekForPrev(ToSlice(key)); }
  bool Valid() const override { return it_->Valid(); }
  void Next() override { it_->Next(); }
  void Prev() override { it_->Prev(); }
  std::string_view key() const override {
    rocksdb::Slice k = it_->key();
    return {k.data(), k.size()};
  }
  std::string_view value() const override {
    rocksdb::Slice v = it_->value();
    return {v.data(), v.size()};
  }
  absl::Status status() const override { return FromRocks(it_->status(), "reading history"); }

 private:
  std::string lower_, upper_;
  rocksdb::Slice lower_slice_, upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

struct HistoryStore::Rep {
  Options options;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // by Family
  rocksdb::WriteOptions write_options;

  ~Rep() {
    if (db) {
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      handles.clear();
      db->Close();
    }
  }
};

struct HistoryStore::WriteBatch::Rep {
  const std::vector<rocksdb::ColumnFamilyHandle*>* handles;
  rocksdb::WriteBatch batch;
};

HistoryStore::WriteBatch::WriteBatch(const HistoryStore& store) : rep_(std::make_unique<Rep>()) {
  rep_->handles = &store.rep_->handles;
}
HistoryStore::WriteBatch::~WriteBatch() = default;

void HistoryStore::WriteBatch::Put(Family f, std::string_view key, std::string_view value) {
  rep_->batch.Put((*rep_->handles)[static_cast<int>(f)], ToSlice(key), ToSlice(value))
      .PermitUncheckedError();
}

void HistoryStore::WriteBatch::DeleteRange(Family f, std::string_view begin, std::string_view end) {
  rep_->batch.DeleteRange((*rep_->handles)[static_cast<int>(f)], ToSlice(begin), ToSlice(end))
      .PermitUncheckedError();
}

size_t HistoryStore::WriteBatch::bytes() const noexcept { return rep_->batch.GetDataSize(); }
size_t HistoryStore::WriteBatch::count() const noexcept {
  return static_cast<size_t>(rep_->batch.Count());
}
void HistoryStore::WriteBatch::Clear() { rep_->batch.Clear(); }

HistoryStore::HistoryStore(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
HistoryStore::~HistoryStore() = default;

const std::string& HistoryStore::data_dir() const noexcept { return rep_->options.data_dir; }

absl::StatusOr<std::unique_ptr<HistoryStore>> HistoryStore::Open(const Options& options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("history: data_dir is empty");
  if (!options.read_only) {
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) {
      return absl::UnavailableError(absl::StrCat("history: cannot create data directory ",
                                                 options.data_dir, ": ", ec.message()));
    }
  }
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 4;
  db_options.max_total_wal_size = 256ull << 20;
  if (options.rocksdb_env != nullptr)
    db_options.env = static_cast<rocksdb::Env*>(options.rocksdb_env);

  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (int f = 0; f < kNumFamilies; ++f) {
    rocksdb::ColumnFamilyOptions cf;
    cf.write_buffer_size =
        (f == static_cast<int>(Family::kEvents) || f == static_cast<int>(Family::kMarks))
            ? 64ull << 20
            : 8ull << 20;
    cf.compression = rocksdb::kLZ4Compression;
    families.emplace_back(std::string(kFamilyNames[f]), cf);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options.data_dir, families, &handles, &raw)
          : rocksdb::DB::Open(db_options, options.data_dir, families, &handles, &raw);
  if (!s.ok()) {
    return FromRocks(s, absl::StrCat("history: cannot open RocksDB in ", options.data_dir));
  }
  rep->db.reset(raw);
  // handles[0] is "default"; keep it out of the by-family table.
  rep->db->DestroyColumnFamilyHandle(handles[0]);
  rep->handles.assign(handles.begin() + 1, handles.end());
  rep->write_options.sync = options.sync;
  return std::unique_ptr<HistoryStore>(new HistoryStore(std::move(rep)));
}

absl::Status HistoryStore::Write(WriteBatch& batch) {
  if (rep_->options.read_only) return absl::FailedPreconditionError("history: opened read-only");
  return FromRocks(rep_->db->Write(rep_->write_options, &batch.rep_->batch), "history: write");
}

absl::StatusOr<std::optional<std::string>> HistoryStore::Get(Family f, std::string_view key) const {
  std::string value;
  rocksdb::Status s = rep_->db->Get(rocksdb::ReadOptions(), rep_->handles[static_cast<int>(f)],
                                    ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "history: read");
  return std::optional<std::string>(std::move(value));
}

absl::Status HistoryStore::Resume() { return FromRocks(rep_->db->Resume(), "history: resume"); }

std::unique_ptr<HistoryStore::Iterator> HistoryStore::NewIterator(Family f, std::string lower,
                                                                  std::string upper) const {
  return std::make_unique<RocksIterator>(rep_->db.get(), rep_->handles[static_cast<int>(f)],
                                         std::move(lower), std::move(upper));
}

}  // namespace oracle::history
