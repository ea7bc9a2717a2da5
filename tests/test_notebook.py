"""notebooks/walkthrough.ipynb runs clean, top to bottom, against this checkout (nbclient), and
is committed with the outputs it gives today (python notebooks/refresh.py saves them)."""
import importlib.util
import os

import pytest

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOK = os.path.join(ROOT, "notebooks", "walkthrough.ipynb")


def _refresh():
    spec = importlib.util.spec_from_file_location("refresh", os.path.join(ROOT, "notebooks", "refresh.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outputs(cell):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            yield o["text"]
        for v in o.get("data", {}).values():
            yield v if isinstance(v, str) else ""


@pytest.fixture(scope="module")
def executed():
    pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    refresh = _refresh()
    old = os.environ.get("PYTHONPATH")
    try:
        nb = refresh.execute()  # raises CellExecutionError on the first failing cell
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
    return nb


def test_walkthrough_runs_clean(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert not [o for c in code for o in c.outputs if o.get("output_type") == "error"]
    text = ["\n".join(_outputs(c)) for c in code]
    everything = "\n".join(text)
    assert "triples" in text[0] and "graph.html" in text[0]
    assert "outline" in everything and "sections-without-body" in everything
    assert "<iframe srcdoc=" in everything  # the graph drawn inline, self-contained
    assert "MultiDiGraph with" in everything and "communities" in everything
    assert "二(一)" in everything  # the outline table shows section paths


def test_the_committed_outputs_are_todays(executed):
    """What a code host shows is what the code gives: the saved outputs equal a fresh run's
    (run `python notebooks/refresh.py` after a change that alters them)."""
    import copy

    import nbformat

    refresh = _refresh()
    fresh = refresh.settle(copy.deepcopy(executed))
    saved = nbformat.read(NOTEBOOK, as_version=4)
    assert [c.get("outputs") for c in saved.cells if c.cell_type == "code"][0], "the notebook is saved without outputs"
    for i, (a, b) in enumerate(zip(saved.cells, fresh.cells)):
        if a.cell_type == "code":
            assert a.outputs == b.outputs, f"cell {i}: outputs changed; run python notebooks/refresh.py"
