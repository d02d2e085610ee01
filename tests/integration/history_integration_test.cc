// The history (issue 5) against a real oracled on loopback: a SIGKILL during heavy writes loses
// no acknowledged event and the restarted process ends with exactly the marks of an uninterrupted
// run; an unwritable data directory keeps live marks served and recovers by itself; AuditService's
// errors and answers over gRPC, checked against the marks it lists; signed marks verified offline
// by oraclectl; oraclectl's audit commands; a damaged data directory (an event that does not
// decode, garbled .sst files) keeps live marks served with the history FAILING or UNAVAILABLE and
// no restart loop; a signing key file others may read is refused. Every address is 127.0.0.1.
//
// The tick log is the bundled demo (scripts/gen_demo_ticks.py, deterministic). Replays on the
// log's clock (--replay-clock log) run as fast as the core goes, so nothing here waits for a fixed
// time: every wait polls GetServerStatus with a generous deadline.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/error_details.h"
#include "integration/process.h"
#include "oracle/core/time.h"
#include "oracle/v1/audit.grpc.pb.h"
#include "oracle/v1/oracle.grpc.pb.h"

namespace oracle {
namespace {

using testing::Child;
using testing::RunCommand;
using testing::RunResult;
using Clock = std::chrono::steady_clock;

const std::string kOracled = std::string(ORACLE_BINARY_DIR) + "/oracled";
const std::string kOraclectl = std::string(ORACLE_BINARY_DIR) + "/oraclectl";
const std::string kSourceDir = ORACLE_SOURCE_DIR;

// Deadline for anything that waits on the server (CI has two shared cores).
constexpr auto kPollDeadline = std::chrono::seconds(120);

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A fresh directory from mkdtemp, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "history_it_XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// RunCommand execs a path, not a name: look the program up on PATH.
std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/" + name;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Writes the demo tick log into `dir`; nullopt (with the reason in *why) when python3 fails.
std::optional<std::string> GenerateTickLog(const std::string& dir, std::string* why) {
  const std::string python = FindProgram("python3");
  if (python.empty()) {
    *why = "python3 is not on PATH: cannot generate the demo tick log";
    return std::nullopt;
  }
  const std::string out = dir + "/ticks.jsonl";
  RunResult r = RunCommand({python, kSourceDir + "/scripts/gen_demo_ticks.py", "--config",
                            kSourceDir + "/feeds/default.textproto", "--output", out},
                           120000);
  if (r.exit_code != 0) {
    *why = "scripts/gen_demo_ticks.py failed (exit " + std::to_string(r.exit_code) + "): " + r.err;
    return std::nullopt;
  }
  return out;
}

std::string SerializeDeterministic(const google::protobuf::Message& m) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream os(&out);
    google::protobuf::io::CodedOutputStream coded(&os);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  return out;
}

TimeNs ToNs(const google::protobuf::Timestamp& t) {
  return t.seconds() * kNanosPerSecond + t.nanos();
}

google::protobuf::Timestamp FromNs(TimeNs t) {
  google::protobuf::Timestamp ts;
  TimeNs s = t / kNanosPerSecond, n = t % kNanosPerSecond;
  if (n < 0) {
    n += kNanosPerSecond;
    --s;
  }
  ts.set_seconds(s);
  ts.set_nanos(static_cast<int32_t>(n));
  return ts;
}

std::string Reason(const grpc::ClientContext& ctx) {
  auto md = ctx.GetServerTrailingMetadata();
  auto it = md.find("oracle-error-reason");
  return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
}

void SetDeadline(grpc::ClientContext* ctx, int seconds = 60) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

// One oracled child and its gRPC stubs.
struct Server {
  std::unique_ptr<Child> child;
  std::string addr;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::OracleService::Stub> oracle;
  std::unique_ptr<v1::AuditService::Stub> audit;

  // SIGTERM; the exit code (0 after a clean shutdown).
  int Stop() {
    oracle.reset();
    audit.reset();
    channel.reset();
    return child ? child->Stop(SIGTERM, 60000) : -1;
  }
};

// Starts `oracled ARGS --listen 127.0.0.1:0 --port-file <dir>/port-N` and connects to it.
::testing::AssertionResult StartOracled(const std::string& dir, std::vector<std::string> args,
                                        Server* out) {
  static int starts = 0;
  const std::string port_file = dir + "/port-" + std::to_string(starts++);
  std::vector<std::string> argv = {kOracled};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--listen", "127.0.0.1:0", "--port-file", port_file});
  out->child = std::make_unique<Child>(argv);
  const int port = testing::WaitForPortFile(port_file, 60000);
  if (port <= 0) {
    return ::testing::AssertionFailure() << "oracled did not start:\n" << out->child->Output();
  }
  out->addr = "127.0.0.1:" + std::to_string(port);
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(-1);  // a page of 10000 full marks is several MB
  out->channel =
      grpc::CreateCustomChannel(out->addr, grpc::InsecureChannelCredentials(), channel_args);
  out->oracle = v1::OracleService::NewStub(out->channel);
  out->audit = v1::AuditService::NewStub(out->channel);
  return ::testing::AssertionSuccess();
}

bool GetStatus(Server& s, v1::ServerStatus* status) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, 10);
  return s.oracle->GetServerStatus(&ctx, v1::GetServerStatusRequest(), status).ok();
}

