"""The interactive graph page: RDF graph -> networkx projection -> pyvis Network -> one offline HTML file.

Convention handled: a report is an outline (一、 parts, (一) sections, 1. items, each with a
``gr:path`` label such as 二(一)1) whose sentences carry the facts.  The page draws the
outline as a radial tree per report and hangs every entity, goal and target near the
sections that mention it; each node's tooltip gives its type, its section path and the
evidence sentence, such as this one of the seed for the results it reports:

    新增就业4万余人,发放稳岗补贴9320万元。

The modules, in the order the data flows:

* :mod:`kg.viz.load`: a build's graph file (``OUT/graph.nq``) -> triples;
* :mod:`kg.viz.projection`: triples -> the networkx graph of what the page shows;
* :mod:`kg.viz.positions`: that graph -> deterministic positions;
* :mod:`kg.viz.page`: positions and graph -> the page's nodes and edges -> one HTML file;
* :mod:`kg.viz.network`: the same page as a pyvis ``Network`` (the one module that imports pyvis).

Importing this package imports none of them: each loads on first use of a name below,
so ``import kg.viz`` costs nothing until a page is drawn.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> the module that defines it
_WHERE = {
    "load_triples": "load", "load_graph": "load",
    "project": "projection", "find_node": "projection",
    "layout": "positions",
    "Page": "page", "to_page": "page", "draw": "page", "write_page": "page", "write_build_page": "page",
    "PHYSICS_MAX_NODES": "page", "BUILD_PAGE_MAX_TRIPLES": "page",
    "KGNetwork": "network", "visualize": "network",
    "VIEWS": "vocab", "PALETTE": "vocab", "family_of": "vocab", "style_of": "vocab", "local_name": "vocab",
}

__all__ = [
    "BUILD_PAGE_MAX_TRIPLES",
    "PALETTE",
    "PHYSICS_MAX_NODES",
    "VIEWS",
    "KGNetwork",
    "Page",
    "draw",
    "family_of",
    "find_node",
    "layout",
    "load_graph",
    "load_triples",
    "local_name",
    "project",
    "style_of",
    "to_page",
    "visualize",
    "write_build_page",
    "write_page",
]

if TYPE_CHECKING:
    from kg.viz.load import load_graph, load_triples
    from kg.viz.network import KGNetwork, visualize
    from kg.viz.page import (
        BUILD_PAGE_MAX_TRIPLES,
        PHYSICS_MAX_NODES,
        Page,
        draw,
        to_page,
        write_build_page,
        write_page,
    )
    from kg.viz.positions import layout
    from kg.viz.projection import find_node, project
    from kg.viz.vocab import PALETTE, VIEWS, family_of, local_name, style_of


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'kg.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kg.viz.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
