"""Identity in a build: one node per real thing across reports, IRIs that other knowledge bases can keep."""
import csv
import re
from pathlib import Path

import pytest

from kg.iri import Anchors
from kg.pipeline import build, process

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "haining-2023.txt"
FILLER = "我们坚持稳中求进工作总基调，推动经济社会高质量发展，持续改善民生福祉，各项事业取得新的进展。\n" * 6


def _report(issuer: str, body: str) -> str:
    return (f"{issuer}2023年政府工作报告\n各位代表：\n现在，我代表{issuer}人民政府，向大会报告工作，请予审议。\n"
            f"一、2022年工作回顾\n{body}\n{FILLER}")


@pytest.fixture(scope="module")
def towns(tmp_path_factory):
    """Two reports, of 海宁市 and of 青阳县, that both name a 丁桥镇 and their own 市委/县委."""
    d = tmp_path_factory.mktemp("towns")
    (d / "haining-2023.txt").write_text(_report("海宁市", "在市委、市政府的坚强领导下，丁桥镇新建文化礼堂12个。"), "utf-8")
    (d / "qingyang-2023.txt").write_text(_report("青阳县", "在县委、县政府的坚强领导下，丁桥镇新建文化礼堂8个。"), "utf-8")
    out = d / "out"
    build([str(d / "haining-2023.txt"), str(d / "qingyang-2023.txt")], str(out), viz=False)
    return out


def test_two_towns_of_one_name_are_two_nodes_with_one_code_each(towns):
    import rdflib

    g = rdflib.Graph().parse(towns / "graph.ttl")
    q = """PREFIX gr: <https://w3id.org/govreport-kg/ontology#>
           PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           SELECT ?t ?code ?parent WHERE { ?t skos:prefLabel "丁桥镇"@zh ; gr:adminCode ?code ; gr:withinPlace ?p .
                                           ?p skos:prefLabel ?parent }"""
    rows = sorted((str(t), str(c), str(p)) for t, c, p in g.query(q))
    assert [(c, p) for _, c, p in rows] == [("330481106", "海宁市"), ("341723105", "青阳县")]
    assert [t.rsplit("/", 1)[-1] for t, _, _ in rows] == ["330481106", "341723105"]


def test_the_issuer_is_the_place_node_at_its_level(towns):
    import rdflib

    g = rdflib.Graph().parse(towns / "graph.ttl")
    q = """PREFIX gr: <https://w3id.org/govreport-kg/ontology#>
           SELECT ?level ?code ?place_level WHERE { ?r gr:issuer ?p ; gr:administrativeLevel ?level .
                                                    ?p gr:adminCode ?code ; gr:adminLevel ?place_level }"""
    assert sorted(tuple(map(str, row)) for row in g.query(q)) == [("county", "330481", "county"),
                                                                    ("county", "341723", "county")]


def test_entities_table_has_the_scoped_identity(towns):
    with open(towns / "tables" / "entities.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {"scope", "candidates", "external"} <= set(rows[0])
    by = {(r["report"], r["name"]): r for r in rows}
    assert by[("haining-2023", "中共海宁市委")]["scope"] == "330481"
    assert by[("qingyang-2023", "中共青阳县委")]["scope"] == "341723"
    assert by[("haining-2023", "丁桥镇")]["code"] == "330481106"
    assert by[("qingyang-2023", "丁桥镇")]["code"] == "341723105"


def test_mentions_link_to_their_entity_by_its_ident_ref(towns):
    import rdflib

    g = rdflib.Graph().parse(towns / "graph.ttl")
    gr, its = "https://w3id.org/govreport-kg/ontology#", "http://www.w3.org/2005/11/its/rdf#"
    mention_of = set(g.subject_objects(rdflib.URIRef(gr + "mentionOf")))
    assert mention_of and set(g.subject_objects(rdflib.URIRef(its + "taIdentRef"))) == mention_of


_OWN = re.compile(r"/report/[^/]+/(mention|target|observation)/([0-9a-f.]+|text)-")


def _said(path: Path) -> set[str]:
    """IRIs of the mentions, targets and observations of a report."""
    return {t[1:-1] for s, _, o in process(str(path)).triples for t in (s, o) if _OWN.search(t)}


def test_changing_one_sentence_changes_only_the_iris_of_that_sentence(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    old = "“142”产业集群加速崛起,实现规上工业总产值"
    assert text.count(old) == 1
    edited = text.replace(old, "“142”产业集群在困难中加速崛起,全年实现规上工业总产值")
    a, b = tmp_path / "a" / "haining-2023.txt", tmp_path / "b" / "haining-2023.txt"
    for p, t in ((a, text), (b, edited)):
        p.parent.mkdir()
        p.write_text(t, encoding="utf-8")
    before, after = _said(a), _said(b)
    pos = text.index(old)
    sentence = next(n for s, n in zip(Anchors(text).starts[::-1], Anchors(text).names[::-1]) if s <= pos)
    sentence2 = next(n for s, n in zip(Anchors(edited).starts[::-1], Anchors(edited).names[::-1]) if s <= pos)
    gone, new = before - after, after - before
    assert gone and new  # the sentence says something: its things have new IRIs
    assert {_OWN.search(i).group(2) for i in gone} == {sentence}
    assert {_OWN.search(i).group(2) for i in new} == {sentence2}
    assert len(before & after) > 0.9 * len(before)


@pytest.mark.slow
def test_the_corpus_has_no_wrong_merge_and_conforms(tmp_path):
    """The 141 reports of every level and the seed: no node with two codes or two parents, every
    coded place's node named by its code, and the whole graph conforms (one report at a time)."""
    import sys

    from kg.validate import validate_build

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from identity import merges

    out = tmp_path / "corpus"
    build([str(ROOT / "tests" / "data" / "reports"), str(SEED)], str(out), viz=False, with_store=False, jobs=2)
    two_codes, two_parents, _ = merges(str(out / "graph.nq"))
    assert (two_codes, two_parents) == (0, 0)
    with open(out / "tables" / "entities.csv", encoding="utf-8", newline="") as fh:
        coded = [r for r in csv.DictReader(fh) if r["code"]]
    assert coded and all(r["id"].endswith(f"/place/{r['code']}") for r in coded)
    assert validate_build(out, jobs=2).violations == []
