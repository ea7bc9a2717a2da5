"""How many place, company and organization mentions of the gold files the lexicons know.

    python benchmarks/lexicon_coverage.py [tests/gold/*.entities.json]

A mention counts as covered when its exact surface is a name in kg/lexicons.py with an entry
of the same type ("same type") or of any type ("any type"); figures are given per mention and
per distinct surface. The lists come from their public sources only: this measures them, it
does not feed them.
"""
from __future__ import annotations

import glob
import json
import os
import sys
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from kg import lexicons  # noqa: E402

TYPES = ("place", "company", "organization")


def coverage(paths: list[str]) -> dict[str, dict[str, int]]:
    mentions = {t: Counter() for t in TYPES}
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for e in json.load(fh)["entities"]:
                if e["type"] in mentions:
                    mentions[e["type"]][e["surface"]] += 1
    out = {}
    for t, surfaces in mentions.items():
        same = {s for s in surfaces if lexicons.lookup(s, t)}
        anyt = {s for s in surfaces if lexicons.lookup(s)}
        out[t] = {
            "mentions": sum(surfaces.values()),
            "mentions_same": sum(surfaces[s] for s in same),
            "mentions_any": sum(surfaces[s] for s in anyt),
            "surfaces": len(surfaces),
            "surfaces_same": len(same),
            "surfaces_any": len(anyt),
        }
    return out


def main(argv: list[str]) -> None:
    paths = argv or sorted(glob.glob(os.path.join(ROOT, "tests", "gold", "*.entities.json")))
    res = coverage(paths)
    print(f"{len(paths)} gold files")
    print(f"{'type':<13}{'mentions':>9}{'same type':>16}{'any type':>16}"
          f"{'surfaces':>10}{'same type':>16}{'any type':>16}")
    for t, r in res.items():
        def pct(a, b):
            return f"{a:>6} ({a / b:5.1%})" if b else f"{a:>6} (  -  )"
        print(f"{t:<13}{r['mentions']:>9}{pct(r['mentions_same'], r['mentions']):>16}"
              f"{pct(r['mentions_any'], r['mentions']):>16}{r['surfaces']:>10}"
              f"{pct(r['surfaces_same'], r['surfaces']):>16}{pct(r['surfaces_any'], r['surfaces']):>16}")


if __name__ == "__main__":
    main(sys.argv[1:])
