"""The graph page: reading a build, projection onto networkx, layout, and the self-contained HTML.

The graph under test is a real build of the seed (``seed_build`` in conftest.py): the page is
checked against what kg build emits. The browser checks (drawing, filters, search) are in
test_browser.py.
"""
import json
import os
import re
import subprocess
import sys

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner

from kg import viz
from kg.cli import cli
from kg.errors import KGError
from kg.namespace import GR, NIF, PROV, QB
from kg.viz.vocab import RDF_TYPE, family_of, iri, natural_key

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(os.path.dirname(HERE), "seeds", "haining-2023.txt")
R = "https://w3id.org/govreport-kg/id/report/haining-2023"


@pytest.fixture(scope="module")
def seed(seed_build):
    """The statements of a real build of the seed."""
    return viz.load_triples(seed_build)


@pytest.fixture(scope="module")
def G(seed):
    return viz.project(seed)


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    """A real build of two reports (the seed and anguo-2022), without its page."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("two")
    build([SEED, os.path.join(HERE, "data", "corpus", "anguo-2022.txt")], str(out), viz=False)
    return out


def gr(name):
    return rdflib.URIRef(iri(GR[name]))


def by_name(G, name):
    hits = [n for n, d in G.nodes(data=True) if d["name"] == name]
    assert len(hits) == 1, (name, hits)
    return G.nodes[hits[0]]


def objects(statements, predicate):
    """subject -> the objects of ``predicate`` (a closed-namespace term) in the statements."""
    out: dict = {}
    for q in statements:
        if q.predicate.value == iri(predicate):
            out.setdefault(q.subject.value, []).append(q.object.value)
    return out


# (name, type, section path, evidence starts with, label): what a node's tooltip and label say
@pytest.mark.parametrize(
    "name, type_, path, evidence, label",
    [
        ("海宁市2023年政府工作报告", "Report", "", None, "海宁市2023年政府工作报告"),
        ("二、2023年奋斗目标和重点工作", "Part", "二", None, "二 2023年奋斗目标和重点工作"),
        ("1.奋力兴产业", "Item", "二(一)1", None, "二(一)1 奋力兴产业"),
        ("2.普惠托育扩容项目", "ListEntry", "", None, "普惠托育扩容项目"),
        ("聚焦新兴海工程,打造长三角先进制造业基地", "Goal", "二(一)", None, "聚焦新兴海工程,打造长三角…"),
        ("地区生产总值 7%", "QuantifiedTarget", "二", "建议今年经济社会发展的主要预期目标是", "地区生产总值 7%"),
        ("晶科二期", "Project", "二(一)1", "光伏新能源产业推动晶科二期", "晶科二期"),
        ("晶科尖山一期项目", "Project", "一(二)", "快马加鞭推项目", "晶科尖山一期项目"),
    ],
)
def test_node_type_path_evidence_and_label(G, name, type_, path, evidence, label):
    d = by_name(G, name)
    assert (d["type"], d["path"], d["label"]) == (type_, path, label)
    if evidence is None:
        assert d["evidence"] == ()
    else:
        assert d["evidence"][0].startswith(evidence)


def test_an_entity_is_placed_in_the_sections_that_mention_it(seed, G):
    mentioned_in, paths = objects(seed, GR.mentionedIn), objects(seed, GR.path)
    entities = [(n, d) for n, d in G.nodes(data=True) if d["family"] == "entity"]
    assert len(entities) > 100
    for n, d in entities:
        expected = list(dict.fromkeys(p for o in sorted(mentioned_in.get(n, ()), key=natural_key)
                                      for p in paths.get(o, ())))
        assert d["path"] == "、".join(expected[:5]) + ("…" if len(expected) > 5 else ""), n
        assert d["report"] == R and d["groups"][0] == R


def test_evidence_is_the_sentences_of_the_mentions_in_text_order_body_first(seed, G):
    """An entity's evidence: the sentences its mentions are in, in text order, but those of
    the body before the report's title (which names the issuer and says nothing of it)."""
    mention_of, in_sentence = objects(seed, GR.mentionOf), objects(seed, GR.inSentence)
    text, begin = objects(seed, NIF.anchorOf), objects(seed, NIF.beginIndex)
    title = by_name(G, "海宁市2023年政府工作报告")["name"]
    sentences: dict = {}
    for m, (e,) in mention_of.items():
        sentences.setdefault(e, set()).update(in_sentence.get(m, ()))
    checked = 0
    for n, d in G.nodes(data=True):
        if d["family"] == "entity" and n in sentences:
            ordered = sorted(sentences[n], key=lambda x: (text[x][0] == title, int(begin[x][0]), natural_key(x)))
            assert d["evidence"] == tuple(text[x][0] for x in ordered[:3]), n
            assert d["evidence_count"] == len(ordered)
            checked += 1
    assert checked > 100
    assert by_name(G, "海宁市")["evidence"][0].startswith("过去的一年")
    assert title in by_name(G, "海宁市")["evidence"] or by_name(G, "海宁市")["evidence_count"] > 3


