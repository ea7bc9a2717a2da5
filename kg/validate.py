"""SHACL validation of a build with pySHACL, against ontology/shapes*.ttl."""
from __future__ import annotations

import os

from kg.errors import KGError
from kg.resources import ontology_files


def validate_out(out: str) -> tuple[bool, str]:
    """(conforms, readable report) for OUT/graph.ttl."""
    path = os.path.join(out, "graph.ttl")
    if not os.path.isfile(path):
        raise KGError("no graph.ttl here; run `kg build` first", out)
    from pyshacl import validate
    from rdflib import Graph

    data = Graph()
    try:
        data.parse(path, format="turtle")
    except Exception as e:  # rdflib raises many types for bad syntax
        raise KGError(f"graph.ttl does not parse ({type(e).__name__}: {e})", path) from None
    shapes = Graph()
    for f in ontology_files("shapes"):
        shapes.parse(f, format="turtle")
    n_data = len(data)
    for f in ontology_files("ontology"):  # class hierarchy and PartKind individuals
        data.parse(f, format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return True, f"{path}: conforms ({n_data} triples, {len(shapes)} shape triples)"
    return False, text
