"""Saved queries on the 20 MB corpus: `kg query` against pyoxigraph and rdflib, in one run.

    python benchmarks/queries.py --out /tmp/kg-20mb [--rounds 3] [--rdflib-cap 60] [--no-rdflib]

The bar: each saved query through `kg query` within 1.3x of pyoxigraph's own time
for the same query, and at least 10x faster than rdflib's in-memory store.

* The corpus: benchmarks/build.py's ``make_corpus`` (the seed and tests/data/corpus
  repeated under distinct report ids up to ``--mb`` MB, ~440 reports), built once with
  ``kg build --jobs 2`` into ``--out`` (about 5 minutes) and reused by later runs (built
  again if its store is of a layout kg.store no longer accepts).
* The cases: every saved query in kg/queries/ with no parameters (the widest answer), and
  for each query that declares parameters, one call with its first parameter bound to the
  most frequent value of the same-named column in the unparameterised answer.
* kg: ``kg.sparql.query(OUT, name, params)`` in this process: resolve the saved query,
  bind, open OUT's store as ``kg query`` opens it, run, keep every row.
* oxigraph: ``pyoxigraph.Store.read_only(OUT/store).query(text, **options)`` with the text
  kg.sparql.run would send (parameters injected beforehand, outside the timing) and the
  options it passes (``kg.sparql.query_options(store)``), every row materialised.
  Both include opening the store; they run alternately, ``--rounds`` times (fewer for a case
  that took ``--case-budget`` seconds already), medians kept.
* rdflib: ``rdflib.Dataset(default_union=True)`` parsed from OUT/graph.nq plus the
  ontology in its named graph (as benchmarks/store.py), in a child process that loads while
  kg and oxigraph are timed (which can only slow kg down, so rdflib / kg errs low); load time
  and memory reported apart. Then, alone, each query (cheapest first) gets
  ``max(--rdflib-cap, 11 x kg's time)`` seconds, never more than ``--rdflib-cap-max``, and is
  stopped past it: "> cap" still bounds the ratio from below. Past ``--rdflib-budget`` seconds
  in all, the remaining queries are not run.
* cli: wall time of ``python -m kg query OUT NAME --format tsv`` (process start, imports
  and output included), one run, for information; left out where kg took over ``--cli-max``.

Row counts are compared across the engines; a mismatch is flagged in the last column.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import kg  # noqa: E402
from kg import sparql as Q  # noqa: E402
from kg import store as S  # noqa: E402
from kg.api import GRAPH_NQ, STORE_DIR  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# --------------------------------------------------------------------------- corpus build


def ensure_build(out: Path, mb: float, jobs: int) -> None:
    """OUT/graph.nq and a store of the layout kg.store expects: built (again) if not."""
    if (out / GRAPH_NQ).is_file() and S.open_read_only(out / STORE_DIR) is not None:
        return
    from build import make_corpus

    corpus = Path(tempfile.mkdtemp(prefix="kg-qbench-corpus-"))
    try:
        n, size = make_corpus(str(corpus), mb)
        print(f"building {n} reports ({size / 1e6:.1f} MB) into {out} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), "--jobs", str(jobs)],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


# --------------------------------------------------------------------------- engines


def rows_of(res) -> int:
    if res.kind == "ask":
        return 1
    return len(res.rows) if res.kind == "select" else len(res.triples)


def time_kg(out: Path, name: str, params: dict) -> tuple[float, int, object]:
    t = time.perf_counter()
    res = kg.open(out).query(name, **params).result
    return time.perf_counter() - t, rows_of(res), res


def time_ox(store_dir: str, text: str, options: dict) -> tuple[float, int]:
    import pyoxigraph as ox

    t = time.perf_counter()
    res = ox.Store.read_only(store_dir).query(text, **options)
    if isinstance(res, ox.QueryBoolean):
        n = 1
    elif isinstance(res, ox.QuerySolutions):
        n = len([list(sol) for sol in res])
    else:
        n = len(list(res))
    return time.perf_counter() - t, n


def time_cli(out: Path, name: str, params: dict) -> float:
    cmd = [sys.executable, "-m", "kg", "query", str(out), name, "--format", "tsv"]
    for k, v in params.items():
        cmd += ["--param", f"{k}={v}"]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - t


# --------------------------------------------------------------------------- rdflib child


def rdflib_child(out: str) -> None:
    """Load OUT/graph.nq into rdflib, then run the cases read from stdin, one JSON line each."""
    import rdflib

    base = rss_mb()
    t = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(os.path.join(out, "graph.nq"), format="nquads")
    for ttl in S._ontology_files():  # as kg.store loads it: the ontology is queryable too
        ds.graph(rdflib.URIRef(S.ONTOLOGY_GRAPH)).parse(str(ttl), format="turtle")
    load = time.perf_counter() - t
    print(json.dumps({"load_s": load, "mem_mb": rss_mb() - base, "quads": len(ds)}), flush=True)
    cases, budget = json.loads(sys.stdin.readline())  # sent once kg and oxigraph are timed
    begun = time.perf_counter()

    def alarm(signum, frame):  # rdflib evaluates in Python: a signal stops it mid-query
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    for case in cases:
        if time.perf_counter() - begun > budget:
            print(json.dumps({"label": case["label"], "skipped": True}), flush=True)
            continue
        t = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, case["cap"])
        try:
            res = ds.query(case["text"], initNs=Q.PREFIXES)
            if res.type == "ASK":
                n = 1
            else:
                n = len([tuple(r) for r in res])
            got = {"s": time.perf_counter() - t, "rows": n}
        except TimeoutError:
            got = {"s": case["cap"], "stopped": True}
        except Exception as e:  # an engine that cannot run a query: say so, go on
            got = {"s": float("nan"), "error": f"{type(e).__name__}: {' '.join(str(e).split())[:80]}"}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps({"label": case["label"], **got}), flush=True)


def start_rdflib(out: Path) -> subprocess.Popen:
    """The rdflib child, loading graph.nq (minutes) while kg and oxigraph are timed."""
    return subprocess.Popen([sys.executable, os.path.abspath(__file__), "--rdflib-child", str(out)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)


def run_rdflib(proc: subprocess.Popen, cases: list[dict], budget: float) -> tuple[dict, dict]:
    """(load info, results by label); a child that hangs past a case's cap + 120 s is killed."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout] + [lines.put(None)], daemon=True).start()
    results: dict = {}
    info: dict = {}
    try:
        line = lines.get(timeout=3 * 3600)
        if line is None:
            raise SystemExit("rdflib child failed while loading")
        info = json.loads(line)
        proc.stdin.write(json.dumps([cases, budget]) + "\n")
        proc.stdin.close()
        for case in cases:
            line = lines.get(timeout=case["cap"] + 120)
            if line is None:
                break
            got = json.loads(line)
            results[got["label"]] = got
    except queue.Empty:
        proc.kill()
    proc.wait()
    return info, results


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{platform.machine()} {cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}"


