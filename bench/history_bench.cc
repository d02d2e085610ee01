// Benchmarks of the history (issue 5): the persister's throughput behind a real core, what the
// persister costs the core's hot path, and the audit queries over one day of marks.
//
//   build-bench/bench/history_bench                                  # everything, ~1.5 minutes
//   build-bench/bench/history_bench --benchmark_filter=Persister     # persister throughput only
//
// Environment:
//   ORACLE_HISTORY_BENCH_DIR     where the RocksDB stores go (default /tmp); each run works in its
//                                own subdirectory oracle_history_bench.<pid>, removed at the end
//   ORACLE_HISTORY_BENCH_KEEP=1  keep that subdirectory
//   ORACLE_HISTORY_BENCH_EVENTS  events per persister-throughput run (default 10,000,000)
//
// What is measured, and what a regression would mean:
//  - Persister throughput: a real Persister (RocksDB, WAL on, sync true and false) as the observer
//    of a real Engine, block_when_full so nothing is dropped and the measured rate is the
//    persister's own. One thread applies a synthetic stream (a quote on a random feed every 1 us of
//    event time, a timer every 100 ms, the redemption ratios once a second) as fast as it can; the
//    time runs until persisted_sequence() reaches the last event. On the default configuration
//    (9 instruments: only 90 marks per second of event time) and on the 1,000 x 8 benchmark
//    configuration of core_bench (10,000 marks per second of event time). Target (issue 5): the
//    persister keeps up with 1,000,000 events/s and 10,000 marks/s with bounded memory (peak RSS
//    is VmHWM, reset before each run; RSS is also sampled per half of the run). Fewer events/s
//    means a live core at that rate fills the ring and then drops records (or, with BLOCK,
//    stalls).
//  - Core-side cost: ns per Engine::Apply with and without the persister attached (chunks that fit
//    the ring, so the core never waits for the disk), wall and core-thread CPU time. A regression
//    is latency on the hot path.
// Counters that must hold, or the run is reported as an error: dropped == 0 (records the ring
// refused), events and marks written == applied and published, rejected == 0 (the synthetic
// stream is valid), match == 1 (VerifyMark recomputed the stored mark).
//  - Audit queries over one day of 100 ms marks of one instrument (864,000 StoredMarks written
//    through HistoryStore): ListMarks paging (1,000 per page), GetMarkAt and GetTwap at random
//    instants, VerifyMark of a mark about 60 s after a checkpoint. No numeric target; a regression
//    is slower audits.
#include <benchmark/benchmark.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_config.h"
#include "oracle/aggregation/engine.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/api/mark_proto.h"
#include "oracle/config/config.h"
#include "oracle/history/audit.h"
#include "oracle/history/history_store.h"
#include "oracle/history/persister.h"
#include "oracle/history/records.h"
#include "oracle/v1/audit.pb.h"

namespace oracle::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using history::Int128Bytes;
using history::SerializeDeterministic;

constexpr TimeNs kStart = 1'760'054'400LL * kNanosPerSecond;  // 2025-10-10T00:00:00Z
constexpr uint64_t kDayMarks = 864'000;                       // one day of 100 ms marks
constexpr DurationNs kMarkInterval = 100 * kNanosPerMilli;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// CPU time of the calling thread: what it ran, not what it waited for a CPU.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void Die(const std::string& what) {
  std::fprintf(stderr, "history_bench: %s\n", what.c_str());
  std::exit(1);
}

// ---- environment, directories, memory ----

const std::string& WorkDir() {
  static const std::string* const dir = [] {
    const char* root = std::getenv("ORACLE_HISTORY_BENCH_DIR");
    fs::path p = (root != nullptr && *root != '\0') ? fs::path(root) : fs::path("/tmp");
    p /= "oracle_history_bench." + std::to_string(getpid());
    std::error_code ec;
    fs::create_directories(p, ec);
    if (ec) Die("cannot create " + p.string() + ": " + ec.message());
    return new std::string(p.string());
  }();
  return *dir;
}

std::string StoreDir(const std::string& name) { return WorkDir() + "/" + name; }

void RemoveDir(const std::string& dir) {
  const char* keep = std::getenv("ORACLE_HISTORY_BENCH_KEEP");
  if (keep != nullptr && std::string(keep) == "1") return;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

uint64_t EventsPerRun() {
  const char* v = std::getenv("ORACLE_HISTORY_BENCH_EVENTS");
  if (v == nullptr || *v == '\0') return 10'000'000;
  return std::strtoull(v, nullptr, 10);
}

// Bytes of the files under `dir`: all, write-ahead logs (*.log), tables (*.sst).
struct DiskUse {
  uint64_t total = 0, wal = 0, sst = 0;
};
DiskUse DirBytes(const std::string& dir) {
  DiskUse d;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    const uint64_t n = e.file_size();
    d.total += n;
    const std::string ext = e.path().extension().string();
    if (ext == ".log") d.wal += n;
    if (ext == ".sst") d.sst += n;
  }
  return d;
}

// kB fields of /proc/self/status ("VmRSS", "VmHWM"), in bytes.
uint64_t ProcStatusBytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0) {
      return std::strtoull(line.c_str() + prefix.size(), nullptr, 10) * 1024;
    }
  }
  return 0;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false when not permitted.
bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// ---- configurations and the synthetic stream ----

Config DefaultConfig() {
  auto c = LoadDefaultConfig();
  if (!c.ok()) Die(std::string(c.status().message()));
  return *std::move(c);
}

