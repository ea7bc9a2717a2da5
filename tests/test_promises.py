"""Promises vs results (kg/promises.py): each target beside the result the issuer's next report
states, in one unit; OUT/tables/promises.csv and the rows the page's table shows."""
import csv
import os

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.promises import COLUMNS, fmt, met, promises
from kg.viz.page import promise_rows


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def rows(zhejiang_build):
    return read(os.path.join(zhejiang_build, "tables", "promises.csv"))


def matched(rows):
    return [r for r in rows if r["result"]]


def test_build_writes_promises_csv(zhejiang_build, rows):
    with open(os.path.join(zhejiang_build, "tables", "promises.csv"), encoding="utf-8") as f:
        assert f.readline().rstrip("\n").split(",") == COLUMNS
    targets = [t for t in read(os.path.join(zhejiang_build, "tables", "targets.csv")) if t["norm_value"]]
    assert [r["target_id"] for r in rows] == [t["id"] for t in targets]  # one row per quantified target
    assert rows == promises(zhejiang_build)


@pytest.mark.parametrize("indicator, measure, target, result, met_", [
    ("生产总值", "growth", "5.5", "5.5", "yes"),            # 增长5.5%左右 -> 增长5.5%
    ("城镇调查失业率", "level", "5", "4.6", "yes"),           # 控制在5%以内 -> 4.6%
    ("社会消费品零售总额", "growth", "5", "4", "no"),          # 增长5%以上 -> 增长4%
    ("城镇新增就业", "level", "100", "115.8", "yes"),         # 100万人以上 -> 115.8万人
    ("粮食播种面积", "level", "1520", "1584.6", "yes"),
])
def test_targets_of_2025_beside_the_results_2026_states(rows, indicator, measure, target, result, met_):
    row = next(r for r in matched(rows) if r["indicator"] == indicator and r["measure"] == measure)
    assert (row["report"], row["result_report"], row["year"]) == ("zhejiang-2025", "zhejiang-2026", "2025")
    assert (row["target_in_unit"], row["result_in_unit"], row["met"]) == (target, result, met_)
    assert row["unit"] == row["target_unit"]  # compared in the unit the target was written in


def test_the_same_pairs_as_the_saved_query(zhejiang_build, rows):
    """The table and `kg query OUT target-vs-next-result` agree on which targets have a result."""
    res = CliRunner().invoke(cli, ["query", zhejiang_build, "target-vs-next-result", "--format", "csv"])
    assert res.exit_code == 0, res.output
    query = {(r["indicator"], r["target"], r["result"]) for r in csv.DictReader(res.output.splitlines())}
    ours = {(r["indicator"], r["target"], r["result"]) for r in matched(rows)}
    assert len(ours) >= 10 and ours == query


def test_a_targets_own_report_is_never_its_result(rows):
    assert all(r["result_report"] != r["report"] for r in matched(rows))
    assert [r for r in rows if r["report"] == "zhejiang-2026" and r["result"]] == []  # no 2027 report


def write_table(path, columns, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})


FACT = ["id", "report", "section", "indicator", "comparator", "value", "unit", "year", "text", "measure",
        "value_max", "norm_value", "norm_max", "norm_unit", "start", "indicator_id"]


