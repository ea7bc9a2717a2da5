"""Pooled precision/recall of the extractor over the seed and every dev gold file, per type and per rule:

    python tests/gold/pool.py [--fp TYPE] [--exclude REPORT,...]

Dev files are every tests/gold/*.entities.json except the seed (scored over their ``ranges``).
``--fp TYPE`` lists the false positives (and, with ``--fn``, the misses) of one type."""
from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from kg.evaluate import ENTITY_TYPES, gold_ranges
from kg.extract.entities import extract_mentions, sentence_spans
from kg.read import read_report

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold"
CORE = ("company", "project", "industry", "place")


def _text_path(report: str) -> Path:
    for p in (ROOT / "seeds" / f"{report}.txt", ROOT / "tests" / "data" / "corpus" / f"{report}.txt",
              ROOT / "tests" / "data" / "unseen" / f"{report}.txt"):
        if p.exists():
            return p
    raise FileNotFoundError(report)


def score(report: str):
    gold = json.loads((GOLD / f"{report}.entities.json").read_text(encoding="utf-8"))
    path = _text_path(report)
    text = path.read_text(encoding="utf-8")
    rng = gold_ranges(gold) or [(0, len(text))]
    inside = lambda s, e: any(a <= s and e <= b for a, b in rng)
    ms = [m for m in extract_mentions(text, sentence_spans(text), issuer=read_report(str(path)).issuer)
          if inside(m.start, m.end)]
    g = {(r["type"], r["start"], r["end"]) for r in gold["entities"] if inside(r["start"], r["end"])}
    return text, ms, g


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--fp", default="")
    ap.add_argument("--fn", action="store_true")
    ap.add_argument("--exclude", default="")
    ap.add_argument("--per-report", action="store_true", help="also print each file's core precision (n)")
    a = ap.parse_args(argv)
    reports = sorted(p.name.split(".")[0] for p in GOLD.glob("*.entities.json"))
    reports = [r for r in reports if r not in a.exclude.split(",")]
    for group, names in (("seed", ["haining-2023"]), ("dev", [r for r in reports if r != "haining-2023"])):
        tot = collections.Counter()
        by_rule = collections.Counter()
        for r in names:
            text, ms, g = score(r)
            pred = {(m.type, m.start, m.end) for m in ms}
            for m in ms:
                ok = (m.type, m.start, m.end) in g
                tot[m.type, "tp" if ok else "fp"] += 1
                by_rule[m.type, m.rule, ok] += 1
                if not ok and m.type == a.fp:
                    print(f"FP {r} {m.rule:<10} {m.surface} | {text[max(0, m.start - 8):m.end + 6]!r}")
            if a.per_report:
                cells = []
                for t in CORE:
                    tp = sum(1 for m in ms if m.type == t and (m.type, m.start, m.end) in g)
                    n = sum(1 for m in ms if m.type == t)
                    cells.append(f"{t} {tp / n:.2f} ({n})" if n else f"{t} – (0)")
                print(f"  {r:<16} " + " | ".join(cells))
            for t, s, e in g - pred:
                tot[t, "fn"] += 1
                if a.fn and t == a.fp:
                    print(f"FN {r} {text[s:e]} | {text[max(0, s - 8):e + 6]!r}")
        print(f"== {group} ({len(names)} files)")
        for t in ENTITY_TYPES:
            tp, fp, fn = tot[t, "tp"], tot[t, "fp"], tot[t, "fn"]
            p = tp / (tp + fp) if tp + fp else 0
            rc = tp / (tp + fn) if tp + fn else 0
            f = 2 * p * rc / (p + rc) if p + rc else 0
            rules = " ".join(f"{ru}:{by_rule[t, ru, True]}/{by_rule[t, ru, True] + by_rule[t, ru, False]}"
                             for ru in sorted({k[1] for k in by_rule if k[0] == t}))
            print(f"{t:<13} P={p:.3f} R={rc:.3f} F={f:.3f} tp={tp} fp={fp} fn={fn}  [{rules}]")


if __name__ == "__main__":
    main()