// The replay has been applied and written: every event the core applied since the start (plus
// those recovered from the store) is acknowledged, for 1.5 s, and the replay ring is empty.
::testing::AssertionResult WaitUntilReplayWritten(Server& s, v1::ServerStatus* final_status) {
  const auto deadline = Clock::now() + kPollDeadline;
  uint64_t stable_value = 0;
  Clock::time_point stable_since;
  v1::ServerStatus st;
  while (Clock::now() < deadline) {
    if (!s.child->Running()) {
      return ::testing::AssertionFailure() << "oracled exited:\n" << s.child->Output();
    }
    if (GetStatus(s, &st)) {
      const v1::PersistenceStatus& p = st.persistence();
      const bool drained =
          st.producers_size() > 0 &&
          st.producers(0).pushed_count() == st.producers(0).consumed_count() &&
          st.applied_event_count() > 0 &&
          p.persisted_sequence() == p.recovered_sequence() + st.applied_event_count();
      if (!drained || p.persisted_sequence() != stable_value) {
        stable_value = drained ? p.persisted_sequence() : 0;
        stable_since = Clock::now();
      } else if (Clock::now() - stable_since >= std::chrono::milliseconds(1500)) {
        *final_status = st;
        return ::testing::AssertionSuccess();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ::testing::AssertionFailure()
         << "the replay was not written within " << kPollDeadline.count() << " s; last status:\n"
         << st.DebugString() << "\n"
         << s.child->Output();
}

std::vector<std::string> InstrumentNames(Server& s) {
  std::vector<std::string> names;
  v1::ListInstrumentsRequest req;
  req.set_page_size(1000);
  for (;;) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    v1::ListInstrumentsResponse resp;
    grpc::Status st = s.oracle->ListInstruments(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    if (!st.ok()) break;
    for (const v1::Instrument& i : resp.instruments()) names.push_back(i.name());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return names;
}

// Every stored mark of `instrument` (all time, page_size 10000), in the given order.
::testing::AssertionResult ListAllMarks(Server& s, const std::string& instrument,
                                        std::vector<v1::Mark>* out, int page_size = 10000,
                                        v1::Order order = v1::ORDER_OLDEST_FIRST,
                                        int* pages = nullptr) {
  out->clear();
  v1::ListMarksRequest req;
  req.set_instrument(instrument);
  req.set_page_size(page_size);
  req.set_order(order);
  int n = 0;
  for (;;) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    v1::ListMarksResponse resp;
    grpc::Status st = s.audit->ListMarks(&ctx, req, &resp);
    if (!st.ok()) {
      return ::testing::AssertionFailure()
             << "ListMarks " << instrument << ": " << st.error_code() << " " << st.error_message();
    }
    ++n;
    for (v1::Mark& m : *resp.mutable_marks()) out->push_back(std::move(m));
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  if (pages != nullptr) *pages = n;
  return ::testing::AssertionSuccess();
}

using MarkLog = std::map<std::string, std::vector<std::string>>;  // instrument -> serialized marks

::testing::AssertionResult ReadMarkLog(Server& s, MarkLog* log) {
  log->clear();
  for (const std::string& name : InstrumentNames(s)) {
    std::vector<v1::Mark> marks;
    if (auto r = ListAllMarks(s, name, &marks); !r) return r;
    std::vector<std::string>& out = (*log)[name];
    out.reserve(marks.size());
    for (const v1::Mark& m : marks) out.push_back(SerializeDeterministic(m));
  }
  if (log->empty()) return ::testing::AssertionFailure() << "ListInstruments returned nothing";
  return ::testing::AssertionSuccess();
}

// The first difference between two mark logs, precisely: instrument, index, sequences, fields.
std::string DescribeFirstDifference(const MarkLog& a, const MarkLog& b) {
  std::ostringstream out;
  for (const auto& [name, marks_a] : a) {
    auto it = b.find(name);
    if (it == b.end()) {
      out << name << ": missing from the second run\n";
      continue;
    }
    const std::vector<std::string>& marks_b = it->second;
    if (marks_a.size() != marks_b.size()) {
      out << name << ": " << marks_a.size() << " marks uninterrupted, " << marks_b.size()
          << " after the crash\n";
    }
    const size_t n = std::min(marks_a.size(), marks_b.size());
    for (size_t i = 0; i < n; ++i) {
      if (marks_a[i] == marks_b[i]) continue;
      v1::Mark ma, mb;
      ma.ParseFromString(marks_a[i]);
      mb.ParseFromString(marks_b[i]);
      std::string report;
      google::protobuf::util::MessageDifferencer diff;
      diff.ReportDifferencesToString(&report);
      diff.Compare(ma, mb);
      out << name << ": first differing mark at index " << i << " (sequence " << ma.sequence()
          << " vs " << mb.sequence() << ", published " << FormatRfc3339(ToNs(ma.publish_time()))
          << " vs " << FormatRfc3339(ToNs(mb.publish_time())) << "):\n"
          << report.substr(0, 4000) << "\n";
      break;
    }
  }
  return out.str();
}

// grpc.health.v1.Health/Check by hand (request {service = 1}, response {status = 1}): 1 SERVING,
// 2 NOT_SERVING; -1 when the call fails.
int HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  grpc::GenericStub generic(channel);
  std::string request;
  request.push_back(0x0a);
  request.push_back(static_cast<char>(service.size()));
  request += service;
  grpc::Slice slice(request);
  grpc::ByteBuffer req_buf(&slice, 1);
  grpc::ByteBuffer resp_buf;
  grpc::ClientContext ctx;
  SetDeadline(&ctx, 10);
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &req_buf, &resp_buf,
                    [&](grpc::Status s) {
                      std::lock_guard<std::mutex> lock(mu);
                      status = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  if (!status.ok()) return -1;
  std::vector<grpc::Slice> slices;
  if (!resp_buf.Dump(&slices).ok()) return -1;
  std::string bytes;
  for (auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  if (bytes.empty()) return 0;  // UNKNOWN (the default value is not encoded)
  if (bytes.size() != 2 || bytes[0] != 0x08) return -1;
  return bytes[1];
}

// The mark in force at `t` according to GetMarkAt, with the event that published it.
struct MarkAt {
  grpc::Status status;
  std::string reason;
  v1::GetMarkAtResponse response;
};

MarkAt GetMarkAt(Server& s, const std::string& instrument, TimeNs t) {
  v1::GetMarkAtRequest req;
  req.set_instrument(instrument);
  *req.mutable_read_time() = FromNs(t);
  grpc::ClientContext ctx;
  SetDeadline(&ctx);
  MarkAt r;
  r.status = s.audit->GetMarkAt(&ctx, req, &r.response);
  r.reason = Reason(ctx);
  return r;
}

::testing::AssertionResult VerifiesExactly(Server& s, const std::string& instrument,
                                           uint64_t sequence, v1::VerifyMarkResponse* out) {
  v1::VerifyMarkRequest req;
  req.set_instrument(instrument);
  req.set_sequence(sequence);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, 120);
  grpc::Status st = s.audit->VerifyMark(&ctx, req, out);
  if (!st.ok()) {
    return ::testing::AssertionFailure() << "VerifyMark " << instrument << " #" << sequence << ": "
                                         << st.error_code() << " " << st.error_message();
  }
  if (!out->match() || out->differences_size() != 0) {
    std::ostringstream diffs;
    for (const std::string& d : out->differences()) diffs << "  " << d << "\n";
    return ::testing::AssertionFailure() << "VerifyMark " << instrument << " #" << sequence
                                         << ": match=" << out->match() << ", differences:\n"
                                         << diffs.str();
  }
  return ::testing::AssertionSuccess();
}

// ---------------------------------------------------------------------------------------------
// 1. SIGKILL during heavy writes.

TEST(HistoryCrash, SigkillDuringHeavyWritesLosesNoAcknowledgedEventAndEndsWithTheSameMarks) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::string why;
  const std::optional<std::string> ticks = GenerateTickLog(tmp.path(), &why);
  if (!ticks) GTEST_SKIP() << why;
  auto flags = [&](const std::string& data_dir) {
    return std::vector<std::string>{"--replay", *ticks,       "--replay-clock",
                                    "log",      "--data-dir", data_dir};
  };

  // A: uninterrupted.
  auto t0 = Clock::now();
  Server a;
  ASSERT_TRUE(StartOracled(tmp.path(), flags(tmp / "a"), &a));
  v1::ServerStatus a_status;
  ASSERT_TRUE(WaitUntilReplayWritten(a, &a_status));
  const uint64_t total = a_status.applied_event_count();
  EXPECT_EQ(a_status.persistence().state(), v1::PERSISTENCE_STATE_OK);
  EXPECT_EQ(a_status.persistence().dropped_record_count(), 0u);
  EXPECT_EQ(a_status.persistence().gap_count(), 0u);
  EXPECT_EQ(a_status.persistence().persisted_sequence(), total);
  std::fprintf(stderr, "[ info ] A: %llu events applied and written in %.1f s\n",
               static_cast<unsigned long long>(total), SecondsSince(t0));
  auto t1 = Clock::now();
  MarkLog a_marks;
  ASSERT_TRUE(ReadMarkLog(a, &a_marks));
  size_t a_count = 0;
  for (const auto& [name, marks] : a_marks) a_count += marks.size();
  std::fprintf(stderr, "[ info ] A: read %zu marks of %zu instruments in %.1f s\n", a_count,
               a_marks.size(), SecondsSince(t1));
  EXPECT_EQ(a_count, a_status.persistence().written_mark_count());
  EXPECT_EQ(a.Stop(), 0) << a.child->Output();

  // B: killed once ~30% of the log is acknowledged. The whole replay takes seconds, so poll fast.
  Server b;
  ASSERT_TRUE(StartOracled(tmp.path(), flags(tmp / "b"), &b));
  const uint64_t threshold = total * 3 / 10;
  uint64_t acknowledged = 0, applied_at_kill = 0;
  {
    const auto deadline = Clock::now() + kPollDeadline;
    v1::ServerStatus st;
    while (Clock::now() < deadline && b.child->Running()) {
      if (GetStatus(b, &st) && st.persistence().persisted_sequence() > threshold) {
        acknowledged = st.persistence().persisted_sequence();
        applied_at_kill = st.applied_event_count();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  b.child->Stop(SIGKILL, 10000);
  ASSERT_GT(acknowledged, threshold) << "B never acknowledged 30% of the log:\n"
                                     << b.child->Output();
  std::fprintf(
      stderr, "[ info ] B: SIGKILL with %llu of %llu events acknowledged (core had applied %llu)\n",
      static_cast<unsigned long long>(acknowledged), static_cast<unsigned long long>(total),
      static_cast<unsigned long long>(applied_at_kill));
  // Not a property of the server: if the whole log was written before we looked, the kill did
  // not land during the writes and the rest of the test proves less.
  EXPECT_LT(acknowledged, total) << "the replay finished before the kill";

  // B again: recovers, then finishes the log.
  auto t2 = Clock::now();
  Server b2;
  ASSERT_TRUE(StartOracled(tmp.path(), flags(tmp / "b"), &b2));
  v1::ServerStatus recovered;
  ASSERT_TRUE(GetStatus(b2, &recovered)) << b2.child->Output();
  const v1::PersistenceStatus& rp = recovered.persistence();
  EXPECT_GE(rp.recovered_sequence(), acknowledged) << "acknowledged events were lost";
  EXPECT_LE(rp.recovered_sequence(), total);
  EXPECT_GT(rp.restored_checkpoint_sequence(), 0u) << rp.DebugString();
  EXPECT_LE(rp.restored_checkpoint_sequence(), rp.recovered_sequence());
  EXPECT_EQ(rp.restored_checkpoint_sequence() + rp.replayed_event_count(), rp.recovered_sequence())
      << rp.DebugString();
  std::fprintf(stderr,
               "[ info ] B restarted: recovered %llu events (checkpoint %llu + %llu replayed)\n",
               static_cast<unsigned long long>(rp.recovered_sequence()),
               static_cast<unsigned long long>(rp.restored_checkpoint_sequence()),
               static_cast<unsigned long long>(rp.replayed_event_count()));
  const uint64_t recovered_sequence = rp.recovered_sequence();
  v1::ServerStatus b_status;
  ASSERT_TRUE(WaitUntilReplayWritten(b2, &b_status));
  EXPECT_EQ(b_status.persistence().persisted_sequence(), total);
  EXPECT_EQ(b_status.persistence().gap_count(), 0u);
  EXPECT_EQ(b_status.persistence().dropped_record_count(), 0u);
  MarkLog b_marks;
  ASSERT_TRUE(ReadMarkLog(b2, &b_marks));
  std::fprintf(stderr, "[ info ] B: finished and read back in %.1f s\n", SecondsSince(t2));

  ASSERT_EQ(a_marks.size(), b_marks.size());
  bool identical = true;
  for (const auto& [name, marks] : a_marks) {
    const std::vector<std::string>& other = b_marks[name];
    EXPECT_EQ(marks.size(), other.size()) << name;
    identical = identical && marks == other;
  }
  EXPECT_TRUE(identical) << "the marks after the crash differ from the uninterrupted run:\n"
                         << DescribeFirstDifference(a_marks, b_marks);

  // VerifyMark around the restart: the last mark stored before it, the first one computed after
  // it (found by bisection on GetMarkAt's event_sequence), and the last one.
  auto t3 = Clock::now();
  for (const std::string& name : std::vector<std::string>{"ETH-USD", "USDE-USD", "BTC-USD"}) {
    SCOPED_TRACE(name);
    std::vector<v1::Mark> marks;
    ASSERT_TRUE(ListAllMarks(b2, name, &marks));
    ASSERT_GT(marks.size(), 2u);
    size_t lo = 0, hi = marks.size();  // first index whose mark came from an event > recovered
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      MarkAt at = GetMarkAt(b2, name, ToNs(marks[mid].publish_time()));
      ASSERT_TRUE(at.status.ok()) << at.status.error_message();
      if (at.response.event_sequence() > recovered_sequence) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    ASSERT_GT(lo, 0u);
    ASSERT_LT(lo, marks.size()) << "no mark after the restart";
    MarkAt before = GetMarkAt(b2, name, ToNs(marks[lo - 1].publish_time()));
    MarkAt after = GetMarkAt(b2, name, ToNs(marks[lo].publish_time()));
    ASSERT_TRUE(before.status.ok() && after.status.ok());
    EXPECT_LE(before.response.event_sequence(), recovered_sequence);
    EXPECT_GT(after.response.event_sequence(), recovered_sequence);
    for (uint64_t seq : {before.response.mark().sequence(), after.response.mark().sequence(),
                         marks.back().sequence()}) {
      v1::VerifyMarkResponse v;
      EXPECT_TRUE(VerifiesExactly(b2, name, seq, &v));
    }
  }
  std::fprintf(stderr, "[ info ] VerifyMark x9 in %.1f s\n", SecondsSince(t3));
  EXPECT_EQ(b2.Stop(), 0) << b2.child->Output();
}

// ---------------------------------------------------------------------------------------------
// 2. Unwritable data directory, then recovery.

TEST(HistoryUnavailable, LiveMarksGoOnWhileTheStoreCannotOpenAndHistoryStartsOnceItCan) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::string why;
  const std::optional<std::string> ticks = GenerateTickLog(tmp.path(), &why);
  if (!ticks) GTEST_SKIP() << why;
  // We may run as root, for whom a chmod does not make a directory unwritable: a regular file in
  // the way of the data directory does.
  const std::string blocker = tmp / "x";
  { std::ofstream(blocker) << "in the way\n"; }
  const std::string data_dir = blocker + "/data";
  Server s;
  ASSERT_TRUE(
      StartOracled(tmp.path(), {"--replay", *ticks, "--speed", "20", "--data-dir", data_dir}, &s));

  int get_mark_calls = 0;
  auto get_mark_works = [&]() -> ::testing::AssertionResult {
    ++get_mark_calls;
    v1::GetMarkRequest req;
    req.set_instrument("ETH-USD");
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 10);
    v1::Mark m;
    grpc::Status st = s.oracle->GetMark(&ctx, req, &m);
    if (!st.ok()) {
      return ::testing::AssertionFailure()
             << "GetMark ETH-USD: " << st.error_code() << " " << st.error_message();
    }
    if (!m.has_price()) return ::testing::AssertionFailure() << "no price yet";
    return ::testing::AssertionSuccess();
  };
  // Live marks: poll until ETH-USD has a price (the replay's first seconds).
  {
    const auto deadline = Clock::now() + kPollDeadline;
    ::testing::AssertionResult ok = ::testing::AssertionFailure();
    while (Clock::now() < deadline && !(ok = get_mark_works())) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(ok) << s.child->Output();
  }

  v1::ServerStatus st;
  ASSERT_TRUE(GetStatus(s, &st));
  EXPECT_EQ(st.persistence().state(), v1::PERSISTENCE_STATE_UNAVAILABLE)
      << st.persistence().DebugString();
  EXPECT_NE(st.persistence().last_error().find(data_dir), std::string::npos)
      << st.persistence().last_error();
  EXPECT_EQ(HealthStatus(s.channel, "oracle.v1.AuditService"), 2) << "expected NOT_SERVING";
  {
    // SERVING follows the first marks through the server's 100 ms health thread.
    const auto deadline = Clock::now() + kPollDeadline;
    while (HealthStatus(s.channel, "oracle.v1.OracleService") != 1 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_EQ(HealthStatus(s.channel, "oracle.v1.OracleService"), 1) << "expected SERVING";
  {
    v1::ListMarksRequest req;
    req.set_instrument("ETH-USD");
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    v1::ListMarksResponse resp;
    grpc::Status ls = s.audit->ListMarks(&ctx, req, &resp);
    EXPECT_EQ(ls.error_code(), grpc::StatusCode::UNAVAILABLE) << ls.error_message();
    EXPECT_EQ(Reason(ctx), "HISTORY_UNAVAILABLE");
    // Configured but not open now: retryable, with the server's delay (AIP-193).
    testing::ErrorDetails d = testing::DetailsOf(ls);
    EXPECT_EQ(d.Reason(), "HISTORY_UNAVAILABLE");
    EXPECT_EQ(d.RetryDelayNs(), 2'000'000'000);
    EXPECT_EQ(d.Metadata("dataDir"), data_dir);
  }
  EXPECT_TRUE(get_mark_works());

  // Out of the way: the persister's next open attempt (every second) succeeds.
  std::filesystem::remove(blocker);
  const auto removed = Clock::now();
  bool ok_state = false, serving = false, listed = false;
  while (Clock::now() - removed < std::chrono::seconds(30) && !(ok_state && serving && listed)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(get_mark_works());
    if (!ok_state && GetStatus(s, &st))
      ok_state = st.persistence().state() == v1::PERSISTENCE_STATE_OK;
    if (!serving) serving = HealthStatus(s.channel, "oracle.v1.AuditService") == 1;
    if (ok_state && !listed) {
      v1::ListMarksRequest req;
      req.set_instrument("ETH-USD");
      grpc::ClientContext ctx;
      SetDeadline(&ctx);
      v1::ListMarksResponse resp;
      listed = s.audit->ListMarks(&ctx, req, &resp).ok() && resp.marks_size() > 0;
    }
  }
  std::fprintf(stderr, "[ info ] history available %.1f s after the file was removed\n",
               SecondsSince(removed));
  EXPECT_TRUE(ok_state) << st.persistence().DebugString();
  EXPECT_TRUE(serving) << "AuditService health not SERVING";
  EXPECT_TRUE(listed) << "ListMarks ETH-USD returned no mark";
  EXPECT_TRUE(std::filesystem::is_directory(data_dir));
  EXPECT_TRUE(get_mark_works());
  EXPECT_GT(get_mark_calls, 3);
  EXPECT_EQ(s.Stop(), 0) << s.child->Output();
}

// ---------------------------------------------------------------------------------------------
// 3 and 5. One server that replayed the whole log on its clock, queried over gRPC and by oraclectl.

class HistoryQueries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    std::string why;
    const std::optional<std::string> ticks = GenerateTickLog(tmp_->path(), &why);
    if (!ticks) {
      skip_ = new std::string(why);
      return;
    }
    server_ = new Server();
    const auto t0 = Clock::now();
    ::testing::AssertionResult started = StartOracled(
        tmp_->path(), {"--replay", *ticks, "--replay-clock", "log", "--data-dir", *tmp_ / "data"},
        server_);
    ASSERT_TRUE(started);
    v1::ServerStatus st;
    ASSERT_TRUE(WaitUntilReplayWritten(*server_, &st));
    std::fprintf(stderr, "[ info ] replay written in %.1f s (%llu events)\n", SecondsSince(t0),
                 static_cast<unsigned long long>(st.applied_event_count()));
    eth_ = new std::vector<v1::Mark>();
    ASSERT_TRUE(ListAllMarks(*server_, "ETH-USD", eth_));
    ASSERT_GT(eth_->size(), 1000u);
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0) << server_->child->Output();
      delete server_;
    }
    delete eth_;
    delete skip_;
    delete tmp_;
    server_ = nullptr;
    eth_ = nullptr;
    skip_ = nullptr;
    tmp_ = nullptr;
  }
  void SetUp() override {
    if (skip_ != nullptr) GTEST_SKIP() << *skip_;
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(eth_, nullptr);
    ASSERT_GT(eth_->size(), 1000u);
  }

  static Server& server() { return *server_; }
  static const std::vector<v1::Mark>& eth() { return *eth_; }

  // Expects a call to fail with `code` and the reason in the trailing metadata.
  template <typename Call>
  static void ExpectError(const char* what, grpc::StatusCode code, const std::string& reason,
                          Call call) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    grpc::Status st = call(&ctx);
    EXPECT_EQ(st.error_code(), code) << what << ": " << st.error_message();
    EXPECT_EQ(Reason(ctx), reason) << what << ": " << st.error_message();
    EXPECT_EQ(testing::DetailsOf(st).Reason(), reason) << what << ": ErrorInfo in the details";
    if (code == grpc::StatusCode::INVALID_ARGUMENT) {
      EXPECT_FALSE(testing::DetailsOf(st).BadField().empty()) << what << ": BadRequest field";
    }
    EXPECT_EQ(st.error_message().rfind(reason, 0), 0u)
        << what << ": the message starts with the reason: " << st.error_message();
  }

  static RunResult Ctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {kOraclectl, "--addr", server_->addr, "--timeout", "60s"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, 120000);
  }

  static inline TempDir* tmp_ = nullptr;
  static inline Server* server_ = nullptr;
  static inline std::vector<v1::Mark>* eth_ = nullptr;
  static inline std::string* skip_ = nullptr;
};

TEST_F(HistoryQueries, BadRequestsGetTheRightCodeAndReason) {
  v1::AuditService::Stub& audit = *server().audit;
  const TimeNs first = ToNs(eth().front().publish_time());
  const TimeNs last = ToNs(eth().back().publish_time());
  using grpc::StatusCode;
  ExpectError("reversed range", StatusCode::INVALID_ARGUMENT, "INVALID_TIME_RANGE",
              [&](grpc::ClientContext* ctx) {
                v1::ListMarksRequest req;
                req.set_instrument("ETH-USD");
                *req.mutable_start_time() = FromNs(last);
                *req.mutable_end_time() = FromNs(first);
                v1::ListMarksResponse resp;
                return audit.ListMarks(ctx, req, &resp);
              });
  {
    // AIP-158: a page_size above the maximum is coerced to it, not refused.
    v1::ListMarksRequest req;
    req.set_instrument("ETH-USD");
    req.set_page_size(1000000);
    v1::ListMarksResponse resp;
    grpc::ClientContext ctx;
    grpc::Status s = audit.ListMarks(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    ASSERT_GT(eth().size(), 10000u);
    EXPECT_EQ(resp.marks_size(), 10000) << "page_size 1000000 is treated as the maximum, 10000";
    EXPECT_FALSE(resp.next_page_token().empty());
  }
  ExpectError("unknown instrument", StatusCode::NOT_FOUND, "INSTRUMENT_NOT_FOUND",
              [&](grpc::ClientContext* ctx) {
                v1::ListMarksRequest req;
                req.set_instrument("NOPE-USD");
                v1::ListMarksResponse resp;
                return audit.ListMarks(ctx, req, &resp);
              });
  std::string eth_token;
  {
    v1::ListMarksRequest req;
    req.set_instrument("ETH-USD");
    req.set_page_size(10);
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    v1::ListMarksResponse resp;
    ASSERT_TRUE(audit.ListMarks(&ctx, req, &resp).ok());
    eth_token = resp.next_page_token();
    ASSERT_FALSE(eth_token.empty());
  }
  ExpectError("ETH-USD's token for BTC-USD", StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN",
              [&](grpc::ClientContext* ctx) {
                v1::ListMarksRequest req;
                req.set_instrument("BTC-USD");
                req.set_page_size(10);
                req.set_page_token(eth_token);
                v1::ListMarksResponse resp;
                return audit.ListMarks(ctx, req, &resp);
              });
  ExpectError("garbage token", StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN",
              [&](grpc::ClientContext* ctx) {
                v1::ListMarksRequest req;
                req.set_instrument("ETH-USD");
                req.set_page_token("not a token!");
                v1::ListMarksResponse resp;
                return audit.ListMarks(ctx, req, &resp);
              });
  ExpectError("ListEvents with neither instrument nor venue", StatusCode::INVALID_ARGUMENT,
              "INVALID_ARGUMENT", [&](grpc::ClientContext* ctx) {
                v1::ListEventsRequest req;
                v1::ListEventsResponse resp;
                return audit.ListEvents(ctx, req, &resp);
              });
  ExpectError("unknown venue", StatusCode::NOT_FOUND, "VENUE_NOT_FOUND",
              [&](grpc::ClientContext* ctx) {
                v1::ListEventsRequest req;
                req.set_venue("nowhere");
                v1::ListEventsResponse resp;
                return audit.ListEvents(ctx, req, &resp);
              });
  ExpectError("GetMarkAt before the first mark", StatusCode::NOT_FOUND, "MARK_NOT_FOUND",
              [&](grpc::ClientContext* ctx) {
                v1::GetMarkAtRequest req;
                req.set_instrument("ETH-USD");
                *req.mutable_read_time() = FromNs(first - 1);
                v1::GetMarkAtResponse resp;
                return audit.GetMarkAt(ctx, req, &resp);
              });
  ExpectError("VerifyMark without sequence or time", StatusCode::INVALID_ARGUMENT,
              "INVALID_ARGUMENT", [&](grpc::ClientContext* ctx) {
                v1::VerifyMarkRequest req;
                req.set_instrument("ETH-USD");
                v1::VerifyMarkResponse resp;
                return audit.VerifyMark(ctx, req, &resp);
              });
}

TEST_F(HistoryQueries, ListMarksPagesTheSameMarksOldestAndNewestFirst) {
  std::vector<v1::Mark> oldest, newest;
  int pages_oldest = 0, pages_newest = 0;
  ASSERT_TRUE(
      ListAllMarks(server(), "ETH-USD", &oldest, 997, v1::ORDER_OLDEST_FIRST, &pages_oldest));
  ASSERT_TRUE(
      ListAllMarks(server(), "ETH-USD", &newest, 997, v1::ORDER_NEWEST_FIRST, &pages_newest));
  EXPECT_GT(pages_oldest, 2);
  EXPECT_EQ(pages_oldest, pages_newest);
  ASSERT_EQ(oldest.size(), eth().size());
  ASSERT_EQ(newest.size(), eth().size());
  std::set<uint64_t> sequences;
  for (size_t i = 0; i < oldest.size(); ++i) {
    sequences.insert(oldest[i].sequence());
    if (i > 0) {
      EXPECT_GT(oldest[i].sequence(), oldest[i - 1].sequence()) << i;
      EXPECT_GE(ToNs(oldest[i].publish_time()), ToNs(oldest[i - 1].publish_time())) << i;
    }
    const v1::Mark& mirror = newest[newest.size() - 1 - i];
    EXPECT_EQ(SerializeDeterministic(oldest[i]), SerializeDeterministic(mirror)) << i;
    EXPECT_EQ(SerializeDeterministic(oldest[i]), SerializeDeterministic(eth()[i])) << i;
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_EQ(sequences.size(), oldest.size()) << "duplicates";
  EXPECT_EQ(oldest.front().sequence(), 1u);
  EXPECT_EQ(oldest.back().sequence(), oldest.size());
}

TEST_F(HistoryQueries, GetMarkAtReturnsTheLastMarkPublishedAtOrBeforeTheTime) {
  const std::vector<v1::Mark>& marks = eth();
  // The expected answer from the list: the last mark with publish_time <= t.
  auto expected = [&](TimeNs t) -> const v1::Mark* {
    auto it = std::upper_bound(marks.begin(), marks.end(), t, [](TimeNs v, const v1::Mark& m) {
      return v < ToNs(m.publish_time());
    });
    return it == marks.begin() ? nullptr : &*(it - 1);
  };
  const size_t n = marks.size();
  for (size_t i : {size_t{0}, size_t{1}, n / 3, n / 2, n - 2, n - 1}) {
    const TimeNs pt = ToNs(marks[i].publish_time());
    for (TimeNs t : {pt, pt + 1, pt - 1, pt + 777 * kNanosPerMilli}) {
      SCOPED_TRACE(FormatRfc3339(t));
      const v1::Mark* want = expected(t);
      MarkAt got = GetMarkAt(server(), "ETH-USD", t);
      if (want == nullptr) {
        EXPECT_EQ(got.status.error_code(), grpc::StatusCode::NOT_FOUND);
        EXPECT_EQ(got.reason, "MARK_NOT_FOUND");
        continue;
      }
      ASSERT_TRUE(got.status.ok()) << got.status.error_message();
      EXPECT_EQ(got.response.mark().sequence(), want->sequence());
      EXPECT_EQ(SerializeDeterministic(got.response.mark()), SerializeDeterministic(*want));
      EXPECT_EQ(got.response.age().seconds() * kNanosPerSecond + got.response.age().nanos(),
                t - ToNs(want->publish_time()));
      EXPECT_GT(got.response.event_sequence(), 0u);
    }
  }
  // Event sequences grow with the marks.
  MarkAt early = GetMarkAt(server(), "ETH-USD", ToNs(marks[n / 3].publish_time()));
  MarkAt late = GetMarkAt(server(), "ETH-USD", ToNs(marks[n / 2].publish_time()));
  ASSERT_TRUE(early.status.ok() && late.status.ok());
  EXPECT_LT(early.response.event_sequence(), late.response.event_sequence());
}

// The time-weighted average from the listed marks: each mark's price holds until the next mark;
// marks without a price do not count.
struct ReferenceTwap {
  __int128 price_ns = 0;
  int64_t priced_ns = 0;
  uint64_t start_sequence = 0, end_sequence = 0;
};

ReferenceTwap ComputeTwap(const std::vector<v1::Mark>& marks, TimeNs lo, TimeNs hi) {
  ReferenceTwap r;
  for (size_t i = 0; i < marks.size(); ++i) {
    const TimeNs from = ToNs(marks[i].publish_time());
    const TimeNs to = i + 1 < marks.size() ? ToNs(marks[i + 1].publish_time())
                                           : std::numeric_limits<TimeNs>::max();
    if (from <= lo) r.start_sequence = marks[i].sequence();
    if (from <= hi) r.end_sequence = marks[i].sequence();
    const TimeNs a = std::max(from, lo), b = std::min(to, hi);
    if (b <= a || !marks[i].has_price()) continue;
    r.price_ns += static_cast<__int128>(marks[i].price().mantissa()) * (b - a);
    r.priced_ns += b - a;
  }
  return r;
}

TEST_F(HistoryQueries, GetTwapEqualsTheTimeWeightedAverageOfTheListedMarks) {
  for (const std::string& name : std::vector<std::string>{"ETH-USD", "USDE-USD"}) {
    std::vector<v1::Mark> marks;
    ASSERT_TRUE(ListAllMarks(server(), name, &marks));
    ASSERT_GT(marks.size(), 100u);
    int exponent = 0;
    bool have_exponent = false;
    for (const v1::Mark& m : marks) {
      if (!m.has_price()) continue;
      if (!have_exponent) exponent = m.price().exponent();
      have_exponent = true;
      ASSERT_EQ(m.price().exponent(), exponent) << name << " #" << m.sequence();
    }
    ASSERT_TRUE(have_exponent) << name;
    const TimeNs t0 = ToNs(marks.front().publish_time());
    const TimeNs tn = ToNs(marks.back().publish_time());
    const TimeNs minute = 60 * kNanosPerSecond;
    const std::vector<std::pair<TimeNs, TimeNs>> windows = {
        {t0 + 7 * minute + 333, t0 + 23 * minute + 1},  // odd instants
        {t0 - minute, t0 + 90 * kNanosPerSecond},       // starts before the first mark
        {ToNs(marks[100].publish_time()), ToNs(marks[marks.size() / 2].publish_time())},
        {t0 + 8 * minute, t0 + 8 * minute + 2 * kNanosPerSecond},  // a couple of marks
        {tn - 5 * minute, tn + minute},                            // past the last mark
    };
    for (const auto& [lo, hi] : windows) {
      SCOPED_TRACE(name + " [" + FormatRfc3339(lo) + ", " + FormatRfc3339(hi) + ")");
      v1::GetTwapRequest req;
      req.set_instrument(name);
      *req.mutable_start_time() = FromNs(lo);
      *req.mutable_end_time() = FromNs(hi);
      grpc::ClientContext ctx;
      SetDeadline(&ctx);
      v1::GetTwapResponse resp;
      grpc::Status st = server().audit->GetTwap(&ctx, req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      const ReferenceTwap want = ComputeTwap(marks, lo, hi);
      EXPECT_EQ(resp.window_duration().seconds() * kNanosPerSecond + resp.window_duration().nanos(),
                hi - lo);
      EXPECT_EQ(resp.priced_duration().seconds() * kNanosPerSecond + resp.priced_duration().nanos(),
                want.priced_ns);
      EXPECT_EQ(resp.start_mark_sequence(), want.start_sequence);
      EXPECT_EQ(resp.end_mark_sequence(), want.end_sequence);
      ASSERT_GT(want.priced_ns, 0);
      ASSERT_TRUE(resp.has_twap());
      EXPECT_EQ(resp.twap().exponent(), exponent);
      const auto expected = static_cast<int64_t>(want.price_ns / want.priced_ns);  // truncated
      EXPECT_LE(std::abs(resp.twap().mantissa() - expected), 1)
          << "server " << resp.twap().mantissa() << " reference " << expected;
    }
  }
}

TEST_F(HistoryQueries, ListEventsOfOneVenueAndInstrumentReturnsOnlyThoseInOrder) {
  v1::ListEventsRequest req;
  req.set_venue("binance");
  req.set_instrument("USDE-USD");
  req.set_page_size(500);
  size_t events = 0;
  uint64_t previous = 0;
  int calls = 0;
  for (; calls < 40 && events < 3000; ++calls) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    v1::ListEventsResponse resp;
    grpc::Status st = server().audit->ListEvents(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    for (const v1::StoredEvent& e : resp.events()) {
      EXPECT_EQ(e.venue(), "binance") << e.DebugString();
      EXPECT_EQ(e.pair(), "USDE-USDT") << e.DebugString();
      EXPECT_TRUE(e.type() == v1::STORED_EVENT_TYPE_QUOTE ||
                  e.type() == v1::STORED_EVENT_TYPE_TRADE)
          << e.DebugString();
      EXPECT_GT(e.sequence(), previous) << e.DebugString();
      previous = e.sequence();
      ++events;
    }
    if (::testing::Test::HasFailure() || resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_GT(events, 1000u) << "after " << calls << " calls";
}

// 5. oraclectl's audit commands against this server.
TEST_F(HistoryQueries, CtlAuditCommandsWork) {
  // A header line, then one line per mark.
  RunResult history = Ctl({"history", "ETH-USD", "--limit", "5"});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  auto count_lines = [](const std::string& text, const std::string& prefix) {
    int n = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) n += line.rfind(prefix, 0) == 0;
    return n;
  };
  const std::string year = FormatRfc3339(ToNs(eth().front().publish_time())).substr(0, 4);
  EXPECT_EQ(count_lines(history.out, year), 5) << history.out;
  RunResult history_json = Ctl({"--json", "history", "ETH-USD", "--limit", "5"});
  EXPECT_EQ(history_json.exit_code, 0) << history_json.err;
  EXPECT_EQ(count_lines(history_json.out, "{\"instrument\":\"ETH-USD\""), 5) << history_json.out;

  const std::string csv = *tmp_ / "eth.csv";
  RunResult exported = Ctl({"export", "ETH-USD", "--format", "csv", "--output", csv});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  {
    std::ifstream in(csv);
    std::string header;
    ASSERT_TRUE(std::getline(in, header)) << "empty CSV";
    EXPECT_EQ(header.rfind("instrument,", 0), 0u) << header;
    size_t rows = 0;
    for (std::string line; std::getline(in, line);) rows += !line.empty();
    EXPECT_EQ(rows, eth().size());
  }

  const uint64_t sequence = eth()[eth().size() / 2].sequence();
  RunResult verify = Ctl({"verify", "ETH-USD", "--sequence", std::to_string(sequence)});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  const std::string when = FormatRfc3339(ToNs(eth()[eth().size() / 3].publish_time()) + 1234);
  RunResult at = Ctl({"at", "ETH-USD", when});
  EXPECT_TRUE(at.exit_code == 0 || at.exit_code == 3) << at.exit_code << " " << at.out << at.err;
  EXPECT_NE(at.out.find("ETH-USD"), std::string::npos) << at.out;
}

// ---------------------------------------------------------------------------------------------
// 4. Signed marks end to end.

TEST(HistorySigned, LiveAndStoredMarksCarryTheSameVerifiableSignature) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string openssl = FindProgram("openssl");
  if (openssl.empty()) GTEST_SKIP() << "openssl is not on PATH: cannot make an Ed25519 key";
  const std::string key = tmp / "key.pem", pub = tmp / "pub.pem";
  RunResult gen = RunCommand({openssl, "genpkey", "-algorithm", "ed25519", "-out", key});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  RunResult pubout = RunCommand({openssl, "pkey", "-in", key, "-pubout", "-out", pub});
  ASSERT_EQ(pubout.exit_code, 0) << pubout.err;
  std::string why;
  const std::optional<std::string> ticks = GenerateTickLog(tmp.path(), &why);
  if (!ticks) GTEST_SKIP() << why;

  const auto t0 = Clock::now();
  Server s;
  ASSERT_TRUE(StartOracled(tmp.path(),
                           {"--replay", *ticks, "--replay-clock", "log", "--data-dir", tmp / "data",
                            "--signing-key", key},
                           &s));
  v1::ServerStatus st;
  ASSERT_TRUE(WaitUntilReplayWritten(s, &st));
  std::fprintf(stderr, "[ info ] signed replay written in %.1f s\n", SecondsSince(t0));

  v1::Mark live;
  {
    v1::GetMarkRequest req;
    req.set_instrument("ETH-USD");
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    grpc::Status gs = s.oracle->GetMark(&ctx, req, &live);
    ASSERT_TRUE(gs.ok()) << gs.error_message();
  }
  EXPECT_EQ(live.key_id().size(), 16u) << live.key_id();
  EXPECT_EQ(live.signature().size(), 64u);
  EXPECT_EQ(live.publisher_id(), live.key_id());  // signed v2; no signing.publisher_id configured

  auto verify_json = [&](const v1::Mark& m, const std::string& file) {
    std::string json;
    google::protobuf::util::JsonPrintOptions opts;
    opts.preserve_proto_field_names = true;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &json, opts).ok());
    { std::ofstream(file) << json << "\n"; }
    return RunCommand({kOraclectl, "verify-signature", "--public-key", pub, "--mark-json", file});
  };
  RunResult good = verify_json(live, tmp / "live.json");
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  v1::Mark tampered = live;
  tampered.mutable_price()->set_mantissa(live.price().mantissa() + 1);
  RunResult bad = verify_json(tampered, tmp / "tampered.json");
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE((bad.out + bad.err).find("BAD_SIGNATURE"), std::string::npos) << bad.out << bad.err;

  // The stored marks: same key, valid signatures, and the live mark is the stored one.
  std::vector<v1::Mark> stored;
  ASSERT_TRUE(ListAllMarks(s, "ETH-USD", &stored));
  ASSERT_GT(stored.size(), 10u);
  for (const v1::Mark& m : stored) {
    EXPECT_EQ(m.key_id(), live.key_id()) << m.sequence();
    EXPECT_EQ(m.signature().size(), 64u) << m.sequence();
    if (::testing::Test::HasFailure()) break;
  }
  const v1::Mark& newest = stored.back();
  ASSERT_EQ(newest.sequence(), live.sequence());
  EXPECT_EQ(newest.signature(), live.signature());
  EXPECT_EQ(SerializeDeterministic(newest), SerializeDeterministic(live));
  for (size_t i : {size_t{0}, stored.size() / 2, stored.size() - 1}) {
    RunResult r = verify_json(stored[i], tmp / ("stored-" + std::to_string(i) + ".json"));
    EXPECT_EQ(r.exit_code, 0) << "stored #" << stored[i].sequence() << ": " << r.out << r.err;
  }
  v1::VerifyMarkResponse v;
  EXPECT_TRUE(VerifiesExactly(s, "ETH-USD", stored[stored.size() / 2].sequence(), &v));
  EXPECT_TRUE(v.signature_valid());
  EXPECT_EQ(v.recomputed().signature(), v.stored().signature());
  EXPECT_EQ(s.Stop(), 0) << s.child->Output();
}

// 5. Damaged data directories: pricing never stops (README "History faults").

// The oracled of `flags` replays the demo log into `data_dir` and stops cleanly.
::testing::AssertionResult FillDataDir(const TempDir& tmp, const std::string& ticks,
                                       const std::string& data_dir, v1::ServerStatus* written) {
  Server s;
  if (auto r = StartOracled(
          tmp.path(), {"--replay", ticks, "--replay-clock", "log", "--data-dir", data_dir}, &s);
      !r) {
    return r;
  }
  if (auto r = WaitUntilReplayWritten(s, written); !r) return r;
  const int code = s.Stop();
  if (code != 0) return ::testing::AssertionFailure() << "oracled exited " << code;
  return ::testing::AssertionSuccess();
}

// Overwrites the newest event of the stored history with 64 bytes that do not decode; returns its
// sequence (0 on failure, with the reason in *why). RocksDB directly: oracled is not running.
uint64_t GarbleNewestEvent(const std::string& data_dir, std::string* why) {
  std::vector<std::string> names;
  rocksdb::Status st = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), data_dir, &names);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (st.ok()) st = rocksdb::DB::Open(rocksdb::DBOptions(), data_dir, families, &handles, &raw);
  if (!st.ok()) {
    *why = st.ToString();
    return 0;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  uint64_t seq = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] != "events") continue;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[i]));
    it->SeekToLast();
    if (!it->Valid() || it->key().size() != 8) break;
    for (int b = 0; b < 8; ++b) seq = seq << 8 | static_cast<unsigned char>(it->key()[b]);
    const std::string key = it->key().ToString();
    it.reset();
    st = db->Put(rocksdb::WriteOptions(), handles[i], key, std::string(64, '\x09'));
    if (!st.ok()) seq = 0;
  }
  if (seq == 0) *why = "no events family, or its put failed: " + st.ToString();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  db->Close().PermitUncheckedError();
  return seq;
}

