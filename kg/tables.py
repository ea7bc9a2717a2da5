"""OUT/tables/*.csv: the build as tables, one row per section, entity, mention, target and
observation of every report, each with its IRI and its offsets into the report's text.

:func:`rows` turns one report's stages into rows and :func:`csv_text` into CSV lines (both in
the worker, beside its triples); :class:`TableWriters` streams those lines into the CSV files
as reports arrive.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
from typing import TYPE_CHECKING, Iterator

from kg.iri import Minter, value

if TYPE_CHECKING:  # the build's main process writes tables without loading the data model
    from kg.model import Entities, Goals, Outline

SECTION_COLUMNS = ["report", "level", "number", "title", "parent", "start", "end", "has_body",
                   "label", "kind", "id", "parent_id", "heading_start", "heading_end", "in_toc"]
# scope: the division (code, or CN) a name is unique within, or the report when its issuer is not known;
# candidates: the codes a place name left unresolved may stand for; external: its Wikidata IRI, if known
ENTITY_COLUMNS = ["id", "report", "type", "name", "aliases", "mentions", "sections", "code", "scope",
                  "candidates", "external"]
MENTION_COLUMNS = ["id", "report", "entity", "type", "surface", "start", "end", "sentence", "section", "source",
                   "confidence"]
# every sentence, numbered as mentions.csv's ``sentence`` column numbers them (join on report, sentence)
SENTENCE_COLUMNS = ["report", "sentence", "id", "start", "end", "section", "text"]
# targets and observations: values and units as written, then normalised columns
_FACT_EXTRA = ["measure", "value_max", "norm_value", "norm_max", "norm_unit", "unit_iri", "surface",
               "start", "end", "section_id", "sentence_id", "indicator_id"]
TARGET_COLUMNS = ["id", "report", "section", "indicator", "comparator", "value", "unit", "year", "text",
                  "hedge", "goal", "goal_id"] + _FACT_EXTRA
OBSERVATION_COLUMNS = ["id", "report", "section", "indicator", "value", "unit", "year", "text",
                       "comparator"] + _FACT_EXTRA
# name -> columns of OUT/tables/<name>.csv
TABLES: dict[str, list[str]] = {"sections": SECTION_COLUMNS, "entities": ENTITY_COLUMNS, "mentions": MENTION_COLUMNS,
                                "sentences": SENTENCE_COLUMNS, "targets": TARGET_COLUMNS,
                                "observations": OBSERVATION_COLUMNS}

Row = dict[str, object]


def rows(outline: Outline, entities: Entities, goals: Goals, m: Minter) -> dict[str, list[Row]]:
    """The tables stage. Reads the outline and what the entity and goal stages added; makes
    the report's rows of every table, by table name, with the IRIs of ``m``."""
    return {
        "sections": list(section_rows(outline, m)),
        "entities": list(entity_rows(outline, entities, m)),
        "mentions": list(mention_rows(outline, entities, m)),
        "sentences": list(sentence_rows(outline, m)),
        "targets": list(fact_rows(outline, goals, m, "target")),
        "observations": list(fact_rows(outline, goals, m, "observation")),
    }


def section_rows(o: Outline, m: Minter) -> Iterator[Row]:
    """Rows of tables/sections.csv: every part, section and item of a report."""
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
            "id": value(m.section(s.path)),
            "parent_id": value(m.section(s.path[:-1])),
            "heading_start": s.heading.start if s.heading else "",
            "heading_end": s.heading.end if s.heading else "",
            "in_toc": "true" if s.toc else "false",
        }


def fact_rows(o: Outline, goals: Goals, m: Minter, kind: str) -> Iterator[Row]:
    """Rows of tables/targets.csv (``kind`` "target") or tables/observations.csv for one report."""
    labels = {s.path: s.label for s in o.sections}
    goal_labels = {g.id: g.label for g in goals.goals}
    facts = goals.targets if kind == "target" else goals.observations
    for f in facts:
        node = m.target(f.start, f.end) if kind == "target" else m.observation(f.start, f.end)
        row: Row = {
            "id": value(node), "report": o.report.id, "section": labels.get(f.section, ""),
            "indicator": f.indicator, "comparator": f.comparator if f.measure != "qualitative" else "",
            "value": f.value, "unit": f.unit, "year": f.year or "",
            "text": o.report.text[f.clause_start:f.clause_end],
            "measure": f.measure, "value_max": f.value_max, "norm_value": f.norm_value, "norm_max": f.norm_max,
            "norm_unit": f.norm_unit, "unit_iri": f.unit_iri or "", "surface": f.surface,
            "start": f.start, "end": f.end, "section_id": value(m.section(f.section)),
            "sentence_id": value(m.sentence(f.sentence)) if f.sentence >= 0 else "",
            "indicator_id": value(m.indicator(f.indicator_key)) if f.indicator else "",
        }
        if kind == "target":
            row["hedge"] = f.hedge
            row["goal"] = goal_labels.get(f.goal, "") if f.goal else ""
            row["goal_id"] = value(m.goal(f.goal)) if f.goal else ""
        yield row


