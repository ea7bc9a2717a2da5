"""notebooks/walkthrough.ipynb runs clean, top to bottom, against this checkout (nbclient)."""
import os

import pytest

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOK = os.path.join(ROOT, "notebooks", "walkthrough.ipynb")


def _outputs(cell):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            yield o["text"]
        for v in o.get("data", {}).values():
            yield v if isinstance(v, str) else ""


def test_walkthrough_runs_clean(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # the kernel imports kg from this checkout, whatever else is installed
    monkeypatch.setenv("PYTHONPATH", ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": os.path.dirname(NOTEBOOK)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not [o for c in code for o in c.outputs if o.get("output_type") == "error"]
    text = ["\n".join(_outputs(c)) for c in code]
    everything = "\n".join(text)
    assert "graph.html" in text[0] and "triples" in text[0]
    assert "outline" in everything and "sections-without-body" in everything
    assert "<iframe srcdoc=" in everything  # the graph drawn inline, self-contained
    assert "MultiDiGraph with" in everything and "communities" in everything
    assert "二(一)" in everything  # the outline table shows section paths