// Polls GetServerStatus until `done` holds (and oracled still runs).
::testing::AssertionResult WaitForStatus(Server& s,
                                         const std::function<bool(const v1::ServerStatus&)>& done,
                                         v1::ServerStatus* out) {
  const auto deadline = Clock::now() + kPollDeadline;
  while (Clock::now() < deadline) {
    if (!s.child->Running()) {
      return ::testing::AssertionFailure() << "oracled exited:\n" << s.child->Output();
    }
    if (GetStatus(s, out) && done(*out)) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ::testing::AssertionFailure()
         << "not within " << kPollDeadline.count() << " s; last status:\n"
         << out->DebugString() << s.child->Output();
}

// An event that does not decode used to fail the start (exit 4: a restart loop under systemd).
// Now oracled serves live marks, the history is FAILING and says which event, and it records on.
TEST(HistoryFaults, AnEventThatDoesNotDecodeKeepsLiveMarksServedWithHistoryFailing) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::string why;
  const std::optional<std::string> ticks = GenerateTickLog(tmp.path(), &why);
  if (!ticks) GTEST_SKIP() << why;
  const std::string data_dir = tmp / "data";
  v1::ServerStatus written;
  ASSERT_TRUE(FillDataDir(tmp, *ticks, data_dir, &written));
  const uint64_t damaged = GarbleNewestEvent(data_dir, &why);
  ASSERT_GT(damaged, 0u) << why;

  Server s;
  ASSERT_TRUE(
      StartOracled(tmp.path(), {"--replay", *ticks, "--speed", "20", "--data-dir", data_dir}, &s));
  v1::ServerStatus st;
  ASSERT_TRUE(WaitForStatus(
      s, [](const v1::ServerStatus& x) { return x.persistence().written_event_count() > 100; },
      &st));
  const v1::PersistenceStatus& p = st.persistence();
  EXPECT_EQ(p.state(), v1::PERSISTENCE_STATE_FAILING);
  EXPECT_GE(p.recovery_fault_count(), 1);
  EXPECT_NE(p.last_error().find("events family, sequence " + std::to_string(damaged) +
                                ": the stored event does not decode"),
            std::string::npos)
      << p.last_error();
  EXPECT_NE(p.last_error().find("a new segment begins at " + std::to_string(damaged + 1)),
            std::string::npos)
      << p.last_error();
  EXPECT_EQ(p.recovered_sequence(), static_cast<int64_t>(damaged));
  // Live marks: ETH-USD is priced and its sequence goes on.
  auto eth = [&](v1::Mark* m) {
    v1::GetMarkRequest req;
    req.set_instrument("ETH-USD");
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 10);
    return s.oracle->GetMark(&ctx, req, m).ok() && m->has_price();
  };
  v1::Mark first, later;
  const auto deadline = Clock::now() + kPollDeadline;
  while (Clock::now() < deadline && !eth(&first)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(first.has_price()) << s.child->Output();
  while (Clock::now() < deadline && (!eth(&later) || later.sequence() <= first.sequence())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GT(later.sequence(), first.sequence());
  ASSERT_TRUE(GetStatus(s, &st));
  EXPECT_EQ(st.persistence().state(), v1::PERSISTENCE_STATE_FAILING) << "until restart";
  EXPECT_TRUE(s.child->Running());
  EXPECT_EQ(s.Stop(), 0) << s.child->Output();
}

// Garbled .sst files: the store does not open (UNAVAILABLE, naming the file) and is retried; a
// deterministic replay (overflow BLOCK) still applies every event instead of waiting for a disk
// that never drains the ring, and SIGTERM stops it cleanly.
TEST(HistoryFaults, GarbledSstFilesLeaveTheStoreUnavailableAndTheReplayRunsToTheEnd) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::string why;
  const std::optional<std::string> ticks = GenerateTickLog(tmp.path(), &why);
  if (!ticks) GTEST_SKIP() << why;
  const std::string data_dir = tmp / "data";
  v1::ServerStatus written;
  ASSERT_TRUE(FillDataDir(tmp, *ticks, data_dir, &written));
  const int64_t total = written.applied_event_count();
  int garbled = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir)) {
    if (entry.path().extension() != ".sst") continue;
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    const auto size = static_cast<std::streamoff>(std::filesystem::file_size(entry.path()));
    for (const std::streamoff at : {size / 3, size / 2, 2 * size / 3}) {
      char buf[64];
      f.seekg(at);
      f.read(buf, sizeof buf);
      for (char& c : buf) c = static_cast<char>(c ^ 0x5a);
      f.seekp(at);
      f.write(buf, f.gcount());
    }
    ++garbled;
  }
  ASSERT_GT(garbled, 0) << "the first run left no .sst file";

  Server s;
  ASSERT_TRUE(StartOracled(
      tmp.path(), {"--replay", *ticks, "--replay-clock", "log", "--data-dir", data_dir}, &s));
  v1::ServerStatus st;
  ASSERT_TRUE(WaitForStatus(
      s, [&](const v1::ServerStatus& x) { return x.applied_event_count() >= total; }, &st))
      << "the core stopped applying events";
  EXPECT_EQ(st.persistence().state(), v1::PERSISTENCE_STATE_UNAVAILABLE);
  EXPECT_NE(st.persistence().last_error().find(".sst"), std::string::npos)
      << st.persistence().last_error();
  EXPECT_EQ(s.Stop(), 0) << s.child->Output();
}

