// oraclectl's exit codes (also in --help, usage.cc):
//   0  success; every mark returned has status OK (verify: match and signature valid)
//   1  unexpected error
//   2  usage error (bad command or flag)
//   3  marks returned, but at least one is not OK (DEGRADED, STALE or UNAVAILABLE)
//   4  request refused: unknown instrument, venue or mark, or invalid argument
//   5  mark too old for --max-age (MARK_STALE), wider than --max-confidence-bps
//      (CONFIDENCE_TOO_WIDE) or no price yet (MARK_UNAVAILABLE); twap: no price
//      in the window
//   6  server unreachable or timed out, or it keeps no history (HISTORY_UNAVAILABLE)
//   7  replay or export could not run (input/output file or configuration)
//   8  verification failed: a recomputed mark differs, its signature is invalid, or it cannot be
//      verified (NOT_VERIFIABLE)
//   130 interrupted (Ctrl-C) before history, events or export finished
#ifndef ORACLE_SRC_ORACLECTL_EXIT_CODES_H_
#define ORACLE_SRC_ORACLECTL_EXIT_CODES_H_

namespace oracle::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotOk = 3;
inline constexpr int kExitRefused = 4;
inline constexpr int kExitStale = 5;
inline constexpr int kExitUnreachable = 6;
inline constexpr int kExitReplay = 7;
inline constexpr int kExitVerifyFailed = 8;
inline constexpr int kExitInterrupted = 130;

}  // namespace oracle::ctl

#endif  // ORACLE_SRC_ORACLECTL_EXIT_CODES_H_
