"""The page: a projection -> the page's nodes and edges -> one self-contained HTML file
(vis-network and the page's code embedded, nothing fetched).

:class:`Page` holds nodes and edges as pyvis does (``add_node``, ``add_edge``, dicts in
``nodes`` and ``edges``), and turns them into the data the page script reads: every node
has a type in the legend, however it was added. :class:`kg.viz.network.KGNetwork` is the
same object as a pyvis ``Network``; drawing a page to a file needs neither pyvis nor IPython.
"""
from __future__ import annotations

import html
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
import pyoxigraph as ox

from kg.errors import KGError
from kg.files import atomic_write
from kg.namespace import GR, GR_NS
from kg.viz.font import STACK, font_face
from kg.viz.load import count_lines, graph_file, load_triples, outline_triples
from kg.viz.projection import project
from kg.viz.vocab import (
    FAMILY_ORDER,
    RDF_TYPE,
    STYLE,
    family_of,
    iri,
    natural_key,
    style_of,
)

STATIC = Path(__file__).parent.parent / "static"

# Physics (animated after the first paint, stopped once stable or after PHYSICS_MAX_MS) only
# for one small report: above this, positions only, since vis physics costs tens of seconds.
PHYSICS_MAX_NODES = 300
PHYSICS_MAX_MS = 4000
# kg build draws everything up to this many statements (the seed + nine-report corpus with
# entities and goals is ~128k), and only the outline above it.
BUILD_PAGE_MAX_TRIPLES = 600_000
# Edge tooltips, dashed derived edges and derived edges shown at first: up to this many edges.
EDGES_FULL_STYLE_MAX = 4000
# Of the goal family, what the default view draws (the rest is folded, see Page.page_data).
UNFOLDED = frozenset({"Goal"})
# A node added without a group (a type) looks as pyvis draws it.
PLAIN_TYPE, PLAIN_COLOR, PLAIN_SHAPE = "Node", "#97c2fc", "dot"
# Keys of a node that the page's data writes in its own form (see Page.page_data).
_OWN_KEYS = frozenset({"id", "label", "name", "x", "y", "size", "group", "sections", "iri", "path",
                       "evidence", "evidence_more", "parent", "home", "degree", "mentions", "mentions_more",
                       "aliases", "code", "level"})