// 6. A signing key file that group or others may access is refused, unless allowed.

TEST(HistorySigned, AKeyFileOthersMayReadIsRefusedUnlessAllowed) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string openssl = FindProgram("openssl");
  if (openssl.empty()) GTEST_SKIP() << "openssl is not on PATH: cannot make an Ed25519 key";
  const std::string key = tmp / "key.pem";
  RunResult gen = RunCommand({openssl, "genpkey", "-algorithm", "ed25519", "-out", key});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ASSERT_EQ(chmod(key.c_str(), 0644), 0);  // tests run as root: set the mode, not rely on access()
  RunResult refused = RunCommand(
      {kOracled, "--signing-key", key, "--listen", "127.0.0.1:0", "--port-file", tmp / "port-r"});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_NE(refused.err.find(key), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("mode 0644"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("chmod 600 " + key), std::string::npos) << refused.err;

  std::string why;
  const std::optional<std::string> ticks = GenerateTickLog(tmp.path(), &why);
  if (!ticks) GTEST_SKIP() << why;
  Server s;
  ASSERT_TRUE(StartOracled(tmp.path(),
                           {"--replay", *ticks, "--speed", "20", "--signing-key", key,
                            "--allow-readable-signing-key", "--data-dir", tmp / "data"},
                           &s));
  v1::ServerStatus st;
  ASSERT_TRUE(WaitForStatus(
      s, [](const v1::ServerStatus& x) { return x.signing().signed_count() > 0; }, &st));
  EXPECT_TRUE(st.signing().enabled());
  EXPECT_EQ(st.signing().key_id().size(), 16u);
  EXPECT_EQ(st.signing().failure_count(), 0);
  EXPECT_EQ(s.Stop(), 0);
}

}  // namespace
}  // namespace oracle
