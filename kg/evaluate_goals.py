"""Scoring targets and observations against a hand-made gold file (``tests/gold/*.goals.json``).

A gold file holds, for one report, every target and observation written in its
body (one row per number, plus the qualitative targets of the main expected
targets), and every other number with the reason it is skipped.  Rows carry
``indicator, measure, comparator, value, unit, year, start, end, text``; ``start``
and ``end`` are the number's span, so ``report.text[start:end] == text``.

A predicted fact matches a gold row of the same kind when it has the same
``start``, ``value``, ``unit`` and ``comparator`` (the number was found, read and
classified right).  Indicator, measure and year are scored separately on the
matched pairs, so a wording difference in an indicator label does not hide a
correct number, and is still reported.
"""
from __future__ import annotations

import json
from typing import Optional

from kg.errors import KGError


def load_gold(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            gold = json.load(f)
    except OSError as e:
        raise KGError(f"cannot read gold file ({e.strerror})", path) from None
    except json.JSONDecodeError as e:
        raise KGError(f"gold file is not JSON ({e.msg} at line {e.lineno})", path) from None
    if not isinstance(gold, dict) or not isinstance(gold.get("targets"), list) or not isinstance(
            gold.get("observations"), list):
        raise KGError("gold file needs the keys 'targets' and 'observations' (lists)", path)
    return gold


def _key(row) -> tuple:
    get = row.get if isinstance(row, dict) else (lambda k: getattr(row, k))
    return (get("start"), str(get("value")), get("unit"), get("comparator"))


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score_kind(gold_rows: list[dict], predicted: list) -> dict:
    gold = {_key(r): r for r in gold_rows}
    pred = {_key(f): f for f in predicted}
    matched = [(gold[k], pred[k]) for k in gold if k in pred]
    out = _prf(len(matched), len(pred) - len(matched), len(gold) - len(matched))
    n = len(matched) or 1
    out["indicator_exact"] = round(sum(g["indicator"] == p.indicator for g, p in matched) / n, 4)
    # looser: one label contains the other (安排省级财政资金 / 省级财政资金)
    out["indicator_overlap"] = round(sum(bool(p.indicator) and (g["indicator"] in p.indicator or p.indicator in g["indicator"])
                                         for g, p in matched) / n, 4)
    out["measure_exact"] = round(sum(g.get("measure") == p.measure for g, p in matched) / n, 4)
    out["year_exact"] = round(sum(g.get("year") == p.year for g, p in matched) / n, 4)
    out["missed"] = [g["text"] for k, g in gold.items() if k not in pred]
    out["spurious"] = [p.surface for k, p in pred.items() if k not in gold]
    out["indicator_diffs"] = [(g["text"], g["indicator"], p.indicator) for g, p in matched
                              if g["indicator"] != p.indicator]
    return out


def score(gold: dict, result) -> dict:
    """Scores of a :class:`kg.model.Goals` against a gold dict."""
    return {"targets": score_kind(gold["targets"], result.targets),
            "observations": score_kind(gold["observations"], result.observations)}


def uncovered_numbers(text: str, gold: dict, start: int = 0, end: Optional[int] = None) -> list[tuple[int, str]]:
    """Digits and Chinese-numeral quantities in text[start:end] that no gold row accounts for."""
    import re

    from kg.extract.quantities import scan

    spans = [(r["start"], r["end"]) for k in ("targets", "observations", "skipped") for r in gold.get(k, [])]
    spans.sort()

    def covered(i: int) -> bool:
        return any(a <= i < b for a, b in spans)

    end = len(text) if end is None else end
    out = [(m.start(), m.group(0)) for m in re.finditer(r"[0-9０-９]+", text[:end]) if m.start() >= start
           and not all(covered(i) for i in range(m.start(), m.end()))]
    out += [(m.start, m.text) for m in scan(text, start, end) if not covered(m.start)]
    return sorted(set(out))


def evaluate_goals(gold_path: str, report_path: Optional[str] = None) -> dict:
    """Read, segment and extract the gold's report; return the scores."""
    import os

    from kg.extract.goals import extract_goals
    from kg.read import read_report
    from kg.segment import segment

    gold = load_gold(gold_path)
    if report_path is None:
        src = gold.get("source", "")
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(gold_path))))
        report_path = os.path.join(root, src)
    report = read_report(report_path)
    result = extract_goals(segment(report))
    s = score(gold, result)
    s["report"] = report.id
    s["uncovered"] = uncovered_numbers(report.text, gold, gold.get("body_start", 0))
    return s


