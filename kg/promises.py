"""Promises and results: each target a report sets, beside the result that a later report of the
same issuer states for the same year, both in one unit.

Reads a build folder: ``OUT/tables/targets.csv`` and ``observations.csv`` (value and unit as
written, and normalised to a base unit: ``norm_value``, ``norm_unit``), and, from the graph,
each report's issuer and which indicators are broader than which (``skos:broader``). Writes
``OUT/tables/promises.csv``; the page shows the same rows as a table.

The convention handled: a report's main expected targets for its year, such as 浙江 2025's

    全省生产总值增长5.5%左右

are reported on in the next year's review (浙江 2026: 全省生产总值……增长5.5%). A target is
matched with a result of another report of the same issuer for the same year and measure
(level, growth rate, change), on the same indicator, a broader or narrower one, or one with the
same broader concept, and in the same base unit (a length is never set against an area). Both
are then shown in the unit the target was written in (万亩, 亿元, %): a result written as
130966.46 m² beside a target of 3.486667 hectares is shown as 13.1 公顷 against 3.49.
"""
from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.files import atomic_write
from kg.namespace import DCTERMS, GR, SKOS

COLUMNS = ["report", "section", "indicator", "measure", "year", "comparator", "target", "target_unit",
           "result", "result_unit", "result_report", "result_section", "result_indicator", "unit",
           "target_in_unit", "result_in_unit", "met", "target_text", "result_text", "target_id", "result_id"]

# Comparator spellings (targets.csv's short codes, the ontology's local names) -> what ``met`` tests.
AT_LEAST = {"ge", "gt", "eq", "approx", "AtLeast", "MoreThan", "Equal", "Approximately", ""}
AT_MOST = {"le", "lt", "AtMost", "LessThan"}
RANGE = {"range", "InRange"}


def _iri(term: str) -> str:
    return term.strip("<>")


def _num(text: str | None) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def fmt(x: Decimal | None) -> str:
    """A number as people write it: at most 4 decimals, no trailing zeros, no exponent."""
    if x is None:
        return ""
    q = x.quantize(Decimal(1)) if x == x.to_integral() else x.quantize(Decimal("0.0001"))
    text = format(q.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _graph_facts(out: Path) -> tuple[dict[str, tuple[str, int]], dict[str, set[str]]]:
    """Report id -> (issuer, year), and indicator IRI -> its broader indicators, from the
    build's graph (only the lines that carry them are parsed)."""
    import pyoxigraph as ox

    from kg.viz.load import graph_file, statements_with

    issuer_p, year_p, ident_p, broader_p = _iri(GR.issuer), _iri(GR.year), _iri(DCTERMS.identifier), _iri(SKOS.broader)
    issuer, year, ident, broader = {}, {}, {}, defaultdict(set)
    for q in statements_with(graph_file(out), frozenset((issuer_p, year_p, ident_p, broader_p))):
        if not isinstance(q.subject, ox.NamedNode) or not isinstance(q.object, (ox.NamedNode, ox.Literal)):
            continue
        p, s, o = q.predicate.value, q.subject.value, q.object.value
        if p == issuer_p:
            issuer[s] = o
        elif p == year_p:
            year[s] = int(o) if o.isdigit() else 0
        elif p == ident_p:
            ident[s] = o
        else:
            broader[s].add(o)
    return {ident[r]: (i, year.get(r, 0)) for r, i in issuer.items() if r in ident}, broader


def _comparable(a: str, b: str, broader: dict[str, set[str]]) -> int | None:
    """How near two indicators are: 0 the same, 1 one broader than the other, 2 the same broader
    concept; None when not comparable."""
    if a == b:
        return 0
    if b in broader.get(a, ()) or a in broader.get(b, ()):
        return 1
    if broader.get(a, set()) & broader.get(b, set()):
        return 2
    return None


def met(comparator: str, target: Decimal, target_max: Decimal | None, result: Decimal) -> bool:
    """Whether ``result`` keeps the promise: at least the target (以上, 突破, 左右, a plain figure),
    at most it (以内), or inside the range."""
    if comparator in AT_MOST:
        return result <= target
    if comparator in RANGE:
        return result >= target and (target_max is None or result <= target_max)
    return result >= target


def promises(out: str | os.PathLike) -> list[dict]:
    """One row per quantified target of the build (COLUMNS), with the matching result where a
    later report of the same issuer states one; rows in report and text order."""
    out = Path(out)
    targets = [t for t in _rows(out / "tables" / "targets.csv") if _num(t.get("norm_value")) is not None]
    observations = _rows(out / "tables" / "observations.csv")
    if not targets:
        return []
    reports, broader = _graph_facts(out)
    by_key = defaultdict(list)
    for o in observations:
        if _num(o.get("norm_value")) is not None and o["report"] in reports:
            by_key[(reports[o["report"]][0], o["year"], o["measure"], o["norm_unit"])].append(o)
    rows = []
    for t in targets:
        row = {c: "" for c in COLUMNS}
        row.update(report=t["report"], section=t["section"], indicator=t["indicator"], measure=t["measure"],
                   year=t["year"], comparator=t["comparator"], target=t["value"], target_unit=t["unit"],
                   target_text=t["text"], target_id=t["id"])
        if t.get("value_max"):
            row["target"] = f"{t['value']}-{t['value_max']}"
        best = _best_result(t, by_key, reports, broader)
        if best is not None:
            _compare(row, t, best)
        rows.append(row)
    return rows


def _best_result(t: dict, by_key: dict, reports: dict, broader: dict) -> dict | None:
    if t["report"] not in reports:
        return None
    issuer, year = reports[t["report"]]
    found = []
    for o in by_key.get((issuer, t["year"], t["measure"], t["norm_unit"]), ()):
        other = reports[o["report"]][1]
        if o["report"] == t["report"] or other < year:
            continue
        near = _comparable(t["indicator_id"], o["indicator_id"], broader)
        if near is None:
            continue
        # the nearest indicator, then the next report (the earliest after the target's), then text order
        found.append((near, other, int(o.get("start") or 0), o))
    if not found:
        return None
    return min(found, key=lambda f: f[:3])[3]


def _compare(row: dict, t: dict, o: dict) -> None:
    """Fill the result columns, and both values in the target's written unit."""
    tv, tn, on = _num(t["value"]), _num(t["norm_value"]), _num(o["norm_value"])
    row.update(result=o["value"], result_unit=o["unit"], result_report=o["report"], result_section=o["section"],
               result_indicator=o["indicator"], result_text=o["text"], result_id=o["id"])
    assert tn is not None and on is not None
    if tv:  # the target's unit, as a factor of the base unit: 亿元 = 1e8 CNY
        factor = tn / tv
        row["unit"] = t["unit"]
    else:
        factor = Decimal(1)
        row["unit"] = t["norm_unit"]
    row["target_in_unit"] = fmt(tn / factor)
    row["result_in_unit"] = fmt(on / factor)
    tmax = _num(t.get("norm_max"))
    row["met"] = "yes" if met(t["comparator"], tn, tmax, on) else "no"


def write_promises(out: str | os.PathLike, dest: str | os.PathLike | None = None) -> list[dict]:
    """Write ``OUT/tables/promises.csv`` (or ``dest``) and return its rows."""
    rows = promises(out)
    path = Path(dest) if dest is not None else Path(out) / "tables" / "promises.csv"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    atomic_write(path, buf.getvalue())
    return rows
