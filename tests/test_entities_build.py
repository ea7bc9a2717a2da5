"""kg build writes entities into the graph and tables; kg eval scores them."""
import csv
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "haining-2023.txt"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("build")
    r = CliRunner().invoke(cli, ["build", str(SEED), str(ROOT / "tests" / "data" / "corpus" / "lixian-2022.txt"), "-o", str(d)])
    assert r.exit_code == 0, r.output
    return d


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_entities_table(out):
    rows = _rows(out / "tables" / "entities.csv")
    assert list(rows[0])[:7] == ["id", "report", "type", "name", "aliases", "mentions", "sections"]
    keys = [(r["report"], r["type"], r["name"]) for r in rows]
    assert len(keys) == len(set(keys))  # one row per entity per report
    haining = next(r for r in rows if r["report"] == "haining-2023" and r["name"] == "海宁市")
    assert "海宁" in haining["aliases"].split("|") and int(haining["mentions"]) > 5
    assert haining["code"] == "330481"


def test_mentions_trace_to_characters(out):
    texts = {"haining-2023": SEED.read_text(encoding="utf-8"),
             "lixian-2022": (ROOT / "tests" / "data" / "corpus" / "lixian-2022.txt").read_text(encoding="utf-8")}
    rows = _rows(out / "tables" / "mentions.csv")
    assert rows
    for r in rows:
        assert texts[r["report"]][int(r["start"]):int(r["end"])] == r["surface"]


def test_a_mentions_sentence_is_a_row_of_sentences_csv(out):
    """tables/sentences.csv: every sentence's text and offsets, numbered as mentions.csv's
    ``sentence`` column numbers them, so a mention's sentence is a join away."""
    texts = {"haining-2023": SEED.read_text(encoding="utf-8"),
             "lixian-2022": (ROOT / "tests" / "data" / "corpus" / "lixian-2022.txt").read_text(encoding="utf-8")}
    sentences = {(r["report"], r["sentence"]): r for r in _rows(out / "tables" / "sentences.csv")}
    assert len(sentences) > 200
    for r in sentences.values():
        assert texts[r["report"]][int(r["start"]):int(r["end"])] == r["text"]
    joined = 0
    for m in _rows(out / "tables" / "mentions.csv"):
        if m["sentence"]:
            s = sentences[(m["report"], m["sentence"])]
            assert int(s["start"]) <= int(m["start"]) < int(m["end"]) <= int(s["end"]) and m["surface"] in s["text"]
            joined += 1
    assert joined > 100


def test_every_mention_says_where_it_came_from_and_how_far_to_trust_it(out):
    """mentions.csv and the graph: source rules, model or both, and a confidence in [0, 1]."""
    rows = _rows(out / "tables" / "mentions.csv")
    assert {r["source"] for r in rows} <= {"rules", "model", "both"}
    assert {"model", "both"} <= {r["source"] for r in rows}
    assert all(0 <= float(r["confidence"]) <= 1 for r in rows)
    graph = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "gr:extractedBy" in graph and "gr:confidence" in graph


def test_graph_conforms(out):
    r = CliRunner().invoke(cli, ["validate", str(out)])
    assert r.exit_code == 0, r.output[-2000:]


def test_same_entity_one_node_across_reports(out):
    import rdflib

    g = rdflib.Graph().parse(out / "graph.ttl")
    q = """PREFIX gr: <https://w3id.org/govreport-kg/ontology#>
           PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           SELECT ?e (COUNT(DISTINCT ?r) AS ?n) WHERE { ?e skos:prefLabel "中国"@zh ; gr:mentionedInReport ?r } GROUP BY ?e"""
    res = list(g.query(q))
    assert len(res) == 1 and int(res[0][1]) == 2
    q2 = """PREFIX gr: <https://w3id.org/govreport-kg/ontology#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?code WHERE { ?t skos:prefLabel "袁花镇"@zh ; gr:withinPlace/gr:withinPlace ?c . ?c gr:adminCode ?code }"""
    assert [str(r[0]) for r in g.query(q2)] == ["3304"]


def test_kg_eval_prints_scores(out):
    r = CliRunner().invoke(cli, ["eval", str(out), str(ROOT / "tests" / "gold" / "haining-2023.entities.json")])
    assert r.exit_code == 0, r.output
    assert "place" in r.output and "F1" in r.output


def test_kg_eval_bad_gold_is_one_line(out, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "kg", "eval", str(out), str(bad)], capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "bad.json" in r.stderr


def test_report_without_entities_builds(tmp_path):
    f = tmp_path / "empty-2024.txt"
    body = "今年我们坚持稳中求进，认真做好各项工作，努力让大家的生活一天比一天更好。" * 8
    f.write_text("政府工作报告\n各位代表：\n" + (body + "\n") * 5, encoding="utf-8")  # 5 paragraphs: looks like a report
    r = CliRunner().invoke(cli, ["build", str(f), "-o", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    assert len(_rows(tmp_path / "o" / "tables" / "entities.csv")) == 0
