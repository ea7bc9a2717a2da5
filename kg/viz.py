"""The interactive graph page: RDF graph -> networkx projection -> pyvis Network -> one offline HTML file.

Convention handled: a report is an outline (一、 parts, (一) sections, 1. items, each with a
``gr:path`` label such as 二(一)1) whose sentences carry the facts.  The page draws the
outline as a radial tree per report and hangs every entity, goal and target near the
sections that mention it; each node's tooltip gives its type, its section path and the
evidence sentence, such as this one of the seed for the results it reports:

    新增就业4万余人,发放稳岗补贴9320万元。

The projection is generic: node types come from ``rdf:type``, labels from
``skos:prefLabel``/``rdfs:label``/``schema:name``/``dcterms:title``, edges from object
properties between shown nodes.  Text nodes (sentences, paragraphs, mentions) are hidden
unless asked for; an entity linked to a hidden mention/sentence gets a derived
``mentionedIn`` edge to the outline node that sentence belongs to, and the sentence text
becomes its evidence.

Large graphs: pyvis's own ``from_nx``/``add_node`` are quadratic and its templates load
scripts from CDNs, so nodes and edges are added in bulk and the page is rendered from
``kg/static`` (vis-network embedded) with positions computed here; vis physics runs only
on small graphs, settles, then stops.
"""
from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re
import tempfile
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import networkx as nx
from pyvis.network import Network
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.errors import KGError

GR = "https://w3id.org/govreport-kg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SCHEMA = "https://schema.org/"
SH = "http://www.w3.org/ns/shacl#"

STATIC = Path(__file__).with_name("static")
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

# Physics (animated after the first paint, stopped once stable or after PHYSICS_MAX_MS) only
# for one small report: above this, positions only, since vis physics costs tens of seconds.
PHYSICS_MAX_NODES = 300
PHYSICS_MAX_MS = 4000
# kg build draws everything up to this many statements (the seed + nine-report corpus with
# entities and goals is ~175k), and only the outline above it.
BUILD_PAGE_MAX_TRIPLES = 600_000
# Edge tooltips, dashed derived edges and derived edges shown at first: up to this many edges.
EDGES_FULL_STYLE_MAX = 4000
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
def _natural_key(s: str):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", s)]


@dataclass
class _Index:
    """What the projection needs from the triples, gathered in one pass."""

    types: dict = field(default_factory=lambda: defaultdict(set))
    labels: dict = field(default_factory=dict)  # node -> (rank, text)
    paths: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    begins: dict = field(default_factory=dict)
    out: dict = field(default_factory=lambda: defaultdict(list))  # node -> [(p, o)]
    inn: dict = field(default_factory=lambda: defaultdict(list))  # node -> [(p, s)]


def _key(term) -> Optional[str]:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    return None


def _index(triples: Iterable) -> _Index:
    ix = _Index()
    rdf_type = str(RDF.type)
    label_rank = {p: i for i, p in enumerate(LABEL_PREDICATES)}
    for s, p, o in triples:
        sk = _key(s)
        if sk is None:
            continue
        p = str(p)
        if isinstance(o, Literal):
            if p in label_rank:
                # prefer the preferred predicate, then Chinese, then untagged, then the smallest text
                lang = (o.language or "").lower()
                rank = (label_rank[p], 0 if lang.startswith("zh") else 1 if not lang else 2, str(o))
                old = ix.labels.get(sk)
                if old is None or rank < old:
                    ix.labels[sk] = rank
            elif p in PATH_PREDICATES:
                ix.paths[sk] = min(ix.paths.get(sk, str(o)), str(o))
            elif p in TITLE_PREDICATES:
                ix.titles[sk] = min(ix.titles.get(sk, str(o)), str(o))
            elif p in TEXT_PREDICATES:
                ix.texts[sk] = str(o)
            elif p in BEGIN_PREDICATES:
                try:
                    ix.begins[sk] = int(o)
                except (TypeError, ValueError):
                    pass
            continue
        ok = _key(o)
        if ok is None:
            continue
        if p == rdf_type:
            ix.types[sk].add(ok)
            continue
        ix.out[sk].append((p, ok))
        ix.inn[ok].append((p, sk))
    return ix


