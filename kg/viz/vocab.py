"""What the page knows about vocabularies: the predicates it reads, the family of each
class (from the class hierarchy of ontology/*.ttl), and a colour and shape per type.

Families: ``outline`` (the report and its parts, sections, items), ``goal`` (goals,
targets, results, indicators), ``entity``, and ``text``, hidden unless asked (sentences,
mentions, the build's provenance, and hubs such as the qb:DataSet or concept scheme that
every observation or indicator points at). A class takes the family of the nearest class
at or above it in FAMILY_ROOTS; a class the ontology does not know is an entity.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from functools import cache, lru_cache

import pyoxigraph as ox

from kg.namespace import DCTERMS, GR, GR_NS, NIF, OWL_NS, PROV, QB, RDF, RDFS, SCHEMA, SCHEMA_HTTP, SH_NS, SKOS
from kg.resources import ontology_files


def iri(term: str) -> str:
    """The IRI of a closed-namespace term (they are written as N-Triples terms, ``<…>``)."""
    return term.strip("<>")


RDF_TYPE = iri(RDF.type)
VIEWS = ("report", "section", "goal", "entity")

# Label predicates in order of preference.
LABEL_PREDICATES = (iri(SKOS.prefLabel), iri(RDFS.label), iri(SCHEMA.name), iri(SCHEMA_HTTP.name),
                    iri(DCTERMS.title))
PATH_PREDICATES = (iri(GR.path),)
TITLE_PREDICATES = (iri(GR.title),)  # an outline node's heading without its number
TEXT_PREDICATES = (iri(NIF.anchorOf), iri(NIF.isString))
BEGIN_PREDICATES = (iri(NIF.beginIndex),)
END_PREDICATES = (iri(NIF.endIndex),)
PARENT_PREDICATES = (iri(DCTERMS.isPartOf),)
CHILD_PREDICATES = (iri(DCTERMS.hasPart),)

FAMILY_ROOTS = {iri(term): family for term, family in (
    (GR.Report, "outline"), (GR.OutlineNode, "outline"), (GR.ListEntry, "outline"),
    (GR.Annex, "outline"),  # a span of text (nif:String) that the outline lists beside the parts
    (GR.Goal, "goal"), (GR.Target, "goal"), (GR.Observation, "goal"), (GR.Indicator, "goal"),
    (GR.Entity, "entity"),
    (GR.GlossaryTerm, "entity"),  # a concept the report defines, though also a span of text
    (NIF.String, "text"), (NIF.Context, "text"), (NIF.Sentence, "text"), (NIF.Paragraph, "text"),
    (NIF.Phrase, "text"), (PROV.Activity, "text"), (PROV.SoftwareAgent, "text"), (QB.DataSet, "text"),
    (SKOS.ConceptScheme, "text"),
)}
FAMILY_ORDER = {"outline": 0, "goal": 1, "entity": 2, "text": 3}
# Terms of these vocabularies describe the data (a class, a property, a shape); they are not drawn.
META_NAMESPACES = (OWL_NS, RDFS.base, SH_NS, RDF.base)

# Colour and shape per type, outline types in the legend's order. A class not listed looks
# like its nearest listed superclass; others get a stable colour from a hash of the name.
STYLE = {
    "Report": ("#8b1a1a", "star"),
    "Part": ("#c0392b", "hexagon"),
    "Section": ("#e67e22", "diamond"),
    "Item": ("#f5b041", "dot"),
    "SubItem": ("#f8c471", "dot"),
    "ListEntry": ("#d4ac0d", "square"),
    "Annex": ("#a04000", "square"),
    "Goal": ("#6c3483", "triangle"),
    "Target": ("#a569bd", "triangleDown"),
    "QuantifiedTarget": ("#a569bd", "triangleDown"),
    "QualitativeTarget": ("#d2b4de", "triangleDown"),
    "Indicator": ("#17a589", "triangle"),
    "Observation": ("#85c1e9", "triangleDown"),
    "Company": ("#2471a3", "dot"),
    "Project": ("#d35400", "square"),
    "Industry": ("#229954", "diamond"),
    "Place": ("#45b39d", "dot"),
    "Platform": ("#17becf", "dot"),  # not like Place, its superclass in schema.org
    "Event": ("#b7950b", "hexagon"),
    "Organization": ("#7d3c98", "dot"),
    "Initiative": ("#ec7063", "star"),
    "GlossaryTerm": ("#5d6d7e", "square"),
    "Sentence": ("#aab7b8", "dot"),
    "Paragraph": ("#ccd1d1", "dot"),
    "Mention": ("#d5dbdb", "dot"),
}
# Fallback colours for types not in STYLE: none of them near the outline's reds and oranges.
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939")

LABEL_MAX = 14
EVIDENCE_MAX = 3
MENTIONS_MAX = 60  # an entity's mentions the page lists (with their sentences), the rest counted


def local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            iri = iri.rstrip(sep).rsplit(sep, 1)[1]
            break
    return iri


@lru_cache(maxsize=1)
def _superclasses() -> dict[str, tuple[str, ...]]:
    """Class IRI -> its direct superclasses (rdfs:subClassOf), from ontology/*.ttl."""
    sub_class_of = iri(RDFS.base) + "subClassOf"
    parents = defaultdict(set)
    for path in ontology_files("ontology"):
        for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            if q.predicate.value == sub_class_of and isinstance(q.object, ox.NamedNode):
                parents[q.subject.value].add(q.object.value)
    return {c: tuple(sorted(ps)) for c, ps in parents.items()}


@cache
def lineage(cls: str) -> tuple[tuple[str, ...], ...]:
    """The class, then its superclasses level by level (nearest first), each level sorted."""
    supers = _superclasses()
    levels, seen = [], {cls}
    level: tuple[str, ...] = (cls,)
    while level:
        levels.append(level)
        up = {p for c in level for p in supers.get(c, ()) if p not in seen}
        seen.update(up)
        level = tuple(sorted(up))
    return tuple(levels)


def is_a(cls: str, ancestor: str) -> bool:
    """``cls`` is ``ancestor`` or one of its subclasses."""
    return any(ancestor in level for level in lineage(cls))


@cache
def family_of(cls: str) -> str:
    """The page family of a class IRI (see the module's docstring)."""
    for level in lineage(cls):
        found = {FAMILY_ROOTS[c] for c in level if c in FAMILY_ROOTS}
        if found:
            return min(found, key=FAMILY_ORDER.__getitem__)
    return "entity"


def classes_of(family: str) -> frozenset[str]:
    """The classes the ontology (or FAMILY_ROOTS) puts in ``family``."""
    known = set(_superclasses()) | set(FAMILY_ROOTS)
    return frozenset(c for c in known if family_of(c) == family)


def primary_type(types: set[str]) -> str | None:
    """The class a node is drawn as: the project's own classes first, then the most
    specific (most superclasses); None for an ontology term (a class, property, shape)."""
    if not types or any(t.startswith(META_NAMESPACES) for t in types):
        return None
    return min(types, key=lambda t: (not t.startswith(GR_NS), -sum(map(len, lineage(t))),
                                     FAMILY_ORDER[family_of(t)], local_name(t)))


@lru_cache(maxsize=1 << 16)
def natural_key(s: str):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", s)]


def style_of(type_name: str) -> tuple[str, str]:
    """Colour and shape of a type (a class's local name): its own, else its nearest
    superclass's in the ontology, else a colour of PALETTE chosen by the name."""
    for level in lineage(GR_NS + type_name):
        for cls in level:
            if local_name(cls) in STYLE:
                return STYLE[local_name(cls)]
    h = int(hashlib.sha1(type_name.encode("utf-8")).hexdigest(), 16)
    return PALETTE[h % len(PALETTE)], "dot"
