// The real oracled on a loopback port, fed by a replay file, called by oraclectl (as a user would)
// and by a C++ gRPC client (including the generic health check). Every address is 127.0.0.1.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "integration/error_details.h"
#include "integration/fake_venue.h"
#include "integration/process.h"
#include "oracle/core/time.h"
#include "oracle/v1/audit.grpc.pb.h"
#include "oracle/v1/oracle.grpc.pb.h"

namespace oracle {
namespace {

using testing::Child;
using testing::DetailsOf;
using testing::ErrorDetails;
using testing::RunCommand;
using testing::RunResult;

const std::string kOracled = std::string(ORACLE_BINARY_DIR) + "/oracled";
const std::string kOraclectl = std::string(ORACLE_BINARY_DIR) + "/oraclectl";

std::string TempDir() {
  std::string d = ::testing::TempDir() + "/oracled_it_" + std::to_string(getpid());
  std::system(("mkdir -p " + d).c_str());
  return d;
}

// Four minutes of ticks for ETH-USD, USDT-USD and USDE-USD on the default configuration's venues,
// plus two bad lines, starting at the current wall time (the replay rebases anyway).
std::string WriteTickLog(const std::string& dir) {
  const std::string path = dir + "/ticks.jsonl";
  std::ofstream out(path);
  const TimeNs start = (WallClockNow() / kNanosPerSecond) * kNanosPerSecond;
  struct Feed {
    const char* venue;
    const char* pair;
    double price;
  };
  const Feed feeds[] = {
      {"coinbase", "ETH-USD", 3800.0},  {"kraken", "ETH-USD", 3800.4},
      {"bitstamp", "ETH-USD", 3799.8},  {"binance", "ETH-USDT", 3799.2},
      {"okx", "ETH-USDT", 3799.5},      {"coinbase", "USDT-USD", 1.0002},
      {"kraken", "USDT-USD", 1.0003},   {"bitstamp", "USDT-USD", 1.0001},
      {"binance", "USDE-USDT", 0.9994}, {"bybit", "USDE-USDT", 0.9995},
      {"okx", "USDE-USDT", 0.9993},     {"kraken", "USDE-USD", 0.9997},
  };
  for (int step = 0; step < 4 * 60 * 4; ++step) {  // every 250 ms
    const TimeNs t = start + step * 250 * kNanosPerMilli;
    for (const Feed& f : feeds) {
      const double wiggle = 1.0 + 0.00002 * std::sin(step * 0.37 + f.price);
      const double mid = f.price * wiggle;
      const double half = f.price > 100 ? 0.05 : 0.00005;
      char line[256];
      std::snprintf(line, sizeof line,
                    "{\"time\":\"%s\",\"venue\":\"%s\",\"pair\":\"%s\",\"type\":\"quote\","
                    "\"bid\":\"%.6f\",\"ask\":\"%.6f\"}\n",
                    FormatRfc3339(t).c_str(), f.venue, f.pair, mid - half, mid + half);
      out << line;
    }
    if (step == 3) {
      out << "{\"time\":\"" << FormatRfc3339(t) << "\",\"venue\":\"kraken\",\"pair\":\"ETH-USD\","
          << "\"type\":\"quote\",\"bid\":\"oops\",\"ask\":\"1\"}\n";
      out << "this line is not json\n";
    }
  }
  return path;
}

class OracledTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempDir());
    const std::string ticks = WriteTickLog(*dir_);
    const std::string port_file = *dir_ + "/port";
    server_ = new Child(
        {kOracled, "--listen", "127.0.0.1:0", "--port-file", port_file, "--replay", ticks});
    int port = testing::WaitForPortFile(port_file, 20000);
    ASSERT_GT(port, 0) << "oracled did not start:\n" << server_->Output();
    addr_ = new std::string("127.0.0.1:" + std::to_string(port));
    channel_ = new std::shared_ptr<grpc::Channel>(
        grpc::CreateChannel(*addr_, grpc::InsecureChannelCredentials()));
    stub_ = v1::OracleService::NewStub(*channel_).release();
    // Wait until ETH-USD is OK (all venues have quoted).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      v1::GetMarkRequest req;
      req.set_instrument("ETH-USD");
      v1::Mark m;
      if (stub_->GetMark(&ctx, req, &m).ok() && m.status() == v1::MARK_STATUS_OK) break;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << server_->Output();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  static void TearDownTestSuite() {
    delete stub_;
    delete channel_;
    if (server_ != nullptr) {
      int code = server_->Stop(SIGTERM, 30000);
      EXPECT_EQ(code, 0) << "oracled did not stop cleanly on SIGTERM:\n" << server_->Output();
      delete server_;
    }
    delete addr_;
    delete dir_;
  }

  static RunResult Ctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {kOraclectl, "--addr", *addr_};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, 30000);
  }

  static std::string TrailingReason(const grpc::ClientContext& ctx) {
    auto md = ctx.GetServerTrailingMetadata();
    auto it = md.find("oracle-error-reason");
    return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
  }

  static inline std::string* dir_ = nullptr;
  static inline Child* server_ = nullptr;
  static inline std::string* addr_ = nullptr;
  static inline std::shared_ptr<grpc::Channel>* channel_ = nullptr;
  static inline v1::OracleService::Stub* stub_ = nullptr;
};

