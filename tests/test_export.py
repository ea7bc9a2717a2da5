"""kg export: network formats for Gephi/Cytoscape and RDF formats that round-trip."""
import csv
import json
import os

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Dataset
from rdflib.compare import isomorphic

import kg
from kg import export as ex
from kg import viz
from kg.cli import cli
from kg.namespace import PREFIXES


def named_graphs(ds):
    return {str(g.identifier): g for g in ds.graphs() if len(g) and g.identifier != ds.default_graph.identifier}


@pytest.fixture(scope="module")
def exported(seed_build, tmp_path_factory):
    d = tmp_path_factory.mktemp("export")
    build = kg.open(seed_build)
    return {fmt: build.export(fmt, d / ex.DEFAULT_NAMES[fmt]) for fmt in ex.EXPORTERS}


def test_exporters_are_the_documented_set():
    assert set(ex.EXPORTERS) == {"graphml", "gexf", "jsonld", "nt", "nquads", "csv"}


@pytest.mark.parametrize("fmt", ["jsonld", "nquads"])
def test_rdf_round_trip_is_isomorphic_per_named_graph(seed_build, exported, fmt):
    orig = kg.open(seed_build).graph()
    back = Dataset()
    back.parse(exported[fmt], format={"jsonld": "json-ld", "nquads": "nquads"}[fmt])
    a, b = named_graphs(orig), named_graphs(back)
    assert set(a) == set(b) == {"https://w3id.org/govreport-kg/id/report/haining-2023",
                                "https://w3id.org/govreport-kg/id/graph/shared"}
    for name in a:
        assert len(a[name]) == len(b[name]) > 1000
        assert isomorphic(a[name], b[name])


def test_ntriples_round_trip_and_sorted(seed_build, exported):
    g = rdflib.Graph().parse(exported["nt"], format="nt")
    assert isomorphic(g, rdflib.Graph().parse(os.path.join(seed_build, "graph.ttl"), format="turtle"))
    lines = open(exported["nt"], encoding="utf-8").read().splitlines()
    assert lines == sorted(lines)


def test_jsonld_uses_the_shipped_context_offline(exported):
    doc = json.load(open(exported["jsonld"], encoding="utf-8"))
    assert doc["@context"] == ex.context()  # embedded, nothing to fetch
    text = open(exported["jsonld"], encoding="utf-8").read()
    assert '"gr:Section"' in text and "海宁市2023年政府工作报告" in text  # compacted, Chinese kept as is


def test_context_file_covers_every_prefix_the_build_uses():
    ctx = ex.context()
    for prefix, ns in PREFIXES.items():
        assert ctx.get(prefix) == ns, prefix


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_formats_hold_the_projection(seed_build, exported, fmt, reader):
    G = viz.project(viz.load_graph(seed_build))
    H = reader(exported[fmt])
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    sec = "https://w3id.org/govreport-kg/id/report/haining-2023/part/2/section/1/item/1"
    attrs = H.nodes[sec]
    assert attrs["type"] == "Item" and attrs["path"] == "二(一)1"
    assert attrs["label"] == "1.奋力兴产业"


def test_gexf_carries_positions_and_colours(exported):
    text = open(exported["gexf"], encoding="utf-8").read()
    assert "<viz:position" in text and "<viz:color" in text


def test_csv_nodes_and_edges(seed_build, exported):
    G = viz.project(viz.load_graph(seed_build))
    with open(exported["csv"] / "nodes.csv", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(exported["csv"] / "edges.csv", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert set(nodes[0]) == {"id", "label", "type", "path", "report", "degree", "evidence"}
    ids = {n["id"] for n in nodes}
    assert all(e["source"] in ids and e["target"] in ids for e in edges)


def test_export_is_deterministic(seed_build, tmp_path, monkeypatch):
    """Same graph, same bytes, whatever the day: GEXF carries no export date."""
    import time

    build = kg.open(seed_build)
    for fmt in ("nt", "nquads", "graphml", "gexf"):
        a = build.export(fmt, tmp_path / f"a.{fmt}")
        with monkeypatch.context() as m:  # another day
            m.setattr(time, "strftime", lambda f, *a: "2031-01-02")
            b = build.export(fmt, tmp_path / f"b.{fmt}")
        assert a.read_bytes() == b.read_bytes(), fmt
    assert b"lastmodifieddate" not in (tmp_path / "a.gexf").read_bytes()
    (tmp_path / "csv-a").mkdir()
    a, b = build.export("csv", tmp_path / "csv-a"), build.export("csv", tmp_path / "csv-b")
    assert [(a / n).read_bytes() for n in ("nodes.csv", "edges.csv")] == [(b / n).read_bytes() for n in ("nodes.csv", "edges.csv")]


def test_report_columns_hold_report_ids(exported):
    """nodes.csv's report column, and the report attribute of GraphML and GEXF, hold the report's
    id (haining-2023), as every other table does, not its IRI."""
    with open(exported["csv"] / "nodes.csv", encoding="utf-8") as f:
        reports = {n["report"] for n in csv.DictReader(f)}
    assert reports <= {"haining-2023", ""} and "haining-2023" in reports
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        got = {d.get("report", "") for _, d in reader(exported[fmt]).nodes(data=True)}
        assert got <= {"haining-2023", ""} and "haining-2023" in got, fmt


def test_cli_default_output_and_errors(seed_build, tmp_path):
    r = CliRunner().invoke(cli, ["export", seed_build, "--format", "graphml"])
    assert r.exit_code == 0, r.output
    assert os.path.exists(os.path.join(seed_build, "export", "graph.graphml"))
    r = CliRunner().invoke(cli, ["export", str(tmp_path / "nothing"), "--format", "nt"])
    assert r.exit_code == 2 and r.output.startswith("kg: ") and "kg build" in r.output
    r = CliRunner().invoke(cli, ["export", seed_build, "--format", "nt", "-o", str(tmp_path / "no" / "x.nt")])
    assert r.exit_code == 2 and "does not exist" in r.output
    r = CliRunner().invoke(cli, ["export", seed_build, "--format", "pdf"])
    assert r.exit_code == 2  # click's own usage error
