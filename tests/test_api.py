"""The library: kg.build, kg.open and kg.graph, and every call of the Build they give."""
import csv
import io
import json
import os
import subprocess
import sys

import pytest
import rdflib
from rdflib.compare import isomorphic

import kg
from conftest import ROOT, SEED

REPORT = "https://w3id.org/govreport-kg/id/report/haining-2023"
SHARED = "https://w3id.org/govreport-kg/id/graph/shared"


@pytest.fixture(scope="module")
def built(seed_build):
    return kg.open(seed_build)


def test_import_kg_loads_nothing_heavy():
    code = ("import sys, kg; kg.__version__; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('rdflib', 'jieba', 'rjieba', 'pyvis', 'networkx', 'pyoxigraph', 'pyshacl', 'click', 'kg')))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert p.stdout.strip() == "['kg']"


def test_the_five_lines_of_the_readme(tmp_path):
    """What the README's Python section shows runs from a fresh interpreter, in a fresh folder."""
    code = (f"import kg; b = kg.build([{SEED!r}], 'o'); print(len(b.graph()), len(b.query('places-by-mentions')))\n"
            "print(len(kg.open('o').reports), len(kg.graph(" + repr(SEED) + ")))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    (n, places), (reports, one) = (map(int, line.split()) for line in p.stdout.splitlines())
    assert n > 5000 and places > 5 and reports == 1 and one == n


def test_the_python_section_of_the_readme_runs(tmp_path):
    import re
    import shutil

    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = readme[readme.index("## Python\n"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) == 5
    shutil.copytree(os.path.join(ROOT, "seeds"), tmp_path / "seeds")
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, capture_output=True)
    assert (tmp_path / "kg-out" / "graph.nq").is_file() and (tmp_path / "entities.html").is_file()


def test_build_gives_a_build_of_its_folder(tmp_path):
    b = kg.build(SEED, tmp_path / "o", viz=False, with_store=False)  # one file is a list of one
    assert isinstance(b, kg.Build) and b.out == tmp_path / "o"
    assert b.result.triple_count > 5000 and not b.result.up_to_date
    assert not (tmp_path / "o" / "graph.html").exists() and not (tmp_path / "o" / "store").exists()
    assert b.query("outline", report="haining-2023")  # graph.nq read in memory without a store


def test_build_of_bad_input_raises_one_error_naming_the_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    with pytest.raises(kg.KGError, match="empty file") as e:
        kg.build([SEED, bad], tmp_path / "o")
    assert e.value.where == str(bad) and not (tmp_path / "o" / "graph.nq").exists()


def test_open_is_the_one_place_that_says_run_kg_build(tmp_path):
    with pytest.raises(kg.KGError, match=r"no such build folder \(run `kg build` first\)"):
        kg.open(tmp_path / "nowhere")
    with pytest.raises(kg.KGError, match="run `kg build` first"):
        kg.open(tmp_path)  # a folder without a graph
    (tmp_path / "graph.ttl").write_text("", encoding="utf-8")
    with pytest.raises(kg.KGError, match=r"no graph.nq here \(run `kg build` first\)"):
        kg.open(tmp_path).validate()
    with pytest.raises(kg.KGError, match=r"no tables/targets.csv here"):
        kg.open(tmp_path).table("targets")


def test_reports_are_the_same_built_or_opened(seed_build, built):
    b = kg.build([SEED], seed_build)  # up to date: nothing written, the same account
    assert b.result.up_to_date
    assert b.reports == built.reports == [{
        "id": "haining-2023", "path": "haining-2023.txt", "title": "海宁市2023年政府工作报告", "issuer": "海宁市",
        "level": "county", "year": 2023, "chars": 7979, "sha256": built.reports[0]["sha256"]}]


def test_graph_is_a_dataset_of_the_named_graphs(seed_build, built):
    ds = built.graph()
    assert isinstance(ds, rdflib.Dataset)
    graphs = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    assert set(graphs) == {REPORT, SHARED}
    lines = open(os.path.join(seed_build, "graph.nq"), encoding="utf-8").read().splitlines()
    assert sum(graphs.values()) == len(lines)


def test_graph_of_one_report_has_its_graph_and_the_shared_nodes_it_reaches(built):
    g = built.graph("haining-2023")
    assert isinstance(g, rdflib.Graph) and str(g.identifier) == REPORT
    assert len(g) == len(built.graph()), "one report reaches every shared node of its build"
    place = rdflib.Namespace("https://w3id.org/govreport-kg/ontology#").Place
    assert "海宁市" in {str(label) for p in g.subjects(rdflib.RDF.type, place) for label in g.objects(p, rdflib.RDFS.label)}
    with pytest.raises(kg.KGError, match="no report 'nowhere-1999'"):
        built.graph("nowhere-1999")


def test_kg_graph_builds_one_report_in_memory_as_the_build_writes_it(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ds = kg.graph(SEED)
    assert os.listdir(tmp_path) == []  # nothing written
    mine = {str(g.identifier): g for g in ds.graphs() if len(g)}
    theirs = {str(g.identifier): g for g in built.graph().graphs() if len(g)}
    assert set(mine) == set(theirs) == {REPORT, SHARED}
    assert all(isomorphic(mine[n], theirs[n]) for n in mine)


def test_query_gives_rows_as_dicts_of_python_values(built):
    rows = built.query("outline", report="haining-2023")
    assert rows.variables[:3] and all(set(r) == set(rows.variables) for r in rows)
    row = next(r for r in rows if r["path"] == "二(一)3")
    assert row["node"] == REPORT + "/part/2/section/1/item/3" and row["hasBody"] is True
    n = built.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a gr:Section }")
    assert n == [{"n": 17}]
    assert built.query("ASK { ?s a gr:Report }").boolean is True
    assert built.query("CONSTRUCT WHERE { ?s a gr:Report }") == [
        {"subject": REPORT, "predicate": str(rdflib.RDF.type), "object": "https://w3id.org/govreport-kg/ontology#Report"}]
    with pytest.raises(kg.KGError, match="no saved query named 'nothing'"):
        built.query("nothing")
    with pytest.raises(kg.KGError, match="has no parameter 'colour'"):
        built.query("outline", colour="red")


def test_rows_write_csv_and_json_as_kg_query_prints_them(built, tmp_path):
    rows = built.query("places-by-mentions")
    text = rows.to_csv(tmp_path / "p.csv")
    assert (tmp_path / "p.csv").read_bytes() == text.encode("utf-8") == rows.serialize("csv")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(rows) and list(table[0]) == rows.variables
    assert json.loads(rows.to_json())["results"]["bindings"][0].keys() <= set(rows.variables)


def test_rows_make_a_pandas_frame(built):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(built.query("places-by-mentions"))
    assert len(frame) > 5 and frame["mentions"].dtype.kind == "i"


def test_validate_stats_and_evaluate(built):
    conforms, text = built.validate()
    assert conforms and "conforms" in text
    counts = {(c.report, c.type): c.nodes for c in built.stats()}
    assert counts[("haining-2023", "gr:Section")] == 17 and counts[("shared", "gr:Indicator")] > 0
    scores = built.evaluate(os.path.join(ROOT, "tests", "gold", "haining-2023.entities.json"))
    assert scores["entities"]["all"].f1 > 0.8


def test_export_writes_under_out_export_by_default(seed_build, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(seed_build, out)
    path = kg.open(out).export("nt")
    assert path == out / "export" / "graph.nt" and path.stat().st_size > 0
    with pytest.raises(kg.KGError, match="unknown format 'pdf'"):
        kg.open(out).export("pdf")


def test_page_is_a_pyvis_network_of_the_build_or_one_report(built, tmp_path):
    from pyvis.network import Network

    net = built.page(view="section")
    assert isinstance(net, Network) and len(net.nodes) > 40
    one = built.page("haining-2023", view="entity")
    assert len(one.nodes) > 50
    one.write_html(str(tmp_path / "e.html"))
    assert (tmp_path / "e.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_serve_and_push_check_their_arguments_before_any_network(built):
    with pytest.raises(kg.KGError, match="must be positive"):
        built.serve(port=0, timeout=0)
    with pytest.raises(kg.KGError, match="not an http"):
        list(built.push("ftp://example.org/sparql"))


def test_a_graph_file_opens_too(seed_build):
    b = kg.open(os.path.join(seed_build, "graph.nq"))
    assert b.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a gr:Section }") == [{"n": 17}]
    with pytest.raises(kg.KGError, match="no tables/mentions.csv here"):
        b.table("mentions")