class Page:
    """The nodes and edges of one page, in pyvis's shape.

    ``add_node(n_id, label, group=TYPE, ...)`` adds a node of a type (a class's local
    name, which picks its colour, shape and legend entry); the page's own attributes are
    ``name`` (the full label), ``iri``, ``path`` (section path), ``sections`` (ids of
    the outline nodes above it, outermost first), ``evidence`` (sentences) and
    ``evidence_more`` (how many more there are). Any other option goes to vis-network as
    is (``color``, ``shape``, ``title``, ``x``, ``y``, ``size`` …). ``add_edge(a, b,
    title=PREDICATE, derived=False)``.
    """

    def __init__(self, title: str = "govreport-kg") -> None:
        self.title = title
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.node_ids: list = []
        self.node_map: dict = {}
        self.families: dict[str, str] = {}  # type -> family, where the caller knows it
        self.meta: dict = {}  # view, physics, focus: what the drawing says about itself
        self.projection: nx.MultiDiGraph | None = None
        self.html = ""

    def add_node(self, n_id: str | int, label: Any = None, shape: str | None = None, color: str | None = None,
                 **options: Any) -> None:
        """pyvis's ``Network.add_node``, at constant cost: a node without a group is drawn
        as pyvis draws it (a light blue dot); one with a group as its type."""
        if not isinstance(n_id, (str, int)):
            raise TypeError(f"a node id is a str or an int, not {type(n_id).__name__}")
        if n_id in self.node_map:
            return
        node: dict[str, Any] = {"id": n_id, "label": str(label) if label else str(n_id)}
        if "group" not in options:
            shape, color = shape or PLAIN_SHAPE, color or PLAIN_COLOR
        if shape:
            node["shape"] = shape
        if color:
            node["color"] = color
        node.update(options)
        self.nodes.append(node)
        self.node_ids.append(n_id)
        self.node_map[n_id] = node

    def add_edge(self, source: str | int, to: str | int, **options: Any) -> None:
        """pyvis's ``Network.add_edge``: an edge between two nodes already added."""
        for end in (source, to):
            if end not in self.node_map:
                raise ValueError(f"non existent node {end!r}")
        self.edges.append({"id": len(self.edges), "from": source, "to": to, **options})

    def page_data(self) -> dict:
        """What the page script reads: nodes and edges with their types, sentences and
        predicates as indexes into tables, and the tables in ``meta``."""
        kinds = [str(n.get("group", PLAIN_TYPE)) for n in self.nodes]  # pyvis's groups may be numbers
        family = {t: self.families.get(t) or family_of(GR_NS + t) for t in set(kinds)}
        legend = {t: i for i, t in enumerate(STYLE)}
        type_names = sorted(family, key=lambda t: (FAMILY_ORDER[family[t]],
                                                  legend.get(t, len(legend)) if family[t] == "outline" else 0, t))
        tindex = {t: i for i, t in enumerate(type_names)}
        counts = Counter(kinds)

        # Section filter: outline nodes down to sections (depth <= 2 below a report).
        groups = [n for n, t in zip(self.nodes, kinds) if family[t] == "outline" and len(n.get("sections", ())) <= 3]
        gindex = {g["id"]: i for i, g in enumerate(groups)}
        goals = [n for n, t in zip(self.nodes, kinds) if t == "Goal"] or \
                [n for n, t in zip(self.nodes, kinds) if family[t] == "goal"]

        # Evidence sentences are stored once and referred to by index; colour, shape and the
        # tooltip text are filled in by the page from the type table (smaller file, faster parse).
        sentences: list[str] = []
        sindex: dict[str, int] = {}
        nodes = []
        for n, t in zip(self.nodes, kinds):
            node = {"id": n["id"], "label": n["label"], "name": n.get("name", n["label"])}
            node.update((k, n[k]) for k in ("x", "y", "size") if k in n)
            node.update((short, n[k]) for k, short in (("parent", "pa"), ("home", "h"), ("degree", "dg")) if k in n)
            node["t"] = tindex[t]
            node["g"] = [gindex[g] for g in n.get("sections", ()) if g in gindex]
            node.update((k, n[k]) for k in ("iri", "path") if n.get(k))
            if n.get("evidence"):
                for x in n["evidence"]:
                    if x not in sindex:
                        sindex[x] = len(sentences)
                        sentences.append(x)
                node["ev"] = [sindex[x] for x in n["evidence"]]
            if n.get("evidence_more"):
                node["evn"] = n["evidence_more"]
            if n.get("mentions"):  # [sentence, start, end, section path] -> [sentence index, start, end, path]
                for x, *_ in n["mentions"]:
                    if x not in sindex:
                        sindex[x] = len(sentences)
                        sentences.append(x)
                node["mn"] = [[sindex[x], b, e, pth] for x, b, e, pth in n["mentions"]]
            if n.get("mentions_more"):
                node["mnn"] = n["mentions_more"]
            node.update((short, n[k]) for k, short in (("aliases", "al"), ("code", "code"), ("level", "lv"))
                        if n.get(k))
            node.update((k, v) for k, v in n.items() if k not in _OWN_KEYS)
            nodes.append(node)

        predicates = sorted({e["title"] for e in self.edges if "title" in e})
        pindex = {p: i for i, p in enumerate(predicates)}
        edges = []
        for e in self.edges:
            edge = {k: v for k, v in e.items() if k not in ("title", "derived")}
            if "title" in e:
                edge["p"] = pindex[e["title"]]
            if e.get("derived"):
                edge["d"] = 1
            edges.append(edge)
        # The default view is for reading: indicators, results and targets (half the nodes of a
        # corpus) are folded into the sections and goals they hang from, one click away.
        view = self.meta.get("view", "report")
        folded = {t for t in type_names if view == "report" and family[t] == "goal" and t not in UNFOLDED}
        physics = self.meta.get("physics")
        if physics is None:
            reports = kinds.count("Report")
            physics = len(nodes) <= PHYSICS_MAX_NODES and reports <= 1
        meta = {
            "title": self.title,
            "view": self.meta.get("view", "report"),
            "physics": bool(physics),
            "physicsMaxMs": PHYSICS_MAX_MS,
            "types": [{"name": t, "color": style_of(t)[0] if t != PLAIN_TYPE else PLAIN_COLOR,
                       "shape": style_of(t)[1] if t != PLAIN_TYPE else PLAIN_SHAPE, "count": counts[t],
                       "family": family[t], **({"off": True} if t in folded else {})} for t in type_names],
            "banner": self.meta.get("banner"),
            "promises": self.meta.get("promises", []),
            "groups": [{"id": gindex[g["id"]], "node": g["id"], "label": g["label"],
                        "depth": max(len(g.get("sections", ())) - 1, 0)} for g in groups],
            "goals": [{"id": g["id"], "label": g["label"]} for g in goals],
            "focus": self.meta.get("focus"),
            "sentences": sentences,
            "predicates": predicates,
            # Large graphs: derived "mentionedIn" links start hidden (a checkbox shows them),
            # and edges lose tooltips and dashes, which cost seconds in vis at tens of thousands.
            # They start hidden: the layout already puts an entity beside its sections.
            "derivedShown": False,
            "derivedCount": sum(1 for e in edges if e.get("d")),
            "edgeStyle": len(edges) <= EDGES_FULL_STYLE_MAX,
        }
        return {"meta": meta, "nodes": nodes, "edges": edges, "options": vis_options(meta, len(nodes))}

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        """The whole page as one string: no external resource of any kind."""
        self.html = render(self.page_data(), self.title)
        return self.html

    def write_html(self, name: str | os.PathLike, local: bool = True, notebook: bool = False,
                   open_browser: bool = False) -> None:
        """Write the page to ``name``, atomically."""
        atomic_write(name, self.generate_html())


