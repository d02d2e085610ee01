#!/usr/bin/env python3
"""Usage: canonical_mark.py MARK.json CANONICAL.txt SIG.bin"""
import base64, calendar, json, re, sys

MARK_FLAGS = {"MARK_FLAG_OUTLIERS_PRESENT": 1, "MARK_FLAG_JUMP_UNCONFIRMED": 2,
              "MARK_FLAG_QUOTE_CONVERTED": 3, "MARK_FLAG_CONVERSION_DEGRADED": 4,
              "MARK_FLAG_EARLY_PUBLISH": 5, "MARK_FLAG_RATIO_CAPPED": 6,
              "MARK_FLAG_RATIO_DECREASED": 7, "MARK_FLAG_DEPEG": 8}

def get(m, name, default=None):
    # Protobuf JSON omits default values; keys are snake_case or lowerCamelCase.
    camel = re.sub(r"_([a-z])", lambda x: x.group(1).upper(), name)
    return m.get(name, m.get(camel, default))

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

m = json.load(open(sys.argv[1]))
flags = sorted(get(m, "flags", []), key=lambda f: MARK_FLAGS[f] if isinstance(f, str) else f)
redemption = get(m, "redemption")
lines = [
    "oracle-mark-v1",
    "key_id=" + get(m, "key_id", ""),
    "instrument=" + get(m, "instrument", ""),
    "price=" + decimal(get(m, "price")),
    "confidence=" + decimal(get(m, "confidence")),
    "publish_time_ns=" + time_ns(get(m, "publish_time")),
    "last_good_time_ns=" + time_ns(get(m, "last_good_time")),
    "sequence=%d" % int(get(m, "sequence", 0)),
    "status=%s" % get(m, "status", "MARK_STATUS_UNSPECIFIED"),
    "status_reason=" + get(m, "status_reason", ""),
    "flags=" + ",".join(str(f) for f in flags),
    "venues_used=%d" % int(get(m, "venues_used", 0)),
    "venues_required=%d" % int(get(m, "venues_required", 0)),
    "redemption_choice=%s" % ("" if redemption is None
                              else redemption.get("choice", "REDEMPTION_CHOICE_UNSPECIFIED")),
]
open(sys.argv[2], "wb").write(("\n".join(lines) + "\n").encode("utf-8"))
open(sys.argv[3], "wb").write(base64.b64decode(get(m, "signature", "")))