def _primary_type(types: set) -> Optional[str]:
    """The most specific type: the project's own classes first, then non-generic ones."""
    if any(t.startswith(META_NAMESPACES) for t in types):
        return None  # an ontology term (class, property, shape), not data
    if not types:
        return None

    def rank(t):
        name = local_name(t)
        return (0 if t.startswith(GR) else 1, 1 if name in GENERIC_TYPES else 0,
                FAMILY_ORDER[family_of(name)], name)

    return local_name(min(types, key=rank))


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


def project(graph: Graph | Iterable, view: str = "report", focus: Optional[str] = None,
            include_text: bool = False) -> nx.MultiDiGraph:
    """Project RDF triples onto a networkx graph of what the page shows.

    Nodes are keyed by IRI and carry ``label``, ``name`` (full label), ``type``, ``family``,
    ``path`` (section path(s)), ``evidence`` (sentences), ``groups`` (outline ancestors,
    outermost first), ``parent`` (outline parent) and ``report``.  Edges carry ``predicate``
    and ``label``; derived edges (through hidden text nodes) have ``derived=True``.
    """
    if view not in VIEWS:
        raise KGError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    ix = _index(graph)
    ptype = {}
    for node, types in ix.types.items():
        t = _primary_type(types)
        if t is not None:
            ptype[node] = t
    fam = {n: family_of(t) for n, t in ptype.items()}

    # Outline tree: parent links between outline nodes.
    parent = {}
    for n, f in fam.items():
        if f != "outline":
            continue
        for p, o in sorted(ix.out.get(n, ())):
            if p in PARENT_PREDICATES and fam.get(o) == "outline":
                parent[n] = o
                break
    for n, f in fam.items():
        if f == "outline":
            for p, o in sorted(ix.out.get(n, ())):
                if p in CHILD_PREDICATES and fam.get(o) == "outline" and o not in parent:
                    parent[o] = n

    # An outline node with no parent of its own (e.g. an annex) hangs from the report it is in.
    for n, f in fam.items():
        if f == "outline" and n not in parent and ptype[n] != "Report":
            reports = sorted(o for _p, o in ix.out.get(n, ()) if ptype.get(o) == "Report")
            if reports:
                parent[n] = reports[0]

    chains = {}

    def chain(n):
        if n in chains:
            return chains[n]
        seen, c, cur = set(), [], n
        while cur is not None and cur not in seen:
            seen.add(cur)
            c.append(cur)
            cur = parent.get(cur)
        chains[n] = tuple(reversed(c))
        return chains[n]

    anchor_memo: dict = {}
    sentence_memo: dict = {}

    def hidden_anchor(h):
        if h not in anchor_memo:
            anchor_memo[h] = _hidden_anchor(h)
        return anchor_memo[h]

    def sentences_of(h):
        if h not in sentence_memo:
            sentence_memo[h] = _sentences_of(h)
        return sentence_memo[h]

    def _hidden_anchor(h, hops=4):
        """The deepest outline node a text node belongs to, following links out of it."""
        frontier, seen = [h], {h}
        for _ in range(hops):
            nxt, found = [], []
            for cur in frontier:
                for _p, o in ix.out.get(cur, ()):
                    if o in seen:
                        continue
                    seen.add(o)
                    if fam.get(o) == "outline":
                        found.append(o)
                    elif fam.get(o) == "text":
                        nxt.append(o)
            if found:
                return max(found, key=lambda o: (len(chain(o)), _natural_key(o)))
            frontier = nxt
        return None

    def _sentences_of(h, hops=2):
        """Evidence text for a hidden node: itself if it is a sentence, else sentences it points to."""
        found, frontier, seen = [], [h], {h}
        for _ in range(hops + 1):
            nxt = []
            for cur in frontier:
                if ptype.get(cur) == "Sentence" and cur in ix.texts:
                    found.append(cur)
                    continue
                for _p, o in sorted(ix.out.get(cur, ())):
                    if o not in seen and fam.get(o) == "text":
                        seen.add(o)
                        nxt.append(o)
            frontier = nxt
        return found

    shown_families = {
        "report": {"outline", "goal", "entity"},
        "section": {"outline"},
        "goal": {"outline", "goal", "entity"},
        "entity": {"outline", "entity"},
    }[view]
    if include_text:
        shown_families = shown_families | {"text"}
    shown = {n for n, f in fam.items() if f in shown_families}

    G = nx.MultiDiGraph(view=view)
    for n in sorted(shown):
        name = ix.labels[n][2] if n in ix.labels else (ix.texts.get(n) or local_name(n))
        G.add_node(n, name=name, type=ptype[n], family=fam[n], iri=n, own_path=ix.paths.get(n, ""))

    def add_edge(s, o, p, derived=False):
        label = "mentionedIn" if derived else local_name(p)
        if not G.has_edge(s, o, key=label):
            G.add_edge(s, o, key=label, predicate=p, label=label, derived=derived)

    anchors = defaultdict(set)  # non-outline node -> outline nodes it is tied to
    evidence = defaultdict(set)
    for s in sorted(shown):
        for p, o in sorted(ix.out.get(s, ())):
            if o in shown:
                if p in CHILD_PREDICATES and any(q in PARENT_PREDICATES and x == s for q, x in ix.out.get(o, ())):
                    continue  # hasPart that only restates an isPartOf
                add_edge(s, o, p)
                if fam[o] == "outline" and fam[s] != "outline":
                    anchors[s].add(o)
            elif fam.get(o) == "text" and fam[s] != "text":
                evidence[s].update(sentences_of(o))
                a = hidden_anchor(o)
                if a is not None and fam[s] != "outline":
                    anchors[s].add(a)
        if fam[s] in ("outline", "text"):
            continue
        for p, o in sorted(ix.inn.get(s, ())):
            if o in shown:
                if fam[o] == "outline":
                    anchors[s].add(o)
            elif fam.get(o) == "text":
                evidence[s].update(sentences_of(o))
                a = hidden_anchor(o)
                if a is not None:
                    anchors[s].add(a)
    for s, outs in anchors.items():
        for a in sorted(outs):
            if a in shown and not G.has_edge(s, a) and not G.has_edge(a, s):
                add_edge(s, a, "", derived=True)

    # An edge to an outline node above one the node already hangs from (e.g. inReport next
    # to isPartOf) only restates the tree: drop it.
    for s in list(G):
        ties = {o for o in G.successors(s) if fam[o] == "outline"}
        redundant = set()
        for t in ties:
            redundant.update(chain(t)[:-1])
        for a in redundant:
            if a != parent.get(s) and G.has_edge(s, a):
                for k in list(G[s][a]):
                    G.remove_edge(s, a, key=k)
        a = parent.get(s)
        if a is not None and G.has_edge(s, a):
            keys = list(G[s][a])
            if any(G[s][a][k]["predicate"] in PARENT_PREDICATES for k in keys):
                for k in keys:
                    if G[s][a][k]["predicate"] not in PARENT_PREDICATES:
                        G.remove_edge(s, a, key=k)

    # Views that focus on one family keep what touches it and the outline above that.
    if view == "goal":
        core = {n for n in G if G.nodes[n]["family"] == "goal"}
        keep = set(core)
        for n in core:
            keep.update(G.predecessors(n))
            keep.update(G.successors(n))
        keep.update(a for n in list(keep) for a in chain(n) if a in G)
        keep.update(a for n in list(keep) if n in anchors for b in anchors[n] for a in chain(b))
        G.remove_nodes_from([n for n in list(G) if n not in keep])
    elif view == "entity":
        keep = {n for n in G if G.nodes[n]["family"] == "entity"}
        for n in list(keep):
            for b in anchors.get(n, ()):
                keep.update(chain(b))
        keep.update(n for n in G if G.nodes[n]["family"] == "outline")
        G.remove_nodes_from([n for n in list(G) if n not in keep])

    if focus is not None:
        target = find_node(G, focus)
        ego = nx.ego_graph(G, target, radius=2, undirected=True)
        keep = set(ego)
        keep.update(a for n in list(keep) for a in chain(n) if a in G)
        G.remove_nodes_from([n for n in list(G) if n not in keep])
        G.graph["focus"] = target

    # Attributes the page needs.
    for n, d in G.nodes(data=True):
        if d["family"] == "outline":
            ties = [n]
        else:
            ties = sorted((a for a in anchors.get(n, ()) if a in G), key=lambda a: _natural_key(a))
        groups = []
        for a in ties:
            for c in chain(a):
                if c in G and c not in groups:
                    groups.append(c)
        paths = []
        for a in ties:
            pth = ix.paths.get(a)
            if pth and pth not in paths:
                paths.append(pth)
        d["path"] = "、".join(paths[:5]) + ("…" if len(paths) > 5 else "")
        d["groups"] = tuple(groups)
        d["parent"] = parent.get(n) if parent.get(n) in G else None
        d["report"] = chain(ties[0])[0] if ties else None
        ev = sorted(evidence.get(n, ()), key=lambda x: (ix.begins.get(x, 0), _natural_key(x)))
        d["evidence"] = tuple(ix.texts[x] for x in ev[:EVIDENCE_MAX])
        d["evidence_count"] = len(ev)
        short = ix.titles.get(n, d["name"]) if d["family"] == "outline" else d["name"]
        d["label"] = short if len(short) <= LABEL_MAX else short[: LABEL_MAX - 1] + "…"
        if d["family"] == "outline" and ix.paths.get(n) and d["type"] != "Report":
            d["label"] = f"{ix.paths[n]} {d['label']}"
    return G


