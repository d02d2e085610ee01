#!/usr/bin/env python3
"""Values a synthetic margin book minute by minute under two collateral marking methods (stdlib only).

Usage:
  margin_sim.py --book book.json --marks marks.jsonl --ticks ticks.jsonl \\
                --reference reference.jsonl [--venue binance] [--venue-price last|trade|mid]
                [--json] [--json-out FILE]

Methods (each collateral asset: USDe, wBETH, BNSOL):
  venue      (a) the venue's own spot price, from the tick log: for pair USDE-USDT / WBETH-USDT /
                 BNSOL-USDT of --venue, the latest trade price or quote mid ((bid+ask)/2), whichever
                 came last (--venue-price trade / mid: only trades / only quote mids).
  oracle     (b) the oracle's marks (oraclectl replay output), instruments USDE-USD / WBETH-USD /
                 BNSOL-USD; only marks with a price are used; a STALE or DEGRADED mark still has a
                 price and is used. The status of the latest mark at each minute is counted.
  reference  (c) the reference ("true") price path, reference.jsonl, same instrument names; used
                 to size the book, to value what is liquidated, and to classify liquidations.
USDT-quoted venue prices and USD marks are both treated as USDT (USDT ~ USD).

Minute valuation: on every whole minute from the first to the last whole minute covered by the
tick log (by the reference file if the tick log is empty), each method takes, per asset, the latest price with a time at or
before that minute (no price yet: that asset's accounts are not evaluated that minute under that
method). Each account's quantity is collateral_value_usdt / (reference price at the first minute,
or the first reference price). An account is liquidated when V - debt < m * V with
V = quantity * price * (1 - haircut), m the asset's maintenance ratio (book.json); once
liquidated, it is removed (never re-evaluated under that method).

Classification: a liquidation under a method is FALSE when the reference path does not liquidate
the same account at that minute or later (since a reference liquidation is permanent, this means:
the reference never liquidates it during the run). A liquidation under the reference is never
false. "missed" counts accounts the reference liquidates and the method never does; the timing of
the genuine ones (earlier / same minute / later than the reference) is reported too.
Collateral value liquidated = quantity * reference price at the minute of the liquidation (USDT).

Assets whose reference price is absent from the scenario are not simulated: their accounts are
skipped and listed. A scenario with none of the three assets prints that and exits 0 (with
"skipped": true in --json).

Exit codes: 0 success (also when skipped), 2 usage or unreadable / malformed input.
"""

import argparse
import datetime as dt
import json
import re
import sys
from fractions import Fraction

ASSETS = {  # book asset: (venue pair, oracle / reference instrument)
    "USDe": ("USDE-USDT", "USDE-USD"),
    "wBETH": ("WBETH-USDT", "WBETH-USD"),
    "BNSOL": ("BNSOL-USDT", "BNSOL-USD"),
}
METHODS = ("venue", "oracle", "reference")
NS = 1_000_000_000
MINUTE_NS = 60 * NS

_TIME_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d):(\d\d)(?:\.(\d{1,9}))?Z$")
_TIME_FIELD_RE = re.compile(r'"time"\s*:\s*"([^"]+)"')
_minute_cache = {}


class InputError(Exception):
    pass


def parse_time_ns(s):
    """RFC 3339 UTC time ('...Z', up to 9 fraction digits) -> integer nanoseconds since epoch."""
    m = _TIME_RE.match(s)
    if not m:
        raise ValueError("bad time %r (want RFC 3339, UTC, Z)" % (s,))
    prefix, sec, frac = m.groups()
    base = _minute_cache.get(prefix)
    if base is None:
        d = dt.datetime.strptime(prefix, "%Y-%m-%dT%H:%M").replace(tzinfo=dt.timezone.utc)
        base = int(d.timestamp()) * NS
        _minute_cache[prefix] = base
    ns = base + int(sec) * NS
    if frac:
        ns += int(frac.ljust(9, "0"))
    return ns


