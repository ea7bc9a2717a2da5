"""The CLI, run in-process with click's CliRunner, and once as a real console script."""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import CORPUS, ROOT, SEED
from kg.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_build_validate_stats_on_the_seed(tmp_path):
    out = str(tmp_path / "out")
    r = run("build", SEED, "-o", out)
    assert r.exit_code == 0, r.output
    assert "built 1 report" in r.output
    for name in ("graph.ttl", "graph.nq", "tables/sections.csv"):
        assert os.path.isfile(os.path.join(out, name))
    v = run("validate", out)
    assert v.exit_code == 0 and "conforms" in v.output
    s = run("stats", out)
    lines = s.output.splitlines()
    assert lines[0].split() == ["class", "haining-2023", "total"] and lines[1] == "outline:"
    assert re.search(r"^\s+gr:Part\s+3\s+3$", s.output, re.M)
    assert re.search(r"^\s+gr:Section\s+17\s+17$", s.output, re.M)
    assert any(line.startswith("1 report; total") for line in lines)
    rows = list(csv.DictReader(run("stats", out, "--format", "csv").output.splitlines()))
    got = {(r["report"], r["type"]): int(r["nodes"]) for r in rows}
    assert got[("haining-2023", "gr:Item")] == 25 == got[("all", "gr:Item")]
    # entities live in the shared graph, and are counted under each report that mentions them too
    assert got[("haining-2023", "gr:Company")] >= 1 and got[("shared", "gr:Indicator")] >= 1
    assert {r["family"] for r in rows} == {"outline", "entity", "goal", "text"}
    assert json.loads(run("stats", out, "--format", "json").output) == [{**r, "nodes": int(r["nodes"])} for r in rows]
    # then how entities are identified: the seed's places are divisions but for regions and the like
    assert re.search(r"place\s+(\d+)\s+(\d+)\s+\d+\s+0\s+0", s.output)
    assert re.search(r"places with a code: \d+ of \d+", s.output)
    assert run("stats", out, "--links").output.startswith(" " * 8 + "type")


def test_sections_csv(seed_build):
    with open(os.path.join(seed_build, "tables", "sections.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"report", "level", "number", "title", "parent", "start", "end", "has_body"} <= set(rows[0])
    assert [r["level"] for r in rows].count("part") == 3
    assert [r["level"] for r in rows].count("section") == 17
    assert [r["level"] for r in rows].count("item") == 25
    by_label = {r["label"]: r for r in rows}
    assert by_label["二(一)3"]["has_body"] == "true" and by_label["二(一)3"]["parent"] == "二(一)"
    assert by_label["二(八)"]["has_body"] == "false" and by_label["二(八)"]["start"] == ""
    assert by_label["三"]["kind"] == "self"
    text = open(SEED, encoding="utf-8").read()
    one = by_label["一(一)"]
    assert text[int(one["start"]) :].startswith("(一)经济运行恢复向好")


def test_build_defaults_to_seeds_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = str(tmp_path / "o")
    r = run("build", "-o", out)
    assert r.exit_code == 0 and "built 1 report" in r.output


def test_build_with_no_arguments_builds_the_seed_from_any_folder(tmp_path, monkeypatch):
    """`kg build` outside the checkout: the seed shipped with the package, into ./kg-out (not
    build/, which setuptools fills when the package is installed)."""
    monkeypatch.chdir(tmp_path)
    r = run("build")
    assert r.exit_code == 0 and "built 1 report" in r.output, r.output
    assert (tmp_path / "kg-out" / "graph.html").is_file() and not (tmp_path / "build").exists()


def test_build_no_store_then_query_reads_graph_nq(tmp_path):
    out = str(tmp_path / "o")
    r = run("build", SEED, "-o", out, "--no-store", "--no-viz")
    assert r.exit_code == 0 and "built 1 report" in r.output, r.output
    assert os.path.isfile(os.path.join(out, "graph.nq")) and not os.path.exists(os.path.join(out, "store"))
    q = run("query", out, "outline", "--format", "tsv")
    assert q.exit_code == 0 and "二(一)3" in q.output


def test_build_a_folder_skips_source_notes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("laiyuan-2025.txt", "laiyuan-2025.source.txt", "README.md"):
        shutil.copy(os.path.join(CORPUS, name), folder)
    r = run("build", str(folder), SEED, "-o", str(tmp_path / "o"), "--no-viz", "--no-store")
    assert r.exit_code == 0, r.output
    assert "built 2 reports" in r.output


def _bad(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda t: _bad(t, "empty.txt", b""), "empty file"),
        (lambda t: _bad(t, "pic.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256))), "binary file"),
        (lambda t: _bad(t, "note.txt", ("会议纪要：今天讨论了食堂菜单。" * 30).encode()), "not a government work report"),
        (lambda t: str(t / "missing.txt"), "no such file"),
    ],
    ids=["empty", "binary", "not-a-report", "missing"],
)
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, make, problem):
    path = make(tmp_path)
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", SEED, path, "-o", str(out)])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: ") and problem in lines[0]
    assert os.path.basename(path) in lines[0]
    assert "Traceback" not in r.output
    assert not out.exists() or not any(p for p in out.rglob("*") if p.is_file())


