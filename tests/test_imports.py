"""Cold start: nothing heavy is imported before it is used (python -X importtime shows the rest)."""
import json
import subprocess
import sys

from conftest import ROOT

HEAVY = ("rdflib", "pyshacl", "jieba", "rjieba", "networkx", "pyvis", "IPython", "dask", "distributed",
         "kg.segment", "kg.link", "kg.extract.entities", "kg.extract.goals", "kg.emit", "kg.viz")


def _loaded(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [m for m in json.loads(out.splitlines()[-1]) if m.split(".")[0] in HEAVY or m in HEAVY]


def test_import_kg_and_the_cli_load_nothing_heavy():
    assert _loaded("import kg, kg.cli") == []


def test_a_builds_main_process_loads_no_stage():
    """The main process of a build only writes what the workers serialised: it imports the
    pipeline, the store and the cache, not the stages (the workers do), nor the page's modules
    until the page is drawn."""
    assert _loaded("import kg.pipeline, kg.store, kg.cache, kg.executors, kg.tables") == []


def test_checking_a_builds_inputs_loads_no_registry():
    """The build's check of its inputs (kg.pipeline.check_inputs) reads and checks each file
    without its metadata: the registry of divisions (kg.gazetteer) loads in the workers only."""
    code = ("from kg.pipeline import BuildResult, check_inputs\n"
            "check_inputs(['seeds/haining-2023.txt'], BuildResult('out', 'x'))")
    loaded = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(sorted(sys.modules))"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    assert "kg.gazetteer" not in loaded and "kg.identity" not in loaded
