"""The passages tool of ``../passages/tool.py`` (show, check, collect; the annotation format is its
docstring) for the training passages of this folder: ``python tests/gold/numbers-train/tool.py show ID``."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("_passages_tool", Path(__file__).resolve().parents[1] / "passages" / "tool.py")
assert _spec is not None and _spec.loader is not None
_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tool)
_tool.HERE = Path(__file__).resolve().parent  # passages.tsv and ann/ of this folder

passages, by_id, parse, ann_path, show, main = _tool.passages, _tool.by_id, _tool.parse, _tool.ann_path, _tool.show, _tool.main

if __name__ == "__main__":
    main(sys.argv[1:])
