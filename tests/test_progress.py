"""kg build's progress bar: on stderr in a terminal for builds of more than a few reports;
never with --quiet, when stderr is not a terminal, or for a few reports."""
import os
import pty
import shutil
import subprocess
import sys
import threading

import pytest

from conftest import ROOT
from kg.cli import PROGRESS_MIN_REPORTS

REPORTS = os.path.join(ROOT, "tests", "data", "reports")
SMALL = ["hailaer-2013", "xushui-2010", "xushui-2015", "hailaer-2014"]  # the smallest reports


def _folder(tmp_path, n: int) -> str:
    d = tmp_path / f"in-{n}"
    d.mkdir()
    for k, name in enumerate(SMALL[:n]):
        shutil.copy(os.path.join(REPORTS, name + ".txt"), d / f"{name}-{k}.txt")
    return str(d)


def _build(args: list[str], terminal: bool) -> tuple[int, str, str]:
    """Runs kg build with stderr on a pseudo-terminal (or a pipe); (exit code, stdout, stderr)."""
    cmd = [sys.executable, "-m", "kg", "build", *args, "--no-cache", "--no-store", "--no-viz"]
    if not terminal:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        return p.returncode, p.stdout, p.stderr
    master, slave = pty.openpty()
    got: list[bytes] = []

    def read():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the other side closed
                return
            if not data:
                return
            got.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    reader.join(10)
    os.close(master)
    return p.returncode, p.stdout, b"".join(got).decode("utf-8", "replace")


def test_a_terminal_shows_a_bar_of_the_reports(tmp_path):
    assert len(SMALL) == PROGRESS_MIN_REPORTS
    code, out, err = _build([_folder(tmp_path, len(SMALL)), "-o", str(tmp_path / "o")], terminal=True)
    assert code == 0 and "built 4 reports" in out
    assert "building" in err and "4/5" in err and "xushui-2015-2" in err and "5/5" in err  # 4 reports, promises
    assert "building" not in out  # the bar is on stderr only


@pytest.mark.parametrize("quiet, terminal, n", [(True, True, 4), (False, False, 4), (False, True, 1)])
def test_no_bar_when_quiet_piped_or_few_reports(tmp_path, quiet, terminal, n):
    args = [_folder(tmp_path, n), "-o", str(tmp_path / "o")] + (["--quiet"] if quiet else [])
    code, out, err = _build(args, terminal)
    assert code == 0 and f"built {n} report" in out
    assert "building" not in err


def test_the_library_tells_each_step(tmp_path):
    import kg

    calls = []
    kg.build([_folder(tmp_path, 2)], tmp_path / "o", cache=False, progress=lambda *a: calls.append(a))
    assert calls == [(0, 5, ""), (1, 5, "hailaer-2013-0"), (2, 5, "xushui-2010-1"), (2, 5, "promises"),
                     (3, 5, "promises"), (3, 5, "page"), (4, 5, "page"), (4, 5, "store"), (5, 5, "store")]
