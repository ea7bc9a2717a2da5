"""govreport-kg: knowledge graphs from Chinese government work reports (政府工作报告).

Library first, thin CLI::

    import kg
    b = kg.build(["seeds/haining-2023.txt"], "out")    # or kg.open("out"), a folder built before
    rows = b.query("places-by-mentions")               # rows as dicts
    g = b.graph("haining-2023")                        # an rdflib Graph of one report
    kg.graph("seeds/haining-2023.txt")                 # one report in memory, nothing written

See kg.api for the whole API and kg.pipeline for the pipeline, read top to bottom.
Nothing heavy (rdflib, jieba, pyvis) is imported until it is used.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Build", "KGError", "build", "graph", "open"]

if TYPE_CHECKING:
    from kg.api import Build, build, graph, open
    from kg.errors import KGError


def __getattr__(name: str):
    if name in ("Build", "build", "graph", "open"):
        from kg import api

        return getattr(api, name)
    if name == "KGError":
        from kg.errors import KGError

        return KGError
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
