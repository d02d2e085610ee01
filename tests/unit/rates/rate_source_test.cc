// RateProviderSource against JSON-RPC servers on loopback: median of several endpoints (lower
// middle for an even count), disagreement counting, failover past a dead or erroring endpoint,
// nothing pushed when every endpoint fails, Solana and constant providers, timeouts, and Stop()
// returning promptly while waiting and while a request hangs.
#include "oracle/rates/rate_source.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "oracle/core/clock.h"
#include "unit/rates/loopback_rpc_server.h"
#include "unit/rates/rates_test_util.h"

namespace oracle::rates {
namespace {

using oracle::testing::DeadLoopbackPort;
using oracle::testing::EthCallReply;
using oracle::testing::LoopbackRpcServer;
using oracle::testing::RequestId;
using oracle::testing::RpcReply;
using oracle::testing::StakePoolReply;
using Clock = std::chrono::steady_clock;

constexpr char kContract[] = "0xa2E3356610840701BDf5611a53974510Ae27E2e1";

// A server answering every eth_call with `value` (1e18 scale).
std::unique_ptr<LoopbackRpcServer> RateServer(unsigned __int128 value) {
  return std::make_unique<LoopbackRpcServer>([value](const std::string& body) {
    return RpcReply{200, EthCallReply(value, RequestId(body))};
  });
}

std::string DeadUrl() { return "http://127.0.0.1:" + std::to_string(DeadLoopbackPort()); }

RateProviderSpec EvmSpec(std::vector<std::string> endpoints) {
  RateProviderSpec s;
  s.name = "wbeth-exchange-rate";
  s.pair = "WBETH-ETH";
  s.kind = RateProviderKind::kEvmCall;
  s.endpoints = std::move(endpoints);
  s.evm_to = kContract;
  s.evm_data = "0x3ba0b9a9";
  s.poll_interval_ns = 50 * kNanosPerMilli;
  s.timeout_ns = 2 * kNanosPerSecond;
  s.max_disagreement_bps = 10;
  s.rate_pair_id = 3;
  s.source_id = 5;
  return s;
}

bool WaitFor(const std::function<bool()>& done, int timeout_ms = 10000) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

std::vector<Event> Drain(SpscRing<Event>* ring) {
  std::vector<Event> out;
  Event e;
  while (ring->TryPop(&e)) out.push_back(e);
  return out;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(RateProviderSource, PushesTheMedianOfThreeEndpointsAndCountsTheDisagreement) {
  auto a = RateServer(1'071'200'000'000'000'000);
  auto b = RateServer(1'071'300'000'000'000'000);
  auto c = RateServer(1'080'000'000'000'000'000);  // 82 bps above the median
  SpscRing<Event> ring(64);
  RateProviderSource source({EvmSpec({a->url(), b->url(), c->url()})});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return ring.pushed() >= 1; }));
  source.Stop();

  std::vector<Event> events = Drain(&ring);
  ASSERT_GE(events.size(), 1u);
  const Event& e = events[0];
  EXPECT_EQ(e.type, EventType::kRate);
  EXPECT_EQ(e.id, 3u);
  EXPECT_EQ(e.b, 5);
  EXPECT_EQ(e.A(), (Decimal{1071300000000000000, -18}));
  EXPECT_EQ(e.event_time, e.recv_time);
  EXPECT_LT(std::abs(WallClockNow() - e.event_time), 60 * kNanosPerSecond);

  std::vector<RateProviderHealth> health = source.Health();
  ASSERT_EQ(health.size(), 1u);
  const RateProviderHealth& h = health[0];
  EXPECT_EQ(h.name, "wbeth-exchange-rate");
  EXPECT_EQ(h.pair, "WBETH-ETH");
  EXPECT_GE(h.polls, 1u);
  EXPECT_EQ(h.failures, 0u);
  EXPECT_EQ(h.disagreements, h.polls);
  EXPECT_EQ(h.pushed, ring.pushed());
  EXPECT_EQ(h.last_ratio, (Decimal{1071300000000000000, -18}));
  EXPECT_EQ(h.last_success_time, events.back().event_time);
  EXPECT_TRUE(h.last_error.empty()) << h.last_error;
  ASSERT_EQ(h.endpoints.size(), 3u);
  for (const RateEndpointHealth& eh : h.endpoints) EXPECT_TRUE(eh.ok) << eh.endpoint;
  EXPECT_EQ(h.endpoints[2].last_ratio, (Decimal{1080000000000000000, -18}));
  EXPECT_EQ(h.endpoints[0].endpoint, a->url());
}

