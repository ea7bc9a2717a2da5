"""Counts per class and per report, read straight from OUT/graph.nq."""
from __future__ import annotations

import os
from collections import Counter

from kg.errors import KGError

_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _short(term: str) -> str:
    from kg.namespace import PREFIXES

    body = term.strip("<>")
    for name, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if body.startswith(ns):
            return f"{name}:{body[len(ns):]}"
    return term


def class_counts(out: str) -> list[tuple[str, str, int]]:
    """[(report id, class, count)] sorted by report then class."""
    path = os.path.join(out, "graph.nq")
    if not os.path.isfile(path):
        raise KGError("no graph.nq here; run `kg build` first", out)
    counts: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if f" {_TYPE} " not in line:
                continue
            parts = line.rstrip(" .\n").split(" ")
            graph = parts[-1].strip("<>")
            counts[(graph.rsplit("/", 1)[-1], _short(parts[2]))] += 1
    return sorted((r, c, n) for (r, c), n in counts.items())
