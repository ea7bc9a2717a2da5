"""Identity and validation on the 141-report corpus (tests/data/reports) and the seed.

    python benchmarks/identity.py [--out DIR] [--jobs 1 2] [--pyshacl]

Builds the corpus (``kg build --no-viz --jobs 2``, into ``--out`` or a temporary folder;
an existing build there is reused), then prints:

* how many nodes carry two administrative codes or two parents (0 is the bar: a wrong merge),
  and the place nodes that share a name but not a code (towns of one name, kept apart);
* ``kg validate`` with each ``--jobs`` value: verdict, wall and CPU seconds (every process),
  peak memory of the process tree; with ``--pyshacl``, ``kg validate --engine pyshacl`` too;
* ``kg stats --links``: entities with a code, a scope, candidates, an outside link.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import run  # noqa: E402  (benchmarks/build.py: wall, peak tree RSS, CPU of a command)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GR = "https://w3id.org/govreport-kg/ontology#"
LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"


def merges(nq: str) -> tuple[int, int, int]:
    """(nodes with two codes, nodes with two parents, names that two coded places share)."""
    codes, parents, labels = defaultdict(set), defaultdict(set), {}
    with open(nq, encoding="utf-8") as f:
        for line in f:
            s, p, rest = line.split(" ", 2)
            if p == f"<{GR}adminCode>":
                codes[s].add(rest.rsplit(" ", 2)[0])
            elif p == f"<{GR}withinPlace>":
                parents[s].add(rest.split(" ", 1)[0])
            elif p == LABEL:
                labels[s] = rest.rsplit(" ", 2)[0]
    by_name = defaultdict(set)
    for s in codes:
        by_name[labels.get(s)].add(s)
    return (sum(len(v) > 1 for v in codes.values()), sum(len(v) > 1 for v in parents.values()),
            sum(len(v) > 1 for v in by_name.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=None)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--pyshacl", action="store_true", help="also time pySHACL on the whole graph")
    args = ap.parse_args()
    kg = [sys.executable, "-m", "kg"]
    out = args.out or tempfile.mkdtemp(prefix="kg-identity-")
    nq = os.path.join(out, "graph.nq")
    if not os.path.exists(nq):
        wall, peak, cpu = run(kg + ["build", os.path.join(ROOT, "tests", "data", "reports"),
                                    os.path.join(ROOT, "seeds"), "-o", out, "--no-viz", "--jobs", "2"])
        print(f"build: {wall:.1f} s wall, {cpu:.1f} s CPU, {peak / 2**20:.0f} MiB peak")
    quads = sum(1 for _ in open(nq, encoding="utf-8"))
    two_codes, two_parents, shared_names = merges(nq)
    print(f"\n{quads} quads in {nq}")
    print(f"nodes with two codes: {two_codes}; with two parents: {two_parents}; "
          f"names of more than one coded place: {shared_names}\n")
    print("| command | verdict | wall s | CPU s | peak MiB |\n|---|---|---|---|---|")
    runs = [(f"kg validate --jobs {j}", ["validate", out, "--jobs", str(j)]) for j in args.jobs]
    if args.pyshacl:
        runs.append(("kg validate --engine pyshacl", ["validate", out, "--engine", "pyshacl"]))
    for name, cmd in runs:
        try:
            wall, peak, cpu = run(kg + cmd)
            verdict = "conforms"
        except SystemExit:  # exit 1: violations (their timing is not the point)
            wall, peak, cpu, verdict = 0.0, 0, 0.0, "violations"
        print(f"| `{name}` | {verdict} | {wall:.1f} | {cpu:.1f} | {peak / 2**20:.0f} |")
    print()
    print(subprocess.run(kg + ["stats", out, "--links"], capture_output=True, text=True, check=True).stdout)


if __name__ == "__main__":
    main()
