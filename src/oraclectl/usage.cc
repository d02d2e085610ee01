#include "usage.h"

#include <cstdio>

#include "exit_codes.h"

namespace oracle::ctl {

const char kUsage[] =
    R"(usage: oraclectl [--addr HOST:PORT] [--json] [--timeout DURATION] [--tls] [--ca FILE]
                 [--cert FILE --key FILE] [--token-file FILE] COMMAND ...

commands:
  get INSTRUMENT [--max-age DURATION] [--max-confidence-bps N] [--basic]
        latest mark with its per-venue provenance (--basic: without provenance);
        --max-confidence-bps: refuse a mark whose confidence is wider than N bps of its price
  batch INSTRUMENT... [--max-age DURATION] [--max-confidence-bps N] [--basic]
        latest marks of several instruments in one call (up to 1000), each judged alone
  watch INSTRUMENT... [--min-interval DURATION] [--deviation-bps N] [--heartbeat DURATION]
                      [--count N] [--duration DURATION]
        stream marks as they are published (Ctrl-C to stop)
  instruments         configured instruments, methodology and sources
  venues              venue health: connection, message age, counts
  status              server counters: core throughput, ring drops, request errors
  health [SERVICE]    grpc.health.v1 Check of SERVICE (default oracle.v1.OracleService; "" for
                      the server): exit 0 when SERVING, 3 otherwise (for probes: works over TLS)
  replay --input TICKS.jsonl --output MARKS.jsonl [--config FILE] [--provenance]
        run the core offline over a tick log, as fast as it goes; "-" is stdin/stdout
  replay --capture FRAMES.jsonl --output MARKS.jsonl [--config FILE] [--provenance]
        the same over raw venue frames recorded by `oracled --live --capture`, through the
        venues' real parsers
  verify-signature --public-key FILE [--mark-json FILE|-] [--print-canonical]
        check a mark's Ed25519 signature offline (the mark as printed by --json get);
        exit 0 valid, 1 not; `oraclectl verify-signature --help` for more

audit commands (the server must keep history: `history { data_dir: ... }` in its configuration):
  history INSTRUMENT [--from TIME] [--to TIME] [--limit N] [--newest-first] [--basic]
        published marks over a time range, one line per mark, oldest first
  at INSTRUMENT TIME [--basic]
        the mark in force at TIME, the event that published it and how long it had been in force
  twap INSTRUMENT --from TIME --to TIME
        time-weighted average of the marks' prices over the window
  events (--instrument NAME | --venue NAME | both) [--from TIME] [--to TIME] [--limit N]
        input events as the core consumed them, one line per event
  verify INSTRUMENT (--sequence N | --at TIME)
        recompute a stored mark from the stored events; compare, and check its signature
  export INSTRUMENT --format csv|jsonl [--from TIME] [--to TIME] [--output FILE|-] [--limit N]
                    [--events [--venue NAME]]
        write marks (--events: input events) as CSV or JSON Lines (default stdout); a file is
        written whole or not at all; the count goes to stderr

flags:
  --addr HOST:PORT    server (default $ORACLE_ADDR or 127.0.0.1:50051)
  --json              machine-readable output (protobuf JSON, one object per line)
  --timeout DURATION  per-call deadline, e.g. 500ms, 5s (default 5s)
  --tls               connect with TLS (implied by --ca or --cert); the system's CAs unless --ca
  --ca FILE           trust this PEM CA for the server's certificate (default $ORACLE_CA)
  --cert FILE --key FILE  present this client certificate (mTLS; default $ORACLE_CERT,
                      $ORACLE_KEY)
  --token-file FILE   send its first line as "authorization: Bearer <token>" (default
                      $ORACLE_TOKEN, the token itself)
durations: 250ms, 5s, 1.5s, 2m, 1h
times: 2026-11-22T10:00:00Z or 2026-11-22T10:00:00.25Z (RFC 3339), 1795341600000000000
       (nanoseconds since the epoch), -30s, -5m, -1h (that long before now);
       --from is inclusive, --to exclusive (default: now); each page of history, events and
       export has its own --timeout; Ctrl-C stops them cleanly

exit codes:
  0   success (get, batch, watch, at: every mark OK; verify: match and signature valid)
  1   unexpected error
  2   usage error
  3   a mark is not OK (get, batch, watch, at)
  4   unknown instrument, venue or mark, or invalid argument
  5   mark older than --max-age, wider than --max-confidence-bps or no price yet (get, batch,
      at); no price in the window (twap)
  6   server unreachable or timed out, or it keeps no history
  7   replay or export could not run (files or configuration)
  8   verification failed (verify): the mark differs, its signature is invalid, or it cannot be
      verified (NOT_VERIFIABLE)
  130 interrupted (Ctrl-C) before history, events or export finished
)";

int Usage(const std::string& why) {
  std::fprintf(stderr, "oraclectl: %s\n\n%s", why.c_str(), kUsage);
  return kExitUsage;
}

}  // namespace oracle::ctl