def find_node(G: nx.Graph, ident: str) -> str:
    """A node by IRI, IRI suffix, label or section path; KGError when none or several match."""
    if ident in G:
        return ident
    for test in (
        lambda n, d: n.endswith("/" + ident) or n.endswith("#" + ident),
        lambda n, d: d.get("name") == ident,
        lambda n, d: d.get("own_path") == ident,
    ):
        hits = sorted(n for n, d in G.nodes(data=True) if test(n, d))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise KGError(f"--focus {ident!r} matches {len(hits)} nodes (e.g. {hits[0]}, {hits[1]}); give an IRI")
    raise KGError(f"--focus {ident!r} matches no node in this view")


# ---------------------------------------------------------------- layout


def layout(G: nx.MultiDiGraph, spacing: float = 40.0) -> dict:
    """Deterministic positions: a radial tree per report, other nodes around their sections.

    Pure Python (no numpy): cost is linear in nodes + edges, so a corpus of thousands of
    nodes lays out in well under a second and the browser needs no physics to draw it.
    """
    outline = [n for n, d in G.nodes(data=True) if d["family"] == "outline"]
    children = defaultdict(list)
    roots = []
    for n in outline:
        p = G.nodes[n].get("parent")
        if p is not None:
            children[p].append(n)
        else:
            roots.append(n)
    for p in children:
        children[p].sort(key=_natural_key)
    roots.sort(key=_natural_key)

    # Satellites: each non-outline node hangs off its first outline group (deepest tie).
    home = {}
    for n, d in G.nodes(data=True):
        if d["family"] != "outline" and d["groups"]:
            home[n] = max(d["groups"], key=lambda g: (len(_chain_in(G, g)), _natural_key(g)))
    sats = defaultdict(list)
    for n, h in home.items():
        sats[h].append(n)
    for h in sats:
        sats[h].sort(key=lambda n: (G.nodes[n]["type"], _natural_key(n)))

    weight = {}

    def subtree_weight(n):
        stack, order = [n], []
        while stack:
            cur = stack.pop()
            order.append(cur)
            stack.extend(children.get(cur, ()))
        for cur in reversed(order):
            weight[cur] = 1 + 0.35 * len(sats.get(cur, ())) + sum(weight[c] for c in children.get(cur, ()))
        return weight[n]

    pos = {}
    discs = []  # (root, radius, local positions)
    for r in roots:
        total = subtree_weight(r)
        local = {}
        depth_max = _depth(children, r)
        ring = max(spacing * 3, total * spacing / (2 * math.pi * max(depth_max, 1)))
        local[r] = (0.0, 0.0)
        stack = [(r, 0, 0.0, 2 * math.pi)]
        while stack:
            n, depth, a0, a1 = stack.pop()
            kids = children.get(n, ())
            if not kids:
                continue
            tw = sum(weight[k] for k in kids)
            a = a0
            for k in kids:
                span = (a1 - a0) * weight[k] / tw
                mid = a + span / 2
                rad = ring * (depth + 1)
                local[k] = (rad * math.cos(mid), rad * math.sin(mid))
                stack.append((k, depth + 1, a, a + span))
                a += span
        # satellites of this tree
        extent = ring * depth_max
        for h in [x for x in local]:
            ss = sats.get(h, ())
            if not ss:
                continue
            hx, hy = local[h]
            ang = math.atan2(hy, hx) if (hx or hy) else 0.0
            cx, cy = hx + math.cos(ang) * spacing * 1.5, hy + math.sin(ang) * spacing * 1.5
            for i, s in enumerate(ss):
                rr = spacing * 0.8 * math.sqrt(i + 1)
                th = i * 2.399963229728653 + ang  # golden angle
                local[s] = (cx + rr * math.cos(th), cy + rr * math.sin(th))
                extent = max(extent, math.hypot(*local[s]))
        discs.append((r, extent + spacing * 2, local))

    # Pack report discs in rows.
    if discs:
        cols = max(1, math.ceil(math.sqrt(len(discs))))
        x = y = 0.0
        row_h = 0.0
        for i, (_r, rad, local) in enumerate(discs):
            if i and i % cols == 0:
                x, y = 0.0, y + row_h
                row_h = 0.0
            cx, cy = x + rad, y + rad
            for n, (lx, ly) in local.items():
                pos[n] = (cx + lx, cy + ly)
            x += 2 * rad
            row_h = max(row_h, 2 * rad)

    # Nodes with no outline tie: next to a placed neighbour (BFS), else on a grid below.
    rest = sorted((n for n in G if n not in pos), key=_natural_key)
    if rest:
        U = G.to_undirected(as_view=True)
        queue = deque(n for n in sorted(pos, key=_natural_key))
        count = defaultdict(int)
        while queue:
            cur = queue.popleft()
            for nb in sorted(U.neighbors(cur), key=_natural_key):
                if nb in pos:
                    continue
                count[cur] += 1
                i = count[cur]
                th = i * 2.399963229728653
                rr = spacing * math.sqrt(i)
                pos[nb] = (pos[cur][0] + rr * math.cos(th), pos[cur][1] + rr * math.sin(th))
                queue.append(nb)
        left = [n for n in rest if n not in pos]
        if left:
            bottom = max((p[1] for p in pos.values()), default=0.0) + spacing * 3
            cols = max(1, math.ceil(math.sqrt(len(left))))
            for i, n in enumerate(left):
                pos[n] = ((i % cols) * spacing * 1.5, bottom + (i // cols) * spacing * 1.5)
    return pos


def _chain_in(G, n):
    c, seen = [], set()
    while n is not None and n not in seen:
        seen.add(n)
        c.append(n)
        n = G.nodes[n].get("parent")
    return c


def _depth(children, r):
    best, stack = 0, [(r, 0)]
    while stack:
        n, d = stack.pop()
        best = max(best, d)
        stack.extend((k, d + 1) for k in children.get(n, ()))
    return best


# ---------------------------------------------------------------- the page


def style_of(type_name: str) -> tuple[str, str]:
    if type_name in STYLE:
        return STYLE[type_name]
    # a subclass named after its parent (e.g. CountyPlace, PlannedProject) looks like it
    for known in sorted(STYLE, key=len, reverse=True):
        if type_name.endswith(known):
            return STYLE[known]
    h = int(hashlib.sha1(type_name.encode("utf-8")).hexdigest(), 16)
    return PALETTE[h % len(PALETTE)], "dot"


class KGNetwork(Network):
    """A pyvis Network whose HTML is self-contained: vis-network and our page code embedded.

    ``write_html(path)`` writes one file that opens offline; in a notebook the object
    displays itself inline (an iframe holding the same document).
    """

    def __init__(self, title: str = "govreport-kg", **kw):
        kw.setdefault("height", "100%")
        kw.setdefault("width", "100%")
        kw.setdefault("directed", True)
        kw.setdefault("cdn_resources", "in_line")
        super().__init__(**kw)
        self.title = title
        self.meta: dict = {}

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        self.html = render_page(self)
        return self.html

    def write_html(self, name, local=True, notebook=False, open_browser=False):
        _atomic_write(Path(name), self.generate_html())

    def show(self, name, local=True, notebook=True):
        self.write_html(name)
        if notebook:
            from IPython.display import IFrame

            return IFrame(name, width="100%", height=640)
        return None

    def _repr_html_(self) -> str:
        doc = html.escape(self.generate_html(), quote=True)
        return (f'<iframe srcdoc="{doc}" style="width:100%;height:640px;border:1px solid #ddd" '
                f'sandbox="allow-scripts"></iframe>')


def to_network(G: nx.MultiDiGraph, positions: Optional[dict] = None, title: str = "govreport-kg",
               physics: Optional[bool] = None) -> KGNetwork:
    """Fill a :class:`KGNetwork` from a projection, in bulk (pyvis's add_node is quadratic)."""
    if positions is None:
        positions = layout(G)
    n_nodes = G.number_of_nodes()
    if physics is None:
        n_reports = sum(1 for _, d in G.nodes(data=True) if d["type"] == "Report")
        physics = n_nodes <= PHYSICS_MAX_NODES and n_reports <= 1
    index = {n: i for i, n in enumerate(sorted(G, key=_natural_key))}
    degree = dict(G.degree())
    maxdeg = max(degree.values(), default=1) or 1

    type_names = sorted({d["type"] for _, d in G.nodes(data=True)},
                        key=lambda t: (FAMILY_ORDER[family_of(t)], OUTLINE_TYPES.index(t)
                                       if t in OUTLINE_TYPES else 0, t))
    tindex = {t: i for i, t in enumerate(type_names)}
    counts = defaultdict(int)
    for _, d in G.nodes(data=True):
        counts[d["type"]] += 1

    # Section filter: outline nodes down to sections (depth <= 2 below a report).
    group_ids = [n for n in sorted(G, key=_natural_key)
                 if G.nodes[n]["family"] == "outline" and len(_chain_in(G, n)) <= 3]
    gindex = {g: i for i, g in enumerate(group_ids)}
    goal_ids = [n for n in sorted(G, key=_natural_key) if G.nodes[n]["type"] in ("Goal",)] or \
               [n for n in sorted(G, key=_natural_key) if G.nodes[n]["family"] == "goal"]

    # Evidence sentences are stored once and referred to by index; colour, shape and the
    # tooltip text are filled in by the page from the type table (smaller file, faster parse).
    sentences: list[str] = []
    sindex: dict[str, int] = {}
    nodes = []
    for n in sorted(G, key=_natural_key):
        d = G.nodes[n]
        size = 8 + 22 * math.sqrt(degree[n] / maxdeg)
        if d["type"] == "Report":
            size = max(size, 30)
        x, y = positions.get(n, (0.0, 0.0))
        node = {
            "id": index[n], "label": d["label"], "name": d["name"],
            "x": round(x, 1), "y": round(y, 1), "size": round(size, 1), "t": tindex[d["type"]],
            "g": [gindex[g] for g in d["groups"] if g in gindex], "iri": d["iri"],
        }
        if d["path"]:
            node["path"] = d["path"]
        if d["evidence"]:
            for x in d["evidence"]:
                if x not in sindex:
                    sindex[x] = len(sentences)
                    sentences.append(x)
            node["ev"] = [sindex[x] for x in d["evidence"]]
            if d["evidence_count"] > len(d["evidence"]):
                node["evn"] = d["evidence_count"] - len(d["evidence"])
        nodes.append(node)
    predicates = sorted({d["label"] for _, _, d in G.edges(data=True)})
    pindex = {p: i for i, p in enumerate(predicates)}
    edges = []
    for i, (s, o, k, d) in enumerate(sorted(G.edges(keys=True, data=True),
                                            key=lambda e: (index[e[0]], index[e[1]], e[2]))):
        e = {"id": i, "from": index[s], "to": index[o], "p": pindex[d["label"]]}
        if d.get("derived"):
            e["d"] = 1
        edges.append(e)
    n_derived = sum(1 for e in edges if e.get("d"))

    net = KGNetwork(title=title)
    # Bulk fill of pyvis's own structures (what add_nodes would do, without the O(n²) checks).
    net.nodes = nodes
    net.node_ids = [nd["id"] for nd in nodes]
    net.node_map = {nd["id"]: nd for nd in nodes}
    net.edges = edges
    net.meta = {
        "title": title,
        "view": G.graph.get("view", "report"),
        "physics": bool(physics),
        "physicsMaxMs": PHYSICS_MAX_MS,
        "types": [{"name": t, "color": style_of(t)[0], "shape": style_of(t)[1], "count": counts[t],
                   "family": family_of(t)} for t in type_names],
        "groups": [{"id": gindex[g], "node": index[g], "label": G.nodes[g]["label"], "depth": len(_chain_in(G, g)) - 1}
                   for g in group_ids],
        "goals": [{"id": index[g], "label": G.nodes[g]["label"]} for g in goal_ids],
        "focus": index.get(G.graph.get("focus")),
        "sentences": sentences,
        "predicates": predicates,
        # Large graphs: derived "mentionedIn" links start hidden (a checkbox shows them),
        # and edges lose tooltips and dashes, which cost seconds in vis at tens of thousands.
        "derivedShown": len(edges) <= EDGES_FULL_STYLE_MAX,
        "derivedCount": n_derived,
        "edgeStyle": len(edges) <= EDGES_FULL_STYLE_MAX,
    }
    return net


def vis_options(meta: dict, n_nodes: int) -> dict:
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": meta["physics"],
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -3000, "springLength": 90, "avoidOverlap": 0.2},
            # no blocking pre-stabilisation: draw at the computed positions at once, then settle
            "stabilization": {"enabled": False},
            "maxVelocity": 30, "minVelocity": 1.0,
        },
        "nodes": {"font": {"size": 13, "face": "sans-serif"}, "borderWidth": 1},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
                  "color": {"color": "#b3b6b7", "highlight": "#34495e"}, "width": 1},
        "interaction": {"hover": n_nodes <= 3000, "tooltipDelay": 120,
                        "hideEdgesOnDrag": n_nodes > 2000, "hideEdgesOnZoom": n_nodes > 5000},
    }


