"""Cost of the goals stage (quantities, targets, observations), as ratios measured in the same run.

    python benchmarks/goals.py [--rounds 5]

For the seed and every report of tests/data/corpus, times (already segmented):

* ``kg.extract.goals.extract_goals`` (scan every sentence for numbers, classify, find indicators),
* ``kg.segment.segment`` of the same reports (the stage it follows),
* ``jieba.lcut`` over the same texts (dictionary loaded; no HMM), the project's usual baseline,

and prints the ratios goals/segment and goals/jieba, medians over ``--rounds``
alternating rounds so a noisy shared machine moves all sides alike.
"""
from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from kg.extract.goals import extract_goals  # noqa: E402
from kg.read import read_report  # noqa: E402
from kg.segment import segment  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    paths = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "corpus", "*[0-9].txt")))
    paths.append(os.path.join(ROOT, "seeds", "haining-2023.txt"))
    reports = [read_report(p) for p in paths]
    outlines = [segment(r) for r in reports]
    chars = sum(len(r.text) for r in reports)

    def t_goals():
        for o in outlines:
            extract_goals(o)

    def t_segment():
        for r in reports:
            segment(r)

    def t_jieba():
        for r in reports:
            jieba.lcut(r.text, HMM=False)

    times: dict[str, list[float]] = {"goals": [], "segment": [], "jieba": []}
    for _ in range(args.rounds):
        for name, fn in (("goals", t_goals), ("segment", t_segment), ("jieba", t_jieba)):
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    n = sum(len(res.targets) + len(res.observations) for res in (extract_goals(o) for o in outlines))
    print(f"{len(reports)} reports, {chars} characters, {n} targets and observations, {args.rounds} rounds (medians)\n")
    print("| stage | seconds | ratio to jieba.lcut | ratio to segment |")
    print("|---|---|---|---|")
    for k in ("goals", "segment", "jieba"):
        print(f"| {k} | {med[k]:.3f} | {med[k] / med['jieba']:.2f} | {med[k] / med['segment']:.2f} |")


if __name__ == "__main__":
    main()
