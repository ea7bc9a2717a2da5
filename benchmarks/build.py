"""End-to-end build cost, as ratios against jieba measured in the same run.

    python benchmarks/build.py [--mb 20] [--rounds 3] [--jobs 1 2] [--corpus DIR]

The corpus is the real reports of ``--corpus`` (default ``tests/data/reports``, the 141
reports of every level also in ``../shared/corpus``), repeated until ``--mb`` MB (0: once).
Each copy gets a distinct id and one more trailing newline than the last, so that no two
files have the same bytes (``kg build`` builds a file of the same bytes as another once).

Prints a Markdown table:

* ``kg build`` over that corpus, end to end as a user runs it (a fresh process, no cache),
  against ``jieba.lcut`` alone over the same texts (dictionary already loaded): the ratio
  of wall times, the peak memory (RSS of the whole process tree) of the build, its CPU
  time (user + system of every process and thread: on a machine of N cores the wall time
  cannot fall below CPU / N), and its **serial fraction**: the build's main process's CPU
  (which writes the bytes the workers serialised, and holds the store's loader threads)
  divided by the CPU of the whole tree;
* with two ``--jobs`` values, the serial fraction from Amdahl's law (Karp-Flatt):
  ``e = (1/S - 1/p) / (1 - 1/p)`` with ``S`` the speed-up and ``p`` the ratio of workers;
* the store's own share: a fresh process that does nothing but load the build's own
  graph.nq into a new on-disk Oxigraph store in one ``bulk_load`` call and compact it
  (``optimize``), as ``kg build`` must; wall and CPU against ``jieba.lcut``;
* ``kg build --no-store`` (everything but the store), with the last ``--jobs`` value;
* a cold ``kg build seeds/haining-2023.txt`` against a cold
  ``python -c "import jieba; jieba.lcut('测试')"``.

Baseline and build run alternately, ``--rounds`` times; medians are reported, so a
noisy shared machine moves both sides alike.
"""
from __future__ import annotations

import argparse
import glob
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORTS = os.path.join(ROOT, "tests", "data", "reports")
SEED = os.path.join(ROOT, "seeds", "haining-2023.txt")


def sources(folder: str) -> list[str]:
    return sorted(p for p in glob.glob(os.path.join(folder, "*.txt")) if not p.endswith(".source.txt"))


def make_corpus(folder: str, mb: float, reports: str = REPORTS) -> tuple[int, int]:
    """Copies of the reports of ``reports`` under distinct ids (and distinct bytes: copy ``k``
    ends in ``k`` more newlines) until ``mb`` MB, all of them at least once; (files, bytes)."""
    total, n, rep = 0, 0, 0
    srcs = sources(reports)
    if not srcs:
        raise SystemExit(f"{reports}: no .txt reports")
    while rep == 0 or total < mb * 1e6:
        for src in srcs:
            if rep and total >= mb * 1e6:
                break
            name = os.path.splitext(os.path.basename(src))[0]
            dest = os.path.join(folder, f"{name}-copy{rep:03d}.txt" if rep else f"{name}.txt")
            with open(src, "rb") as f, open(dest, "wb") as g:
                g.write(f.read() + b"\n" * rep)
            total += os.path.getsize(dest)
            n += 1
        rep += 1
    return n, total