TEST_F(OracledTest, CtlGetShowsTheMarkWithProvenance) {
  RunResult r = Ctl({"get", "ETH-USD"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ETH-USD"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" OK "), std::string::npos) << r.out;
  for (const char* venue : {"coinbase", "kraken", "bitstamp", "binance", "okx"}) {
    EXPECT_NE(r.out.find(venue), std::string::npos) << venue << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("excluded: NO_DATA"), std::string::npos) << r.out;  // bybit etc. silent
}

TEST_F(OracledTest, CtlGetJsonIsMachineReadable) {
  RunResult r = Ctl({"--json", "get", "USDE-USD", "--max-age", "5s"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"instrument\":\"USDE-USD\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"status\":\"MARK_STATUS_OK\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"mantissa\""), std::string::npos) << r.out;
}

TEST_F(OracledTest, CtlExitCodesMeanSomething) {
  RunResult notfound = Ctl({"get", "NOPE-USD"});
  EXPECT_EQ(notfound.exit_code, 4);
  EXPECT_NE(notfound.err.find("INSTRUMENT_NOT_FOUND"), std::string::npos) << notfound.err;
  RunResult empty = Ctl({"get", ""});
  EXPECT_EQ(empty.exit_code, 4);
  EXPECT_NE(empty.err.find("INVALID_INSTRUMENT_NAME"), std::string::npos) << empty.err;
  RunResult stale = Ctl({"get", "ETH-USD", "--max-age", "1ns"});
  EXPECT_EQ(stale.exit_code, 5);
  EXPECT_NE(stale.err.find("MARK_STALE"), std::string::npos) << stale.err;
  // No price: refused, with the reason from the details and the server's retry delay.
  RunResult unpriced = Ctl({"get", "WBETH-USD"});
  EXPECT_EQ(unpriced.exit_code, 5) << unpriced.out << unpriced.err;
  EXPECT_NE(unpriced.err.find("MARK_UNAVAILABLE: WBETH-USD has no price"), std::string::npos)
      << unpriced.err;
  EXPECT_NE(unpriced.err.find("REDEMPTION_PRICING_UNAVAILABLE"), std::string::npos) << unpriced.err;
  EXPECT_NE(unpriced.err.find("(retry in 1.00s)"), std::string::npos) << unpriced.err;
  // A watch shows the price-less mark's status, never a price.
  RunResult watched = Ctl({"watch", "BTC-USD", "--count", "1"});
  EXPECT_EQ(watched.exit_code, 3) << watched.err;
  EXPECT_NE(watched.out.find("(no price)"), std::string::npos) << watched.out;
  EXPECT_NE(watched.out.find("UNAVAILABLE"), std::string::npos) << watched.out;
  RunResult usage = Ctl({"frobnicate"});
  EXPECT_EQ(usage.exit_code, 2);
  RunResult badflag = Ctl({"get", "ETH-USD", "--max-age", "soon"});
  EXPECT_EQ(badflag.exit_code, 2);
  EXPECT_NE(badflag.err.find("--max-age soon"), std::string::npos) << badflag.err;
  RunResult down =
      RunCommand({kOraclectl, "--addr", "127.0.0.1:1", "--timeout", "2s", "get", "ETH-USD"});
  EXPECT_EQ(down.exit_code, 6) << down.err;
  EXPECT_NE(down.err.find("127.0.0.1:1"), std::string::npos) << down.err;
}

TEST_F(OracledTest, CtlBatchAnswersEachNameAndFailsNothingElse) {
  RunResult mixed = Ctl({"batch", "ETH-USD", "NOPE-USD", "USDT-USD", "WBETH-USD"});
  EXPECT_EQ(mixed.exit_code, 4);  // one unknown name
  EXPECT_NE(mixed.out.find("NOPE-USD   error INSTRUMENT_NOT_FOUND: "), std::string::npos)
      << mixed.out;
  EXPECT_NE(mixed.out.find("USDT-USD "), std::string::npos) << mixed.out;
  EXPECT_NE(mixed.out.find("WBETH-USD  error MARK_UNAVAILABLE: "), std::string::npos) << mixed.out;
  EXPECT_NE(mixed.out.find("(retry in 1.00s)"), std::string::npos) << mixed.out;
  RunResult unpriced = Ctl({"batch", "ETH-USD", "BTC-USD"});
  EXPECT_EQ(unpriced.exit_code, 5) << unpriced.out;  // no price, nothing refused
  RunResult good = Ctl({"batch", "ETH-USD", "USDT-USD", "USDE-USD"});
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
}

TEST_F(OracledTest, CtlWatchStreamsMarks) {
  RunResult r = Ctl({"--json", "watch", "ETH-USD", "USDE-USD", "--count", "6", "--basic"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  int lines = 0, eth = 0, usde = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    ++lines;
    eth += line.find("\"ETH-USD\"") != std::string::npos;
    usde += line.find("\"USDE-USD\"") != std::string::npos;
  }
  EXPECT_GE(lines, 6);
  EXPECT_GT(eth, 0);
  EXPECT_GT(usde, 0);
}

TEST_F(OracledTest, CtlVenuesAndInstruments) {
  // The log's two bad lines come 0.75 s in; wait until the replay has passed them.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    grpc::ClientContext ctx;
    v1::ListVenuesRequest req;
    v1::ListVenuesResponse resp;
    ASSERT_TRUE(stub_->ListVenues(&ctx, req, &resp).ok());
    bool seen = false;
    for (const auto& v : resp.venues())
      seen |= v.name() == "kraken" && v.rejected_frame_count() > 0;
    if (seen) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  RunResult v = Ctl({"venues"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("binance    yes"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("gate       no"), std::string::npos) << v.out;  // in config, not in the log
  RunResult vj = Ctl({"--json", "venues"});
  // The two bad lines in the log are visible: one is attributed to kraken.
  EXPECT_NE(vj.out.find("\"name\":\"kraken\""), std::string::npos);
  size_t kraken = vj.out.find("\"name\":\"kraken\"");
  size_t kraken_end = vj.out.find('\n', kraken);
  EXPECT_NE(vj.out.substr(kraken, kraken_end - kraken).find("\"rejected_frame_count\":\"1\""),
            std::string::npos)
      << vj.out;
  RunResult i = Ctl({"instruments"});
  EXPECT_EQ(i.exit_code, 0) << i.err;
  for (const char* name : {"BTC-USD", "ETH-USD", "SOL-USD", "USDT-USD", "USDC-USD", "USDE-USD",
                           "WBETH-USD", "BNSOL-USD"}) {
    EXPECT_NE(i.out.find(name), std::string::npos) << name;
  }
  EXPECT_NE(i.out.find("redeem:WBETH-ETH"), std::string::npos) << i.out;
}

// Every refusal carries the standard details (google.rpc.Status in grpc-status-details-bin):
// ErrorInfo with the reason, the domain and metadata; BadRequest naming the field of every
// INVALID_ARGUMENT; no RetryInfo where retrying cannot help. The deprecated trailer and message
// prefix are still there.
TEST_F(OracledTest, GrpcBadRequestsGetReasonsInTheStandardDetails) {
  {
    grpc::ClientContext ctx;
    v1::GetMarkRequest req;
    req.set_instrument("NOPE-USD");
    v1::Mark m;
    grpc::Status s = stub_->GetMark(&ctx, req, &m);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(s.error_message().rfind("INSTRUMENT_NOT_FOUND: ", 0), 0u) << s.error_message();
    EXPECT_EQ(TrailingReason(ctx), "INSTRUMENT_NOT_FOUND");
    ErrorDetails d = DetailsOf(s);
    ASSERT_TRUE(d.parsed) << "no grpc-status-details-bin";
    EXPECT_EQ(d.status.code(), 5);
    EXPECT_EQ(d.status.message(), s.error_message());
    ASSERT_TRUE(d.info);
    EXPECT_EQ(d.info->reason(), "INSTRUMENT_NOT_FOUND");
    EXPECT_EQ(d.info->domain(), "oracle.markoracle.org");
    EXPECT_EQ(d.Metadata("instrument"), "NOPE-USD");
    EXPECT_FALSE(d.retry) << "retrying an unknown name cannot help";
    EXPECT_FALSE(d.bad_request);
  }
  {
    grpc::ClientContext ctx;
    v1::GetMarkRequest req;  // empty name
    v1::Mark m;
    grpc::Status s = stub_->GetMark(&ctx, req, &m);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(TrailingReason(ctx), "INVALID_INSTRUMENT_NAME");
    ErrorDetails d = DetailsOf(s);
    EXPECT_EQ(d.Reason(), "INVALID_INSTRUMENT_NAME");
    ASSERT_TRUE(d.bad_request);
    ASSERT_EQ(d.bad_request->field_violations_size(), 1);
    EXPECT_EQ(d.bad_request->field_violations(0).field(), "instrument");
    EXPECT_NE(d.bad_request->field_violations(0).description().find("empty"), std::string::npos);
    EXPECT_FALSE(d.retry);
  }
  {
    grpc::ClientContext ctx;
    v1::BatchGetMarksRequest req;
    for (int i = 0; i < 1001; ++i) req.add_instruments("ETH-USD");
    v1::BatchGetMarksResponse resp;
    grpc::Status s = stub_->BatchGetMarks(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(TrailingReason(ctx), "BATCH_TOO_LARGE");
    EXPECT_NE(s.error_message().find("1001"), std::string::npos) << s.error_message();
    ErrorDetails d = DetailsOf(s);
    EXPECT_EQ(d.Reason(), "BATCH_TOO_LARGE");
    EXPECT_EQ(d.Metadata("maxInstrumentsPerCall"), "1000");
    EXPECT_EQ(d.Metadata("instrumentsRequested"), "1001");
    EXPECT_EQ(d.BadField(), "instruments");
  }
  {
    grpc::ClientContext ctx;
    v1::GetMarkRequest req;
    req.set_instrument("ETH-USD");
    req.mutable_max_age()->set_seconds(-1);
    v1::Mark m;
    grpc::Status s = stub_->GetMark(&ctx, req, &m);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(DetailsOf(s).BadField(), "max_age");
  }
  {
    grpc::ClientContext ctx;
    v1::GetMarkRequest req;
    req.set_instrument("ETH-USD");
    req.mutable_max_age()->set_nanos(1);
    v1::Mark m;
    grpc::Status s = stub_->GetMark(&ctx, req, &m);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    ErrorDetails d = DetailsOf(s);
    EXPECT_EQ(d.Reason(), "MARK_STALE");
    EXPECT_EQ(d.Metadata("instrument"), "ETH-USD");
    EXPECT_EQ(d.Metadata("maxAgeNs"), "1");
    EXPECT_GT(std::stoll(d.Metadata("markAgeNs").empty() ? "0" : d.Metadata("markAgeNs")), 1);
    EXPECT_FALSE(d.retry) << "the same max_age will not be met by asking again at once";
  }
  {
    grpc::ClientContext ctx;
    v1::ListVenuesRequest req;
    req.set_page_token("bogus");
    v1::ListVenuesResponse resp;
    grpc::Status s = stub_->ListVenues(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(TrailingReason(ctx), "INVALID_PAGE_TOKEN");
    EXPECT_EQ(DetailsOf(s).Reason(), "INVALID_PAGE_TOKEN");
    EXPECT_EQ(DetailsOf(s).BadField(), "page_token");
  }
  {
    grpc::ClientContext ctx;
    v1::StreamMarksRequest req;
    req.add_instruments("ETH-USD");
    req.add_instruments("NOPE-USD");
    auto reader = stub_->StreamMarks(&ctx, req);
    v1::StreamMarksResponse msg;
    EXPECT_FALSE(reader->Read(&msg));
    grpc::Status s = reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_NE(s.error_message().find("instruments[1]"), std::string::npos) << s.error_message();
    EXPECT_EQ(DetailsOf(s).Reason(), "INSTRUMENT_NOT_FOUND");
    EXPECT_EQ(DetailsOf(s).Metadata("instrument"), "NOPE-USD");
  }
  {
    grpc::ClientContext ctx;
    v1::StreamMarksRequest req;
    req.add_instruments("ETH-USD");
    req.add_instruments("eth usd");
    auto reader = stub_->StreamMarks(&ctx, req);
    v1::StreamMarksResponse msg;
    EXPECT_FALSE(reader->Read(&msg));
    grpc::Status s = reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(DetailsOf(s).BadField(), "instruments[1]");
  }
  {
    grpc::ClientContext ctx;
    v1::StreamMarksRequest req;
    req.add_instruments("ETH-USD");
    req.mutable_heartbeat()->set_seconds(-5);
    auto reader = stub_->StreamMarks(&ctx, req);
    v1::StreamMarksResponse msg;
    EXPECT_FALSE(reader->Read(&msg));
    grpc::Status s = reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(DetailsOf(s).Reason(), "INVALID_ARGUMENT");
    EXPECT_EQ(DetailsOf(s).BadField(), "heartbeat");
  }
}

// This server has no history: asking again cannot help, so the code is FAILED_PRECONDITION (not
// UNAVAILABLE, which clients retry) and there is no RetryInfo.
TEST_F(OracledTest, AuditCallsOnAServerWithoutHistoryAreAPermanentRefusal) {
  auto audit = v1::AuditService::NewStub(*channel_);
  grpc::ClientContext ctx;
  v1::ListMarksRequest req;
  req.set_instrument("ETH-USD");
  v1::ListMarksResponse resp;
  grpc::Status s = audit->ListMarks(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  ErrorDetails d = DetailsOf(s);
  EXPECT_EQ(d.Reason(), "HISTORY_NOT_CONFIGURED");
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(TrailingReason(ctx), "HISTORY_NOT_CONFIGURED");
  RunResult r = Ctl({"history", "ETH-USD"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("keeps no history"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HISTORY_NOT_CONFIGURED"), std::string::npos) << r.err;
}

// A read never succeeds without a price. BTC-USD (no BTC ticks in this log) and WBETH-USD (no
// redemption ratio) are published with status UNAVAILABLE and no price.
TEST_F(OracledTest, GrpcPricelessMarkIsRefusedOnEveryReadPath) {
  for (const char* name : {"BTC-USD", "WBETH-USD"}) {
    for (bool with_max_age : {false, true}) {
      SCOPED_TRACE(std::string(name) + (with_max_age ? " with max_age" : ""));
      grpc::ClientContext ctx;
      v1::GetMarkRequest req;
      req.set_instrument(name);
      if (with_max_age) req.mutable_max_age()->set_seconds(3600);
      v1::Mark m;
      grpc::Status s = stub_->GetMark(&ctx, req, &m);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
      ErrorDetails d = DetailsOf(s);
      EXPECT_EQ(d.Reason(), "MARK_UNAVAILABLE");
      EXPECT_EQ(d.Metadata("instrument"), name);
      EXPECT_EQ(d.Metadata("markStatus"), "UNAVAILABLE");
      EXPECT_EQ(d.RetryDelayNs(), 1'000'000'000) << "RetryInfo of 1 s";
      EXPECT_EQ(TrailingReason(ctx), "MARK_UNAVAILABLE");
    }
  }
  {
    grpc::ClientContext ctx;
    v1::BatchGetMarksRequest req;
    req.add_instruments("ETH-USD");
    req.add_instruments("BTC-USD");
    req.add_instruments("bad name");
    v1::BatchGetMarksResponse resp;
    ASSERT_TRUE(stub_->BatchGetMarks(&ctx, req, &resp).ok());
    ASSERT_EQ(resp.results_size(), 3);
    EXPECT_TRUE(resp.results(0).mark().has_price());
    ASSERT_TRUE(resp.results(1).has_error_status());
    ErrorDetails d = DetailsOf(resp.results(1).error_status());
    EXPECT_EQ(d.status.code(), 14);  // UNAVAILABLE, as GetMark
    EXPECT_EQ(d.Reason(), "MARK_UNAVAILABLE");
    EXPECT_EQ(d.RetryDelayNs(), 1'000'000'000);
    ASSERT_TRUE(resp.results(2).has_error_status());
    ErrorDetails bad = DetailsOf(resp.results(2).error_status());
    EXPECT_EQ(bad.status.code(), 3);
    EXPECT_EQ(bad.BadField(), "instruments[2]");
  }
  {
    // A stream sends the price-less mark (its status is news) but never a price.
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::StreamMarksRequest req;
    req.add_instruments("BTC-USD");
    auto reader = stub_->StreamMarks(&ctx, req);
    v1::StreamMarksResponse msg;
    ASSERT_TRUE(reader->Read(&msg));
    ASSERT_EQ(msg.marks_size(), 1);
    EXPECT_EQ(msg.marks(0).status(), v1::MARK_STATUS_UNAVAILABLE);
    EXPECT_FALSE(msg.marks(0).has_price());
    EXPECT_FALSE(msg.marks(0).has_confidence());
    ctx.TryCancel();
    (void)reader->Finish();
  }
}

// Keepalive: a client pinging every 10 s (the documented minimum, with permit-without-calls and
// no limit on pings without data, as grpc-js and grpc-java clients do) keeps both an idle filtered
// stream and a channel without calls for 45 s. Checked once against gRPC's default server
// settings (the three keepalive arguments removed from src/server/server.cc): the test failed,
// the channel without calls had been sent away (GOAWAY too_many_pings: state IDLE, not READY);
// the stream survived that run.
TEST_F(OracledTest, ClientKeepalivePingsEveryTenSecondsAreAccepted) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetInt("grpc.testing.keepalive_test_unique_channel", 1);  // not shared with the suite's
  auto stream_channel = grpc::CreateCustomChannel(*addr_, grpc::InsecureChannelCredentials(), args);
  args.SetInt("grpc.testing.keepalive_test_unique_channel", 2);
  auto idle_channel = grpc::CreateCustomChannel(*addr_, grpc::InsecureChannelCredentials(), args);
  ASSERT_TRUE(
      idle_channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10)));

  // BTC-USD has no ticks: after the first message its mark never changes, so the stream is quiet.
  auto stub = v1::OracleService::NewStub(stream_channel);
  grpc::ClientContext ctx;
  v1::StreamMarksRequest req;
  req.add_instruments("BTC-USD");
  req.set_deviation_bps(100000);
  auto reader = stub->StreamMarks(&ctx, req);
  v1::StreamMarksResponse msg;
  ASSERT_TRUE(reader->Read(&msg));
  std::thread canceller([&ctx] {
    std::this_thread::sleep_for(std::chrono::seconds(45));
    ctx.TryCancel();
  });
  int later_messages = 0;
  while (reader->Read(&msg)) ++later_messages;
  canceller.join();
  grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::CANCELLED)
      << "the stream ended before the client cancelled it: " << s.error_code() << " "
      << s.error_message();
  EXPECT_EQ(later_messages, 0) << "the stream was not idle";
  // The channel without calls never left READY.
  EXPECT_EQ(idle_channel->GetState(false), GRPC_CHANNEL_READY);
}

TEST_F(OracledTest, GrpcBatchOfAThousandAnswersEveryEntryInOrder) {
  grpc::ClientContext ctx;
  v1::BatchGetMarksRequest req;
  for (int i = 0; i < 1000; ++i)
    req.add_instruments(i % 3 == 0 ? "ETH-USD" : (i % 3 == 1 ? "USDE-USD" : "X-Y"));
  req.set_view(v1::MARK_VIEW_BASIC);
  v1::BatchGetMarksResponse resp;
  ASSERT_TRUE(stub_->BatchGetMarks(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.results_size(), 1000);
  for (int i = 0; i < 1000; ++i) {
    const auto& r = resp.results(i);
    EXPECT_EQ(r.instrument(), req.instruments(i));
    if (i % 3 == 2) {
      EXPECT_EQ(r.error_status().code(), 5);
      EXPECT_EQ(DetailsOf(r.error_status()).Reason(), "INSTRUMENT_NOT_FOUND");
    } else {
      EXPECT_EQ(r.mark().status(), v1::MARK_STATUS_OK);
      EXPECT_EQ(r.mark().sources_size(), 0);  // BASIC view
    }
  }
}

TEST_F(OracledTest, GrpcSlowStreamSubscriberIsConflatedToTheNewestMark) {
  // A client with a small receive window (and no window growth), so the transport fills after a
  // message or two and the server has to hold back: from then on it must send only the newest.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  auto channel = grpc::CreateCustomChannel(*addr_, grpc::InsecureChannelCredentials(), args);
  auto stub = v1::OracleService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::StreamMarksRequest req;
  req.add_instruments("ETH-USD");
  req.set_view(v1::MARK_VIEW_FULL);  // ~1 KB per message
  auto reader = stub->StreamMarks(&ctx, req);
  v1::StreamMarksResponse msg;
  uint64_t last = 0;
  int late_jumps = 0;
  std::string seen;
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE(reader->Read(&msg)) << i;
    ASSERT_EQ(msg.marks_size(), 1);
    const uint64_t seq = msg.marks(0).sequence();
    seen += std::to_string(seq) + " ";
    EXPECT_GT(seq, last);
    // A message or two sit in the window at any time; beyond that, only the newest marks.
    if (last != 0 && seq > last + 1) ++late_jumps;
    last = seq;
    std::this_thread::sleep_for(std::chrono::milliseconds(450));  // ~4 marks published meanwhile
  }
  // The sequence skips what was published while we were slow (conflation), never a backlog:
  // after 9 slow reads over ~4 s we are within a few marks of the newest.
  EXPECT_GE(late_jumps, 3) << "sequences read: " << seen;
  EXPECT_GE(last, 25u) << "sequences read: " << seen;
  ctx.TryCancel();
  reader->Finish();
}

// grpc.health.v1.Health/Check of `service`, encoded by hand (HealthCheckRequest{service=1},
// response HealthCheckResponse{status=1}) so this test needs no extra stubs; the response bytes.
std::string HealthCheckBytes(grpc::GenericStub& generic, const std::string& service,
                             grpc::Status* status) {
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
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &req_buf, &resp_buf,
                    [&](grpc::Status s) {
                      std::lock_guard<std::mutex> lock(mu);
                      *status = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  std::vector<grpc::Slice> slices;
  if (!status->ok() || !resp_buf.Dump(&slices).ok()) return "";
  std::string bytes;
  for (auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return bytes;
}

TEST_F(OracledTest, GrpcHealthServiceReportsServing) {
  // Readiness follows the core's first round of marks through the server's health thread (it
  // samples progress every 100 ms), so SERVING may come a moment after the first OK mark: wait
  // for it rather than expect it at once.
  grpc::GenericStub generic(*channel_);
  const std::string kServing("\x08\x01", 2);
  for (std::string service : {std::string(), std::string("oracle.v1.OracleService")}) {
    grpc::Status status;
    std::string bytes;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      bytes = HealthCheckBytes(generic, service, &status);
      ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
      if (bytes != kServing) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (bytes != kServing && std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(bytes, kServing) << "service '" << service << "' not SERVING within 10 s";
  }
}

TEST_F(OracledTest, CtlStatusCountsRequestErrorsAndRingTraffic) {
  Ctl({"get", "NOPE-USD"});  // at least one INSTRUMENT_NOT_FOUND
  RunResult r = Ctl({"--json", "status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"name\":\"replay\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"INSTRUMENT_NOT_FOUND\":\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"INSTRUMENT_NOT_FOUND\":\"0\""), std::string::npos) << r.out;
  RunResult text = Ctl({"status"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("marks published"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("replay"), std::string::npos) << text.out;
  // Rate providers of the default configuration: the constant one is held by the core, the others
  // are not polled without --live and endpoints; history is off.
  EXPECT_NE(text.out.find("rate provider usde-redemption (USDE-USDT, CONSTANT): constant 1"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("rate provider wbeth-exchange-rate (WBETH-ETH, EVM_CALL): not polled"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("history: off"), std::string::npos) << text.out;
  EXPECT_NE(r.out.find("{\"name\":\"usde-redemption\",\"pair\":\"USDE-USDT\""), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"kind\":\"RATE_PROVIDER_KIND_CONSTANT\""), std::string::npos) << r.out;
}

TEST(OracledStartup, InvalidConfigurationFailsWithEveryErrorListed) {
  const std::string dir = TempDir();
  const std::string cfg = dir + "/bad.textproto";
  std::ofstream(cfg)
      << "venues { name: \"Bad Name\" }\n"
         "instruments { name: \"eth\" sources { venue: \"nope\" pair: \"ETH-USD\" } }\n";
  RunResult r = RunCommand({kOracled, "--config", cfg, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(cfg), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("venues[0].name: \"Bad Name\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("instruments[0].name: \"eth\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("instruments[0].sources[0].venue: \"nope\""), std::string::npos) << r.err;
}

// Under --live a configured venue needs an adapter in feeds/registry.cc (or live { disabled: true
// }): otherwise oracled refuses the configuration, naming the field, before it opens anything.
TEST(OracledStartup, LiveVenueWithoutAnAdapterIsAConfigurationError) {
  const std::string cfg = TempDir() + "/no_adapter.textproto";
  std::ofstream(cfg) << R"pb(
    venues { name: "binance" }
    venues { name: "nowhere" }
    instruments {
      name: "BTC-USDT"
      sources { venue: "binance" pair: "BTC-USDT" venue_symbol: "BTCUSDT" }
      sources { venue: "nowhere" pair: "BTC-USDT" venue_symbol: "BTCUSDT" }
    })pb";
  RunResult r = RunCommand({kOracled, "--config", cfg, "--live", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("venues[1].name: \"nowhere\" has no live adapter"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("venues[0]"), std::string::npos) << r.err;
}

TEST(OracledStartup, BadFlagsAndMissingFilesAreClearErrors) {
  RunResult flag = RunCommand({kOracled, "--speeed", "2"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.err.find("unknown flag --speeed"), std::string::npos) << flag.err;
  RunResult speed = RunCommand({kOracled, "--replay", "x", "--speed", "fast"});
  EXPECT_EQ(speed.exit_code, 2);
  RunResult missing =
      RunCommand({kOracled, "--listen", "127.0.0.1:0", "--replay", "/nonexistent/ticks.jsonl"});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_NE(missing.err.find("/nonexistent/ticks.jsonl"), std::string::npos) << missing.err;
}

TEST(OracledStartup, PortInUseIsAClearError) {
  const std::string dir = TempDir();
  Child first({kOracled, "--listen", "127.0.0.1:0", "--port-file", dir + "/p1"});
  int port = testing::WaitForPortFile(dir + "/p1", 20000);
  ASSERT_GT(port, 0) << first.Output();
  RunResult second = RunCommand({kOracled, "--listen", "127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(second.exit_code, 4) << second.err;
  EXPECT_NE(second.err.find("cannot listen on 127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << second.err;
  EXPECT_EQ(first.Stop(SIGTERM, 30000), 0) << first.Output();
}

TEST(OraclectlReplay, RunsOfflineAndReportsBadInput) {
  const std::string dir = TempDir();
  const std::string ticks = WriteTickLog(dir);
  RunResult r = RunCommand({kOraclectl, "replay", "--input", ticks, "--output", dir + "/m1.jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("bad lines:         2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 49: field \"bid\": \"oops\""), std::string::npos) << r.err;
  RunResult again =
      RunCommand({kOraclectl, "replay", "--input", ticks, "--output", dir + "/m2.jsonl"});
  EXPECT_EQ(again.exit_code, 0);
  const std::string m1 = testing::ReadFile(dir + "/m1.jsonl");
  EXPECT_GT(m1.size(), 100000u);
  EXPECT_EQ(m1, testing::ReadFile(dir + "/m2.jsonl"));  // byte-identical
  RunResult missing = RunCommand({kOraclectl, "replay", "--input", dir + "/nope", "--output", "-"});
  EXPECT_EQ(missing.exit_code, 7);
  RunResult badcfg = RunCommand({kOraclectl, "replay", "--input", ticks, "--output", "-",
                                 "--config", dir + "/nope.textproto"});
  EXPECT_EQ(badcfg.exit_code, 7);
  EXPECT_NE(badcfg.err.find("nope.textproto"), std::string::npos);
}

// The real oracled with --live against two TLS venues on loopback (Binance spot and the USD-M mark
// price, with the test CA): marks from both, live health in ListVenues, and a capture that replays.
TEST(OracledLive, StreamsFromVenuesOnLoopbackAndCapturesTheirFrames) {
  const std::string dir = TempDir() + "/live";
  std::system(("mkdir -p " + dir).c_str());
  const testing::TestCertificate cert = testing::MakeTestCertificate(dir);
  auto now_ms = [] { return std::to_string(WallClockNow() / kNanosPerMilli); };
  testing::FakeVenue spot(
      cert,
      [&](testing::VenueSession& s, int) {
        std::string sub;
        s.Read(&sub, 3000);
        for (int n = 0; !s.Stopping(); ++n) {
          const std::string t = now_ms();
          if (!s.Send(R"({"stream":"btcusdt@bookTicker","data":{"u":)" + std::to_string(n) +
                      R"(,"s":"BTCUSDT","b":"65000.10","B":"1","a":"65000.30","A":"1"}})") ||
              !s.Send(R"({"stream":"btcusdt@trade","data":{"e":"trade","E":)" + t +
                      R"(,"s":"BTCUSDT","t":1,"p":"65000.20","q":"0.1","T":)" + t + "}}")) {
            return;
          }
          s.SleepMs(50);
        }
      },
      [](const std::string&, const std::string&, const std::string&) -> std::string {
        return R"([{"symbol":"BTCUSDT","bidPrice":"65000.1","bidQty":"1","askPrice":"65000.3","askQty":"1"}])";
      });
  testing::FakeVenue usdm(
      cert,
      [&](testing::VenueSession& s, int) {
        std::string sub;
        s.Read(&sub, 3000);
        while (!s.Stopping()) {
          if (!s.Send(R"({"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":)" +
                      now_ms() + R"(,"s":"BTCUSDT","p":"65010.00","r":"0.0001","T":0}})")) {
            return;
          }
          s.SleepMs(100);
        }
      },
      [](const std::string&, const std::string&, const std::string&) -> std::string {
        return R"({"symbol":"BTCUSDT","markPrice":"65010.00","time":1})";
      });
  const std::string cfg = dir + "/live.textproto";
  auto live = [&](const testing::FakeVenue& v) {
    return "live { ws_endpoint_override: \"" + v.ws_endpoint() + "\" rest_endpoint_override: \"" +
           v.https_endpoint() + "\" tls_ca_file: \"" + cert.cert_pem_path + "\" }";
  };
  std::ofstream(cfg) << R"pb(
        defaults { min_venues: 2 twap_window_ms: 1000 twap_bucket_ms: 100 jump_lookback_ms: 1000 }
        venues {
          name: "offline"
          live { disabled: true }
        }
        instruments {
          name: "BTC-USDT"
          sources { venue: "binance" pair: "BTC-USDT" venue_symbol: "BTCUSDT" }
          sources { venue: "binance-usdm" pair: "BTC-USDT" venue_symbol: "BTCUSDT" }
          sources { venue: "offline" pair: "BTC-USDT" venue_symbol: "BTCUSDT" }
        })pb"
                     << "\nvenues { name: \"binance\" " << live(spot) << " }\n"
                     << "venues { name: \"binance-usdm\" " << live(usdm) << " }\n";
  const std::string capture = dir + "/frames.jsonl";
  Child server({kOracled, "--config", cfg, "--live", "--capture", capture, "--listen",
                "127.0.0.1:0", "--port-file", dir + "/port"});
  const int port = testing::WaitForPortFile(dir + "/port", 20000);
  ASSERT_GT(port, 0) << server.Output();
  const std::string addr = "127.0.0.1:" + std::to_string(port);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  RunResult get;
  for (;;) {
    get = RunCommand({kOraclectl, "--addr", addr, "--json", "get", "BTC-USDT"});
    if (get.exit_code == 0) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << get.out << get.err << server.Output();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(get.out.find("\"status\":\"MARK_STATUS_OK\""), std::string::npos) << get.out;
  EXPECT_NE(get.out.find("\"used_venue_count\":2"), std::string::npos) << get.out;
  RunResult venues = RunCommand({kOraclectl, "--addr", addr, "--json", "venues"});
  EXPECT_NE(
      venues.out.find("{\"name\":\"binance\",\"display_name\":\"binance\",\"connected\":true"),
      std::string::npos)
      << venues.out;
  EXPECT_NE(venues.out.find("\"live\":true"), std::string::npos) << venues.out;
  EXPECT_EQ(server.Output().find("venue offline: live"), std::string::npos) << server.Output();
  EXPECT_EQ(server.Stop(SIGTERM, 30000), 0) << server.Output();

  // The capture: frames of both venues (and their REST snapshots), replayable offline.
  const std::string frames = testing::ReadFile(capture);
  EXPECT_NE(frames.find("\"venue\":\"binance\",\"frame\":\"{\\\"stream\\\":\\\"btcusdt@trade"),
            std::string::npos)
      << frames.substr(0, 500);
  EXPECT_NE(frames.find("\"venue\":\"binance-usdm\""), std::string::npos);
  EXPECT_NE(frames.find("\"rest\":true"), std::string::npos);
  RunResult replay = RunCommand({kOraclectl, "replay", "--capture", capture, "--config", cfg,
                                 "--output", dir + "/marks.jsonl"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_NE(replay.err.find("bad lines:         0"), std::string::npos) << replay.err;
  const std::string marks = testing::ReadFile(dir + "/marks.jsonl");
  EXPECT_NE(marks.find("\"instrument\":\"BTC-USDT\",\"price\":\"65"), std::string::npos);
  EXPECT_NE(marks.find("\"status\":\"OK\""), std::string::npos);
}

// Raw frames of three venues, as `oracled --live --capture` records them, replayed through the real
// parsers: a USDT-USD mark from all three, reproducible byte for byte.
TEST(OraclectlReplay, CaptureOfThreeVenuesThroughTheRealParsers) {
  const std::string dir = TempDir();
  const std::string path = dir + "/capture.jsonl";
  std::ofstream out(path);
  const TimeNs t0 = 1760132160LL * kNanosPerSecond;  // 2025-10-10T21:36:00Z
  auto line = [&](TimeNs t, const char* venue, const std::string& frame) {
    std::string escaped;
    for (char c : frame) {
      if (c == '"' || c == '\\') escaped.push_back('\\');
      escaped.push_back(c);
    }
    std::string ts = FormatRfc3339(t);  // .000 / .000000: re-spelled with nine digits below
    ts = ts.substr(0, 20) + std::to_string(1'000'000'000 + t % kNanosPerSecond).substr(1) + "Z";
    out << "{\"recv_time\":\"" << ts << "\",\"venue\":\"" << venue << "\",\"frame\":\"" << escaped
        << "\"}\n";
  };
  char buf[512];
  for (int i = 0; i < 40; ++i) {
    const TimeNs t = t0 + i * 250 * kNanosPerMilli;
    std::snprintf(
        buf, sizeof buf,
        R"({"type":"ticker","sequence":%d,"product_id":"USDT-USD","price":"1.0001","best_bid":"1.0000","best_ask":"1.0002","time":"%s"})",
        100 + i, FormatRfc3339(t).c_str());
    line(t, "coinbase", buf);
    std::snprintf(
        buf, sizeof buf,
        R"({"channel":"ticker","type":"update","data":[{"symbol":"USDT/USD","bid":1.00005,"bid_qty":1000,"ask":1.00015,"ask_qty":1000,"last":1.0001,"volume":1,"vwap":1,"low":1,"high":1,"change":0,"change_pct":0,"timestamp":"%s"}]})",
        FormatRfc3339(t + 10 * kNanosPerMilli).c_str());
    line(t + 10 * kNanosPerMilli, "kraken", buf);
    const long long us = (t + 20 * kNanosPerMilli) / kNanosPerMicro;
    std::snprintf(
        buf, sizeof buf,
        R"({"data":{"timestamp":"%lld","microtimestamp":"%lld","bids":[["1.00010","500"]],"asks":[["1.00020","500"]]},"channel":"order_book_usdtusd","event":"data"})",
        us / 1000000, us);
    line(t + 20 * kNanosPerMilli, "bitstamp", buf);
  }
  line(t0 + 10500 * kNanosPerMilli, "kraken", R"({"channel":"heartbeat"})");
  out << "this is not a capture line\n";
  out.close();

  RunResult r =
      RunCommand({kOraclectl, "replay", "--capture", path, "--output", dir + "/c1.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("line 122: not a JSON object"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("captured frames:   data 120, ignored 0, heartbeat 1"), std::string::npos)
      << r.err;
  const std::string marks = testing::ReadFile(dir + "/c1.jsonl");
  EXPECT_NE(marks.find("{\"time\":\"2025-10-10T21:36:10.500Z\",\"instrument\":\"USDT-USD\","
                       "\"price\":\"1.0001\",\"confidence\":\"0.00005\",\"status\":\"OK\","
                       "\"flags\":[],\"venues_used\":3"),
            std::string::npos)
      << marks.substr(0, 2000);
  RunResult again =
      RunCommand({kOraclectl, "replay", "--capture", path, "--output", dir + "/c2.jsonl"});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_EQ(marks, testing::ReadFile(dir + "/c2.jsonl"));
  RunResult both =
      RunCommand({kOraclectl, "replay", "--capture", path, "--input", path, "--output", "-"});
  EXPECT_EQ(both.exit_code, 2);
}

}  // namespace
}  // namespace oracle