def test_unwritable_output(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = CliRunner().invoke(cli, ["build", SEED, "-o", str(blocker)])
    assert r.exit_code == 2 and "not a folder" in r.output
    r = CliRunner().invoke(cli, ["build", SEED, "-o", str(blocker / "sub")])
    assert r.exit_code == 2 and r.output.startswith("kg: ") and "cannot write output" in r.output


def test_a_failed_build_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out"
    assert run("build", SEED, "-o", str(out)).exit_code == 0
    before = (out / "graph.nq").read_bytes()
    bad = _bad(tmp_path, "empty.txt", b"")
    r = CliRunner().invoke(cli, ["build", SEED, bad, "-o", str(out)])
    assert r.exit_code == 2
    assert (out / "graph.nq").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".kg-")]


def test_validate_reports_violations(tmp_path, seed_build):
    out = tmp_path / "broken"
    shutil.copytree(seed_build, out)
    nq = (out / "graph.nq").read_text(encoding="utf-8")
    nq = nq.replace('ontology#level> "part"', 'ontology#level> "chapter"', 1)
    (out / "graph.nq").write_text(nq, encoding="utf-8")
    r = CliRunner().invoke(cli, ["validate", str(out)])
    assert r.exit_code == 1
    assert "InConstraintComponent gr:level" in r.output and "chapter" in r.output
    r = CliRunner().invoke(cli, ["validate", str(out / "graph.nq")])  # one file: pySHACL reads it whole
    assert r.exit_code == 1 and "Constraint Violation" in r.output and "chapter" in r.output


@pytest.mark.parametrize("cmd", ["validate", "stats"])
def test_commands_on_a_missing_build(cmd, tmp_path):
    r = CliRunner().invoke(cli, [cmd, str(tmp_path / "nothing")])
    assert r.exit_code == 2 and r.output.startswith("kg: ") and "kg build" in r.output


def test_every_command_has_help_and_is_in_the_readme():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    for name in cli.commands:
        r = run(name, "--help")
        assert r.exit_code == 0 and "Example:" in r.output, name
        assert f"kg {name}" in readme, f"`kg {name}` is not documented in README.md"


def test_console_script_starts():
    exe = shutil.which("kg")
    args = [exe, "--help"] if exe else [sys.executable, "-m", "kg", "--help"]
    p = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0 and "build" in p.stdout


def test_console_script_bad_input_has_no_traceback(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert p.returncode == 2
    assert p.stderr.strip() == f"kg: {tmp_path / 'nope.txt'}: no such file or folder"


def test_stats_of_many_reports_counts_the_reports_that_have_each_class():
    from kg.stats import readable

    counts = [(f"r{i}", "gr:Section", 10) for i in range(8)] + [("r0", "gr:Company", 2), ("shared", "gr:Company", 5)]
    text = readable(counts)
    assert text.splitlines()[0].split() == ["class", "reports", "total"]
    assert re.search(r"gr:Section\s+8\s+80$", text, re.M) and re.search(r"gr:Company\s+1\s+5$", text, re.M)

