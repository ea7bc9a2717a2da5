"""Counts per class and per report, by SPARQL over a build's store."""
from __future__ import annotations

import pyoxigraph as ox

from kg.iri import ONTOLOGY_GRAPH
from kg.namespace import GR, PREFIXES, RDF

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


def _short(iri: str) -> str:
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
            key = (str(python_value(graph)).rsplit("/", 1)[-1], _short(str(python_value(cls))))
            counts[key] = counts.get(key, 0) + int(str(python_value(n)))
    return sorted((r, c, n) for (r, c), n in counts.items())
