#!/usr/bin/env python3
"""Runs the scenario suite: generates the tick logs, replays each through the real core
(`oraclectl replay`), checks the marks against the scenario's expectations, prints a summary.

    tests/scenarios/run_scenarios.py --oraclectl build/oraclectl --work DIR [--shared PATH]

Exit 0 when every check of every scenario holds, 1 otherwise (the summary says which failed).

Check kinds (expect.json):
  near_reference    every priced mark of `instrument` from..to is within max_dev_bps of the honest
                    value in reference.jsonl (the latest reference at or before the mark)
  status_not        no mark of `instrument` from..to has one of `statuses`
  flag_never        no mark from..to carries `flag`;   flag_seen: at least one mark carries it
  max_price_at      the mark in force at `at` is at most `max`
  min_price         every priced mark is at least `min`
  max_of_min_price  the lowest priced mark is at most `max` (the mark followed a genuine fall)
  report            no condition: the summary shows the mark's range, its lowest point and when
                    DEPEG was first declared
"""
import argparse
import bisect
import json
import os
import subprocess
import sys
import time


def load_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def run_check(c, marks, ref):
    ins = c["instrument"]
    ms = [m for m in marks if m["instrument"] == ins]
    frm, to = c.get("from", ""), c.get("to", "~")
    win = [m for m in ms if frm <= m["time"] <= to]
    priced = [m for m in win if m["price"] is not None]
    kind = c["kind"]
    if kind == "near_reference":
        times = [r["time"] for r in ref[ins]]
        worst, at = 0.0, None
        for m in priced:
            i = bisect.bisect_right(times, m["time"]) - 1
            if i < 0:
                continue
            honest = float(ref[ins][i]["price"])
            dev = abs(float(m["price"]) / honest - 1) * 10000
            if dev > worst:
                worst, at = dev, m["time"]
        ok = bool(priced) and worst <= c["max_dev_bps"]
        return ok, f"worst {worst:.1f} bp (limit {c['max_dev_bps']}) at {at}, {len(priced)} marks"
    if kind == "status_not":
        bad = [m for m in win if m["status"] in c["statuses"]]
        return (not bad and bool(win)), (f"{len(bad)} of {len(win)} marks "
                                         f"{'/'.join(c['statuses'])}" +
                                         (f", first at {bad[0]['time']}" if bad else ""))
    if kind in ("flag_never", "flag_seen"):
        hit = [m for m in win if c["flag"] in m["flags"]]
        ok = (not hit) if kind == "flag_never" else bool(hit)
        return ok and bool(win), (f"{len(hit)} marks with {c['flag']}" +
                                  (f", first at {hit[0]['time']}" if hit else ""))
    if kind == "max_price_at":
        before = [m for m in priced if m["time"] <= c["at"]] or [None]
        m = before[-1]
        ok = m is not None and float(m["price"]) <= c["max"]
        return ok, f"mark {m and m['price']} at {c['at']} (limit {c['max']})"
    if kind == "min_price":
        low = min((float(m["price"]) for m in priced), default=None)
        return low is not None and low >= c["min"], f"lowest {low} (limit {c['min']})"
    if kind == "max_of_min_price":
        low = min(priced, key=lambda m: float(m["price"]), default=None)
        ok = low is not None and float(low["price"]) <= c["max"]
        return ok, f"lowest {low and low['price']} at {low and low['time']} (must be <= {c['max']})"
    if kind == "report":
        low = min(priced, key=lambda m: float(m["price"]), default=None)
        depeg = [m for m in ms if "DEPEG" in m["flags"]]
        return True, (f"lowest {low and low['price']} at {low and low['time']}; "
                      f"DEPEG first {depeg[0]['time'] if depeg else 'never'}; "
                      f"{sum(1 for m in depeg)} of {len(ms)} marks under DEPEG")
    return False, f"unknown check kind {kind}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--oraclectl", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "..", "shared"))
    ap.add_argument("--only", help="run only scenarios whose name contains this")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    gen = [sys.executable, os.path.join(here, "gen_scenarios.py"), "--out", a.work,
           "--shared", a.shared]
    subprocess.run(gen, check=True)
    rows, failed = [], 0
    for name in sorted(os.listdir(a.work)):
        d = os.path.join(a.work, name)
        if not os.path.isfile(os.path.join(d, "expect.json")):
            continue
        if a.only and a.only not in name:
            continue
        expect = json.load(open(os.path.join(d, "expect.json")))
        ref = {}
        for r in load_jsonl(os.path.join(d, "reference.jsonl")):
            ref.setdefault(r["instrument"], []).append(r)
        for run in expect["runs"]:
            out = os.path.join(d, run["config"].replace(".textproto", "") + ".marks.jsonl")
            t0 = time.time()
            p = subprocess.run([a.oraclectl, "replay", "--config", os.path.join(d, run["config"]),
                                "--input", os.path.join(d, "ticks.jsonl"), "--output", out],
                               capture_output=True, text=True)
            took = time.time() - t0
            if p.returncode not in (0, 3):  # 3: some mark not OK, expected in these scenarios
                rows.append((name, run["config"], "replay", False, p.stderr.strip()[-400:]))
                failed += 1
                continue
            marks = load_jsonl(out)
            label = run.get("policy", "")
            for c in run["checks"]:
                ok, detail = run_check(c, marks, ref)
                what = f"{c['kind']} {c['instrument']}" + (f" [{label}]" if label else "")
                rows.append((name, run["config"], what, ok, detail))
                failed += 0 if ok else 1
            rows.append((name, run["config"], f"replay {len(marks)} marks in {took:.1f}s", True, ""))
    print("\nScenario suite (tests/scenarios):")
    for name, cfg, what, ok, detail in rows:
        print(f"  {'PASS' if ok else 'FAIL'}  {name:28s} {what:48s} {detail}")
    print(f"\n{sum(1 for r in rows if r[3])} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
