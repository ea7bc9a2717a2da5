"""kg serve under load: many clients over the saved queries while one loops an expensive query.

Reproduce (from the repository root, about a minute; loopback only, every loop bounded):

    python benchmarks/serve.py                      # seed build, 20 clients, 30 s
    python benchmarks/serve.py --out OUT --clients 20 --seconds 30

It builds the seed (or takes ``--out``), starts ``kg serve`` as a process of its own with its
defaults (one query process per core, 10 s timeout, 512 MB per query process, a queue of 32),
then for ``--seconds`` runs ``--clients`` client threads, each asking the saved queries in turn
(bare, and with each parameter's documented example: ``kg query --list``), over keep-alive
connections, plus one client looping an expensive query: ORDER BY over the cartesian product of
the graph with itself, which only the memory or time limit stops. It prints, for the saved
queries, the requests, the errors by status (the bar: none) and latency percentiles (the bar:
p99 <= 1 s); for the expensive client, its statuses (the bar: 503 only); and the server's peak
resident memory, its process and its query processes summed, sampled every 0.1 s (the bar: 1 GB).
"""
from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

EXPENSIVE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?a ?d"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and its children (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
    return total


def requests_of_saved_queries() -> list[str]:
    """One /sparql path per saved query, bare and with each documented example parameter."""
    from kg import sparql as Q

    paths = []
    for q in Q.saved_queries().values():
        paths.append("/sparql?" + urllib.parse.urlencode({"saved": q.name}))
        for p in q.params:
            if p.example:
                paths.append("/sparql?" + urllib.parse.urlencode({"saved": q.name, f"param.{p.name}": p.example}))
    return paths


def client(port: int, paths: list[str], stop: float, offset: int, out: list, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = offset
    while time.monotonic() < stop:
        path = paths[i % len(paths)]
        i += 1
        t = time.monotonic()
        try:
            conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            r = conn.getresponse()
            r.read()
            status = r.status
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as e:
            status = type(e).__name__
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with lock:
            out.append((status, time.monotonic() - t))
    conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="a build to serve (default: the seed, built into a temporary folder)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--serve-args", default="", help="extra kg serve options, e.g. '--workers 4'")
    args = ap.parse_args()

    out = args.out
    if not out:
        import kg

        out = tempfile.mkdtemp(prefix="kg-bench-serve-")
        kg.build([os.path.join(ROOT, "seeds", "haining-2023.txt")], out)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "kg", "serve", out, "--port", str(port), "--quiet"] + args.serve_args.split()
    log = tempfile.TemporaryFile(mode="w+")  # not a pipe: a full pipe would stall the server
    server = subprocess.Popen(cmd, env=env, stderr=log, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=5).request("GET", "/queries")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise SystemExit(f"kg serve did not start: {log.read()}") from None
                time.sleep(0.2)
        paths = requests_of_saved_queries()
        normal: list = []
        expensive: list = []
        lock = threading.Lock()
        peak = [0]
        stop = time.monotonic() + args.seconds
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(server.pid))
                time.sleep(0.1)

        threads = [threading.Thread(target=client, args=(port, paths, stop, i * 3, normal, lock))
                   for i in range(args.clients)]
        exp_path = "/sparql?" + urllib.parse.urlencode({"query": EXPENSIVE})
        threads.append(threading.Thread(target=client, args=(port, [exp_path], stop, 0, expensive, lock)))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - t0
        done.set()
        sampler.join()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.seek(0)
        errors_logged = [ln for ln in log.read().splitlines() if ln.strip() and not ln.startswith("serving ")]
        log.close()
        if errors_logged:
            print("kg serve said:", *errors_logged[:5], sep="\n  ")

    ok = sorted(d for s, d in normal if s == 200)
    errors = collections.Counter(s for s, _ in normal if s != 200)
    exp = collections.Counter(s for s, _ in expensive)

    def pct(p: float) -> float:
        return ok[min(len(ok) - 1, int(p * len(ok)))] if ok else float("nan")

    print(f"# python benchmarks/serve.py --clients {args.clients} --seconds {args.seconds:g}"
          + (f" --serve-args '{args.serve_args}'" if args.serve_args else ""))
    print(f"# {os.cpu_count()} cores; kg {' '.join(cmd[3:5])} --port PORT {' '.join(cmd[7:])}")
    print(f"saved-query requests: {len(normal)} in {took:.1f} s ({len(normal) / took:.0f}/s), "
          f"{len(paths)} distinct (bare and with documented examples)")
    print(f"  errors: {dict(errors) or 0}")
    print(f"  latency: p50 {pct(0.50) * 1000:.0f} ms, p95 {pct(0.95) * 1000:.0f} ms, "
          f"p99 {pct(0.99) * 1000:.0f} ms, max {(ok[-1] if ok else float('nan')) * 1000:.0f} ms")
    print(f"expensive-query requests: {len(expensive)}, statuses {json.dumps(dict(exp))}, "
          f"median {statistics.median(d for _, d in expensive) if expensive else float('nan'):.2f} s")
    print(f"server peak RSS (process + query processes): {peak[0] / 2**20:.0f} MB")
    bars = [not errors, pct(0.99) <= 1.0, set(exp) <= {503}, peak[0] <= 2**30]
    print("bars met" if all(bars) else "bars NOT met", "(0 errors, p99 <= 1 s, expensive 503 only, RSS <= 1 GB)")


if __name__ == "__main__":
    main()