def test_an_entitys_mentions_mark_their_surface_in_their_sentence(seed, G):
    """Every mention the page lists: sentence[start:end] is the mention's text as the build
    wrote it (nif:anchorOf), with its section path; body sentences first."""
    surfaces: dict = {}
    anchor, mention_of = objects(seed, NIF.anchorOf), objects(seed, GR.mentionOf)
    for m, (e,) in mention_of.items():
        surfaces.setdefault(e, []).append(anchor[m][0])
    checked = 0
    for n, d in G.nodes(data=True):
        if d["family"] != "entity":
            continue
        assert d["mentions_count"] == len(surfaces.get(n, ()))
        for sentence, start, end, _path in d["mentions"]:
            assert sentence[start:end] in surfaces[n], (n, sentence, start, end)
            checked += 1
    assert checked > 200
    haining = by_name(G, "海宁市")
    assert (haining["code"], haining["level"], haining["aliases"]) == ("330481", "county", ("海宁",))
    assert haining["mentions_count"] >= 10 and sum(1 for m in haining["mentions"] if m[3]) >= 10


def test_without_stated_links_an_entity_is_tied_to_its_sections_through_its_mentions(seed, G):
    """Drop every gr:mentionedIn: the page finds the same sections through the mentions
    (mention -> gr:inSection), as derived (dashed) edges."""
    stated = {(s, o) for s, o, k in G.edges(keys=True) if k == "mentionedIn"}
    H = viz.project([q for q in seed if q.predicate.value != iri(GR.mentionedIn)])
    derived = {(s, o) for s, o, k, d in H.edges(keys=True, data=True) if k == "mentionedIn" and d["derived"]}
    assert len(stated) > 100 and derived == stated


def test_labels_prefer_skos_preflabel_then_chinese():
    g = rdflib.Graph()
    a, b = rdflib.URIRef("http://example.org/a"), rdflib.URIRef("http://example.org/b")
    for n in (a, b):
        g.add((n, rdflib.RDF.type, gr("Company")))
    g.add((a, rdflib.RDFS.label, rdflib.Literal("晶科能源有限公司", lang="zh")))
    g.add((a, rdflib.SKOS.prefLabel, rdflib.Literal("晶科", lang="zh")))
    g.add((b, rdflib.RDFS.label, rdflib.Literal("Chint", lang="en")))
    g.add((b, rdflib.RDFS.label, rdflib.Literal("正泰", lang="zh")))
    assert sorted(d["name"] for _, d in viz.project(g).nodes(data=True)) == ["晶科", "正泰"]


def test_text_nodes_hidden_unless_asked(seed, G):
    assert {d["family"] for _, d in G.nodes(data=True)} == {"outline", "goal", "entity"}
    H = viz.project(seed, include_text=True)
    added = {d["type"] for n, d in H.nodes(data=True) if n not in G}
    assert {"Sentence", "Paragraph", "Mention", "LeadSentence", "TocEntry"} <= added
    assert {H.nodes[n]["family"] for n in H if n not in G} == {"text"} and set(G) <= set(H)


def test_outline_is_a_tree_without_restated_edges(G):
    outline = [n for n, d in G.nodes(data=True) if d["family"] == "outline"]
    T = G.subgraph(outline)
    assert all(T.out_degree(n) == (0 if G.nodes[n]["type"] == "Report" else 1) for n in T)
    assert nx.is_tree(nx.Graph(T))
    assert not [k for *_, k in G.edges(keys=True) if k in ("hasPart", "inReport")]


