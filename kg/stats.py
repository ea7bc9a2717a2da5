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
