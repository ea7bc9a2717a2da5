import os

import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import SEED
from kg.iri import Minter
from kg.namespace import GR, GR_NS, gr_terms
from kg.rdfterms import iri, lit, write_turtle

NIF = rdflib.Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
G = rdflib.Namespace(GR_NS)
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


@pytest.fixture(scope="module")
def graph(seed_build):
    g = rdflib.Graph()
    g.parse(os.path.join(seed_build, "graph.ttl"))
    return g


def test_readable_stable_iris():
    m = Minter("https://example.org/kg", "haining-2023")
    assert m.section((2, 1, 3)) == "<https://example.org/kg/report/haining-2023/part/2/section/1/item/3>"
    assert m.section(()) == "<https://example.org/kg/report/haining-2023>"
    assert m.list_entry((2, 8), 1, 4) == "<https://example.org/kg/report/haining-2023/part/2/section/8/list/1/entry/4>"


def test_turtle_and_nquads_hold_the_same_graph(seed_build):
    g = rdflib.Graph()
    g.parse(os.path.join(seed_build, "graph.ttl"))
    ds = rdflib.Dataset()
    ds.parse(os.path.join(seed_build, "graph.nq"), format="nquads")
    merged = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(g, merged)
    graphs = {c.identifier for c in ds.graphs() if len(c)}
    assert rdflib.URIRef("https://w3id.org/govreport-kg/id/report/haining-2023") in graphs


def test_every_anchor_gives_back_the_text(graph):
    text = open(SEED, encoding="utf-8").read()
    n = 0
    for node, anchor in graph.subject_objects(NIF.anchorOf):
        b = int(graph.value(node, NIF.beginIndex))
        e = int(graph.value(node, NIF.endIndex))
        assert text[b:e] == str(anchor), node
        n += 1
    assert n > 150
    ctx = next(graph.subjects(rdflib.RDF.type, NIF.Context))
    assert str(graph.value(ctx, NIF.isString)) == text


def test_outline_in_rdf(graph):
    q = """
    PREFIX gr: <https://w3id.org/govreport-kg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?path ?title ?body WHERE {
      ?s a gr:Item ; gr:path ?path ; gr:title ?title ; gr:hasBody ?body ;
         dcterms:isPartOf/dcterms:isPartOf/gr:partKind gr:Plan .
    } ORDER BY ?path
    """
    rows = {str(p): (str(t), b.toPython()) for p, t, b in graph.query(q)}
    assert len(rows) == 25
    assert rows["二(一)1"] == ("奋力兴产业", True)
    assert rows["二(八)3"] == ("建设高水平健康海宁", False)


def test_sentences_know_their_section(graph):
    q = """
    PREFIX gr: <https://w3id.org/govreport-kg/ontology#>
    PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
    SELECT ?text WHERE { ?s a nif:Sentence ; gr:inSection/gr:path "二(一)2"@zh ; nif:anchorOf ?text }
    """
    texts = [str(r[0]) for r in graph.query(q)]
    assert any("新增百亿级制造业企业1家" in t for t in texts)


def test_closed_namespace_rejects_unknown_terms():
    assert GR.Part == f"<{GR_NS}Part>"
    with pytest.raises(AttributeError):
        GR.Chapter  # noqa: B018  (the look-up is what raises)
    assert {"Report", "Part", "Section", "Item", "ListEntry", "inSection", "hasBody"} <= gr_terms()


def test_every_gr_term_used_is_defined(graph):
    defined = gr_terms()
    for triple in graph:
        for term in triple:
            if isinstance(term, rdflib.URIRef) and str(term).startswith(GR_NS):
                assert str(term)[len(GR_NS):] in defined, term


def test_literal_escaping_round_trips():
    tricky = 'a "quoted"\nline\\with\rall'
    import io

    buf = io.StringIO()
    write_turtle([(iri("http://x/s"), iri("http://x/p"), lit(tricky, "zh"))], buf, {"x": "http://x/"})
    g = rdflib.Graph().parse(data=buf.getvalue(), format="turtle")
    assert str(next(iter(g))[2]) == tricky


def test_base_iri_is_configurable(tmp_path):
    from kg.pipeline import build

    build([SEED], str(tmp_path), base="https://data.example.gov.cn/kg/")
    nq = (tmp_path / "graph.nq").read_text(encoding="utf-8")
    assert "<https://data.example.gov.cn/kg/report/haining-2023/part/1>" in nq
    assert "w3id.org/govreport-kg/id/" not in nq