// Rough real prices by base asset; anything else (the benchmark configuration) trades near 100.
double BasePrice(const std::string& pair) {
  static const std::map<std::string, double> prices = {
      {"BTC", 100000}, {"ETH", 4000},   {"SOL", 200},   {"USDT", 1},    {"USDC", 1},
      {"USDE", 1},     {"WBETH", 4300}, {"BNSOL", 210}, {"SUSDE", 1.19}};
  auto it = prices.find(pair.substr(0, pair.find('-')));
  return it == prices.end() ? 100.0 : it->second;
}

double RatioFor(const std::string& pair) {
  if (pair == "WBETH-ETH") return 1.075;
  if (pair == "BNSOL-SOL") return 1.05;
  if (pair == "SUSDE-USDE") return 1.19;
  return 1.0;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : x_(seed | 1) {}
  uint64_t Next() noexcept {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 7;
    x_ ^= x_ << 17;
    return x_;
  }

 private:
  uint64_t x_;
};

// The core's input as the brief's synthetic market: one quote every 1e9 / events_per_second ns of
// event time on a random feed (a mean-reverting random walk of 1 ppm steps around BasePrice, a
// 1 bp spread, exponent -8), a timer on every publication grid point, and every non-constant
// redemption ratio once per second of event time.
class EventStream {
 public:
  EventStream(const Config& cfg, int64_t events_per_second, uint64_t seed)
      : gap_ns_(kNanosPerSecond / events_per_second),
        interval_ns_(cfg.publish_interval_ns),
        rng_(seed) {
    for (const FeedSpec& f : cfg.feeds) {
      const auto m = static_cast<int64_t>(std::llround(BasePrice(f.pair) * 1e8));
      base_.push_back(m);
      mid_.push_back(m);
      step_.push_back(std::max<int64_t>(1, m / 1'000'000));
      half_spread_.push_back(std::max<int64_t>(1, m / 20'000));
    }
    for (const RateProviderSpec& p : cfg.rate_providers) {
      if (p.kind == RateProviderKind::kConstant) continue;
      rates_.push_back({p.rate_pair_id, p.source_id,
                        static_cast<int64_t>(std::llround(RatioFor(p.pair) * 1e9))});
    }
  }

  Event Next() noexcept {
    if (t_ >= next_timer_) {
      const Event e = Event::Timer(kStart + next_timer_);
      next_timer_ += interval_ns_;
      return e;
    }
    if (t_ >= next_rate_ && !rates_.empty()) {
      const RateFeed& r = rates_[rate_i_];
      const Event e = Event::Rate(r.pair, kStart + t_, kStart + t_, Decimal{r.ratio, -9}, r.source);
      if (++rate_i_ == rates_.size()) {
        rate_i_ = 0;
        next_rate_ += kNanosPerSecond;
      }
      return e;
    }
    const size_t f = static_cast<size_t>(rng_.Next() % mid_.size());
    int64_t& m = mid_[f];
    m += (static_cast<int64_t>(rng_.Next() % 3) - 1) * step_[f] + (base_[f] - m) / 4096;
    const TimeNs t = kStart + t_;
    t_ += gap_ns_;
    return Event::Quote(static_cast<uint32_t>(f), t, t, Decimal{m - half_spread_[f], -8},
                        Decimal{m + half_spread_[f], -8});
  }

  // Event time of the next quote, relative to kStart.
  DurationNs offset() const noexcept { return t_; }

 private:
  struct RateFeed {
    uint32_t pair;
    uint32_t source;
    int64_t ratio;
  };
  DurationNs gap_ns_;
  DurationNs interval_ns_;
  Rng rng_;
  std::vector<int64_t> base_, mid_, step_, half_spread_;
  std::vector<RateFeed> rates_;
  size_t rate_i_ = 0;
  DurationNs t_ = 0, next_timer_ = 0, next_rate_ = 0;
};

uint64_t Rejected(const EngineTotals& t) {
  return t.rejected_unknown_feed + t.rejected_non_positive + t.rejected_crossed +
         t.rejected_future + t.rejected_out_of_range + t.ignored_out_of_order + t.rates_rejected;
}

// ---- (1) persister throughput ----

struct PersistRun {
  std::string label;
  size_t instruments = 0, feeds = 0;
  bool sync = false;
  uint64_t events = 0, timers = 0, marks_published = 0, rejected = 0;
  history::PersistenceStats stats;
  double apply_s = 0;     // the core's loop, including waits for ring space (BLOCK)
  double wall_s = 0;      // first Apply until persisted_sequence() == last event
  DiskUse disk;           // after the run (store closed)
  DiskUse disk_reopened;  // after reopening it (the log flushed into tables)
  uint64_t rss_before = 0, peak_rss = 0, rss_max_first_half = 0, rss_max_second_half = 0;
  uint64_t ring_max_used = 0;
  uint64_t checkpoint_max_bytes = 0;  // the largest stored checkpoint
  bool peak_reset = false;
};

std::vector<PersistRun>& PersistRuns() {
  static auto* runs = new std::vector<PersistRun>;
  return *runs;
}
// The store of the default-configuration run without sync, kept for VerifyMark.
std::string& KeptThroughputStore() {
  static auto* dir = new std::string;
  return *dir;
}

PersistRun RunPersister(const std::string& label, Config config, bool sync, uint64_t events,
                        int64_t events_per_second, const std::string& dir) {
  config.history.data_dir = dir;
  config.history.sync = sync;
  config.history.block_when_full = true;
  PersistRun r;
  r.label = label;
  r.instruments = config.instruments.size();
  r.feeds = config.feeds.size();
  r.sync = sync;
  r.events = events;
  malloc_trim(0);  // return what earlier runs freed, so the baseline is this run's own
  r.peak_reset = ResetPeakRss();
  r.rss_before = ProcStatusBytes("VmRSS");

  MarkTable table(config.instruments.size());
  auto persister = std::make_unique<history::Persister>(config, nullptr);
  auto engine = Engine::Create(config, &table, persister.get());
  if (!engine.ok()) Die(std::string(engine.status().message()));
  if (absl::Status st = persister->Recover(engine->get()); !st.ok()) {
    Die(std::string(st.message()));
  }
  persister->Start();
  EventStream stream(config, events_per_second, 7);

  // RSS and ring use, sampled every 20 ms, split by the first and second half of the events.
  std::atomic<uint64_t> applied{0};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done.load(std::memory_order_relaxed)) {
      const uint64_t rss = ProcStatusBytes("VmRSS");
      uint64_t& slot = applied.load(std::memory_order_relaxed) < events / 2 ? r.rss_max_first_half
                                                                            : r.rss_max_second_half;
      slot = std::max(slot, rss);
      r.ring_max_used = std::max(r.ring_max_used, persister->stats().ring_bytes_used);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  const auto t0 = Clock::now();
  for (uint64_t i = 0; i < events; ++i) {
    (*engine)->Apply(stream.Next());
    if ((i & 0xffff) == 0) applied.store(i, std::memory_order_relaxed);
  }
  applied.store(events, std::memory_order_relaxed);
  const auto t1 = Clock::now();
  while (persister->persisted_sequence() < events) {
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  const auto t2 = Clock::now();
  done.store(true);
  sampler.join();
  r.apply_s = Seconds(t1 - t0);
  r.wall_s = Seconds(t2 - t0);
  r.stats = persister->stats();
  const EngineTotals totals = (*engine)->totals();
  r.timers = totals.timers;
  r.marks_published = totals.marks_published;
  r.rejected = Rejected(totals);
  r.peak_rss = ProcStatusBytes("VmHWM");
  persister->Stop();
  engine->reset();
  persister.reset();  // closes the store
  r.disk = DirBytes(dir);
  {
    // Reopened read-write, RocksDB replays the write-ahead log into tables (flush on recovery):
    // the size after it is the record as tables only.
    history::HistoryStore::Options options;
    options.data_dir = dir;
    options.sync = false;
    auto store = history::HistoryStore::Open(options);
    if (!store.ok()) Die(std::string(store.status().message()));
    auto it = (*store)->NewIterator(history::Family::kCheckpoints);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      r.checkpoint_max_bytes = std::max<uint64_t>(r.checkpoint_max_bytes, it->value().size());
    }
  }
  r.disk_reopened = DirBytes(dir);
  return r;
}

void BM_PersisterThroughput(benchmark::State& state, bool bench_config, bool sync) {
  const std::string label =
      std::string(bench_config ? "1000x8" : "default") + "/sync:" + (sync ? "true" : "false");
  const std::string dir = StoreDir(std::string("persist_") + (bench_config ? "1000x8" : "default") +
                                   (sync ? "_sync" : "_nosync"));
  RemoveDir(dir);
  Config config = bench_config ? BenchConfigOrDie(BenchConfigOptions{}) : DefaultConfig();
  PersistRun r;
  for (auto _ : state) {
    r = RunPersister(label, config, sync, EventsPerRun(), 1'000'000, dir);
    state.SetIterationTime(r.wall_s);
  }
  const auto ev = static_cast<double>(r.stats.events_written);
  const auto marks = static_cast<double>(r.stats.marks_written);
  state.counters["events_per_s"] = ev / r.wall_s;
  state.counters["marks_per_s"] = marks / r.wall_s;
  state.counters["core_events_per_s"] = static_cast<double>(r.events) / r.apply_s;
  state.counters["disk_bytes_per_event"] = static_cast<double>(r.disk.total) / ev;
  state.counters["disk_bytes_per_event_flushed"] = static_cast<double>(r.disk_reopened.total) / ev;
  state.counters["peak_rss_MiB"] = static_cast<double>(r.peak_rss) / (1 << 20);
  state.counters["ring_max_used_MiB"] = static_cast<double>(r.ring_max_used) / (1 << 20);
  state.counters["dropped"] = static_cast<double>(r.stats.dropped_records);
  state.counters["rejected"] = static_cast<double>(r.rejected);
  if (r.stats.events_written != r.events || r.stats.dropped_records != 0 ||
      r.stats.marks_written != r.marks_published) {
    state.SkipWithError("persister lost records: events/marks written != applied/published");
  } else if (r.rejected != 0) {
    state.SkipWithError("the core rejected synthetic events");
  }
  PersistRuns().push_back(r);
  if (!bench_config && !sync) {
    KeptThroughputStore() = dir;
  } else {
    RemoveDir(dir);
  }
}

// ---- core-side cost of the observer ----

struct ApplyCost {
  int mode = 0;
  double ns_per_event = 0;
  double cpu_ns_per_event = 0;  // the core thread's CPU time
  uint64_t events = 0;
};
std::vector<ApplyCost>& ApplyCosts() {
  static auto* v = new std::vector<ApplyCost>;
  return *v;
}

// Engine::Apply on the default configuration, 1M events per second of event time, in chunks of
// 200 ms of event time (200,002 events, ~18 MB of ring records: they fit the 64 MiB ring, so the
// core never waits for the disk). Arg (mode):
//   0  no persister (observer null);
//   1  the persister attached and running: between chunks (not timed) it drains; while a chunk is
//      applied its thread and RocksDB's flush thread run concurrently on the other CPU;
//   2  the persister attached but its thread not started: the observer's own work (encode, copy
//      into the ring) without a concurrent reader; 1 warm-up and 2 measured chunks fill ~53 MB of
//      the ring, which nothing drains.
void BM_CoreApply(benchmark::State& state) {
  const int mode = static_cast<int>(state.range(0));
  Config config = DefaultConfig();
  const std::string dir = StoreDir("apply_cost");
  RemoveDir(dir);
  config.history.data_dir = dir;
  config.history.sync = false;
  config.history.block_when_full = true;
  MarkTable table(config.instruments.size());
  std::unique_ptr<history::Persister> persister;
  if (mode != 0) persister = std::make_unique<history::Persister>(config, nullptr);
  auto created = Engine::Create(config, &table, persister.get());
  if (!created.ok()) Die(std::string(created.status().message()));
  std::unique_ptr<Engine> engine = *std::move(created);
  if (mode != 0) {
    if (absl::Status st = persister->Recover(engine.get()); !st.ok()) {
      Die(std::string(st.message()));
    }
    if (mode == 1) persister->Start();
  }
  constexpr DurationNs kSpan = 200 * kNanosPerMilli;
  std::vector<Event> chunk;
  {
    EventStream stream(config, 1'000'000, 11);
    while (stream.offset() < kSpan) chunk.push_back(stream.Next());
  }
  uint64_t applied = 0;
  TimeNs offset = 0;
  auto run_chunk = [&] {
    for (Event e : chunk) {
      e.event_time += offset;
      e.recv_time += offset;
      engine->Apply(e);
    }
    offset += kSpan;
    applied += chunk.size();
  };
  auto drain = [&] {
    if (mode != 1) return;
    while (persister->persisted_sequence() < applied) {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  };
  const int warm_chunks = mode == 2 ? 1 : 5;  // warm-up: event time for every feed and timer
  for (int i = 0; i < warm_chunks; ++i) run_chunk();
  drain();
  double total_s = 0, cpu_s = 0;
  uint64_t measured = 0;
  for (auto _ : state) {
    const double c0 = ThreadCpuSeconds();
    const auto t0 = Clock::now();
    run_chunk();
    const double s = Seconds(Clock::now() - t0);
    cpu_s += ThreadCpuSeconds() - c0;
    state.SetIterationTime(s);
    total_s += s;
    measured += chunk.size();
    drain();
  }
  state.SetItemsProcessed(static_cast<int64_t>(measured));
  state.counters["ns_per_event"] = total_s * 1e9 / static_cast<double>(measured);
  state.counters["cpu_ns_per_event"] = cpu_s * 1e9 / static_cast<double>(measured);
  state.counters["rejected"] = static_cast<double>(Rejected(engine->totals()));
  if (Rejected(engine->totals()) != 0) state.SkipWithError("the core rejected synthetic events");
  if (mode != 0) {
    const history::PersistenceStats st = persister->stats();
    state.counters["dropped"] = static_cast<double>(st.dropped_records);
    if (st.dropped_records != 0) state.SkipWithError("the ring dropped records");
    persister->Stop();
  }
  ApplyCosts().push_back({mode, total_s * 1e9 / static_cast<double>(measured),
                          cpu_s * 1e9 / static_cast<double>(measured), measured});
  engine.reset();
  persister.reset();
  RemoveDir(dir);
}

// ---- (2-3) one day of marks of one instrument ----

constexpr char kDayInstrument[] = "USDE-USD";  // 6 venues, a redemption detail: a mid-sized mark

struct DayStore {
  Config config;
  std::string dir;
  std::shared_ptr<history::HistoryStore> store;
  std::unique_ptr<history::AuditQueries> queries;
  Mark tmpl;  // the engine's mark the day's marks vary
  double build_s = 0, write_s = 0;
  uint64_t proto_bytes_total = 0;
  DiskUse disk;
};

// A real mark of kDayInstrument: the default configuration's core after 40 s of the synthetic
// stream at 10,000 events per second of event time.
Mark TemplateMark(const Config& config) {
  auto engine = Engine::Create(config, nullptr, nullptr);
  if (!engine.ok()) Die(std::string(engine.status().message()));
  EventStream stream(config, 10'000, 3);
  while (stream.offset() < 40 * kNanosPerSecond) (*engine)->Apply(stream.Next());
  const int idx = config.FindInstrument(kDayInstrument);
  if (idx < 0) Die("no instrument " + std::string(kDayInstrument));
  return (*engine)->latest(static_cast<uint32_t>(idx));
}

// Waits until the store directory's table files stop changing for 2 s (background flushes and
// compactions done), at most 60 s.
void WaitForQuietStore(const std::string& dir) {
  uint64_t last = 0;
  int stable = 0;
  for (int i = 0; i < 120 && stable < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const DiskUse d = DirBytes(dir);
    stable = d.sst == last ? stable + 1 : 0;
    last = d.sst;
  }
}

DayStore* BuildDayStore() {
  auto* d = new DayStore;
  d->config = DefaultConfig();
  d->dir = StoreDir("day_marks");
  RemoveDir(d->dir);
  history::HistoryStore::Options options;
  options.data_dir = d->dir;
  options.sync = false;
  auto opened = history::HistoryStore::Open(options);
  if (!opened.ok()) Die(std::string(opened.status().message()));
  std::unique_ptr<history::HistoryStore> store = *std::move(opened);

  d->tmpl = TemplateMark(d->config);
  const Mark& tmpl = d->tmpl;
  const std::string name = kDayInstrument;
  Rng rng(5);
  Mark m = tmpl;
  const int64_t base = tmpl.has_price ? tmpl.price : 100'000'000;
  int64_t price = base;
  const int64_t step = std::max<int64_t>(1, base / 1'000'000);
  int128 pdt = 0;
  int64_t dt = 0;
  v1::StoredMark stored;
  std::string value, time_value;
  history::HistoryStore::WriteBatch batch(*store);
  const auto t0 = Clock::now();
  Clock::duration write_time{};
  for (uint64_t i = 0; i < kDayMarks; ++i) {
    const TimeNs t = kStart + static_cast<TimeNs>(i) * kMarkInterval;
    if (i > 0) {  // the previous mark was in force for 100 ms
      pdt += static_cast<int128>(price) * kMarkInterval;
      dt += kMarkInterval;
    }
    price += (static_cast<int64_t>(rng.Next() % 21) - 10) * step + (base - price) / 1024;
    m.price = price;
    m.confidence = tmpl.confidence + static_cast<int64_t>(rng.Next() % 64) * step;
    m.publish_time = t;
    m.last_good_time = t;
    m.sequence = i + 1;
    if (m.redemption.present) {
      m.redemption.market_price = price;
      m.redemption.redemption_price = base;
    }
    for (int j = 0; j < m.num_sources; ++j) {
      SourceContribution& c = m.sources[j];
      if (!c.has_price) continue;
      c.price = price + (static_cast<int64_t>(rng.Next() % 41) - 20) * step;
      c.native_price = c.price + (static_cast<int64_t>(rng.Next() % 5) - 2) * step;
      c.age_ns = static_cast<int64_t>(rng.Next() % kNanosPerSecond);
      c.deviation_bps = static_cast<int32_t>((c.price - price) * 10'000 / price);
    }
    stored.Clear();
    FillMarkProto(d->config, m, /*full=*/true, stored.mutable_mark());
    stored.set_event_sequence((i + 1) * 100'000);
    stored.set_twap_price_ns(Int128Bytes(pdt));
    stored.set_twap_priced_ns(dt);
    SerializeDeterministic(stored, &value);
    d->proto_bytes_total += value.size();
    batch.Put(history::Family::kMarks, history::MarkKey(name, t, m.sequence), value);
    time_value.clear();
    history::AppendTime(&time_value, t);
    batch.Put(history::Family::kMarkSeq, history::MarkSeqKey(name, m.sequence), time_value);
    if ((i + 1) % 1000 == 0 || i + 1 == kDayMarks) {
      const auto w0 = Clock::now();
      if (absl::Status st = store->Write(batch); !st.ok()) Die(std::string(st.message()));
      write_time += Clock::now() - w0;
      batch.Clear();
    }
  }
  d->build_s = Seconds(Clock::now() - t0);
  d->write_s = Seconds(write_time);
  WaitForQuietStore(d->dir);
  d->disk = DirBytes(d->dir);
  d->store = std::move(store);
  std::shared_ptr<history::HistoryStore> shared = d->store;
  d->queries = std::make_unique<history::AuditQueries>(
      d->config, [shared]() { return shared; }, nullptr);
  return d;
}

DayStore*& DayStorePtr() {
  static DayStore* d = nullptr;
  return d;
}
DayStore& Day() {
  if (DayStorePtr() == nullptr) DayStorePtr() = BuildDayStore();
  return *DayStorePtr();
}

struct QueryResult {
  std::string name;
  uint64_t calls = 0, items = 0;
  double total_s = 0, p50_us = 0, p99_us = 0, p999_us = 0, max_us = 0;
};
std::vector<QueryResult>& QueryResults() {
  static auto* v = new std::vector<QueryResult>;
  return *v;
}

QueryResult Summarize(const std::string& name, const std::vector<double>& us, double total_s,
                      uint64_t items) {
  QueryResult q;
  q.name = name;
  q.calls = us.size();
  q.items = items;
  q.total_s = total_s;
  q.p50_us = Pct(us, 0.5);
  q.p99_us = Pct(us, 0.99);
  q.p999_us = Pct(us, 0.999);
  q.max_us = us.empty() ? 0 : *std::max_element(us.begin(), us.end());
  return q;
}

void ReportQuery(benchmark::State& state, const QueryResult& q) {
  state.counters["calls"] = static_cast<double>(q.calls);
  state.counters["p50_us"] = q.p50_us;
  state.counters["p99_us"] = q.p99_us;
  state.counters["p999_us"] = q.p999_us;
  if (q.items > 0) state.counters["items_per_s"] = static_cast<double>(q.items) / q.total_s;
  QueryResults().push_back(q);
}

// Writing the day: FillMarkProto (FULL) + StoredMark serialization + WriteBatch of 1,000 marks
// (marks and mark_seq families), sync off. Runs once; the other day benchmarks reuse the store.
void BM_DayStoreWrite(benchmark::State& state) {
  for (auto _ : state) state.SetIterationTime(Day().build_s);
  const DayStore& d = Day();
  state.counters["marks_per_s"] = static_cast<double>(kDayMarks) / d.build_s;
  state.counters["write_share"] = d.write_s / d.build_s;
  state.counters["bytes_per_mark"] =
      static_cast<double>(d.proto_bytes_total) / static_cast<double>(kDayMarks);
  state.counters["disk_bytes_per_mark"] =
      static_cast<double>(d.disk.total) / static_cast<double>(kDayMarks);
}

// ListMarks over the whole day, 1,000 per page, following next_page_token to the end. Each
// benchmark iteration is one full pass (864 calls); latencies are per call (page).
void BM_ListMarks(benchmark::State& state, bool newest_first) {
  DayStore& d = Day();
  std::vector<double> page_us;
  double total_s = 0;
  uint64_t marks = 0;
  const history::AuditQueries::Cancelled not_cancelled = [] { return false; };
  for (auto _ : state) {
    v1::ListMarksRequest req;
    req.set_instrument(kDayInstrument);
    req.set_page_size(1000);
    req.set_order(newest_first ? v1::ORDER_NEWEST_FIRST : v1::ORDER_OLDEST_FIRST);
    uint64_t n = 0;
    const auto p0 = Clock::now();
    for (;;) {
      v1::ListMarksResponse resp;
      const auto c0 = Clock::now();
      if (auto e = d.queries->ListMarks(req, &resp, not_cancelled)) Die(e->message);
      page_us.push_back(Seconds(Clock::now() - c0) * 1e6);
      n += static_cast<uint64_t>(resp.marks_size());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    const double s = Seconds(Clock::now() - p0);
    state.SetIterationTime(s);
    total_s += s;
    marks += n;
    if (n != kDayMarks) state.SkipWithError("ListMarks did not return the whole day");
  }
  state.counters["marks_per_s"] = static_cast<double>(marks) / total_s;
  ReportQuery(state, Summarize(newest_first ? "ListMarks newest first (page of 1,000)"
                                            : "ListMarks oldest first (page of 1,000)",
                               page_us, total_s, marks));
}

// GetMarkAt at 100,000 instants drawn uniformly over the day (FULL view).
void BM_GetMarkAt(benchmark::State& state) {
  DayStore& d = Day();
  constexpr int kCalls = 100'000;
  Rng rng(9);
  std::vector<double> us;
  us.reserve(kCalls);
  double total_s = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (int i = 0; i < kCalls; ++i) {
      const TimeNs t = kStart + static_cast<TimeNs>(rng.Next() % (86'400 * kNanosPerSecond));
      v1::GetMarkAtRequest req;
      req.set_instrument(kDayInstrument);
      FillTimestamp(t, req.mutable_read_time());
      v1::GetMarkAtResponse resp;
      const auto c0 = Clock::now();
      if (auto e = d.queries->GetMarkAt(req, &resp)) Die(e->message);
      us.push_back(Seconds(Clock::now() - c0) * 1e6);
      benchmark::DoNotOptimize(resp);
    }
    const double s = Seconds(Clock::now() - t0);
    state.SetIterationTime(s);
    total_s += s;
  }
  ReportQuery(state, Summarize("GetMarkAt (random instant, FULL)", us, total_s, 0));
}

// GetTwap over 100,000 windows: a start uniform over the day, a length uniform in [1 s, 1 h].
void BM_GetTwap(benchmark::State& state) {
  DayStore& d = Day();
  constexpr int kCalls = 100'000;
  Rng rng(13);
  std::vector<double> us;
  us.reserve(kCalls);
  double total_s = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (int i = 0; i < kCalls; ++i) {
      const TimeNs lo = kStart + static_cast<TimeNs>(rng.Next() % (86'400 * kNanosPerSecond));
      const TimeNs hi =
          lo + kNanosPerSecond + static_cast<TimeNs>(rng.Next() % (3'599 * kNanosPerSecond));
      v1::GetTwapRequest req;
      req.set_instrument(kDayInstrument);
      FillTimestamp(lo, req.mutable_start_time());
      FillTimestamp(hi, req.mutable_end_time());
      v1::GetTwapResponse resp;
      const auto c0 = Clock::now();
      if (auto e = d.queries->GetTwap(req, &resp)) Die(e->message);
      us.push_back(Seconds(Clock::now() - c0) * 1e6);
      benchmark::DoNotOptimize(resp);
    }
    const double s = Seconds(Clock::now() - t0);
    state.SetIterationTime(s);
    total_s += s;
  }
  ReportQuery(state, Summarize("GetTwap (two lookups)", us, total_s, 0));
}

// ---- (4) VerifyMark ----

struct VerifyResult {
  std::string name;
  double p50_ms = 0, min_ms = 0, max_ms = 0;
  int calls = 0;
  uint64_t events_replayed = 0;
  double since_checkpoint_s = 0;
  bool match = false;
};
std::vector<VerifyResult>& VerifyResults() {
  static auto* v = new std::vector<VerifyResult>;
  return *v;
}

// VerifyMark of BTC-USD's mark in force at `at` (or the newest mark when at == 0), `calls` times.
VerifyResult VerifyIn(const std::string& name, const std::string& dir, TimeNs at, int calls) {
  Config config = DefaultConfig();
  history::HistoryStore::Options options;
  options.data_dir = dir;
  options.read_only = true;
  auto opened = history::HistoryStore::Open(options);
  if (!opened.ok()) Die(std::string(opened.status().message()));
  std::shared_ptr<history::HistoryStore> store = *std::move(opened);
  history::AuditQueries queries(
      config, [store] { return store; }, nullptr);
  const std::string instrument = "BTC-USD";
  if (at == 0) {
    auto it = store->NewIterator(history::Family::kMarks, history::MarkPrefix(instrument),
                                 history::MarkPrefixEnd(instrument));
    it->SeekToLast();
    std::string_view n;
    uint64_t seq;
    if (!it->Valid() || !history::DecodeMarkKey(it->key(), &n, &at, &seq)) Die("no marks");
  }
  v1::GetMarkAtRequest at_req;
  at_req.set_instrument(instrument);
  FillTimestamp(at, at_req.mutable_read_time());
  v1::GetMarkAtResponse at_resp;
  if (auto e = queries.GetMarkAt(at_req, &at_resp)) Die(e->message);

  VerifyResult r;
  r.name = name;
  std::vector<double> ms;
  const history::AuditQueries::Cancelled not_cancelled = [] { return false; };
  for (int i = 0; i < calls; ++i) {
    v1::VerifyMarkRequest req;
    req.set_instrument(instrument);
    req.set_sequence(at_resp.mark().sequence());
    v1::VerifyMarkResponse resp;
    const auto c0 = Clock::now();
    if (auto e = queries.VerifyMark(req, &resp, not_cancelled)) Die(e->message);
    ms.push_back(Seconds(Clock::now() - c0) * 1e3);
    r.events_replayed = resp.replayed_event_count();
    r.match = resp.match();
    const TimeNs cp =
        resp.checkpoint_time().seconds() * kNanosPerSecond + resp.checkpoint_time().nanos();
    const TimeNs mt = at_resp.mark().publish_time().seconds() * kNanosPerSecond +
                      at_resp.mark().publish_time().nanos();
    // A checkpoint at core time 0 is the one Recover wrote before the first event.
    r.since_checkpoint_s = cp == 0 ? -1 : static_cast<double>(mt - cp) / 1e9;
  }
  r.calls = calls;
  r.p50_ms = Pct(ms, 0.5);
  r.min_ms = *std::min_element(ms.begin(), ms.end());
  r.max_ms = *std::max_element(ms.begin(), ms.end());
  return r;
}

void ReportVerify(benchmark::State& state, const VerifyResult& r) {
  state.counters["p50_ms"] = r.p50_ms;
  state.counters["events_replayed"] = static_cast<double>(r.events_replayed);
  state.counters["since_checkpoint_s"] = r.since_checkpoint_s;
  state.counters["ns_per_replayed_event"] = r.p50_ms * 1e6 / static_cast<double>(r.events_replayed);
  state.counters["match"] = r.match ? 1 : 0;
  if (!r.match) state.SkipWithError("VerifyMark: the recomputed mark differs from the stored one");
  VerifyResults().push_back(r);
}

// A persister store of 125 s of event time at 10,000 events/s (checkpoints at 0, 60 and 120 s of
// event time, the default checkpoint_interval): the mark of BTC-USD 59.9 s after the 60 s
// checkpoint, which VerifyMark recomputes from that checkpoint (lookback 36 s).
void BM_VerifyMark_60sAfterCheckpoint(benchmark::State& state) {
  const std::string dir = StoreDir("verify_10k");
  RemoveDir(dir);
  const PersistRun run =
      RunPersister("verify store", DefaultConfig(), /*sync=*/false, 1'250'300, 10'000, dir);
  (void)run;
  VerifyResult r;
  for (auto _ : state) {
    r = VerifyIn("VerifyMark, 10k events/s, mark 59.9 s after a checkpoint", dir,
                 kStart + 119'900 * kNanosPerMilli, 11);
    state.SetIterationTime(r.p50_ms / 1e3);
  }
  ReportVerify(state, r);
  RemoveDir(dir);
}

// The same on the default-configuration persister-throughput store (1M events per second of event
// time): the newest mark, verified from the first checkpoint. Skipped when that run did not run.
void BM_VerifyMark_ThroughputStore(benchmark::State& state) {
  if (KeptThroughputStore().empty()) {
    state.SkipWithError("needs BM_PersisterThroughput/default/sync:false in the same run");
    for (auto _ : state) {
    }
    return;
  }
  VerifyResult r;
  for (auto _ : state) {
    r = VerifyIn("VerifyMark, 1M events/s, newest mark", KeptThroughputStore(), 0, 3);
    state.SetIterationTime(r.p50_ms / 1e3);
  }
  ReportVerify(state, r);
}

// ---- summary ----

std::string Thousands(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  std::string s = buf, out;
  const size_t start = s[0] == '-' ? 1 : 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > start && (s.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  return out;
}

void PrintSummary() {
  std::printf("\n==== history_bench summary ====\n");
  for (const PersistRun& r : PersistRuns()) {
    const auto ev = static_cast<double>(r.stats.events_written);
    std::printf(
        "persister %-14s (%zu instruments, %zu feeds): %s events + %s marks + %llu checkpoints in "
        "%.2f s (core loop %.2f s)\n"
        "    %s events/s, %s marks/s persisted; %llu write batches; dropped %llu, rejected %llu\n"
        "    disk %.1f bytes/event (total %.1f MiB: WAL %.1f MiB, SST %.1f MiB); after reopening "
        "(WAL flushed) %.1f bytes/event (SST %.1f MiB); largest checkpoint %.2f MiB\n"
        "    RSS before %.0f MiB, peak %.0f MiB%s; max RSS first half %.0f MiB, second half %.0f "
        "MiB; ring max used %.1f of %.0f MiB\n",
        r.label.c_str(), r.instruments, r.feeds, Thousands(ev).c_str(),
        Thousands(static_cast<double>(r.stats.marks_written)).c_str(),
        static_cast<unsigned long long>(r.stats.checkpoints_written), r.wall_s, r.apply_s,
        Thousands(ev / r.wall_s).c_str(),
        Thousands(static_cast<double>(r.stats.marks_written) / r.wall_s).c_str(),
        static_cast<unsigned long long>(r.stats.write_batches),
        static_cast<unsigned long long>(r.stats.dropped_records),
        static_cast<unsigned long long>(r.rejected), static_cast<double>(r.disk.total) / ev,
        static_cast<double>(r.disk.total) / (1 << 20), static_cast<double>(r.disk.wal) / (1 << 20),
        static_cast<double>(r.disk.sst) / (1 << 20),
        static_cast<double>(r.disk_reopened.total) / ev,
        static_cast<double>(r.disk_reopened.sst) / (1 << 20),
        static_cast<double>(r.checkpoint_max_bytes) / (1 << 20),
        static_cast<double>(r.rss_before) / (1 << 20), static_cast<double>(r.peak_rss) / (1 << 20),
        r.peak_reset ? " (VmHWM reset at the start)" : " (VmHWM of the process: not reset)",
        static_cast<double>(r.rss_max_first_half) / (1 << 20),
        static_cast<double>(r.rss_max_second_half) / (1 << 20),
        static_cast<double>(r.ring_max_used) / (1 << 20),
        static_cast<double>(r.stats.ring_bytes_capacity) / (1 << 20));
  }
  for (const ApplyCost& c : ApplyCosts()) {
    static constexpr const char* kModes[] = {"without the persister", "with the persister running",
                                             "with the persister attached, thread not started"};
    std::printf("Engine::Apply %s: %.1f ns/event wall, %.1f ns/event core-thread CPU (%s events)\n",
                kModes[c.mode], c.ns_per_event, c.cpu_ns_per_event,
                Thousands(static_cast<double>(c.events)).c_str());
  }
  if (DayStorePtr() != nullptr) {
    const DayStore& d = *DayStorePtr();
    std::printf(
        "day store (%s, %s marks, %.0f bytes per StoredMark; template mark %s, %d of %d venues "
        "used): built in %.2f s = %s marks/s (RocksDB Write %.0f%% of it); on disk %.1f MiB "
        "(%.0f bytes/mark)\n",
        kDayInstrument, Thousands(static_cast<double>(kDayMarks)).c_str(),
        static_cast<double>(d.proto_bytes_total) / static_cast<double>(kDayMarks),
        std::string(MarkStatusName(d.tmpl.status)).c_str(), d.tmpl.venues_used, d.tmpl.num_sources,
        d.build_s, Thousands(static_cast<double>(kDayMarks) / d.build_s).c_str(),
        100 * d.write_s / d.build_s, static_cast<double>(d.disk.total) / (1 << 20),
        static_cast<double>(d.disk.total) / static_cast<double>(kDayMarks));
  }
  for (const QueryResult& q : QueryResults()) {
    std::printf("%-40s %s calls: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us",
                q.name.c_str(), Thousands(static_cast<double>(q.calls)).c_str(), q.p50_us, q.p99_us,
                q.p999_us, q.max_us);
    if (q.items > 0) {
      std::printf("; %s marks in %.2f s = %s marks/s",
                  Thousands(static_cast<double>(q.items)).c_str(), q.total_s,
                  Thousands(static_cast<double>(q.items) / q.total_s).c_str());
    }
    std::printf("\n");
  }
  for (const VerifyResult& v : VerifyResults()) {
    std::printf(
        "%s: p50 %.1f ms (min %.1f, max %.1f, %d calls), %s events replayed, %s, %.0f ns per "
        "replayed event, match %s\n",
        v.name.c_str(), v.p50_ms, v.min_ms, v.max_ms, v.calls,
        Thousands(static_cast<double>(v.events_replayed)).c_str(),
        v.since_checkpoint_s < 0 ? "from the initial checkpoint (Recover's, before the first event)"
                                 : ("mark " + std::to_string(v.since_checkpoint_s).substr(0, 5) +
                                    " s after the checkpoint")
                                       .c_str(),
        v.p50_ms * 1e6 / static_cast<double>(v.events_replayed), v.match ? "yes" : "NO");
  }
  std::printf("work directory: %s\n", WorkDir().c_str());
}

// What a checkpoint costs the core thread: Engine::SaveState of a warm engine (every window
// full), into a string whose capacity is already there (as the persister's scratch buffer).
void BM_EngineSaveState(benchmark::State& state, bool bench_config) {
  Config config = bench_config ? BenchConfigOrDie(BenchConfigOptions{}) : DefaultConfig();
  auto engine = Engine::Create(config, nullptr, nullptr);
  if (!engine.ok()) Die(std::string(engine.status().message()));
  EventStream stream(config, 1'000'000, 7);
  while (stream.offset() < 40 * kNanosPerSecond) (*engine)->Apply(stream.Next());
  std::string out;
  (*engine)->SaveState(&out);
  for (auto _ : state) {
    (*engine)->SaveState(&out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["state_bytes"] = static_cast<double>(out.size());
  state.counters["bytes_per_s"] = benchmark::Counter(static_cast<double>(out.size()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}

void RegisterAll() {
  for (bool bench_config : {false, true}) {
    benchmark::RegisterBenchmark(
        (std::string("BM_EngineSaveState/") + (bench_config ? "1000x8" : "default")).c_str(),
        BM_EngineSaveState, bench_config)
        ->Unit(benchmark::kMicrosecond);
  }
  for (bool bench_config : {false, true}) {
    for (bool sync : {false, true}) {
      const std::string name = std::string("BM_PersisterThroughput/") +
                               (bench_config ? "1000x8" : "default") +
                               "/sync:" + (sync ? "true" : "false");
      benchmark::RegisterBenchmark(name.c_str(), BM_PersisterThroughput, bench_config, sync)
          ->Iterations(1)
          ->UseManualTime()
          ->Unit(benchmark::kSecond);
    }
  }
  benchmark::RegisterBenchmark("BM_CoreApply", BM_CoreApply)
      ->ArgName("mode")
      ->Arg(0)
      ->Arg(1)
      ->Iterations(30)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_CoreApply", BM_CoreApply)
      ->ArgName("mode")
      ->Arg(2)
      ->Iterations(2)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_DayStoreWrite", BM_DayStoreWrite)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("BM_ListMarks/oldest_first", BM_ListMarks, false)
      ->Iterations(3)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ListMarks/newest_first", BM_ListMarks, true)
      ->Iterations(3)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_GetMarkAt", BM_GetMarkAt)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_GetTwap", BM_GetTwap)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_VerifyMark/60s_after_checkpoint",
                               BM_VerifyMark_60sAfterCheckpoint)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_VerifyMark/throughput_store", BM_VerifyMark_ThroughputStore)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace oracle::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  oracle::bench::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  oracle::bench::PrintSummary();
  if (oracle::bench::DayStorePtr() != nullptr) {
    oracle::bench::DayStorePtr()->queries.reset();
    oracle::bench::DayStorePtr()->store.reset();
  }
  oracle::bench::RemoveDir(oracle::bench::WorkDir());
  return 0;
}
