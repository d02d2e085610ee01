#!/usr/bin/env bash
# Runs the Node.js gRPC client test against an oracled binary:
#
#   tests/integration/node/run.sh [path/to/oracled]     (default: <repo>/build/oracled)
#
# Installs the pinned npm packages (package-lock.json) with `npm ci` when node_modules is missing
# or older than the lock file; that needs the npm registry. Works from any directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

oracled="${1:-${ORACLED:-$repo/build/oracled}}"
if [[ "$oracled" != /* ]]; then oracled="$PWD/$oracled"; fi
if [[ ! -x "$oracled" ]]; then
  echo "run.sh: oracled not found or not executable: $oracled" >&2
  echo "run.sh: build it first (cmake -S . -B build -G Ninja && ninja -C build oracled)" >&2
  exit 2
fi

# A missing runtime is a skip (exit 77, ctest SKIP_RETURN_CODE), never a pass.
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run.sh: SKIPPED: '$tool' is not installed (Debian: apt-get install nodejs npm)" >&2
    exit 77
  fi
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 18 )); then
  echo "run.sh: SKIPPED: Node.js >= 18 is needed for 'node --test' (found $(node --version))" >&2
  exit 77
fi

cd "$here"
# npm ci writes node_modules/.package-lock.json last; its time says when the install finished.
stamp="node_modules/.package-lock.json"
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || package.json -nt "$stamp" ]]; then
  echo "run.sh: installing the pinned npm packages (npm ci) in $here"
  if ! npm ci --no-audit --no-fund --ignore-scripts; then
    echo "run.sh: 'npm ci' failed: cannot install @grpc/grpc-js and @grpc/proto-loader." >&2
    echo "run.sh: the npm registry must be reachable (or node_modules installed beforehand)." >&2
    exit 3
  fi
fi

export ORACLED="$oracled"
exec node --test oracle_client.test.js auth_client.test.js
