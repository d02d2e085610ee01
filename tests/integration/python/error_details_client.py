#!/usr/bin/python3
"""Independent Python client of oracled's standard error model.

Starts a real oracled on 127.0.0.1 (port 0) replaying a small tick log with ETH ticks only, and
with Debian's python3-grpcio and python3-protobuf (no oracle code) checks that a refused call
carries a google.rpc.Status in the standard `grpc-status-details-bin` trailer, which this script
decodes itself: GetMark of BTC-USD (no BTC ticks, so no price) is UNAVAILABLE with
ErrorInfo{reason MARK_UNAVAILABLE, domain oracle.markoracle.org} and RetryInfo{retry_delay 1 s};
GetMark of an unknown name is NOT_FOUND without RetryInfo; an empty name is INVALID_ARGUMENT with a
BadRequest field violation; a batch entry carries the same google.rpc.Status.

Python stubs: Debian has no grpc_tools, so the messages are generated at test time with
`protoc --python_out` and the calls made with grpc's generic channel.unary_unary.

  error_details_client.py --oracled build/oracled --protoc /usr/bin/protoc \
      --proto-dir proto --googleapis-dir /usr/share/gocode/src/github.com/gogo/googleapis

Exit 0: passed; 1: failed; 77: skipped (grpc or protobuf missing from this interpreter).
"""
import argparse
import datetime
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time

SKIP = 77


def skip(why):
    print(f"SKIPPED: {why}", file=sys.stderr)
    sys.exit(SKIP)


try:
    import grpc  # Debian python3-grpcio
    from google.protobuf import any_pb2  # noqa: F401  Debian python3-protobuf
except ImportError as e:
    skip(f"{sys.executable} cannot import grpc/protobuf ({e}); install the Debian packages "
         "python3-grpcio python3-protobuf and run with /usr/bin/python3")

DETAILS_KEY = "grpc-status-details-bin"
DOMAIN = "oracle.markoracle.org"


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print(f"ok   {what}")


def generate_stubs(protoc, proto_dir, googleapis_dir, out_dir):
    files = [
        os.path.join(googleapis_dir, "google/rpc/status.proto"),
        os.path.join(googleapis_dir, "google/rpc/error_details.proto"),
        os.path.join(proto_dir, "oracle/v1/config.proto"),  # oracle.proto imports its enums
        os.path.join(proto_dir, "oracle/v1/oracle.proto"),
    ]
    os.makedirs(out_dir, exist_ok=True)
    cmd = [protoc, f"-I{proto_dir}", f"-I{googleapis_dir}", f"--python_out={out_dir}"] + files
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"protoc failed: {' '.join(cmd)}\n{r.stderr}")
    sys.path.insert(0, out_dir)
    status_pb2 = importlib.import_module("google.rpc.status_pb2")
    details_pb2 = importlib.import_module("google.rpc.error_details_pb2")
    oracle_pb2 = importlib.import_module("oracle.v1.oracle_pb2")
    return status_pb2, details_pb2, oracle_pb2


def write_tick_log(path):
    """Two minutes of ETH-USD quotes on three venues: enough for an OK ETH mark, no BTC at all."""
    start = datetime.datetime(2025, 10, 10, 21, 36, tzinfo=datetime.timezone.utc)
    with open(path, "w") as f:
        for step in range(120 * 4):
            t = (start + datetime.timedelta(milliseconds=250 * step)).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ")
            for venue, mid in (("coinbase", 3800.0), ("kraken", 3800.3), ("bitstamp", 3799.9)):
                f.write(json.dumps({"time": t, "venue": venue, "pair": "ETH-USD", "type": "quote",
                                    "bid": f"{mid - 0.05:.2f}", "ask": f"{mid + 0.05:.2f}"}) + "\n")


def decode_status(trailers, status_pb2, details_pb2):
    """The google.rpc.Status of a failed call's trailers, with its known details unpacked."""
    values = [v for k, v in trailers if k == DETAILS_KEY]
    check(len(values) == 1, f"one {DETAILS_KEY} trailer")
    st = status_pb2.Status()
    st.ParseFromString(values[0])
    out = {"status": st, "info": None, "retry": None, "bad": None}
    for any_msg in st.details:
        for key, cls in (("info", details_pb2.ErrorInfo), ("retry", details_pb2.RetryInfo),
                         ("bad", details_pb2.BadRequest)):
            if any_msg.Is(cls.DESCRIPTOR):
                msg = cls()
                any_msg.Unpack(msg)
                out[key] = msg
    return out


def call_error(method, request, status_pb2, details_pb2):
    try:
        method(request, timeout=5)
    except grpc.RpcError as e:
        return e, decode_status(e.trailing_metadata(), status_pb2, details_pb2)
    raise Failure("the call succeeded; expected an error")