def versions() -> str:
    from importlib.metadata import version

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return (f"Python {platform.python_version()}, pyoxigraph {version('pyoxigraph')}, rdflib {version('rdflib')}, "
            f"govreport-kg {commit.stdout.strip() or '?'}")


def ms(s: float) -> str:
    return "-" if s != s else (f"{s * 1000:,.0f}" if s >= 0.1 else f"{s * 1000:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="build folder to make or reuse (default: a temporary one, removed)")
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size when building")
    ap.add_argument("--jobs", type=int, default=2, help="kg build --jobs when building")
    ap.add_argument("--rounds", type=int, default=3, help="runs of kg and oxigraph per case (median kept)")
    ap.add_argument("--case-budget", type=float, default=30.0,
                    help="no new round of a case once its runs took this many seconds")
    ap.add_argument("--rdflib-cap", type=float, default=60.0,
                    help="seconds an rdflib query may run at least (or 11x kg's time if longer)")
    ap.add_argument("--rdflib-cap-max", type=float, default=900.0, help="... but never more than this")
    ap.add_argument("--rdflib-budget", type=float, default=7200.0,
                    help="seconds for all rdflib queries (cheapest first); the rest are not run")
    ap.add_argument("--no-rdflib", action="store_true", help="leave rdflib out (it needs ~7 GB and minutes)")
    ap.add_argument("--no-cli", action="store_true", help="leave the `kg query` process timing out")
    ap.add_argument("--cli-max", type=float, default=20.0, help="no `kg query` process for cases kg takes longer on")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="these saved queries only")
    ap.add_argument("--rdflib-child", metavar="OUT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rdflib_child:
        rdflib_child(args.rdflib_child)
        return

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="kg-qbench-")) / "out"
    try:
        ensure_build(out.resolve(), args.mb, args.jobs)
        report(out.resolve(), args)
    finally:
        if not args.out:
            shutil.rmtree(out.parent, ignore_errors=True)


def time_case(results: dict, label: str, name: str, params: dict, out: Path, store_dir: str, options: dict,
              args) -> "Q.Result":
    """kg and pyoxigraph alternately on one case; records the medians, returns kg's first result."""
    saved = Q.saved_queries()[name]
    text = Q.inject_values(saved.text, Q.bind(saved, params))
    kg_t, ox_t, kg_n, ox_n, first = [], [], set(), set(), None
    start = time.perf_counter()
    for r in range(args.rounds):
        if r and time.perf_counter() - start > args.case_budget:
            break  # a slow case: fewer rounds, still both engines alike
        for engine in (("kg", "ox") if r % 2 == 0 else ("ox", "kg")):
            if engine == "kg":
                s, n, res = time_kg(out, name, params)
                first = first or res
                kg_t.append(s)
                kg_n.add(n)
            else:
                s, n = time_ox(store_dir, text, options)
                ox_t.append(s)
                ox_n.add(n)
    slow = statistics.median(kg_t) > args.cli_max
    cli = float("nan") if args.no_cli or slow else time_cli(out, name, params)
    results[label] = {"text": text, "kg": statistics.median(kg_t), "ox": statistics.median(ox_t),
                      "kg_rows": kg_n, "ox_rows": ox_n, "cli": cli, "n": len(kg_t)}
    print(f"{label}: kg {ms(results[label]['kg'])} ms, oxigraph {ms(results[label]['ox'])} ms, "
          f"rows {sorted(kg_n)}", file=sys.stderr, flush=True)
    return first