def _tree_rss(pid: int) -> int:
    """Sum of RSS (bytes) of pid and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            ppid = int(parts[1])
            rss[int(d)] = int(parts[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(ppid, []).append(int(d))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def _cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) of a live process, from /proc; 0 when gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def run(cmd: list[str]) -> tuple[float, int, float, float]:
    """(wall seconds, peak tree RSS bytes, CPU seconds: user + system of the whole process tree,
    CPU seconds of the command's own process, sampled until it ends) of a command."""
    peak = [0]
    main_cpu = [0.0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            main_cpu[0] = max(main_cpu[0], _cpu(proc.pid))
            time.sleep(0.05)

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.decode()[-500:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, peak[0], after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, main_cpu[0]


LCUT = """
import glob, sys, time
import jieba
jieba.setLogLevel(60); jieba.initialize()
texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(sys.argv[1] + "/*.txt"))]
t0 = time.perf_counter()
for t in texts:
    jieba.lcut(t)
print(time.perf_counter() - t0)
"""


STORE_ALONE = """
import gc, shutil, sys, tempfile, pyoxigraph as ox
d = tempfile.mkdtemp()
try:
    s = ox.Store(d)
    s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS, lenient=True)
    s.flush()
    s.optimize()
    del s  # the store's background threads may still be writing until it is dropped
    gc.collect()
finally:
    shutil.rmtree(d, ignore_errors=True)
"""


def lcut_seconds(folder: str) -> float:
    out = subprocess.run([sys.executable, "-c", LCUT, folder], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--corpus", default=REPORTS, help="folder of .txt reports (default: tests/data/reports)")
    args = ap.parse_args()
    kg = [sys.executable, "-m", "kg"]
    work = tempfile.mkdtemp(prefix="kg-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        n, size = make_corpus(corpus, args.mb, args.corpus)
        chars = sum(len(open(p, encoding="utf-8").read()) for p in glob.glob(corpus + "/*.txt"))
        base, builds = [], {j: [] for j in args.jobs}
        cold_base, cold_kg, alone, no_store = [], [], [], []
        for _ in range(args.rounds):
            base.append(lcut_seconds(corpus))
            for j in args.jobs:
                out = os.path.join(work, f"out-{j}")
                shutil.rmtree(out, ignore_errors=True)
                builds[j].append(run(kg + ["build", corpus, "-o", out, "--no-cache", "--jobs", str(j)]))
            # the store's own cost: Oxigraph alone loading the graph the build wrote, in one call
            alone.append(run([sys.executable, "-c", STORE_ALONE, os.path.join(out, "graph.nq")]))
            lean = os.path.join(work, "out-no-store")
            shutil.rmtree(lean, ignore_errors=True)
            no_store.append(run(kg + ["build", corpus, "-o", lean, "--no-cache", "--no-store", "--jobs", str(args.jobs[-1])]))
            cold_base.append(run([sys.executable, "-c", "import jieba; jieba.lcut('测试')"])[0])
            cold_out = os.path.join(work, "cold")
            shutil.rmtree(cold_out, ignore_errors=True)
            cold_kg.append(run(kg + ["build", SEED, "-o", cold_out, "--no-cache"])[0])
        lcut = statistics.median(base)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"corpus: {n} reports, {size / 1e6:.1f} MB, {chars:,} characters; rounds: {args.rounds} (medians)\n")
        print("| measurement | ours | baseline | ratio |")
        print("|---|---|---|---|")
        walls = {}
        for j in args.jobs:
            wall = walls[j] = statistics.median(r[0] for r in builds[j])
            peak = max(r[1] for r in builds[j])
            cpu = statistics.median(r[2] for r in builds[j])
            main_cpu = statistics.median(r[3] for r in builds[j])
            print(f"| `kg build` {size / 1e6:.0f} MB, --jobs {j} vs `jieba.lcut` | {wall:.1f} s | {lcut:.1f} s | {wall / lcut:.2f}x |")
            print(f"| CPU time of that build (all processes and threads) | {cpu:.1f} s | {lcut:.1f} s | {cpu / lcut:.2f}x |")
            print(f"| serial fraction, --jobs {j}: main process CPU / CPU of all processes | {main_cpu:.1f} s | {cpu:.1f} s | {main_cpu / cpu:.2f} |")
            print(f"| peak memory, --jobs {j} | {peak / 2**20:.0f} MiB | | |")
        if len(args.jobs) > 1 and args.jobs[0] != args.jobs[-1] and min(args.jobs) > 0:
            j0, j1 = args.jobs[0], args.jobs[-1]
            speedup, p = walls[j0] / walls[j1], j1 / j0
            karp_flatt = (1 / speedup - 1 / p) / (1 - 1 / p)
            print(f"| Amdahl (Karp-Flatt) serial fraction from --jobs {j0} vs {j1}: speed-up {speedup:.2f} of {p:.0f} | "
                  f"{karp_flatt:.2f} | | |")
        quads = sum(1 for _ in open(os.path.join(work, f"out-{args.jobs[-1]}", "graph.nq"), "rb"))
        aw = statistics.median(r[0] for r in alone)
        acpu = statistics.median(r[2] for r in alone)
        print(f"| Oxigraph alone: one `bulk_load` of the build's graph.nq ({quads / 1e6:.2f} M quads) + optimize | {aw:.1f} s | {lcut:.1f} s | {aw / lcut:.2f}x |")
        print(f"| CPU time of that load | {acpu:.1f} s | {lcut:.1f} s | {acpu / lcut:.2f}x |")
        nw = statistics.median(r[0] for r in no_store)
        print(f"| `kg build --no-store` (graph.nq, graph.ttl, tables, page), --jobs {args.jobs[-1]} | {nw:.1f} s | {lcut:.1f} s | {nw / lcut:.2f}x |")
        ncpu = statistics.median(r[2] for r in no_store)
        nmain = statistics.median(r[3] for r in no_store)
        print(f"| CPU time of that build; serial fraction (main process CPU / all) | {ncpu:.1f} s | {lcut:.1f} s | "
              f"{ncpu / lcut:.2f}x; {nmain / ncpu:.2f} |")
        cb, ck = statistics.median(cold_base), statistics.median(cold_kg)
        print(f"| cold `kg build seeds/haining-2023.txt` vs cold jieba | {ck:.2f} s | {cb:.2f} s | {ck / cb:.2f}x |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