def run(args):
    with tempfile.TemporaryDirectory(prefix="oracle-py-errors-") as tmp:
        status_pb2, details_pb2, oracle_pb2 = generate_stubs(
            args.protoc, args.proto_dir, args.googleapis_dir, os.path.join(tmp, "stubs"))
        ticks = os.path.join(tmp, "ticks.jsonl")
        write_tick_log(ticks)
        port_file = os.path.join(tmp, "port")
        server = subprocess.Popen(
            [args.oracled, "--listen", "127.0.0.1:0", "--port-file", port_file, "--replay", ticks],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 20
            while not (os.path.exists(port_file) and open(port_file).read().strip()):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise Failure(f"oracled did not start:\n{server.stderr.read()}")
                time.sleep(0.05)
            port = int(open(port_file).read().strip())
            options = [("grpc.enable_http_proxy", 0)]
            with grpc.insecure_channel(f"127.0.0.1:{port}", options=options) as channel:
                check_errors(channel, status_pb2, details_pb2, oracle_pb2)
        finally:
            server.terminate()
            try:
                code = server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                code = server.wait()
            server.stderr.close()
        check(code == 0, f"oracled exits 0 after SIGTERM (got {code})")


def check_errors(channel, status_pb2, details_pb2, oracle_pb2):
    get_mark = channel.unary_unary(
        "/oracle.v1.OracleService/GetMark",
        request_serializer=oracle_pb2.GetMarkRequest.SerializeToString,
        response_deserializer=oracle_pb2.Mark.FromString)
    batch = channel.unary_unary(
        "/oracle.v1.OracleService/BatchGetMarks",
        request_serializer=oracle_pb2.BatchGetMarksRequest.SerializeToString,
        response_deserializer=oracle_pb2.BatchGetMarksResponse.FromString)

    # Wait until the server serves ETH-USD with a price: the replay is running.
    deadline = time.monotonic() + 20
    while True:
        try:
            if get_mark(oracle_pb2.GetMarkRequest(instrument="ETH-USD"), timeout=2).HasField(
                    "price"):
                break
        except grpc.RpcError:
            pass
        if time.monotonic() > deadline:
            raise Failure("GetMark ETH-USD never returned a price")
        time.sleep(0.1)

    # The done-when: reason and retry delay of a refused call, from the standard trailer.
    e, d = call_error(get_mark, oracle_pb2.GetMarkRequest(instrument="BTC-USD"), status_pb2,
                      details_pb2)
    check(e.code() == grpc.StatusCode.UNAVAILABLE, f"GetMark BTC-USD: UNAVAILABLE ({e.code()})")
    check(d["status"].code == grpc.StatusCode.UNAVAILABLE.value[0], "google.rpc.Status.code 14")
    check(d["info"] is not None and d["info"].reason == "MARK_UNAVAILABLE",
          "ErrorInfo.reason MARK_UNAVAILABLE")
    check(d["info"].domain == DOMAIN, f"ErrorInfo.domain {DOMAIN}")
    check(d["info"].metadata["instrument"] == "BTC-USD", "ErrorInfo.metadata instrument BTC-USD")
    check(d["retry"] is not None, "RetryInfo present")
    delay = d["retry"].retry_delay.seconds + d["retry"].retry_delay.nanos / 1e9
    check(delay == 1.0, f"RetryInfo.retry_delay 1 s (got {delay} s)")

    e, d = call_error(get_mark, oracle_pb2.GetMarkRequest(instrument="NOPE-USD"), status_pb2,
                      details_pb2)
    check(e.code() == grpc.StatusCode.NOT_FOUND, "GetMark NOPE-USD: NOT_FOUND")
    check(d["info"].reason == "INSTRUMENT_NOT_FOUND", "ErrorInfo.reason INSTRUMENT_NOT_FOUND")
    check(d["retry"] is None, "no RetryInfo for an unknown name")

    e, d = call_error(get_mark, oracle_pb2.GetMarkRequest(instrument=""), status_pb2, details_pb2)
    check(e.code() == grpc.StatusCode.INVALID_ARGUMENT, "GetMark '': INVALID_ARGUMENT")
    check(d["bad"] is not None and [v.field for v in d["bad"].field_violations] == ["instrument"],
          "BadRequest field violation 'instrument'")

    resp = batch(oracle_pb2.BatchGetMarksRequest(instruments=["ETH-USD", "BTC-USD"]), timeout=5)
    check(resp.results[0].WhichOneof("result") == "mark", "batch entry ETH-USD: a mark")
    entry = resp.results[1]
    check(entry.WhichOneof("result") == "error_status", "batch entry BTC-USD: error_status")
    info = details_pb2.ErrorInfo()
    found = any(a.Unpack(info) for a in entry.error_status.details
                if a.Is(details_pb2.ErrorInfo.DESCRIPTOR))
    check(entry.error_status.code == 14 and found and info.reason == "MARK_UNAVAILABLE",
          "batch entry: UNAVAILABLE with ErrorInfo MARK_UNAVAILABLE")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--oracled", required=True)
    p.add_argument("--protoc", default="protoc")
    p.add_argument("--proto-dir", required=True)
    p.add_argument("--googleapis-dir", required=True)
    args = p.parse_args()
    try:
        run(args)
    except Failure as f:
        print(f"FAIL {f}", file=sys.stderr)
        return 1
    print("PASS: the Python client read ErrorInfo and RetryInfo from grpc-status-details-bin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
