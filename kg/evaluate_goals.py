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

The passage gold (``tests/gold/passages``: passages of many reports, every numeral marked by an
annotator who read only the text) is scored by span overlap and kind instead
(:func:`score_passages`): ``python -m kg.evaluate_goals passages --split dev`` runs the code,
``kg eval OUT tests/gold/passages --split dev`` scores a build.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

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


def uncovered_numbers(text: str, gold: dict, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
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


def evaluate_goals(gold_path: str, report_path: str | None = None) -> dict:
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


def evaluate_excerpts(gold_path: str, root: str | None = None) -> dict:
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


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.evaluate_goals``: scores on the seed gold and the held-out excerpts;
    ``python -m kg.evaluate_goals passages …``: scores on the passage gold (:func:`main_passages`)."""
    import os
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    args = argv if argv is not None else sys.argv[1:]
    if args[:1] == ["passages"]:
        return main_passages(args[1:])
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



class _Row:
    """A row of OUT/tables/targets.csv or observations.csv seen as a fact for scoring."""

    def __init__(self, r: dict):
        self.start = int(r["start"])
        self.end = int(r["end"])
        self.value_max = r.get("value_max", "")
        self.norm_value = r.get("norm_value", "")
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



# ----------------------------------------------------------------------------- passage gold
# tests/gold/passages: passages of many reports in which an annotator who read only the text
# marked every numeral (format: the docstring of tests/gold/passages/tool.py). A predicted fact
# matches a gold row of its kind (target, or result = observation) when their spans overlap.

GOLD_KIND = {"target": "targets", "qualitative": "targets", "result": "observations"}
KINDS = ("targets", "observations")


def load_passages(folder: str, split: str) -> list[dict]:
    """The number passages of one split, each with its gold rows (report offsets).

    The annotation format has one reader, tests/gold/passages/tool.py (kg.extract.gold.passages_tool),
    here pointed at ``folder``'s passages.tsv and ann/."""
    import os

    from kg.extract import gold

    if not os.path.isfile(os.path.join(folder, "passages.tsv")):
        raise KGError("not a passages folder (no passages.tsv)", folder)
    tool = gold.passages_tool(os.path.abspath(folder))
    out = []
    for p in tool.passages():
        if p["kind"] != "numbers" or p["split"] != split or not tool.ann_path(p["id"]).exists():
            continue
        rows, problems = tool.parse(p)
        if problems:
            raise KGError(f"annotation problem: {problems[0]}", p["id"])
        out.append({**p, "gold": rows})
    if not out:
        raise KGError(f"no annotated number passages in split {split!r}", folder)
    return out


def signed_value(f) -> str:
    """A fact's value as the passage gold writes it: a decrease negative, a range ``a-b``."""
    v = str(f.value)
    if f.value_max:
        v = f"{v}-{f.value_max}"
    if str(f.norm_value).startswith("-") and not v.startswith("-"):
        v = "-" + v
    return v


def same_value(gold: str, predicted: str) -> bool:
    """``3800`` = ``3,800`` = ``3800.0``; ``5-6`` a range; ``-5`` a decrease."""
    from decimal import Decimal, InvalidOperation

    def parts(v: str) -> list:
        neg = v.startswith("-")
        try:
            return [(-1 if neg else 1) * Decimal(x.replace(",", "")) for x in (v[1:] if neg else v).split("-")]
        except InvalidOperation:
            return [v]

    return parts(gold) == parts(predicted)


def match_passage(gold_rows: list[dict], predicted: list, kind: str) -> tuple[list[tuple[dict, Any]], list[dict], list]:
    """Pairs of a gold row and a predicted fact of one kind whose spans overlap, one to one (each
    gold row, in text order, takes the free prediction it overlaps most); then the unmatched of each."""
    gold = [r for r in gold_rows if GOLD_KIND.get(r["kind"]) == kind]
    free = list(predicted)
    pairs = []
    for g in gold:
        best, best_overlap = None, 0
        for p in free:
            overlap = min(g["end"], p.end) - max(g["start"], p.start)
            if overlap > best_overlap:
                best, best_overlap = p, overlap
        if best is not None:
            pairs.append((g, best))
            free.remove(best)
    paired = {id(g) for g, _ in pairs}
    return pairs, [g for g in gold if id(g) not in paired], free


def load_label_verdicts(path: str) -> dict[tuple[str, int, str], str]:
    """A reader's verdicts on indicator labels (``labels.tsv``: report, start, label, verdict ok|bad, gold)."""
    import csv
    import os

    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        return {(r["report"], int(r["start"]), r["label"]): r["verdict"] for r in csv.DictReader(f, delimiter="\t")}


def score_passages(passages: list[dict], predict: Callable[[str], tuple[list, list]],
                   verdicts: dict | None = None) -> dict:
    """Target and result precision, recall and F1 by span overlap and kind; on the matched pairs the
    share with the value, the unit, the comparator and the measure right, and with an indicator
    label judged acceptable (``verdicts``; pairs without a verdict are listed in ``unjudged``).

    ``predict(report_id) -> (targets, observations)``, facts with report offsets."""
    verdicts = verdicts or {}
    out: dict = {}
    for i, kind in enumerate(KINDS):
        tp = fp = fn = 0
        right = {"value": 0, "unit": 0, "comparator": 0, "measure": 0}
        ok = bad = 0
        errors: list[dict] = []
        unjudged: list[dict] = []
        for p in passages:
            inside = [f for f in predict(p["report"])[i] if p["start"] <= f.start < p["end"]]
            pairs, missed, spurious = match_passage(p["gold"], inside, kind)
            tp, fp, fn = tp + len(pairs), fp + len(spurious), fn + len(missed)
            errors += [{"passage": p["id"], "error": "missed", "gold": g} for g in missed]
            errors += [{"passage": p["id"], "error": "spurious", "fact": f} for f in spurious]
            for g, f in pairs:
                if g["kind"] == "qualitative":
                    checks = dict.fromkeys(right, True)
                else:
                    checks = {"value": same_value(g["value"], signed_value(f)), "unit": g["unit"] == f.unit,
                              "comparator": g["comparator"] == f.comparator,
                              "measure": g["measure"] == f.measure or {g["measure"], f.measure} == {"share", "level"}}
                for k, v in checks.items():
                    right[k] += v
                if not (checks["value"] and checks["unit"]):
                    errors.append({"passage": p["id"], "error": "value/unit", "gold": g, "fact": f})
                verdict = verdicts.get((p["report"], f.start, f.indicator))
                ok, bad = ok + (verdict == "ok"), bad + (verdict == "bad")
                if verdict not in ("ok", "bad"):
                    unjudged.append({"report": p["report"], "start": f.start, "label": f.indicator,
                                     "gold": g.get("indicator", ""), "surface": g["surface"]})
        s = _prf(tp, fp, fn)
        s.update({k: round(v / tp, 4) if tp else None for k, v in right.items()})
        s.update(label_ok=round(ok / (ok + bad), 4) if ok + bad else None, label_judged=ok + bad,
                 errors=errors, unjudged=unjudged)
        out[kind] = s
    return out


def predict_from_reports(reports_dir: str) -> Callable[[str], tuple[list, list]]:
    """``predict(report_id)``: the goal stage run on ``<reports_dir>/<report_id>.txt`` (each once)."""
    import functools
    import os

    from kg.extract.goals import extract_goals
    from kg.read import read_report
    from kg.segment import segment

    @functools.cache
    def predict(report_id: str) -> tuple[list, list]:
        res = extract_goals(segment(read_report(os.path.join(reports_dir, report_id + ".txt"))))
        return list(res.targets), list(res.observations)

    return predict


def predict_from_tables(table: Callable[[str], Any]) -> Callable[[str], tuple[list, list]]:
    """``predict(report_id)``: the rows of a build's targets and observations tables
    (``table(name)`` is the path of OUT/tables/<name>.csv, ``kg.open(OUT).table``)."""
    import csv

    facts: dict[str, tuple[list, list]] = {}
    for i, kind in enumerate(KINDS):
        with open(table(kind), encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                facts.setdefault(r["report"], ([], []))[i].append(_Row(r))

    def predict(report_id: str) -> tuple[list, list]:
        if report_id not in facts:
            raise KGError(f"the build has no report {report_id!r} (build every report of the split)")
        return facts[report_id]

    return predict


def passages_text(scores: dict, title: str) -> str:
    """Markdown lines for the passage scores of one split."""
    def f(x) -> str:
        return "—" if x is None else f"{x:.3f}"

    lines = [title, "", "| kind | gold | predicted | P | R | F1 | value | unit | comparator | measure | label ok (judged) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for kind, name in zip(KINDS, ("targets", "results")):
        s = scores[kind]
        lines.append(f"| {name} | {s['tp'] + s['fn']} | {s['tp'] + s['fp']} | {f(s['precision'])} | {f(s['recall'])} | "
                     f"{f(s['f1'])} | {f(s['value'])} | {f(s['unit'])} | {f(s['comparator'])} | {f(s['measure'])} | "
                     f"{f(s['label_ok'])} ({s['label_judged']}) |")
    return "\n".join(lines)


def errors_text(scores: dict) -> str:
    """One line per error: missed and spurious facts, wrong values or units, unjudged labels."""
    lines = []
    for kind in KINDS:
        for e in scores[kind]["errors"]:
            g, f = e.get("gold"), e.get("fact")
            gold = f"{g['surface']} {g['kind']} {g.get('indicator', '')} {g.get('value', '')} {g.get('unit', '')}" if g else ""
            fact = f"{f.surface} {f.indicator} {signed_value(f)} {f.unit}" if f else ""
            lines.append(f"{kind}\t{e['passage']}\t{e['error']}\tgold: {gold}\tpredicted: {fact}")
        for u in scores[kind]["unjudged"]:
            lines.append(f"{kind}\t{u['report']}\tunjudged\t{u['start']}\t{u['label']}\tgold: {u['gold']}")
    return "\n".join(lines)


def evaluate_passages(table: Callable[[str], Any], folder: str | os.PathLike, split: str = "dev") -> dict:
    """The passage scores of a build's tables (``kg.open(OUT).evaluate(folder, split=…)``), with a ``title``."""
    folder = str(folder)
    passages = load_passages(folder, split)
    s = score_passages(passages, predict_from_tables(table), load_label_verdicts(os.path.join(folder, "labels.tsv")))
    s["title"] = f"{split}: {len(passages)} passages of {len({p['report'] for p in passages})} reports"
    return s


def main_passages(argv: list[str]) -> int:
    """``python -m kg.evaluate_goals passages [--split dev] [--out OUT] [--errors]``."""
    import argparse
    import sys

    from kg import open as kg_open

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(prog="python -m kg.evaluate_goals passages")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--folder", default=os.path.join(root, "tests", "gold", "passages"))
    ap.add_argument("--reports", default=os.path.join(root, "tests", "data", "reports"))
    ap.add_argument("--out", help="score the tables of this build instead of running the code")
    ap.add_argument("--errors", action="store_true", help="list every error and unjudged label")
    a = ap.parse_args(argv)
    try:
        passages = load_passages(a.folder, a.split)
        predict = predict_from_tables(kg_open(a.out).table) if a.out else predict_from_reports(a.reports)
        s = score_passages(passages, predict, load_label_verdicts(os.path.join(a.folder, "labels.tsv")))
    except KGError as e:
        print(f"kg: {e}", file=sys.stderr)
        return e.code
    n = len({p["report"] for p in passages})
    print(passages_text(s, f"{a.split}: {len(passages)} passages of {n} reports"))
    if a.errors:
        print(errors_text(s))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
