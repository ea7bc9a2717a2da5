"""The pipeline's old module name, for tests/test_viz.py, tests/test_browser.py and
benchmarks/viz.py until they import kg.pipeline (the viz package's branch changes them)."""
from kg.pipeline import build  # noqa: F401
