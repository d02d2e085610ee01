// Health that means something, and the drain on SIGTERM, on a real oracled process: the real
// grpc.health.v1 service (Check encoded by hand), GetServerStatus, a stream open across the drain,
// the history written before exit and found again after a restart. Every address is 127.0.0.1.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/error_details.h"
#include "integration/process.h"
#include "oracle/core/time.h"
#include "oracle/v1/oracle.grpc.pb.h"

namespace oracle {
namespace {

using testing::Child;
using testing::DetailsOf;
using SteadyClock = std::chrono::steady_clock;

const std::string kOracled = std::string(ORACLE_BINARY_DIR) + "/oracled";
const std::string kOraclectl = std::string(ORACLE_BINARY_DIR) + "/oraclectl";
constexpr int kServing = 1;
constexpr int kNotServing = 2;

std::string MakeTempDir(const std::string& name) {
  std::string d = ::testing::TempDir() + "/health_drain_" + std::to_string(getpid()) + "_" + name;
  std::system(("rm -rf " + d + " && mkdir -p " + d).c_str());
  return d;
}

// Ten minutes of ETH-USD quotes from three venues, every 250 ms, from now (the replay rebases).
std::string WriteTickLog(const std::string& dir) {
  const std::string path = dir + "/ticks.jsonl";
  std::ofstream out(path);
  const TimeNs start = (WallClockNow() / kNanosPerSecond) * kNanosPerSecond;
  const char* venues[] = {"coinbase", "kraken", "bitstamp"};
  for (int step = 0; step < 10 * 60 * 4; ++step) {
    const TimeNs t = start + step * 250 * kNanosPerMilli;
    for (int v = 0; v < 3; ++v) {
      const double mid = 3800.0 + v * 0.2 + 0.5 * std::sin(step * 0.37 + v);
      char line[256];
      std::snprintf(line, sizeof line,
                    "{\"time\":\"%s\",\"venue\":\"%s\",\"pair\":\"ETH-USD\",\"type\":\"quote\","
                    "\"bid\":\"%.2f\",\"ask\":\"%.2f\"}\n",
                    FormatRfc3339(t).c_str(), venues[v], mid - 0.05, mid + 0.05);
      out << line;
    }
  }
  return path;
}

// The built-in configuration with core.publish_interval_ms replaced.
std::string WriteConfigWithPublishInterval(const std::string& dir, int publish_interval_ms) {
  std::string text = testing::ReadFile(std::string(ORACLE_SOURCE_DIR) + "/feeds/default.textproto");
  const std::string from = "publish_interval_ms: 100";
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "feeds/default.textproto has no " << from;
  if (at != std::string::npos) {
    text.replace(at, from.size(), "publish_interval_ms: " + std::to_string(publish_interval_ms));
  }
  const std::string path = dir + "/config.textproto";
  std::ofstream(path) << text;
  return path;
}

// One oracled child and its stubs.
struct Oracled {
  std::unique_ptr<Child> child;
  std::string addr;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::OracleService::Stub> stub;
};

::testing::AssertionResult StartOracled(const std::string& dir, std::vector<std::string> args,
                                        Oracled* out) {
  static int starts = 0;
  const std::string port_file = dir + "/port-" + std::to_string(starts++);
  std::vector<std::string> argv = {kOracled, "--listen", "127.0.0.1:0", "--port-file", port_file};
  argv.insert(argv.end(), args.begin(), args.end());
  out->child = std::make_unique<Child>(argv);
  const int port = testing::WaitForPortFile(port_file, 60000);
  if (port <= 0) {
    return ::testing::AssertionFailure() << "oracled did not start:\n" << out->child->Output();
  }
  out->addr = "127.0.0.1:" + std::to_string(port);
  out->channel = grpc::CreateChannel(out->addr, grpc::InsecureChannelCredentials());
  out->stub = v1::OracleService::NewStub(out->channel);
  return ::testing::AssertionSuccess();
}

void SetDeadline(grpc::ClientContext* ctx, int seconds = 10) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

// grpc.health.v1.Health/Check by hand (request {service = 1}, response {status = 1}): 1 SERVING,
// 2 NOT_SERVING, 0 UNKNOWN; -1 when the call fails.
int HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  grpc::GenericStub generic(channel);
  std::string request;
  if (!service.empty()) {
    request.push_back(0x0a);
    request.push_back(static_cast<char>(service.size()));
    request += service;
  }
  grpc::Slice slice(request);
  grpc::ByteBuffer req_buf(&slice, 1);
  grpc::ByteBuffer resp_buf;
  grpc::ClientContext ctx;
  SetDeadline(&ctx);
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
  if (bytes.empty()) return 0;
  if (bytes.size() != 2 || bytes[0] != 0x08) return -1;
  return bytes[1];
}

// Both the overall ("") and the OracleService health report `want`.
bool OracleHealthIs(const std::shared_ptr<grpc::Channel>& channel, int want) {
  return HealthStatus(channel, "") == want &&
         HealthStatus(channel, "oracle.v1.OracleService") == want;
}

// Polls every 20 ms until `done()` or the deadline; true if done.
template <typename F>
bool WaitFor(F done, std::chrono::seconds deadline = std::chrono::seconds(30)) {
  const auto end = SteadyClock::now() + deadline;
  while (SteadyClock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

bool GetStatus(Oracled& o, v1::ServerStatus* st) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx);
  return o.stub->GetServerStatus(&ctx, v1::GetServerStatusRequest(), st).ok();
}

bool GetMarkOk(Oracled& o) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, 5);
  v1::GetMarkRequest req;
  req.set_instrument("ETH-USD");
  v1::Mark m;
  return o.stub->GetMark(&ctx, req, &m).ok() && m.status() == v1::MARK_STATUS_OK;
}

