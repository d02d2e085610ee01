// `oracled --live` polling a redemption-rate provider end to end, on loopback only: a JSON-RPC
// server answers eth_call with 1.0712 (as a uint256 with 18 decimals), a second endpoint refuses
// connections. The process polls both, hands the ratio to the core, shows the provider's health in
// GetServerStatus, and the history records the RATE events with their provider.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "integration/process.h"
#include "unit/rates/loopback_rpc_server.h"

namespace oracle {
namespace {

using testing::Child;
using testing::LoopbackRpcServer;
using testing::RpcReply;
using testing::RunCommand;
using testing::RunResult;

const std::string kOracled = std::string(ORACLE_BINARY_DIR) + "/oracled";
const std::string kOraclectl = std::string(ORACLE_BINARY_DIR) + "/oraclectl";

TEST(LiveRates, OracledPollsTheProviderReportsItsHealthAndRecordsTheRatio) {
  const std::string dir = ::testing::TempDir() + "/live_rates_it_" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  LoopbackRpcServer rpc([](const std::string& body) {
    // 1.0712 * 10^18 = 0x0eddaab97b660000, as a 32-byte word.
    return RpcReply{200, "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(testing::RequestId(body)) +
                             ",\"result\":\"0x" + std::string(48, '0') + "0eddaab97b660000\"}"};
  });
  const int dead = testing::DeadLoopbackPort();
  const std::string config = dir + "/live.textproto";
  // clang-format off
  const std::string config_text =
      "venues { name: \"binance\" live { disabled: true } }\n"
      "instruments { name: \"ETH-USD\" sources { venue: \"binance\" pair: \"ETH-USD\" } }\n"
      "instruments { name: \"WBETH-USD\"\n"
      "  redemption { underlying: \"ETH-USD\" ratio_pair: \"WBETH-ETH\" } }\n"
      "rate_providers {\n"
      "  name: \"wbeth-exchange-rate\" pair: \"WBETH-ETH\"\n"
      "  evm_call { to: \"0xa2e3356610840701bdf5611a53974510ae27e2e1\" data: \"0x3ba0b9a9\" }\n"
      "  endpoints: \"" + rpc.url() + "\"\n"
      "  endpoints: \"http://127.0.0.1:" + std::to_string(dead) + "\"\n"
      "  poll_interval_ms: 200 timeout_ms: 2000\n"
      "  allow_insecure_http: true\n"
      "}\n";
  // clang-format on
  std::ofstream(config) << config_text;
  Child oracled({kOracled, "--config", config, "--live", "--listen", "127.0.0.1:0", "--port-file",
                 dir + "/port", "--data-dir", dir + "/history"});
  const int port = testing::WaitForPortFile(dir + "/port", 20000);
  ASSERT_GT(port, 0) << oracled.Output();
  const std::string addr = "127.0.0.1:" + std::to_string(port);

  // Health in GetServerStatus: polled, ratios pushed, the live endpoint ok, the dead one failing.
  RunResult status;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    status = RunCommand({kOraclectl, "--addr", addr, "--json", "status"});
    if (status.out.find("\"pushed_count\":\"3\"") != std::string::npos ||
        std::chrono::steady_clock::now() > deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("\"name\":\"wbeth-exchange-rate\""), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("\"polled\":true"), std::string::npos) << status.out;
  EXPECT_NE(
      status.out.find("\"last_ratio\":{\"mantissa\":\"1071200000000000000\",\"exponent\":-18}"),
      std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("\"endpoint\":\"" + rpc.url() + "\",\"ok\":true"), std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("127.0.0.1:" + std::to_string(dead)), std::string::npos) << status.out;
  EXPECT_GE(rpc.requests(), 3);
  RunResult text = RunCommand({kOraclectl, "--addr", addr, "status"});
  EXPECT_NE(text.out.find("rate provider wbeth-exchange-rate (WBETH-ETH, EVM_CALL): "),
            std::string::npos)
      << text.out;

  // The history has the RATE events, attributed to the provider.
  RunResult events =
      RunCommand({kOraclectl, "--addr", addr, "--json", "events", "--instrument", "WBETH-USD"});
  EXPECT_EQ(events.exit_code, 0) << events.err;
  EXPECT_NE(events.out.find("\"type\":\"STORED_EVENT_TYPE_RATE\""), std::string::npos)
      << events.out;
  EXPECT_NE(events.out.find("\"rate_source\":\"wbeth-exchange-rate\""), std::string::npos)
      << events.out;
  EXPECT_NE(events.out.find("\"result\":\"EVENT_RESULT_RATE_STORED\""), std::string::npos)
      << events.out;

  EXPECT_EQ(oracled.Stop(SIGTERM, 30000), 0) << oracled.Output();
  rpc.Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace oracle
