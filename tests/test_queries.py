"""Every saved query in kg/queries/ on the seed build, with the rows it should return.

The expected rows were read off the seed text (seeds/haining-2023.txt), not off the
query's own output: the seed is truncated in 二(一)3, so everything after it is named
only by the table of contents.
"""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import kg
from conftest import SEED
from kg import sparql as Q
from kg.cli import cli
from kg.namespace import gr_terms

SAVED = Q.saved_queries()


def rows(out, query, **params):
    res = kg.open(out).query(query, **{k: str(v) for k, v in params.items()}).result
    return [{v: Q.term_text(t) for v, t in zip(res.variables, row)} for row in res.rows]


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_is_documented_and_runs(seed_build, name):
    q = SAVED[name]
    assert len(q.question) >= 10, "the first line says the question the query answers"
    for p in q.params:
        assert re.search(rf"\?{p.name}\b", q.text), f"parameter {p.name} is not a variable of the query"
        assert p.help
    kg.open(seed_build).query(name)  # no parameters: runs over everything


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


# ---------------------------------------------------------------- entities

needs_entities = pytest.mark.skipif("Mention" not in gr_terms(),
                                    reason="needs the entities vocabulary (ontology/entities.ttl) merged")
SEED_TEXT = open(SEED, encoding="utf-8").read()


@needs_entities
def test_companies_of_the_seed_with_their_sections(seed_build):
    got = {r["name"]: r for r in rows(seed_build, "entities-of-type", type="company", report="haining-2023")}
    # 晶科 is named four times: 晶科尖山一期项目 (一(二)), 晶科用户侧储能项目 (一(四)), 晶科二期 and 晶科储能 (二(一)1)
    assert got["晶科"]["mentions"] == "4"
    assert set(got["晶科"]["sections"].split("|")) == {"一(二)", "一(四)", "二(一)1"}
    assert {"正泰", "德业", "立昂东芯"} <= set(got)
    assert {r["type"] for r in got.values()} == {"company"}


@needs_entities
def test_projects_and_companies_of_a_section(seed_build):
    got = rows(seed_build, "section-projects-companies", section="二(一)", report="haining-2023")
    names = {(r["type"], r["name"]) for r in got}
    # 光伏新能源产业推动晶科二期、正泰二期两个百亿项目…立昂东芯微电子等项目…德业新能源、晶科储能等项目开工
    assert {("project", n) for n in ("晶科二期", "正泰二期", "立昂东芯微电子", "德业新能源", "晶科储能")} <= names
    assert {("company", n) for n in ("晶科", "正泰", "立昂东芯", "德业")} <= names
    assert all(r["section"] == "二(一)" and r["in"].startswith("二(一)") for r in got)
    assert {r["type"] for r in got} == {"project", "company"}


@needs_entities
def test_companies_by_industry(seed_build):
    got = rows(seed_build, "companies-by-industry", industry="光伏新能源产业")
    # 光伏新能源产业推动晶科二期、正泰二期两个百亿项目建成投产
    assert {(r["company"], r["viaProjects"]) for r in got} >= {("晶科", "晶科二期"), ("正泰", "正泰二期")}
    assert all(r["industry"] == "光伏新能源产业" for r in got)


@needs_entities
def test_places_by_mention_count(seed_build):
    got = rows(seed_build, "places-by-mentions", report="haining-2023")
    top = got[0]
    assert (top["place"], top["code"], top["level"], top["parent"]) == ("海宁市", "330481", "county", "嘉兴市")
    counts = [int(r["mentions"]) for r in got]
    assert counts == sorted(counts, reverse=True)
    town = next(r for r in got if r["place"] == "长安镇")
    assert (town["code"], town["level"], town["parent"]) == ("330481103", "town", "海宁市")


@needs_entities
def test_evidence_is_exact_to_the_character(seed_build):
    got = rows(seed_build, "evidence", name="晶科", report="haining-2023")
    assert [int(r["start"]) for r in got] == [m.start() for m in re.finditer("晶科", SEED_TEXT)]
    for r in got:
        assert SEED_TEXT[int(r["start"]):int(r["end"])] == r["surface"] == "晶科"
        assert r["surface"] in r["sentence"] and r["sentence"] in SEED_TEXT
    assert next(r for r in got if r["path"] == "二(一)1")["sentence"].startswith("光伏新能源产业推动晶科二期")


@needs_entities
def test_co_mentioned_leaves_out_nested_names(seed_build):
    got = {r["other"]: r for r in rows(seed_build, "co-mentioned", name="晶科", report="haining-2023")}
    assert {"正泰二期", "正泰", "光伏新能源产业"} <= set(got)  # the same sentence
    assert "晶科二期" not in got and "晶科储能" not in got  # 晶科 is inside those names
    # 储能…晶科储能 (二(一)1); in 一(四) 储能 is inside 晶科用户侧储能项目 and 新型储能示范项目 (a kind of project),
    # so no industry mention there (the seed gold has none)
    assert got["储能"]["sentences"] == "1"


