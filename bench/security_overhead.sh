#!/usr/bin/env bash
# The cost of TLS and of the bearer-token check on GetMark and BatchGetMarks: read_load against an
# in-process oracle in four set-ups (plaintext, token, TLS, TLS + token), alternating, ROUNDS
# times each, in one run. Prints read_load's JSON lines (one per scenario and set-up) with a
# "setup" label.
#
#   bench/security_overhead.sh [BUILD_DIR] [ROUNDS]      (default build, 2)
#
# Certificates: scripts/make-dev-certs.sh in a temporary directory. Environment: DURATION_S (10),
# CONCURRENCY (64), SCENARIOS (get_full,batch_full), SYNTHETIC_EPS (100000).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-$here/../build}"
rounds="${2:-2}"
certs="$(mktemp -d /tmp/security_bench_XXXXXX)"
trap 'rm -rf "$certs"' EXIT
"$here/../scripts/make-dev-certs.sh" "$certs" >/dev/null
tls=(--tls-cert "$certs/server.pem" --tls-key "$certs/server-key.pem" --tls-ca "$certs/ca.pem")
token=(--auth-token "bench-$(openssl rand -hex 16)")
common=(--scenarios "${SCENARIOS:-get_full,batch_full}" --duration-s "${DURATION_S:-10}"
        --warmup-s 2 --concurrency "${CONCURRENCY:-64}" --synthetic-eps "${SYNTHETIC_EPS:-100000}")
for ((r = 1; r <= rounds; ++r)); do
  "$build/bench/read_load" "${common[@]}" --label "plaintext/$r"
  "$build/bench/read_load" "${common[@]}" "${token[@]}" --label "token/$r"
  "$build/bench/read_load" "${common[@]}" "${tls[@]}" --label "tls/$r"
  "$build/bench/read_load" "${common[@]}" "${tls[@]}" "${token[@]}" --label "tls+token/$r"
done