def test_an_outline_node_is_grouped_under_its_ancestors_from_the_report_down(G):
    assert by_name(G, "1.奋力兴产业")["groups"] == (R, R + "/part/2", R + "/part/2/section/1",
                                                 R + "/part/2/section/1/item/1")
    for n, d in G.nodes(data=True):
        if d["family"] == "outline":
            assert d["groups"][-1] == n and d["groups"][0] == R
            assert all(G.nodes[b]["parent"] == a for a, b in zip(d["groups"], d["groups"][1:]))


def families(H):
    return {f: {n for n, d in H.nodes(data=True) if d["family"] == f} for f in ("outline", "goal", "entity")}


@pytest.mark.parametrize("view", ["section", "entity", "goal"])
def test_views(seed, G, view):
    full, H = families(G), viz.project(seed, view=view)
    shown = families(H)
    if view == "section":
        assert shown == {"outline": full["outline"], "goal": set(), "entity": set()}
    elif view == "entity":
        assert shown == {"outline": full["outline"], "goal": set(), "entity": full["entity"]}
    else:  # the goals and targets, what links to them, and the outline above that
        assert shown["goal"] == full["goal"] and shown["entity"] < full["entity"]
        near = {m for g in full["goal"] for m in nx.all_neighbors(G, g)}
        assert shown["entity"] <= near


def test_focus_keeps_the_neighbourhood(seed, G):
    H = viz.project(seed, focus="二(一)1")
    item = R + "/part/2/section/1/item/1"
    assert H.graph["focus"] == item
    within_two = set(nx.ego_graph(G, item, radius=2, undirected=True))
    assert within_two <= set(H) and R in H
    assert set(H) - within_two <= {a for n in H for a in G.nodes[n]["groups"]}  # the outline above
    assert viz.project(seed, focus=item).number_of_nodes() == H.number_of_nodes()
    assert viz.project(seed, focus="1.奋力兴产业").graph["focus"] == item


@pytest.mark.parametrize(
    "ident, message",
    [("没有这个", "matches no node"), ("item/1", "matches [0-9]+ nodes"), ("part/2/section/1/item/1", None)],
)
def test_focus_errors_and_iri_tails(seed, ident, message):
    if message is None:  # an unambiguous IRI tail works
        assert viz.project(seed, focus=ident).graph["focus"] == R + "/" + ident
    else:
        with pytest.raises(KGError, match=message):
            viz.project(seed, focus=ident)


def test_ambiguous_focus_names_the_choices():
    g = rdflib.Graph()
    for r in ("a", "b"):
        n = rdflib.URIRef(f"http://example.org/{r}/part/1")
        g.add((n, rdflib.RDF.type, gr("Part")))
        g.add((n, gr("path"), rdflib.Literal("一")))
    with pytest.raises(KGError, match="matches 2 nodes"):
        viz.project(g, focus="一")


def test_unknown_view(seed):
    with pytest.raises(KGError, match="unknown view"):
        viz.project(seed, view="timeline")


def test_layout_places_every_node_once(G):
    pos = viz.layout(G)
    assert set(pos) == set(G)
    assert len({(round(x), round(y)) for x, y in pos.values()}) == len(pos)


FINGERPRINT = """
import hashlib, json, sys
from kg import viz
G = viz.project(viz.load_triples(sys.argv[1]))
def h(x): return hashlib.sha256(json.dumps(x, ensure_ascii=False, default=list).encode()).hexdigest()
print(json.dumps({
    "projection": h([[n, d] for n, d in G.nodes(data=True)] + [list(e) for e in G.edges(keys=True, data=True)]),
    "layout": h(sorted(viz.layout(G).items())),
    "page": h(viz.visualize(viz.load_triples(sys.argv[1]), view="goal").generate_html()),
}))
"""