# ---------------------------------------------------------------- targets and results

needs_goals = pytest.mark.skipif("QuantifiedTarget" not in gr_terms(),
                                 reason="needs the goals vocabulary (ontology/goals.ttl) merged")


@needs_goals
def test_main_expected_targets(seed_build):
    got = rows(seed_build, "section-targets", goal="经济社会发展主要预期目标", report="haining-2023")
    by = {(r["indicator"], r["unit"]): r for r in got}
    # 地区生产总值增长7%；…固定资产投资增长15%，力争700亿元
    assert (by[("地区生产总值", "%")]["value"], by[("地区生产总值", "%")]["year"]) == ("7", "2023")
    assert (by[("固定资产投资", "亿元")]["value"], by[("固定资产投资", "亿元")]["hedge"]) == ("700", "力争")
    assert all(r["path"] == "二" and r["goal"] == "经济社会发展主要预期目标" for r in got)
    for r in got:
        assert r["text"] in SEED_TEXT


@needs_goals
def test_targets_of_a_section_include_its_items(seed_build):
    got = rows(seed_build, "section-targets", section="二(一)", report="haining-2023")
    assert got and all(r["path"].startswith("二(一)") for r in got)
    assert {r["path"] for r in got} >= {"二(一)1", "二(一)2"}
    # 力争规上工业总产值突破3000亿元 … 光伏新能源产业…产值突破750亿元
    assert any((r["value"], r["unit"], r["comparator"], r["hedge"]) == ("3000", "亿元", "ge", "力争") for r in got)
    assert any((r["value"], r["unit"], r["comparator"]) == ("750", "亿元", "ge") for r in got)
    assert rows(seed_build, "section-targets", section="二(二)", report="haining-2023") == []  # TOC only


@needs_goals
def test_evidence_of_a_target_and_a_result(seed_build):
    got = rows(seed_build, "evidence", name="地区生产总值", report="haining-2023")
    kinds = {(r["kind"], r["surface"]) for r in got}
    # 实现地区生产总值1247亿元、增长0.7% (一) and 地区生产总值增长7% (二)
    assert {("result", "1247亿元"), ("result", "0.7%"), ("target", "7%")} <= kinds
    for r in got:
        assert SEED_TEXT[int(r["start"]):int(r["end"])] == r["surface"]
        assert "地区生产总值" in r["sentence"]


# ---------------------------------------------------------------- rewrites for speed give the same rows

# The plain form of the indicator match, as first written: a FILTER with EXISTS on every pair of a
# target and a result. The saved queries join a table of comparable indicators instead (206 s
# against 18 s on 440 reports, docs/store.md); these are the rows they must still give.
PLAIN_MATCH = """FILTER(?oi = ?ti || EXISTS { ?oi skos:broader ?ti } || EXISTS { ?ti skos:broader ?oi }
         || EXISTS { ?oi skos:broader ?b . ?ti skos:broader ?b })"""


def plain_form(name: str) -> str:
    """The saved query with its comparable-indicators block replaced by PLAIN_MATCH."""
    text = SAVED[name].text
    block = re.search(r"\n  \{\n    # Indicators that may be compared.*?\n    \}\n  \}\n", text, re.S)
    assert block, f"{name}: the comparable-indicators block moved; update plain_form"
    text = text[:block.start()] + "\n" + text[block.end():]
    close = text.rindex("\n}")  # end of the outermost WHERE group
    return text[:close] + "\n  " + PLAIN_MATCH + text[close:]


@pytest.fixture(scope="module")
def issuer_build(tmp_path_factory):
    """Two reports of one issuer (浙江 2025 and 2026): targets of one, results of the next."""
    from conftest import corpus_path
    from kg.pipeline import build

    out = str(tmp_path_factory.mktemp("issuer-build"))
    build([corpus_path("zhejiang-2025"), corpus_path("zhejiang-2026")], out)
    return out


def all_rows(out, text):
    res = Q.run(kg.open(out).store(), text)
    return sorted(tuple(Q.term_text(t) for t in row) for row in res.rows)


@needs_goals
@pytest.mark.parametrize("name", ["indicator-result-vs-target", "target-vs-next-result"])
def test_indicator_join_gives_the_rows_of_the_plain_filter(issuer_build, seed_build, name):
    for out in (issuer_build, seed_build):
        fast, plain = all_rows(out, SAVED[name].text), all_rows(out, plain_form(name))
        assert fast == plain
    assert all_rows(issuer_build, SAVED[name].text), "the two reports give rows to compare"


@needs_entities
def test_co_mentioned_minus_gives_the_rows_of_filter_not_exists(seed_build):
    text = SAVED["co-mentioned"].text
    plain = re.sub(r"MINUS (\{ \?m\d gr:insideMention \?m\d \})", r"FILTER NOT EXISTS \1", text)
    assert "MINUS {" not in plain and plain != text
    assert all_rows(seed_build, text) == all_rows(seed_build, plain)
    assert len(all_rows(seed_build, text)) > 100
