"""Reading a build's graph: OUT/graph.nq (or .ttl/.nt) as triples, one report's, or its outline."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.errors import KGError
from kg.viz.vocab import (
    GR,
    LABEL_PREDICATES,
    OUTLINE_TYPES,
    PARENT_PREDICATES,
    PATH_PREDICATES,
    TITLE_PREDICATES,
)

_NT_LITERAL = re.compile(r'^"(.*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$', re.S)
_NT_ESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.S)
_NT_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _nt_unescape(s: str) -> str:
    if "\\" not in s:
        return s
    return _NT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2))
                          else _NT_CHARS.get(m.group(3), m.group(3)), s)


def _nt_term(term: str):
    if term.startswith("<"):
        return URIRef(term[1:-1])
    if term.startswith("_:"):
        return BNode(term[2:])
    m = _NT_LITERAL.match(term)
    if m is None:
        raise ValueError(f"not an N-Triples term: {term[:60]}")
    value, lang, dt = m.groups()
    return Literal(_nt_unescape(value), lang=lang, datatype=URIRef(dt) if dt else None)


_NQ_TERM = re.compile(r'<[^>]*>|_:[^\s]+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?')


def _read_lines_fast(path: Path, graph_suffix: Optional[str] = None) -> Optional[list]:
    """N-Triples/N-Quads as ``kg build`` writes them (one statement a line), read as a list
    of rdflib-term triples without rdflib's parser or store (several times faster); None
    when a line is not that simple, so the caller falls back to rdflib."""
    triples = []
    append = triples.append
    cache: dict = {}
    term = _nt_term
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not line.endswith("."):
                return None
            if graph_suffix is not None and not line[:-1].rstrip().endswith(graph_suffix + ">"):
                continue
            terms = _NQ_TERM.findall(line)
            if len(terms) not in (3, 4):
                return None
            if sum(map(len, terms)) + len(terms) + 1 != len(line):  # not "t t t [g] ." with single spaces
                if "".join(terms).replace(" ", "") != line[:-1].replace(" ", ""):
                    return None
            try:
                s, p, o = terms[:3]
                append((cache[s] if s in cache else cache.setdefault(s, term(s)),
                        cache[p] if p in cache else cache.setdefault(p, term(p)),
                        cache[o] if o in cache else cache.setdefault(o, term(o))))
            except ValueError:
                return None
    return triples


def _shared_about(path: Path, triples: list) -> list:
    """The triples of the build's shared graph (kg.emit.shared_graph) about the nodes
    ``triples`` name, and about the nodes those name in turn (a place's parents)."""
    shared = _read_lines_fast(path, graph_suffix="/graph/shared") or []
    by_subject: dict = {}
    for t in shared:
        by_subject.setdefault(t[0], []).append(t)
    out, todo, seen = [], [x for t in triples for x in (t[0], t[2])], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in by_subject.get(node, ()):
            out.append(t)
            todo.append(t[2])
    return out


def _graph_file(out: str | os.PathLike) -> tuple[Path, str]:
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
    fmt = {".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".trig": "trig"}.get(path.suffix)
    if fmt is None:
        raise KGError("unknown RDF file type (expected .nq, .ttl, .nt or .trig)", str(path))
    return path, fmt


def load_triples(out: str | os.PathLike, report: Optional[str] = None):
    """The triples of a build (union of its named graphs), as cheaply as they can be read:
    a list from the build's own line-per-statement files, else an rdflib Graph.

    ``report`` (a report id such as ``haining-2023``, or its IRI) keeps that report's named
    graph only; it needs OUT/graph.nq."""
    path, fmt = _graph_file(out)
    if report is not None:
        if fmt != "nquads":
            raise KGError("--report needs the named graphs of graph.nq", str(path))
        from rdflib import Dataset

        triples = _read_lines_fast(path, graph_suffix=report if report.startswith("http") else f"/report/{report}")
        if triples:  # the shared nodes it names (entities, indicators, places) come with it
            triples += _shared_about(path, triples)
        if triples is None:  # not the build's own layout: parse it and pick the graph
            ds = Dataset()
            ds.parse(path, format="nquads")
            names = [g.identifier for g in ds.graphs() if str(g.identifier).endswith(f"/report/{report}")
                     or str(g.identifier) == report]
            triples = [t for name in names for t in ds.graph(name)]
        if not triples:
            raise KGError(f"no report {report!r} in this build", str(path))
        return triples
    if fmt in ("nquads", "nt"):
        triples = _read_lines_fast(path)
        if triples is not None:
            return triples
    return _parse(path, fmt)


def load_graph(out: str | os.PathLike) -> Graph:
    """Read the graph a build wrote: ``OUT/graph.nq`` (union of named graphs) or ``OUT/graph.ttl``."""
    triples = load_triples(out)
    if isinstance(triples, Graph):
        return triples
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def _parse(path: Path, fmt: str) -> Graph:
    try:
        if fmt in ("nquads", "trig"):
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(path, format=fmt)
            g = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
            return g
        g = Graph()
        g.parse(path, format=fmt)
        return g
    except Exception as exc:  # rdflib raises many types for bad syntax
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KGError(f"cannot parse RDF: {msg}", str(path)) from None


def _count_lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return n


def _outline_filter():
    rdf_type = f"<{RDF.type}>"
    classes = frozenset(f"<{GR}{c}>" for c in OUTLINE_TYPES)
    keep_p = {f"<{p}>" for p in (*PARENT_PREDICATES, *LABEL_PREDICATES, *PATH_PREDICATES, *TITLE_PREDICATES)}
    keep_p.add(rdf_type)
    return rdf_type, classes, keep_p


def outline_subset(triples) -> list:
    """Of N-Triples-string triples (one report's, as kg.build has them), only what the
    section view needs: outline nodes, their links, labels and paths. The page does not
    use it (it reads OUT/graph.nq); kg.build's Chunk.outline still collects it."""
    rdf_type, classes, keep_p = _outline_filter()
    outline = {s for s, p, o in triples if p == rdf_type and o in classes}
    return [t for t in triples if t[0] in outline and t[1] in keep_p]


def _terms(triples) -> list:
    cache: dict = {}
    return [tuple(cache[t] if t in cache else cache.setdefault(t, _nt_term(t)) for t in tr) for tr in triples]


def outline_triples(path: Path) -> list:
    """:func:`outline_subset` of a line-per-statement file, read in two cheap passes
    without parsing the other lines."""
    rdf_type, classes, keep_p = _outline_filter()
    outline = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if rdf_type in line:
                s, p, o, _ = line.split(" ", 3)
                if p == rdf_type and o in classes:
                    outline.add(s)
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            s, p, rest = line.split(" ", 2)
            if s in outline and p in keep_p:
                lines.append(line)
    return _terms(tuple(_NQ_TERM.findall(line)[:3]) for line in lines)
