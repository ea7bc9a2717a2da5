"""Every saved query in kg/queries/ on the seed build, with the rows it should return.

The expected rows were read off the seed text (seeds/haining-2023.txt), not off the
query's own output: the seed is truncated in 二(一)3, so everything after it is named
only by the table of contents.
"""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kg import store as S
from kg.cli import cli

SAVED = S.saved_queries()


def rows(out, name, **params):
    res = S.query(out, name, {k: str(v) for k, v in params.items()})
    return [{v: S.term_text(t) for v, t in zip(res.variables, row)} for row in res.rows]


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_is_documented_and_runs(seed_build, name):
    q = SAVED[name]
    assert q.question.endswith("?"), "the first line says the question the query answers"
    for p in q.params:
        assert re.search(rf"\?{p.name}\b", q.text), f"parameter {p.name} is not a variable of the query"
        assert p.help
    S.query(seed_build, name)  # no parameters: runs over everything


def test_list_shows_every_saved_query():
    r = CliRunner().invoke(cli, ["query", "--list"])
    assert r.exit_code == 0
    for name, q in SAVED.items():
        assert f"{name} " in r.output and q.question in r.output


# ---------------------------------------------------------------- outline

SEED_PARTS = [("一", "2022年工作回顾"), ("二", "2023年奋斗目标和重点工作"), ("三", "切实加强政府自身建设")]


def test_outline_reading_order(seed_build):
    got = rows(seed_build, "outline", report="haining-2023")
    assert len(got) == 3 + (5 + 8 + 4) + (3 + 4 + 3 + 3 + 3 + 3 + 3 + 3)  # parts, sections, items
    assert [(r["path"], r["title"]) for r in got if r["level"] == "part"] == SEED_PARTS
    paths = [r["path"] for r in got]
    assert paths[:8] == ["一", "一(一)", "一(二)", "一(三)", "一(四)", "一(五)", "二", "二(一)"]
    assert paths[8:12] == ["二(一)1", "二(一)2", "二(一)3", "二(二)"]
    assert paths[-5:] == ["三", "三(一)", "三(二)", "三(三)", "三(四)"]
    by_path = {r["path"]: r for r in got}
    assert by_path["二(一)"]["title"] == "聚焦“新兴海工程”,打造长三角先进制造业基地"
    assert by_path["二(一)3"]["hasBody"] == "true"  # the text breaks off inside it
    assert by_path["二(二)"]["hasBody"] == "false"


def test_outline_of_an_unknown_report_is_empty(seed_build):
    assert rows(seed_build, "outline", report="no-such-report") == []


# ---------------------------------------------------------------- sections without body


def test_sections_without_body_are_what_the_truncation_cut(seed_build):
    got = rows(seed_build, "sections-without-body", report="haining-2023")
    paths = [r["path"] for r in got]
    # everything after 二(一) is only in the table of contents: 二(二)…二(八) with their items, and 三
    assert paths[0] == "二(二)" and paths[-1] == "三(四)"
    assert "二(一)" not in paths and "二(一)3" not in paths
    assert {p for p in paths if not p.startswith("二")} == {"三", "三(一)", "三(二)", "三(三)", "三(四)"}
    assert len([p for p in paths if re.fullmatch(r"二\([二三四五六七八]\)", p)]) == 7
    assert len(got) == 34
