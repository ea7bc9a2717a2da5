"""Vocabularies as closed namespaces that hand out N-Triples IRI strings.

``GR`` is closed over the terms that ontology/*.ttl defines (``gr:Term a …``), so a
typo such as ``GR.Secton`` fails at once instead of minting an unknown term.
The standard vocabularies list the terms this project uses.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.resources import ontology_files

GR_NS = "https://w3id.org/govreport-kg/ontology#"


class ClosedNamespace:
    def __init__(self, base: str, terms):
        self._base = base
        self._terms = terms

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        terms = self._terms() if callable(self._terms) else self._terms
        if name not in terms:
            raise AttributeError(f"{name!r} is not a term of <{self._base}>")
        value = f"<{self._base}{name}>"
        self.__dict__[name] = value  # next lookups skip __getattr__
        return value

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)  # a term asked for before is in __dict__: no check again

    @property
    def base(self) -> str:
        return self._base


@lru_cache(maxsize=None)
def gr_terms() -> frozenset:
    rx = re.compile(r"^gr:([A-Za-z][A-Za-z0-9_]*)\s+a\s", re.M)
    terms = set()
    for path in ontology_files("ontology"):
        with open(path, encoding="utf-8") as f:
            terms.update(rx.findall(f.read()))
    return frozenset(terms)


GR = ClosedNamespace(GR_NS, gr_terms)
RDF = ClosedNamespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#", {"type", "value"})
RDFS = ClosedNamespace("http://www.w3.org/2000/01/rdf-schema#", {"label", "comment", "seeAlso", "subClassOf"})
XSD = ClosedNamespace("http://www.w3.org/2001/XMLSchema#", {"integer", "decimal", "boolean", "string", "gYear", "double"})
DCTERMS = ClosedNamespace(
    "http://purl.org/dc/terms/",
    {"title", "isPartOf", "hasPart", "source", "identifier", "issued", "creator", "spatial", "temporal", "description"},
)
NIF = ClosedNamespace(
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    {"Context", "String", "Sentence", "Paragraph", "Phrase", "isString", "beginIndex", "endIndex",
     "referenceContext", "anchorOf", "sentence", "nextSentence", "superString"},
)
PROV = ClosedNamespace(
    "http://www.w3.org/ns/prov#",
    {"Entity", "Activity", "SoftwareAgent", "wasDerivedFrom", "wasGeneratedBy", "wasAssociatedWith", "used", "value"},
)
SKOS = ClosedNamespace(
    "http://www.w3.org/2004/02/skos/core#",
    {"Concept", "ConceptScheme", "prefLabel", "altLabel", "definition", "inScheme", "broader", "narrower",
     "related", "notation", "hasTopConcept", "topConceptOf", "exactMatch", "closeMatch"},
)
SCHEMA = ClosedNamespace("https://schema.org/", {"Report", "name", "about"})
# ITS 2.0 (the link NIF uses from a phrase to the entity it identifies)
ITSRDF = ClosedNamespace("http://www.w3.org/2005/11/its/rdf#", {"taIdentRef"})
SCHEMA_HTTP = ClosedNamespace("http://schema.org/", {"name"})  # schema.org's older IRIs, as other graphs use them
# W3C Data Cube (observations) and QUDT units and currencies
QB = ClosedNamespace("http://purl.org/linked-data/cube#", {"Observation", "DataSet", "dataSet", "structure"})
QUDT_UNIT = "http://qudt.org/vocab/unit/"
WIKIDATA = "http://www.wikidata.org/entity/"  # items, for links out (skos:exactMatch)
OWL_NS = "http://www.w3.org/2002/07/owl#"  # for queries (kg.store); the build writes no OWL terms
SH_NS = "http://www.w3.org/ns/shacl#"  # the shapes in ontology/; the build writes no SHACL terms
QUDT_CURRENCY = "http://qudt.org/vocab/currency/"

PREFIXES = {
    "gr": GR_NS,
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "xsd": XSD.base,
    "dcterms": DCTERMS.base,
    "nif": NIF.base,
    "prov": PROV.base,
    "skos": SKOS.base,
    "schema": SCHEMA.base,
    "qb": QB.base,
    "itsrdf": ITSRDF.base,
    "unit": QUDT_UNIT,
    "cur": QUDT_CURRENCY,
}
