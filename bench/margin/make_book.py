#!/usr/bin/env python3
"""Writes a deterministic synthetic margin book (stdlib only).

Usage: make_book.py --seed N --accounts N --out book.json

THIS IS NOT REAL ACCOUNT DATA. It is a simple, documented model of a cross-collateral margin book,
sized so that the simulation (margin_sim.py) can show what marking collateral at one venue's price
costs compared with the oracle's marks.

Model
-----
* Each account holds ONE collateral asset: USDe, wBETH or BNSOL (mix below), against a liability in
  USDT (borrowed USDT, or the negative USDT balance of a USDT-margined perp position; the book does
  not distinguish the two, and ignores interest and funding over the simulated hour or two).
* `collateral_value_usdt` is the value of the collateral at the scenario's OPENING reference price.
  The book is scenario-independent: margin_sim.py converts it into a quantity of the asset,
  quantity = collateral_value_usdt / opening_reference_price(asset), so the same book can be
  replayed against scenarios whose price levels differ. Amounts are log-normal: median 5,000 USDT,
  sigma 2.2 in log space, clipped to [10, 5,000,000] USDT (tens of dollars to millions).
* `leverage` L = collateral value / equity at the opening price, so the debt is
  debt_usdt = collateral_value_usdt * (1 - 1/L). Leverage is drawn from three tiers and spread
  uniformly inside the tier (so liquidation thresholds are spread, not stacked on a few prices):
      low  1.2x .. 2x   (weight 40%)
      mid  2x   .. 5x   (weight 40%)
      high 5x   .. 10x  (weight 20%)
* Maintenance margin ratio m per asset (our choice, in the range exchanges use for these assets):
      USDe 5%   (a stablecoin)
      wBETH 8%  (liquid-staked ETH)
      BNSOL 8%  (liquid-staked SOL)
* Haircut h per asset: optional, 0 by default for all three (`--haircut ASSET=H` sets one).
  Collateral value at price p is quantity * p * (1 - h).
* Asset mix: USDe 50%, wBETH 30%, BNSOL 20% of accounts.

Liquidation rule (applied by margin_sim.py)
-------------------------------------------
  with V(p) = quantity * p * (1 - h):   liquidated when  V(p) - debt < m * V(p)
  equivalently p < liquidation_price = debt / (quantity * (1 - h) * (1 - m)).
  Once liquidated an account stays liquidated (it is removed from the book).
  Example: a 10x USDe account (m = 5%) is liquidated below 0.9 / 0.95 = 0.947 of the opening
  price; a 1.2x USDe account below 0.175; a 10x wBETH account (m = 8%) below 0.978, a 1.2x wBETH
  account below 0.181.

JSON schema of book.json
------------------------
{
  "schema": "margin-book/1",
  "seed": 20251010, "accounts_count": 20000,
  "model": "...",                                   # one-line description
  "assets": {                                       # per collateral asset
    "USDe":  {"maintenance_ratio": "0.05", "haircut": "0"},
    "wBETH": {"maintenance_ratio": "0.08", "haircut": "0"},
    "BNSOL": {"maintenance_ratio": "0.08", "haircut": "0"}
  },
  "accounts": [
    {"id": "a000001", "asset": "USDe", "collateral_value_usdt": "12345.67",
     "leverage": "3.21", "debt_usdt": "8499.81"},
    ...
  ]
}
Numbers are decimal strings (exact; margin_sim.py reads them as fractions). debt_usdt is the
authoritative liability; leverage is informative (debt_usdt was computed from it and rounded to the
cent). Same seed and account count give a byte-identical file.
"""

import argparse
import json
import math
import random
import sys
from decimal import ROUND_HALF_EVEN, Decimal

