#!/usr/bin/env bash
# Runs the eth_call rate provider against a real EVM node (ganache) on loopback:
#
#   tests/integration/evm/run.sh path/to/evm_rate_probe
#
# Installs the pinned npm packages (ganache, solc; package-lock.json) with `npm ci` when
# node_modules is missing or older than the lock file; that needs the npm registry. Exits 77
# (ctest: skipped) only when node or npm is not installed. Contacts nothing but 127.0.0.1 (and the
# npm registry for `npm ci`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

probe="${1:-}"
if [[ -z "$probe" ]]; then
  echo "usage: $0 path/to/evm_rate_probe" >&2
  exit 2
fi
if [[ "$probe" != /* ]]; then probe="$PWD/$probe"; fi
if [[ ! -x "$probe" ]]; then
  echo "run.sh: evm_rate_probe not found or not executable: $probe" >&2
  exit 2
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run.sh: SKIP: '$tool' is not installed (Debian: apt-get install nodejs npm)" >&2
    exit 77
  fi
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 18 )); then
  echo "run.sh: Node.js >= 18 is needed (global fetch); found $(node --version)" >&2
  exit 2
fi

cd "$here"
# npm ci writes node_modules/.package-lock.json last; its time says when the install finished.
stamp="node_modules/.package-lock.json"
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || package.json -nt "$stamp" ]]; then
  echo "run.sh: installing the pinned npm packages (npm ci) in $here"
  if ! npm ci --no-audit --no-fund --ignore-scripts; then
    echo "run.sh: 'npm ci' failed: cannot install ganache and solc (package-lock.json)." >&2
    echo "run.sh: the npm registry must be reachable (or node_modules installed beforehand)." >&2
    exit 3
  fi
fi

exec node evm_rate_test.js "$probe"