def format_time(ns):
    d = dt.datetime.fromtimestamp(ns // NS, tz=dt.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def _open(path, what):
    try:
        return open(path, encoding="utf-8")
    except OSError as e:
        raise InputError("cannot read %s %s: %s" % (what, path, e.strerror or e))


def _loads(line, path, lineno):
    try:
        obj = json.loads(line)
    except ValueError as e:
        raise InputError("%s:%d: not JSON: %s" % (path, lineno, e))
    if not isinstance(obj, dict):
        raise InputError("%s:%d: not a JSON object" % (path, lineno))
    return obj


def _positive(value, path, lineno, field):
    """A decimal string/number -> Fraction > 0, or None when absent/null/non-positive."""
    if value is None:
        return None
    try:
        f = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise InputError("%s:%d: bad %s %r" % (path, lineno, field, value))
    return f if f > 0 else None


def read_book(path):
    with _open(path, "book") as f:
        try:
            book = json.load(f)
        except ValueError as e:
            raise InputError("book %s: not JSON: %s" % (path, e))
    try:
        assets = {}
        for name, spec in book["assets"].items():
            m = Fraction(str(spec["maintenance_ratio"]))
            h = Fraction(str(spec.get("haircut", "0")))
            if not (0 <= m < 1 and 0 <= h < 1):
                raise InputError("book %s: asset %s: maintenance_ratio and haircut must be in "
                                 "[0, 1)" % (path, name))
            assets[name] = (m, h)
        accounts = []
        for a in book["accounts"]:
            asset = a["asset"]
            if asset not in assets:
                raise InputError("book %s: account %s: asset %r has no entry in \"assets\""
                                 % (path, a.get("id"), asset))
            v0 = Fraction(str(a["collateral_value_usdt"]))
            debt = Fraction(str(a["debt_usdt"]))
            if v0 <= 0 or debt < 0:
                raise InputError("book %s: account %s: collateral_value_usdt must be > 0 and "
                                 "debt_usdt >= 0" % (path, a.get("id")))
            accounts.append((str(a["id"]), asset, v0, debt))
    except (KeyError, TypeError, AttributeError, ValueError, ZeroDivisionError) as e:
        raise InputError("book %s: does not follow the schema (see make_book.py): %r" % (path, e))
    return assets, accounts


def read_ticks(path, venue, mode):
    """-> ({asset: [(t_ns, seq, price_str)]}, first_ns, last_ns, counts)."""
    pairs = {pair: asset for asset, (pair, _) in ASSETS.items()}
    series = {a: [] for a in ASSETS}
    counts = {a: {"trade": 0, "quote": 0} for a in ASSETS}
    first = last = None
    vq = '"%s"' % venue
    with _open(path, "tick log") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            m = _TIME_FIELD_RE.search(line)
            if not m:
                raise InputError("%s:%d: no \"time\"" % (path, lineno))
            try:
                t = parse_time_ns(m.group(1))
            except ValueError as e:
                raise InputError("%s:%d: %s" % (path, lineno, e))
            first = t if first is None or t < first else first
            last = t if last is None or t > last else last
            if vq not in line or "USDT" not in line:
                continue
            obj = _loads(line, path, lineno)
            if obj.get("venue") != venue:
                continue
            asset = pairs.get(obj.get("pair"))
            if asset is None:
                continue
            kind = obj.get("type")
            if kind == "trade" and mode in ("last", "trade"):
                p = _positive(obj.get("price"), path, lineno, "price")
            elif kind == "quote" and mode in ("last", "mid"):
                bid = _positive(obj.get("bid"), path, lineno, "bid")
                ask = _positive(obj.get("ask"), path, lineno, "ask")
                p = (bid + ask) / 2 if bid is not None and ask is not None else None
            else:
                continue
            if p is None:
                continue
            counts[asset][kind] += 1
            series[asset].append((t, lineno, p))
    return series, first, last, counts


def read_instrument_file(path, what, want_status):
    """marks.jsonl or reference.jsonl -> ({asset: [(t_ns, seq, price|None, status)]}, first, last)."""
    by_instrument = {inst: asset for asset, (_, inst) in ASSETS.items()}
    series = {a: [] for a in ASSETS}
    first = last = None
    needles = tuple('%s"' % inst for inst in by_instrument)
    with _open(path, what) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or not any(n in line for n in needles):
                continue
            obj = _loads(line, path, lineno)
            asset = by_instrument.get(obj.get("instrument"))
            if asset is None:
                continue
            try:
                t = parse_time_ns(str(obj.get("time")))
            except ValueError as e:
                raise InputError("%s:%d: %s" % (path, lineno, e))
            first = t if first is None or t < first else first
            last = t if last is None or t > last else last
            p = _positive(obj.get("price"), path, lineno, "price")
            status = str(obj.get("status", "?")) if want_status else None
            series[asset].append((t, lineno, p, status))
    return series, first, last


def sample(series, grid, value_of):
    """Latest entry at or before each grid minute -> list aligned with grid (None before the first)."""
    entries = sorted(series, key=lambda e: (e[0], e[1]))
    out = []
    i, cur = 0, None
    for t in grid:
        while i < len(entries) and entries[i][0] <= t:
            v = value_of(entries[i], cur)
            cur = v
            i += 1
        out.append(cur)
    return out


def simulate(book_assets, accounts, prices, grid):
    """prices: {method: {asset: [price|None per minute]}} (reference present for every asset).

    Returns {method: {asset: [(minute_index, account_index)]}} of liquidations in time order, and
    the per-account quantity.
    """
    ref = prices["reference"]
    qty = {}
    by_asset = {}
    for idx, (_, asset, v0, debt) in enumerate(accounts):
        if asset not in ref:
            continue
        p0 = next((p for p in ref[asset] if p is not None), None)
        m, h = book_assets[asset]
        q = v0 / p0
        qty[idx] = q
        # V - debt < m V  <=>  q p (1-h)(1-m) < debt  <=>  p < debt / (q (1-h)(1-m))
        p_liq = debt / (q * (1 - h) * (1 - m))
        by_asset.setdefault(asset, []).append((p_liq, idx))
    for lst in by_asset.values():
        lst.sort(key=lambda e: (-e[0], e[1]))
    result = {}
    for method, per_asset in prices.items():
        result[method] = {}
        for asset, lst in by_asset.items():
            path = per_asset.get(asset) or [None] * len(grid)
            events = []
            k = 0
            for mi, p in enumerate(path):
                if p is None:
                    continue
                while k < len(lst) and p < lst[k][0]:
                    events.append((mi, lst[k][1]))
                    k += 1
            result[method][asset] = events
    return result, qty


def run(book_path, marks_path, ticks_path, ref_path, venue, venue_price="last"):
    book_assets, accounts = read_book(book_path)
    tick_series, t_first, t_last, tick_counts = read_ticks(ticks_path, venue, venue_price)
    mark_series, _, _ = read_instrument_file(marks_path, "marks", True)
    ref_series, r_first, r_last = read_instrument_file(ref_path, "reference", False)

    notes = []
    present = [a for a in ASSETS if any(e[2] is not None for e in ref_series[a])]
    skipped_assets = {}
    for a in ASSETS:
        if a in present:
            continue
        if tick_series[a] or any(e[2] is not None for e in mark_series[a]):
            skipped_assets[a] = "prices in ticks/marks but none in the reference file"
        else:
            skipped_assets[a] = "not in this scenario"
    book_counts = {}
    for _, asset, _, _ in accounts:
        book_counts[asset] = book_counts.get(asset, 0) + 1
    for a in list(book_counts):
        if a not in ASSETS:
            skipped_assets[a] = "asset unknown to the simulation"

    # The run covers the tick log (the market data); the reference file only if there are no ticks.
    firsts = [t for t in (t_first,) if t is not None] or [t for t in (r_first,) if t is not None]
    lasts = [t for t in (t_last,) if t is not None] or [t for t in (r_last,) if t is not None]
    if not present or not firsts:
        return {
            "skipped": True,
            "reason": "no USDe/wBETH/BNSOL reference prices in this scenario",
            "venue": venue,
            "skipped_assets": skipped_assets,
            "book": {"accounts": len(accounts), "by_asset": book_counts},
        }
    start = -(-min(firsts) // MINUTE_NS) * MINUTE_NS
    end = max(lasts) // MINUTE_NS * MINUTE_NS
    if end < start:
        raise InputError("the inputs cover no whole minute (%s .. %s)"
                         % (format_time(min(firsts)), format_time(max(lasts))))
    grid = list(range(start, end + 1, MINUTE_NS))

    prices = {m: {} for m in METHODS}
    status_minutes = {}
    minutes_without_price = {m: {} for m in METHODS}
    for a in present:
        prices["reference"][a] = sample(ref_series[a], grid,
                                        lambda e, cur: e[2] if e[2] is not None else cur)
        prices["venue"][a] = sample(tick_series[a], grid, lambda e, cur: e[2])
        prices["oracle"][a] = sample(mark_series[a], grid,
                                     lambda e, cur: e[2] if e[2] is not None else cur)
        statuses = sample(mark_series[a], grid, lambda e, cur: e[3])
        counts = {}
        for s in statuses:
            key = s if s is not None else "NO_MARK_YET"
            counts[key] = counts.get(key, 0) + 1
        status_minutes[a] = counts
        for m in METHODS:
            minutes_without_price[m][a] = sum(1 for p in prices[m][a] if p is None)
        if not tick_series[a]:
            notes.append("%s has no %s prices in the tick log: method 'venue' cannot liquidate "
                         "%s accounts" % (venue, ASSETS[a][0], a))
        if not any(e[2] is not None for e in mark_series[a]):
            notes.append("no priced %s mark: method 'oracle' cannot liquidate %s accounts"
                         % (ASSETS[a][1], a))

    skipped_accounts = {a: n for a, n in book_counts.items() if a not in present}
    for a, n in sorted(skipped_accounts.items()):
        notes.append("skipped %d %s accounts (%s)" % (n, a, skipped_assets.get(a, "?")))

    events, qty = simulate(book_assets, accounts, prices, grid)
    ref_liq = {}
    for a, evs in events["reference"].items():
        for mi, idx in evs:
            ref_liq[idx] = mi
    ref_first = {a: next(p for p in prices["reference"][a] if p is not None) for a in present}

    def ref_price(a, mi):
        p = prices["reference"][a][mi]
        return p if p is not None else ref_first[a]

    methods_out = {}
    for m in METHODS:
        per_asset = {}
        tot = {"accounts": 0, "liquidations": 0, "false_liquidations": 0, "missed": 0,
               "usdt_liquidated": Fraction(0), "false_usdt_liquidated": Fraction(0)}
        for a in present:
            evs = events[m].get(a, [])
            liq_ids = set()
            n = nf = 0
            val = fval = Fraction(0)
            by_minute = {}
            for mi, idx in evs:
                v = qty[idx] * ref_price(a, mi)
                is_false = idx not in ref_liq
                n += 1
                val += v
                liq_ids.add(idx)
                if is_false:
                    nf += 1
                    fval += v
                bm = by_minute.setdefault(mi, [0, 0, Fraction(0), Fraction(0)])
                bm[0] += 1
                bm[2] += v
                if is_false:
                    bm[1] += 1
                    bm[3] += v
            timing = {"early": 0, "same_minute": 0, "late": 0, "late_minutes": 0}
            for mi, idx in evs:
                if idx in ref_liq:
                    d = mi - ref_liq[idx]
                    key = "early" if d < 0 else "late" if d > 0 else "same_minute"
                    timing[key] += 1
                    timing["late_minutes"] += max(d, 0)
            missed = sum(1 for idx, _ in ref_liq.items()
                         if accounts[idx][1] == a and idx not in liq_ids)
            entry = {
                "accounts": book_counts.get(a, 0),
                "liquidations": n,
                "false_liquidations": nf,
                "missed": missed,
                "usdt_liquidated": val,
                "false_usdt_liquidated": fval,
                "first_liquidation": format_time(grid[evs[0][0]]) if evs else None,
                "genuine_timing": timing,
                "minutes_without_price": minutes_without_price[m][a],
                "by_minute": [
                    {"time": format_time(grid[mi]), "liquidations": c[0],
                     "false_liquidations": c[1], "usdt_liquidated": c[2],
                     "false_usdt_liquidated": c[3]}
                    for mi, c in sorted(by_minute.items())
                ],
            }
            per_asset[a] = entry
            for k in ("accounts", "liquidations", "false_liquidations", "missed",
                      "usdt_liquidated", "false_usdt_liquidated"):
                tot[k] += entry[k]
        methods_out[m] = {"per_asset": per_asset, "total": tot}
    methods_out["venue"]["source"] = "%s spot (%s)" % (
        venue, {"last": "latest trade or quote mid", "trade": "latest trade",
                "mid": "latest quote mid"}[venue_price])
    methods_out["venue"]["ticks_used"] = {a: tick_counts[a] for a in present}
    methods_out["oracle"]["source"] = "oracle marks (latest mark with a price)"
    methods_out["oracle"]["status_minutes"] = status_minutes
    methods_out["reference"]["source"] = "reference price path"

    return {
        "skipped": False,
        "venue": venue,
        "venue_price": venue_price,
        "grid": {"start": format_time(grid[0]), "end": format_time(grid[-1]),
                 "minutes": len(grid)},
        "assets": present,
        "skipped_assets": skipped_assets,
        "book": {"accounts": len(accounts), "by_asset": book_counts,
                 "simulated": sum(book_counts.get(a, 0) for a in present)},
        "opening_reference_price": {a: format(float(ref_first[a]), ".10g") for a in present},
        "methods": methods_out,
        "notes": notes,
    }


def to_jsonable(obj):
    if isinstance(obj, Fraction):
        return round(float(obj), 2) if obj.denominator != 1 else int(obj)
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    return obj


def usdt(x):
    return format(float(x), ",.2f")


def render_table(res):
    out = []
    if res["skipped"]:
        out.append("skipped: %s (venue %s)" % (res["reason"], res["venue"]))
        for a, why in res["skipped_assets"].items():
            out.append("  %s: %s" % (a, why))
        return "\n".join(out) + "\n"
    g = res["grid"]
    out.append("margin-book simulation: %d accounts (%d simulated), %d minutes %s .. %s, venue %s"
               % (res["book"]["accounts"], res["book"]["simulated"], g["minutes"], g["start"],
                  g["end"], res["venue"]))
    out.append("opening reference prices: " + ", ".join(
        "%s %s" % (a, format(float(p), ".6g")) for a, p in res["opening_reference_price"].items()))
    hdr = ("method", "asset", "accounts", "liquidations", "false", "missed", "USDT liquidated",
           "false USDT liquidated", "first liquidation")
    rows = []
    for m in METHODS:
        md = res["methods"][m]
        for a in res["assets"]:
            e = md["per_asset"][a]
            rows.append((m, a, str(e["accounts"]), str(e["liquidations"]),
                         str(e["false_liquidations"]), str(e["missed"]),
                         usdt(e["usdt_liquidated"]), usdt(e["false_usdt_liquidated"]),
                         e["first_liquidation"] or "-"))
        t = md["total"]
        rows.append((m, "ALL", str(t["accounts"]), str(t["liquidations"]),
                     str(t["false_liquidations"]), str(t["missed"]), usdt(t["usdt_liquidated"]),
                     usdt(t["false_usdt_liquidated"]), ""))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(hdr)]
    left = {0, 1, 8}

    def fmt(r):
        return "  ".join(c.ljust(widths[i]) if i in left else c.rjust(widths[i])
                         for i, c in enumerate(r)).rstrip()

    out.append("")
    out.append(fmt(hdr))
    out.append("  ".join("-" * w for w in widths))
    prev = None
    for r in rows:
        if prev is not None and r[0] != prev:
            out.append("")
        out.append(fmt(r))
        prev = r[0]
    out.append("")
    out.append("venue   = %s" % res["methods"]["venue"]["source"])
    out.append("oracle  = %s" % res["methods"]["oracle"]["source"])
    out.append("false   = liquidated under the method, never liquidated under the reference path")
    out.append("missed  = liquidated under the reference path, never under the method")
    out.append("USDT liquidated = quantity x reference price at the minute of liquidation")
    for m in ("venue", "oracle"):
        for a in res["assets"]:
            gt = res["methods"][m]["per_asset"][a]["genuine_timing"]
            if gt["early"] or gt["same_minute"] or gt["late"]:
                out.append("%s %s genuine liquidations vs the reference minute: %d earlier, %d same "
                           "minute, %d later (%d account-minutes late)"
                           % (m, a, gt["early"], gt["same_minute"], gt["late"],
                              gt["late_minutes"]))
    for a in res["assets"]:
        sm = res["methods"]["oracle"]["status_minutes"][a]
        out.append("oracle %s mark status, minutes: %s" % (
            ASSETS[a][1], ", ".join("%s %d" % kv for kv in sorted(sm.items()))))
        for m in ("venue", "oracle"):
            k = res["methods"][m]["per_asset"][a]["minutes_without_price"]
            if k:
                out.append("%s: %d minutes without a %s price yet" % (m, k, a))
    for n in res["notes"]:
        out.append("note: " + n)
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Margin-book simulation: venue spot vs oracle marks vs reference.",
        epilog="See the module docstring (head of this file) for the model.")
    ap.add_argument("--book", required=True)
    ap.add_argument("--marks", required=True, help="oraclectl replay output (JSON lines)")
    ap.add_argument("--ticks", required=True, help="tick log (JSON lines)")
    ap.add_argument("--reference", required=True, help="reference price path (JSON lines)")
    ap.add_argument("--venue", default="binance")
    ap.add_argument("--venue-price", choices=("last", "trade", "mid"), default="last",
                    help="venue price: latest trade or quote mid (default), trades only, mids only")
    ap.add_argument("--json", action="store_true", help="print one machine-readable JSON object")
    ap.add_argument("--json-out", metavar="FILE",
                    help="also write the --json object to FILE (the table still goes to stdout)")
    args = ap.parse_args(argv)
    try:
        res = run(args.book, args.marks, args.ticks, args.reference, args.venue, args.venue_price)
    except InputError as e:
        print("margin_sim: %s" % e, file=sys.stderr)
        return 2
    if args.json_out:
        try:
            with open(args.json_out, "w", encoding="utf-8") as f:
                f.write(json.dumps(to_jsonable(res), indent=1) + "\n")
        except OSError as e:
            print("margin_sim: cannot write %s: %s" % (args.json_out, e), file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(to_jsonable(res), indent=1))
    else:
        sys.stdout.write(render_table(to_jsonable(res)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
