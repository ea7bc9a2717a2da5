"""RDF triples -> the networkx graph the page draws (nodes, edges, outline ties, evidence)."""
from __future__ import annotations

import contextlib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from kg.errors import KGError
from kg.namespace import DCTERMS, GR, NIF, SKOS
from kg.viz.vocab import (
    BEGIN_PREDICATES,
    CHILD_PREDICATES,
    END_PREDICATES,
    EVIDENCE_MAX,
    LABEL_MAX,
    LABEL_PREDICATES,
    MENTIONS_MAX,
    PARENT_PREDICATES,
    PATH_PREDICATES,
    RDF_TYPE,
    TEXT_PREDICATES,
    TITLE_PREDICATES,
    VIEWS,
    family_of,
    iri,
    is_a,
    local_name,
    natural_key,
    primary_type,
)

REPORT = iri(GR.Report)
SENTENCE = iri(NIF.Sentence)
IDENTIFIER = iri(DCTERMS.identifier)
# What an entity's panel says of who it is: other names, and a place's administrative code and level.
IDENTITY = {iri(SKOS.altLabel): "aliases", iri(GR.adminCode): "code", iri(GR.adminLevel): "level"}
MENTION_OF = iri(GR.mentionOf)
IN_SENTENCE = iri(GR.inSentence)
IN_SECTION = iri(GR.inSection)


@dataclass
class _Index:
    """What the projection needs from the triples, gathered in one pass."""

    types: dict = field(default_factory=lambda: defaultdict(set))
    labels: dict = field(default_factory=dict)  # node -> (rank, text)
    paths: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    begins: dict = field(default_factory=dict)
    ends: dict = field(default_factory=dict)
    identifiers: dict = field(default_factory=dict)  # node -> dcterms:identifier (a report's id)
    identity: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))  # node -> key -> values
    out: dict = field(default_factory=lambda: defaultdict(list))  # node -> [(p, o)]
    inn: dict = field(default_factory=lambda: defaultdict(list))  # node -> [(p, s)]


Row = tuple[str, str, "str | tuple[str, str]"]  # subject, predicate, object node or (literal, language)