def test_projection_layout_and_page_do_not_depend_on_the_hash_seed(two_reports):
    """Two processes under different PYTHONHASHSEED (set and dict order of strings
    differ) give the same projection, in the same order, the same positions and page."""
    runs = [subprocess.run([sys.executable, "-c", FINGERPRINT, two_reports], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert json.loads(runs[0]) == json.loads(runs[1])


def test_page_does_not_depend_on_the_hash_seed(two_reports, tmp_path):
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-m", "kg", "viz", two_reports, "-o", str(tmp_path / f"{seed}.html")],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
    viz.write_build_page(str(two_reports))  # this process's own hash seed
    page = (tmp_path / "1.html").read_bytes()
    assert page == (tmp_path / "2.html").read_bytes() == (two_reports / "graph.html").read_bytes()


def test_literals_are_read_exactly(tmp_path):
    from kg.rdfterms import integer, lit, zh
    from kg.rdfterms import iri as nt_iri

    t = [(nt_iri("http://x/a"), nt_iri("http://x/p"), lit('引号"与\\反斜杠\n换行', "zh")),
         (nt_iri("http://x/a"), nt_iri("http://x/q"), integer(7)),
         (nt_iri("http://x/a"), nt_iri("http://x/r"), zh("海宁"))]
    path = tmp_path / "graph.nq"
    path.write_text("".join(f"{s} {p} {o} <http://x/g> .\n" for s, p, o in t), encoding="utf-8")
    g = viz.load_graph(tmp_path)
    assert g.value(rdflib.URIRef("http://x/a"), rdflib.URIRef("http://x/p")) == rdflib.Literal(
        '引号"与\\反斜杠\n换行', lang="zh")
    assert g.value(rdflib.URIRef("http://x/a"), rdflib.URIRef("http://x/q")).toPython() == 7
    assert len(g) == 3


def page_data(html):
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.DOTALL)
                      .group(1))


def test_page_is_self_contained_and_carries_the_graph(seed, G):
    page = viz.visualize(seed).generate_html()
    assert "<script src" not in page and "<link" not in page
    # no attribute anywhere points at the network
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    data = page_data(page)
    assert len(data["nodes"]) == G.number_of_nodes()
    assert len(data["edges"]) == G.number_of_edges()
    assert {t["name"] for t in data["meta"]["types"]} >= {"Report", "Project", "Goal", "QuantifiedTarget"}
    assert "vis-network" in page and "@license" in page  # the vendored library and its licence header