P = TypeVar("P", bound=Page)


def to_page(G: nx.MultiDiGraph, into: P, positions: dict | None = None, physics: bool | None = None) -> P:
    """Add a projection's nodes and edges to ``into``.

    The page lays nodes out itself, for what is shown (at first, and again when a filter
    changes): each node carries its outline parent (``parent``) or the outline node it
    hangs from (``home``). ``positions`` (node -> (x, y), e.g. :func:`layout`'s) pins
    nodes where given."""
    order = sorted(G, key=natural_key)
    index = {n: i for i, n in enumerate(order)}
    degree = dict(G.degree())
    maxdeg = max(degree.values(), default=1) or 1
    for n in order:
        d = G.nodes[n]
        into.families.setdefault(d["type"], d["family"])
        size = 8 + 22 * math.sqrt(degree[n] / maxdeg)
        if d["type"] == "Report":
            size = max(size, 30)
        where: dict[str, Any] = {}
        if positions and n in positions:
            where = {"x": round(positions[n][0], 1), "y": round(positions[n][1], 1)}
        if d.get("parent") is not None:
            where["parent"] = index[d["parent"]]
        elif d["family"] != "outline" and d["groups"]:
            where["home"] = index[max(d["groups"], key=lambda g: (len(G.nodes[g]["groups"]), natural_key(g)))]
        into.add_node(index[n], d["label"], group=d["type"], name=d["name"], size=round(size, 1),
                      sections=[index[g] for g in d["groups"]], iri=d["iri"], path=d["path"],
                      evidence=list(d["evidence"]), evidence_more=d["evidence_count"] - len(d["evidence"]),
                      degree=degree[n], mentions=list(d.get("mentions", ())),
                      mentions_more=d.get("mentions_count", 0) - len(d.get("mentions", ())),
                      **{k: d[k] for k in ("aliases", "code", "level") if d.get(k)}, **where)
    for s, o, _k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (index[e[0]], index[e[1]], e[2])):
        into.add_edge(index[s], index[o], title=d["label"], derived=bool(d.get("derived")))
    into.meta.update(view=G.graph.get("view", "report"), focus=index.get(G.graph.get("focus")))
    if physics is not None:
        into.meta["physics"] = physics
    return into


def draw(graph: Iterable, view: str = "report", focus: str | None = None, include_text: bool = False,
         title: str | None = None, make: Callable[[str], P] = Page) -> P:  # type: ignore[assignment]
    """RDF graph -> projection -> ``make(title)`` holding its nodes and edges."""
    G = project(graph, view=view, focus=focus, include_text=include_text)
    if G.number_of_nodes() == 0:
        raise KGError(f"nothing to draw in the {view} view")
    if title is None:
        reports = sorted(d["name"] for _, d in G.nodes(data=True) if d["type"] == "Report")
        title = reports[0] if len(reports) == 1 else f"govreport-kg · {len(reports)} reports"
    page = to_page(G, make(title))
    page.projection = G
    return page


def write_page(graph: Iterable, path: str | os.PathLike, promises: list[dict] | None = None, **kw: Any) -> Page:
    """Write the self-contained page of a graph to ``path`` (atomically) and return it.

    ``promises``: rows of :func:`promise_rows` for the page's promises table; ``kw`` are
    :func:`draw`'s: ``view``, ``focus``, ``include_text``, ``title``."""
    page = draw(graph, **kw)
    if promises:
        page.meta["promises"] = promises
    page.write_html(path)
    return page


