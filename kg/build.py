"""The pipeline: files -> reports -> outlines -> RDF files and tables in OUT/.

Read top to bottom::

    paths    = expand_inputs(inputs)          # files and folders of .txt reports
    reports  = [read_report(p) for p in paths]  # decode, check, metadata
    outlines = [segment(r) for r in reports]  # parts, sections, items, sentences …
    graphs   = [emit_outline(o, base) …]      # triples, IRIs minted in emit.py
    write graph.ttl, graph.nq, tables/*.csv   # into a temp dir, then moved into OUT

Everything that can fail on bad input fails before anything is written to OUT.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field

from kg.emit import DEFAULT_BASE, Minter, emit_outline
from kg.errors import KGError
from kg.model import Outline
from kg.namespace import PREFIXES
from kg.rdfterms import Triple, write_nquads, write_turtle
from kg.read import read_report
from kg.segment import segment

SECTION_COLUMNS = ["report", "level", "number", "title", "parent", "start", "end", "has_body",
                   "label", "kind", "id", "parent_id", "heading_start", "heading_end", "in_toc"]


@dataclass
class BuildResult:
    out: str
    base: str
    outlines: list[Outline]
    graphs: list[tuple[str, list[Triple]]] = field(default_factory=list)

    @property
    def triple_count(self) -> int:
        return sum(len(t) for _, t in self.graphs)


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files as given; folders give their *.txt files (not *.source.txt notes), sorted."""
    paths: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            found = sorted(
                os.path.join(item, n)
                for n in os.listdir(item)
                if n.endswith(".txt") and not n.endswith(".source.txt") and not n.startswith(".")
            )
            if not found:
                raise KGError("folder holds no .txt reports", item)
            paths.extend(found)
        elif os.path.exists(item):
            paths.append(item)
        else:
            raise KGError("no such file or folder", item)
    return paths


def process(path: str, base: str = DEFAULT_BASE) -> tuple[Outline, list[Triple]]:
    """One report file -> (outline, triples). A pure function of the file's content."""
    report = read_report(path)
    outline = segment(report)
    return outline, list(dict.fromkeys(emit_outline(outline, base)))


def build(inputs: list[str], out: str, base: str = DEFAULT_BASE) -> BuildResult:
    """Build the graph of ``inputs`` into the folder ``out``; returns what was built."""
    paths = expand_inputs(inputs)
    _check_writable(out)
    results = [process(p, base) for p in paths]
    seen: dict[str, str] = {}
    for outline, _ in results:
        r = outline.report
        if r.id in seen:
            raise KGError(f"two inputs give the same report id {r.id!r} (also {seen[r.id]})", r.path)
        seen[r.id] = r.path
    result = BuildResult(out, base, [o for o, _ in results])
    result.graphs = [(Minter(base, o.report.id).report(), t) for o, t in results]
    _write_all(result, out)
    return result


def _check_writable(out: str) -> None:
    if os.path.exists(out) and not os.path.isdir(out):
        raise KGError("output exists and is not a folder", out)
    try:
        os.makedirs(out, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".kg-probe-"):
            pass
    except OSError as e:
        raise KGError(f"cannot write output ({e.strerror or e})", out) from None


def _write_all(result: BuildResult, out: str) -> None:
    tmp = tempfile.mkdtemp(dir=out, prefix=".kg-build-")
    try:
        os.makedirs(os.path.join(tmp, "tables"))
        with open(os.path.join(tmp, "graph.nq"), "w", encoding="utf-8") as f:
            write_nquads(result.graphs, f)
        with open(os.path.join(tmp, "graph.ttl"), "w", encoding="utf-8") as f:
            write_turtle((tr for _, ts in result.graphs for tr in ts), f, PREFIXES)
        _write_csv(os.path.join(tmp, "tables", "sections.csv"), SECTION_COLUMNS, section_rows(result))
        for name in _files(tmp):  # all written: move into place, file by file
            dest = os.path.join(out, name)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.replace(os.path.join(tmp, name), dest)
    except OSError as e:
        raise KGError(f"cannot write output ({e.strerror or e})", out) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _files(root: str) -> list[str]:
    out = []
    for d, _, names in os.walk(root):
        out.extend(os.path.relpath(os.path.join(d, n), root) for n in names)
    return sorted(out)


def _write_csv(path: str, columns: list[str], rows) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def section_rows(result: BuildResult):
    """Rows of tables/sections.csv: every part, section and item of every report."""
    for o in result.outlines:
        m = Minter(result.base, o.report.id)
        labels = {s.path: s.label for s in o.sections}
        for s in o.sections:
            if s.level not in ("part", "section", "item"):
                continue
            yield {
                "report": o.report.id,
                "level": s.level,
                "number": s.number,
                "title": s.title,
                "parent": labels.get(s.path[:-1], ""),
                "start": "" if s.start is None else s.start,
                "end": "" if s.end is None else s.end,
                "has_body": "true" if s.has_body else "false",
                "label": s.label,
                "kind": s.kind,
                "id": m.section(s.path)[1:-1],
                "parent_id": m.section(s.path[:-1])[1:-1],
                "heading_start": s.heading.start if s.heading else "",
                "heading_end": s.heading.end if s.heading else "",
                "in_toc": "true" if s.toc else "false",
            }
