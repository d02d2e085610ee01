#!/usr/bin/env python3
"""Tests of margin_sim.py and make_book.py (stdlib unittest): python3 bench/margin/test_margin_sim.py

A hand-made book and price paths over six minutes (21:00 .. 21:05) whose liquidations are known
exactly. Liquidation price p_liq = debt / (quantity * (1 - m)), quantity = value / opening price.

  USDe (m = 5%, opening reference 1.0)
    U1 1000 USDT, debt 900  -> p_liq 0.947368..  (10x)
    U2 1000 USDT, debt 500  -> p_liq 0.526315..  (2x)
    U3 1000 USDT, debt 855  -> p_liq 0.9 exactly (the rule is strict: at 0.9 not liquidated)
    U4 1000 USDT, debt 0    -> never
  wBETH (m = 8%, opening reference 4000)
    W1 4000 USDT (1 wBETH), debt 3000 -> p_liq 3260.87
    W2 8000 USDT (2 wBETH), debt 2000 -> p_liq 1086.96
    W3 4000 USDT (1 wBETH), debt 2900 -> p_liq 3152.17
  BNSOL: B1, no BNSOL price anywhere in the scenario -> skipped.

  minute          0      1      2      3      4      5
  ref USDe        1.0    1.0    1.0    1.0    1.0    1.0
  venue USDe      1.0    0.90   0.60   1.0    1.0    1.0   (0.60 at 21:01:59.999999999, 1.0 at
                                                           21:02:00.000000001: nanosecond times)
  oracle USDe     1.0 ...
  ref wBETH       4000   4000   3500   3200   3100   3300
  venue wBETH     4000   3000   500    4000   4000   4000
  oracle wBETH    4000   4000   3500   (null) 3250   -      statuses OK OK DEGRADED UNAVAILABLE STALE
                                                          (STALE again at minute 5: latest mark)

Expected:
  reference: W1 at 3 (3200), W3 at 4 (3100)                       -> 2 liquidations, 6300 USDT
  venue:     U1 at 1 false (1000), U3 at 2 false (1000);            -> USDe 2, 2 false, 2000
             W1 at 1 genuine (4000), W3 at 1 genuine (4000),
             W2 at 2 FALSE (2 x 3500 = 7000)                        -> wBETH 3, 1 false, 15000/7000
  oracle:    USDe none; W1 at 4 genuine though late (3100), W3 missed -> wBETH 1, 0 false, 3100
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import make_book  # noqa: E402
import margin_sim  # noqa: E402

BOOK = {
    "schema": "margin-book/1",
    "assets": {
        "USDe": {"maintenance_ratio": "0.05", "haircut": "0"},
        "wBETH": {"maintenance_ratio": "0.08", "haircut": "0"},
        "BNSOL": {"maintenance_ratio": "0.08", "haircut": "0"},
    },
    "accounts": [
        {"id": "U1", "asset": "USDe", "collateral_value_usdt": "1000", "debt_usdt": "900"},
        {"id": "U2", "asset": "USDe", "collateral_value_usdt": "1000", "debt_usdt": "500"},
        {"id": "U3", "asset": "USDe", "collateral_value_usdt": "1000", "debt_usdt": "855"},
        {"id": "U4", "asset": "USDe", "collateral_value_usdt": "1000", "debt_usdt": "0"},
        {"id": "W1", "asset": "wBETH", "collateral_value_usdt": "4000", "debt_usdt": "3000"},
        {"id": "W2", "asset": "wBETH", "collateral_value_usdt": "8000", "debt_usdt": "2000"},
        {"id": "W3", "asset": "wBETH", "collateral_value_usdt": "4000", "debt_usdt": "2900"},
        {"id": "B1", "asset": "BNSOL", "collateral_value_usdt": "500", "debt_usdt": "400"},
    ],
}


def t(minute, rest=":00Z"):
    return "2025-10-10T21:%02d%s" % (minute, rest)


def trade(time, pair, price, venue="binance"):
    return {"time": time, "venue": venue, "pair": pair, "type": "trade", "price": price,
            "size": "1"}


def quote(time, pair, bid, ask, venue="binance"):
    return {"time": time, "venue": venue, "pair": pair, "type": "quote", "bid": bid, "ask": ask}


def mark(time, inst, price, status="OK"):
    return {"time": time, "instrument": inst, "price": price, "confidence": None,
            "status": status, "flags": [], "venues_used": 3, "sequence": 1}


TICKS = [
    quote(t(0), "USDE-USDT", "0.999", "1.001"),            # mid 1.0
    quote(t(0, ":10Z"), "USDE-USDT", "0.5", "0.6", venue="bybit"),  # another venue: ignored
    trade(t(1), "USDE-USDT", "0.90"),                      # exactly U3's p_liq: not liquidated
    trade(t(1, ":59.999999999Z"), "USDE-USDT", "0.60"),    # used at minute 2
    trade(t(2, ":00.000000001Z"), "USDE-USDT", "1.0"),     # used from minute 3 on
    trade(t(0), "WBETH-USDT", "4000"),
    {"time": t(0, ":30Z"), "source": "wbeth-exchange-rate", "pair": "WBETH-ETH", "type": "rate",
     "rate": "1.0712"},
    trade(t(1), "WBETH-USDT", "3000"),
    quote(t(2), "WBETH-USDT", "499", "501"),
    trade(t(3), "WBETH-USDT", "4000"),
    trade(t(5), "ETH-USDT", "3700"),                       # other pair: ignored; ends the log
]
MARKS = [mark(t(m, ":00.1Z"), "USDE-USD", "1.0001") for m in range(6)]
MARKS[0]["time"] = t(0)
MARKS += [
    mark(t(0), "WBETH-USD", "4000"),
    mark(t(1), "WBETH-USD", "4000"),
    mark(t(2), "WBETH-USD", "3500", "DEGRADED"),
    mark(t(3), "WBETH-USD", None, "UNAVAILABLE"),
    mark(t(4), "WBETH-USD", "3250", "STALE"),
    mark(t(4), "SUSDE-USD", "0.5"),                        # not a collateral of the book
]
REF_WBETH = ["4000", "4000", "3500", "3200", "3100", "3300"]
REFERENCE = []
for m in range(6):
    REFERENCE.append({"time": t(m), "instrument": "USDE-USD", "price": "1.0"})
    REFERENCE.append({"time": t(m), "instrument": "WBETH-USD", "price": REF_WBETH[m]})


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


class MarginSimTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        d = self.tmp.name
        self.paths = {k: os.path.join(d, k) for k in ("book.json", "ticks.jsonl", "marks.jsonl",
                                                       "reference.jsonl")}
        with open(self.paths["book.json"], "w", encoding="utf-8") as f:
            json.dump(BOOK, f)
        write_jsonl(self.paths["ticks.jsonl"], TICKS)
        write_jsonl(self.paths["marks.jsonl"], MARKS)
        write_jsonl(self.paths["reference.jsonl"], REFERENCE)

    def tearDown(self):
        self.tmp.cleanup()

    def run_sim(self, **kw):
        p = self.paths
        res = margin_sim.run(p["book.json"], p["marks.jsonl"], p["ticks.jsonl"],
                             p["reference.jsonl"], kw.get("venue", "binance"),
                             kw.get("venue_price", "last"))
        return margin_sim.to_jsonable(res)

    def ids(self, res, method, asset):
        """(minute, liquidations, false ones, USDT) for each minute with a liquidation."""
        return [(e["time"][11:16], e["liquidations"], e["false_liquidations"], e["usdt_liquidated"])
                for e in res["methods"][method]["per_asset"][asset]["by_minute"]]

    def test_grid_and_skips(self):
        res = self.run_sim()
        self.assertFalse(res["skipped"])
        self.assertEqual(res["grid"], {"start": "2025-10-10T21:00:00Z",
                                       "end": "2025-10-10T21:05:00Z", "minutes": 6})
        self.assertEqual(res["assets"], ["USDe", "wBETH"])
        self.assertEqual(res["skipped_assets"], {"BNSOL": "not in this scenario"})
        self.assertEqual(res["book"]["simulated"], 7)
        self.assertTrue(any("skipped 1 BNSOL accounts" in n for n in res["notes"]))

    def test_reference(self):
        res = self.run_sim()
        r = res["methods"]["reference"]
        self.assertEqual(self.ids(res, "reference", "wBETH"),
                         [("21:03", 1, 0, 3200), ("21:04", 1, 0, 3100)])
        self.assertEqual(r["per_asset"]["USDe"]["liquidations"], 0)
        self.assertEqual(r["total"]["liquidations"], 2)
        self.assertEqual(r["total"]["false_liquidations"], 0)
        self.assertEqual(r["total"]["usdt_liquidated"], 6300)

    def test_venue(self):
        res = self.run_sim()
        v = res["methods"]["venue"]["per_asset"]
        # USDe: U1 at 21:01 (0.90 < 0.947), U3 at 21:02 (0.60; at 0.90 exactly it survived);
        # U2 (p_liq 0.526) and U4 (no debt) survive. Both false: the reference never moves.
        self.assertEqual(self.ids(res, "venue", "USDe"),
                         [("21:01", 1, 1, 1000), ("21:02", 1, 1, 1000)])
        self.assertEqual((v["USDe"]["liquidations"], v["USDe"]["false_liquidations"],
                          v["USDe"]["usdt_liquidated"], v["USDe"]["false_usdt_liquidated"]),
                         (2, 2, 2000, 2000))
        # wBETH: W1 and W3 at 21:01 (genuine: the reference liquidates them at 21:03 / 21:04),
        # W2 at 21:02 (false), valued at the reference 3500 x 2 wBETH.
        self.assertEqual(self.ids(res, "venue", "wBETH"),
                         [("21:01", 2, 0, 8000), ("21:02", 1, 1, 7000)])
        self.assertEqual((v["wBETH"]["liquidations"], v["wBETH"]["false_liquidations"],
                          v["wBETH"]["missed"], v["wBETH"]["usdt_liquidated"],
                          v["wBETH"]["false_usdt_liquidated"]), (3, 1, 0, 15000, 7000))
        self.assertEqual(v["wBETH"]["genuine_timing"],
                         {"early": 2, "same_minute": 0, "late": 0, "late_minutes": 0})
        tot = res["methods"]["venue"]["total"]
        self.assertEqual((tot["liquidations"], tot["false_liquidations"], tot["usdt_liquidated"],
                          tot["false_usdt_liquidated"]), (5, 3, 17000, 9000))
        self.assertEqual(res["methods"]["venue"]["ticks_used"]["USDe"], {"trade": 3, "quote": 1})

    def test_oracle(self):
        res = self.run_sim()
        o = res["methods"]["oracle"]
        self.assertEqual(o["per_asset"]["USDe"]["liquidations"], 0)
        # The null-price mark at 21:03 keeps 3500; the STALE 3250 at 21:04 liquidates W1 (late,
        # but genuine); W3 (p_liq 3152) is missed.
        self.assertEqual(self.ids(res, "oracle", "wBETH"), [("21:04", 1, 0, 3100)])
        w = o["per_asset"]["wBETH"]
        self.assertEqual((w["liquidations"], w["false_liquidations"], w["missed"]), (1, 0, 1))
        self.assertEqual(w["genuine_timing"],
                         {"early": 0, "same_minute": 0, "late": 1, "late_minutes": 1})
        self.assertEqual(o["status_minutes"]["wBETH"],
                         {"OK": 2, "DEGRADED": 1, "UNAVAILABLE": 1, "STALE": 2})
        self.assertEqual(o["status_minutes"]["USDe"], {"OK": 6})

    def test_venue_price_modes(self):
        # Trades only: minute 0 has no USDe trade (only a quote) -> one minute without price.
        res = self.run_sim(venue_price="trade")
        self.assertEqual(res["methods"]["venue"]["per_asset"]["USDe"]["minutes_without_price"], 1)
        self.assertEqual(res["methods"]["venue"]["per_asset"]["USDe"]["liquidations"], 2)
        # Quote mids only: USDe stays at 1.0, wBETH mid 500 at 21:02 liquidates all three.
        res = self.run_sim(venue_price="mid")
        v = res["methods"]["venue"]["per_asset"]
        self.assertEqual(v["USDe"]["liquidations"], 0)
        self.assertEqual(self.ids(res, "venue", "wBETH"), [("21:02", 3, 1, 14000)])
        # Another venue: bybit's USDe mid 0.55 liquidates U1 and U3, not U2 (p_liq 0.526); no
        # wBETH ticks there.
        res = self.run_sim(venue="bybit")
        v = res["methods"]["venue"]["per_asset"]
        self.assertEqual((v["USDe"]["liquidations"], v["USDe"]["false_liquidations"]), (2, 2))
        self.assertEqual(v["wBETH"]["liquidations"], 0)
        self.assertEqual(v["wBETH"]["minutes_without_price"], 6)
        self.assertTrue(any("bybit has no WBETH-USDT prices" in n for n in res["notes"]))

    def test_scenario_without_collateral_assets(self):
        write_jsonl(self.paths["reference.jsonl"],
                    [{"time": t(0), "instrument": "USDC-USD", "price": "0.88"}])
        write_jsonl(self.paths["marks.jsonl"], [mark(t(0), "USDC-USD", "0.88")])
        write_jsonl(self.paths["ticks.jsonl"], [trade(t(0), "USDC-USDT", "0.87")])
        res = self.run_sim()
        self.assertTrue(res["skipped"])
        self.assertIn("no USDe/wBETH/BNSOL", res["reason"])

    def test_cli_table_and_json(self):
        p = self.paths
        cmd = [sys.executable, os.path.join(HERE, "margin_sim.py"), "--book", p["book.json"],
               "--marks", p["marks.jsonl"], "--ticks", p["ticks.jsonl"], "--reference",
               p["reference.jsonl"], "--venue", "binance"]
        out = subprocess.run(cmd + ["--json"], capture_output=True, text=True, check=True).stdout
        self.assertEqual(json.loads(out)["methods"]["venue"]["total"]["false_liquidations"], 3)
        table = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        self.assertIn("false USDT liquidated", table)
        self.assertRegex(table, r"venue\s+ALL\s+7\s+5\s+3\s+0\s+17,000.00\s+9,000.00")
        bad = subprocess.run(cmd[:-4] + ["--reference", "/nonexistent/ref.jsonl"],
                             capture_output=True, text=True)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("cannot read reference", bad.stderr)

    def test_bad_time_is_reported(self):
        write_jsonl(self.paths["ticks.jsonl"], TICKS + [trade("2025-10-10 21:06:00", "X-Y", "1")])
        with self.assertRaises(margin_sim.InputError) as cm:
            self.run_sim()
        self.assertIn("ticks.jsonl:%d" % (len(TICKS) + 1), str(cm.exception))


class MakeBookTest(unittest.TestCase):
    def test_deterministic_and_consistent(self):
        a = make_book.to_text(make_book.make_book(7, 300))
        b = make_book.to_text(make_book.make_book(7, 300))
        self.assertEqual(a, b)
        self.assertNotEqual(a, make_book.to_text(make_book.make_book(8, 300)))
        book = json.loads(a)
        self.assertEqual(len(book["accounts"]), 300)
        from decimal import Decimal
        for acc in book["accounts"]:
            self.assertIn(acc["asset"], ("USDe", "wBETH", "BNSOL"))
            v, lev, debt = (Decimal(acc[k]) for k in ("collateral_value_usdt", "leverage",
                                                       "debt_usdt"))
            self.assertTrue(Decimal(10) <= v <= Decimal(5000000))
            self.assertTrue(Decimal("1.2") <= lev <= Decimal(10))
            self.assertLessEqual(abs(debt - v * (1 - 1 / lev)), Decimal("0.01"))
        self.assertEqual(book["assets"]["USDe"]["maintenance_ratio"], "0.05")

    def test_book_runs_through_the_sim(self):
        with tempfile.TemporaryDirectory() as d:
            book = os.path.join(d, "book.json")
            with redirect_stdout(io.StringIO()):
                make_book.main(["--seed", "3", "--accounts", "200", "--out", "-"])
            with open(book, "w", encoding="utf-8") as f:
                f.write(make_book.to_text(make_book.make_book(3, 200)))
            write_jsonl(os.path.join(d, "t.jsonl"), TICKS)
            write_jsonl(os.path.join(d, "m.jsonl"), MARKS)
            write_jsonl(os.path.join(d, "r.jsonl"), REFERENCE)
            res = margin_sim.to_jsonable(margin_sim.run(
                book, os.path.join(d, "m.jsonl"), os.path.join(d, "t.jsonl"),
                os.path.join(d, "r.jsonl"), "binance"))
            n_usde = sum(1 for a in json.loads(open(book).read())["accounts"]
                         if a["asset"] == "USDe")
            u = res["methods"]["venue"]["per_asset"]["USDe"]
            self.assertEqual(u["accounts"], n_usde)
            # Every USDe liquidation under the venue is false (the reference stays at 1.0), and
            # the oracle liquidates no USDe account.
            self.assertGreater(u["liquidations"], 0)
            self.assertEqual(u["false_liquidations"], u["liquidations"])
            self.assertEqual(res["methods"]["oracle"]["per_asset"]["USDe"]["liquidations"], 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
