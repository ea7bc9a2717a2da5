"""The pipeline over many reports: parallel, cached, streaming, deterministic."""
import os
import shutil

from conftest import CORPUS, SEED
from kg.outdir import current
from kg.pipeline import build, expand_inputs

SHARED = "<https://w3id.org/govreport-kg/id/graph/shared>"


def _entries(out):
    """The cache entries of OUT's current generation (the mark aside)."""
    return [p for p in (current(out) / ".cache").glob("*.json") if p.name != "build.json"]


def _small_corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name in ("laiyuan-2025", "baoding-2025", "lixian-2022"):
        shutil.copy(os.path.join(CORPUS, name + ".txt"), d)
    shutil.copy(SEED, d)
    (d / "laiyuan-2025.source.txt").write_text("level: county", encoding="utf-8")
    return str(d)


def test_folders_expand_to_sorted_reports_without_source_notes(tmp_path):
    d = _small_corpus(tmp_path)
    names = [os.path.basename(p) for p in expand_inputs([d])]
    assert names == ["baoding-2025.txt", "haining-2023.txt", "laiyuan-2025.txt", "lixian-2022.txt"]


def test_jobs_1_and_2_give_the_same_graph(tmp_path):
    d = _small_corpus(tmp_path)
    a = build([d], str(tmp_path / "a"), jobs=1, cache=False)
    b = build([d], str(tmp_path / "b"), jobs=2, cache=False)
    assert a.triple_count == b.triple_count > 0
    for name in ("graph.nq", "graph.ttl", "tables/sections.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_rebuild_reuses_unchanged_reports(tmp_path):
    d = _small_corpus(tmp_path)
    out = str(tmp_path / "out")
    first = build([d], out)
    assert first.reused == 0
    before = (tmp_path / "out" / "graph.nq").read_bytes()
    second = build([d], out)
    assert second.reused == 4
    assert (tmp_path / "out" / "graph.nq").read_bytes() == before
    # change one report: only it is rebuilt
    p = os.path.join(d, "laiyuan-2025.txt")
    with open(p, "a", encoding="utf-8") as f:
        f.write("\n各位代表！让我们团结一心，奋勇争先。\n")
    third = build([d], out)
    assert third.reused == 3
    assert "奋勇争先" in (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8")
    # the changed report's old entry is gone: the cache holds one entry per report built
    assert len(_entries(out)) == 4
    # a build of one of them into OUT keeps only its entry, and it is reused
    fourth = build([p], out)
    assert fourth.reused == 1
    assert len(_entries(out)) == 1


def test_identical_files_under_two_names_are_built_once_with_a_warning(tmp_path, caplog):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEED, d / "a-2023.txt")
    shutil.copy(SEED, d / "b-2023.txt")
    out = str(tmp_path / "out")
    first = build([str(d)], out)
    assert [x["id"] for x in first.reports] == ["a-2023"]
    assert first.duplicates == [(str(d / "b-2023.txt"), str(d / "a-2023.txt"))]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "b-2023.txt" in warnings[0] and "a-2023.txt" in warnings[0]
    again = build([str(d)], out)  # up to date: the same one report, the same warning
    assert again.up_to_date and [x["id"] for x in again.reports] == ["a-2023"] and len(again.duplicates) == 1


def test_one_named_graph_per_report_and_one_shared(tmp_path):
    d = _small_corpus(tmp_path)
    build([d], str(tmp_path / "o"), cache=False)
    where: dict[str, list[str]] = {}  # triple -> graphs it is written in
    with open(tmp_path / "o" / "graph.nq", encoding="utf-8") as f:
        for line in f:
            triple, graph, _ = line.rsplit(" ", 2)
            where.setdefault(triple, []).append(graph)
    graphs = {g for gs in where.values() for g in gs}
    assert graphs == {f"<https://w3id.org/govreport-kg/id/report/{n}>" for n in
                      ("baoding-2025", "haining-2023", "laiyuan-2025", "lixian-2022")} | {SHARED}
    # every triple is written once, in one graph: the union of the graphs is the merge
    assert [t for t, gs in where.items() if len(gs) > 1] == []
    # a node several reports name (the province) is described in the shared graph only
    label = '<http://www.w3.org/2000/01/rdf-schema#label> "浙江省"@zh'
    assert [gs for t, gs in where.items() if label in t] == [[SHARED]]
    # a triple about a shared node that names a report's own node stays in that report's graph
    mentioned = [gs[0] for t, gs in where.items() if "#mentionedInReport>" in t]
    assert mentioned and SHARED not in mentioned


def test_a_shared_node_is_described_once_whatever_the_order(tmp_path):
    d = _small_corpus(tmp_path)
    build([d], str(tmp_path / "o"), cache=False)
    with open(tmp_path / "o" / "graph.nq", encoding="utf-8") as f:
        lines = f.readlines()
    assert len(lines) == len(set(lines))
    shared = [x for x in lines if x.endswith(f" {SHARED} .\n")]
    assert shared and all("/report/" not in x.rsplit(" ", 2)[0] for x in shared)


def test_a_rebuild_of_the_same_inputs_writes_nothing(tmp_path):
    d = _small_corpus(tmp_path)
    out = tmp_path / "out"
    first = build([d], str(out))
    stamps = {n: os.stat(out / n).st_mtime_ns for n in ("graph.nq", "graph.ttl", "graph.html", "store")}
    again = build([d], str(out))
    assert again.up_to_date and not first.up_to_date
    assert again.reused == 4 and again.triple_count == first.triple_count
    assert [r["id"] for r in again.reports] == [r["id"] for r in first.reports]
    assert {n: os.stat(out / n).st_mtime_ns for n in stamps} == stamps  # nothing rewritten
    # a build of other inputs into OUT, then the first inputs again: built, not taken as done
    build([SEED], str(out), cache=False)
    third = build([d], str(out))
    assert len(third.reports) == 4 and (out / "graph.nq").stat().st_mtime_ns != stamps["graph.nq"]
    # a missing output is rebuilt
    os.remove(out / "graph.ttl")
    fourth = build([d], str(out))
    assert fourth.reused == 4 and not fourth.up_to_date and (out / "graph.ttl").is_file()


def test_no_store_writes_the_same_graph_and_queries_still_answer(tmp_path):
    import kg

    d = _small_corpus(tmp_path)
    full, lean = tmp_path / "full", tmp_path / "lean"
    build([d], str(full))
    build([d], str(lean))  # a store is there first: --no-store must remove it, not leave it stale
    assert (lean / "store").is_dir()
    r = build([d], str(lean), with_store=False)
    assert not r.up_to_date and not (lean / "store").exists()
    for name in ("graph.nq", "graph.ttl", "tables/entities.csv"):
        assert (lean / name).read_bytes() == (full / name).read_bytes(), name
    # kg query reads graph.nq instead: the same rows as from the store
    for q in ("outline", "places-by-mentions"):
        assert sorted(map(str, kg.open(lean).query(q))) == sorted(map(str, kg.open(full).query(q))), q
    again = build([d], str(lean), with_store=False)
    assert again.up_to_date and not (lean / "store").exists()
    # asking for the store again is a new build, not "up to date"
    third = build([d], str(lean))
    assert not third.up_to_date and (lean / "store").is_dir()
