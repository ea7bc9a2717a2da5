"""Counts per class and per report, and how entities are identified and linked, by SPARQL over a build's store."""
from __future__ import annotations

import pyoxigraph as ox

from kg.iri import ONTOLOGY_GRAPH
from kg.namespace import GR, PREFIXES, RDF, SKOS

# Nodes per (graph, class): a graph's name ends with the report id, or with "shared".
_BY_GRAPH = f"""
SELECT ?g ?class (COUNT(?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s {RDF.type} ?class }}
  FILTER (?g != <{ONTOLOGY_GRAPH}>)
}} GROUP BY ?g ?class"""
# Shared nodes per (the graph of a report that mentions them, class).
_MENTIONED = f"""
SELECT ?g ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s {GR.mentionedInReport} ?r }}
  GRAPH ?shared {{ ?s {RDF.type} ?class }}
  FILTER (?shared != ?g && ?shared != <{ONTOLOGY_GRAPH}>)
}} GROUP BY ?g ?class"""


def short_iri(iri: str) -> str:
    """``gr:Section`` for an IRI under a known prefix, else ``<iri>``."""
    for name, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{name}:{iri[len(ns):]}"
    return f"<{iri}>"


def class_counts(store: ox.Store) -> list[tuple[str, str, int]]:
    """[(report id, class, count)] sorted by report then class.

    Nodes reports share (entities, indicators) are described once, in the graph
    ``…/graph/shared``: they are counted under ``shared`` (distinct nodes in the build),
    and entities also under each report that mentions them (``gr:mentionedInReport``)."""
    from kg.sparql import python_value, run

    counts: dict[tuple[str, str], int] = {}
    for query in (_BY_GRAPH, _MENTIONED):
        for graph, cls, n in run(store, query).rows:
            key = (str(python_value(graph)).rsplit("/", 1)[-1], short_iri(str(python_value(cls))))
            counts[key] = counts.get(key, 0) + int(str(python_value(n)))
    return sorted((r, c, n) for (r, c), n in counts.items())


# Entities per type, and how many have a code (places: a division), a scope (a name unique only
# within a division), candidate codes (a place name left unresolved) and a link out (skos:exactMatch).
_LINKS = f"""
SELECT ?type (COUNT(?e) AS ?entities) (SUM(?c) AS ?coded) (SUM(?s) AS ?scoped) (SUM(?u) AS ?unresolved)
       (SUM(?x) AS ?linked) WHERE {{
  {{ SELECT DISTINCT ?e ?type WHERE {{ ?e {GR.entityType} ?type }} }}
  BIND (IF(EXISTS {{ ?e {GR.adminCode} ?code }}, 1, 0) AS ?c)
  BIND (IF(EXISTS {{ ?e {GR.scope} ?scope }}, 1, 0) AS ?s)
  BIND (IF(EXISTS {{ ?e {GR.candidateCode} ?cand }}, 1, 0) AS ?u)
  BIND (IF(EXISTS {{ ?e {SKOS.exactMatch} ?out }}, 1, 0) AS ?x)
}} GROUP BY ?type ORDER BY ?type"""
LINK_COLUMNS = ("type", "entities", "coded", "scoped", "unresolved", "linked")


def link_counts(store: ox.Store) -> list[tuple[str, int, int, int, int, int]]:
    """[(entity type, entities, with an administrative code, scoped to a division, left unresolved
    with candidate codes, linked out)] of the distinct entity nodes of a build, by type."""
    from kg.sparql import python_value, run

    return [(str(python_value(t)), *(int(str(python_value(x))) for x in rest))  # type: ignore[misc]
            for t, *rest in run(store, _LINKS).rows]


# The families of kg.viz.vocab, in the order and words the table shows them.
FAMILIES = (("outline", "outline"), ("entity", "entities"), ("goal", "targets and results"), ("text", "text and provenance"))
COLUMNS_MAX = 6  # reports shown one per column; above this, how many reports have the class


def _family(compact: str) -> str:
    from kg.viz.vocab import family_of

    prefix, _, name = compact.partition(":")
    return family_of(PREFIXES.get(prefix, "") + name) if name else "entity"


def _order(compact: str) -> tuple[int, str]:
    """The legend's order (report, part, section, item …), then by name."""
    from kg.viz.vocab import STYLE

    names = list(STYLE)
    name = compact.partition(":")[2]
    return (names.index(name) if name in names else len(names), compact)


def totals(counts: list[tuple[str, str, int]]) -> dict[str, int]:
    """Class -> nodes in the whole build: what the shared graph holds once (entities,
    indicators), else the sum over reports."""
    shared = {c: n for r, c, n in counts if r == "shared"}
    out: dict[str, int] = {}
    for r, c, n in counts:
        if c not in shared and r != "shared":
            out[c] = out.get(c, 0) + n
    return {**out, **shared}


def long_rows(counts: list[tuple[str, str, int]]) -> list[dict]:
    """One dict per (report, class) — report "shared" is the graph of what reports share,
    report "all" the build's total — with the class's family: what --format csv/json print."""
    rows = [{"report": r, "type": c, "family": _family(c), "nodes": n} for r, c, n in counts]
    rows += [{"report": "all", "type": c, "family": _family(c), "nodes": n} for c, n in sorted(totals(counts).items())]
    return rows


def readable(counts: list[tuple[str, str, int]]) -> str:
    """The counts as a table people read: one line per class, grouped by family, a column per
    report (or, for many reports, how many have the class) and the build's total."""
    reports = sorted({r for r, _, _ in counts if r != "shared"})
    total = totals(counts)
    cell = {(r, c): n for r, c, n in counts}
    many = len(reports) > COLUMNS_MAX
    head = ["class", *(["reports"] if many else reports), "total"]
    lines: list[list[str]] = []
    for fam, title in FAMILIES:
        classes = sorted((c for c in total if _family(c) == fam), key=_order)
        if not classes:
            continue
        lines.append([f"{title}:"])
        for c in classes:
            per = [str(sum(1 for r in reports if cell.get((r, c))))] if many else [str(cell.get((r, c), "")) for r in reports]
            lines.append([f"  {c}", *per, f"{total[c]:,}"])
    lines.append([f"{len(reports)} report{'s' if len(reports) != 1 else ''}; total: nodes in the whole build, "
                  "each entity and indicator once however many reports name it"])
    widths = [max(len(row[i]) for row in [head, *lines] if len(row) > i and len(row) == len(head)) for i in range(len(head))]
    out = []
    for row in [head, *lines]:
        if len(row) != len(head):
            out.append(row[0])
            continue
        out.append("  ".join(x.ljust(widths[0]) if i == 0 else x.rjust(widths[i]) for i, x in enumerate(row)).rstrip())
    return "\n".join(out)
