// oraclectl's commands; main.cc dispatches to them. Each returns the process's exit code
// (exit_codes.h). `args` is the whole command line, its first positional the command word.
#ifndef ORACLE_SRC_ORACLECTL_COMMANDS_H_
#define ORACLE_SRC_ORACLECTL_COMMANDS_H_

#include "connection.h"
#include "oracle/core/cli_args.h"

namespace oracle::ctl {

// Latest marks (marks_commands.cc).
int CmdGet(Connection& c, const CliArgs& args);
int CmdBatch(Connection& c, const CliArgs& args);
int CmdWatch(Connection& c, const CliArgs& args);

// What the server is configured with and how it is doing (catalog_commands.cc).
int CmdInstruments(Connection& c);
int CmdVenues(Connection& c);
int CmdStatus(Connection& c);
int CmdHealth(Connection& c, const CliArgs& args);

// The history the server keeps (audit_commands.cc, export_command.cc).
int CmdHistory(Connection& c, const CliArgs& args);
int CmdAt(Connection& c, const CliArgs& args);
int CmdTwap(Connection& c, const CliArgs& args);
int CmdEvents(Connection& c, const CliArgs& args);
int CmdVerify(Connection& c, const CliArgs& args);
int CmdExport(Connection& c, const CliArgs& args);

// Offline, without a server (replay_command.cc).
int CmdReplay(const CliArgs& args);

}  // namespace oracle::ctl

#endif  // ORACLE_SRC_ORACLECTL_COMMANDS_H_
