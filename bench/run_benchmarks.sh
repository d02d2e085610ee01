#!/usr/bin/env bash
# Runs every benchmark of the oracle and prints a Markdown section for bench/RESULTS.md.
#
#   ./bench/run_benchmarks.sh BUILD_DIR            # `make bench` runs it on build/
#   RUNS=3 READ_SECONDS=10 ./bench/run_benchmarks.sh build
#
# In order, RUNS times each (default 2; the report gives every run and the median):
#   1. core_bench: ring + aggregation throughput on one core, tick-to-mark latency through the core
#      thread, kernels (Google Benchmark; JSON kept);
#   2. read_load with an in-process oracle ingesting 1,000,000 synthetic events/s: the core's ingest
#      rate with no readers, then GetMark (FULL, BASIC) and BatchGetMarks(100) (FULL) at 64
#      outstanding requests for READ_SECONDS each;
#   3. read_load with a lightly fed oracle (10,000 events/s): GetMark and BatchGetMarks(100), FULL,
#      with the raw client (replies kept as bytes, like redis-benchmark) and the typed client
#      (generated stub, every reply parsed); then the same at 1 outstanding request with 1,000,000
#      events/s of ingest (latency without queueing);
#   4. Redis (Debian's redis-server 7, no persistence, on loopback) serving the same marks (serialized
#      oracle.v1.Mark, FULL view, taken from the oracle in step 3): redis-benchmark GET of one random
#      key and MGET of 100 random keys, 64 connections, no pipelining.
# Raw outputs go to BUILD_DIR/bench-results/<UTC timestamp>/; the Markdown goes to stdout and to
# report.md there. Takes about 7 minutes on 2 cores. Needs python3, redis-server, redis-cli and
# redis-benchmark (scripts/install-deps.sh installs them).
set -euo pipefail