def _node(term) -> str | None:
    """A node's key: its IRI, or ``_:`` and the blank node's id; None for a literal."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return None


def rows(graph) -> Iterator[Row]:
    """The statements of ``graph`` as plain rows: pyoxigraph quads or triples (a list,
    a parser, a Store), or rdflib triples (a Graph, a list)."""
    items = iter(graph)
    first = next(items, None)
    if first is None:
        return
    items = itertools.chain((first,), items)
    if not hasattr(first, "subject"):
        yield from _rdflib_rows(items)
        return
    literal = ox.Literal
    for q in items:
        s = _node(q.subject)
        if s is None:
            continue
        o = q.object
        if isinstance(o, literal):
            yield s, q.predicate.value, (o.value, o.language or "")
        else:
            k = _node(o)
            if k is not None:
                yield s, q.predicate.value, k


def _rdflib_rows(triples) -> Iterator[Row]:
    from rdflib import BNode, Literal, URIRef

    def node(t):
        return str(t) if isinstance(t, URIRef) else "_:" + str(t) if isinstance(t, BNode) else None

    for s, p, o in triples:
        sk = node(s)
        if sk is None:
            continue
        if isinstance(o, Literal):
            yield sk, str(p), (str(o), o.language or "")
        else:
            ok = node(o)
            if ok is not None:
                yield sk, str(p), ok


def _index(graph) -> _Index:
    ix = _Index()
    rdf_type = RDF_TYPE
    label_rank = {p: i for i, p in enumerate(LABEL_PREDICATES)}
    for sk, p, o in rows(graph):
        if isinstance(o, tuple):
            text, lang = o
            if p in label_rank:
                # prefer the preferred predicate, then Chinese, then untagged, then the smallest text
                lang = lang.lower()
                rank = (label_rank[p], 0 if lang.startswith("zh") else 1 if not lang else 2, text)
                old = ix.labels.get(sk)
                if old is None or rank < old:
                    ix.labels[sk] = rank
            elif p in PATH_PREDICATES:
                ix.paths[sk] = min(ix.paths.get(sk, text), text)
            elif p in TITLE_PREDICATES:
                ix.titles[sk] = min(ix.titles.get(sk, text), text)
            elif p in TEXT_PREDICATES:
                ix.texts[sk] = text
            elif p in BEGIN_PREDICATES:
                with contextlib.suppress(ValueError):
                    ix.begins[sk] = int(text)
            elif p in IDENTITY:
                ix.identity[sk][IDENTITY[p]].add(text)
            elif p == IDENTIFIER:
                ix.identifiers[sk] = min(ix.identifiers.get(sk, text), text)
            elif p in END_PREDICATES:
                with contextlib.suppress(ValueError):
                    ix.ends[sk] = int(text)
            continue
        if p == rdf_type:
            ix.types[sk].add(o)
            continue
        ix.out[sk].append((p, o))
        ix.inn[o].append((p, sk))
    return ix


class _Source:
    """The statements, indexed: each node's class and family, and the outline tree."""

    def __init__(self, graph: Iterable) -> None:
        self.ix = ix = _index(graph)
        self.cls = {n: t for n, t in ((n, primary_type(ts)) for n, ts in ix.types.items()) if t is not None}
        self.fam = {n: family_of(t) for n, t in self.cls.items()}
        self.parent = self._outline_tree()
        self._chains: dict[str, tuple[str, ...]] = {}
        self._anchors: dict[str, str | None] = {}
        self._sentences: dict[str, list[str]] = {}

    def _outline_tree(self) -> dict[str, str]:
        """Outline node -> its parent: by isPartOf, else by the parent's hasPart; a node
        with neither (e.g. an annex) hangs from the report it is in."""
        ix, fam, parent = self.ix, self.fam, {}
        outline = [n for n, f in fam.items() if f == "outline"]
        for n in outline:
            for p, o in sorted(ix.out.get(n, ())):
                if p in PARENT_PREDICATES and fam.get(o) == "outline":
                    parent[n] = o
                    break
        for n in outline:
            for p, o in sorted(ix.out.get(n, ())):
                if p in CHILD_PREDICATES and fam.get(o) == "outline" and o not in parent:
                    parent[o] = n
        for n in outline:
            if n not in parent and self.cls[n] != REPORT:
                reports = sorted(o for _p, o in ix.out.get(n, ()) if self.cls.get(o) == REPORT)
                if reports:
                    parent[n] = reports[0]
        return parent

    def chain(self, n: str) -> tuple[str, ...]:
        """The outline nodes from the root down to ``n``."""
        if n not in self._chains:
            seen: set[str] = set()
            c: list[str] = []
            cur: str | None = n
            while cur is not None and cur not in seen:
                seen.add(cur)
                c.append(cur)
                cur = self.parent.get(cur)
            self._chains[n] = tuple(reversed(c))
        return self._chains[n]

    def anchor(self, h: str, hops: int = 4) -> str | None:
        """The deepest outline node a hidden text node belongs to, following links out of it."""
        if h in self._anchors:
            return self._anchors[h]
        self._anchors[h] = None
        frontier, seen = [h], {h}
        for _ in range(hops):
            nxt, found = [], []
            for cur in frontier:
                for _p, o in self.ix.out.get(cur, ()):
                    if o in seen:
                        continue
                    seen.add(o)
                    if self.fam.get(o) == "outline":
                        found.append(o)
                    elif self.fam.get(o) == "text":
                        nxt.append(o)
            if found:
                self._anchors[h] = max(found, key=lambda o: (len(self.chain(o)), natural_key(o)))
                break
            frontier = nxt
        return self._anchors[h]

    def is_title(self, sentence: str) -> bool:
        """The sentence is the title of the report it is in (the first line of the text)."""
        anchor = self.anchor(sentence)
        if anchor is None:
            return False
        report = self.chain(anchor)[0]
        label = self.ix.labels.get(report)
        return label is not None and self.ix.texts.get(sentence, "").strip() == label[2].strip()

    def sentences(self, h: str, hops: int = 2) -> list[str]:
        """Evidence for a hidden node: itself if it is a sentence, else the sentences it points to."""
        if h in self._sentences:
            return self._sentences[h]
        found, frontier, seen = [], [h], {h}
        for _ in range(hops + 1):
            nxt = []
            for cur in frontier:
                if cur in self.ix.texts and is_a(self.cls.get(cur, ""), SENTENCE):
                    found.append(cur)
                    continue
                for _p, o in sorted(self.ix.out.get(cur, ())):
                    if o not in seen and self.fam.get(o) == "text":
                        seen.add(o)
                        nxt.append(o)
            frontier = nxt
        self._sentences[h] = found
        return found


SHOWN = {
    "report": {"outline", "goal", "entity"},
    "section": {"outline"},
    "goal": {"outline", "goal", "entity"},
    "entity": {"outline", "entity"},
}


