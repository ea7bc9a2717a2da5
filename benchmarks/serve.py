"""What kg serve's HTTP layer costs: the same queries over /sparql and in-process, one run.

Reproduce (from the repository root, under a minute):

    python benchmarks/serve.py            # seed build, 200 requests per query

kg serve uses the standard library's ThreadingHTTPServer and a worker process per
query slot (a query past its timeout is killed with its worker). This measures, on
the seed build, the median wall time of each query asked over HTTP on loopback
(urllib, a new connection per request, JSON results) against the same query run
in-process with kg.sparql.run and serialized to JSON: the ratio is what HTTP, the
pipe to the worker and the process boundary add. A second figure is throughput
with 4 client threads against 2 workers.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

QUERIES = {
    "ask": "ASK { ?s a gr:Report }",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "outline": None,  # the saved query's text
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=200, help="requests per query")
    args = ap.parse_args()

    import kg
    from kg import serve as V
    from kg import sparql as Q
    from kg.pipeline import build

    out = tempfile.mkdtemp(prefix="kg-bench-serve-")
    build([os.path.join(ROOT, "seeds", "haining-2023.txt")], out)
    QUERIES["outline"] = Q.saved_queries()["outline"].text
    st = kg.open(out).store()
    srv = V.make_server(out, port=0, workers=2, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://%s:%d/sparql" % srv.server_address[:2]

    def http(q):
        req = urllib.request.Request(base + "?" + urllib.parse.urlencode({"query": q}),
                                     headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req) as r:
            return r.read()

    def direct(q):
        return Q.serialize(Q.run(st, q), "json")

    print(f"# python benchmarks/serve.py -n {args.n}")
    print(f"{'query':<10}{'in-process':>14}{'over HTTP':>14}{'ratio':>9}")
    try:
        for name, q in QUERIES.items():
            assert http(q) == direct(q)
            times = {}
            for label, fn in (("direct", direct), ("http", http)):
                ts = []
                for _ in range(args.n):
                    t = time.perf_counter()
                    fn(q)
                    ts.append(time.perf_counter() - t)
                times[label] = statistics.median(ts)
            print(f"{name:<10}{times['direct'] * 1000:>12.2f}ms{times['http'] * 1000:>12.2f}ms"
                  f"{times['http'] / times['direct']:>8.1f}x")
        t = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: http(QUERIES["outline"]), range(args.n)))
        took = time.perf_counter() - t
        print(f"\noutline, 4 client threads, 2 workers: {args.n / took:.0f} requests/s")
    finally:
        srv.shutdown()
        srv.server_close()


if __name__ == "__main__":
    main()
