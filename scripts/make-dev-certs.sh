#!/usr/bin/env bash
# Makes development TLS certificates for oracled and its clients, with openssl only:
#
#   scripts/make-dev-certs.sh [--force] DIR [CLIENT_NAME...]
#
# In DIR (created if missing):
#   ca.pem, ca-key.pem              a development CA (kept once made: delete both for a new one)
#   server.pem, server-key.pem      the server, for DNS:localhost, IP:127.0.0.1 and IP:::1
#                                   (extended key usage serverAuth)
#   NAME.pem, NAME-key.pem          one client per NAME: CN=NAME, SAN URI:oracle://client/NAME
#                                   (extended key usage clientAuth)
# Keys are EC P-256, written mode 0600. Safe to run again: what exists is kept and a run that
# finds everything made changes nothing. --force reissues the server and the named clients (new
# keys, same CA). A certificate that exists but was not issued by DIR/ca.pem is an error (rerun
# with --force to reissue it). For development and tests only: the CA key sits unencrypted beside
# the certificates.
#
# Exit: 0 done, 2 usage error, 3 openssl missing or failed, 4 an existing file is inconsistent.
set -euo pipefail

readonly CA_DAYS=3650
readonly LEAF_DAYS=825

usage() {
  echo "usage: $(basename "$0") [--force] DIR [CLIENT_NAME...]" >&2
  echo "  client names: letters, digits, '.', '_' and '-', not 'ca' or 'server'" >&2
  exit 2
}

die() {
  local code="$1"
  shift
  echo "make-dev-certs: $*" >&2
  exit "$code"
}

force=0
args=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    -h | --help) usage ;;
    -*) echo "make-dev-certs: unknown flag $a" >&2; usage ;;
    *) args+=("$a") ;;
  esac
done
[[ ${#args[@]} -ge 1 ]] || usage
dir="${args[0]}"
clients=("${args[@]:1}")
for name in "${clients[@]}"; do
  if [[ ! "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ || "$name" == "ca" || "$name" == "server" ]]; then
    echo "make-dev-certs: client name \"$name\": expected 1 to 64 letters, digits, '.', '_' or '-'" \
      "(starting with a letter or digit), not 'ca' or 'server'" >&2
    usage
  fi
done
command -v openssl >/dev/null 2>&1 || die 3 "openssl not found (Debian: apt-get install openssl)"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
umask 077  # keys (and the temporary files they start as) are never readable by others
# Files are made in a scratch folder inside DIR and moved into place whole, so an interrupted run
# leaves no half-written pair; it is only created when something is made (a run that finds
# everything changes nothing, not even DIR's time).
work=""
trap '[[ -z "$work" ]] || rm -rf "$work"' EXIT
scratch() { [[ -n "$work" ]] || work="$(mktemp -d "$dir/.make-dev-certs.XXXXXX")"; }

made=()
kept=()

# Runs openssl; on failure prints what it said and exits 3.
ossl() {
  local out
  if ! out="$(openssl "$@" 2>&1)"; then
    die 3 "openssl $1 failed: $out"
  fi
}

new_key() {  # new_key NAME: $work/NAME-key.pem
  scratch
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1-key.pem"
  chmod 0600 "$work/$1-key.pem"
}

random_serial() { echo "0x$(openssl rand -hex 16 | sed 's/^./7/')"; }

# True when both files of a pair exist; an error when only one does (unless --force).
pair_exists() {  # pair_exists CERT KEY
  if [[ -e "$1" && -e "$2" ]]; then return 0; fi
  if [[ ! -e "$1" && ! -e "$2" ]]; then return 1; fi
  [[ $force -eq 1 ]] && return 1
  die 4 "only one of $1 and $2 exists; remove it or rerun with --force"
}

make_ca() {
  if pair_exists "$dir/ca.pem" "$dir/ca-key.pem"; then
    kept+=("$dir/ca.pem")
    return
  fi
  new_key ca
  ossl req -x509 -new -key "$work/ca-key.pem" -sha256 -days "$CA_DAYS" -set_serial "$(random_serial)" \
    -subj "/O=oracle development/CN=oracle development CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out "$work/ca.pem"
  chmod 0644 "$work/ca.pem"
  mv "$work/ca-key.pem" "$dir/ca-key.pem"
  mv "$work/ca.pem" "$dir/ca.pem"
  made+=("$dir/ca.pem" "$dir/ca-key.pem")
}

# issue NAME SUBJECT EXTENSIONS: NAME.pem and NAME-key.pem signed by the CA, unless they exist.
issue() {
  local name="$1" subject="$2" extensions="$3"
  local cert="$dir/$name.pem" key="$dir/$name-key.pem"
  if [[ $force -eq 0 ]] && pair_exists "$cert" "$key"; then
    if ! openssl verify -CAfile "$dir/ca.pem" "$cert" >/dev/null 2>&1; then
      die 4 "$cert exists but was not issued by $dir/ca.pem; rerun with --force to reissue it"
    fi
    kept+=("$cert")
    return
  fi
  new_key "$name"
  ossl req -new -key "$work/$name-key.pem" -subj "$subject" -out "$work/$name.csr"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" \
    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" \
    "$extensions" >"$work/$name.ext"
  ossl x509 -req -in "$work/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -sha256 \
    -days "$LEAF_DAYS" -set_serial "$(random_serial)" -extfile "$work/$name.ext" \
    -out "$work/$name.pem"
  chmod 0644 "$work/$name.pem"
  mv "$work/$name-key.pem" "$key"
  mv "$work/$name.pem" "$cert"
  made+=("$cert" "$key")
}

make_ca
issue server "/O=oracle development/CN=localhost" \
  "$(printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" "extendedKeyUsage=serverAuth")"
for name in "${clients[@]}"; do
  issue "$name" "/O=oracle development/CN=$name" \
    "$(printf '%s\n' "subjectAltName=URI:oracle://client/$name" "extendedKeyUsage=clientAuth")"
done

for f in "${made[@]}"; do echo "made  $f"; done
for f in "${kept[@]}"; do echo "kept  $f"; done
first_client="${clients[0]:-NAME}"
cat <<EOF

oracled --tls-cert $dir/server.pem --tls-key $dir/server-key.pem --tls-client-ca $dir/ca.pem
oraclectl --tls --ca $dir/ca.pem --cert $dir/$first_client.pem --key $dir/$first_client-key.pem status
EOF
