#!/usr/bin/env bash
# ctest scripts.make_dev_certs: runs scripts/make-dev-certs.sh twice into a temporary folder and
# checks what it made with openssl itself: the chain, the server's names and the clients' URIs,
# the key usages, the key modes, that the second run changed nothing, that --force reissues the
# leaves with the same CA, and that bad input is refused. Exit 77 (skipped) without openssl.
#
#   tests/unit/scripts/make_dev_certs_test.sh path/to/scripts/make-dev-certs.sh
set -euo pipefail

script="${1:?usage: make_dev_certs_test.sh path/to/make-dev-certs.sh}"
if ! command -v openssl >/dev/null 2>&1; then
  echo "SKIPPED: openssl is not installed (Debian: apt-get install openssl)" >&2
  exit 77
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dir="$tmp/certs"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
check() {  # check DESCRIPTION COMMAND...: COMMAND must succeed
  local what="$1"
  shift
  if ! "$@" >"$tmp/out" 2>&1; then fail "$what: $(cat "$tmp/out")"; fi
}
refuse() {  # refuse DESCRIPTION COMMAND...: COMMAND must fail
  local what="$1"
  shift
  if "$@" >"$tmp/out" 2>&1; then fail "$what: succeeded: $(cat "$tmp/out")"; fi
}
ext() { openssl x509 -in "$1" -noout -ext "$2" | tail -n +2 | sed 's/^ *//'; }
# Every file's content, mode and modification time, one line each.
snapshot() {
  (
    cd "$dir"
    shopt -s dotglob
    for f in *; do echo "$f $(stat -c '%a %.9Y' "$f") $(sha256sum <"$f")"; done
    stat -c 'dir %.9Y' .
  )
}

"$script" "$dir" alice bob >"$tmp/first" 2>&1 || { cat "$tmp/first" >&2; fail "first run failed"; exit 1; }
for f in ca.pem ca-key.pem server.pem server-key.pem alice.pem alice-key.pem bob.pem bob-key.pem; do
  [[ -f "$dir/$f" ]] || fail "$f was not made"
  grep -q "made  $dir/$f" "$tmp/first" || fail "the first run does not say it made $f"
done
grep -qF "oracled --tls-cert $dir/server.pem --tls-key $dir/server-key.pem --tls-client-ca $dir/ca.pem" \
  "$tmp/first" || fail "no oracled flags printed"
grep -qF "oraclectl --tls --ca $dir/ca.pem --cert $dir/alice.pem --key $dir/alice-key.pem" \
  "$tmp/first" || fail "no oraclectl flags printed"

check "chain" openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" "$dir/alice.pem" "$dir/bob.pem"
for name in 127.0.0.1 ::1; do
  check "server for IP $name" openssl verify -CAfile "$dir/ca.pem" -purpose sslserver -verify_ip "$name" "$dir/server.pem"
done
check "server for localhost" openssl verify -CAfile "$dir/ca.pem" -purpose sslserver -verify_hostname localhost "$dir/server.pem"
refuse "server for another host" openssl verify -CAfile "$dir/ca.pem" -verify_hostname example.com "$dir/server.pem"
refuse "server as a client" openssl verify -CAfile "$dir/ca.pem" -purpose sslclient "$dir/server.pem"
check "alice as a client" openssl verify -CAfile "$dir/ca.pem" -purpose sslclient "$dir/alice.pem"
refuse "alice as a server" openssl verify -CAfile "$dir/ca.pem" -purpose sslserver "$dir/alice.pem"

[[ "$(ext "$dir/server.pem" subjectAltName)" == "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1" ]] ||
  fail "server SANs: $(ext "$dir/server.pem" subjectAltName)"
[[ "$(ext "$dir/server.pem" extendedKeyUsage)" == "TLS Web Server Authentication" ]] ||
  fail "server EKU: $(ext "$dir/server.pem" extendedKeyUsage)"
for name in alice bob; do
  [[ "$(ext "$dir/$name.pem" subjectAltName)" == "URI:oracle://client/$name" ]] ||
    fail "$name SAN: $(ext "$dir/$name.pem" subjectAltName)"
  [[ "$(ext "$dir/$name.pem" extendedKeyUsage)" == "TLS Web Client Authentication" ]] ||
    fail "$name EKU: $(ext "$dir/$name.pem" extendedKeyUsage)"
  openssl x509 -in "$dir/$name.pem" -noout -subject | grep -q "CN *= *$name\$" ||
    fail "$name subject: $(openssl x509 -in "$dir/$name.pem" -noout -subject)"
done
for f in ca server alice bob; do
  [[ "$(stat -c %a "$dir/$f-key.pem")" == 600 ]] || fail "$f-key.pem mode $(stat -c %a "$dir/$f-key.pem")"
  openssl pkey -in "$dir/$f-key.pem" -noout -text 2>/dev/null | grep -q "NIST CURVE: P-256" ||
    fail "$f-key.pem is not an EC P-256 key"
done

# The second run changes nothing, not even a modification time.
before="$(snapshot)"
"$script" "$dir" alice bob >"$tmp/second" 2>&1 || fail "second run failed: $(cat "$tmp/second")"
[[ "$(snapshot)" == "$before" ]] || fail "the second run changed files: $(diff <(echo "$before") <(snapshot))"
grep -q "^made" "$tmp/second" && fail "the second run says it made something: $(cat "$tmp/second")"
grep -q "kept  $dir/ca.pem" "$tmp/second" || fail "the second run does not say it kept the CA"

# A new client later: made with the existing CA, nothing else touched.
"$script" "$dir" carol >"$tmp/third" 2>&1 || fail "third run failed: $(cat "$tmp/third")"
[[ "$(grep -c '^made' "$tmp/third")" == 2 ]] || fail "adding carol made more than her pair: $(cat "$tmp/third")"
check "carol's chain" openssl verify -CAfile "$dir/ca.pem" -purpose sslclient "$dir/carol.pem"

# --force reissues the server and the named clients with the same CA.
ca_before="$(sha256sum <"$dir/ca.pem")"
server_before="$(sha256sum <"$dir/server.pem")"
"$script" --force "$dir" alice >"$tmp/forced" 2>&1 || fail "--force run failed: $(cat "$tmp/forced")"
[[ "$(sha256sum <"$dir/ca.pem")" == "$ca_before" ]] || fail "--force replaced the CA"
[[ "$(sha256sum <"$dir/server.pem")" != "$server_before" ]] || fail "--force did not reissue server.pem"
check "chain after --force" openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" "$dir/alice.pem" "$dir/bob.pem"

# A certificate from another CA is refused, not silently kept.
"$script" "$tmp/other" >/dev/null 2>&1 || fail "making a second CA failed"
cp "$tmp/other/server.pem" "$dir/server.pem"
refuse "a server certificate from another CA" "$script" "$dir"
grep -q "not issued by" "$tmp/out" || fail "no clear message for a foreign certificate: $(cat "$tmp/out")"

# Bad input: a clear error and exit 2.
for bad in "../evil" "ca" "server" "-x" "a b"; do
  set +e
  "$script" "$tmp/bad" "$bad" >"$tmp/out" 2>&1
  rc=$?
  set -e
  [[ $rc == 2 ]] || fail "client name \"$bad\": exit $rc, want 2: $(cat "$tmp/out")"
done
[[ ! -e "$tmp/bad" ]] || fail "a refused run still made $tmp/bad"

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "make-dev-certs: all checks passed"