def test_page_embeds_the_glyphs_of_every_character_it_shows(seed):
    """The page reads on a machine with no Chinese font: every non-ASCII character of its
    labels, names and sentences is in the embedded font, and the font carries its licence."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    page = viz.visualize(seed).generate_html()
    m = re.search(r'font-family: "KG Sans SC";.*?url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)', page)
    assert m, "no embedded font"
    font = TTFont(io.BytesIO(base64.b64decode(m.group(1))))
    cmap = set(font.getBestCmap())
    data = page_data(page)
    shown = "".join(n["label"] + n["name"] for n in data["nodes"]) + "".join(data["meta"]["sentences"])
    missing = sorted({c for c in shown if ord(c) > 0x7E and ord(c) not in cmap})
    assert missing == []
    assert "SIL Open Font License" in font["name"].getDebugName(13)
    assert len(m.group(1)) < 400_000  # only what the seed's page shows, not the whole font


def test_the_shipped_font_covers_gb2312():
    from fontTools.ttLib import TTFont

    from kg.viz.font import FONT

    cmap = set(TTFont(FONT).getBestCmap())
    gb = {bytes((hi, lo)).decode("gb2312", "ignore") for hi in range(0xB0, 0xF8) for lo in range(0xA1, 0xFF)}
    assert {ord(c) for c in gb if c} <= cmap


def test_script_breaking_text_is_escaped():
    g = rdflib.Graph()
    n = rdflib.URIRef("http://example.org/x")
    g.add((n, rdflib.RDF.type, gr("Company")))
    g.add((n, rdflib.RDFS.label, rdflib.Literal("</script><script>alert(1)</script><!--")))
    page = viz.visualize(g).generate_html()
    body = page.split('<script id="kg-data" type="application/json">', 1)[1]
    assert body.index("</script>") > body.index("alert")  # the data block ends after the label
    data = json.loads(body[: body.index("</script>")])
    assert data["nodes"][0]["name"] == "</script><script>alert(1)</script><!--"


def test_the_default_view_folds_indicators_results_and_targets(seed):
    """Drawn at first: the outline, goals and entities; indicators, results and targets are in
    the page, their legend entries unticked. The goal view draws them."""
    off = {t["name"] for t in viz.visualize(seed).page_data()["meta"]["types"] if t.get("off")}
    assert off == {"Indicator", "Observation", "QuantifiedTarget", "QualitativeTarget"}
    assert not [t for t in viz.visualize(seed, view="goal").page_data()["meta"]["types"] if t.get("off")]


def test_nodes_carry_what_the_page_lays_them_out_by(seed, G):
    """No positions in the page (it lays out what is shown); each node has its outline parent
    or the outline node it hangs from, and its degree."""
    data = viz.visualize(seed).page_data()
    nodes = {n["id"]: n for n in data["nodes"]}
    assert not [n for n in nodes.values() if "x" in n or "y" in n]
    project = next(n for n in nodes.values() if n["name"] == "晶科二期")
    assert nodes[project["h"]]["name"] == "1.奋力兴产业" and project["dg"] >= 2
    section = next(n for n in nodes.values() if n.get("path") == "二(一)" and n["label"].startswith("二(一)"))
    assert nodes[section["pa"]]["name"].startswith("二、")


def test_physics_only_for_one_small_report(seed, G):
    assert G.number_of_nodes() > viz.PHYSICS_MAX_NODES
    assert viz.visualize(seed).page_data()["meta"]["physics"] is False
    assert viz.visualize(seed, view="section").page_data()["meta"]["physics"] is True


def test_vendored_library_has_its_licences():
    from kg.viz.page import STATIC as static

    names = set(os.listdir(static))
    assert {"vis-network.min.js", "LICENSE-vis-network-MIT", "LICENSE-vis-network-APACHE-2.0"} <= names
    code = (static / "vis-network.min.js").read_text(encoding="utf-8")
    assert "@version 10.1.5" in code[:800]
    assert "sourceMappingURL" not in code


def test_build_writes_the_page_and_no_viz_skips_it(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert CliRunner().invoke(cli, ["build", SEED, "-o", str(a)]).exit_code == 0
    assert CliRunner().invoke(cli, ["build", SEED, "-o", str(b), "--no-viz"]).exit_code == 0
    assert (a / "graph.html").stat().st_size > 100_000
    assert not (b / "graph.html").exists()
    # the page kg build writes equals the one kg viz writes from the files
    c = tmp_path / "c.html"
    r = CliRunner().invoke(cli, ["viz", str(a), "-o", str(c)])
    assert r.exit_code == 0, r.output
    assert c.read_bytes() == (a / "graph.html").read_bytes()


@pytest.mark.parametrize("view", viz.VIEWS)
def test_kg_viz_views(seed_build, tmp_path, view):
    out = tmp_path / f"{view}.html"
    r = CliRunner().invoke(cli, ["viz", seed_build, "--view", view, "-o", str(out)])
    if view == "goal" and r.exit_code:  # no goals in this build yet
        assert "nothing to draw" in r.output
        return
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "args, message",
    [
        (["viz", "{tmp}/nothing"], "kg build"),
        (["viz", "{build}", "--focus", "没有这个节点"], "matches no node"),
        (["viz", "{build}", "-o", "{tmp}/no/such/dir/x.html"], "does not exist"),
    ],
)
def test_kg_viz_errors_are_one_line(seed_build, tmp_path, args, message):
    args = [a.format(tmp=tmp_path, build=seed_build) for a in args]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2
    assert r.output.startswith("kg: ") and message in r.output and len(r.output.strip().splitlines()) == 1


def test_load_graph_reads_a_build_exactly(seed_build, tmp_path):
    from rdflib.compare import isomorphic

    fast = viz.load_graph(seed_build)  # graph.nq
    ttl = rdflib.Graph().parse(os.path.join(seed_build, "graph.ttl"), format="turtle")
    assert isomorphic(fast, ttl)
    # any N-Triples, such as a statement with a trailing comment
    odd = tmp_path / "graph.nt"
    odd.write_text('<http://x/a> <http://x/p> "海宁" . # note\n', encoding="utf-8")
    assert len(viz.load_graph(odd)) == 1
    bad = tmp_path / "bad" / "graph.ttl"
    bad.parent.mkdir()
    bad.write_text("@prefix : <x> .\n:a :b", encoding="utf-8")
    with pytest.raises(KGError, match="cannot parse RDF"):
        viz.load_graph(bad.parent)


@pytest.mark.parametrize(
    "term, family",
    [(GR.Report, "outline"), (GR.Part, "outline"), (GR.SubItem, "outline"), (GR.ListEntry, "outline"),
     (GR.Annex, "outline"), (GR.Goal, "goal"), (GR.QuantifiedTarget, "goal"), (GR.QualitativeTarget, "goal"),
     (GR.Observation, "goal"), (GR.Indicator, "goal"), (GR.Company, "entity"), (GR.Platform, "entity"),
     (GR.Event, "entity"), (GR.GlossaryTerm, "entity"), (NIF.Sentence, "text"), (GR.LeadSentence, "text"),
     (GR.Mention, "text"), (GR.TocEntry, "text"), (GR.Heading, "text"), (GR.Glossary, "text"),
     (GR.IndicatorScheme, "text"), (QB.DataSet, "text"), (PROV.Activity, "text"),
     ("<http://example.org/Zeppelin>", "entity")],
)
def test_families_follow_the_ontology(term, family):
    assert family_of(iri(term)) == family


def test_every_class_a_build_uses_has_a_family_from_the_ontology(seed_build):
    from kg.viz.vocab import FAMILY_ROOTS, _superclasses

    used = {q.object.value for q in viz.load_triples(seed_build) if q.predicate.value == RDF_TYPE}
    assert used and used <= set(_superclasses()) | set(FAMILY_ROOTS)


def test_every_drawn_type_has_its_own_look():
    """No two types the default view draws share a colour, nor look alike (near colour, same
    shape): Event and GlossaryTerm were both grey dots."""
    from kg.viz.vocab import STYLE

    drawn = {t: v for t, v in STYLE.items() if t not in ("Sentence", "Paragraph", "Mention", "Target")}

    def rgb(c):
        return tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))

    names = sorted(drawn)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if {a, b} == {"QuantifiedTarget", "Target"}:
                continue
            ca, cb = rgb(drawn[a][0]), rgb(drawn[b][0])
            far = sum(abs(x - y) for x, y in zip(ca, cb))
            assert drawn[a] != drawn[b] and (far > 60 or drawn[a][1] != drawn[b][1]), (a, b)


def test_types_without_a_style_look_like_their_superclass_or_get_a_stable_colour():
    assert viz.style_of("QualitativeTarget")[1] == viz.style_of("Target")[1]
    assert viz.style_of("LeadSentence") == viz.style_of("Sentence")
    assert viz.style_of("Zeppelin") == viz.style_of("Zeppelin") and viz.style_of("Zeppelin")[0] in viz.PALETTE


def test_kg_viz_one_report(two_reports, tmp_path):
    G = viz.project(viz.load_triples(two_reports, report="anguo-2022"))
    assert {d["report"] for _, d in G.nodes(data=True)} == {"https://w3id.org/govreport-kg/id/report/anguo-2022"}
    # entities and indicators are described in the shared graph; the report's view still has them
    types = {d["type"] for _, d in G.nodes(data=True)}
    assert {"Indicator", "Place", "Industry", "Project"} <= types
    assert {"安国市", "河北省"} <= {d["label"] for _, d in G.nodes(data=True) if d["type"] == "Place"}
    r = CliRunner().invoke(cli, ["viz", str(two_reports), "--report", "anguo-2022", "-o", str(tmp_path / "a.html")])
    assert r.exit_code == 0 and f"{G.number_of_nodes()} nodes" in r.output
    r = CliRunner().invoke(cli, ["viz", str(two_reports), "--report", "nowhere-1999"])
    assert r.exit_code == 2 and "no report 'nowhere-1999'" in r.output


def test_build_page_of_a_very_large_graph_is_the_outline(two_reports, monkeypatch):
    monkeypatch.setattr("kg.viz.page.BUILD_PAGE_MAX_TRIPLES", 1000)
    viz.write_build_page(str(two_reports))
    page = (two_reports / "graph.html").read_text(encoding="utf-8")
    data = page_data(page)
    assert "outline only" in data["meta"]["title"] and "2 reports" in data["meta"]["title"]
    # the same drawing as the section view of the whole graph, from the outline's statements alone
    section = viz.draw(viz.load_triples(two_reports), view="section").page_data()
    assert data["nodes"] == section["nodes"] and data["edges"] == section["edges"]
    assert {**data["meta"], "title": "", "banner": None, "promises": []} == {**section["meta"], "title": ""}
    # it says so, and how to draw the rest
    assert "2 reports" in data["meta"]["banner"] and "kg viz OUT --report haining-2023" in data["meta"]["banner"]
    assert "--focus" in data["meta"]["banner"]
    assert {t["family"] for t in data["meta"]["types"]} == {"outline"}
    # kg build writes the same page, from the folder it has just written
    from kg.pipeline import build

    out = two_reports.parent / "two-again"
    build([SEED, os.path.join(HERE, "data", "corpus", "anguo-2022.txt")], str(out), cache=False)
    assert (out / "graph.html").read_text(encoding="utf-8") == page


def pyvis_built():
    """A KGNetwork filled only through pyvis's own calls, as a pyvis user writes them."""
    net = viz.KGNetwork(title="pyvis calls")
    net.add_node(1, label="plain")
    net.add_node("b", label="晶科", group="Company")
    net.add_node("c", label="own look", color="#ff0000", shape="box", title="my tooltip")
    net.add_nodes([7, 8], label=["seven", "eight"])
    net.add_edge(1, "b")
    net.add_edges([(7, 8), ("b", "c", 3)])
    net.from_nx(nx.cycle_graph(3))  # nodes 0, 1 (already there), 2
    return net


