"""Per-report stage costs of ``kg build``, as ratios against ``jieba.lcut`` in the same run.

    python benchmarks/stages.py [--rounds 5] [--profile STAGE] [FILE ...]

Runs the per-report pure function of the build (``kg.pipeline.process`` then
``kg.pipeline.serialise``) stage by stage, in this process, over the reference
reports (seeds/haining-2023.txt and tests/data/corpus, or the files given), and
times each stage:

* read       ``read_report`` (decode, checks, metadata)
* segment    ``segment`` (outline, paragraphs, sentences …)
* entities   ``link.entities`` (mentions, entities, relations)
* goals      ``extract_goals`` (quantities, targets, observations)
* emit       ``emit_outline`` + ``emit_entities`` + ``emit_goals`` (+ de-duplication)
* tables     ``kg.tables.rows``
* serialise  ``kg.pipeline.serialise`` but the Turtle: own/shared split, ``write_nquads``
             of the report's own triples, the outline subset for the graph page
* turtle     ``write_turtle`` of the report's own triples

against ``jieba.lcut`` alone over the same texts (dictionary already loaded). Times are
CPU seconds of this process (``time.process_time``: waiting for a core on a shared machine
is not counted); each report is cut by jieba right before it goes through the stages, so
both sides see the same load. The table gives, over ``--rounds`` rounds, medians of the
sums over all reports. The bar is the whole build at <= 2.0x ``jieba.lcut``.

``--profile STAGE`` prints the cProfile of that stage instead (top 30 by own time).

Instructions, which a busy machine does not change: ``--only STAGE --passes N`` runs the
warm-up, then N passes of one stage (or ``lcut``) and prints nothing; under
``valgrind --tool=cachegrind --cache-sim=no`` the difference of the counts for
``--passes 1`` and ``--passes 0`` is that stage's instructions (``PYTHONHASHSEED=0``).
"""
from __future__ import annotations

import argparse
import glob
import io
import os
import platform
import statistics
import sys
import time
from typing import Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SOURCES = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "corpus", "*[0-9].txt"))) + [
    os.path.join(ROOT, "seeds", "haining-2023.txt")
]
_clock = time.process_time
STAGES = ("read", "segment", "entities", "goals", "emit", "tables", "serialise", "turtle")
_RESULT = {"read": "report", "segment": "outline", "emit": "triples"}  # where a stage's result is kept


def _stage_functions():
    """(name, function of the state dict) for each stage, in build order."""
    from kg import link
    from kg import tables as table_rows
    from kg.emit import emit
    from kg.extract.goals import extract_goals
    from kg.iri import Minter
    from kg.namespace import PREFIXES
    from kg.rdfterms import write_nquads, write_turtle
    from kg.read import read_report
    from kg.segment import segment

    def triples(st):  # what kg.pipeline.process does
        return emit(st["outline"], st["entities"], st["goals"], Minter(st["base"], st["report"].id, st["report"].text))

    def tables(st):
        return table_rows.rows(st["outline"], st["entities"], st["goals"], Minter(st["base"], st["report"].id, st["report"].text))

    def serialise(st):  # what kg.pipeline.serialise does but the Turtle
        m = Minter(st["base"], st["report"].id, st["report"].text)
        own, shared = m.split(st["triples"])
        buf = io.StringIO()
        write_nquads([(m.report(), own)], buf)
        return own, shared, buf.getvalue()

    def turtle(st):
        buf = io.StringIO()
        write_turtle(st["serialise"][0], buf, PREFIXES, header=False)
        return buf.getvalue()

    return [
        ("read", lambda st: read_report(st["path"])),
        ("segment", lambda st: segment(st["report"])),
        ("entities", lambda st: link.entities(st["outline"])),
        ("goals", lambda st: extract_goals(st["outline"])),
        ("emit", triples),
        ("tables", tables),
        ("serialise", serialise),
        ("turtle", turtle),
    ]


def run_stages(path: str, base: str, clock: dict[str, float], profile: Optional[tuple] = None) -> dict:
    """One report through the build's per-report work, adding each stage's seconds to ``clock``.

    ``profile`` = (stage name, cProfile.Profile): that stage runs under the profiler.
    Returns the state: every stage's result, by the name the next stages read it under.
    """
    st: dict = {"path": path, "base": base}
    for name, fn in _stage_functions():
        if profile and profile[0] == name:
            profile[1].enable()
        t0 = _clock()
        st[_RESULT.get(name, name)] = fn(st)
        clock[name] += _clock() - t0
        if profile and profile[0] == name:
            profile[1].disable()
    return st


def lcut_seconds(text: str) -> float:
    import jieba

    t0 = _clock()
    jieba.lcut(text)
    return _clock() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="report files (default: the seed and tests/data/corpus)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", choices=STAGES, help="print the cProfile of one stage instead of the table")
    ap.add_argument("--only", choices=STAGES + ("lcut",),
                    help="after the warm-up, run only this stage (or jieba.lcut) --passes times, print nothing: "
                         "for an instruction count, run under cachegrind with --passes 1 and 0 and subtract")
    ap.add_argument("--passes", type=int, default=1)
    args = ap.parse_args()
    from kg.iri import DEFAULT_BASE

    paths = args.files or SOURCES
    texts = [open(p, encoding="utf-8").read() for p in paths]
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    # warm up: dictionaries, gazetteer, lexicons, regex caches (not part of per-report work)
    warm = {s: 0.0 for s in STAGES}
    states = [run_stages(p, DEFAULT_BASE, warm) for p in paths]
    if args.only:
        fn = dict(_stage_functions()).get(args.only, lambda st: jieba.lcut(st["report"].text))
        for _ in range(args.passes):
            for st in states:
                fn(st)
        return
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        for p in paths:
            run_stages(p, DEFAULT_BASE, warm, (args.profile, prof))
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return
    base_runs: list[float] = []
    stage_runs: dict[str, list[float]] = {s: [] for s in STAGES}
    for _ in range(args.rounds):
        clock = {s: 0.0 for s in STAGES}
        lcut_sum = 0.0
        for p, text in zip(paths, texts):  # report by report, so both sides see the same load
            lcut_sum += lcut_seconds(text)
            run_stages(p, DEFAULT_BASE, clock)
        base_runs.append(lcut_sum)
        for s in STAGES:
            stage_runs[s].append(clock[s])
    lcut = statistics.median(base_runs)
    chars = sum(len(t) for t in texts)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"reports: {len(paths)}, {chars:,} characters; rounds: {args.rounds} (medians)\n")
    print("| stage | seconds | vs `jieba.lcut` |")
    print("|---|---|---|")
    total = 0.0
    for s in STAGES:
        v = statistics.median(stage_runs[s])
        total += v
        print(f"| {s} | {v:.3f} | {v / lcut:.2f}x |")
    print(f"| **all stages** | {total:.3f} | {total / lcut:.2f}x |")
    print(f"| `jieba.lcut` (baseline) | {lcut:.3f} | 1.00x |")


if __name__ == "__main__":
    main()
