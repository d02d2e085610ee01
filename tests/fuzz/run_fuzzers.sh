#!/usr/bin/env bash
# Runs every venue parser's libFuzzer target for a fixed number of inputs (CI: `make test-fuzz`).
#   tests/fuzz/run_fuzzers.sh FUZZ_BUILD_DIR [RUNS]
# Seeds come from ../shared/fixtures when it is present (generated into the build dir). Any crash,
# sanitizer report or timeout fails the run and leaves the reproducer in FUZZ_BUILD_DIR/fuzz-out.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
RUNS=${2:-200000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIXTURES="$ROOT/../shared/fixtures"
CORPUS="$BUILD/fuzz-corpus"
OUT="$BUILD/fuzz-out"
mkdir -p "$CORPUS" "$OUT"
fuzzers=("$BUILD"/feeds/*_fuzz)
venues=()
for f in "${fuzzers[@]}"; do venues+=("$(basename "$f" _fuzz)"); done
if [[ -d "$FIXTURES" ]]; then
  python3 "$ROOT/tests/fuzz/make_seed_corpus.py" "$FIXTURES" "$CORPUS" "${venues[@]}"
else
  echo "run_fuzzers: ../shared/fixtures is absent: fuzzing from empty corpora"
  for v in "${venues[@]}"; do mkdir -p "$CORPUS/$v"; done
fi
failed=()
for f in "${fuzzers[@]}"; do
  v=$(basename "$f" _fuzz)
  echo "== $v: $RUNS inputs"
  if ! (cd "$OUT" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$f" -runs="$RUNS" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "$CORPUS/$v" 2>"$OUT/$v.log"); then
    echo "run_fuzzers: $v FAILED; see $OUT/$v.log"
    tail -40 "$OUT/$v.log"
    failed+=("$v")
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$OUT/$v.log" | tr '\n' ' '
    echo
  fi
done
# Repeated at the end: a CI log often shows only its tail.
if ((${#failed[@]})); then
  echo "run_fuzzers: FAILED: ${failed[*]} (logs and reproducers in $OUT)"
  for v in "${failed[@]}"; do grep -m3 -E "ERROR|runtime error|SUMMARY" "$OUT/$v.log" || true; done
  exit 1
fi
echo "run_fuzzers: all ${#fuzzers[@]} parsers passed $RUNS inputs each"