def entity_rows(o: Outline, entities: Entities, m: Minter) -> Iterator[Row]:
    """Rows of tables/entities.csv: one per entity per report; aliases and sections |-separated."""
    labels = {s.path: s.label for s in o.sections}
    for e in entities.entities:
        yield {
            "id": value(m.entity(e.key)),
            "report": o.report.id,
            "type": e.type,
            "name": e.name,
            "aliases": "|".join(e.aliases),
            "mentions": len(e.mentions),
            "sections": "|".join(labels.get(p, "") for p in e.sections if p),
            "code": e.code,
            "scope": o.report.id if e.scope.startswith("report:") else e.scope,
            "candidates": "|".join(e.candidates),
            "external": e.external,
        }


def sentence_rows(o: Outline, m: Minter) -> Iterator[Row]:
    """Rows of tables/sentences.csv: every sentence with its text and offsets, so that a
    mention's ``sentence`` number can be read without the graph."""
    labels = {s.path: s.label for s in o.sections}
    text = o.report.text
    for s in o.sentences:
        yield {
            "report": o.report.id,
            "sentence": s.index + 1,
            "id": value(m.sentence(s.index)),
            "start": s.start,
            "end": s.end,
            "section": labels.get(s.section, ""),
            "text": text[s.start:s.end],
        }


def mention_rows(o: Outline, entities: Entities, m: Minter) -> Iterator[Row]:
    """Rows of tables/mentions.csv: every mention with its exact offsets (what `kg eval` scores)."""
    labels = {s.path: s.label for s in o.sections}
    crowded = entities.crowded
    for x in entities.mentions:
        mm = x.mention
        yield {
            "id": value(m.mention(mm.start, mm.end, mm.type if (mm.start, mm.end) in crowded else "")),
            "report": o.report.id,
            "entity": value(m.entity(x.entity)),
            "type": mm.type,
            "surface": mm.surface,
            "start": mm.start,
            "end": mm.end,
            "sentence": "" if x.sentence is None else x.sentence + 1,
            "section": labels.get(x.section, ""),
            "source": mm.source,
            "confidence": f"{mm.confidence:.3f}",
        }


def csv_text(tables: dict[str, list[Row]]) -> dict[str, tuple[list[str], bytes]]:
    """One report's rows as CSV lines (UTF-8, no header), with the columns they follow, by
    table name: a known table has its columns; one only some stage knows, those of its first
    row. Made in the worker, so the build's main process only writes bytes."""
    out: dict[str, tuple[list[str], bytes]] = {}
    for name, table_rows in tables.items():
        columns = TABLES.get(name) or (sorted(table_rows[0]) if table_rows else [])
        buf = io.StringIO()
        csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore").writerows(table_rows)
        out[name] = (columns, buf.getvalue().encode("utf-8"))
    return out


class TableWriters:
    """OUT/tables/<name>.csv in ``folder``, each report's CSV lines written as it arrives
    (nothing held).

    Every known table gets its header, rows or not; a table only some stage knows gets
    the columns of the first report that has rows for it."""

    def __init__(self, folder: str, files: contextlib.ExitStack):
        self.folder, self.files = folder, files
        self.writers: dict[str, io.BufferedWriter] = {}
        for name, columns in TABLES.items():
            self._open(name, columns)

    def _open(self, name: str, columns: list[str]) -> io.BufferedWriter:
        f = self.files.enter_context(open(os.path.join(self.folder, name + ".csv"), "wb"))
        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(columns)
        f.write(header.getvalue().encode("utf-8"))
        self.writers[name] = f
        return f

    def write(self, name: str, columns: list[str], text: bytes) -> None:
        """Write a report's CSV lines (:func:`csv_text`) of the table ``name``."""
        f = self.writers.get(name)
        if f is None:
            if not text:
                return
            f = self._open(name, columns)
        f.write(text)
