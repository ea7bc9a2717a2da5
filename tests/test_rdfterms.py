"""The N-Triples term builders and the Turtle writer (kg/rdfterms.py)."""
import io

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.namespace import XSD
from kg.rdfterms import _compact, _Compactor, boolean, decimal, integer, iri, lit, write_turtle, zh

PREFIXES = {"ex": "http://x.org/", "exa": "http://x.org/a#", "xsd": XSD.base, "dup": "http://x.org/a#"}
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@pytest.mark.parametrize("term, expected", [
    ("<http://x.org/a#Thing>", "exa:Thing"),  # the longest namespace wins
    ("<http://x.org/thing>", "ex:thing"),
    ("<http://x.org/a#1st>", "<http://x.org/a#1st>"),  # a local name cannot start with a digit …
    ("<http://x.org/a#b/c>", "<http://x.org/a#b/c>"),  # … nor hold a slash, under any prefix
    ("<http://x.org/a/b>", "<http://x.org/a/b>"),
    ("<http://x.org/>", "<http://x.org/>"),  # an empty local name stays a full IRI
    ("<http://x.org/under_score-dash>", "ex:under_score-dash"),
    ("<http://y.org/thing>", "<http://y.org/thing>"),
    ('"12"^^<http://www.w3.org/2001/XMLSchema#integer>', "12"),
    ('"-3"^^<http://www.w3.org/2001/XMLSchema#integer>', "-3"),
    ('"1.5"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1.5"^^xsd:integer'),
    ('"true"^^<http://www.w3.org/2001/XMLSchema#boolean>', "true"),
    ('"2.50"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"2.50"^^xsd:decimal'),
    ('"x"^^<http://y.org/dt>', '"x"^^<http://y.org/dt>'),
    ('"海宁"@zh', '"海宁"@zh'),
    ('"a ^^<b>"', '"a ^^<b>"'),
])
def test_compaction(term, expected):
    assert _Compactor(PREFIXES)[term] == expected
    assert _compact(term, sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))) == expected


def test_turtle_groups_by_subject_type_first_objects_in_order():
    s1, s2 = iri("http://x.org/s1"), iri("http://x.org/s2")
    p, q = iri("http://x.org/p"), iri("http://x.org/q")
    triples = [
        (s1, q, zh("乙")), (s2, p, integer(2)), (s1, p, zh("甲")), (s1, RDF_TYPE, iri("http://x.org/a#C")),
        (s1, q, zh("丙")), (s1, q, zh("乙")), (s2, q, RDF_TYPE), (s1, p, boolean(False)), (s2, p, decimal("1.0")),
    ]
    buf = io.StringIO()
    write_turtle(triples, buf, PREFIXES, header=False)
    assert buf.getvalue() == (
        '\nex:s1\n    a exa:C ;\n    ex:p "甲"@zh, false ;\n    ex:q "乙"@zh, "丙"@zh .\n'
        '\nex:s2\n    ex:p 2, "1.0"^^xsd:decimal ;\n    ex:q <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> .\n'
    )
    buf = io.StringIO()
    write_turtle(triples, buf, PREFIXES)
    g = rdflib.Graph().parse(data=buf.getvalue(), format="turtle")
    nt = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    assert isomorphic(g, rdflib.Graph().parse(data=nt, format="nt"))


def test_turtle_of_nothing_is_empty():
    buf = io.StringIO()
    write_turtle([], buf, PREFIXES, header=False)
    assert buf.getvalue() == ""


def test_literal_and_iri_escapes():
    assert lit('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert iri("http://x.org/a b<c>") == "<http://x.org/a%20b%3Cc%3E>"


@pytest.mark.parametrize("value", ["", "海宁", 'a"b', "a\\b", "line\nnext\r", '\\"\n\r\\\\', "“引号”"])
def test_escape_is_the_translation_table(value):
    from kg.rdfterms import _ESC, _escape

    assert _escape(value) == value.translate(_ESC)


@pytest.mark.parametrize("base, report_id", [
    ("https://w3id.org/govreport-kg/id/", "haining-2023"),
    ("http://x.org/a b{c}", "r|1 x"),  # characters an IRI may not hold, in the base and the id
    ("http://x.org/kg#", "r-1"),
])
def test_minter_encodes_like_iri_of_the_whole_string(base, report_id):
    """Minter encodes the base and report IRI once; every IRI equals iri() of the raw string."""
    from kg.iri import Anchors, Minter

    text = "各位代表：\n海宁发展。海宁发展。"
    m = Minter(base, report_id, text)
    b = base if base.endswith(("/", "#")) else base + "/"
    r = f"{b}report/{report_id}"
    assert m.report() == iri(r)
    assert m.text() == iri(r + "/text")
    assert m.section(()) == iri(r)
    assert m.section((2, 1, 3, 4, 5)) == iri(r + "/part/2/section/1/item/3/subitem/4/subitem/5")
    assert m.section((2, 1)) is m.section((2, 1))  # minted once
    assert m.heading((2,)) == iri(r + "/part/2/heading")
    assert m.toc_entry((2, 1)) == iri(r + "/part/2/section/1/toc")
    assert m.list_entry((2, 8), 1, 4) == iri(r + "/part/2/section/8/list/1/entry/4")
    assert m.paragraph(0) == iri(r + "/paragraph/1")
    assert m.sentence(9) == iri(r + "/sentence/10")
    assert m.enum_item(0) == iri(r + "/enumeration/1")
    assert m.footnote(2) == iri(r + "/footnote/3")
    assert m.glossary() == iri(r + "/glossary")
    assert m.glossary_term(7) == iri(r + "/glossary/7")
    assert m.annex(0) == iri(r + "/annex/1")
    assert m.goal("s2 1") == iri(r + "/goal/s2 1")
    first, again = Anchors(text).names[1:]  # the same sentence twice
    assert again == first + ".1"
    assert m.target(6, 8) == iri(r + f"/target/{first}-0-2")
    assert m.observation(12, 14) == iri(r + f"/observation/{again}-1-3")
    assert m.observations() == iri(r + "/observations")
    assert m.indicator_scheme() == iri(b + "indicator")
    assert m.entity("entity/place-3f2a 9c") == iri(b + "entity/place-3f2a 9c")
    assert m.place("330481") == iri(b + "place/330481")
    assert m.mention(6, 8) == iri(r + f"/mention/{first}-0-2")
    assert m.mention(6, 8, "place") == iri(r + f"/mention/{first}-0-2-place")
    assert m.activity() == iri(f"{b}activity/build/{report_id}")
    assert m.software() == iri(b + "agent/govreport-kg")


def test_nquads_lines():
    from kg.rdfterms import write_nquads

    buf = io.StringIO()
    write_nquads([("<g1>", [("<s>", "<p>", '"a b"@zh'), ("<s>", "<q>", "<o>")]), ("<g2>", []),
                  ("<g3>", [("<s>", "<p>", integer(3))])], buf)
    assert buf.getvalue() == (
        '<s> <p> "a b"@zh <g1> .\n<s> <q> <o> <g1> .\n'
        '<s> <p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> <g3> .\n'
    )
