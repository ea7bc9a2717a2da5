"""The package as a user installs it: a wheel built from this checkout, installed on its own,
builds the seed from any folder (`pip install <clone> && cd /tmp && kg build`)."""
import os
import subprocess
import sys
import zipfile

import pytest

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    dest = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dest), ROOT],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.fail(f"pip wheel failed: {r.stderr[-2000:]}")
    (path,) = dest.glob("govreport_kg-*.whl")
    return path


def test_the_wheel_ships_the_seed_the_font_and_the_page(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"kg/seeds/haining-2023.txt", "kg/static/noto-sans-sc.otf", "kg/static/kg-page.js",
            "kg/static/vis-network.min.js", "kg/ontology/govreport.ttl", "kg/data/entities.model"} <= names


def test_setuptools_builds_out_of_the_way(wheel):
    """pip wheel/install of the checkout leaves setuptools' files in .setuptools-build/, not build/."""
    assert os.path.isfile(os.path.join(ROOT, ".setuptools-build", "lib", "kg", "cli.py"))


def test_installed_kg_build_works_from_any_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = "import kg, sys; from kg.cli import main; assert kg.__file__.startswith(sys.argv[1]); sys.argv[1:] = ['build']; main()"
    r = subprocess.run([sys.executable, "-c", code, str(site)], cwd=cwd, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "built 1 report" in r.stdout
    assert (cwd / "kg-out" / "graph.html").is_file() and (cwd / "kg-out" / "tables" / "promises.csv").is_file()
