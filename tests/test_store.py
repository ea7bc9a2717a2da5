"""The embedded store: kept by kg build, opened read-only, queried, serialized."""
from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg
from kg import sparql as Q
from kg import store as S
from kg.cli import cli
from kg.errors import KGError

HERE = os.path.dirname(os.path.abspath(__file__))
MINI = os.path.join(HERE, "data", "mini.nq")  # 11 quads in 2 report graphs, 10 distinct triples


def counts(st) -> tuple[int, int]:
    """(quads in the named graphs, triples a query sees in the default graph), the ontology left out."""
    default = sum(1 for _ in st.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    ontology = sum(1 for _ in st.quads_for_pattern(None, None, None, ox.NamedNode(S.ONTOLOGY_GRAPH)))
    seen = int(Q.run(st, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)
    return len(st) - default - ontology, seen - ontology


def test_build_keeps_a_store_equal_to_graph_nq(seed_build):
    assert os.path.isdir(os.path.join(seed_build, "store"))
    st = kg.open(seed_build).store()
    with open(os.path.join(seed_build, "graph.nq"), encoding="utf-8") as f:
        lines = {line for line in f if line.strip()}
    assert counts(st) == (len(lines), len({line.rsplit(" ", 2)[0] for line in lines}))
    assert not [n for n in os.listdir(seed_build) if n.startswith((".store", ".kg-build"))]  # no temp dirs left


def test_ontology_is_in_the_store(seed_build):
    res = kg.open(seed_build).query("SELECT ?l WHERE { gr:Section rdfs:label ?l FILTER(lang(?l) = 'zh') }").result
    assert [r[0].value for r in res.rows] == ["节"]
    res = kg.open(seed_build).query(f"ASK {{ GRAPH <{S.ONTOLOGY_GRAPH}> {{ gr:Report a owl:Class }} }}").result
    assert res.boolean


def test_a_store_of_another_layout_is_not_trusted(tmp_path):
    (tmp_path / "graph.nq").write_text(open(MINI, encoding="utf-8").read(), encoding="utf-8")
    S.save_store(tmp_path / "store", [tmp_path / "graph.nq"])
    (tmp_path / "store" / S.STORE_MARK).unlink()  # as an older build left it
    (tmp_path / "graph.nq").write_text(
        '<http://a.example/s> <http://a.example/p> "x" <http://a.example/g> .\n', encoding="utf-8")
    assert counts(kg.open(tmp_path).store()) == (1, 1)  # graph.nq, not the stale store


def test_save_store_replaces_and_cleans(tmp_path):
    (tmp_path / "graph.nq").write_text(open(MINI, encoding="utf-8").read(), encoding="utf-8")
    S.save_store(tmp_path / "store", [tmp_path / "graph.nq"])
    first = counts(kg.open(tmp_path).store())
    (tmp_path / "graph.nq").write_text(
        '<http://a.example/s> <http://a.example/p> "x" <http://a.example/g> .\n', encoding="utf-8")
    S.save_store(tmp_path / "store", [tmp_path / "graph.nq"])
    # the store keeps the named graphs only (its default graph is their union, so MINI's
    # triple written in two graphs is seen twice: kg build never writes a triple twice)
    assert first == (11, 11) and counts(kg.open(tmp_path).store()) == (1, 1)
    assert sorted(os.listdir(tmp_path)) == ["graph.nq", "store"]


def test_bad_graph_leaves_no_stale_store(tmp_path):
    (tmp_path / "graph.nq").write_text(open(MINI, encoding="utf-8").read(), encoding="utf-8")
    S.save_store(tmp_path / "store", [tmp_path / "graph.nq"])
    (tmp_path / "graph.nq").write_text("<http://a.example/s> <broken\n", encoding="utf-8")
    with pytest.raises(KGError, match="cannot write the store"):
        S.save_store(tmp_path / "store", [tmp_path / "graph.nq"])
    assert sorted(os.listdir(tmp_path)) == ["graph.nq"]


def test_a_build_without_a_store_is_queried_from_its_graph_files(tmp_path):
    (tmp_path / "graph.nq").write_text(open(MINI, encoding="utf-8").read(), encoding="utf-8")
    assert counts(kg.open(tmp_path).store()) == (11, 10)  # no store/: graph.nq in memory
    assert counts(kg.open(MINI).store()) == (11, 10)  # a file works too


@pytest.mark.parametrize("where, problem", [
    ("missing", "no such build folder"),
    ("empty", "no graph.nq, graph.ttl or store here"),
])
def test_opening_no_build_names_the_problem(tmp_path, where, problem):
    path = tmp_path / where
    if where == "empty":
        path.mkdir()
    with pytest.raises(KGError, match=problem):
        kg.open(path).store()


# (query, form it is, or the refusal it gets)
READ_ONLY = [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://ex/> ASK { ?s ex:load ?o }", "ASK"),
    ("# INSERT in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    # the word anywhere refuses a query: no reading of comments, strings or IRIs can hide one
    ('SELECT ?service WHERE { ?service ?p "SERVICE" }', "SERVICE refused"),
    ("SELECT * WHERE { ?s <http://ex/SERVICE> ?o }", "SERVICE refused"),
    ("SELECT * WHERE { ?s ?p ?o } # a comment that ends at a carriage return\rINSERT", "SELECT"),
    ("DESCRIBE <http://ex/a>", "DESCRIBE"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT refused"),
    ("PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }", "DELETE refused"),
    ("LOAD <http://example.org/data.ttl>", "LOAD refused"),
    ("drop all", "DROP refused"),
    ("CLEAR DEFAULT", "CLEAR refused"),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH refused"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE refused"),
    ("SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE refused"),
]


@pytest.mark.parametrize("text, expected", READ_ONLY)
def test_read_only_check(text, expected):
    if expected.endswith("refused"):
        with pytest.raises(Q.ReadOnlyError, match=expected):
            Q.check_read_only(text)
    else:
        assert Q.check_read_only(text) == expected


def test_service_is_refused_before_any_network_request():
    with pytest.raises(Q.ReadOnlyError):
        Q.run(kg.open(MINI).store(), "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_default_graph_is_the_merge_a_set_of_triples():
    st = kg.open(MINI).store()
    # <e/1> rdfs:label "共享" is in both report graphs: once in the default graph …
    res = Q.run(st, "SELECT ?l WHERE { <https://example.org/e/1> rdfs:label ?l }")
    assert [r[0].value for r in res.rows] == ["共享"]
    # … and once per report with GRAPH
    res = Q.run(st, "SELECT ?g WHERE { GRAPH ?g { <https://example.org/e/1> rdfs:label ?l } } ORDER BY ?g")
    assert [r[0].value for r in res.rows] == ["https://example.org/r/a", "https://example.org/r/b"]


def test_union_default_graph_and_graph_clause():
    st = kg.open(MINI).store()
    res = Q.run(st, "SELECT (COUNT(*) AS ?n) WHERE { ?s a gr:Section }")
    assert res.rows[0][0].value == "3"
    res = Q.run(st, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a gr:Section } } GROUP BY ?g ORDER BY ?g")
    assert [(r[0].value, r[1].value) for r in res.rows] == [
        ("https://example.org/r/a", "2"), ("https://example.org/r/b", "1")]
    only_b = Q.run(st, "SELECT ?s WHERE { ?s a gr:Section }", default_graphs=["https://example.org/r/b"])
    assert [r[0].value for r in only_b.rows] == ["https://example.org/r/b#s1"]


def test_binding_is_a_literal_never_query_text():
    st = kg.open(MINI).store()
    q = Q.SavedQuery("t", "Which node has this label?",
                     "# Which node has this label?\n# @param label zh the label\n"
                     "SELECT ?s WHERE { ?s rdfs:label ?label }",
                     (Q.Param("label", "zh", "the label"),), None)
    assert [r[0].value for r in Q.run(st, q.text, Q.bind(q, {"label": "二(一)"})).rows] == ["https://example.org/r/a#s1"]
    evil = '二(一)"@zh } ; DROP ALL ; SELECT * { ?s ?p ?o } #'
    assert Q.run(st, q.text, Q.bind(q, {"label": evil})).rows == []
    assert counts(st) == (11, 10)
    with pytest.raises(KGError, match="has no parameter 'lable'"):
        Q.bind(q, {"lable": "x"})


# (query, where the VALUES block goes: the text just before it)
INJECT = [
    ("SELECT ?s WHERE { ?s ?p ?x }", "SELECT ?s WHERE {"),
    ("PREFIX ex: <http://ex/> SELECT * { ?s ex:p ?x }", "SELECT * {"),
    ('ASK { ?s ?p "{" . ?s ?p ?x }', "ASK {"),
    ("CONSTRUCT { ?s ?p ?x } WHERE { ?s ?p ?x }", "WHERE {"),
    ("# { in a comment\nSELECT ?s FROM <http://g> WHERE { ?s ?p ?x }", "WHERE {"),
]


@pytest.mark.parametrize("text, before", INJECT)
def test_values_block_opens_the_where_group(text, before):
    out = Q.inject_values(text, {ox.Variable("x"): ox.Literal('a"b')})
    assert out.startswith(text[: text.index(before) + len(before)] + ' VALUES ?x { "a\\"b" }\n')


def test_construct_short_form_takes_no_params():
    with pytest.raises(KGError, match="not the short form"):
        Q.inject_values("CONSTRUCT WHERE { ?s ?p ?x }", {ox.Variable("x"): ox.Literal("a")})


@pytest.mark.parametrize("value, expected", [
    ("<https://example.org/r/a>", ox.NamedNode("https://example.org/r/a")),
    ("gr:Section", ox.NamedNode(Q.PREFIXES["gr"] + "Section")),
    ("42", ox.Literal("42", datatype=ox.NamedNode(Q.XSD + "integer"))),
    ("海宁", ox.Literal("海宁")),
    ("http://x y", ox.Literal("http://x y")),
])
def test_ad_hoc_params_typed_by_their_syntax(value, expected):
    subs = Q.bind(Q.SavedQuery("", "", "SELECT ?x WHERE { ?s ?p ?x }"), {"x": value})
    assert subs[ox.Variable("x")] == expected


@pytest.mark.parametrize("kind, value, problem", [
    ("iri", "not an iri", "wants an IRI"),
    ("iri", "<http://a> <http://b>", "wants an IRI"),
    ("iri", "nope:x", "unknown prefix"),
    ("integer", "4.5", "wants an integer"),
])
def test_bad_param_values(kind, value, problem):
    with pytest.raises(KGError, match=problem):
        Q.make_term("p", kind, value, "SELECT * {}")


def _select():
    return Q.run(kg.open(MINI).store(), "SELECT ?s ?l ?o WHERE { ?s a gr:Section ; rdfs:label ?l OPTIONAL { ?s gr:ordinal ?o } } ORDER BY ?s")


def test_json_results_follow_the_spec():
    doc = json.loads(Q.serialize(_select(), "json"))
    assert doc["head"]["vars"] == ["s", "l", "o"]
    b = doc["results"]["bindings"]
    assert b[0] == {"s": {"type": "uri", "value": "https://example.org/r/a#s1"},
                    "l": {"type": "literal", "value": "二(一)", "xml:lang": "zh"}}  # unbound ?o left out
    assert b[2]["o"] == {"type": "literal", "value": "3", "datatype": Q.XSD + "integer"}
    assert json.loads(Q.serialize(Q.run(kg.open(MINI).store(), "ASK { ?s a gr:Report }"), "json")) == {
        "head": {}, "boolean": True}


def test_csv_tsv_xml_results():
    res = _select()
    rows = list(csv.reader(io.StringIO(Q.serialize(res, "csv").decode("utf-8"), newline="")))
    assert rows[0] == ["s", "l", "o"] and rows[3] == ["https://example.org/r/b#s1", '一、"引号",逗号', "3"]
    tsv = Q.serialize(res, "tsv").decode("utf-8").splitlines()
    assert tsv[0] == "?s\t?l\t?o"
    assert tsv[3] == '<https://example.org/r/b#s1>\t"一、\\"引号\\",逗号"@zh\t"3"^^<%sinteger>' % Q.XSD
    root = ET.fromstring(Q.serialize(res, "xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["s", "l", "o"]
    lits = root.findall("r:results/r:result/r:binding/r:literal", ns)
    assert lits[0].text == "二(一)" and lits[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"


def test_table_aligns_wide_characters_and_counts_rows():
    text = Q.serialize(_select(), "table").decode("utf-8")
    lines = text.splitlines()
    assert lines[-1] == "(3 rows)"
    assert "二(一)" in lines[2] and lines[0].startswith("s ")
    # the third column starts at the same display column on every row
    col = [Q._width(line[: line.index("3")]) for line in lines if line.endswith("  3")]
    assert col and len(set(col)) == 1


def test_construct_gives_sorted_turtle():
    res = Q.run(kg.open(MINI).store(), "CONSTRUCT WHERE { ?s a gr:Report }")
    text = Q.serialize(res, "turtle").decode()
    assert "@prefix gr:" in text and text.index("/r/a>") < text.index("/r/b>")
    g = ox.parse(text, format=ox.RdfFormat.TURTLE)
    assert len(list(g)) == 2


def test_max_rows_truncates_and_says_so():
    res = Q.run(kg.open(MINI).store(), "SELECT * WHERE { ?s ?p ?o }", max_rows=4)
    assert len(res.rows) == 4 and res.truncated
    assert Q.serialize(res, "table").decode().endswith("(4 rows, truncated)\n")


def test_resolve_query_kinds(tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("# How many sections?\nSELECT (COUNT(*) AS ?n) WHERE { ?s a gr:Section }\n", encoding="utf-8")
    assert Q.resolve_query(str(rq)).question == "How many sections?"
    assert Q.resolve_query("SELECT * WHERE { ?s ?p ?o }").name == ""
    with pytest.raises(KGError, match="no saved query named 'nosuch'"):
        Q.resolve_query("nosuch")
    with pytest.raises(KGError, match="no such query file"):
        Q.resolve_query(str(tmp_path / "missing.rq"))


def test_saved_query_header_is_checked(tmp_path):
    (tmp_path / "bad.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(KGError, match="must start with a comment"):
        Q.saved_queries(tmp_path)
    (tmp_path / "bad.rq").write_text("# Q?\n# @param x colour what\nSELECT * {}\n", encoding="utf-8")
    with pytest.raises(KGError, match="unknown kind 'colour'"):
        Q.saved_queries(tmp_path)


# ---------------------------------------------------------------- CLI


def _kg(*args):
    return CliRunner().invoke(cli, list(args))


def test_cli_query_json(seed_build):
    r = _kg("query", seed_build, "SELECT (COUNT(*) AS ?n) WHERE { ?s a gr:Report }", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["results"]["bindings"][0]["n"]["value"] == "1"


def test_cli_saved_query_with_param_as_csv(seed_build):
    r = _kg("query", seed_build, "sections-without-body", "--param", "report=haining-2023", "--format", "csv")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == "report,path,level,title,node" and len(lines) == 1 + 34
    assert lines[1].startswith("haining-2023,二(二),section,")
    r = _kg("query", seed_build, "sections-without-body", "--param", "colour=red")
    assert r.exit_code == 2 and "has no parameter 'colour' (known: report)" in r.output


def test_cli_query_construct_is_turtle(seed_build):
    r = _kg("query", seed_build, "CONSTRUCT WHERE { ?r a gr:Report }")
    assert r.exit_code == 0 and "a gr:Report" in r.output


@pytest.mark.parametrize("args, problem", [
    (["query", "{build}", "SELECT * WHERE { ?s ?p "], "SPARQL syntax error"),
    (["query", "{build}", "nosuch"], "no saved query named 'nosuch'"),
    (["query", "{build}/nowhere", "SELECT * {}"], "no such build folder"),
    (["query", "{build}", "INSERT DATA { <http://a> <http://b> <http://c> }"], "read-only"),
    (["query", "{build}", "SELECT * {}", "--param", "novalue"], "--param wants NAME=VALUE"),
    (["query", "{build}", "SELECT * {}", "--format", "turtle"], "for CONSTRUCT and DESCRIBE"),
    (["query", "{build}"], "give OUT and QUERY"),
])
def test_cli_query_errors_are_one_line(seed_build, args, problem):
    r = _kg(*[a.replace("{build}", seed_build) for a in args])
    assert r.exit_code == 2, r.output
    assert problem in r.output
    assert len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output
