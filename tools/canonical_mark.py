#!/usr/bin/env python3
"""The signed text of a mark, from its protobuf JSON (`oraclectl --json get ...`), to verify its
signature with openssl. Python standard library only.

Usage: canonical_mark.py [--v1] [--enum NAME=NUMBER]... MARK.json CANONICAL.txt SIG.bin

Writes the canonical text (include/oracle/signing/mark_signer.h, README "Signed marks") to
CANONICAL.txt and the signature to SIG.bin. Encoding v2 by default: the mark must carry a
publisher_id (every mark signed since v2 does). --v1: the encoding of marks signed before v2
(stored history; they have no publisher_id).

v2 writes enum values as numbers, so a value newer than this tool is fine when the JSON gives its
number (protobuf JSON does for a value the printer does not know). A NAME this tool does not know
is an error (exit 2) unless given with --enum NAME=NUMBER (its number in oracle.proto).
"""
import base64, calendar, json, re, sys

ENUMS = {  # name -> number, from proto/oracle/v1/oracle.proto
    "MARK_STATUS_UNSPECIFIED": 0, "MARK_STATUS_OK": 1, "MARK_STATUS_DEGRADED": 2,
    "MARK_STATUS_STALE": 3, "MARK_STATUS_UNAVAILABLE": 4,
    "MARK_FLAG_UNSPECIFIED": 0, "MARK_FLAG_OUTLIERS_PRESENT": 1, "MARK_FLAG_JUMP_UNCONFIRMED": 2,
    "MARK_FLAG_QUOTE_CONVERTED": 3, "MARK_FLAG_CONVERSION_DEGRADED": 4,
    "MARK_FLAG_EARLY_PUBLISH": 5, "MARK_FLAG_RATIO_CAPPED": 6, "MARK_FLAG_RATIO_DECREASED": 7,
    "MARK_FLAG_DEPEG": 8,
    "MARK_FLAG_CLOCK_STEP": 9,
    "MARK_FLAG_SIGNING_FAILED": 10,
    "REDEMPTION_CHOICE_UNSPECIFIED": 0, "REDEMPTION_CHOICE_NONE": 1,
    "REDEMPTION_CHOICE_REDEMPTION": 2, "REDEMPTION_CHOICE_MARKET": 3,
}
NAMES = {}  # (prefix, number) -> name, for v1


def fail(why):
    sys.stderr.write("canonical_mark.py: %s\n" % why)
    sys.exit(2)


def get(m, name, default=None):
    # Protobuf JSON omits default values; keys are snake_case or lowerCamelCase.
    camel = re.sub(r"_([a-z])", lambda x: x.group(1).upper(), name)
    return m.get(name, m.get(camel, default))


def number(v):  # an enum value from JSON (its name or its number) -> its number
    if isinstance(v, int):
        return v
    if v not in ENUMS:
        fail("the mark's JSON has the enum value %s, which this tool does not know; give its "
             "number in oracle.proto with --enum %s=NUMBER" % (v, v))
    return ENUMS[v]


def name(prefix, v):  # v1 spells a value by its name, or its number if it has none
    return NAMES.get((prefix, number(v)), str(number(v)))


def decimal(d):  # "" when absent, else "<mantissa>e<exponent>"
    return "" if d is None else "%de%d" % (int(d.get("mantissa", 0)), int(d.get("exponent", 0)))


def time_ns(t):  # RFC 3339 -> nanoseconds since the epoch; "0" when absent
    if t is None:
        return "0"
    y, mo, d, h, mi, s, frac, tz = re.fullmatch(
        r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)", t).groups()
    secs = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
    if tz != "Z":
        secs -= (1 if tz[0] == "+" else -1) * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    return str(secs * 10**9 + int((frac or "").ljust(9, "0")))


def canonical(m, version):
    flags = sorted(number(f) for f in get(m, "flags", []))
    redemption = get(m, "redemption")
    choice = None if redemption is None else redemption.get("choice", 0)
    status = get(m, "status", 0)
    common = [
        "key_id=" + get(m, "key_id", ""),
        "instrument=" + get(m, "instrument", ""),
        "price=" + decimal(get(m, "price")),
        "confidence=" + decimal(get(m, "confidence")),
        "publish_time_ns=" + time_ns(get(m, "publish_time")),
        "last_good_time_ns=" + time_ns(get(m, "last_good_time")),
        "sequence=%d" % int(get(m, "sequence", 0)),
    ]
    if version == 1:
        return ["oracle-mark-v1"] + common + [
            "status=" + name("MARK_STATUS_", status),
            "status_reason=" + get(m, "status_reason", ""),
            "flags=" + ",".join(name("MARK_FLAG_", f) for f in flags),
            "venues_used=%d" % int(get(m, "used_venue_count", get(m, "venues_used", 0))),
            "venues_required=%d" % int(get(m, "required_venue_count", get(m, "venues_required", 0))),
            "redemption_choice=" + ("" if choice is None else name("REDEMPTION_CHOICE_", choice)),
        ]
    publisher_id = get(m, "publisher_id", "")
    if not publisher_id:
        fail("the mark has no publisher_id: it was signed with encoding v1 (before v2); "
             "rebuild its text with --v1")
    return ["oracle-mark-v2", "publisher_id=" + publisher_id] + common + [
        "status=%d" % number(status),
        "status_reason=" + get(m, "status_reason", ""),
        "flags=" + ",".join(str(f) for f in flags),
        "venues_used=%d" % int(get(m, "used_venue_count", get(m, "venues_used", 0))),
        "venues_required=%d" % int(get(m, "required_venue_count", get(m, "venues_required", 0))),
        "redemption_choice=" + ("" if choice is None else str(number(choice))),
    ]


def main(argv):
    version, files, args = 2, [], iter(argv)
    for a in args:
        if a == "--v1":
            version = 1
        elif a == "--enum" or a.startswith("--enum="):
            spec = a[len("--enum="):] if a.startswith("--enum=") else next(args, "")
            match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(-?\d+)", spec)
            if not match:
                fail("--enum wants NAME=NUMBER, got %r" % spec)
            ENUMS[match.group(1)] = int(match.group(2))
        elif a.startswith("--"):
            fail("unknown option %s\n%s" % (a, __doc__))
        else:
            files.append(a)
    if len(files) != 3:
        fail("wants MARK.json CANONICAL.txt SIG.bin\n" + __doc__)
    for n, v in ENUMS.items():
        prefix = next((p for p in ("MARK_STATUS_", "MARK_FLAG_", "REDEMPTION_CHOICE_")
                       if n.startswith(p)), None)
        if prefix:
            NAMES.setdefault((prefix, v), n)
    with open(files[0]) as f:
        m = json.load(f)
    lines = canonical(m, version)
    with open(files[1], "wb") as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    with open(files[2], "wb") as f:
        f.write(base64.b64decode(get(m, "signature", "")))


if __name__ == "__main__":
    main(sys.argv[1:])
