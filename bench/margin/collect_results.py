#!/usr/bin/env python3
"""Collects the per-scenario margin_sim.py --json outputs into a Markdown report (stdlib only).

Usage: collect_results.py --results OUT_DIR [--book OUT_DIR/book.json] [--header TEXT] > report.md

Reads OUT_DIR/<scenario>.margin.json (written by run_all.sh) and prints:
  * one table, scenario x method: liquidations, false liquidations, USDT liquidated, false USDT
    liquidated, missed (liquidated under the reference path, never under the method);
  * a per-asset breakdown of the scenarios with any liquidation;
  * the oracle mark statuses seen at the simulated minutes, and the skipped scenarios.
Every number comes from those files.
"""

import argparse
import glob
import json
import os
import sys

METHOD_LABEL = {"venue": "venue spot ({venue})", "oracle": "oracle marks", "reference": "reference"}


def usdt(x):
    return format(float(x), ",.0f")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--book")
    ap.add_argument("--header", action="append", default=[], help="a line to print first")
    args = ap.parse_args(argv)

    files = sorted(glob.glob(os.path.join(args.results, "*.margin.json")))
    if not files:
        print("collect_results.py: no *.margin.json in %s" % args.results, file=sys.stderr)
        return 2
    runs = []
    for f in files:
        name = os.path.basename(f)[: -len(".margin.json")]
        with open(f, encoding="utf-8") as fh:
            runs.append((name, json.load(fh)))

    out = []
    out.extend(args.header)
    if args.book:
        with open(args.book, encoding="utf-8") as fh:
            book = json.load(fh)
        by = {}
        total = 0.0
        for a in book["accounts"]:
            by.setdefault(a["asset"], [0, 0.0])
            by[a["asset"]][0] += 1
            by[a["asset"]][1] += float(a["collateral_value_usdt"])
            total += float(a["collateral_value_usdt"])
        out.append("")
        out.append("Book: `make_book.py --seed %s --accounts %d`: %s USDT of collateral at opening "
                   "prices (%s); maintenance ratios %s."
                   % (book.get("seed"), len(book["accounts"]), usdt(total),
                      ", ".join("%s %d accounts / %s USDT" % (k, v[0], usdt(v[1]))
                                for k, v in by.items()),
                      ", ".join("%s %s" % (k, v["maintenance_ratio"])
                                for k, v in book["assets"].items())))
    out.append("")
    out.append("| scenario | method | liquidations | false liquidations | USDT liquidated | "
               "false USDT liquidated | missed |")
    out.append("|---|---|---:|---:|---:|---:|---:|")
    skipped = []
    for name, r in runs:
        if r.get("skipped"):
            skipped.append((name, r.get("reason", "")))
            continue
        assets = "+".join(r["assets"])
        for m in ("venue", "oracle", "reference"):
            t = r["methods"][m]["total"]
            label = METHOD_LABEL[m].format(venue=r["venue"])
            out.append("| %s | %s | %d | %d | %s | %s | %d |" % (
                "%s (%s)" % (name, assets) if m == "venue" else "", label, t["liquidations"],
                t["false_liquidations"], usdt(t["usdt_liquidated"]),
                usdt(t["false_usdt_liquidated"]), t["missed"]))
    for name, why in skipped:
        out.append("| %s | (not simulated: %s) | | | | | |" % (name, why))

    detail = [(n, r) for n, r in runs if not r.get("skipped") and any(
        r["methods"][m]["total"]["liquidations"] for m in ("venue", "oracle", "reference"))]
    if detail:
        out.append("")
        out.append("Per asset (scenarios with any liquidation; liquidations / false, USDT "
                   "liquidated / false):")
        out.append("")
        out.append("| scenario | asset | accounts | venue spot | oracle marks | reference |")
        out.append("|---|---|---:|---|---|---|")
        for name, r in detail:
            for a in r["assets"]:
                cells = []
                for m in ("venue", "oracle", "reference"):
                    e = r["methods"][m]["per_asset"][a]
                    cells.append("%d / %d, %s / %s" % (
                        e["liquidations"], e["false_liquidations"], usdt(e["usdt_liquidated"]),
                        usdt(e["false_usdt_liquidated"])))
                out.append("| %s | %s | %d | %s |" % (
                    name, a, r["methods"]["venue"]["per_asset"][a]["accounts"], " | ".join(cells)))

    out.append("")
    out.append("Oracle mark status at the simulated minutes (latest mark at or before each minute):")
    out.append("")
    for name, r in runs:
        if r.get("skipped"):
            continue
        sm = r["methods"]["oracle"]["status_minutes"]
        out.append("- %s (%s .. %s, %d minutes): %s" % (
            name, r["grid"]["start"][11:16], r["grid"]["end"][11:16], r["grid"]["minutes"],
            "; ".join("%s %s" % (a, ", ".join("%s %d" % kv for kv in sorted(c.items())))
                      for a, c in sm.items())))
    notes = [(n, x) for n, r in runs if not r.get("skipped") for x in r.get("notes", [])
             if not x.startswith("skipped ")]
    if notes:
        out.append("")
        for n, x in notes:
            out.append("- note (%s): %s" % (n, x))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
