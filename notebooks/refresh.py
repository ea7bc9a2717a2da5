"""Run notebooks/walkthrough.ipynb top to bottom and save it with its outputs, so that a code
host shows what the code does today:

    python notebooks/refresh.py

Outputs are made reproducible (:func:`settle`): no timings, execution counts from 1, and the
inline graph page (a megabyte of HTML that code hosts do not draw) replaced by a line saying
what it is; the notebook shows the page's picture, docs/screenshot-seed.png, above it.
tests/test_notebook.py runs the notebook the same way and fails when the saved outputs differ.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().with_name("walkthrough.ipynb")
ROOT = NOTEBOOK.parent.parent
PAGE_NOTE = "<the graph page, drawn inline here when the notebook runs: a KGNetwork's own HTML>"
INLINE_MAX = 100_000  # characters of HTML output kept as they are


def execute(path: Path = NOTEBOOK):
    """The notebook, run in a fresh kernel that imports kg from this checkout."""
    import nbclient
    import nbformat

    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def settle(nb):
    """The outputs as they are saved: execution counts from 1, no metadata that changes from
    run to run, the inline page replaced by PAGE_NOTE."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.metadata.pop("execution", None)
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = count
            data = out.get("data", {})
            if len(data.get("text/html", "")) > INLINE_MAX:
                out["data"] = {"text/plain": PAGE_NOTE}
                out["metadata"] = {}
    return nb


def main() -> None:
    import nbformat

    nb = settle(execute())
    nbformat.write(nb, NOTEBOOK)
    print(f"{NOTEBOOK.relative_to(ROOT)}: {sum(1 for c in nb.cells if c.cell_type == 'code')} cells run, outputs saved",
          file=sys.stderr)


if __name__ == "__main__":
    main()
