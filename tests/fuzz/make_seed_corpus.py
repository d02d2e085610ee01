#!/usr/bin/env python3
"""Builds the fuzzers' seed corpus: one file per real venue frame from ../shared/fixtures.

Usage: make_seed_corpus.py FIXTURES_DIR OUT_DIR VENUE...
Writes OUT_DIR/<venue>/<n> for every frame of the venue's fixture folder (JSON Lines: one frame a
line; .json: the whole file; cryptofeed .log: the frame after "<ts>: "). The corpus is generated,
never committed: the fixtures stay in ../shared.
"""
import os
import sys

FOLDER = {"gate": "gateio", "binance-usdm": "binance"}


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".json"):
        yield data
        return
    if path.endswith(".md"):
        return
    for line in data.splitlines():
        line = line.strip()
        if not line:
            continue
        if path.endswith(".log"):
            sep = line.find(b": ")
            if sep < 0:
                continue
            line = line[sep + 2:]
        yield line


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    fixtures, out = sys.argv[1], sys.argv[2]
    for venue in sys.argv[3:]:
        src = os.path.join(fixtures, FOLDER.get(venue, venue))
        dst = os.path.join(out, venue)
        os.makedirs(dst, exist_ok=True)
        n = 0
        if os.path.isdir(src):
            for name in sorted(os.listdir(src)):
                for frame in frames(os.path.join(src, name)):
                    if len(frame) > 4096:
                        continue
                    with open(os.path.join(dst, "seed_%05d" % n), "wb") as f:
                        f.write(frame)
                    n += 1
        print("%s: %d seed frames" % (venue, n))


if __name__ == "__main__":
    main()
