"""Same input, same bytes: two builds in two processes under different hash seeds.

Two calls in one process share its hash seed, so they cannot catch an output that
follows set or dict order of strings; two processes with PYTHONHASHSEED=1 and =2 can.
"""
import filecmp
import os
import subprocess
import sys

from conftest import ROOT, SEED, corpus_path

REPORTS = [SEED, corpus_path("laiyuan-2025")]  # the seed, and a county report with a TOC


def _build(out, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "kg", "build", *REPORTS, "-o", str(out), "--no-cache"],
                   env=env, cwd=ROOT, check=True, capture_output=True)


def test_two_hash_seeds_give_the_same_bytes(tmp_path):
    _build(tmp_path / "a", "1")
    _build(tmp_path / "b", "2")
    names = ["graph.nq", "graph.ttl", "graph.html"] + [
        f"tables/{n}" for n in sorted(os.listdir(tmp_path / "a" / "tables"))]
    assert len(names) == 10  # the build's six tables and promises.csv
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert mismatch == [] and errors == []
