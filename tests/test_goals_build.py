"""Targets and observations in the build: RDF (qb:, SKOS, QUDT), tables, and the saved query."""
import csv
import os

import pytest
import rdflib

from conftest import ROOT, SEED, corpus_path
from kg.emit import indicator_broader

GR = rdflib.Namespace("https://w3id.org/govreport-kg/ontology#")
NIF = rdflib.Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
QUERY = os.path.join(ROOT, "kg", "queries", "indicator-result-vs-target.rq")


@pytest.fixture(scope="module")
def graph(seed_build):
    g = rdflib.Graph()
    g.parse(os.path.join(seed_build, "graph.ttl"))
    g.parse(os.path.join(ROOT, "ontology", "goals.ttl"))
    return g


def rows(seed_build, name):
    with open(os.path.join(seed_build, "tables", name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_tables_have_the_columns_and_values_as_written(seed_build):
    targets = rows(seed_build, "targets.csv")
    observations = rows(seed_build, "observations.csv")
    assert set("id,report,section,indicator,comparator,value,unit,year,text".split(",")) <= set(targets[0])
    assert set("id,report,section,indicator,value,unit,year,text".split(",")) <= set(observations[0])
    t = {(r["indicator"], r["value"], r["unit"]): r for r in targets}
    r = t[("固定资产投资", "700", "亿元")]
    assert (r["hedge"], r["norm_value"], r["norm_unit"], r["year"], r["comparator"]) == ("力争", "70000000000", "CNY", "2023", "eq")
    assert "力争700亿元" in r["text"] and r["goal"] == "经济社会发展主要预期目标"
    o = {(r["indicator"], r["value"], r["unit"]): r for r in observations}
    assert o[("一般公共预算收入", "16.9", "%")]["norm_value"] == "-16.9"
    assert o[("地区生产总值", "1247", "亿元")]["year"] == "2022"
    text = open(SEED, encoding="utf-8").read()
    for r in targets + observations:
        assert text[int(r["start"]):int(r["end"])] == r["surface"]
        assert r["surface"] in r["text"] or r["value"] == ""


def test_every_fact_links_to_its_section_sentence_and_span(graph):
    text = open(SEED, encoding="utf-8").read()
    facts = set(graph.subjects(rdflib.RDF.type, GR.Observation)) | set(graph.subjects(rdflib.RDF.type, GR.QuantifiedTarget)) \
        | set(graph.subjects(rdflib.RDF.type, GR.QualitativeTarget))
    assert len(facts) > 120
    for f in facts:
        sent = graph.value(f, GR.inSentence)
        assert graph.value(f, GR.inSection) is not None
        b, e = int(graph.value(f, NIF.beginIndex)), int(graph.value(f, NIF.endIndex))
        assert text[b:e] == str(graph.value(f, NIF.anchorOf))
        sb, se = int(graph.value(sent, NIF.beginIndex)), int(graph.value(sent, NIF.endIndex))
        assert sb <= b and e <= se


def test_observations_are_a_data_cube(graph):
    ds = graph.value(predicate=QB.structure, object=GR.ObservationStructure)
    assert ds is not None
    obs = list(graph.subjects(QB.dataSet, ds))
    assert len(obs) == len(set(graph.subjects(rdflib.RDF.type, GR.Observation)))
    units = {graph.value(o, GR.unit) for o in obs}
    assert rdflib.URIRef("http://qudt.org/vocab/currency/CNY") in units
    assert rdflib.URIRef("http://qudt.org/vocab/unit/PERCENT") in units
    assert GR.TonneOfCoalEquivalent in units


def test_goal_target_indicator_hierarchy(graph):
    q = """PREFIX gr: <https://w3id.org/govreport-kg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?goal ?ind WHERE { ?g a gr:Goal ; rdfs:label ?goal ; gr:hasTarget ?t . ?t gr:indicator/skos:prefLabel ?ind }"""
    got = {(str(a), str(b)) for a, b in graph.query(q)}
    assert ("经济社会发展主要预期目标", "地区生产总值") in got
    assert ("聚焦新兴海工程,打造长三角先进制造业基地", "光伏新能源产业产值") in got


@pytest.mark.parametrize("key,broader", [("地区生产总值", "生产总值"), ("国内生产总值", "生产总值"),
                                         ("全社会研发投入强度", "研发投入强度"), ("生产总值", None), ("地区", None)])
def test_indicator_broader(key, broader):
    assert indicator_broader(key) == broader


def _saved(out, name):
    import kg
    from kg import sparql as Q

    res = kg.open(out).query(name).result
    return [{v: Q.term_text(t) for v, t in zip(res.variables, row)} for row in res.rows]


def test_saved_query_sets_last_years_result_against_this_years_target(seed_build):
    with open(QUERY, encoding="utf-8") as f:
        assert f.readline().startswith("# Each indicator with last year's result and this year's target")
    got = {(r["indicator"], r["measure"], r["result"], r["comparator"], r["target"]) for r in
           _saved(seed_build, "indicator-result-vs-target")}
    assert ("地区生产总值", "growth", "0.7", "eq", "7") in got
    assert ("一般公共预算收入", "level", "95.1", "ge", "100") in got
    assert ("一般公共预算收入", "growth", "16.9", "eq", "5.2") in got
    assert ("固定资产投资", "level", "568.6", "eq", "700") in got
    assert ("全社会研发投入强度", "level", "3.77", "eq", "3.8") in got


def test_saved_query_relates_indicators_across_spellings(tmp_path):
    """A target for 生产总值 is set against a result for 地区生产总值 (its narrower concept)."""
    from kg.pipeline import build

    text = open(SEED, encoding="utf-8").read()
    assert "主要预期目标是:地区生产总值增长7%" in text
    p = tmp_path / "haining-variant-2023.txt"
    p.write_text(text.replace("主要预期目标是:地区生产总值增长7%", "主要预期目标是:生产总值增长7%"), encoding="utf-8")
    build([str(p)], str(tmp_path / "out"))
    res = {(r["indicator"], r["result"], r["target"]) for r in _saved(tmp_path / "out", "indicator-result-vs-target")}
    assert ("生产总值", "0.7", "7") in res


def test_saved_query_was_the_promise_kept(tmp_path):
    """zhejiang-2025's targets for 2025 against the results zhejiang-2026 reports for 2025."""
    from kg.pipeline import build

    build([corpus_path("zhejiang-2025"), corpus_path("zhejiang-2026")], str(tmp_path))
    rows = _saved(tmp_path, "target-vs-next-result")
    got = {(r["indicator"], r["measure"], r["comparator"], r["target"], r["result"], r["met"]) for r in rows}
    assert ("生产总值", "growth", "approx", "5.5", "5.5", "true") in got
    assert ("城镇调查失业率", "level", "le", "5", "4.6", "true") in got
    assert ("社会消费品零售总额", "growth", "ge", "5", "4", "false") in got
    assert all(r["year"] == "2025" and r["targetReport"] == "zhejiang-2025" and r["resultReport"] == "zhejiang-2026"
               for r in rows)


def test_malformed_numbers_do_not_break_the_build(tmp_path):
    from kg.pipeline import build

    text = open(SEED, encoding="utf-8").read()
    bad = text.replace("实现地区生产总值1247亿元", "实现地区生产总值1,2,3亿元").replace("增长0.7%", "增长0.7%%")
    p = tmp_path / "bad-2023.txt"
    p.write_text(bad, encoding="utf-8")
    out = tmp_path / "out"
    build([str(p)], str(out))
    obs = list(csv.DictReader(open(out / "tables" / "observations.csv", encoding="utf-8")))
    vals = {(r["indicator"], r["value"], r["unit"]) for r in obs}
    assert not any(v[1] in ("3", "2,3", "1,2,3") and v[2] == "亿元" for v in vals)
    assert ("地区生产总值", "1247", "亿元") not in vals
    assert ("地区生产总值", "0.7", "%") not in vals


def test_targets_link_to_entities_of_their_sentence(seed_outline):
    """Entities of the entity stage are linked to the targets of the sentence they are mentioned in."""
    from kg.emit import emit_goals
    from kg.extract.goals import extract_goals
    from kg.iri import Minter
    from kg.model import Entities, Located, Mention

    text = seed_outline.report.text
    names = [("project", "晶科二期"), ("project", "正泰二期"), ("platform", "新华三产业园")]
    located = []
    for t, name in names:
        a = text.index(name)
        located.append(Located(Mention(t, name, a, a + len(name), name), None, (), f"entity/{t}-{name}"))
    entities = Entities("haining-2023", tuple(located), (), ())
    res = extract_goals(seed_outline)
    triples = emit_goals(seed_outline, res, entities)
    concerns = {(s, o) for s, p, o in triples if p.endswith("#concerns>")}
    m = Minter("https://w3id.org/govreport-kg/id/", "haining-2023", text)
    jk, zt, xhs = (m.entity(x.entity) for x in located)
    k = next(f for f in res.targets if f.surface == "750亿元")
    assert (m.target(k.start, k.end), jk) in concerns and (m.target(k.start, k.end), zt) in concerns
    assert (m.target(k.start, k.end), xhs) not in concerns
    j = next(f for f in res.targets if f.surface == "250亿元")
    assert (m.target(j.start, j.end), xhs) in concerns


def test_scores_from_the_build_tables_match_the_library(seed_build):
    """kg eval scores a build folder: its tables must give the same figures as the library."""
    import kg
    from kg.evaluate_goals import evaluate_goals, load_gold, score_tables

    gold_path = os.path.join(ROOT, "tests", "gold", "haining-2023.goals.json")
    from_out = score_tables(load_gold(gold_path), kg.open(seed_build).table)
    direct = evaluate_goals(gold_path, SEED)
    for kind in ("targets", "observations"):
        for k in ("tp", "fp", "fn", "indicator_exact", "measure_exact", "year_exact"):
            assert from_out[kind][k] == direct[kind][k], (kind, k)


def test_kg_eval_scores_targets_and_observations(seed_build):
    from click.testing import CliRunner

    from kg.cli import cli

    gold = os.path.join(ROOT, "tests", "gold", "haining-2023.goals.json")
    r = CliRunner().invoke(cli, ["eval", seed_build, gold])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("targets") and lines[2].startswith("observations")
    f1 = {lines[0].split()[0]: float(lines[1].split()[3]), lines[2].split()[0]: float(lines[3].split()[3])}
    assert f1["targets"] >= 0.9 and f1["observations"] >= 0.9


@pytest.mark.slow
def test_kg_eval_scores_a_build_on_the_passage_gold_as_the_library_does(tmp_path):
    """`kg eval OUT tests/gold/passages --split dev` reads the build's tables; same figures as the code."""
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.evaluate_goals import load_passages, passages_text, predict_from_reports, score_passages
    from kg.pipeline import build

    folder = os.path.join(ROOT, "tests", "gold", "passages")
    reports = os.path.join(ROOT, "tests", "data", "reports")
    passages = load_passages(folder, "dev")
    out = str(tmp_path / "out")
    build(sorted({os.path.join(reports, p["report"] + ".txt") for p in passages}), out, viz=False, with_store=False)
    r = CliRunner().invoke(cli, ["eval", out, folder, "--split", "dev"])
    assert r.exit_code == 0, r.output
    direct = score_passages(passages, predict_from_reports(reports), {})
    table = passages_text(direct, "").splitlines()[3:]
    assert [line.rsplit("|", 2)[0] for line in r.output.splitlines()[3:]] == [line.rsplit("|", 2)[0] for line in table]


def test_one_vocabulary_of_comparators_and_measures_in_tables_queries_and_rdf(seed_build, graph):
    """targets.csv, the saved queries and the concepts' skos:notation in the RDF spell them the same way."""
    from kg.extract.quantities import COMPARATORS

    notation = {c: str(graph.value(c, SKOS.notation)) for c in graph.subjects(rdflib.RDF.type, GR.Comparator)}
    assert sorted(notation.values()) == sorted(COMPARATORS)
    measures = {str(graph.value(m, SKOS.notation)) for m in graph.subjects(rdflib.RDF.type, GR.MeasureType)}
    assert measures == {"level", "growth", "change", "qualitative"}
    targets = rows(seed_build, "targets.csv")
    assert {r["comparator"] for r in targets} <= set(COMPARATORS) | {""}
    assert {r["measure"] for r in targets + rows(seed_build, "observations.csv")} <= measures
    for r in targets:  # the row's comparator is the notation of the concept its target points to
        c = graph.value(rdflib.URIRef(r["id"]), GR.comparator)
        assert (notation[c] if c is not None else "") == r["comparator"], r
    for name in ("section-targets", "indicator-result-vs-target"):
        got = _saved(seed_build, name)
        assert got and {x["comparator"] for x in got} <= set(COMPARATORS) | {""}  # qualitative: none
        assert {x["measure"] for x in got} <= measures
