"""What the page knows about vocabularies: the predicates it reads, node families, and a
colour and shape per type."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

GR = "https://w3id.org/govreport-kg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SCHEMA = "https://schema.org/"
SH = "http://www.w3.org/ns/shacl#"

RDF_TYPE = str(RDF.type)
VIEWS = ("report", "section", "goal", "entity")

# Label predicates in order of preference.
LABEL_PREDICATES = (
    str(SKOS.prefLabel),
    str(RDFS.label),
    SCHEMA + "name",
    "http://schema.org/name",
    str(DCTERMS.title),
)
PATH_PREDICATES = (GR + "path",)
TITLE_PREDICATES = (GR + "title",)  # an outline node's heading without its number
TEXT_PREDICATES = (NIF + "anchorOf", NIF + "isString")
BEGIN_PREDICATES = (NIF + "beginIndex",)
PARENT_PREDICATES = (str(DCTERMS.isPartOf),)
CHILD_PREDICATES = (str(DCTERMS.hasPart),)

# Families of types, by local name.  Outline classes are the foundation's; text classes
# are hidden by default; goal-like classes feed the goal view; everything else is an entity.
OUTLINE_TYPES = ("Report", "Part", "Section", "Item", "SubItem", "Subitem", "ListEntry", "Annex")
TEXT_TYPES = frozenset({
    "Sentence", "Paragraph", "Context", "Phrase", "Word", "String", "Title", "Mention",
    "Annotation", "TextQuoteSelector", "TextPositionSelector", "SpecificResource",
    "OffsetBasedString", "RFC5147String", "Structure", "Topic", "EnumItem", "FootnoteRef",
    "TocEntry", "Heading", "LeadSentence", "EnumerationItem", "FootnoteMarker", "Glossary",
    # provenance of the build itself
    "Activity", "SoftwareAgent", "Agent",
})
GOAL_RE = re.compile(r"Goal|Target|Result|Indicator|Objective|Observation|Measure|Commitment|Task")
# Types too general to name a node when a more specific one is present.
GENERIC_TYPES = frozenset({
    "NamedIndividual", "Thing", "Entity", "Resource", "Structure", "String",
    "OffsetBasedString", "RFC5147String", "Concept", "Agent", "CreativeWork",
})
META_NAMESPACES = (str(OWL), str(RDFS), SH, str(RDF))

# Colour and shape per type (others get a stable colour from a hash of the type name).
STYLE = {
    "Report": ("#8b1a1a", "star"),
    "Part": ("#c0392b", "hexagon"),
    "Section": ("#e67e22", "diamond"),
    "Item": ("#f5b041", "dot"),
    "Subitem": ("#f8c471", "dot"),
    "ListEntry": ("#d4ac0d", "square"),
    "Annex": ("#a04000", "square"),
    "Goal": ("#6c3483", "triangle"),
    "Target": ("#a569bd", "triangleDown"),
    "QuantifiedTarget": ("#a569bd", "triangleDown"),
    "QualitativeTarget": ("#d2b4de", "triangleDown"),
    "Result": ("#5dade2", "triangleDown"),
    "Indicator": ("#17a589", "triangle"),
    "Observation": ("#85c1e9", "triangleDown"),
    "Company": ("#2471a3", "dot"),
    "Project": ("#d35400", "square"),
    "Industry": ("#229954", "diamond"),
    "Place": ("#45b39d", "dot"),
    "Organization": ("#7d3c98", "dot"),
    "Organisation": ("#7d3c98", "dot"),
    "Initiative": ("#ec7063", "star"),
    "GlossaryTerm": ("#5d6d7e", "dot"),
    "Sentence": ("#aab7b8", "dot"),
    "Paragraph": ("#ccd1d1", "dot"),
    "Mention": ("#d5dbdb", "dot"),
}
# Fallback colours for types not in STYLE: none of them near the outline's reds and oranges.
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939")
FAMILY_ORDER = {"outline": 0, "goal": 1, "entity": 2, "text": 3}

LABEL_MAX = 14
EVIDENCE_MAX = 3


def local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            iri = iri.rstrip(sep).rsplit(sep, 1)[1]
            break
    return iri


def family_of(type_name: str) -> str:
    """outline | goal | entity, or text: hidden unless asked (text, provenance, and hubs such
    as a qb:DataSet or a concept scheme that every observation or concept points at)."""
    if type_name in OUTLINE_TYPES:
        return "outline"
    if type_name in TEXT_TYPES or type_name.endswith(("Mention", "Scheme", "DataSet", "DataStructureDefinition")):
        return "text"
    if GOAL_RE.search(type_name):
        return "goal"
    return "entity"


@lru_cache(maxsize=1 << 16)
def natural_key(s: str):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", s)]



def style_of(type_name: str) -> tuple[str, str]:
    if type_name in STYLE:
        return STYLE[type_name]
    # a subclass named after its parent (e.g. CountyPlace, PlannedProject) looks like it
    for known in sorted(STYLE, key=len, reverse=True):
        if type_name.endswith(known):
            return STYLE[known]
    h = int(hashlib.sha1(type_name.encode("utf-8")).hexdigest(), 16)
    return PALETTE[h % len(PALETTE)], "dot"
