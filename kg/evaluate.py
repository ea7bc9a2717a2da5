"""`kg eval OUT GOLD.json`: precision, recall and F1 of a build against a hand-made gold file.

A gold file is a JSON object for one report with optional top-level keys, one per kind of
fact; each key has its own scorer in ``SCORERS`` (entities here; other stages add theirs,
e.g. "targets" and "observations", by registering a function with the same signature):

    {"report": "haining-2023",
     "range": [0, 7979],                     # the part of the text that was annotated
                                             # ("ranges": [[a, b], [c, d]] for several parts)
     "entities": [{"type": "place", "surface": "袁花镇", "start": 4289, "end": 4292}, …]}

Entities are matched exactly on (type, start, end): a mention counts only when the span
and the type are both right. Only predictions inside ``range`` are scored, so a gold file
may cover part of a long report.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from kg.errors import KGError

ENTITY_TYPES = ("company", "project", "industry", "place", "organization", "platform", "initiative", "event")


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_spans(pred: Iterable[tuple[str, int, int]], gold: Iterable[tuple[str, int, int]],
                types: Iterable[str], rng=None) -> dict[str, Score]:
    """Per-type exact-match scores, plus ``"all"`` (micro) over the given types.

    ``rng`` limits the predictions scored: one (start, end) pair or a list of them."""
    types = tuple(types)
    if not rng:
        ranges = [(0, 1 << 62)]
    elif isinstance(rng[0], int):
        ranges = [tuple(rng)]
    else:
        ranges = [tuple(r) for r in rng]
    p = {x for x in pred if x[0] in types and any(lo <= x[1] and x[2] <= hi for lo, hi in ranges)}
    g = {x for x in gold if x[0] in types}
    out = {}
    for t in types:
        pt = {x for x in p if x[0] == t}
        gt = {x for x in g if x[0] == t}
        out[t] = Score(len(pt & gt), len(pt - gt), len(gt - pt))
    out["all"] = Score(len(p & g), len(p - g), len(g - p))
    return out


# --------------------------------------------------------------------------- gold and predictions
def load_gold(path: str | os.PathLike) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            gold = json.load(fh)
    except FileNotFoundError:
        raise KGError("no such gold file", where=str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise KGError(f"not a JSON gold file ({e.__class__.__name__})", where=str(path)) from None
    if not isinstance(gold, dict):
        raise KGError("gold must be a JSON object with keys such as 'entities'", where=str(path))
    kinds = set(SCORERS) | set(FACT_KEYS)
    known = {"report", "range", "ranges", "text"} | kinds | GOALS_GOLD_KEYS
    if not (set(gold) & kinds):
        raise KGError(f"gold has none of the keys {sorted(kinds)}", where=str(path))
    unknown = set(gold) - known
    if unknown:
        raise KGError(f"gold has unknown keys {sorted(unknown)}", where=str(path))
    for i, row in enumerate(gold.get("entities", [])):
        if not isinstance(row, dict) or not {"type", "start", "end"} <= set(row):
            raise KGError(f"entities[{i}] lacks type/start/end", where=str(path))
        if row["type"] not in ENTITY_TYPES:
            raise KGError(f"entities[{i}] has unknown type {row['type']!r}", where=str(path))
    return gold


# A build's tables: name -> the path of OUT/tables/<name>.csv (kg.Build.table).
Tables = Callable[[str], Path]


def mentions_from_tables(table: Tables, report: Optional[str]) -> list[tuple[str, int, int]]:
    """(type, start, end) of every mention the build wrote to tables/mentions.csv."""
    rows = []
    with open(table("mentions"), encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if report and r.get("report") != report:
                continue
            rows.append((r["type"], int(r["start"]), int(r["end"])))
    return rows


def _score_entities(gold: dict, table: Tables) -> dict[str, Score]:
    report = gold.get("report")
    pred = mentions_from_tables(table, report)
    g = [(r["type"], r["start"], r["end"]) for r in gold["entities"]]
    return score_spans(pred, g, ENTITY_TYPES, gold_ranges(gold))


def gold_ranges(gold: dict):
    """The annotated parts of the text: ``ranges`` or ``range``; None for the whole text."""
    if gold.get("ranges"):
        return [tuple(r) for r in gold["ranges"]]
    if gold.get("range"):
        return [tuple(gold["range"])]
    return None


def _goals_scorer(kind: str) -> Callable[[dict, Tables], dict[str, Score]]:
    """Targets or observations: matched on start, value and unit as written, and comparator."""

    def score(gold: dict, table: Tables) -> dict[str, Score]:
        from kg.evaluate_goals import score_tables

        s = score_tables({"targets": [], "observations": [], **gold}, table)[kind]
        return {"all": Score(s["tp"], s["fp"], s["fn"])}

    return score


# keys of a goals gold file (tests/gold/*.goals.json) beside targets and observations
GOALS_GOLD_KEYS = {"source", "note", "body_start", "skipped", "spans"}

# Other stages register here: key of the gold file -> scorer(gold, tables) -> {label: Score}.
SCORERS: dict[str, Callable[[dict, Tables], dict[str, Score]]] = {
    "entities": _score_entities, "targets": _goals_scorer("targets"), "observations": _goals_scorer("observations")}
# Keys a gold file may hold; those without a registered scorer are accepted and not scored.
FACT_KEYS = ("entities", "targets", "observations")


def evaluate(table: Tables, gold_path: str | os.PathLike) -> dict[str, dict[str, Score]]:
    """Scores of a build's tables (``kg.open(OUT).table``) against the gold file, by key."""
    gold = load_gold(gold_path)
    return {key: fn(gold, table) for key, fn in SCORERS.items() if key in gold}


def format_scores(results: dict[str, dict[str, Score]]) -> str:
    lines = []
    for key, scores in results.items():
        lines.append(f"{key:<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
        for label, s in scores.items():
            lines.append(f"  {label:<12}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:6d}{s.fp:6d}{s.fn:6d}")
    return "\n".join(lines)
