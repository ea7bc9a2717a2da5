"""Counts per class and per report, read straight from OUT/graph.nq."""
from __future__ import annotations

import os
from collections import Counter

from kg.errors import KGError

_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_MENTIONED = " <https://w3id.org/govreport-kg/ontology#mentionedInReport> "


def _short(term: str) -> str:
    from kg.namespace import PREFIXES

    body = term.strip("<>")
    for name, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if body.startswith(ns):
            return f"{name}:{body[len(ns):]}"
    return term


def class_counts(out: str) -> list[tuple[str, str, int]]:
    """[(report id, class, count)] sorted by report then class.

    Nodes reports share (entities, indicators) are described once, in the graph
    ``…/graph/shared``: they are counted under ``shared`` (distinct nodes in the build),
    and entities also under each report that mentions them (``gr:mentionedInReport``)."""
    path = os.path.join(out, "graph.nq")
    if not os.path.isfile(path):
        raise KGError("no graph.nq here; run `kg build` first", out)
    counts: Counter = Counter()
    shared_types: dict[str, list[str]] = {}
    mentioned: set[tuple[str, str]] = set()  # (node, report id)
    with open(path, encoding="utf-8") as f:
        for line in f:
            if f" {_TYPE} " in line:
                parts = line.rstrip(" .\n").split(" ")
                graph = parts[-1].strip("<>").rsplit("/", 1)[-1]
                counts[(graph, _short(parts[2]))] += 1
                if graph == "shared":
                    shared_types.setdefault(parts[0], []).append(_short(parts[2]))
            elif _MENTIONED in line:
                parts = line.rstrip(" .\n").split(" ")
                mentioned.add((parts[0], parts[-1].strip("<>").rsplit("/", 1)[-1]))
    for node, report in mentioned:
        for cls in shared_types.get(node, ()):
            counts[(report, cls)] += 1
    return sorted((r, c, n) for (r, c), n in counts.items())