TEST(RateProviderSource, AnEvenCountUsesTheLowerMiddleAndCloseAnswersAgree) {
  auto a = RateServer(1'071'300'000'000'000'000);
  auto b = RateServer(1'071'200'000'000'000'000);  // 0.93 bps apart: within 10 bps
  SpscRing<Event> ring(64);
  RateProviderSource source({EvmSpec({a->url(), b->url()})});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return ring.pushed() >= 2; }));
  source.Stop();
  for (const Event& e : Drain(&ring)) EXPECT_EQ(e.A(), (Decimal{1071200000000000000, -18}));
  const RateProviderHealth h = source.Health()[0];
  EXPECT_EQ(h.disagreements, 0u);
  EXPECT_GE(h.polls, 2u);
}

TEST(RateProviderSource, FailsOverPastADeadEndpoint) {
  const std::string dead = DeadUrl();
  auto live = RateServer(1'071'200'000'000'000'000);
  SpscRing<Event> ring(64);
  RateProviderSource source({EvmSpec({dead, live->url()})});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return ring.pushed() >= 2; }));
  source.Stop();
  for (const Event& e : Drain(&ring)) EXPECT_EQ(FormatDecimal(e.A()), "1.0712");

  const RateProviderHealth h = source.Health()[0];
  EXPECT_EQ(h.failures, 0u);
  EXPECT_EQ(h.pushed, h.polls);
  EXPECT_FALSE(h.endpoints[0].ok);
  EXPECT_GE(h.endpoints[0].failures, 2u);
  EXPECT_EQ(h.endpoints[0].successes, 0u);
  EXPECT_TRUE(h.endpoints[1].ok);
  EXPECT_EQ(h.endpoints[1].failures, 0u);
  // The error names the endpoint and why.
  EXPECT_TRUE(Contains(h.last_error, dead + ": ")) << h.last_error;
  EXPECT_TRUE(Contains(h.endpoints[0].last_error, "onnect")) << h.endpoints[0].last_error;
  EXPECT_FALSE(Contains(h.last_error, "no endpoint answered")) << h.last_error;
}

TEST(RateProviderSource, NothingIsPushedWhenEveryEndpointFails) {
  const std::string dead1 = DeadUrl();
  const std::string dead2 = DeadUrl();
  SpscRing<Event> ring(64);
  RateProviderSource source({EvmSpec({dead1, dead2})});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return source.Health()[0].failures >= 3; }));
  source.Stop();
  EXPECT_EQ(ring.pushed(), 0u);
  const RateProviderHealth h = source.Health()[0];
  EXPECT_EQ(h.failures, h.polls);
  EXPECT_EQ(h.pushed, 0u);
  EXPECT_EQ(h.last_success_time, 0);
  EXPECT_GT(h.last_error_time, 0);
  EXPECT_EQ(h.last_error.rfind("no endpoint answered: " + dead1 + ": ", 0), 0u) << h.last_error;
  EXPECT_TRUE(Contains(h.last_error, "; " + dead2 + ": ")) << h.last_error;
}

TEST(RateProviderSource, RevertsHttpErrorsAndNonPositiveRatiosAreEndpointFailures) {
  LoopbackRpcServer revert([](const std::string& body) {
    return RpcReply{200, R"({"jsonrpc":"2.0","id":)" + std::to_string(RequestId(body)) +
                             R"(,"error":{"code":3,"message":"execution reverted",)"
                             R"("data":"0x4e487b71)" +
                             std::string(62, '0') + R"(12"}})"};
  });
  LoopbackRpcServer http500([](const std::string&) { return RpcReply{500, "upstream down"}; });
  LoopbackRpcServer zero([](const std::string& body) {
    return RpcReply{200, EthCallReply(0, RequestId(body))};
  });
  LoopbackRpcServer rate_limited([](const std::string& body) {
    return RpcReply{429, R"({"jsonrpc":"2.0","id":)" + std::to_string(RequestId(body)) +
                             R"(,"error":{"code":-32005,"message":"rate limit exceeded"}})"};
  });
  auto live = RateServer(1'000'000'000'000'000'000);
  SpscRing<Event> ring(64);
  RateProviderSource source(
      {EvmSpec({revert.url(), http500.url(), zero.url(), rate_limited.url(), live->url()})});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return ring.pushed() >= 1; }));
  source.Stop();
  EXPECT_EQ(Drain(&ring)[0].A(), (Decimal{1000000000000000000, -18}));
  const RateProviderHealth h = source.Health()[0];
  EXPECT_EQ(h.endpoints[0].last_error,
            "JSON-RPC error 3: execution reverted (panic 0x12 (division or modulo by zero))");
  EXPECT_EQ(h.endpoints[1].last_error, "HTTP 500: upstream down");
  EXPECT_EQ(h.endpoints[2].last_error, "ratio 0 is not positive");
  EXPECT_EQ(h.endpoints[3].last_error, "HTTP 429: JSON-RPC error -32005: rate limit exceeded");
  EXPECT_TRUE(h.endpoints[4].ok);
  EXPECT_TRUE(Contains(h.last_error, revert.url() + ": JSON-RPC error 3")) << h.last_error;
  EXPECT_EQ(h.failures, 0u);
}

