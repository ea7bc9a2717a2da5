"""SHACL validation of a build with pySHACL, against ontology/shapes*.ttl."""
from __future__ import annotations

import os

from kg.errors import KGError
from kg.resources import ontology_files


def validate(path: str | os.PathLike) -> tuple[bool, str]:
    """(conforms, readable report) for a Turtle file (OUT/graph.ttl)."""
    from pyshacl import validate as shacl
    from rdflib import Graph

    data = Graph()
    try:
        data.parse(os.fspath(path), format="turtle")
    except Exception as e:  # rdflib raises many types for bad syntax
        raise KGError(f"does not parse as Turtle ({type(e).__name__}: {e})", str(path)) from None
    shapes = Graph()
    for f in ontology_files("shapes"):
        shapes.parse(f, format="turtle")
    n_data = len(data)
    for f in ontology_files("ontology"):  # class hierarchy and PartKind individuals
        data.parse(f, format="turtle")
    conforms, _, text = shacl(data, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return True, f"{path}: conforms ({n_data} triples, {len(shapes)} shape triples)"
    return False, text
