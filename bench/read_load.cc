// read_load: a closed-loop async gRPC load generator for the oracle's read API.
//
// Keeps exactly --concurrency requests outstanding (a new one is issued the moment one completes)
// for --duration-s after --warmup-s, from one CompletionQueue thread, and reports throughput and
// latency (p50/p90/p99/p99.9/max, from every request's start to its completion) as one JSON line
// per scenario on stdout plus a human line on stderr.
//
// By default it starts the oracle in this process (oracle::OracleApp, listening on 127.0.0.1:0,
// the benchmark configuration of bench_config.h, SyntheticSource at --synthetic-eps) and samples
// the core's events_applied() over each measurement window, so every scenario also reports the
// core's ingest rate under that read load. Client and server still talk over loopback TCP. With
// --address it loads an external server instead (no ingest numbers).
//
//   read_load [--address HOST:PORT] [--scenarios idle,get_full,batch_full] [--concurrency 64]
//             [--duration-s 10] [--warmup-s 2] [--batch 100] [--channels 1]
//             [--synthetic-eps 1000000] [--idle-sleep-us 50] [--instruments 1000] [--venues 8]
//             [--client raw|typed] [--seed 1] [--label TEXT] [--dump-redis FILE]
//             [--write-config FILE]
//
// --client typed uses the generated async stub (OracleService::Stub::PrepareAsyncGetMark ...) and
// parses every reply into its message, as an application would. --client raw (the default) sends
// the same pre-serialized requests through grpc::GenericStub and keeps replies as bytes, parsing
// one reply in 64 to check it: like redis-benchmark, which never decodes the values it fetches, it
// spends its CPU on the transport only, so on a small machine the server under test gets the rest.
//
// Each window also samples the server's GetServerStatus (ring events pushed and dropped, timers
// skipped, marks published), so "readers never slow the writer" is checked by the server's own
// counters, in-process or not.
//
// Scenarios: idle (no reads: the ingest baseline), get_basic, get_full (GetMark of one random
// instrument, view BASIC or FULL), batch_basic, batch_full (BatchGetMarks of --batch distinct
// random instruments). Every response is checked: non-OK gRPC statuses are counted by code, and the
// share of returned marks whose status is MARK_STATUS_OK is reported (a benchmark of error replies
// or of empty marks would measure nothing).
//
// --dump-redis FILE writes SET commands (Redis protocol, for `redis-cli --pipe`) holding every
// instrument's mark as serialized oracle.v1.Mark bytes (FULL view, the GetMark reply) under keys
// "mark:%012d" (the instrument's index; redis-benchmark's __rand_int__ expands to that form).
// --write-config FILE writes the configuration text (for oracled --config) and exits.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>
#include <time.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "bench_config.h"
#include "oracle/app/oracle_app.h"
#include "oracle/auth/auth.h"
#include "oracle/core/cli_args.h"
#include "oracle/core/time.h"
#include "oracle/v1/oracle.grpc.pb.h"

namespace oracle::bench {
namespace {

namespace pb = ::oracle::v1;

constexpr char kUsage[] =
    "usage: read_load [--address HOST:PORT] [--scenarios LIST] [--concurrency N] [--duration-s S]\n"
    "                 [--warmup-s S] [--batch N] [--channels N] [--synthetic-eps R]\n"
    "                 [--idle-sleep-us US] [--instruments N] [--venues N] [--client raw|typed]\n"
    "                 [--seed N] [--label T] [--signing-key FILE]\n"
    "                 [--tls-cert FILE --tls-key FILE --tls-ca FILE] [--auth-token TOKEN]\n"
    "                 [--dump-redis FILE] [--write-config FILE]\n"
    "scenarios: idle, get_basic, get_full, batch_basic, batch_full (comma-separated)\n";

class Rng {
 public:
  explicit Rng(uint64_t seed) : x_(seed * 0x9E3779B97F4A7C15ull | 1) {}
  uint64_t Next() noexcept {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 7;
    x_ ^= x_ << 17;
    return x_;
  }

