"""Reading a build's graph with pyoxigraph: OUT/graph.nq (or a .ttl/.nt/.trig file) as
statements, one report's statements, or only those the outline view needs.

Statements are pyoxigraph quads (``.subject``, ``.predicate``, ``.object``,
``.graph_name``); :func:`kg.viz.projection.project` reads them as they are.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import KGError
from kg.namespace import DCTERMS, GR, XSD
from kg.viz.vocab import (
    CHILD_PREDICATES,
    LABEL_PREDICATES,
    PARENT_PREDICATES,
    PATH_PREDICATES,
    RDF_TYPE,
    TITLE_PREDICATES,
    classes_of,
    iri,
)

if TYPE_CHECKING:
    import rdflib


DCTERMS_IDENTIFIER = iri(DCTERMS.identifier)
XSD_STRING = iri(XSD.string)
FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE,
           ".trig": ox.RdfFormat.TRIG}


def graph_file(out: str | os.PathLike) -> Path:
    """The graph file of a build folder (graph.nq, else graph.ttl or graph.nt), or ``out`` itself."""
    out = Path(out)
    if out.is_file():
        path = out
    elif out.is_dir():
        candidates = [p for p in (out / "graph.nq", out / "graph.ttl", out / "graph.nt") if p.exists()]
        if not candidates:
            raise KGError("no graph.nq, graph.ttl or graph.nt here; run `kg build` first", str(out))
        path = candidates[0]
    else:
        raise KGError("no such file or folder; run `kg build` first", str(out))
    if path.suffix not in FORMATS:
        raise KGError("unknown RDF file type (expected .nq, .ttl, .nt or .trig)", str(path))
    return path


def read(path: Path, lines: bytes | None = None) -> Iterator[ox.Quad]:
    """The statements of one RDF file (or of ``lines`` taken from it), streamed; KGError
    on a syntax error."""
    try:
        if lines is None:
            yield from ox.parse(path=path, format=FORMATS[path.suffix])
        else:
            yield from ox.parse(lines, format=FORMATS[path.suffix])
    except SyntaxError as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KGError(f"cannot parse RDF: {msg}", str(path)) from None


def load_triples(out: str | os.PathLike, report: str | None = None) -> list[ox.Quad]:
    """The statements of a build: every named graph of OUT/graph.nq (or a graph file).

    ``report`` (a report id such as ``haining-2023``, or its IRI) keeps that report's
    named graph, with what the other graphs (the build's shared graph) say about the
    nodes it names; it needs named graphs (graph.nq)."""
    path = graph_file(out)
    quads = list(read(path))
    if report is None:
        return quads
    if path.suffix not in (".nq", ".trig"):
        raise KGError("--report needs the named graphs of graph.nq", str(path))
    return _one_report(quads, report, path)


def _one_report(quads: list[ox.Quad], report: str, path: Path) -> list[ox.Quad]:
    """A report's graph is the one that holds the gr:Report node whose IRI or
    dcterms:identifier is ``report``; graphs holding no report are shared."""
    a, report_class = ox.NamedNode(RDF_TYPE), ox.NamedNode(iri(GR.Report))
    graph_of = {q.subject: q.graph_name for q in quads if q.predicate == a and q.object == report_class}
    wanted = {g for s, g in graph_of.items() if isinstance(s, ox.NamedNode) and s.value == report}
    wanted.update(graph_of[q.subject] for q in quads if q.predicate.value == DCTERMS_IDENTIFIER
                  and q.subject in graph_of and isinstance(q.object, ox.Literal) and q.object.value == report)
    own = [q for q in quads if q.graph_name in wanted]
    if not own:
        raise KGError(f"no report {report!r} in this build", str(path))
    report_graphs = set(graph_of.values())
    return own + _about([q for q in quads if q.graph_name not in report_graphs], own)


def _about(shared: list[ox.Quad], own: list[ox.Quad]) -> list[ox.Quad]:
    """The statements of ``shared`` about the nodes ``own`` names, and about the nodes
    those name in turn (a place's parents)."""
    by_subject: dict = {}
    for q in shared:
        by_subject.setdefault(q.subject, []).append(q)
    out, todo, seen = [], [x for q in own for x in (q.subject, q.object)], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in by_subject.get(node, ()):
            out.append(q)
            todo.append(q.object)
    return out


def load_graph(out: str | os.PathLike) -> rdflib.Graph:
    """The union of a build's graphs as an rdflib Graph."""
    from rdflib import Graph

    g = Graph()
    for q in load_triples(out):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def to_rdflib(term):
    """A pyoxigraph term as the rdflib term of the same value."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:  # a simple literal, as rdflib parses it
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF 1.1 term: {term!r}")


def count_lines(path: Path) -> int:
    """Statements in a line-per-statement file (N-Quads as kg build writes it), by counting lines."""
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return n


# What the section view reads about outline nodes: types, labels, paths, tree links.
OUTLINE_PREDICATES = frozenset((RDF_TYPE, *PARENT_PREDICATES, *CHILD_PREDICATES, iri(GR.inReport),
                                *LABEL_PREDICATES, *PATH_PREDICATES, *TITLE_PREDICATES))


def statements_with(path: Path, predicates: frozenset[str]) -> list[ox.Quad]:
    """The statements of a graph file whose predicate is one of ``predicates``.

    N-Quads and N-Triples hold one statement a line, so only the lines that name one of
    them are parsed (twice as fast on a large build's graph.nq as parsing every line)."""
    if path.suffix not in (".nq", ".nt"):
        return [q for q in read(path) if q.predicate.value in predicates]
    named = re.compile("|".join(re.escape(f"<{p}>") for p in sorted(predicates)).encode())
    with open(path, "rb") as f:
        lines = b"".join(line for line in f if named.search(line))
    return [q for q in read(path, lines) if q.predicate.value in predicates]


def outline_triples(path: Path, picked: bool = False) -> list[ox.Quad]:
    """Of a graph file, only what the section view needs: outline nodes, their types,
    labels, paths and tree links. ``picked``: the file holds graph.nq's lines with
    :data:`OUTLINE_PREDICATES` (and maybe others), in its order: a build's workers picked them."""
    a, classes = ox.NamedNode(RDF_TYPE), {ox.NamedNode(c) for c in classes_of("outline")}
    kept = ([q for q in read(path) if q.predicate.value in OUTLINE_PREDICATES] if picked
            else statements_with(path, OUTLINE_PREDICATES))
    outline = {q.subject for q in kept if q.predicate == a and q.object in classes}
    return [q for q in kept if q.subject in outline]

