"""rdflib's in-memory store against Oxigraph (pyoxigraph), side by side in one run.

Reproduce (from the repository root, about 5 minutes on 2 cores):

    python benchmarks/store.py                       # seed, corpus, and a ~300k-triple merge
    python benchmarks/store.py --large 1000000       # a bigger merged graph

Three graphs: the seed build, the build of the seed plus tests/data/corpus, and a large
merged graph made by repeating that corpus build under renamed report IRIs (so every
copy is a distinct named graph, as a corpus of many reports would be). Each engine
loads each graph in a fresh process, so load time and resident memory are its own:

* rdflib     - rdflib.Dataset(default_union=True), parse of graph.nq (and the ontology)
* oxigraph   - pyoxigraph.Store() in memory, bulk_load of graph.nq (named graphs, and their
               merge as the default graph, as kg.store loads it)
* ox-disk    - the OUT/store/ that kg build keeps, opened read-only (kg query's path)

Then every saved query in kg/queries/ runs (no parameters: the widest answer) with
the union of the report graphs as default graph; the median of --repeat runs is
kept and the row counts of the engines are compared. Ratios are rdflib / oxigraph:
above 1 means Oxigraph is faster or smaller. Timings on a shared machine are noisy;
the ratios, measured in the same run, are what to read.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(engine: str, path: str, repeat: int, budget: float) -> dict:
    """Runs in a fresh process: load *path* with *engine*, run the saved queries."""
    from pathlib import Path

    import kg
    from kg import sparql as Q
    from kg import store as S

    queries = {name: q.text for name, q in Q.saved_queries().items()}
    if engine == "rdflib":
        import rdflib

        base = rss_mb()
        t = time.perf_counter()
        ds = rdflib.Dataset(default_union=True)
        ds.parse(path, format="nquads")
        for ttl in S._ontology_files():  # as kg.store does: the ontology is queryable too
            ds.graph(rdflib.URIRef(S.ONTOLOGY_GRAPH)).parse(str(ttl), format="turtle")
        load = time.perf_counter() - t
        size = len(set(ds.triples((None, None, None))))

        def run(text):
            return len(list(ds.query(text, initNs=Q.PREFIXES)))
    else:
        base = rss_mb()
        t = time.perf_counter()
        if engine == "oxigraph":  # what kg query does when OUT has no store/
            st = S.load_files([Path(path)])
        else:  # ox-disk: the store kg build keeps beside graph.nq
            st = kg.open(os.path.dirname(path)).store()
        load = time.perf_counter() - t
        size = sum(1 for _ in st.quads_for_pattern(None, None, None, S.ox.DefaultGraph()))

        def run(text):
            res = Q.run(st, text)
            return len(res.rows) if res.kind == "select" else len(res.triples)

    mem = rss_mb() - base
    out = {"load_s": load, "mem_mb": mem, "triples": size, "queries": {}}

    def alarm(signum, frame):  # rdflib is Python: a signal stops it mid-query
        raise TimeoutError(f"over {budget:g} s")

    signal.signal(signal.SIGALRM, alarm)
    for name, text in queries.items():
        times, rows = [], None
        for _ in range(repeat):
            t = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, budget)
            try:
                rows = run(text)
            except TimeoutError as e:
                rows, times = f"stopped: {e}", [budget]
                break
            except Exception as e:  # an engine that cannot run a query: say so, go on
                rows = f"error: {type(e).__name__}: {' '.join(str(e).split())[:80]}"
                times = [float("nan")]
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - t)
            if sum(times) > budget:  # a very slow engine: fewer repeats, still measured
                break
        out["queries"][name] = {"s": statistics.median(times), "rows": rows}
    return out


def spawn(engine: str, path: str, repeat: int, budget: float) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", engine, path,
           "--repeat", str(repeat), "--budget", str(budget)]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise SystemExit(f"{engine} on {path} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _given(work: str, label: str, nq: str) -> str:
    """A graph.nq built elsewhere (e.g. by another branch), copied with its store."""
    from kg.store import save_store

    os.makedirs(os.path.join(work, label))
    dest = os.path.join(work, label, "graph.nq")
    with open(nq, encoding="utf-8") as f, open(dest, "w", encoding="utf-8") as g:
        g.write(f.read())
    save_store(os.path.join(work, label, "store"), [dest])
    return dest


def make_graphs(work: str, large: int, seed_nq: str | None, corpus_nq: str | None) -> dict[str, str]:
    from kg.pipeline import build
    from kg.store import save_store

    seed = os.path.join(ROOT, "seeds", "haining-2023.txt")
    corpus = os.path.join(ROOT, "tests", "data", "corpus")
    out = {}
    if seed_nq:
        out["seed"] = _given(work, "seed", seed_nq)
    else:
        build([seed], os.path.join(work, "seed"))
        out["seed"] = os.path.join(work, "seed", "graph.nq")
    if corpus_nq:
        out["corpus"] = _given(work, "corpus", corpus_nq)
    else:
        build([seed, corpus], os.path.join(work, "corpus"))
        out["corpus"] = os.path.join(work, "corpus", "graph.nq")
    with open(out["corpus"], encoding="utf-8") as f:
        lines = f.readlines()
    os.makedirs(os.path.join(work, "large"))
    out["large"] = os.path.join(work, "large", "graph.nq")
    rx = re.compile(r"(/id/report/[^/>#\s]+)")
    n = copies = 0
    with open(out["large"], "w", encoding="utf-8") as f:
        while n < large:
            copies += 1
            tag = f"-copy{copies}"
            f.writelines(rx.sub(lambda m, tag=tag: m.group(1) + tag, line) for line in lines)
            n += len(lines)
    save_store(os.path.join(work, "large", "store"), [out["large"]])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--large", type=int, default=300_000, help="triples in the large merged graph")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each query (median kept)")
    ap.add_argument("--budget", type=float, default=30.0,
                    help="seconds one query may take over its repeats; one run past it is stopped")
    ap.add_argument("--seed-nq", help="use this graph.nq as the seed graph instead of building it")
    ap.add_argument("--corpus-nq", help="use this graph.nq as the corpus graph (and the large one's unit)")
    ap.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.repeat, args.budget)))
        return

    work = tempfile.mkdtemp(prefix="kg-bench-store-")
    graphs = make_graphs(work, args.large, args.seed_nq, args.corpus_nq)
    given = "".join(f" --{k.replace('_', '-')} {v}" for k, v in
                    (("seed_nq", args.seed_nq), ("corpus_nq", args.corpus_nq)) if v)
    print(f"# python benchmarks/store.py --large {args.large} --repeat {args.repeat}{given}")
    print(f"# {os.cpu_count()} cores; medians of {args.repeat}; ratio = rdflib / oxigraph (in memory)\n")
    for label, path in graphs.items():
        r = {e: spawn(e, path, args.repeat, args.budget) for e in ("rdflib", "oxigraph", "ox-disk")}
        print(f"## {label}: {r['oxigraph']['triples']:,} distinct triples (ontology included)")
        print(f"{'measure (rows)':<40}{'rdflib':>12}{'oxigraph':>12}{'ox-disk':>12}{'ratio':>9}")

        def line(name, a, b, c, unit):
            ratio = f"{a / b:.1f}x" if b > 0 else "-"
            print(f"{name:<40}{a:>11.3f}{unit}{b:>11.3f}{unit}{c:>11.3f}{unit}{ratio:>9}")

        line("load / open", r["rdflib"]["load_s"], r["oxigraph"]["load_s"], r["ox-disk"]["load_s"], "s")
        print(f"{'memory after load (MB)':<40}{r['rdflib']['mem_mb']:>12.0f}{r['oxigraph']['mem_mb']:>12.0f}"
              f"{r['ox-disk']['mem_mb']:>12.0f}{r['rdflib']['mem_mb'] / max(r['oxigraph']['mem_mb'], 1):>8.1f}x")
        total = [0.0, 0.0, 0.0]
        for q in r["oxigraph"]["queries"]:
            a, b, c = (r[e]["queries"][q] for e in ("rdflib", "oxigraph", "ox-disk"))
            line(f"query {q} ({b['rows']})", a["s"], b["s"], c["s"], "s")
            if isinstance(a["rows"], str):
                print(f"  rdflib {a['rows']}" + (" (ratio is a lower bound)" if "stopped" in a["rows"] else ""))
            elif not a["rows"] == b["rows"] == c["rows"]:
                print(f"  ROWS DIFFER {a['rows']}/{b['rows']}/{c['rows']}")
            else:  # totals over the queries every engine answered
                total = [total[0] + a["s"], total[1] + b["s"], total[2] + c["s"]]
        line("saved queries all engines answered", *total, "s")
        print()


if __name__ == "__main__":
    main()
