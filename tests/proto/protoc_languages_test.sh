#!/bin/sh
# Debian's protoc generates Java, Python and C# from the public protos without a warning, with
# the packages the files' options ask for (AIP-191). Usage: protoc_languages_test.sh PROTOC ROOT
set -eu
protoc="$1"; root="$2"; googleapis="$3"  # the import root of google/rpc/status.proto
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/java" "$tmp/python" "$tmp/csharp"
if ! "$protoc" -I"$root" -I"$googleapis" --java_out="$tmp/java" --python_out="$tmp/python" \
    --csharp_out="$tmp/csharp" oracle/v1/oracle.proto oracle/v1/audit.proto \
    oracle/v1/config.proto 2> "$tmp/stderr"; then
  echo "protoc failed:"; cat "$tmp/stderr"; exit 1
fi
if [ -s "$tmp/stderr" ]; then
  echo "protoc warned (any output on stderr fails this test):"; cat "$tmp/stderr"; exit 1
fi
for f in java/org/markoracle/oracle/v1/OracleProto.java java/org/markoracle/oracle/v1/AuditProto.java \
    java/org/markoracle/oracle/v1/ConfigProto.java java/org/markoracle/oracle/v1/Mark.java \
    python/oracle/v1/oracle_pb2.py csharp/Oracle.cs; do
  [ -f "$tmp/$f" ] || { echo "missing $f; generated:"; (cd "$tmp" && find . -type f | sort); exit 1; }
done
grep -q '^package org.markoracle.oracle.v1;' "$tmp/java/org/markoracle/oracle/v1/Mark.java"
grep -q 'namespace Oracle.V1 {' "$tmp/csharp/Oracle.cs"
echo "java, python and csharp generated without warnings ($(cd "$tmp" && find . -type f | wc -l) files)"