def write_build_page(folder: str, result=None) -> None:
    """``kg build``'s last step: OUT/graph.html from the graph written in ``folder``.

    Reads what it needs from ``folder`` alone (``result``, the build's summary, is not
    needed). A graph of more than BUILD_PAGE_MAX_TRIPLES statements (dozens of reports)
    gets the outline of every report instead, read without parsing the rest: drawing
    everything would take minutes and a page of hundreds of MB.
    ``kg viz OUT --report ID`` draws any one report in full."""
    path = graph_file(folder)
    dest = os.path.join(folder, "graph.html")
    statements = count_lines(path) if path.suffix == ".nq" else 0
    if statements > BUILD_PAGE_MAX_TRIPLES:
        triples = outline_triples(path)
        a, report = ox.NamedNode(RDF_TYPE), ox.NamedNode(iri(GR.Report))
        n = sum(1 for q in triples if q.predicate == a and q.object == report)
        page: Page = draw(triples, view="section",
                          title=f"govreport-kg · {n} reports (outline only: kg viz OUT --report ID for one report)")
        page.meta["banner"] = outline_only_banner(n, statements, _first_report(folder))
        page.meta["promises"] = promise_rows(folder)
        page.write_html(dest)
        return
    write_page(load_triples(folder), dest, promises=promise_rows(folder))


def outline_only_banner(reports: int, statements: int, example: str) -> str:
    """What a page that draws only the outline says it left out, and how to draw the rest."""
    return (f"此页只画出 {reports} 份报告的目录结构；实体、目标和结果（共 {statements:,} 条三元组）太多，未画出。"
            f"画一份报告：kg viz OUT --report {example}；画一个实体及其周围：kg viz OUT --focus 名称。 "
            f"This page draws the outline of {reports} reports only: their entities, targets and results "
            f"({statements:,} statements) are left out. One report in full: kg viz OUT --report {example}; "
            "one entity and its neighbours: kg viz OUT --focus NAME. The promises table holds every report.")


def _first_report(folder: str | os.PathLike) -> str:
    """A report id of the build, for the banner's example (from tables/sections.csv)."""
    path = Path(folder) / "tables" / "sections.csv"
    if path.is_file():
        with open(path, encoding="utf-8") as f:
            f.readline()
            first = f.readline()
        if first:
            return first.split(",", 1)[0]
    return "ID"


# The columns of OUT/tables/promises.csv the page's table shows.
PROMISE_COLUMNS = ("report", "section", "indicator", "measure", "year", "comparator", "target", "target_unit",
                   "result", "result_unit", "result_report", "unit", "target_in_unit", "result_in_unit", "met",
                   "target_text", "result_text")


def promise_rows(folder: str | os.PathLike, report: str | None = None) -> list[dict]:
    """The rows of a build's promises table (OUT/tables/promises.csv, or worked out from its
    tables when an older build has none), for the page; ``report`` keeps that report's targets."""
    import csv

    from kg.promises import promises

    path = Path(folder) / "tables" / "promises.csv"
    if path.is_file():
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    elif (Path(folder) / "tables" / "targets.csv").is_file():
        rows = promises(folder)
    else:
        return []
    return [{k: r.get(k, "") for k in PROMISE_COLUMNS} for r in rows if report is None or r["report"] == report]




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
        "nodes": {"font": {"size": 13, "face": STACK}, "borderWidth": 1},
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
    if re.search(r"</script|<!--", code, re.IGNORECASE):
        raise KGError("embedded script contains </script or <!--", "kg/static")
    return code


def render(data: dict, title: str) -> str:
    """The page's HTML around ``data`` (:meth:`Page.page_data`)."""
    page, app, css = _read_static("page.html"), _read_static("kg-page.js"), _read_static("kg-page.css")
    data_text = _json_for_script(data)
    parts = {
        "{{TITLE}}": html.escape(title),
        "{{CSS}}": font_face(page + app + title + data_text) + "\n" + css.replace("FONT_STACK", STACK),
        "{{VIS}}": _code_for_script(_read_static("vis-network.min.js")),
        "{{DATA}}": data_text,
        "{{APP}}": _code_for_script(app),
    }
    return re.sub(r"\{\{[A-Z]+\}\}", lambda m: parts[m.group(0)], page)
