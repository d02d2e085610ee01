#!/bin/sh
# tools/canonical_mark.py (what the README gives keepers) and the server's C++ encoding
# (oraclectl verify-signature --print-canonical) produce the same signed bytes, for both
# encodings, on real marks: signed_marks_for_test replays a generated tick log through the real
# core and signs a varied sample of its marks with v2 and with v1, plus a mark carrying enum values
# neither side has a name for. Each Python text must also verify with openssl against the key.
# Usage: canonical_mark_test.sh ORACLECTL TOOLS_DIR MARK_JSON SIGNED_MARKS_FOR_TEST SOURCE_DIR
set -eu
oraclectl="$1"; tools="$2"; mark="$3"; make_marks="$4"; src="$5"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The script is standard library only: any Python 3. /usr/bin/python3 when there is one, since a
# pyenv shim first on PATH takes about a second per start and this runs it ~80 times.
if [ -x /usr/bin/python3 ]; then python3() { /usr/bin/python3 "$@"; }; fi

same() {  # same MARK.json [--v1]: Python's text = C++'s text; prints the text's path
  python3 "$tools/canonical_mark.py" ${2:-} "$1" "$tmp/py.txt" "$tmp/sig.bin"
  "$oraclectl" verify-signature --print-canonical --mark-json "$1" > "$tmp/cc.txt"
  if ! cmp -s "$tmp/py.txt" "$tmp/cc.txt"; then
    echo "canonical encodings of $1 differ:"; diff "$tmp/py.txt" "$tmp/cc.txt" || true; exit 1
  fi
}

# The hand-written mark (no publisher_id: a v1 mark).
same "$mark" --v1
grep -q '^flags=MARK_FLAG_OUTLIERS_PRESENT,MARK_FLAG_QUOTE_CONVERTED$' "$tmp/py.txt"
if python3 "$tools/canonical_mark.py" "$mark" "$tmp/x.txt" "$tmp/x.bin" 2> "$tmp/err"; then
  echo "canonical_mark.py encoded a mark without publisher_id as v2"; exit 1
fi
grep -q 'rebuild its text with --v1' "$tmp/err"

# Real marks, signed v1 and v2.
python3 "$src/scripts/gen_demo_ticks.py" --config "$src/feeds/default.textproto" \
  --output "$tmp/ticks.jsonl" --minutes 10 2> /dev/null
mkdir "$tmp/marks"
"$make_marks" "$tmp/ticks.jsonl" "$tmp/marks"
count=0
for f in "$tmp"/marks/*.json; do
  case "$f" in *.v1.json) v=--v1; first=oracle-mark-v1 ;; *) v=; first=oracle-mark-v2 ;; esac
  same "$f" $v
  [ "$(head -n 1 "$tmp/py.txt")" = "$first" ] || { echo "$f: not $first"; exit 1; }
  openssl pkeyutl -verify -pubin -inkey "$tmp/marks/pub.pem" -rawin -in "$tmp/py.txt" \
    -sigfile "$tmp/sig.bin" > "$tmp/openssl.out" 2>&1 || {
    echo "$f: openssl does not verify the signature over canonical_mark.py's text:"
    cat "$tmp/openssl.out"; cat "$tmp/py.txt"; exit 1; }
  "$oraclectl" verify-signature --public-key "$tmp/marks/pub.pem" --mark-json "$f" > /dev/null
  count=$((count + 1))
done
grep -q '"publisher_id": *"test-publisher.eu-1"' "$tmp/marks/000.v2.json"
if grep -q 'publisher_id' "$tmp/marks/000.v1.json"; then echo "a v1 mark has a publisher_id"; exit 1; fi

# Enum values the tool (and this build's oracle.proto) does not know: numbers in v2.
same "$tmp/marks/unknown-enums.v2.json"
grep -q '^status=9$' "$tmp/py.txt"
grep -q '^flags=1,42$' "$tmp/py.txt"
grep -q '^redemption_choice=7$' "$tmp/py.txt"
same "$tmp/marks/unknown-enums.v1.json" --v1
grep -q '^flags=MARK_FLAG_OUTLIERS_PRESENT,42$' "$tmp/py.txt"
# A name the tool does not know is refused with the way out, and --enum gives its number.
sed 's/"MARK_FLAG_OUTLIERS_PRESENT"/"MARK_FLAG_FROM_THE_FUTURE"/' \
  "$tmp/marks/unknown-enums.v2.json" > "$tmp/future.json"
if python3 "$tools/canonical_mark.py" "$tmp/future.json" "$tmp/x.txt" "$tmp/x.bin" 2> "$tmp/err"; then
  echo "canonical_mark.py accepted an enum name it does not know"; exit 1
fi
grep -q -- '--enum MARK_FLAG_FROM_THE_FUTURE=NUMBER' "$tmp/err"
python3 "$tools/canonical_mark.py" --enum MARK_FLAG_FROM_THE_FUTURE=1 "$tmp/future.json" \
  "$tmp/x.txt" "$tmp/x.bin"
python3 "$tools/canonical_mark.py" "$tmp/marks/unknown-enums.v2.json" "$tmp/y.txt" "$tmp/y.bin"
cmp -s "$tmp/x.txt" "$tmp/y.txt"
echo "same canonical bytes from Python and C++ for $count real marks (v1 and v2) and the unknown enums"