TEST(RateProviderSource, ASlowEndpointTimesOutAndIsSkipped) {
  LoopbackRpcServer slow([](const std::string& body) {
    return RpcReply{200, EthCallReply(2'000'000'000'000'000'000, RequestId(body)), 3000};
  });
  auto live = RateServer(1'071'200'000'000'000'000);
  RateProviderSpec spec = EvmSpec({slow.url(), live->url()});
  spec.timeout_ns = 200 * kNanosPerMilli;
  SpscRing<Event> ring(64);
  RateProviderSource source({spec});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return ring.pushed() >= 1; }));
  source.Stop();
  EXPECT_EQ(Drain(&ring)[0].A(), (Decimal{1071200000000000000, -18}));
  const RateProviderHealth h = source.Health()[0];
  EXPECT_FALSE(h.endpoints[0].ok);
  EXPECT_TRUE(Contains(h.endpoints[0].last_error, "imed out")) << h.endpoints[0].last_error;
}

TEST(RateProviderSource, PollsASolanaStakePool) {
  LoopbackRpcServer node([](const std::string& body) {
    EXPECT_TRUE(Contains(body, R"("method":"getAccountInfo")")) << body;
    return RpcReply{200, StakePoolReply(10'712'000'000'000, 10'000'000'000'000, RequestId(body))};
  });
  RateProviderSpec spec;
  spec.name = "bnsol-stake-pool";
  spec.pair = "BNSOL-SOL";
  spec.kind = RateProviderKind::kSolanaStakePool;
  spec.endpoints = {node.url()};
  spec.solana_account = "Hr9pzexrBge3vgmBNRR8u42CNQgBXdHm4UkUN2DH4a7r";
  spec.rate_pair_id = 1;
  spec.source_id = 2;
  SpscRing<Event> ring(64);
  RateProviderSource source({spec});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return ring.pushed() >= 1; }));
  source.Stop();
  const Event e = Drain(&ring)[0];
  EXPECT_EQ(e.id, 1u);
  EXPECT_EQ(e.b, 2);
  EXPECT_EQ(FormatDecimal(e.A()), "1.0712");
}

TEST(RateProviderSource, ConstantProvidersPushTheirRatioEveryPoll) {
  RateProviderSpec usde;
  usde.name = "usde-usdt-redemption";
  usde.pair = "USDE-USDT";
  usde.kind = RateProviderKind::kConstant;
  usde.constant = Decimal{1, 0};
  usde.poll_interval_ns = 20 * kNanosPerMilli;
  usde.rate_pair_id = 7;
  usde.source_id = 9;
  SpscRing<Event> ring(64);
  RateProviderSource source({usde});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return ring.pushed() >= 3; }));
  source.Stop();
  for (const Event& e : Drain(&ring)) {
    EXPECT_EQ(e.id, 7u);
    EXPECT_EQ(e.b, 9);
    EXPECT_EQ(e.A(), (Decimal{1, 0}));
  }
  const RateProviderHealth h = source.Health()[0];
  EXPECT_EQ(h.kind, RateProviderKind::kConstant);
  EXPECT_TRUE(h.endpoints.empty());
  EXPECT_EQ(h.failures, 0u);
}

// The time of a ratio (by which the core ages it) and the health's times are the source's clock's.
TEST(RateProviderSource, StampsRatiosAndHealthWithItsClock) {
  constexpr TimeNs kT0 = 1'760'000'000LL * kNanosPerSecond;
  ManualClock clock(kT0);
  auto server = RateServer(1'071'200'000'000'000'000);
  RateProviderSpec good = EvmSpec({server->url()});
  good.poll_interval_ns = 20 * kNanosPerMilli;
  RateProviderSpec dead = EvmSpec({DeadUrl()});
  dead.name = "dead";
  dead.poll_interval_ns = 20 * kNanosPerMilli;
  SpscRing<Event> ring(1024);
  RateProviderSource source({good, dead}, clock.AsClock());
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] {
    const auto h = source.Health();
    return h[0].pushed >= 1 && h[1].polls >= 1;
  }));
  clock.Advance(7 * kNanosPerSecond);
  const uint64_t good_polls = source.Health()[0].polls, dead_polls = source.Health()[1].polls;
  // Two more polls each: at least one whole poll after the clock moved.
  ASSERT_TRUE(WaitFor([&] {
    const auto h = source.Health();
    return h[0].polls >= good_polls + 2 && h[1].polls >= dead_polls + 2;
  }));
  source.Stop();
  const std::vector<Event> events = Drain(&ring);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front().event_time, kT0);
  EXPECT_EQ(events.back().event_time, kT0 + 7 * kNanosPerSecond);
  for (const Event& e : events) {
    EXPECT_EQ(e.recv_time, e.event_time);
    EXPECT_TRUE(e.event_time == kT0 || e.event_time == kT0 + 7 * kNanosPerSecond) << e.event_time;
  }
  const std::vector<RateProviderHealth> h = source.Health();
  EXPECT_EQ(h[0].last_success_time, kT0 + 7 * kNanosPerSecond);
  EXPECT_EQ(h[1].last_success_time, 0);
  EXPECT_EQ(h[1].last_error_time, kT0 + 7 * kNanosPerSecond);
}