def _read_static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _json_for_script(obj) -> str:
    # JSON inside <script>: "</" and "<!--" written as escapes so nothing can close the element.
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _code_for_script(code: str) -> str:
    # Vendored code is embedded as is; refuse (rather than rewrite) anything that would end the element.
    if re.search(r"</script|<!--", code, re.I):
        raise KGError("embedded script contains </script or <!--", "kg/static")
    return code


def render_page(net: KGNetwork) -> str:
    """The whole page as one string: no external resource of any kind."""
    meta = dict(net.meta)
    payload = {"meta": meta, "nodes": net.nodes, "edges": net.edges,
               "options": vis_options(meta, len(net.nodes))}
    data = _json_for_script(payload)
    page = _read_static("page.html")
    parts = {
        "{{TITLE}}": html.escape(net.title),
        "{{CSS}}": _read_static("kg-page.css"),
        "{{VIS}}": _code_for_script(_read_static("vis-network.min.js")),
        "{{DATA}}": data,
        "{{APP}}": _code_for_script(_read_static("kg-page.js")),
    }
    out = []
    pos = 0
    for m in re.finditer(r"\{\{[A-Z]+\}\}", page):
        out.append(page[pos:m.start()])
        out.append(parts[m.group(0)])
        pos = m.end()
    out.append(page[pos:])
    return "".join(out)


