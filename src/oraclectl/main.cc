// oraclectl: command-line client of the oracle, and the offline replay tool. This file reads the
// global flags and dispatches to the commands (commands.h); exit codes are in exit_codes.h.
#include <cstdio>
#include <set>
#include <string>

#include "commands.h"
#include "connection.h"
#include "exit_codes.h"
#include "interrupt.h"
#include "oracle/core/cli_args.h"
#include "usage.h"
#include "verify_signature.h"

namespace oracle::ctl {
namespace {

int RunServerCommand(Connection& c, const std::string& cmd, const CliArgs& args) {
  if (cmd == "get") return CmdGet(c, args);
  if (cmd == "batch") return CmdBatch(c, args);
  if (cmd == "watch") return CmdWatch(c, args);
  if (cmd == "instruments") return CmdInstruments(c);
  if (cmd == "venues") return CmdVenues(c);
  if (cmd == "status") return CmdStatus(c);
  if (cmd == "health") return CmdHealth(c, args);
  if (cmd == "history") return CmdHistory(c, args);
  if (cmd == "at") return CmdAt(c, args);
  if (cmd == "twap") return CmdTwap(c, args);
  if (cmd == "events") return CmdEvents(c, args);
  if (cmd == "verify") return CmdVerify(c, args);
  if (cmd == "export") return CmdExport(c, args);
  return Usage("unknown command \"" + cmd + "\"");
}

int Main(int argc, char** argv) {
  const std::set<std::string> value_flags = {"addr",         "timeout",
                                             "max-age",      "max-confidence-bps",
                                             "min-interval", "deviation-bps",
                                             "heartbeat",    "count",
                                             "duration",     "input",
                                             "output",       "config",
                                             "capture",      "from",
                                             "to",           "limit",
                                             "instrument",   "venue",
                                             "sequence",     "at",
                                             "format",       "ca",
                                             "cert",         "key",
                                             "token-file"};
  // verify-signature is offline and parses its own flags: hand it argv from the command word on.
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      if (arg == "verify-signature") return RunVerifySignature(argc - i, argv + i);
      break;
    }
    if (arg.find('=') == std::string::npos && value_flags.count(arg.substr(2)) != 0) ++i;
  }
  CliArgs args(argc, argv, 1, value_flags,
               {"json", "basic", "provenance", "help", "newest-first", "events", "tls"});
  if (!args.ok()) return Usage(args.error());
  if (args.Has("help") || args.positionals().empty()) {
    std::fputs(kUsage, args.Has("help") ? stdout : stderr);
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  const std::string& cmd = args.positionals()[0];
  if (cmd == "replay") return CmdReplay(args);

  StartInterruptThread();  // before gRPC starts its threads
  Connection c;
  std::string err;
  if (!Connect(args, &c, &err)) return Usage(err);
  return RunServerCommand(c, cmd, args);
}

}  // namespace
}  // namespace oracle::ctl

int main(int argc, char** argv) { return oracle::ctl::Main(argc, argv); }
