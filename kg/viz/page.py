"""The page: a projection -> a pyvis Network holding the page's nodes and edges -> one
self-contained HTML file (vis-network and the page's code embedded, nothing fetched)."""
from __future__ import annotations

import html
import json
import math
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Optional

import networkx as nx
from pyvis.network import Network

from kg.errors import KGError
from kg.namespace import GR
from kg.viz.load import count_lines, graph_file, load_triples, outline_triples
from kg.viz.positions import _chain_in, layout
from kg.viz.projection import project
from kg.viz.vocab import (
    FAMILY_ORDER,
    RDF_TYPE,
    STYLE,
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
# entities and goals is ~175k), and only the outline above it.
BUILD_PAGE_MAX_TRIPLES = 600_000
# Edge tooltips, dashed derived edges and derived edges shown at first: up to this many edges.
EDGES_FULL_STYLE_MAX = 4000


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
    index = {n: i for i, n in enumerate(sorted(G, key=natural_key))}
    degree = dict(G.degree())
    maxdeg = max(degree.values(), default=1) or 1

    family = {d["type"]: d["family"] for _, d in G.nodes(data=True)}
    legend = {t: i for i, t in enumerate(STYLE)}
    type_names = sorted(family, key=lambda t: (FAMILY_ORDER[family[t]],
                                               legend.get(t, len(legend)) if family[t] == "outline" else 0, t))
    tindex = {t: i for i, t in enumerate(type_names)}
    counts = defaultdict(int)
    for _, d in G.nodes(data=True):
        counts[d["type"]] += 1

    # Section filter: outline nodes down to sections (depth <= 2 below a report).
    group_ids = [n for n in sorted(G, key=natural_key)
                 if G.nodes[n]["family"] == "outline" and len(_chain_in(G, n)) <= 3]
    gindex = {g: i for i, g in enumerate(group_ids)}
    goal_ids = [n for n in sorted(G, key=natural_key) if G.nodes[n]["type"] in ("Goal",)] or \
               [n for n in sorted(G, key=natural_key) if G.nodes[n]["family"] == "goal"]

    # Evidence sentences are stored once and referred to by index; colour, shape and the
    # tooltip text are filled in by the page from the type table (smaller file, faster parse).
    sentences: list[str] = []
    sindex: dict[str, int] = {}
    nodes = []
    for n in sorted(G, key=natural_key):
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
                   "family": family[t]} for t in type_names],
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




def visualize(graph: Iterable, view: str = "report", focus: Optional[str] = None,
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



def write_build_page(folder: str, result=None) -> None:
    """``kg build``'s last step: OUT/graph.html from the graph written in ``folder``.

    Reads what it needs from ``folder`` alone (``result``, the build's summary, is not
    needed). A graph of more than BUILD_PAGE_MAX_TRIPLES statements (dozens of reports)
    gets the outline of every report instead, read without parsing the rest: drawing
    everything would take minutes and a page of hundreds of MB.
    ``kg viz OUT --report ID`` draws any one report in full."""
    path = graph_file(folder)
    dest = os.path.join(folder, "graph.html")
    if path.suffix == ".nq" and count_lines(path) > BUILD_PAGE_MAX_TRIPLES:
        triples = outline_triples(path)
        n = sum(1 for q in triples if q.predicate.value == RDF_TYPE and q.object.value == iri(GR.Report))
        write_page(triples, dest, view="section",
                   title=f"govreport-kg · {n} reports (outline only: kg viz OUT --report ID for one report)")
        return
    write_page(load_triples(folder), dest)


def write_page(graph: Iterable, path: str | os.PathLike, **kw) -> KGNetwork:
    """Write the self-contained page for a graph to ``path`` (atomically) and return the network."""
    net = visualize(graph, **kw)
    net.write_html(str(path))
    return net
