#!/usr/bin/env python3
"""Turns one run_benchmarks.sh result directory into a Markdown section for bench/RESULTS.md.

    python3 bench/bench_report.py BUILD_DIR/bench-results/<stamp>

Every number comes from a file in that directory; nothing is estimated. With several runs each
table gives every run and their median (for two runs, the mean of the two).
"""
import glob
import json
import os
import re
import statistics
import sys


def read_kv(path):
    out = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                out[k] = v
    return out


def runs_of(out_dir, pattern):
    files = glob.glob(os.path.join(out_dir, pattern))
    return sorted(files, key=lambda p: int(re.search(r"_(\d+)\.\w+$", p).group(1)))


def load_core(path):
    with open(path) as f:
        data = json.load(f)
    return {b["name"]: b for b in data["benchmarks"]}, data.get("context", {})


def load_jsonl(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def parse_redis(path):
    """Throughput and latency (ms) from redis-benchmark's default (non --csv) output."""
    text = open(path, errors="replace").read().replace("\r", "\n")
    res = {}
    m = re.search(r"throughput summary:\s*([\d.]+) requests per second", text)
    if m:
        res["rps"] = float(m.group(1))
    m = re.search(r"latency summary \(msec\):\s*\n\s*avg\s+min\s+p50\s+p95\s+p99\s+max\s*\n\s*"
                  r"([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text)
    if m:
        for k, v in zip(["avg", "min", "p50", "p95", "p99", "max"], m.groups()):
            res[k + "_ms"] = float(v)
    # p99.9: the first step of the percentile distribution at or above 99.9% (HdrHistogram steps).
    dist = text.split("Latency by percentile distribution:", 1)
    if len(dist) == 2:
        for line in dist[1].split("Cumulative distribution", 1)[0].splitlines():
            m = re.match(r"\s*([\d.]+)% <= ([\d.]+) milliseconds", line)
            if m and float(m.group(1)) >= 99.9:
                res["p999_ms"] = float(m.group(2))
                break
    m = re.search(r"(\d+) requests completed in ([\d.]+) seconds", text)
    if m:
        res["requests"] = int(m.group(1))
        res["seconds"] = float(m.group(2))
    return res


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if unit == "M":
        return f"{v / 1e6:.2f}M"
    if unit == "k":
        return f"{v / 1e3:.1f}k"
    if unit == "us":
        return f"{v:,.0f} µs" if v >= 100 else f"{v:.1f} µs"
    if unit == "ns":
        return f"{v:,.0f} ns" if v >= 100 else f"{v:.1f} ns"
    if unit == "x":
        return f"{v:.2f}x"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
    return str(v)


def row(label, values, unit="", extra=None):
    cells = [fmt(v, unit) for v in values]
    cells.append(fmt(med(values), unit) if len(values) > 1 else "")
    return f"| {label} | " + " | ".join(cells) + (f" | {extra} |" if extra is not None else " |")


def header(first, nruns, extra=None):
    cols = [first] + [f"run {i + 1}" for i in range(nruns)] + (["median"] if nruns > 1 else [""])
    if extra is not None:
        cols.append(extra)
    return "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols)


def main():
    out = sys.argv[1]
    mach = read_kv(os.path.join(out, "machine.txt"))
    core_files = runs_of(out, "core_*.json")
    cores = [load_core(p)[0] for p in core_files]
    n = len(cores)
    p = []
    w = p.append

    w(f"## Run of {mach.get('date_utc')} (commit {mach.get('commit')}"
      + (f", {mach.get('dirty')} files modified in the work tree" if mach.get("dirty", "0") != "0" else "")
      + ")")
    w("")
    w(f"Machine: {mach.get('nproc')} CPUs ({mach.get('cpu')}), {mach.get('mem')} memory, Linux "
      f"{mach.get('kernel')}; Redis {mach.get('redis')}. {n} runs of everything; tables give each "
      "run and the median (of two runs: their mean). The machine is shared: load averages before "
      "each step are in `load.txt` below.")
    w("")

    # --- core
    def cb(name, key, scale=1.0):
        vals = []
        for c in cores:
            b = c.get(name)
            vals.append(None if b is None or key not in b else b[key] * scale)
        return vals

    ring_t = "BM_CoreIngest_RingAndEngine/timers:1"
    ring_n = "BM_CoreIngest_RingAndEngine/timers:0"
    only = "BM_CoreIngest_EngineOnly"
    w("### Core: ring + aggregation on one core (1,000 instruments x 8 venues)")
    w("")
    w(header("events/s (`core_bench`)", n, "target"))
    w(row("SpscRing + Engine::Apply, with 100 ms timers", cb(ring_t, "items_per_second"), "M", ">= 5M"))
    w(row("SpscRing + Engine::Apply, ticks only", cb(ring_n, "items_per_second"), "M", ""))
    w(row("Engine::Apply alone (no ring), with timers", cb(only, "items_per_second"), "M", ""))
    w(row("one timer: evaluate + publish 1,000 marks (µs)", cb("BM_TimerEvaluateAll", "real_time"), "us", ""))
    parse = cb("BM_ParseBenchConfig", "real_time")
    if any(v is not None for v in parse):
        w(row("parse + validate the 1,000 x 8 configuration (ms)", parse, "", ""))
    w("")
    tf = med(cb(ring_t, "timer_frac"))
    if tf is not None:
        w("Checks (with timers): "
          f"timer events are {tf * 100:.4f}% of events (one per 100 ms of event time, 800,000 ticks/s of "
          f"event time); marks per timer {fmt(med(cb(ring_t, 'marks_per_timer')))}; marks published in "
          f"the measured runs {', '.join(fmt(v) for v in cb(ring_t, 'marks_published'))}; rejected or "
          f"out-of-order ticks {', '.join(fmt(v) for v in cb(ring_t, 'rejected'))}; ring drops "
          f"{', '.join(fmt(v) for v in cb(ring_t, 'ring_dropped'))}; share of instruments whose latest "
          f"mark is OK {', '.join(fmt(v) for v in cb(ring_t, 'ok_marks'))}.")
    w("")

    # --- tick to mark
    w("### Tick to published mark (core thread on the wall clock, one sample per ms)")
    w("")
    modes = [(0, "CoreRunner default: 200 spins, then idle_sleep_us = 50"),
             (1, "idle_sleep_us = 0 (never sleeps; spins after idle_spins)"),
             (2, "spinning (idle_spins = INT_MAX, never sleeps)")]
    w("| core idle policy | p50 | p99 | p99.9 | max | samples / skipped / raced / misses |")
    w("|---|---|---|---|---|---|")
    for mode, label in modes:
        name = f"BM_TickToMark/idle:{mode}/samples:10000/iterations:1"
        per = []
        for c in cores:
            b = c.get(name)
            if b is None:
                continue
            per.append(b)
        if not per:
            continue
        def runs_str(key, unit):
            return " / ".join(fmt(b[key] / 1000.0, "us") for b in per)
        counts = "; ".join(f"{int(b['samples'])} / {int(b['skipped'])} / {int(b.get('raced', 0))}"
                           f" / {int(b['misses'])}" for b in per)
        w(f"| {label} | {runs_str('p50_ns', 'us')} | {runs_str('p99_ns', 'us')} | "
          f"{runs_str('p999_ns', 'us')} | {runs_str('max_ns', 'us')} | {counts} |")
    w("")
    w("From pushing one quote into the core's ring to its instrument's new sequence in the "
      "MarkTable (early publication). Each cell lists the runs in order. `skipped`: not measured "
      "because a 100 ms timer fell between the instrument's move and the measured quote; "
      "`raced`: the core ran a timer just before the quote, which then had nothing left to "
      "publish; `misses`: no publication within 200 ms (must be 0; slow samples count with their "
      "latency).")
    w("")

    # --- kernels
    kernels = ["BM_WeightedMedianSorted8", "BM_SortAndMedian8", "BM_CapWeights8",
               "BM_TwapWindowTwap", "BM_TwapWindowSetSchedule", "BM_SpscRingPushPop",
               "BM_SpscRingPushPop256", "BM_MarkTablePublish", "BM_MarkTableRead"]
    w("### Kernels (ns per item)")
    w("")
    w(header("kernel", n))
    for k in kernels:
        vals = []
        for c in cores:
            b = c.get(k)
            vals.append(None if b is None else 1e9 / b["items_per_second"])
        w(row(k, vals, "ns", None))
    w("")

    # --- venue parsers
    feeds = [load_core(pth)[0] for pth in runs_of(out, "feeds_[0-9]*.json")]
    if feeds:
        w("### Venue parsers: frames per second on one core, allocations per frame (`feeds_bench`)")
        w("")
        w("Each venue's trade frame and best-bid/ask frame in its current wire format, parsed in a "
          "loop (64 variants, varying prices). Allocations are counted over 100,000 frames in "
          "steady state. Target: at least 1M Binance trade frames/s, zero allocations per frame.")
        w("")
        w(header("frame", len(feeds), "allocs/frame"))
        for name in feeds[0]:
            if not name.startswith("BM_"):
                continue
            vals = [f[name]["items_per_second"] if name in f else None for f in feeds]
            allocs = max(f[name].get("allocs_per_frame", 0) for f in feeds if name in f)
            w(row(name[3:], vals, "M", fmt(allocs)))
        w("")

    # --- reads
    r1m = [load_jsonl(pth) for pth in runs_of(out, "read_1m_[0-9]*.jsonl")]
    r10k = [load_jsonl(pth) for pth in runs_of(out, "read_10k_[0-9]*.jsonl")]
    r10kt = [load_jsonl(pth) for pth in runs_of(out, "read_10k_typed_[0-9]*.jsonl")]
    rc1 = [load_jsonl(pth) for pth in runs_of(out, "read_c1_[0-9]*.jsonl")]
    nr = len(r1m)

    def sc(rows_per_run, scenario, key, which=0):
        vals = []
        for rows in rows_per_run:
            match = [r for r in rows if r.get("scenario") == scenario]
            vals.append(match[which][key] if len(match) > which and key in match[which] else None)
        return vals

    w(f"### Reads on loopback: in-process oracle ingesting 1,000,000 synthetic events/s, "
      f"{mach.get('concurrency')} outstanding requests, {mach.get('read_seconds')} s each")
    w("")
    w("Load generator: `read_load --client raw` (one CompletionQueue thread, one HTTP/2 connection, "
      "replies kept as bytes and one in 64 parsed and checked, like redis-benchmark which does not "
      "decode values). Server, core thread, synthetic producer and load generator share the 2 "
      "CPUs, so these are lower bounds for a dedicated server. `marks OK`: share of checked marks "
      "whose status is MARK_STATUS_OK.")
    w("")
    w("| scenario | run | req/s | marks/s | p50 | p99 | p99.9 | errors | marks OK | core ingest events/s |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    names = [("get_full", "GetMark, FULL view"), ("get_basic", "GetMark, BASIC view"),
             ("batch_full", "BatchGetMarks(100), FULL view")]
    for key, label in names:
        for i, rows in enumerate(r1m):
            m = [r for r in rows if r.get("scenario") == key]
            if not m:
                continue
            r = m[0]
            w(f"| {label} | {i + 1} | {fmt(r['rps'])} | {fmt(r['marks_per_s'])} | "
              f"{fmt(r['p50_us'], 'us')} | {fmt(r['p99_us'], 'us')} | {fmt(r['p999_us'], 'us')} | "
              f"{r['errors']} | {r['marks_status_ok'] * 100:.2f}% | {fmt(r.get('ingest_eps'))} |")
        if nr > 1:
            w(f"| {label} | median | {fmt(med(sc(r1m, key, 'rps')))} | "
              f"{fmt(med(sc(r1m, key, 'marks_per_s')))} | {fmt(med(sc(r1m, key, 'p50_us')), 'us')} | "
              f"{fmt(med(sc(r1m, key, 'p99_us')), 'us')} | {fmt(med(sc(r1m, key, 'p999_us')), 'us')} | "
              f"| | {fmt(med(sc(r1m, key, 'ingest_eps')))} |")
    w("")
    w("Core ingest rate (events applied by the core per second over each measurement window; "
      "offered: 1,000,000/s by SyntheticSource):")
    w("")
    w(header("read load", nr))
    w(row("none (before the reads)", sc(r1m, "idle", "ingest_eps", 0), ""))
    w(row("GetMark FULL at 64 outstanding", sc(r1m, "get_full", "ingest_eps"), ""))
    w(row("GetMark BASIC at 64 outstanding", sc(r1m, "get_basic", "ingest_eps"), ""))
    w(row("BatchGetMarks(100) FULL at 64 outstanding", sc(r1m, "batch_full", "ingest_eps"), ""))
    w(row("none (after the reads)", sc(r1m, "idle", "ingest_eps", 1), ""))
    w("")
    def per_scenario(key):
        parts = []
        for scn, which, label in [("idle", 0, "no reads"), ("get_full", 0, "GetMark FULL"),
                                  ("get_basic", 0, "GetMark BASIC"),
                                  ("batch_full", 0, "BatchGetMarks(100)"), ("idle", 1, "no reads after")]:
            vals = sc(r1m, scn, key, which)
            if any(v is not None for v in vals):
                parts.append(f"{label}: " + ", ".join(fmt(v) for v in vals))
        return "; ".join(parts) if parts else "n/a (server without GetServerStatus)"
    w("From the server's own counters (GetServerStatus) over the same windows, per run: events "
      "pushed into the core's rings per second: " + per_scenario("ring_pushed_eps") + ". Ring "
      "events dropped: " + per_scenario("ring_dropped") + ". Timers skipped: " +
      per_scenario("timers_skipped") + ". Marks published per second: " +
      per_scenario("marks_published_per_s") + ".")
    w("")
    w("Process CPU (cores busy in the read_load process: server, core, synthetic producer and load "
      "generator): " + "; ".join(
          f"{s}: " + ", ".join(fmt(v) for v in sc(r1m, s, "process_cpu_cores"))
          for s in ["idle", "get_full", "batch_full"]) + ".")
    w("")

    # --- latency without queueing, and the typed client
    def table_rows(rows_per_run, key, label):
        for i, rows in enumerate(rows_per_run):
            m = [r for r in rows if r.get("scenario") == key]
            if m:
                r = m[0]
                w(f"| {label} | {i + 1} | {fmt(r['rps'])} | {fmt(r['p50_us'], 'us')} | "
                  f"{fmt(r['p99_us'], 'us')} | {fmt(r['p999_us'], 'us')} | {fmt(r['max_us'], 'us')} | "
                  f"{r['errors']} | {fmt(r.get('ingest_eps'))} |")

    if rc1:
        w("One request outstanding (no queueing in the client), ingest 1,000,000 events/s, raw client:")
        w("")
        w("| scenario | run | req/s | p50 | p99 | p99.9 | max | errors | core ingest events/s |")
        w("|---|---|---|---|---|---|---|---|---|")
        table_rows(rc1, "get_full", "GetMark FULL")
        table_rows(rc1, "batch_full", "BatchGetMarks(100) FULL")
        w("")
    if r10kt:
        w(f"Typed client (generated async stub, every reply parsed into messages), ingest 10,000 "
          f"events/s, {mach.get('concurrency')} outstanding; the raw client's rows are in the next "
          "table:")
        w("")
        w("| scenario | run | req/s | p50 | p99 | p99.9 | max | errors | core ingest events/s |")
        w("|---|---|---|---|---|---|---|---|---|")
        table_rows(r10kt, "get_full", "GetMark FULL, typed")
        table_rows(r10kt, "batch_full", "BatchGetMarks(100) FULL, typed")
        w("")

    # --- redis
    rg = [parse_redis(pth) for pth in runs_of(out, "redis_get_*.txt")]
    rm = [parse_redis(pth) for pth in runs_of(out, "redis_mget_*.txt")]
    dump = [r for rows in r10k for r in rows if r.get("scenario") == "dump_redis"]
    avg_bytes = dump[0]["avg_value_bytes"] if dump else None
    w("### Oracle vs Redis, same marks, same concurrency, same run")
    w("")
    w(f"Redis holds each instrument's mark as the serialized `oracle.v1.Mark` (FULL view, "
      f"{fmt(avg_bytes)} bytes on average), taken from the oracle. Oracle rows: in-process oracle "
      "fed 10,000 events/s (marks fresh, core nearly idle, like the Redis server that has no "
      "writer) and, for reference, the 1,000,000 events/s runs above.")
    w("")
    w("| | run | req/s | marks/s | p50 | p99 | p99.9 |")
    w("|---|---|---|---|---|---|---|")

    def oracle_rows(rows_per_run, key, label, batch):
        for i, rows in enumerate(rows_per_run):
            m = [r for r in rows if r.get("scenario") == key]
            if m:
                r = m[0]
                w(f"| {label} | {i + 1} | {fmt(r['rps'])} | {fmt(r['marks_per_s'])} | "
                  f"{fmt(r['p50_us'], 'us')} | {fmt(r['p99_us'], 'us')} | {fmt(r['p999_us'], 'us')} |")

    def redis_rows(res, label, batch):
        for i, r in enumerate(res):
            rps = r.get("rps")
            w(f"| {label} | {i + 1} | {fmt(rps)} | {fmt(rps * batch if rps else None)} | "
              f"{fmt(r.get('p50_ms', 0) * 1000, 'us')} | {fmt(r.get('p99_ms', 0) * 1000, 'us')} | "
              f"{fmt(r.get('p999_ms', 0) * 1000, 'us')} |")

    oracle_rows(r10k, "get_full", "oracle GetMark FULL (ingest 10k/s)", 1)
    oracle_rows(r1m, "get_full", "oracle GetMark FULL (ingest 1M/s)", 1)
    redis_rows(rg, "Redis GET", 1)
    oracle_rows(r10k, "batch_full", "oracle BatchGetMarks(100) FULL (ingest 10k/s)", 100)
    oracle_rows(r1m, "batch_full", "oracle BatchGetMarks(100) FULL (ingest 1M/s)", 100)
    redis_rows(rm, "Redis MGET 100 keys", 100)
    w("")

    def ratio(a, b):
        return a / b if a and b else None

    og10 = med(sc(r10k, "get_full", "rps"))
    ob10 = med(sc(r10k, "batch_full", "rps"))
    og1m = med(sc(r1m, "get_full", "rps"))
    ob1m = med(sc(r1m, "batch_full", "rps"))
    rgm = med([r.get("rps") for r in rg])
    rmm = med([r.get("rps") for r in rm])
    w("Throughput ratio oracle / Redis (medians):")
    w("")
    w("| | oracle ingest 10k/s | oracle ingest 1M/s |")
    w("|---|---|---|")
    w(f"| single mark (GetMark vs GET) | {fmt(ratio(og10, rgm), 'x')} | {fmt(ratio(og1m, rgm), 'x')} |")
    w(f"| 100 marks (BatchGetMarks vs MGET) | {fmt(ratio(ob10, rmm), 'x')} | {fmt(ratio(ob1m, rmm), 'x')} |")
    w("")
    lat = []
    for key, res, label in [("get_full", rg, "single"), ("batch_full", rm, "batch")]:
        o = med(sc(r10k, key, "p99_us"))
        r = med([x.get("p99_ms") for x in res])
        lat.append(f"{label}: oracle p99 {fmt(o, 'us')} vs Redis p99 {fmt(r * 1000 if r else None, 'us')}")
    w("Latency at the same concurrency (ingest 10k/s): " + "; ".join(lat) + ".")
    w("")

    # --- commands and load
    w("### Commands")
    w("")
    w("```")
    w(open(os.path.join(out, "commands.txt")).read().rstrip())
    w("```")
    w("")
    w("Load average (1, 5, 15 min) before each command:")
    w("")
    w("```")
    w(open(os.path.join(out, "load.txt")).read().rstrip())
    w("```")
    print("\n".join(p))


if __name__ == "__main__":
    main()
