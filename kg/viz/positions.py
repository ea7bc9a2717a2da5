"""Deterministic positions for the page: a radial tree per report, other nodes around their sections."""
from __future__ import annotations

import math
from collections import defaultdict, deque

import networkx as nx

from kg.viz.vocab import natural_key


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
        children[p].sort(key=natural_key)
    roots.sort(key=natural_key)

    # Satellites: each non-outline node hangs off its first outline group (deepest tie).
    home = {}
    for n, d in G.nodes(data=True):
        if d["family"] != "outline" and d["groups"]:
            home[n] = max(d["groups"], key=lambda g: (len(_chain_in(G, g)), natural_key(g)))
    sats = defaultdict(list)
    for n, h in home.items():
        sats[h].append(n)
    for h in sats:
        sats[h].sort(key=lambda n: (G.nodes[n]["type"], natural_key(n)))

    weight: dict[str, float] = {}

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
    rest = sorted((n for n in G if n not in pos), key=natural_key)
    if rest:
        U = G.to_undirected(as_view=True)
        queue = deque(n for n in sorted(pos, key=natural_key))
        count: dict[str, int] = defaultdict(int)
        while queue:
            cur = queue.popleft()
            for nb in sorted(U.neighbors(cur), key=natural_key):
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