// Readiness: rounds every 10 s on a grid aligned to the epoch (CoreRunner), and oracled started
// early in a grid window, so its first round is at least 5 s away when it starts listening.
TEST(HealthDrain, HealthIsNotServingUntilTheFirstRoundOfMarks) {
  const std::string dir = MakeTempDir("ready");
  const std::string config = WriteConfigWithPublishInterval(dir, 10'000);
  constexpr TimeNs kInterval = 10 * kNanosPerSecond;
  if (WallClockNow() % kInterval > 4 * kNanosPerSecond) {
    const TimeNs next = (WallClockNow() / kInterval + 1) * kInterval;
    std::this_thread::sleep_for(std::chrono::nanoseconds(next - WallClockNow() + kNanosPerMilli));
  }
  const TimeNs first_round = (WallClockNow() / kInterval + 1) * kInterval;
  Oracled o;
  ASSERT_TRUE(StartOracled(dir, {"--config", config, "--drain-period", "0s"}, &o));

  EXPECT_EQ(HealthStatus(o.channel, ""), kNotServing);
  EXPECT_EQ(HealthStatus(o.channel, "oracle.v1.OracleService"), kNotServing);
  v1::ServerStatus st;
  ASSERT_TRUE(GetStatus(o, &st));
  EXPECT_EQ(st.serving().state(), v1::SERVING_STATE_STARTING) << st.serving().DebugString();
  EXPECT_FALSE(st.serving().has_ready_time());
  EXPECT_EQ(st.published_mark_count(), 0);
  testing::RunResult ctl = testing::RunCommand({kOraclectl, "--addr", o.addr, "status"});
  EXPECT_NE(ctl.out.find("serving: STARTING; no round of marks yet"), std::string::npos) << ctl.out;
  ASSERT_LT(WallClockNow(), first_round)
      << "oracled took more than 5 s to start: the checks above may have seen the first round";

  ASSERT_TRUE(WaitFor([&] { return OracleHealthIs(o.channel, kServing); }))
      << "health never became SERVING:\n"
      << o.child->Output();
  const TimeNs serving_seen = WallClockNow();
  ASSERT_TRUE(GetStatus(o, &st));
  EXPECT_EQ(st.serving().state(), v1::SERVING_STATE_SERVING) << st.serving().DebugString();
  ASSERT_TRUE(st.serving().has_ready_time());
  const TimeNs ready =
      st.serving().ready_time().seconds() * kNanosPerSecond + st.serving().ready_time().nanos();
  EXPECT_GE(ready, first_round) << FormatRfc3339(ready) << " before the first round due at "
                                << FormatRfc3339(first_round);
  EXPECT_LE(ready, serving_seen);
  EXPECT_GT(st.published_mark_count(), 0);
  EXPECT_EQ(st.serving().stall_count(), 0);
  ctl = testing::RunCommand({kOraclectl, "--addr", o.addr, "status"});
  EXPECT_EQ(ctl.exit_code, 0) << ctl.err;
  EXPECT_NE(ctl.out.find("serving: SERVING; ready at "), std::string::npos) << ctl.out;
  EXPECT_EQ(o.child->Stop(SIGTERM, 30000), 0) << o.child->Output();
}

// SIGTERM with a stream open: health NOT_SERVING at once while calls and the stream go on for the
// drain period, then the stream ends UNAVAILABLE SERVER_SHUTTING_DOWN with a retry delay, the
// process exits 0, and what status acknowledged before the signal is in the store at restart.
TEST(HealthDrain, SigtermDrainsWithAStreamOpenAndFlushesTheHistory) {
  const std::string dir = MakeTempDir("drain");
  const std::string data_dir = dir + "/data";
  Oracled o;
  ASSERT_TRUE(StartOracled(
      dir, {"--replay", WriteTickLog(dir), "--data-dir", data_dir, "--drain-period", "6s"}, &o));
  ASSERT_TRUE(WaitFor([&] { return GetMarkOk(o) && OracleHealthIs(o.channel, kServing); }))
      << o.child->Output();
  ASSERT_TRUE(WaitFor([&] {
    return HealthStatus(o.channel, "oracle.v1.AuditService") == kServing;
  })) << o.child->Output();

  grpc::ClientContext stream_ctx;
  SetDeadline(&stream_ctx, 120);
  v1::StreamMarksRequest req;
  req.add_instruments("ETH-USD");
  auto reader = o.stub->StreamMarks(&stream_ctx, req);
  v1::StreamMarksResponse msg;
  ASSERT_TRUE(reader->Read(&msg)) << o.child->Output();

  v1::ServerStatus before;
  ASSERT_TRUE(WaitFor([&] {
    return GetStatus(o, &before) && before.persistence().persisted_sequence() > 0;
  })) << before.persistence().DebugString();
  const int64_t acknowledged = before.persistence().persisted_sequence();

  ASSERT_EQ(kill(o.child->pid(), SIGTERM), 0);
  ASSERT_TRUE(WaitFor([&] { return OracleHealthIs(o.channel, kNotServing); })) << o.child->Output();
  // Draining: every service NOT_SERVING, but calls are answered and the stream still delivers.
  EXPECT_EQ(HealthStatus(o.channel, "oracle.v1.AuditService"), kNotServing);
  EXPECT_TRUE(GetMarkOk(o)) << "GetMark failed while draining";
  v1::ServerStatus draining;
  ASSERT_TRUE(GetStatus(o, &draining));
  EXPECT_EQ(draining.serving().state(), v1::SERVING_STATE_DRAINING);
  EXPECT_TRUE(reader->Read(&msg)) << "the stream ended at the start of the drain";
  EXPECT_TRUE(o.child->Running());

  int during_drain = 0;
  while (reader->Read(&msg)) ++during_drain;
  grpc::Status end = reader->Finish();
  EXPECT_GT(during_drain, 0);
  EXPECT_EQ(end.error_code(), grpc::StatusCode::UNAVAILABLE) << end.error_message();
  testing::ErrorDetails d = DetailsOf(end);
  EXPECT_EQ(d.Reason(), "SERVER_SHUTTING_DOWN") << end.error_message();
  EXPECT_GT(d.RetryDelayNs(), 0) << "no RetryInfo: a client is not told to reconnect";
  const std::string output_before_exit = o.child->Output();
  EXPECT_EQ(o.child->Stop(0, 60000), 0) << "oracled did not exit 0:\n" << o.child->Output();
  EXPECT_NE(o.child->Output().find("draining"), std::string::npos) << o.child->Output();

  Oracled again;
  ASSERT_TRUE(StartOracled(dir, {"--data-dir", data_dir, "--drain-period", "0s"}, &again));
  v1::ServerStatus after;
  ASSERT_TRUE(GetStatus(again, &after));
  EXPECT_GE(after.persistence().recovered_sequence(), acknowledged)
      << after.persistence().DebugString() << "\n"
      << output_before_exit;
  EXPECT_EQ(again.child->Stop(SIGTERM, 30000), 0) << again.child->Output();
}

// A second signal during a long drain period skips the rest of the wait.
TEST(HealthDrain, SecondSignalEndsTheDrainPeriod) {
  const std::string dir = MakeTempDir("second");
  Oracled o;
  ASSERT_TRUE(StartOracled(dir, {"--drain-period", "10m"}, &o));
  ASSERT_TRUE(WaitFor([&] { return OracleHealthIs(o.channel, kServing); })) << o.child->Output();
  ASSERT_EQ(kill(o.child->pid(), SIGTERM), 0);
  ASSERT_TRUE(WaitFor([&] { return OracleHealthIs(o.channel, kNotServing); })) << o.child->Output();
  v1::ServerStatus st;
  ASSERT_TRUE(GetStatus(o, &st));
  EXPECT_EQ(st.serving().state(), v1::SERVING_STATE_DRAINING);
  // The 10-minute wait would outlast the 60 s this test waits for the exit.
  EXPECT_EQ(o.child->Stop(SIGINT, 60000), 0) << o.child->Output();
  EXPECT_NE(o.child->Output().find("ending the drain period now"), std::string::npos)
      << o.child->Output();
}

// Flags: a bad --drain-period is refused, naming the flag.
TEST(HealthDrain, BadDrainPeriodIsRefused) {
  testing::RunResult r = testing::RunCommand({kOracled, "--drain-period", "soon"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--drain-period soon"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace oracle