def test_units_of_one_dimension_are_compared_in_the_targets_unit(tmp_path):
    """亿元 against 万元, 公顷 against 平方米: both shown in the target's unit; a length is never
    set against an area."""
    g = "https://w3id.org/govreport-kg/ontology#"
    lines = []
    for rid, year in (("x-2024", 2024), ("x-2025", 2025)):
        r = f"<http://e.org/{rid}>"
        lines += [f'{r} <{g}issuer> "某市"@zh <http://e.org/g/{rid}> .',
                  f'{r} <{g}year> "{year}"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e.org/g/{rid}> .',
                  f'{r} <http://purl.org/dc/terms/identifier> "{rid}" <http://e.org/g/{rid}> .']
    (tmp_path / "graph.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "tables").mkdir()
    write_table(tmp_path / "tables" / "targets.csv", FACT, [
        dict(id="t1", report="x-2024", indicator="固定资产投资", comparator="ge", value="700", unit="亿元", year="2024",
             measure="level", norm_value="70000000000", norm_unit="CNY", indicator_id="i1"),
        dict(id="t2", report="x-2024", indicator="新增绿地", comparator="ge", value="3.486667", unit="公顷", year="2024",
             measure="level", norm_value="34866.67", norm_unit="M2", indicator_id="i2"),
        dict(id="t3", report="x-2024", indicator="新建道路", comparator="ge", value="20", unit="公里", year="2024",
             measure="level", norm_value="20000", norm_unit="M", indicator_id="i3"),
    ])
    write_table(tmp_path / "tables" / "observations.csv", FACT, [
        dict(id="o1", report="x-2025", indicator="固定资产投资", comparator="eq", value="7123000", unit="万元", year="2024",
             measure="level", norm_value="71230000000", norm_unit="CNY", indicator_id="i1", start="5"),
        dict(id="o2", report="x-2025", indicator="新增绿地", comparator="eq", value="130966.46", unit="平方米", year="2024",
             measure="level", norm_value="130966.46", norm_unit="M2", indicator_id="i2", start="9"),
        dict(id="o3", report="x-2025", indicator="新建道路", comparator="eq", value="25", unit="平方公里", year="2024",
             measure="level", norm_value="25000000", norm_unit="M2", indicator_id="i3", start="12"),
    ])
    got = {r["target_id"]: r for r in promises(tmp_path)}
    assert (got["t1"]["unit"], got["t1"]["target_in_unit"], got["t1"]["result_in_unit"]) == ("亿元", "700", "712.3")
    assert (got["t2"]["unit"], got["t2"]["target_in_unit"], got["t2"]["result_in_unit"]) == ("公顷", "3.4867", "13.0966")
    assert got["t3"]["result"] == ""  # an area is no result for a length
    # no promises.csv (an older build): the page's rows are worked out from the tables
    assert len(promise_rows(tmp_path)) == len(promise_rows(tmp_path, report="x-2024")) == 3
    assert promise_rows(tmp_path, report="x-2025") == []


@pytest.mark.parametrize("comparator, target, top, result, expected", [
    ("ge", "5", None, "5", True), ("ge", "5", None, "4.9", False), ("approx", "5.5", None, "5.4", False),
    ("le", "5", None, "4.6", True), ("le", "5", None, "5.1", False), ("range", "5", "6", "6.5", False),
    ("range", "5", "6", "5.5", True), ("AtLeast", "1", None, "2", True), ("AtMost", "1", None, "2", False),
])
def test_met(comparator, target, top, result, expected):
    from decimal import Decimal

    assert met(comparator, Decimal(target), Decimal(top) if top else None, Decimal(result)) is expected


@pytest.mark.parametrize("x, text", [("7", "7"), ("712.30000", "712.3"), ("13.09664600", "13.0966"), ("1E+3", "1000"),
                                     ("0.00001", "0")])
def test_fmt(x, text):
    from decimal import Decimal

    assert fmt(Decimal(x)) == text


def test_the_five_lines_of_the_readme_run(tmp_path):
    """The README's "Five lines of Python", on a folder of the two 浙江 reports."""
    import re
    import shutil
    import subprocess
    import sys

    from conftest import ROOT, corpus_path

    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = readme[readme.index("## Five lines of Python\n"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) == 5
    (tmp_path / "reports").mkdir()
    for name in ("zhejiang-2025", "zhejiang-2026"):
        shutil.copy(corpus_path(name), tmp_path / "reports")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "生产总值 5.5 % 5.5 % yes" in r.stdout and (tmp_path / "entities.html").is_file()
