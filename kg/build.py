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

from kg.emit import DEFAULT_BASE, Minter, emit_entities, emit_outline
from kg.errors import KGError
from kg.model import Outline
from kg.namespace import PREFIXES
from kg.rdfterms import Triple, write_nquads, write_turtle
from kg.read import read_report
from kg.segment import segment

ENTITY_COLUMNS = ["id", "report", "type", "name", "aliases", "mentions", "sections", "code"]
MENTION_COLUMNS = ["id", "report", "entity", "type", "surface", "start", "end", "sentence", "section"]
SECTION_COLUMNS = ["report", "level", "number", "title", "parent", "start", "end", "has_body",
                   "label", "kind", "id", "parent_id", "heading_start", "heading_end", "in_toc"]


@dataclass
class BuildResult:
    out: str
    base: str
    outlines: list[Outline]
    graphs: list[tuple[str, list[Triple]]] = field(default_factory=list)
    entities: list = field(default_factory=list)  # kg.link.EntityStage per report

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
    outline, triples, _ = process_all(path, base)
    return outline, triples


def process_all(path: str, base: str = DEFAULT_BASE):
    """One report file -> (outline, triples, entity stage)."""
    from kg import link

    report = read_report(path)
    outline = segment(report)
    stage = link.run(outline)
    triples = emit_outline(outline, base) + emit_entities(outline, stage, base)
    return outline, list(dict.fromkeys(triples)), stage


def build(inputs: list[str], out: str, base: str = DEFAULT_BASE) -> BuildResult:
    """Build the graph of ``inputs`` into the folder ``out``; returns what was built."""
    paths = expand_inputs(inputs)
    _check_writable(out)
    results = [process_all(p, base) for p in paths]
    seen: dict[str, str] = {}
    for outline, _, _ in results:
        r = outline.report
        if r.id in seen:
            raise KGError(f"two inputs give the same report id {r.id!r} (also {seen[r.id]})", r.path)
        seen[r.id] = r.path
    result = BuildResult(out, base, [o for o, _, _ in results])
    result.graphs = [(Minter(base, o.report.id).report(), t) for o, t, _ in results]
    result.entities = [st for _, _, st in results]
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
        _write_csv(os.path.join(tmp, "tables", "entities.csv"), ENTITY_COLUMNS, entity_rows(result))
        _write_csv(os.path.join(tmp, "tables", "mentions.csv"), MENTION_COLUMNS, mention_rows(result))
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


# --- entities (issue 3)
def _labels(o: Outline) -> dict:
    return {s.path: s.label for s in o.sections}


def entity_rows(result: BuildResult):
    """Rows of tables/entities.csv: one per entity per report; aliases and sections |-separated."""
    for o, st in zip(result.outlines, result.entities):
        m = Minter(result.base, o.report.id)
        labels = _labels(o)
        for e in st.entities:
            yield {
                "id": m.entity(e.key)[1:-1],
                "report": o.report.id,
                "type": e.type,
                "name": e.name,
                "aliases": "|".join(e.aliases),
                "mentions": len(e.mentions),
                "sections": "|".join(labels.get(p, "") for p in e.sections if p),
                "code": e.code,
            }


def mention_rows(result: BuildResult):
    """Rows of tables/mentions.csv: every mention with its exact offsets (what `kg eval` scores)."""
    from kg.link import entity_key

    for o, st in zip(result.outlines, result.entities):
        m = Minter(result.base, o.report.id)
        labels = _labels(o)
        for k, x in enumerate(st.mentions):
            mm = x.mention
            yield {
                "id": m.mention(k)[1:-1],
                "report": o.report.id,
                "entity": m.entity(entity_key(mm.type, mm.name))[1:-1],
                "type": mm.type,
                "surface": mm.surface,
                "start": mm.start,
                "end": mm.end,
                "sentence": "" if x.sentence is None else x.sentence + 1,
                "section": labels.get(x.section, ""),
            }