def evaluate_excerpts(gold_path: str, root: Optional[str] = None) -> dict:
    """Score a gold file that annotates excerpts (``spans``) of several reports.

    Only predictions whose number lies inside an annotated span count, so the
    excerpts can be read by hand without annotating whole reports.
    """
    import os

    from kg.extract.goals import extract_goals
    from kg.read import read_report
    from kg.segment import segment

    try:
        with open(gold_path, encoding="utf-8") as f:
            golds = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise KGError(f"cannot read gold file ({e})", gold_path) from None
    root = root or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(gold_path))))
    gold_all: dict[str, list] = {"targets": [], "observations": []}
    pred_all: dict[str, list] = {"targets": [], "observations": []}
    for g in golds:
        report = read_report(os.path.join(root, g["source"]))
        res = extract_goals(segment(report))
        spans = g["spans"]

        def inside(x, spans=spans) -> bool:
            return any(a <= x.start < b for a, b in spans)

        for kind in ("targets", "observations"):
            # keys are made unique across reports by the report id
            gold_all[kind] += [{**r, "start": (report.id, r["start"])} for r in g[kind]]
            pred_all[kind] += [_Shifted(f, report.id) for f in getattr(res, kind) if inside(f)]
    return {kind: score_kind(gold_all[kind], pred_all[kind]) for kind in ("targets", "observations")}


class _Shifted:
    """A fact seen with a (report, start) key, for scoring several reports at once."""

    def __init__(self, fact, report_id: str):
        self._f = fact
        self.start = (report_id, fact.start)

    def __getattr__(self, name):
        return getattr(self._f, name)


def report_text(scores: dict, title: str) -> str:
    """Markdown lines for one scored gold file."""
    lines = [f"{title}", "", "| kind | gold | predicted | P | R | F1 | indicator exact | indicator overlap | measure exact | year exact |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for kind in ("targets", "observations"):
        s = scores[kind]
        lines.append(f"| {kind} | {s['tp'] + s['fn']} | {s['tp'] + s['fp']} | {s['precision']:.3f} | {s['recall']:.3f} | "
                     f"{s['f1']:.3f} | {s['indicator_exact']:.3f} | {s['indicator_overlap']:.3f} | {s['measure_exact']:.3f} | "
                     f"{s['year_exact']:.3f} |")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    """``python -m kg.evaluate_goals``: scores on the seed gold and the held-out excerpts."""
    import os
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    args = argv if argv is not None else sys.argv[1:]
    seed_gold = args[0] if args else os.path.join(root, "tests", "gold", "haining-2023.goals.json")
    heldout = args[1] if len(args) > 1 else os.path.join(root, "tests", "gold", "heldout.goals.json")
    try:
        s = evaluate_goals(seed_gold)
        print(report_text(s, f"seed ({s['report']}, development set)"))
        print(f"\nnumbers of the body not accounted for by the gold: {len(s['uncovered'])}")
        if os.path.exists(heldout):
            print()
            print(report_text(evaluate_excerpts(heldout), "held-out excerpts"))
    except KGError as e:
        print(f"kg: {e}", file=sys.stderr)
        return e.code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


class _Row:
    """A row of OUT/tables/targets.csv or observations.csv seen as a fact for scoring."""

    def __init__(self, r: dict):
        self.start = int(r["start"])
        self.value = r["value"]
        self.unit = r["unit"]
        self.comparator = r["comparator"] or "qualitative"
        self.indicator = r["indicator"]
        self.measure = r["measure"]
        self.year = int(r["year"]) if r.get("year") else None
        self.surface = r["surface"]


def score_tables(gold: dict, table) -> dict:
    """Score a build's tables against a goals gold dict: ``kg eval`` reads builds, not code.
    ``table(name)`` is the path of OUT/tables/<name>.csv (``kg.open(OUT).table``).

    Only rows of the gold's report count; with ``spans`` in the gold, only rows inside them.
    """
    import csv

    result = {}
    for kind in ("targets", "observations"):
        with open(table(kind), encoding="utf-8", newline="") as f:
            rows = [_Row(r) for r in csv.DictReader(f) if not gold.get("report") or r["report"] == gold["report"]]
        spans = gold.get("spans")
        if spans:
            rows = [r for r in rows if any(a <= r.start < b for a, b in spans)]
        elif gold.get("body_start"):
            rows = [r for r in rows if r.start >= gold["body_start"]]
        for r in rows:
            if r.comparator == "qualitative":
                r.value, r.unit = "", ""
        result[kind] = score_kind(gold[kind], rows)
    return result