 private:
  uint64_t x_;
};

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int64_t Percentile(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t idx = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(idx, sorted.size() - 1)];
}

struct Options {
  std::string address;  // empty: in-process server
  std::vector<std::string> scenarios = {"idle", "get_full", "batch_full"};
  int concurrency = 64;
  double duration_s = 10;
  double warmup_s = 2;
  int batch = 100;
  int channels = 1;
  double synthetic_eps = 1'000'000;
  int64_t idle_sleep_us = 50;
  int instruments = 1000;
  int venues = 8;
  uint64_t seed = 1;
  std::string label;
  std::string dump_redis;
  bool raw = true;
  std::string tls_ca;         // non-empty: TLS, trusting this CA (the server name is "localhost")
  std::string authorization;  // non-empty: "Bearer <token>" on every call
};

struct Result {
  std::string scenario;
  double window_s = 0;
  uint64_t requests = 0;  // completed within the window
  uint64_t ok = 0;
  std::map<int, uint64_t> errors;  // gRPC code -> count
  std::string first_error;
  uint64_t marks = 0;  // marks returned
  uint64_t marks_status_ok = 0;
  uint64_t marks_checked = 0;  // marks whose status was looked at (all, or the parsed sample)
  uint64_t entry_errors = 0;   // per-entry errors inside BatchGetMarks replies
  uint64_t sized = 0;
  uint64_t sized_bytes = 0;
  std::vector<int64_t> latencies_ns;
  // In-process only.
  bool has_ingest = false;
  double ingest_eps = 0;
  // From GetServerStatus over the same window (any server).
  bool has_status = false;
  double ring_pushed_eps = 0;  // offered to the core through its rings
  uint64_t ring_dropped = 0;   // overwritten before the core read them
  uint64_t timers_skipped = 0;
  double marks_published_per_s = 0;
  double cpu_cores = 0;
};

// One in-flight RPC.
struct Call {
  grpc::ClientContext ctx;
  grpc::Status status;
  pb::Mark mark;
  pb::BatchGetMarksResponse batch;
  std::unique_ptr<grpc::ClientAsyncResponseReader<pb::Mark>> get_reader;
  std::unique_ptr<grpc::ClientAsyncResponseReader<pb::BatchGetMarksResponse>> batch_reader;
  grpc::ByteBuffer raw;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> raw_reader;
  int64_t start_ns = 0;
};

// --tls-cert/--tls-key/--tls-ca: the in-process server serves TLS and the client trusts the CA;
// --auth-token T: the server takes bearer tokens (a token file in /tmp holding T's digest, role
// OPERATOR so GetServerStatus answers too) and the client sends T. Returns 0 or an exit code.
int ApplySecurityOptions(const CliArgs& args, Options* opt, Config* config) {
  if (args.Has("tls-cert") != args.Has("tls-key") || args.Has("tls-cert") != args.Has("tls-ca")) {
    std::fprintf(stderr, "read_load: --tls-cert, --tls-key and --tls-ca go together\n");
    return 2;
  }
  if (args.Has("tls-cert")) {
    config->tls.cert_file = *args.Get("tls-cert");
    config->tls.key_file = *args.Get("tls-key");
    opt->tls_ca = *args.Get("tls-ca");
  }
  if (auto token = args.Get("auth-token")) {
    const std::string path = "/tmp/read_load_tokens_" + std::to_string(getpid());
    std::ofstream(path) << "read-load OPERATOR " << auth::TokenDigestHex(*token) << "\n";
    config->auth.tokens_file = path;
    opt->authorization = "Bearer " + *token;
  }
  return 0;
}

class LoadGenerator {
 public:
  LoadGenerator(const Options& opt, std::vector<std::string> names, OracleApp* server)
      : opt_(opt), names_(std::move(names)), server_(server) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per channel
    args.SetMaxReceiveMessageSize(64 << 20);
    std::shared_ptr<grpc::ChannelCredentials> creds = grpc::InsecureChannelCredentials();
    if (!opt.tls_ca.empty()) {
      grpc::SslCredentialsOptions tls;
      std::ifstream in(opt.tls_ca);
      std::stringstream pem;
      pem << in.rdbuf();
      tls.pem_root_certs = pem.str();
      creds = grpc::SslCredentials(tls);
      args.SetSslTargetNameOverride("localhost");
    }
    for (int c = 0; c < opt.channels; ++c) {
      auto ch = grpc::CreateCustomChannel(opt.address, creds, args);
      channels_.push_back(ch);
      stubs_.push_back(pb::OracleService::NewStub(ch));
      generic_.push_back(std::make_unique<grpc::GenericStub>(ch));
    }
    Rng rng(opt.seed);
    for (int k = 0; k < 4096; ++k) {
      pb::GetMarkRequest r;
      r.set_instrument(names_[rng.Next() % names_.size()]);
      get_requests_.push_back(r);
    }
    std::vector<size_t> idx(names_.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    const size_t b = std::min<size_t>(static_cast<size_t>(opt.batch), names_.size());
    for (int k = 0; k < 1024; ++k) {
      pb::BatchGetMarksRequest r;
      for (size_t i = 0; i < b; ++i) {  // partial Fisher-Yates: b distinct instruments
        size_t j = i + rng.Next() % (idx.size() - i);
        std::swap(idx[i], idx[j]);
        r.add_instruments(names_[idx[i]]);
      }
      batch_requests_.push_back(r);
    }
  }

