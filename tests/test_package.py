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
