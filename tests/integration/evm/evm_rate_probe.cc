// The C++ side of the ganache integration test (evm_rate_test.js drives it over stdin/stdout).
//
//   evm_rate_probe --rpc URL --dead URL --contract 0x.. --halted-data 0x.. --broken-data 0x..
//                  --rate 1.0712 --new-rate 1.0725
//
// Runs a RateProviderSource with four providers against the node: the rate (endpoints: the node
// and a dead loopback port), a call that reverts with Error(string), one that panics, and a call
// to an address without code. Checks, in order: the rate is read and the dead endpoint is named
// in the errors; reverts and "no contract" are decoded from the node's replies; prints
// "READY update", waits for "updated" on stdin and reads the new rate; prints "READY kill",
// waits for "killed" and checks polls fail (counted, nothing pushed, both endpoints named with
// why); Stop() returns promptly. Exit 0 when every check passed, 1 otherwise.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "oracle/core/decimal.h"
#include "oracle/core/event.h"
#include "oracle/core/spsc_ring.h"
#include "oracle/rates/rate_source.h"

namespace {

using oracle::Decimal;
using oracle::Event;
using oracle::kNanosPerMilli;
using oracle::kNanosPerSecond;
using oracle::RateProviderKind;
using oracle::RateProviderSpec;
using oracle::SpscRing;
using oracle::rates::RateProviderHealth;
using oracle::rates::RateProviderSource;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kRate = 0, kHalted = 1, kBroken = 2, kNoContract = 3;

int failures = 0;

void Check(bool ok, const std::string& what) {
  std::cout << (ok ? "ok: " : "FAILED: ") << what << std::endl;
  if (!ok) ++failures;
}

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

bool WaitFor(const std::function<bool()>& done, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

RateProviderSpec Spec(const std::string& name, std::vector<std::string> endpoints,
                      const std::string& to, const std::string& data, uint32_t source) {
  RateProviderSpec s;
  s.name = name;
  s.pair = "WBETH-ETH";
  s.kind = RateProviderKind::kEvmCall;
  s.endpoints = std::move(endpoints);
  s.evm_to = to;
  s.evm_data = data;
  s.poll_interval_ns = 200 * kNanosPerMilli;
  s.timeout_ns = 2 * kNanosPerSecond;
  s.rate_pair_id = 0;
  s.source_id = source;
  return s;
}

void PrintHealth(const RateProviderHealth& h) {
  std::cout << "health " << h.name << ": polls " << h.polls << ", failures " << h.failures
            << ", pushed " << h.pushed << ", last ratio " << oracle::FormatDecimal(h.last_ratio)
            << ", last error: " << h.last_error << std::endl;
  for (const auto& e : h.endpoints) {
    std::cout << "  endpoint " << e.endpoint << ": " << (e.ok ? "ok" : "failing") << ", "
              << e.successes << " ok, " << e.failures << " failed, last error: " << e.last_error
              << std::endl;
  }
}

bool WaitForLine(const std::string& want) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line == want) return true;
  }
  std::cout << "FAILED: stdin closed before \"" << want << "\"" << std::endl;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  for (const char* key : {"--rpc", "--dead", "--contract", "--halted-data", "--broken-data",
                          "--rate", "--new-rate"}) {
    if (args[key].empty()) {
      std::cerr << "evm_rate_probe: missing " << key << std::endl;
      return 2;
    }
  }
  Decimal rate, new_rate;
  if (oracle::ParseDecimal(args["--rate"], &rate) != oracle::DecimalParseError::kOk ||
      oracle::ParseDecimal(args["--new-rate"], &new_rate) != oracle::DecimalParseError::kOk) {
    std::cerr << "evm_rate_probe: bad --rate or --new-rate" << std::endl;
    return 2;
  }
  const std::string rpc = args["--rpc"];
  const std::string dead = args["--dead"];
  const std::string contract = args["--contract"];

  SpscRing<Event> ring(4096);
  RateProviderSource source({
      Spec("wbeth-exchange-rate", {rpc, dead}, contract, "0x3ba0b9a9", kRate),
      Spec("halted", {rpc}, contract, args["--halted-data"], kHalted),
      Spec("broken", {rpc}, contract, args["--broken-data"], kBroken),
      Spec("no-contract", {rpc}, "0x000000000000000000000000000000000000dEaD", "0x3ba0b9a9",
           kNoContract),
  });
  if (auto s = source.Start(&ring); !s.ok()) {
    std::cerr << "evm_rate_probe: Start: " << s << std::endl;
    return 1;
  }

  // Drains the ring, remembering the last ratio pushed for the rate provider.
  Decimal last{};
  uint64_t rate_events = 0, other_events = 0;
  auto drain = [&] {
    Event e;
    while (ring.TryPop(&e)) {
      if (e.type == oracle::EventType::kRate && e.b == kRate) {
        last = e.A();
        ++rate_events;
      } else {
        ++other_events;
      }
    }
  };
  auto reads = [&](Decimal want) {
    return WaitFor(
        [&] {
          drain();
          return rate_events > 0 && oracle::CompareDecimal(last, want) == 0;
        },
        20000);
  };

  // 1. The rate, with the dead endpoint skipped and named.
  Check(reads(rate), "reads the deployed rate " + args["--rate"]);
  WaitFor([&] { return source.Health()[kNoContract].failures >= 1; }, 10000);
  std::vector<RateProviderHealth> h = source.Health();
  for (const auto& p : h) PrintHealth(p);
  Check(h[kRate].endpoints.size() == 2 && h[kRate].endpoints[0].ok && !h[kRate].endpoints[1].ok,
        "the node answers, the dead endpoint fails");
  Check(Contains(h[kRate].last_error, dead + ": ") && Contains(h[kRate].last_error, "onnect"),
        "the error names the dead endpoint and why");
  Check(h[kRate].failures == 0, "no failed polls while the node answers");
  Check(Contains(h[kHalted].last_error, "revert \"redemptions halted\""),
        "Error(string) revert decoded from the node's reply");
  Check(Contains(h[kBroken].last_error, "panic 0x12 (division or modulo by zero)"),
        "Panic(0x12) decoded from the node's reply");
  Check(Contains(h[kNoContract].last_error, "no contract at the address"),
        "a call to an address without code says so");
  Check(other_events == 0, "failing providers push nothing");

  // 2. The owner moves the rate.
  std::cout << "READY update" << std::endl;
  if (!WaitForLine("updated")) return 1;
  Check(reads(new_rate), "reads the new rate " + args["--new-rate"]);

  // 3. The node dies.
  std::cout << "READY kill" << std::endl;
  if (!WaitForLine("killed")) return 1;
  const uint64_t failed_before = source.Health()[kRate].failures;
  Check(WaitFor([&] { return source.Health()[kRate].failures >= failed_before + 2; }, 15000),
        "polls fail once the node is gone");
  drain();
  const uint64_t pushed = source.Health()[kRate].pushed;
  const uint64_t events = rate_events;
  Check(WaitFor([&] { return source.Health()[kRate].failures >= failed_before + 4; }, 15000),
        "failures keep being counted");
  drain();
  h = source.Health();
  PrintHealth(h[kRate]);
  Check(h[kRate].pushed == pushed && rate_events == events, "nothing is pushed without an answer");
  Check(h[kRate].last_error.rfind("no endpoint answered: ", 0) == 0 &&
            Contains(h[kRate].last_error, rpc + ": ") && Contains(h[kRate].last_error, dead + ": "),
        "the error names both endpoints");
  Check(!h[kRate].endpoints[0].ok && Contains(h[kRate].endpoints[0].last_error, "onnect"),
        "the node's endpoint says why: " + h[kRate].endpoints[0].last_error);
  Check(oracle::CompareDecimal(h[kRate].last_ratio, new_rate) == 0,
        "the last good ratio is kept in the health");

  // 4. Stop() is prompt.
  const auto t0 = Clock::now();
  source.Stop();
  const auto stop_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  Check(stop_ms < 1000, "Stop() returned in " + std::to_string(stop_ms) + " ms");

  std::cout << (failures == 0 ? "PASS" : "FAIL") << std::endl;
  return failures == 0 ? 0 : 1;
}
