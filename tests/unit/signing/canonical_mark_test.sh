#!/bin/sh
# tools/canonical_mark.py (what the README gives keepers) and the server's C++ encoding
# (oraclectl verify-signature --print-canonical) must produce the same signed bytes.
set -eu
oraclectl="$1"; tools="$2"; mark="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 "$tools/canonical_mark.py" "$mark" "$tmp/py.txt" "$tmp/sig.bin"
"$oraclectl" verify-signature --print-canonical --mark-json "$mark" > "$tmp/cc.txt"
if ! cmp -s "$tmp/py.txt" "$tmp/cc.txt"; then
  echo "canonical encodings differ:"; diff "$tmp/py.txt" "$tmp/cc.txt" || true; exit 1
fi
grep -q '^flags=MARK_FLAG_OUTLIERS_PRESENT,MARK_FLAG_QUOTE_CONVERTED$' "$tmp/py.txt"
echo "same canonical bytes ($(wc -c < "$tmp/py.txt") bytes)"
