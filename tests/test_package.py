"""The package as shipped: licence, version, and what `import kg` costs."""
import os

import pytest

from conftest import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def _pyproject() -> dict:
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)


def test_the_licence_file_matches_pyproject():
    assert _pyproject()["project"]["license"] == {"text": "MIT"}
    with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as f:
        assert f.readline().strip() == "MIT License"


def test_the_version_is_written_once():
    project = _pyproject()
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "kg.__version__"}


def test_ci_lints_and_type_checks_before_the_tests():
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as f:
        steps = [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]
    assert steps.index("ruff check") < steps.index("mypy kg") < steps.index("python -m pytest -q")
    tools = _pyproject()["tool"]
    assert tools["ruff"]["lint"]["select"] and tools["mypy"]["files"] == ["kg"]
