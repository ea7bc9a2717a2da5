"""The page as a pyvis ``Network``, for notebooks and for code that builds on pyvis.

    net = kg.viz.visualize(graph, view="entity")
    net.add_node("note", label="a note of mine")   # pyvis's own calls draw on the page
    net.add_edge("note", 0)
    net.show("entities.html")                      # or just `net` as a cell's last line

This module imports pyvis (and pyvis imports IPython); nothing else in kg.viz does.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from pyvis.network import Network

from kg.viz.page import Page, draw


class KGNetwork(Page, Network):
    """A pyvis Network whose HTML is the self-contained page: vis-network and the page's
    code embedded, nothing fetched.

    ``add_node``/``add_edge`` (and pyvis's ``add_nodes``, ``add_edges``, ``from_nx``,
    which call them) add nodes and edges the page draws, in the legend under their
    ``group`` (a type such as ``Company``) or, without one, as pyvis draws them.
    ``write_html(path)`` writes one file that opens offline; in a notebook the object
    displays itself inline (an iframe holding the same document).
    """

    def __init__(self, title: str = "govreport-kg", **kw: Any) -> None:
        kw.setdefault("height", "100%")
        kw.setdefault("width", "100%")
        kw.setdefault("directed", True)
        kw.setdefault("cdn_resources", "in_line")
        Network.__init__(self, **kw)
        Page.__init__(self, title)

    def show(self, name: str, local: bool = True, notebook: bool = True) -> Any:
        self.write_html(name)
        if notebook:
            from IPython.display import IFrame

            return IFrame(name, width="100%", height=640)
        return None

    def _repr_html_(self) -> str:
        doc = html.escape(self.generate_html(), quote=True)
        return (f'<iframe srcdoc="{doc}" style="width:100%;height:640px;border:1px solid #ddd" '
                f'sandbox="allow-scripts"></iframe>')


def visualize(graph: Iterable, view: str = "report", focus: str | None = None, include_text: bool = False,
              title: str | None = None) -> KGNetwork:
    """RDF graph -> KGNetwork, like kglab's ``visualize_query``: the caller writes or shows it.

    ``graph``: an rdflib Graph, pyoxigraph quads (:func:`kg.viz.load_triples`) or a
    pyoxigraph Store; ``view``: report, section, goal or entity; ``focus``: a node (IRI,
    IRI tail, label or section path) whose neighbourhood alone is drawn."""
    return draw(graph, view=view, focus=focus, include_text=include_text, title=title, make=KGNetwork)