ASSETS = {  # asset: (share of accounts, maintenance ratio, default haircut)
    "USDe": (0.50, "0.05", "0"),
    "wBETH": (0.30, "0.08", "0"),
    "BNSOL": (0.20, "0.08", "0"),
}
TIERS = [  # (name, weight, leverage low, leverage high)
    ("low", 0.40, 1.2, 2.0),
    ("mid", 0.40, 2.0, 5.0),
    ("high", 0.20, 5.0, 10.0),
]
MEDIAN_USDT = 5000.0
SIGMA = 2.2
MIN_USDT, MAX_USDT = 10.0, 5_000_000.0
CENT = Decimal("0.01")


def pick(rng, items, weight_of):
    x = rng.random()
    acc = 0.0
    for item in items:
        acc += weight_of(item)
        if x < acc:
            return item
    return items[-1]


def make_book(seed, n_accounts, haircuts=None):
    rng = random.Random(seed)
    haircuts = haircuts or {}
    assets = {}
    for name, (_, mmr, hc) in ASSETS.items():
        assets[name] = {"maintenance_ratio": mmr, "haircut": haircuts.get(name, hc)}
    names = list(ASSETS)
    accounts = []
    width = max(6, len(str(n_accounts)))
    for i in range(1, n_accounts + 1):
        asset = pick(rng, names, lambda a: ASSETS[a][0])
        value = rng.lognormvariate(math.log(MEDIAN_USDT), SIGMA)
        value = min(max(value, MIN_USDT), MAX_USDT)
        _, _, lo, hi = pick(rng, TIERS, lambda t: t[1])
        lev = Decimal(repr(round(rng.uniform(lo, hi), 2)))
        v = Decimal(repr(value)).quantize(CENT, ROUND_HALF_EVEN)
        debt = (v * (1 - 1 / lev)).quantize(CENT, ROUND_HALF_EVEN)
        accounts.append({
            "id": "a%0*d" % (width, i),
            "asset": asset,
            "collateral_value_usdt": str(v),
            "leverage": str(lev),
            "debt_usdt": str(debt),
        })
    return {
        "schema": "margin-book/1",
        "seed": seed,
        "accounts_count": n_accounts,
        "model": ("one collateral asset per account against a USDT liability; quantity = "
                  "collateral_value_usdt / opening reference price; liquidated when "
                  "V - debt < maintenance_ratio * V, V = quantity * price * (1 - haircut)"),
        "assets": assets,
        "accounts": accounts,
    }


def to_text(book):
    """JSON with one account per line (readable, diff-able, and a few MB for 20,000 accounts)."""
    head = {k: v for k, v in book.items() if k != "accounts"}
    lines = ["{"]
    for k, v in head.items():
        lines.append(" %s: %s," % (json.dumps(k), json.dumps(v)))
    lines.append(' "accounts": [')
    accts = book["accounts"]
    for i, a in enumerate(accts):
        lines.append("  " + json.dumps(a) + ("," if i + 1 < len(accts) else ""))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20251010)
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--out", required=True, help="output path ('-' for stdout)")
    ap.add_argument("--haircut", action="append", default=[], metavar="ASSET=H",
                    help="collateral haircut for an asset, e.g. wBETH=0.05 (default 0)")
    args = ap.parse_args(argv)
    if args.accounts < 1:
        ap.error("--accounts must be >= 1")
    haircuts = {}
    for item in args.haircut:
        name, _, h = item.partition("=")
        if name not in ASSETS:
            ap.error("unknown asset in --haircut: %r (one of %s)" % (name, ", ".join(ASSETS)))
        try:
            hd = Decimal(h)
        except Exception:
            ap.error("bad haircut %r" % item)
        if not (0 <= hd < 1):
            ap.error("haircut must be in [0, 1): %r" % item)
        haircuts[name] = str(hd)
    book = make_book(args.seed, args.accounts, haircuts)
    text = to_text(book)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        total = sum(Decimal(a["collateral_value_usdt"]) for a in book["accounts"])
        print("wrote %s: %d accounts, %s USDT of collateral at opening prices"
              % (args.out, len(book["accounts"]), format(total, ",.2f")), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
