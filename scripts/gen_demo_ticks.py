#!/usr/bin/env python3
"""Generates the bundled demo tick log: synthetic, deterministic, modelled on 2025-10-10.

This is NOT market data. It is a readable model that exercises the oracle the way that evening did:
many venues quoting the same assets with realistic spreads and noise, while one venue's thin USDe
book dumps to 0.65 for 40 minutes (Binance USDE-USDT, 21:36-22:16 UTC, Binance's own compensation
window) and its wBETH and BNSOL books print deep discounts, and every other venue stays sane.

Model, per instrument:
  * a "true" price follows a geometric random walk in one-second steps with the instrument's
    volatility (VOL_PER_SQRT_S below);
  * each venue quotes true * (1 + basis + noise): basis is a fixed per-venue offset of up to
    +-1 bp, noise is normal with 0.5 bp standard deviation; its spread is SPREAD_BPS[tier] of the
    mid, where tier 3 (deepest) venues are tightest;
  * quotes arrive as a Poisson process (QUOTES_PER_S), trades too (TRADES_PER_S) at the bid or the
    ask with a log-normal size;
  * USDT-, USDC- and USDE-quoted pairs are priced through their stablecoin's own true price
    (USDT-USD ~ 1.0002, USDC-USD ~ 0.9999, USDE-USD ~ 0.9996), so conversion matters;
  * redemption rate events (type "rate") for WBETH-ETH and BNSOL-SOL every 5 minutes.
Dislocation (the point of the demo), on one venue only:
  * binance USDE-USDT falls from 1.00 to 0.65 over 3 minutes from 21:36, trades around 0.65-0.70
    with 1-4% spreads, and recovers over 3 minutes from 22:13 (back to normal at 22:16);
  * binance WBETH-USDT prints an 88% discount (low ~430 USD) and BNSOL-USDT falls to ~34.90 over
    the same window.

Venues, pairs and symbols come from feeds/default.textproto, so the demo follows the configuration.
Usage: gen_demo_ticks.py --config feeds/default.textproto --output build/demo/ticks.jsonl
       [--minutes 60] [--seed 20251010]
"""

import argparse
import datetime as dt
import json
import math
import random
import re
import sys

START = dt.datetime(2025, 10, 10, 21, 30, 0, tzinfo=dt.timezone.utc)
DUMP_START_S = 6 * 60  # 21:36
DUMP_END_S = 46 * 60  # 22:16
RAMP_S = 180

TRUE_START = {"BTC": 113000.0, "ETH": 3850.0, "SOL": 190.0, "USDT": 1.0002, "USDC": 0.9999,
              "USDE": 0.9996, "WBETH": 3850.0 * 1.0712, "BNSOL": 190.0 * 1.0640, "USD": 1.0}
VOL_PER_SQRT_S = {"BTC": 0.00012, "ETH": 0.00016, "SOL": 0.0002, "USDT": 0.000004,
                  "USDC": 0.000003, "USDE": 0.000008}
RATIOS = {"WBETH-ETH": 1.0712, "BNSOL-SOL": 1.0640, "SUSDE-USDE": 1.1942}
RATE_SOURCES = {"WBETH-ETH": "wbeth-exchange-rate", "BNSOL-SOL": "bnsol-stake-pool",
                "SUSDE-USDE": "susde-convert-to-assets"}
SPREAD_BPS = {3: 0.2, 2: 0.5, 1: 1.2}
QUOTES_PER_S = 1.0
TRADES_PER_S = 0.4
DECIMALS = {"BTC": 2, "ETH": 2, "SOL": 3, "WBETH": 2, "BNSOL": 3, "USDT": 5, "USDC": 5, "USDE": 5}


def parse_config(path):
    """Returns [(instrument, venue, pair, weight)] from the default configuration's text."""
    text = open(path, encoding="utf-8").read()
    feeds = []
    for block in re.finditer(r'instruments\s*\{\s*name:\s*"([A-Z0-9-]+)"(.*?)\n\}', text, re.S):
        name, body = block.group(1), block.group(2)
        for src in re.finditer(r'sources\s*\{([^}]*)\}', body):
            fields = dict(re.findall(r'(\w+):\s*"?([^"\s]+)"?', src.group(1)))
            feeds.append((name, fields["venue"], fields["pair"], int(fields.get("weight", "1"))))
    if not feeds:
        sys.exit(f"gen_demo_ticks: no sources found in {path}")
    return feeds