def test_pyvis_calls_give_nodes_and_edges_the_page_draws():
    from pyvis.network import Network

    net = pyvis_built()
    assert isinstance(net, Network) and net.num_nodes() == 7 and net.get_nodes() == [1, "b", "c", 7, 8, 0, 2]
    data = net.page_data()
    types = data["meta"]["types"]
    assert len(data["nodes"]) == len(net.nodes) == 7 and len(data["edges"]) == len(net.edges) == 6
    assert all(0 <= n["t"] < len(types) and n["g"] == [] and n["name"] for n in data["nodes"])
    assert {t["name"]: t["count"] for t in types} == {"Company": 1, "Node": 6}
    by_id = {n["id"]: n for n in data["nodes"]}
    assert types[by_id["b"]["t"]]["color"] == viz.style_of("Company")[0] and "color" not in by_id["b"]
    assert by_id["c"]["color"] == "#ff0000" and by_id["c"]["title"] == "my tooltip"
    assert by_id[1]["color"] == "#97c2fc"  # pyvis's default look
    assert len({e["id"] for e in data["edges"]}) == 6
    with pytest.raises(ValueError, match="non existent node"):
        net.add_edge(1, "nowhere")


def test_nodes_added_to_a_drawn_graph_join_it(seed_build):
    net = viz.visualize(viz.load_triples(seed_build))
    before = len(net.nodes)
    net.add_node("note", label="我的笔记", group="Initiative")
    net.add_edge("note", 0, title="about")
    data = net.page_data()
    assert len(data["nodes"]) == before + 1
    note = data["nodes"][-1]
    assert data["meta"]["types"][note["t"]]["name"] == "Initiative"
    assert data["meta"]["predicates"][data["edges"][-1]["p"]] == "about"