usage() { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
BUILD=$(cd "$1" && pwd) || usage
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUNS=${RUNS:-2}
READ_SECONDS=${READ_SECONDS:-8}
WARMUP_SECONDS=${WARMUP_SECONDS:-2}
CONCURRENCY=${CONCURRENCY:-64}
REDIS_SECONDS=${REDIS_SECONDS:-8}
# Extra core_bench flags, e.g. CORE_BENCH_ARGS=--benchmark_filter=CoreIngest (partial runs only).
read -r -a CORE_BENCH_EXTRA <<<"${CORE_BENCH_ARGS:-}"

MGET_KEYS=$(for _ in $(seq 1 100); do printf 'mark:__rand_int__ '; done)
MGET_KEYS=${MGET_KEYS% }

CORE_BENCH=$BUILD/bench/core_bench
READ_LOAD=$BUILD/bench/read_load
for tool in "$CORE_BENCH" "$READ_LOAD" "$BUILD/bench/feeds_bench"; do
  [[ -x $tool ]] || { echo "$0: $tool not built (cmake --build $1)" >&2; exit 1; }
done
for tool in python3 redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "$0: $tool not found (scripts/install-deps.sh)" >&2; exit 1; }
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$BUILD/bench-results/$STAMP
mkdir -p "$OUT"
CMDS=$OUT/commands.txt
: >"$CMDS"
exec 3>&2  # progress goes to the terminal even while a step's stderr goes to a file
log() { echo "[run_benchmarks] $*" >&3; }
# Records a command (build paths shortened) and the load average before it, without running it.
record() {
  local shown
  shown=$(printf '%q ' "$@")
  shown=${shown% }
  shown=${shown//\\,/,}  # commas need no quoting
  shown=${shown//$BUILD/\$BUILD}
  shown=${shown//$OUT/\$OUT}
  shown=${shown//"$MGET_KEYS"/<mark:__rand_int__ x 100>}
  echo "$shown" >>"$CMDS"
  echo "$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $shown" >>"$OUT/load.txt"
  log "$shown"
}
# Records a command, then runs it.
run() {
  record "$@"
  "$@"
}

# --- machine -------------------------------------------------------------------------------------
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "dirty=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -c . || true)"
  echo "nproc=$(nproc)"
  echo "cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  echo "mem=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel=$(uname -r)"
  echo "redis=$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')"
  echo "runs=$RUNS"
  echo "read_seconds=$READ_SECONDS"
  echo "concurrency=$CONCURRENCY"
} >"$OUT/machine.txt"

# --- 1. core ---------------------------------------------------------------------------------------
for r in $(seq 1 "$RUNS"); do
  run "$CORE_BENCH" --benchmark_min_time=1 --benchmark_out="$OUT/core_$r.json" \
    --benchmark_out_format=json "${CORE_BENCH_EXTRA[@]}" >"$OUT/core_$r.txt" 2>&1
done

# --- 1b. venue parsers -----------------------------------------------------------------------------
for r in $(seq 1 "$RUNS"); do
  run "$BUILD/bench/feeds_bench" --benchmark_min_time=0.5 --benchmark_out="$OUT/feeds_$r.json" \
    --benchmark_out_format=json >"$OUT/feeds_$r.txt" 2>&1
done

# --- 2-4. reads, oracle and Redis side by side -----------------------------------------------------
REDIS_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REDIS_PID=
cleanup() {
  if [[ -n $REDIS_PID ]]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
REDIS_ARGS=(--port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no
  --logfile "$OUT/redis-server.log")
record redis-server "${REDIS_ARGS[@]}"
redis-server "${REDIS_ARGS[@]}" &  # started directly so that $! is the server itself
REDIS_PID=$!
for _ in $(seq 1 50); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done

GET_N=0
MGET_N=0
for r in $(seq 1 "$RUNS"); do
  run "$READ_LOAD" --label "run$r-ingest1M" --synthetic-eps 1000000 \
    --scenarios idle,get_full,get_basic,batch_full,idle --concurrency "$CONCURRENCY" \
    --duration-s "$READ_SECONDS" --warmup-s "$WARMUP_SECONDS" --seed "$r" \
    >"$OUT/read_1m_$r.jsonl" 2>"$OUT/read_1m_$r.log"
  DUMP=()
  if [[ $r -eq 1 ]]; then DUMP=(--dump-redis "$OUT/marks.resp"); fi
  run "$READ_LOAD" --label "run$r-ingest10k" --synthetic-eps 10000 \
    --scenarios get_full,batch_full --concurrency "$CONCURRENCY" \
    --duration-s "$READ_SECONDS" --warmup-s "$WARMUP_SECONDS" --seed "$r" "${DUMP[@]}" \
    >"$OUT/read_10k_$r.jsonl" 2>"$OUT/read_10k_$r.log"
  run "$READ_LOAD" --label "run$r-ingest10k-typed" --client typed --synthetic-eps 10000 \
    --scenarios get_full,batch_full --concurrency "$CONCURRENCY" \
    --duration-s "$READ_SECONDS" --warmup-s "$WARMUP_SECONDS" --seed "$r" \
    >"$OUT/read_10k_typed_$r.jsonl" 2>"$OUT/read_10k_typed_$r.log"
  run "$READ_LOAD" --label "run$r-ingest1M-c1" --synthetic-eps 1000000 \
    --scenarios get_full,batch_full --concurrency 1 \
    --duration-s 5 --warmup-s 1 --seed "$r" \
    >"$OUT/read_c1_$r.jsonl" 2>"$OUT/read_c1_$r.log"
  if [[ $r -eq 1 ]]; then
    run redis-cli -p "$REDIS_PORT" --pipe <"$OUT/marks.resp" >"$OUT/redis-load.txt"
    keys=$(redis-cli -p "$REDIS_PORT" dbsize)
    [[ $keys -eq 1000 ]] || { echo "$0: Redis holds $keys keys, expected 1000" >&2; exit 1; }
    # Size the runs to about REDIS_SECONDS each from a short calibration.
    rps=$(run redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONCURRENCY" -n 20000 -r 1000 -P 1 \
      --csv GET mark:__rand_int__ | tail -1 | cut -d'"' -f4)
    GET_N=$(python3 -c "print(max(20000, int(float('$rps') * $REDIS_SECONDS)))")
    # shellcheck disable=SC2086
    rps=$(run redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONCURRENCY" -n 1000 -r 1000 -P 1 \
      --csv MGET $MGET_KEYS | tail -1 | cut -d'"' -f4)
    MGET_N=$(python3 -c "print(max(1000, int(float('$rps') * $REDIS_SECONDS)))")
  fi
  run redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONCURRENCY" -n "$GET_N" -r 1000 -P 1 \
    GET mark:__rand_int__ >"$OUT/redis_get_$r.txt" 2>&1
  # shellcheck disable=SC2086
  run redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONCURRENCY" -n "$MGET_N" -r 1000 -P 1 \
    MGET $MGET_KEYS >"$OUT/redis_mget_$r.txt" 2>&1
done

python3 "$HERE/bench_report.py" "$OUT" | tee "$OUT/report.md"
log "raw results in $OUT"
