#!/usr/bin/python3
"""Plots every venue's price for a pair against the oracle's mark (PNG, matplotlib Agg backend).

Usage (Debian's python3, which has python3-matplotlib; not the pyenv python3 on PATH):
  /usr/bin/python3 plot_scenario.py --ticks ticks.jsonl --marks marks.jsonl \\
      --instrument USDE-USD --pairs USDE-USDT[,USDE-USD] --out usde.png [--title TEXT]
      [--reference reference.jsonl]

One thin line per (venue, pair) from its trades and quote mids ((bid+ask)/2) in the tick log, in
time order; the oracle's mark for --instrument as a thick line (marks with a price; marks whose
status is not OK are marked with dots of their status' colour); if the marks carry
"redemption": {"redemption_price": .., "market_price": ..}, those two as dashed lines; with
--reference, the reference price path as a dotted black step line. USDT- and USD-quoted prices
share the axis (USDT ~ USD).
"""

import argparse
import datetime as dt
import json
import sys

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
except ImportError:
    sys.stderr.write(
        "plot_scenario.py: matplotlib is missing for %s.\n"
        "  Run it with Debian's /usr/bin/python3 after: apt-get install python3-matplotlib\n"
        % sys.executable)
    sys.exit(3)


def parse_time(s):
    # RFC 3339, Z, up to 9 fraction digits: datetime keeps microseconds.
    if not s.endswith("Z"):
        raise ValueError("time not in UTC (Z): %r" % s)
    body = s[:-1]
    if "." in body:
        head, frac = body.split(".", 1)
        body = head + "." + (frac + "000000")[:6]
        fmt = "%Y-%m-%dT%H:%M:%S.%f"
    else:
        fmt = "%Y-%m-%dT%H:%M:%S"
    return dt.datetime.strptime(body, fmt).replace(tzinfo=dt.timezone.utc)


def num(v):
    if v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if x > 0 else None


def read_ticks(path, pairs):
    series = {}  # (venue, pair) -> [(time, price)]
    needles = tuple('"%s"' % p for p in pairs)
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not any(n in line for n in needles):
                continue
            o = json.loads(line)
            pair = o.get("pair")
            if pair not in pairs or "venue" not in o:
                continue
            if o.get("type") == "trade":
                p = num(o.get("price"))
            elif o.get("type") == "quote":
                b, a = num(o.get("bid")), num(o.get("ask"))
                p = (b + a) / 2 if b is not None and a is not None else None
            else:
                continue
            if p is not None:
                series.setdefault((o["venue"], pair), []).append((parse_time(o["time"]), p))
    for v in series.values():
        v.sort(key=lambda e: e[0])
    return series


def read_marks(path, instrument):
    mark, red, mkt, nonok = [], [], [], {}
    needle = '"%s"' % instrument
    with open(path, encoding="utf-8") as f:
        for line in f:
            if needle not in line:
                continue
            o = json.loads(line)
            if o.get("instrument") != instrument:
                continue
            t = parse_time(o["time"])
            p = num(o.get("price"))
            if p is not None:
                mark.append((t, p))
                st = o.get("status", "OK")
                if st != "OK":
                    nonok.setdefault(st, []).append((t, p))
            r = o.get("redemption")
            if isinstance(r, dict):
                rp, mp = num(r.get("redemption_price")), num(r.get("market_price"))
                if rp is not None:
                    red.append((t, rp))
                if mp is not None:
                    mkt.append((t, mp))
    return mark, red, mkt, nonok


def read_reference(path, instrument):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if '"%s"' % instrument not in line:
                continue
            o = json.loads(line)
            if o.get("instrument") == instrument and num(o.get("price")) is not None:
                out.append((parse_time(o["time"]), num(o["price"])))
    out.sort(key=lambda e: e[0])
    return out


def xy(points):
    return [p[0] for p in points], [p[1] for p in points]


def main(argv=None):
    ap = argparse.ArgumentParser(description="Venue prices vs the oracle's mark, as a PNG.")
    ap.add_argument("--ticks", required=True)
    ap.add_argument("--marks", required=True)
    ap.add_argument("--instrument", required=True, help="oracle instrument, e.g. USDE-USD")
    ap.add_argument("--pairs", required=True, action="append",
                    help="venue pair(s), comma-separated or repeated, e.g. USDE-USDT,USDE-USD")
    ap.add_argument("--reference", help="optional reference.jsonl: the true price path")
    ap.add_argument("--out", required=True, help="PNG path")
    ap.add_argument("--title")
    args = ap.parse_args(argv)
    pairs = {p.strip() for item in args.pairs for p in item.split(",") if p.strip()}

    try:
        ticks = read_ticks(args.ticks, pairs)
        mark, red, mkt, nonok = read_marks(args.marks, args.instrument)
        ref = read_reference(args.reference, args.instrument) if args.reference else []
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write("plot_scenario.py: %s\n" % e)
        return 2
    if not ticks and not mark:
        sys.stderr.write("plot_scenario.py: no ticks for %s and no priced %s mark\n"
                         % (",".join(sorted(pairs)), args.instrument))
        return 2

    fig, ax = plt.subplots(figsize=(12, 6.5), dpi=110)
    cmap = plt.get_cmap("tab10")
    for i, ((venue, pair), pts) in enumerate(sorted(ticks.items())):
        x, y = xy(pts)
        label = venue if len(pairs) == 1 else "%s %s" % (venue, pair)
        ax.plot(x, y, lw=0.8, alpha=0.85, color=cmap(i % 10), label=label, drawstyle="steps-post")
    if mark:
        x, y = xy(mark)
        ax.plot(x, y, lw=3.2, color="black", alpha=0.6, label="oracle mark %s" % args.instrument,
                drawstyle="steps-post")
    if red:
        x, y = xy(red)
        ax.plot(x, y, lw=1.4, ls="--", color="tab:green", label="redemption value (mark)")
    if mkt:
        x, y = xy(mkt)
        ax.plot(x, y, lw=1.4, ls="--", color="tab:purple", label="market value (mark)")
    if ref:
        x, y = xy(ref)
        ax.plot(x, y, lw=1.2, ls=":", color="black", label="reference", drawstyle="steps-post")
    colours = {"DEGRADED": "orange", "STALE": "red", "UNAVAILABLE": "grey"}
    for st, pts in sorted(nonok.items()):
        x, y = xy(pts)
        ax.scatter(x, y, s=6, color=colours.get(st, "magenta"), zorder=5,
                   label="mark status %s (%d marks)" % (st, len(pts)))
    ax.set_title(args.title or "%s: venue prices vs oracle mark" % args.instrument)
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel("price (USD; USDT-quoted pairs as USDT)")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=dt.timezone.utc))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8, ncol=2)
    fig.autofmt_xdate()
    fig.tight_layout()
    try:
        fig.savefig(args.out, format="png")
    except OSError as e:
        sys.stderr.write("plot_scenario.py: cannot write %s: %s\n" % (args.out, e))
        return 2
    print("wrote %s (%d venue series, %d marks)" % (args.out, len(ticks), len(mark)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