def _atomic_write(path: Path, text: str) -> None:
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise KGError("directory does not exist", str(parent))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + path.name, suffix=".tmp", dir=parent)
    except OSError as exc:
        raise KGError(f"cannot write: {exc.strerror}", str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def visualize(graph: Graph | Iterable, view: str = "report", focus: Optional[str] = None,
              include_text: bool = False, title: Optional[str] = None) -> KGNetwork:
    """RDF graph -> KGNetwork, like kglab's ``visualize_query``: the caller writes or shows it."""
    G = project(graph, view=view, focus=focus, include_text=include_text)
    if G.number_of_nodes() == 0:
        raise KGError(f"nothing to draw in the {view} view")
    if title is None:
        reports = sorted(d["name"] for _, d in G.nodes(data=True) if d["type"] == "Report")
        title = reports[0] if len(reports) == 1 else f"govreport-kg · {len(reports)} reports"
    net = to_network(G, title=title)
    net.projection = G
    return net


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
    section view needs: outline nodes, their links, labels and paths."""
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


def write_build_page(folder: str, result=None) -> None:
    """``kg build``'s last step: OUT/graph.html from the graph just written in ``folder``.

    A graph of more than BUILD_PAGE_MAX_TRIPLES statements (dozens of reports) gets the
    outline of every report instead, read without parsing the rest: drawing everything
    would take minutes and a page of hundreds of MB. The build hands over the outline it
    kept as reports streamed by (``result.outline``), so the big file is not read again.
    ``kg viz OUT --report ID`` draws any one report in full."""
    path, _fmt = _graph_file(folder)
    dest = os.path.join(folder, "graph.html")
    kept = getattr(result, "outline", None)
    size = result.triple_count if kept is not None else None
    if path.suffix == ".nq" and (size if size is not None else _count_lines(path)) > BUILD_PAGE_MAX_TRIPLES:
        triples = _terms(kept) if kept is not None else outline_triples(path)
        n = sum(1 for _s, p, o in triples if str(p) == str(RDF.type) and local_name(str(o)) == "Report")
        write_page(triples, dest, view="section",
                   title=f"govreport-kg · {n} reports (outline only: kg viz OUT --report ID for one report)")
        return
    write_page(load_triples(folder), dest)


def write_page(graph: Graph | Iterable, path: str | os.PathLike, **kw) -> KGNetwork:
    """Write the self-contained page for a graph to ``path`` (atomically) and return the network."""
    net = visualize(graph, **kw)
    net.write_html(str(path))
    return net