def fmt_time(seconds):
    t = START + dt.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def fmt_price(value, base, quote):
    digits = DECIMALS.get(base, 4)
    if quote in ("ETH", "SOL"):
        digits = 6
    return f"{value:.{digits}f}"


def dislocation(venue, pair, t):
    """Multiplier applied to one venue's book during the dump window (1.0 elsewhere)."""
    if venue != "binance" or not DUMP_START_S <= t < DUMP_END_S:
        return 1.0, 1.0
    lows = {"USDE-USDT": 0.65, "WBETH-USDT": 0.112, "BNSOL-USDT": 0.173}
    if pair not in lows:
        return 1.0, 1.0
    low = lows[pair]
    into = t - DUMP_START_S
    left = DUMP_END_S - t
    depth = min(1.0, into / RAMP_S, left / RAMP_S)
    wobble = 1.0 + 0.04 * math.sin(into / 37.0) * depth
    level = 1.0 - (1.0 - low) * depth
    return level * wobble, 1.0 + 80.0 * depth  # price multiplier, spread multiplier


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--minutes", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20251010)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    feeds = parse_config(args.config)
    duration = args.minutes * 60

    # True price paths, one point per second.
    paths = {}
    for asset in ("BTC", "ETH", "SOL", "USDT", "USDC", "USDE"):
        p, path = TRUE_START[asset], []
        for _ in range(duration + 1):
            path.append(p)
            p *= math.exp(rng.gauss(0.0, VOL_PER_SQRT_S[asset]))
            if asset in ("USDT", "USDC", "USDE"):  # stablecoins mean-revert to their peg
                p += (TRUE_START[asset] - p) * 0.05
        paths[asset] = path
    paths["WBETH"] = [x * RATIOS["WBETH-ETH"] for x in paths["ETH"]]
    paths["BNSOL"] = [x * RATIOS["BNSOL-SOL"] for x in paths["SOL"]]
    paths["USD"] = [1.0] * (duration + 1)

    def true_pair_price(pair, t):
        base, quote = pair.split("-")
        i = min(int(t), duration)
        return paths[base][i] / paths[quote][i]

    events = []  # (time_s, seq, dict)
    seq = 0
    for (_instrument, venue, pair, weight) in sorted(set(feeds)):
        base, quote = pair.split("-")
        basis = rng.uniform(-1e-4, 1e-4)
        tier = min(max(weight, 1), 3)
        t = rng.uniform(0, 1.0)
        while t < duration:
            mult, spread_mult = dislocation(venue, pair, t)
            mid = true_pair_price(pair, t) * (1 + basis + rng.gauss(0, 5e-5)) * mult
            half = mid * SPREAD_BPS[tier] * 1e-4 * spread_mult * rng.uniform(0.6, 1.4) / 2
            digits = DECIMALS.get(base, 4) if quote not in ("ETH", "SOL") else 6
            tick = 10 ** -digits
            bid = math.floor((mid - half) / tick) * tick
            ask = max(math.ceil((mid + half) / tick) * tick, bid + tick)
            seq += 1
            events.append((t, seq, {"time": fmt_time(t), "venue": venue, "pair": pair,
                                    "type": "quote", "bid": fmt_price(bid, base, quote),
                                    "ask": fmt_price(ask, base, quote)}))
            if rng.random() < TRADES_PER_S / QUOTES_PER_S:
                tt = t + rng.uniform(0.001, 0.5)
                price = ask if rng.random() < 0.5 else bid
                size = round(rng.lognormvariate(0, 1.2) * (1000 / max(mid, 1e-9)) + tick, 6)
                seq += 1
                events.append((tt, seq, {"time": fmt_time(tt), "venue": venue, "pair": pair,
                                         "type": "trade", "price": fmt_price(price, base, quote),
                                         "size": f"{size:.6f}"}))
            t += rng.expovariate(QUOTES_PER_S)
    for k in range(0, duration, 300):
        for pair, ratio in RATIOS.items():
            seq += 1
            source = RATE_SOURCES[pair]
            events.append((k + 0.5, seq, {"time": fmt_time(k + 0.5), "source": source,
                                          "pair": pair, "type": "rate", "rate": f"{ratio:.6f}"}))

    events.sort(key=lambda e: (e[0], e[1]))
    with open(args.output, "w", encoding="utf-8") as out:
        for _, _, e in events:
            out.write(json.dumps(e, separators=(",", ":")) + "\n")
    print(f"gen_demo_ticks: wrote {len(events)} events ({args.minutes} min, {len(set(feeds))} "
          f"feeds) to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