def project(graph: Iterable, view: str = "report", focus: str | None = None,
            include_text: bool = False) -> nx.MultiDiGraph:
    """Project RDF statements onto a networkx graph of what the page shows.

    Nodes are keyed by IRI and carry ``label``, ``name`` (full label), ``type``, ``family``,
    ``path`` (section path(s)), ``evidence`` (sentences), ``groups`` (outline ancestors,
    outermost first), ``parent`` (outline parent), ``report`` (its IRI) and ``report_id``
    (its id, e.g. haining-2023; "" when the graph gives none).  Edges carry ``predicate``
    and ``label``; derived edges (through hidden text nodes) have ``derived=True``.
    """
    if view not in VIEWS:
        raise KGError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    src = _Source(graph)
    families = SHOWN[view] | ({"text"} if include_text else set())
    shown = {n for n, f in src.fam.items() if f in families}
    G: nx.MultiDiGraph = nx.MultiDiGraph(view=view)
    for n in sorted(shown):
        name = src.ix.labels[n][2] if n in src.ix.labels else (src.ix.texts.get(n) or local_name(n))
        G.add_node(n, name=name, type=local_name(src.cls[n]), family=src.fam[n], iri=n,
                   own_path=src.ix.paths.get(n, ""))
    anchors, evidence = _link(G, src, shown)
    _drop_restated_edges(G, src)
    _keep_view(G, src, anchors, view)
    if focus is not None:
        _keep_neighbourhood(G, src, find_node(G, focus))
    _describe(G, src, anchors, evidence)
    return G


def _add_edge(G: nx.MultiDiGraph, s: str, o: str, p: str, derived: bool = False) -> None:
    label = "mentionedIn" if derived else local_name(p)
    if not G.has_edge(s, o, key=label):
        G.add_edge(s, o, key=label, predicate=p, label=label, derived=derived)


def _link(G: nx.MultiDiGraph, src: _Source, shown: set[str]) -> tuple[dict, dict]:
    """Edges between shown nodes; through hidden text nodes, each shown node's anchors
    (the outline nodes it is tied to, linked by derived edges) and evidence sentences."""
    ix, fam = src.ix, src.fam
    anchors: dict[str, set[str]] = defaultdict(set)
    evidence: dict[str, set[str]] = defaultdict(set)
    for s in sorted(shown):
        for p, o in sorted(ix.out.get(s, ())):
            if o in shown:
                if p in CHILD_PREDICATES and any(q in PARENT_PREDICATES and x == s for q, x in ix.out.get(o, ())):
                    continue  # hasPart that only restates an isPartOf
                _add_edge(G, s, o, p)
                if fam[o] == "outline" and fam[s] != "outline":
                    anchors[s].add(o)
            elif fam.get(o) == "text" and fam[s] != "text":
                evidence[s].update(src.sentences(o))
                a = src.anchor(o)
                if a is not None and fam[s] != "outline":
                    anchors[s].add(a)
        if fam[s] in ("outline", "text"):
            continue
        for _p, o in sorted(ix.inn.get(s, ())):
            if o in shown:
                if fam[o] == "outline":
                    anchors[s].add(o)
            elif fam.get(o) == "text":
                evidence[s].update(src.sentences(o))
                a = src.anchor(o)
                if a is not None:
                    anchors[s].add(a)
    for s, outs in anchors.items():
        for a in sorted(outs):
            if a in shown and not G.has_edge(s, a) and not G.has_edge(a, s):
                _add_edge(G, s, a, "", derived=True)
    return anchors, evidence


def _drop_restated_edges(G: nx.MultiDiGraph, src: _Source) -> None:
    """An edge to an outline node above one the node already hangs from (e.g. inReport
    next to isPartOf) only restates the tree, as does any other edge beside isPartOf."""
    for s in list(G):
        ties = {o for o in G.successors(s) if src.fam[o] == "outline"}
        redundant = {a for t in ties for a in src.chain(t)[:-1]}
        for a in redundant:
            if a != src.parent.get(s) and G.has_edge(s, a):
                for k in list(G[s][a]):
                    G.remove_edge(s, a, key=k)
        up = src.parent.get(s)
        if up is not None and G.has_edge(s, up):
            keys = list(G[s][up])
            if any(G[s][up][k]["predicate"] in PARENT_PREDICATES for k in keys):
                for k in keys:
                    if G[s][up][k]["predicate"] not in PARENT_PREDICATES:
                        G.remove_edge(s, up, key=k)


def _keep_view(G: nx.MultiDiGraph, src: _Source, anchors: dict, view: str) -> None:
    """Views that focus on one family keep what touches it and the outline above that."""
    if view == "goal":
        core = {n for n in G if G.nodes[n]["family"] == "goal"}
        keep = set(core)
        for n in core:
            keep.update(G.predecessors(n))
            keep.update(G.successors(n))
        keep.update(a for n in list(keep) for a in src.chain(n) if a in G)
        keep.update(a for n in list(keep) if n in anchors for b in anchors[n] for a in src.chain(b))
    elif view == "entity":
        keep = {n for n in G if G.nodes[n]["family"] == "entity"}
        for n in list(keep):
            for b in anchors.get(n, ()):
                keep.update(src.chain(b))
        keep.update(n for n in G if G.nodes[n]["family"] == "outline")
    else:
        return
    G.remove_nodes_from([n for n in list(G) if n not in keep])


