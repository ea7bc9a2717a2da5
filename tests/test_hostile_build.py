"""`kg build` under hostile input, hostile OUT folders and faults: each case one line, a
non-zero exit, no traceback, and OUT exactly as it was (or, for kills, as it was once the
next build has cleaned up)."""
import os

from click.testing import CliRunner

from conftest import SEED
from kg.cli import cli

SEED_BYTES = open(SEED, "rb").read()
SEED_TEXT = SEED_BYTES.decode("utf-8")


def one_line(r, *words):
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: "), r.output
    assert "Traceback" not in r.output
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


def kg_build(*args):
    return CliRunner().invoke(cli, ["build", *args])


# --------------------------------------------------------------------------- inputs: what is read at all


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        r = kg_build(SEED, path, "-o", str(tmp_path / "out"))
        assert r.exit_code == 2
        one_line(r, path, "not a regular file")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_report_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # 5 MB, mostly a hole: refused by its size alone
        f.write(SEED_BYTES)
        f.truncate(5_000_000)
    r = kg_build(str(big), "-o", str(tmp_path / "out"))
    assert r.exit_code == 2
    one_line(r, "big.txt", "5 MB is over the limit of 2 MB", "--max-report-size")
    r = kg_build(SEED, "-o", str(tmp_path / "out"), "--max-report-size", "10kB")
    one_line(r, "haining-2023.txt", "22 kB is over the limit of 10 kB")
    r = kg_build(SEED, "-o", str(tmp_path / "out"), "--max-report-size", "lots")
    one_line(r, "--max-report-size wants a size")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