TEST(RateProviderSource, ProvidersKeepTheirOwnSchedules) {
  auto fast_server = RateServer(1'071'200'000'000'000'000);
  RateProviderSpec fast = EvmSpec({fast_server->url()});
  fast.poll_interval_ns = 20 * kNanosPerMilli;
  RateProviderSpec slow = EvmSpec({fast_server->url()});
  slow.name = "slow";
  slow.poll_interval_ns = 3600 * kNanosPerSecond;
  SpscRing<Event> ring(1024);
  RateProviderSource source({fast, slow});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return source.Health()[0].polls >= 5; }));
  source.Stop();
  EXPECT_EQ(source.Health()[1].polls, 1u);
}

TEST(RateProviderSource, StopReturnsPromptlyWhileWaitingForTheNextPoll) {
  auto server = RateServer(1'071'200'000'000'000'000);
  RateProviderSpec spec = EvmSpec({server->url()});
  spec.poll_interval_ns = 3600 * kNanosPerSecond;
  SpscRing<Event> ring(64);
  RateProviderSource source({spec});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return ring.pushed() >= 1; }));
  const auto t0 = Clock::now();
  source.Stop();
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(500));
  source.Stop();  // idempotent
}

TEST(RateProviderSource, StopReturnsPromptlyWhileARequestHangs) {
  LoopbackRpcServer hanging([](const std::string& body) {
    return RpcReply{200, EthCallReply(1, RequestId(body)), 30000};
  });
  RateProviderSpec spec = EvmSpec({hanging.url()});
  spec.timeout_ns = 60 * kNanosPerSecond;
  SpscRing<Event> ring(64);
  RateProviderSource source({spec});
  ASSERT_TRUE(source.Start(&ring).ok());
  ASSERT_TRUE(WaitFor([&] { return hanging.requests() >= 1; }));
  const auto t0 = Clock::now();
  source.Stop();
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(500));
  EXPECT_EQ(ring.pushed(), 0u);
  hanging.Stop();
}

TEST(RateProviderSource, StartRefusesInvalidProvidersNamingEachProblem) {
  RateProviderSpec bad = EvmSpec({"ftp://x", "http://127.0.0.1:1"});
  bad.evm_to = "0x1234";
  bad.evm_data = "0x3ba0b9a";
  RateProviderSpec none;
  none.name = "sol";
  none.kind = RateProviderKind::kSolanaStakePool;
  none.solana_account = "0OIl";
  RateProviderSpec zero;
  zero.name = "usde";
  zero.kind = RateProviderKind::kConstant;
  SpscRing<Event> ring(64);
  RateProviderSource source({bad, none, zero});
  absl::Status s = source.Start(&ring);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  const std::string m(s.message());
  EXPECT_TRUE(Contains(m, "wbeth-exchange-rate: endpoints: \"ftp://x\" does not start with")) << m;
  EXPECT_TRUE(Contains(m, "wbeth-exchange-rate: evm_to: \"0x1234\" is not an EVM address")) << m;
  EXPECT_TRUE(Contains(m, "wbeth-exchange-rate: evm_data:")) << m;
  EXPECT_TRUE(Contains(m, "sol: endpoints: none")) << m;
  EXPECT_TRUE(Contains(m, "sol: solana_account:")) << m;
  EXPECT_TRUE(Contains(m, "usde: constant: 0 is not positive")) << m;
  EXPECT_EQ(ring.pushed(), 0u);
  source.Stop();
}

TEST(RateProviderSource, RedactsEndpointPathsAndCredentials) {
  EXPECT_EQ(RedactEndpoint("http://127.0.0.1:8545"), "http://127.0.0.1:8545");
  EXPECT_EQ(RedactEndpoint("https://rpc.ankr.com/"), "https://rpc.ankr.com");
  EXPECT_EQ(RedactEndpoint("https://eth-mainnet.g.alchemy.com/v2/SECRETKEY"),
            "https://eth-mainnet.g.alchemy.com/...");
  EXPECT_EQ(RedactEndpoint("https://user:pw@node.example:8545?key=1"),
            "https://node.example:8545/...");
}

}  // namespace
}  // namespace oracle::rates