def _keep_neighbourhood(G: nx.MultiDiGraph, src: _Source, target: str) -> None:
    """Only what lies within two links of ``target``, and the outline above it."""
    keep = set(nx.ego_graph(G, target, radius=2, undirected=True))
    keep.update(a for n in list(keep) for a in src.chain(n) if a in G)
    G.remove_nodes_from([n for n in list(G) if n not in keep])
    G.graph["focus"] = target


def _describe(G: nx.MultiDiGraph, src: _Source, anchors: dict, evidence: dict) -> None:
    """The attributes the page needs: groups, path, parent, report, evidence, label."""
    ix = src.ix
    for n, d in G.nodes(data=True):
        if d["family"] == "outline":
            ties = [n]
        else:
            ties = sorted((a for a in anchors.get(n, ()) if a in G), key=natural_key)
        groups: list[str] = []
        for a in ties:
            groups.extend(c for c in src.chain(a) if c in G and c not in groups)
        paths: list[str] = []
        for a in ties:
            pth = ix.paths.get(a)
            if pth and pth not in paths:
                paths.append(pth)
        d["path"] = "、".join(paths[:5]) + ("…" if len(paths) > 5 else "")
        d["groups"] = tuple(groups)
        d["parent"] = src.parent.get(n) if src.parent.get(n) in G else None
        d["report"] = src.chain(ties[0])[0] if ties else None
        d["report_id"] = ix.identifiers.get(d["report"], "") if d["report"] else ""
        # body sentences first, in text order: the report's title names every place and
        # organisation of the issuer, and says nothing about them
        ev = sorted(evidence.get(n, ()), key=lambda x: (src.is_title(x), ix.begins.get(x, 0), natural_key(x)))
        d["evidence"] = tuple(ix.texts[x] for x in ev[:EVIDENCE_MAX])
        d["evidence_count"] = len(ev)
        if d["family"] == "entity":
            d["mentions"], d["mentions_count"] = _mentions(src, n)
            known = ix.identity.get(n, {})
            d["aliases"] = tuple(sorted(known.get("aliases", set()) - {d["name"]}))
            d["code"] = " ".join(sorted(known.get("code", ())))
            d["level"] = " ".join(sorted(known.get("level", ())))
        short = ix.titles.get(n, d["name"]) if d["family"] == "outline" else d["name"]
        d["label"] = short if len(short) <= LABEL_MAX else short[: LABEL_MAX - 1] + "…"
        if d["family"] == "outline" and ix.paths.get(n) and d["type"] != "Report":
            d["label"] = f"{ix.paths[n]} {d['label']}"


def _mentions(src: _Source, entity: str) -> tuple[tuple[tuple[str, int, int, str], ...], int]:
    """An entity's mentions, body first then in text order: (sentence, start and end of the
    mention in it, section path); a mention outside any sentence (in a heading) gives its own
    text. At most MENTIONS_MAX, and how many there are."""
    ix, found = src.ix, []
    for p, m in ix.inn.get(entity, ()):
        if p != MENTION_OF:
            continue
        out = dict(ix.out.get(m, ()))
        surface, b, e = ix.texts.get(m, ""), ix.begins.get(m), ix.ends.get(m)
        sentence, start, end = surface, 0, len(surface)
        s = out.get(IN_SENTENCE)
        if s is not None and s in ix.texts and b is not None and s in ix.begins:
            text, sb = ix.texts[s], ix.begins[s]
            if text[b - sb:(e if e is not None else b + len(surface)) - sb] == surface:
                sentence, start, end = text, b - sb, b - sb + len(surface)
        section = out.get(IN_SECTION)
        path = ix.paths.get(section, "") if section else ""
        title = s is not None and src.is_title(s)
        found.append(((title, b if b is not None else 0, natural_key(m)), (sentence, start, end, path)))
    found.sort(key=lambda f: f[0])
    return tuple(f[1] for f in found[:MENTIONS_MAX]), len(found)


def find_node(G: nx.Graph, ident: str) -> str:
    """A node by IRI, IRI suffix, label or section path; KGError when none or several match."""
    if ident in G:
        return ident
    for test in (
        lambda n, d: n.endswith(("/" + ident, "#" + ident)),
        lambda n, d: d.get("name") == ident,
        lambda n, d: d.get("own_path") == ident,
    ):
        hits = sorted(n for n, d in G.nodes(data=True) if test(n, d))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise KGError(f"--focus {ident!r} matches {len(hits)} nodes (e.g. {hits[0]}, {hits[1]}); give an IRI")
    raise KGError(f"--focus {ident!r} matches no node in this view")