def report(out: Path, args) -> None:
    import pyoxigraph as ox

    store_dir = str(out / STORE_DIR)
    saved = Q.saved_queries()
    names = [n for n in saved if not args.only or n in args.only]
    with open(out / "graph.nq", "rb") as f:
        quads = sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 24), b""))
    t = time.perf_counter()
    ox.Store.read_only(store_dir)
    open_s = time.perf_counter() - t

    options = Q.query_options(ox.Store.read_only(store_dir))  # what kg.sparql.run passes for this store
    child = None if args.no_rdflib else start_rdflib(out)
    results = {}
    for name in names:
        # Each query bare, then with its first parameter bound to the most frequent value of
        # that column in the bare answer (the widest realistic lookup).
        bare = time_case(results, name, name, {}, out, store_dir, options, args)
        q = saved[name]
        if q.params and bare.kind == "select" and q.params[0].name in bare.variables:
            p, i = q.params[0], bare.variables.index(q.params[0].name)
            counts = collections.Counter(row[i].value for row in bare.rows if row[i] is not None)
            if counts:
                value = counts.most_common(1)[0][0]
                time_case(results, f"{name} {p.name}={value}", name, {p.name: value}, out, store_dir, options, args)

    rd_info, rd = {}, {}
    if not args.no_rdflib:
        caps = {label: min(max(args.rdflib_cap, 11 * r["kg"]), args.rdflib_cap_max) for label, r in results.items()}
        rd_cases = [{"label": label, "text": r["text"], "cap": caps[label]}  # cheapest first
                    for label, r in sorted(results.items(), key=lambda kv: kv[1]["kg"])]
        print("rdflib: waiting for graph.nq to load ...", file=sys.stderr, flush=True)
        rd_info, rd = run_rdflib(child, rd_cases, args.rdflib_budget)

    cmd = "python benchmarks/queries.py " + " ".join(sys.argv[1:])
    print(f"# {cmd}")
    print(f"# machine: {machine()}")
    print(f"# {versions()}")
    print(f"# corpus: {out} ({quads:,} quads in graph.nq); store opened read-only in {ms(open_s)} ms")
    print(f"# kg and oxigraph: medians of n alternating runs (n = {args.rounds}, fewer once a case took "
          f"{args.case_budget:g} s), store open included; "
          f"cli: one `python -m kg query --format tsv` process (none where kg took over {args.cli_max:g} s)")
    if rd_info:
        print(f"# rdflib: Dataset(default_union=True) loaded (while kg and oxigraph were timed) in "
              f"{rd_info['load_s']:.0f} s, "
              f"{rd_info['mem_mb'] / 1024:.1f} GiB; each query capped at "
              f"max({args.rdflib_cap:g} s, 11 x kg), at most {args.rdflib_cap_max:g} s")
    print()
    print("| query | rows | n | kg ms | oxigraph ms | kg / oxigraph | rdflib ms | rdflib / kg | cli ms | check |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    worst_ox, worst_rd = 0.0, float("inf")
    for label, r in results.items():
        kg_rows = r["kg_rows"]
        rows = "/".join(map(str, sorted(kg_rows)))
        check = []
        if len(kg_rows) > 1 or r["ox_rows"] != kg_rows:
            check.append(f"ROWS DIFFER: oxigraph {sorted(r['ox_rows'])}")
        ratio_ox = r["kg"] / r["ox"]
        worst_ox = max(worst_ox, ratio_ox)
        rd_ms, rd_ratio = "not run", "-"
        got = rd.get(label)
        if got is not None:
            if got.get("stopped"):
                rd_ms, rd_ratio = f"> {ms(got['s'])}", f"> {got['s'] / r['kg']:.0f}x"
                worst_rd = min(worst_rd, got["s"] / r["kg"])
            elif got.get("skipped"):
                rd_ms = "not run"
                check.append("rdflib budget spent")
            elif "error" in got:
                rd_ms = "error"
                check.append(f"rdflib {got['error']}")
            else:
                rd_ms, rd_ratio = ms(got["s"]), f"{got['s'] / r['kg']:.0f}x"
                worst_rd = min(worst_rd, got["s"] / r["kg"])
                if {got["rows"]} != kg_rows:
                    check.append(f"ROWS DIFFER: rdflib {got['rows']}")
        elif rd_info:
            check.append("rdflib killed or not reached")
        print(f"| {label} | {rows} | {r['n']} | {ms(r['kg'])} | {ms(r['ox'])} | {ratio_ox:.2f}x | {rd_ms} | {rd_ratio} "
              f"| {ms(r['cli'])} | {'; '.join(check) or 'ok'} |")
    print()
    line = f"worst kg / oxigraph: {worst_ox:.2f}x (bar: 1.3x)"
    if rd_info:
        line += f"; smallest rdflib / kg: {worst_rd:.0f}x (bar: 10x; a '>' ratio is a lower bound)"
    print(line)


if __name__ == "__main__":
    main()