def test_kg_viz_imports_no_pyvis_until_a_network_is_asked_for(seed_build, tmp_path):
    code = ("import sys, kg.viz as v; heavy = {'pyvis', 'IPython', 'networkx', 'rdflib', 'pyoxigraph'};"
            "print(sorted(heavy & set(sys.modules)));"
            f"v.write_page(v.load_triples({seed_build!r}), {str(tmp_path / 'p.html')!r});"
            "print(sorted({'pyvis', 'IPython'} & set(sys.modules)));"
            f"v.visualize(v.load_triples({seed_build!r}));"
            "print(sorted({'pyvis', 'IPython'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:3] == ["[]", "[]", "['IPython', 'pyvis']"]


def test_a_lead_sentence_is_evidence_like_any_sentence():
    """gr:LeadSentence is a nif:Sentence: a mention in one gives its entity that evidence."""
    g = rdflib.Graph()
    e, m, s = (rdflib.URIRef(f"http://example.org/{x}") for x in ("e", "m", "s"))
    g.add((e, rdflib.RDF.type, gr("Industry")))
    g.add((e, rdflib.SKOS.prefLabel, rdflib.Literal("工业", lang="zh")))
    g.add((m, rdflib.RDF.type, gr("Mention")))
    g.add((m, gr("mentionOf"), e))
    g.add((m, gr("inSentence"), s))
    for cls in (gr("LeadSentence"), rdflib.URIRef(iri(NIF.Sentence))):
        g.add((s, rdflib.RDF.type, cls))
    g.add((s, rdflib.URIRef(iri(NIF.anchorOf)), rdflib.Literal("工业经济质效提升。")))
    assert by_name(viz.project(g), "工业")["evidence"] == ("工业经济质效提升。",)
