"""Exports of a built graph for other tools: Gephi/Cytoscape (GraphML, GEXF, CSV) and
triple stores (N-Triples, N-Quads with one named graph per report, JSON-LD).

Convention handled: the network formats carry the projection the graph page draws
(kg.viz), so a section node keeps its outline path (e.g. ``二(一)1``) and title, and each
entity or target keeps its evidence sentence, e.g. this one of the seed:

    新增就业4万余人,发放稳岗补贴9320万元。

The RDF formats carry every triple.  JSON-LD is compacted with ``ontology/context.jsonld``
embedded, so the file parses offline without fetching a context.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Callable

import networkx as nx
from rdflib import Dataset

from kg.errors import KGError
from kg.files import atomic_write
from kg.resources import ontology_dir
from kg.viz import layout, load_graph, load_triples, project, style_of

# format -> default file name under OUT/export/
DEFAULT_NAMES = {
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "jsonld": "graph.jsonld",
    "nt": "graph.nt",
    "nquads": "graph.nq",
    "csv": "csv",  # a folder: nodes.csv and edges.csv
}


def context() -> dict:
    """The JSON-LD context shipped in ontology/context.jsonld."""
    with open(os.path.join(ontology_dir(), "context.jsonld"), encoding="utf-8") as f:
        return json.load(f)["@context"]


def load_dataset(source: str | os.PathLike) -> Dataset:
    """A graph file as a Dataset: graph.nq's named graphs (one per report, one shared), or the
    triples of another file (graph.ttl) in the default graph."""
    nq = Path(source)
    ds = Dataset()
    if nq.suffix == ".nq":
        try:
            ds.parse(nq, format="nquads")
        except Exception as exc:
            raise KGError(f"cannot parse N-Quads: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}", str(nq)) from None
        return ds
    g = load_graph(nq)
    for t in g:
        ds.default_graph.add(t)
    return ds


# ---------------------------------------------------------------- network formats


def _flat(G: nx.MultiDiGraph, viz_attrs: bool = False) -> nx.MultiDiGraph:
    """The projection with attribute values GraphML/GEXF accept (strings, numbers, booleans)."""
    pos = layout(G)
    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        attrs = {
            "label": d["name"], "type": d["type"], "family": d["family"], "path": d["path"],
            "evidence": " | ".join(d["evidence"]), "report": d.get("report_id") or "",
            "degree": G.degree(n),
        }
        if viz_attrs:
            colour, _shape = style_of(d["type"])
            r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
            x, y = pos[n]
            attrs["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
                            "position": {"x": round(x, 1), "y": round(-y, 1), "z": 0.0},
                            "size": 4.0 + 2.0 * (G.degree(n) ** 0.5)}
        H.add_node(n, **attrs)
    for s, o, k, d in G.edges(keys=True, data=True):
        H.add_edge(s, o, key=k, label=d["label"], predicate=d["predicate"], derived=bool(d.get("derived")))
    return H


def export_graphml(source, dest: Path, **kw) -> None:
    G = _flat(project(load_triples(source), **kw))
    atomic_write(dest, lambda tmp: nx.write_graphml(G, tmp, encoding="utf-8"))


def export_gexf(source, dest: Path, **kw) -> None:
    """GEXF for Gephi, without the date networkx stamps on it (the same graph, the same bytes)."""
    G = _flat(project(load_triples(source), **kw), viz_attrs=True)
    text = "\n".join(nx.generate_gexf(G, encoding="utf-8")) + "\n"
    atomic_write(dest, re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1))


def export_csv(source, dest: Path, **kw) -> None:
    """A folder with nodes.csv (id,label,type,path,report,evidence) and edges.csv (source,target,label,predicate)."""
    G = project(load_triples(source), **kw)
    nodes = io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(["id", "label", "type", "path", "report", "degree", "evidence"])
    for n, d in sorted(G.nodes(data=True)):
        w.writerow([n, d["name"], d["type"], d["path"], d.get("report_id") or "", G.degree(n), " | ".join(d["evidence"])])
    edges = io.StringIO()
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(["source", "target", "label", "predicate", "derived"])
    for s, o, _k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        w.writerow([s, o, d["label"], d["predicate"], "true" if d.get("derived") else "false"])
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise KGError("csv export writes a folder, and this is a file", str(dest))
    if not dest.parent.is_dir():
        raise KGError("directory does not exist", str(dest.parent))
    os.makedirs(dest, exist_ok=True)
    for name, buf in (("nodes.csv", nodes), ("edges.csv", edges)):
        atomic_write(dest / name, buf.getvalue())


# ---------------------------------------------------------------- RDF formats


def _sorted_lines(text: str) -> str:
    lines = sorted(set(line for line in text.splitlines() if line.strip()))
    return "\n".join(lines) + ("\n" if lines else "")


def export_nt(source, dest: Path, **_kw) -> None:
    g = load_graph(source)
    text = _sorted_lines(g.serialize(format="nt", encoding="utf-8").decode("utf-8"))
    atomic_write(dest, text)


def export_nquads(source, dest: Path, **_kw) -> None:
    ds = load_dataset(source)
    text = _sorted_lines(ds.serialize(format="nquads", encoding="utf-8").decode("utf-8"))
    atomic_write(dest, text)


def export_jsonld(source, dest: Path, **_kw) -> None:
    ds = load_dataset(source)
    named = [g for g in ds.graphs() if len(g) and g.identifier != ds.default_graph.identifier]
    target = ds if named else ds.default_graph
    text = target.serialize(format="json-ld", context=context(), indent=1, ensure_ascii=False)
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    atomic_write(dest, text if text.endswith("\n") else text + "\n")


EXPORTERS: dict[str, Callable] = {
    "graphml": export_graphml,
    "gexf": export_gexf,
    "jsonld": export_jsonld,
    "nt": export_nt,
    "nquads": export_nquads,
    "csv": export_csv,
}


def export(source: str | os.PathLike, fmt: str, dest: str | os.PathLike,
           view: str = "report", include_text: bool = False) -> Path:
    """Export a build's graph file (OUT/graph.nq, see kg.open(OUT).export) as ``fmt`` to ``dest``.

    ``view``/``include_text`` choose the projection for graphml, gexf and csv (as kg.viz);
    the RDF formats always carry every triple.
    """
    if fmt not in EXPORTERS:
        raise KGError(f"unknown format {fmt!r} (choose from {', '.join(sorted(EXPORTERS))})")
    dest = Path(dest)
    EXPORTERS[fmt](source, dest, view=view, include_text=include_text)
    return dest
