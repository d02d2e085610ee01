#!/usr/bin/python3
"""The compatibility guard (tools/check_api_compat.py) fails on breaking changes, and reports
exactly those: crafted edits of a temporary copy of proto/ against a baseline made from the
unmodified copy. Usage: api_compat_selftest.py PROTOC SOURCE_DIR"""
import os, re, shutil, subprocess, sys, tempfile

try:
    import google.protobuf  # noqa: F401  (the checker needs it)
except ImportError:
    print("SKIPPED: %s has no google.protobuf module; install python3-protobuf and run this "
          "with /usr/bin/python3" % sys.executable)
    sys.exit(77)

PROTOC, SOURCE = sys.argv[1], sys.argv[2]
# Further import roots (the one holding google/rpc/status.proto), passed on to the checker.
IMPORTS = ["--import-path=" + d for d in sys.argv[3:]]
CHECKER = os.path.join(SOURCE, "tools", "check_api_compat.py")
ORACLE, AUDIT = "oracle/v1/oracle.proto", "oracle/v1/audit.proto"


def edit(text, old, new, within=None):
    """`text` with `old` replaced by `new`, once; inside `message <within> {...}` if given."""
    start, end = 0, len(text)
    if within:
        start = text.index("\nmessage %s {\n" % within)
        end = text.index("\n}\n", start)
    part = text[start:end]
    assert part.count(old) == 1, "%r is not once in %s" % (old, within or "the file")
    return text[:start] + part.replace(old, new) + text[end:]


def tree(tmp, name, *edit_sets):
    """A copy of proto/ under tmp/name with edits {path: [(old, new, message or None)]}, each
    set after the one before."""
    root = os.path.join(tmp, name)
    shutil.copytree(os.path.join(SOURCE, "proto"), root)
    for path, changes in [item for edits in edit_sets for item in edits.items()]:
        with open(os.path.join(root, path)) as f:
            text = f.read()
        for old, new, within in changes:
            text = edit(text, old, new, within)
        with open(os.path.join(root, path), "w") as f:
            f.write(text)
    return root


def check(root, baseline, deliberate=None):
    cmd = [sys.executable, CHECKER, "--protoc", PROTOC, "--proto-root", root,
           "--baseline", baseline] + IMPORTS
    if deliberate:
        cmd += ["--deliberate", deliberate]
    run = subprocess.run(cmd, capture_output=True, text=True)
    lines = run.stdout.splitlines()
    found = lambda word: sorted(re.match(r"%s (.*?) \(" % word, l).group(1)
                                for l in lines if l.startswith(word + " "))
    return run.returncode, found("BREAKING"), found("allowed "), run.stdout + run.stderr


RENUMBER_AND_REMOVE = {ORACLE: [("  int64 sequence = 5;", "  int64 sequence = 17;", "Mark"),
                                ("  string status_reason = 10;\n", "", "Mark")]}
RESERVED = {ORACLE: [("  string status_reason = 10;\n", "  reserved 10;\n", "Mark")]}

# (name, baseline edits, current edits (after the baseline's), deliberate keys, expected exit,
#  expected BREAKING keys)
CASES = [
    ("a field renumbered and one removed", {}, RENUMBER_AND_REMOVE, [], 1,
     ["oracle.v1.Mark.sequence: renumbered", "oracle.v1.Mark.status_reason: removed"]),
    ("the same changes listed as deliberate", {}, RENUMBER_AND_REMOVE,
     ["oracle.v1.Mark.sequence: renumbered", "oracle.v1.Mark.status_reason: removed"], 0, []),
    ("a field removed with its number reserved", {}, RESERVED, [], 0, []),
    ("a reserved number reused", RESERVED,
     {ORACLE: [("  reserved 10;\n", "  string note = 10;\n", "Mark")]}, [], 1,
     ["oracle.v1.Mark.note: reuses reserved number"]),
    ("a field renamed, same number", {},
     {ORACLE: [("  string instrument = 1;", "  string instrument_name = 1;", "Mark")]}, [], 1,
     ["oracle.v1.Mark.instrument: renamed"]),
    ("a number of a field still there reused", {},
     {ORACLE: [("  int64 sequence = 5;", "  int64 sequence = 17;\n  int64 seq = 5;", "Mark")]},
     [], 1, ["oracle.v1.Mark.seq: reuses number", "oracle.v1.Mark.sequence: renumbered"]),
    ("a type and a label changed", {},
     {ORACLE: [("  int32 used_venue_count = 8;", "  int64 used_venue_count = 8;", "Mark"),
               ("  repeated MarkFlag flags = 7;", "  MarkFlag flags = 7;", "Mark")]}, [], 1,
     ["oracle.v1.Mark.flags: label changed", "oracle.v1.Mark.used_venue_count: type changed"]),
    ("an enum value removed", {}, {ORACLE: [("  MARK_FLAG_DEPEG = 8;\n", "", None)]}, [], 1,
     ["oracle.v1.MarkFlag.MARK_FLAG_DEPEG: removed"]),
    ("an rpc's response changed and an rpc removed", {},
     {ORACLE: [("rpc GetMark(GetMarkRequest) returns (Mark);",
                "rpc GetMark(GetMarkRequest) returns (BatchGetMarksResponse);", None)],
      AUDIT: [("  rpc GetTwap(GetTwapRequest) returns (GetTwapResponse);\n", "", None)]}, [], 1,
     ["oracle.v1.AuditService.GetTwap: removed",
      "oracle.v1.OracleService.GetMark: response type changed"]),
    ("a packaging option changed", {},
     {ORACLE: [('option java_package = "org.markoracle.oracle.v1";',
                'option java_package = "org.example.v1";', None)]}, [], 1,
     ["oracle/v1/oracle.proto: option java_package changed"]),
    ("a field added", {},
     {ORACLE: [("  string key_id = 14;", "  string key_id = 14;\n  string added = 99;", "Mark")]},
     [], 0, []),
]


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, base_edits, edits, deliberate, want_rc, want) in enumerate(CASES):
            base_root = tree(tmp, "base%d" % i, base_edits)
            baseline = os.path.join(tmp, "baseline%d.txtpb" % i)
            subprocess.run([sys.executable, CHECKER, "--protoc", PROTOC, "--proto-root",
                            base_root, "--baseline", baseline, "--write-baseline"] + IMPORTS,
                           check=True,
                           capture_output=True)
            listed = None
            if deliberate:
                listed = os.path.join(tmp, "deliberate%d.txt" % i)
                with open(listed, "w") as f:
                    f.write("# a comment\n\n" + "\n".join(deliberate) + "\n")
            rc, breaking, allowed, output = check(tree(tmp, "new%d" % i, base_edits, edits), baseline,
                                            listed)
            ok = rc == want_rc and breaking == want and allowed == sorted(deliberate)
            print("%s %s: exit %d, BREAKING %s%s" % ("ok  " if ok else "FAIL", name, rc, breaking,
                                                     ", allowed %s" % allowed if allowed else ""))
            if not ok:
                failures += 1
                print("  wanted exit %d, BREAKING %s, allowed %s; the checker said:\n%s" % (
                    want_rc, want, sorted(deliberate), output))
    print("%d of %d cases as expected" % (len(CASES) - failures, len(CASES)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