  // The token of --auth-token, on every call.
  void AddAuth(grpc::ClientContext* ctx) const {
    if (!opt_.authorization.empty()) ctx->AddMetadata("authorization", opt_.authorization);
  }

  bool WaitConnected() {
    for (auto& ch : channels_) {
      if (!ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
        return false;
      }
    }
    return true;
  }

  // Waits until a random sample of instruments has OK marks (the synthetic feed is flowing).
  bool WaitForMarks(double timeout_s) {
    const int64_t deadline = MonotonicNowNs() + static_cast<int64_t>(timeout_s * 1e9);
    while (MonotonicNowNs() < deadline) {
      grpc::ClientContext ctx;
      AddAuth(&ctx);
      pb::BatchGetMarksRequest req = batch_requests_[0];
      req.set_view(pb::MARK_VIEW_BASIC);
      pb::BatchGetMarksResponse resp;
      grpc::Status st = stubs_[0]->BatchGetMarks(&ctx, req, &resp);
      if (st.ok()) {
        int ok = 0;
        for (const auto& r : resp.results()) {
          ok += r.has_mark() && r.mark().status() == pb::MARK_STATUS_OK;
        }
        if (ok == resp.results_size()) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  Result Run(const std::string& scenario) {
    Result res;
    res.scenario = scenario;
    const bool idle = scenario == "idle";
    const bool batch = scenario.rfind("batch", 0) == 0;
    const pb::MarkView view =
        scenario.find("basic") != std::string::npos ? pb::MARK_VIEW_BASIC : pb::MARK_VIEW_FULL;
    for (auto& r : get_requests_) r.set_view(view);
    for (auto& r : batch_requests_) r.set_view(view);
    std::vector<grpc::ByteBuffer> raw_requests;
    if (opt_.raw) {
      bool own = false;
      if (batch) {
        for (const auto& r : batch_requests_) {
          raw_requests.emplace_back();
          grpc::GenericSerialize<grpc::ProtoBufferWriter, pb::BatchGetMarksRequest>(
              r, &raw_requests.back(), &own);
        }
      } else {
        for (const auto& r : get_requests_) {
          raw_requests.emplace_back();
          grpc::GenericSerialize<grpc::ProtoBufferWriter, pb::GetMarkRequest>(
              r, &raw_requests.back(), &own);
        }
      }
    }
    const std::string method =
        batch ? "/oracle.v1.OracleService/BatchGetMarks" : "/oracle.v1.OracleService/GetMark";

    const int64_t t_begin = MonotonicNowNs();
    const int64_t warm_end = t_begin + static_cast<int64_t>(opt_.warmup_s * 1e9);
    const int64_t end = warm_end + static_cast<int64_t>(opt_.duration_s * 1e9);
    uint64_t applied0 = 0;
    double cpu0 = 0;
    int64_t t0 = 0;
    StatusSample status0;
    auto sample_start = [&](int64_t now) {
      t0 = now;
      cpu0 = CpuSeconds();
      if (server_ != nullptr) applied0 = server_->events_applied();
      status0 = FetchStatus();
    };
    auto sample_end = [&](int64_t now) {
      res.window_s = static_cast<double>(now - t0) / 1e9;
      res.cpu_cores = (CpuSeconds() - cpu0) / res.window_s;
      if (server_ != nullptr) {
        res.has_ingest = true;
        res.ingest_eps = static_cast<double>(server_->events_applied() - applied0) / res.window_s;
      }
      const StatusSample status1 = FetchStatus();
      if (status0.ok && status1.ok) {
        res.has_status = true;
        res.ring_pushed_eps = static_cast<double>(status1.pushed - status0.pushed) / res.window_s;
        res.ring_dropped = status1.dropped - status0.dropped;
        res.timers_skipped = status1.timers_skipped - status0.timers_skipped;
        res.marks_published_per_s =
            static_cast<double>(status1.marks_published - status0.marks_published) / res.window_s;
        if (!res.has_ingest) {
          res.has_ingest = true;
          res.ingest_eps = static_cast<double>(status1.applied - status0.applied) / res.window_s;
        }
      }
    };

    if (idle) {
      SleepUntil(warm_end);
      sample_start(MonotonicNowNs());
      SleepUntil(end);
      sample_end(MonotonicNowNs());
      return res;
    }

    res.latencies_ns.reserve(1 << 20);
    grpc::CompletionQueue cq;
    uint64_t issued = 0;
    auto issue = [&] {
      Call* c = new Call;
      auto& stub = *stubs_[issued % stubs_.size()];
      c->start_ns = MonotonicNowNs();
      AddAuth(&c->ctx);
      if (opt_.raw) {
        c->raw_reader = generic_[issued % generic_.size()]->PrepareUnaryCall(
            &c->ctx, method, raw_requests[issued % raw_requests.size()], &cq);
        c->raw_reader->StartCall();
        c->raw_reader->Finish(&c->raw, &c->status, c);
      } else if (batch) {
        c->batch_reader = stub.PrepareAsyncBatchGetMarks(
            &c->ctx, batch_requests_[issued % batch_requests_.size()], &cq);
        c->batch_reader->StartCall();
        c->batch_reader->Finish(&c->batch, &c->status, c);
      } else {
        c->get_reader =
            stub.PrepareAsyncGetMark(&c->ctx, get_requests_[issued % get_requests_.size()], &cq);
        c->get_reader->StartCall();
        c->get_reader->Finish(&c->mark, &c->status, c);
      }
      ++issued;
    };
    for (int i = 0; i < opt_.concurrency; ++i) issue();
    int outstanding = opt_.concurrency;
    bool started = false, ended = false;
    void* tag = nullptr;
    bool ok = false;
    while (outstanding > 0 && cq.Next(&tag, &ok)) {
      Call* c = static_cast<Call*>(tag);
      const int64_t now = MonotonicNowNs();
      --outstanding;
      if (!started && now >= warm_end) {
        started = true;
        sample_start(now);
      }
      if (started && !ended && now >= end) {
        ended = true;
        sample_end(now);
      }
      if (c->start_ns >= warm_end && c->start_ns < end) Record(*c, batch, now, &res);
      delete c;
      if (now < end) {
        issue();
        ++outstanding;
      }
    }
    if (!ended) sample_end(MonotonicNowNs());
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) delete static_cast<Call*>(tag);
    return res;
  }

  // The server's own counters (GetServerStatus): ring traffic and drops, skipped timers.
  struct StatusSample {
    bool ok = false;
    uint64_t applied = 0, pushed = 0, dropped = 0, timers_skipped = 0, marks_published = 0;
  };
  StatusSample FetchStatus() {
    StatusSample out;
    grpc::ClientContext ctx;
    AddAuth(&ctx);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    pb::ServerStatus st;
    if (!stubs_[0]->GetServerStatus(&ctx, pb::GetServerStatusRequest(), &st).ok()) return out;
    out.ok = true;
    out.applied = st.applied_event_count();
    out.timers_skipped = st.skipped_timer_count();
    out.marks_published = st.published_mark_count();
    for (const auto& p : st.producers()) {
      out.pushed += p.pushed_count();
      out.dropped += p.dropped_count();
    }
    return out;
  }

  // Every instrument's FULL mark as Redis SET commands.
  bool DumpRedis(const std::string& path, size_t* keys, double* avg_bytes) {
    std::ofstream out(path, std::ios::binary);
    if (!out) return false;
    size_t total = 0, n = 0;
    for (size_t first = 0; first < names_.size(); first += 100) {
      pb::BatchGetMarksRequest req;
      req.set_view(pb::MARK_VIEW_FULL);
      for (size_t i = first; i < names_.size() && i < first + 100; ++i) {
        req.add_instruments(names_[i]);
      }
      grpc::ClientContext ctx;
      AddAuth(&ctx);
      pb::BatchGetMarksResponse resp;
      grpc::Status st = stubs_[0]->BatchGetMarks(&ctx, req, &resp);
      if (!st.ok()) {
        std::fprintf(stderr, "read_load: dump: %s\n", st.error_message().c_str());
        return false;
      }
      for (int k = 0; k < resp.results_size(); ++k) {
        if (!resp.results(k).has_mark()) return false;
        const std::string value = resp.results(k).mark().SerializeAsString();
        char key[32];
        std::snprintf(key, sizeof(key), "mark:%012zu", first + static_cast<size_t>(k));
        const std::string k_str(key);
        out << "*3\r\n$3\r\nSET\r\n$" << k_str.size() << "\r\n"
            << k_str << "\r\n$" << value.size() << "\r\n";
        out.write(value.data(), static_cast<std::streamsize>(value.size()));
        out << "\r\n";
        total += value.size();
        ++n;
      }
    }
    *keys = n;
    *avg_bytes = n ? static_cast<double>(total) / static_cast<double>(n) : 0;
    return static_cast<bool>(out);
  }

 private:
  static void SleepUntil(int64_t t_ns) {
    timespec ts{static_cast<time_t>(t_ns / 1'000'000'000), static_cast<long>(t_ns % 1'000'000'000)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
  }

  void Record(const Call& c, bool batch, int64_t now, Result* res) {
    ++res->requests;
    res->latencies_ns.push_back(now - c.start_ns);
    if (!c.status.ok()) {
      if (res->errors.empty()) {
        res->first_error = std::to_string(c.status.error_code()) + ": " + c.status.error_message();
      }
      ++res->errors[c.status.error_code()];
      return;
    }
    ++res->ok;
    const bool size_it = (res->ok & 63) == 1;
    if (opt_.raw) {
      const size_t bytes = c.raw.Length();
      ++res->sized;
      res->sized_bytes += bytes;
      const uint64_t n = batch ? static_cast<uint64_t>(opt_.batch) : 1;
      res->marks += n;
      if (!size_it) return;
      // Check one reply in 64 in full.
      grpc::ByteBuffer copy(c.raw);
      if (batch) {
        pb::BatchGetMarksResponse resp;
        if (!grpc::SerializationTraits<pb::BatchGetMarksResponse>::Deserialize(&copy, &resp).ok()) {
          ++res->entry_errors;
          return;
        }
        for (const auto& r : resp.results()) {
          ++res->marks_checked;
          if (r.has_mark()) {
            res->marks_status_ok += r.mark().status() == pb::MARK_STATUS_OK;
          } else {
            ++res->entry_errors;
          }
        }
        if (static_cast<uint64_t>(resp.results_size()) != n) ++res->entry_errors;
      } else {
        pb::Mark m;
        if (!grpc::SerializationTraits<pb::Mark>::Deserialize(&copy, &m).ok()) {
          ++res->entry_errors;
          return;
        }
        ++res->marks_checked;
        res->marks_status_ok += m.status() == pb::MARK_STATUS_OK;
      }
      return;
    }
    if (batch) {
      for (const auto& r : c.batch.results()) {
        if (r.has_mark()) {
          ++res->marks;
          ++res->marks_checked;
          res->marks_status_ok += r.mark().status() == pb::MARK_STATUS_OK;
        } else {
          ++res->entry_errors;
        }
      }
      if (size_it) {
        ++res->sized;
        res->sized_bytes += c.batch.ByteSizeLong();
      }
    } else {
      ++res->marks;
      ++res->marks_checked;
      res->marks_status_ok += c.mark.status() == pb::MARK_STATUS_OK;
      if (size_it) {
        ++res->sized;
        res->sized_bytes += c.mark.ByteSizeLong();
      }
    }
  }

  const Options& opt_;
  std::vector<std::string> names_;
  OracleApp* server_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<pb::OracleService::Stub>> stubs_;
  std::vector<std::unique_ptr<grpc::GenericStub>> generic_;
  std::vector<pb::GetMarkRequest> get_requests_;
  std::vector<pb::BatchGetMarksRequest> batch_requests_;
};

std::string JsonEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      o += ' ';
    } else {
      o += c;
    }
  }
  return o;
}

void Report(const Options& opt, Result& r, bool in_process) {
  std::sort(r.latencies_ns.begin(), r.latencies_ns.end());
  const bool idle = r.scenario == "idle";
  const double rps = r.window_s > 0 ? static_cast<double>(r.requests) / r.window_s : 0;
  uint64_t errors = 0;
  for (const auto& [code, n] : r.errors) errors += n;
  auto us = [&](double q) { return static_cast<double>(Percentile(r.latencies_ns, q)) / 1000.0; };
  const double max_us =
      r.latencies_ns.empty() ? 0 : static_cast<double>(r.latencies_ns.back()) / 1000.0;
  std::ostringstream j;
  j.setf(std::ios::fixed);
  j.precision(1);
  j << "{\"tool\":\"read_load\",\"label\":\"" << JsonEscape(opt.label) << "\",\"scenario\":\""
    << r.scenario << "\",\"in_process\":" << (in_process ? "true" : "false") << ",\"client\":\""
    << (opt.raw ? "raw" : "typed") << "\""
    << ",\"concurrency\":" << (idle ? 0 : opt.concurrency) << ",\"channels\":" << opt.channels
    << ",\"batch\":"
    << (r.scenario.rfind("batch", 0) == 0 ? opt.batch
        : idle                            ? 0
                                          : 1)
    << ",\"window_s\":" << r.window_s << ",\"requests\":" << r.requests << ",\"ok\":" << r.ok
    << ",\"errors\":" << errors << ",\"rps\":" << rps
    << ",\"marks_per_s\":" << (r.window_s > 0 ? static_cast<double>(r.marks) / r.window_s : 0)
    << ",\"p50_us\":" << us(0.5) << ",\"p90_us\":" << us(0.9) << ",\"p99_us\":" << us(0.99)
    << ",\"p999_us\":" << us(0.999) << ",\"max_us\":" << max_us;
  j.precision(4);
  j << ",\"marks_status_ok\":"
    << (r.marks_checked
            ? static_cast<double>(r.marks_status_ok) / static_cast<double>(r.marks_checked)
            : 0.0)
    << ",\"marks_checked\":" << r.marks_checked << ",\"entry_errors\":" << r.entry_errors;
  j.precision(0);
  j << ",\"avg_response_bytes\":"
    << (r.sized ? static_cast<double>(r.sized_bytes) / static_cast<double>(r.sized) : 0.0);
  if (r.has_ingest) {
    j << ",\"ingest_eps\":" << r.ingest_eps << ",\"offered_eps\":" << opt.synthetic_eps;
  }
  if (r.has_status) {
    j << ",\"ring_pushed_eps\":" << r.ring_pushed_eps << ",\"ring_dropped\":" << r.ring_dropped
      << ",\"timers_skipped\":" << r.timers_skipped
      << ",\"marks_published_per_s\":" << r.marks_published_per_s;
  }
  j.precision(2);
  j << ",\"process_cpu_cores\":" << r.cpu_cores;
  if (!r.first_error.empty()) j << ",\"first_error\":\"" << JsonEscape(r.first_error) << "\"";
  j << "}";
  std::printf("%s\n", j.str().c_str());
  std::fflush(stdout);

  auto status_line = [&] {
    if (r.has_status) {
      std::fprintf(stderr, "; rings: %.0f events/s pushed, %llu dropped; %llu timers skipped",
                   r.ring_pushed_eps, static_cast<unsigned long long>(r.ring_dropped),
                   static_cast<unsigned long long>(r.timers_skipped));
    }
  };
  if (idle) {
    std::fprintf(stderr, "[%s] idle: no reads; core ingest %.0f events/s (offered %.0f)",
                 opt.label.c_str(), r.ingest_eps, opt.synthetic_eps);
    status_line();
    std::fprintf(stderr, "\n");
  } else {
    std::fprintf(
        stderr,
        "[%s] %s: %.0f req/s (%.0f marks/s) at %d outstanding; latency p50 %.0f us, p99 "
        "%.0f us, p99.9 %.0f us, max %.0f us; %llu errors; %.2f%% of %llu checked marks OK",
        opt.label.c_str(), r.scenario.c_str(), rps,
        r.window_s > 0 ? static_cast<double>(r.marks) / r.window_s : 0, opt.concurrency, us(0.5),
        us(0.99), us(0.999), max_us, static_cast<unsigned long long>(errors),
        r.marks_checked
            ? 100.0 * static_cast<double>(r.marks_status_ok) / static_cast<double>(r.marks_checked)
            : 0.0,
        static_cast<unsigned long long>(r.marks_checked));
    if (r.has_ingest) {
      std::fprintf(stderr, "; core ingest %.0f events/s (offered %.0f)", r.ingest_eps,
                   opt.synthetic_eps);
    }
    status_line();
    std::fprintf(stderr, "\n");
    if (!r.first_error.empty()) std::fprintf(stderr, "  first error: %s\n", r.first_error.c_str());
  }
}

bool ParseNumber(const CliArgs& args, const std::string& name, double lo, double hi, double* out) {
  auto v = args.Get(name);
  if (!v) return true;
  char* end = nullptr;
  double d = std::strtod(v->c_str(), &end);
  if (end == v->c_str() || *end != '\0' || d < lo || d > hi) {
    std::fprintf(stderr, "read_load: --%s %s: expected a number from %g to %g\n", name.c_str(),
                 v->c_str(), lo, hi);
    return false;
  }
  *out = d;
  return true;
}

int Main(int argc, char** argv) {
  CliArgs args(
      argc, argv, 1,
      {"address",  "scenarios",     "concurrency",   "duration-s",  "warmup-s",    "batch",
       "channels", "synthetic-eps", "idle-sleep-us", "instruments", "venues",      "seed",
       "label",    "dump-redis",    "write-config",  "client",      "signing-key", "tls-cert",
       "tls-key",  "tls-ca",        "auth-token"},
      {"help"});
  if (std::string problem = args.ProblemWithoutPositionals(); !problem.empty()) {
    std::fprintf(stderr, "read_load: %s\n%s", problem.c_str(), kUsage);
    return 2;
  }
  if (args.Has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Options opt;
  double concurrency = opt.concurrency, batch = opt.batch, channels = opt.channels,
         idle_sleep = static_cast<double>(opt.idle_sleep_us), instruments = opt.instruments,
         venues = opt.venues, seed = static_cast<double>(opt.seed);
  if (!ParseNumber(args, "concurrency", 1, 100000, &concurrency) ||
      !ParseNumber(args, "duration-s", 0.1, 3600, &opt.duration_s) ||
      !ParseNumber(args, "warmup-s", 0, 3600, &opt.warmup_s) ||
      !ParseNumber(args, "batch", 1, 10000, &batch) ||
      !ParseNumber(args, "channels", 1, 1024, &channels) ||
      !ParseNumber(args, "synthetic-eps", 0, 1e9, &opt.synthetic_eps) ||
      !ParseNumber(args, "idle-sleep-us", 0, 1e6, &idle_sleep) ||
      !ParseNumber(args, "instruments", 1, 10000, &instruments) ||
      !ParseNumber(args, "venues", 1, kMaxSourcesPerInstrument, &venues) ||
      !ParseNumber(args, "seed", 0, 1e18, &seed)) {
    return 2;
  }
  opt.concurrency = static_cast<int>(concurrency);
  opt.batch = static_cast<int>(batch);
  opt.channels = static_cast<int>(channels);
  opt.idle_sleep_us = static_cast<int64_t>(idle_sleep);
  opt.instruments = static_cast<int>(instruments);
  opt.venues = static_cast<int>(venues);
  opt.seed = static_cast<uint64_t>(seed);
  opt.address = args.GetOr("address", "");
  opt.label = args.GetOr("label", "");
  opt.dump_redis = args.GetOr("dump-redis", "");
  const std::string client = args.GetOr("client", "raw");
  if (client != "raw" && client != "typed") {
    std::fprintf(stderr, "read_load: --client %s: expected raw or typed\n", client.c_str());
    return 2;
  }
  opt.raw = client == "raw";
  if (auto s = args.Get("scenarios")) {
    opt.scenarios.clear();
    std::stringstream ss(*s);
    std::string item;
    while (std::getline(ss, item, ',')) {
      if (item != "idle" && item != "get_basic" && item != "get_full" && item != "batch_basic" &&
          item != "batch_full") {
        std::fprintf(stderr, "read_load: --scenarios: unknown scenario \"%s\"\n%s", item.c_str(),
                     kUsage);
        return 2;
      }
      opt.scenarios.push_back(item);
    }
  }

  BenchConfigOptions copt;
  copt.instruments = opt.instruments;
  copt.venues = opt.venues;
  if (auto path = args.Get("write-config")) {
    std::ofstream out(*path);
    out << BenchConfigText(copt);
    return out ? 0 : 1;
  }

  // Debian's Abseil is built with mutex deadlock detection on (gRPC's mutexes are absl::Mutex);
  // oracled turns it off the same way.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  std::vector<std::string> names;
  for (int i = 0; i < opt.instruments; ++i) names.push_back(InstrumentName(i));

  std::unique_ptr<OracleApp> server;
  const bool in_process = opt.address.empty();
  if (in_process) {
    AppOptions so;
    so.listen_address = "127.0.0.1:0";
    so.synthetic_events_per_second = opt.synthetic_eps;
    so.idle_sleep_us = opt.idle_sleep_us;
    Config config = BenchConfigOrDie(copt);
    // --signing-key FILE: served marks are Ed25519-signed (once per mark, cached), as in oracled.
    config.signing.key_file = args.GetOr("signing-key", "");
    if (int code = ApplySecurityOptions(args, &opt, &config); code != 0) return code;
    auto s = OracleApp::Start(std::move(config), so);
    if (!s.ok()) {
      std::fprintf(stderr, "read_load: %s\n", std::string(s.status().message()).c_str());
      return 4;
    }
    server = *std::move(s);
    opt.address = server->address();
    std::fprintf(stderr,
                 "[%s] in-process oracle on %s: %d instruments x %d venues, synthetic %.0f "
                 "events/s, core idle_sleep_us %lld\n",
                 opt.label.c_str(), opt.address.c_str(), opt.instruments, opt.venues,
                 opt.synthetic_eps, static_cast<long long>(opt.idle_sleep_us));
  }

  LoadGenerator gen(opt, names, server.get());
  if (!gen.WaitConnected()) {
    std::fprintf(stderr, "read_load: cannot connect to %s\n", opt.address.c_str());
    return 4;
  }
  if (!gen.WaitForMarks(15)) {
    std::fprintf(stderr, "read_load: marks are not all OK after 15 s; is the feed running?\n");
    return 5;
  }
  int status = 0;
  for (const auto& sc : opt.scenarios) {
    Result r = gen.Run(sc);
    Report(opt, r, in_process);
    uint64_t errors = 0;
    for (const auto& [code, n] : r.errors) errors += n;
    if (errors != 0 || r.entry_errors != 0) status = 6;
  }
  if (!opt.dump_redis.empty()) {
    size_t keys = 0;
    double avg = 0;
    if (!gen.DumpRedis(opt.dump_redis, &keys, &avg)) {
      std::fprintf(stderr, "read_load: cannot write %s\n", opt.dump_redis.c_str());
      return 1;
    }
    std::printf(
        "{\"tool\":\"read_load\",\"label\":\"%s\",\"scenario\":\"dump_redis\",\"keys\":%zu,"
        "\"avg_value_bytes\":%.0f}\n",
        JsonEscape(opt.label).c_str(), keys, avg);
  }
  if (server) server->Shutdown();
  return status;
}

}  // namespace
}  // namespace oracle::bench

int main(int argc, char** argv) { return oracle::bench::Main(argc, argv); }
