"""The graph page's Python side, as ratios against pyvis's own way of filling a network.

    python benchmarks/viz.py [--sizes 1000 3000 10000] [--rounds 3] [--browser]

For each size, a synthetic graph over the seed's outline (entities with one mention each,
linked to a sentence, and to one earlier entity) is projected once (kg.viz.project), then,
alternately ``--rounds`` times:

* baseline: pyvis's ``Network.add_node``/``add_edge`` for every node and edge of the
  projection (what ``Network.from_nx`` does; each call checks a list, so it is quadratic);
* ours: ``kg.viz.to_page`` into a ``KGNetwork`` (positions, then its own ``add_node``/
  ``add_edge``, which cost the same for every node) and ``generate_html`` (the whole
  self-contained page).

Medians are reported with their ratio, so a noisy shared machine moves both sides alike.
``--browser`` also opens each page in Debian's chromium (offline) and reports the time to
first interactive paint, next to pyvis's own page with its default physics for the smallest
size (its CDN requests are blocked, as on a machine without internet).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from rdflib import RDF, RDFS, Literal, URIRef  # noqa: E402

from kg import viz  # noqa: E402
from kg.namespace import GR, NIF  # noqa: E402
from kg.pipeline import build  # noqa: E402


def synthetic(n: int, out: str):
    """The seed's graph and ``n`` entities with one mention each, in the shape kg build writes
    them (gr:mentionOf, gr:inSentence), each related to an earlier one."""
    build([os.path.join(ROOT, "seeds", "haining-2023.txt")], out, viz=False)
    g = viz.load_graph(out)
    sentences = sorted(g.subjects(RDF.type, term(NIF.Sentence)))
    kinds = [(GR.Company, GR.involvesCompany), (GR.Project, GR.locatedIn), (GR.Industry, GR.inIndustry),
             (GR.Place, GR.locatedIn), (GR.Organization, GR.locatedIn), (GR.Initiative, GR.locatedIn)]
    for i in range(n):
        e = URIRef(f"http://example.org/e/{i}")
        g.add((e, RDF.type, term(kinds[i % len(kinds)][0])))
        g.add((e, RDFS.label, Literal(f"实体{i}", lang="zh")))
        m = URIRef(f"http://example.org/m/{i}")
        g.add((m, RDF.type, term(GR.Mention)))
        g.add((m, term(GR.mentionOf), e))
        g.add((m, term(GR.inSentence), sentences[(i * 7) % len(sentences)]))
        if i:
            j = (i * 13) % i
            g.add((e, term(kinds[j % len(kinds)][1]), URIRef(f"http://example.org/e/{j}")))
    return g


def term(t: str) -> URIRef:
    return URIRef(t.strip("<>"))


def pyvis_fill(G):
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for n, d in G.nodes(data=True):
        net.add_node(n, label=d["label"], title=d["name"])
    for s, o, d in G.edges(data=True):
        net.add_edge(s, o, title=d["label"])
    return net


def ours(G):
    net = viz.to_page(G, viz.KGNetwork())
    return net, net.generate_html()


def first_paint(path: str, ours: bool = True) -> float:
    """ms from navigation to the first drawing, remote requests blocked (as offline)."""
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = b.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        t = time.perf_counter()
        page.goto("file://" + path)
        if ours:
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=600_000)
            ms = page.evaluate("kgPage.firstPaintMs")
        else:  # pyvis's page draws once its physics has stabilised
            page.wait_for_function("typeof network !== 'undefined' && network.physics.ready === true",
                                   timeout=600_000, polling=100)
            ms = (time.perf_counter() - t) * 1000
        b.close()
        return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--browser", action="store_true")
    ap.add_argument("--pyvis-size", type=int, default=300, help="entities in the pyvis page comparison")
    a = ap.parse_args()
    print("| entities | nodes | edges | pyvis add_node/add_edge s | kg.viz network + page s | ratio | page MB |"
          + (" first paint ms |" if a.browser else ""))
    print("|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if a.browser else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for n in a.sizes:
            G = viz.project(synthetic(n, os.path.join(tmp, f"b{n}")))
            base, mine = [], []
            html = ""
            for _ in range(a.rounds):
                t = time.perf_counter()
                pyvis_fill(G)
                base.append(time.perf_counter() - t)
                t = time.perf_counter()
                _, html = ours(G)
                mine.append(time.perf_counter() - t)
            b, m = statistics.median(base), statistics.median(mine)
            row = (f"| {n} | {G.number_of_nodes()} | {G.number_of_edges()} | {b:.2f} | {m:.2f} | "
                   f"{b / m:.1f}x | {len(html.encode()) / 1e6:.1f} |")
            if a.browser:
                path = os.path.join(tmp, f"page{n}.html")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(html)
                row += f" {first_paint(path):.0f} |"
            print(row, flush=True)
        if a.browser:
            n = a.pyvis_size
            G = viz.project(synthetic(n, os.path.join(tmp, "pyvis")))
            path = os.path.join(tmp, "pyvis.html")
            pyvis_fill(G).write_html(path)
            mine = os.path.join(tmp, "ours.html")
            with open(mine, "w", encoding="utf-8") as f:
                f.write(ours(G)[1])
            ms_ours = first_paint(mine)
            from playwright.sync_api import TimeoutError as PlaywrightTimeout

            try:
                ms_pyvis = first_paint(path, ours=False)
                verdict = f"{ms_pyvis:.0f} ms: {ms_pyvis / ms_ours:.0f}x"
            except PlaywrightTimeout as exc:
                verdict = f"not drawn within 600 s ({type(exc).__name__})"
            print(f"\nfirst paint, {G.number_of_nodes()} nodes, offline: kg.viz page {ms_ours:.0f} ms; "
                  f"pyvis 0.3.2 in_line page with its default physics {verdict}")
    print(f"\n{a.rounds} rounds, medians; python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
