"""`kg build` under hostile input, hostile OUT folders and faults: each case one line, a
non-zero exit, no traceback, and OUT exactly as it was (or, for kills, as it was once the
next build has cleaned up)."""
import hashlib
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from conftest import CORPUS, ROOT, SEED, corpus_path
from kg import cache as kg_cache
from kg import outdir
from kg.cli import cli
from kg.pipeline import build

SEED_BYTES = open(SEED, "rb").read()
SEED_TEXT = SEED_BYTES.decode("utf-8")


def snapshot(out) -> dict:
    """Everything a reader of OUT sees through its names (links followed), with the pointer."""
    out = Path(out)
    seen = {}
    for top in sorted(os.listdir(out)):
        if top == outdir.META:
            continue
        p = out / top
        files = [p] if p.is_file() else sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else []
        for f in files:
            seen[str(f.relative_to(out))] = hashlib.sha256(f.read_bytes()).hexdigest()
        if p.is_symlink():
            seen[top + " ->"] = os.readlink(p)
    pointer = out / outdir.META / outdir.CURRENT
    seen["pointer"] = os.readlink(pointer) if pointer.is_symlink() else None
    return seen


def leftovers(out) -> list[str]:
    """What is in OUT besides its names and the current generation: temp folders of builds."""
    out = Path(out)
    cur = outdir.current(out)
    meta = sorted(n for n in os.listdir(out / outdir.META) if n not in (outdir.LOCK, outdir.CURRENT, cur.name if cur else ""))
    top = sorted(n for n in os.listdir(out) if n.startswith(".") and n != outdir.META)
    return meta + top


def one_line(r, *words):
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: "), r.output
    assert "Traceback" not in r.output
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


def kg_build(*args):
    return CliRunner().invoke(cli, ["build", *args])


@pytest.fixture(scope="module")
def seed_template(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "out"
    build([SEED], str(out))
    return out


@pytest.fixture
def seed_out(seed_template, tmp_path):
    """A fresh OUT holding a build of the seed (a copy: its links are relative)."""
    out = tmp_path / "out"
    shutil.copytree(seed_template, out, symlinks=True)
    return out


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    """This test's own signing key (another user's, as far as other tests are concerned)."""
    monkeypatch.setenv(kg_cache.KEY_ENV, str(tmp_path / "key"))
    monkeypatch.setattr(kg_cache, "_SECRET", None)
    yield tmp_path / "key"
    kg_cache._SECRET = None


# --------------------------------------------------------------------------- the cache runs no code


class _Boom:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_crafted_pickle_in_the_cache_runs_nothing(seed_out, tmp_path):
    marker = tmp_path / "pwned"
    bomb = pickle.dumps(_Boom(marker))
    cache = outdir.current(seed_out) / ".cache"
    entries = [p for p in cache.iterdir() if p.name != "build.json"]
    assert entries
    for p in entries:  # every entry, under its own name and under the older .pickle name
        p.write_bytes(bomb)
        p.with_suffix(".pickle").write_bytes(bomb)
    legacy = seed_out / ".cache"  # where older versions kept their pickles
    legacy.mkdir()
    for p in entries:
        (legacy / p.with_suffix(".pickle").name).write_bytes(bomb)
    (cache / "build.json").write_bytes(bomb)
    r = build([SEED], str(seed_out))
    assert not marker.exists()
    assert r.reused == 0 and not r.up_to_date  # nothing taken from a cache that is not ours
    assert not legacy.exists()
    assert not any(p.suffix == ".pickle" for p in (outdir.current(seed_out) / ".cache").iterdir())


def test_an_altered_entry_cannot_slip_triples_into_the_graph(seed_out, monkeypatch):
    cache = outdir.current(seed_out) / ".cache"
    key = next(p.stem for p in cache.iterdir() if p.name != "build.json")
    chunk = kg_cache.load(str(cache), key)
    evil = '<urn:evil> <urn:says> "injected" <urn:g> .\n'
    chunk.nquads += evil.encode() if isinstance(chunk.nquads, bytes) else evil
    monkeypatch.setattr(kg_cache, "_SECRET", b"\x01" * 32)  # signed, but not with this user's key
    kg_cache.save(str(cache), key, chunk)
    monkeypatch.setattr(kg_cache, "_SECRET", None)
    assert kg_cache.load(str(cache), key) is None
    r = build([SEED], str(seed_out), viz=False)
    assert r.reused == 0
    assert "injected" not in (seed_out / "graph.nq").read_text(encoding="utf-8")


def test_another_users_cache_is_rebuilt_not_trusted(tmp_path, key_file, monkeypatch):
    out = tmp_path / "out"
    build([SEED], str(out), viz=False)
    assert key_file.stat().st_mode & 0o077 == 0  # the key: readable by its user only
    assert build([SEED], str(out), viz=False).up_to_date
    monkeypatch.setenv(kg_cache.KEY_ENV, str(tmp_path / "other-key"))
    monkeypatch.setattr(kg_cache, "_SECRET", None)
    r = build([SEED], str(out), viz=False)
    assert not r.up_to_date and r.reused == 0


def test_a_fifo_or_a_huge_file_as_a_cache_entry_is_ignored_without_blocking(seed_out):
    cache = outdir.current(seed_out) / ".cache"
    entries = [p for p in cache.iterdir() if p.name != "build.json"]
    os.remove(entries[0])
    os.mkfifo(entries[0])
    os.remove(cache / "build.json")
    os.symlink("/dev/zero", cache / "build.json")
    started = time.monotonic()
    r = build([SEED], str(seed_out), viz=False)
    assert r.reused == 0 and time.monotonic() - started < 60


@pytest.mark.parametrize("mark", [{"key": "k"}, {"key": "k", "result": {}}, [], "x", {"result": {"reports": []}}])
def test_a_mark_without_its_result_is_no_mark(seed_out, mark):
    folder = str(outdir.current(seed_out) / ".cache")
    kg_cache.atomic_write(os.path.join(folder, kg_cache.MARK), kg_cache._pack(kg_cache.MARK, mark))  # signed, yet bad
    assert kg_cache.read_mark(folder) is None
    r = kg_build(SEED, "-o", str(seed_out), "--no-viz")
    assert r.exit_code == 0 and "built 1 report" in r.output and "Traceback" not in r.output


# --------------------------------------------------------------------------- all or nothing


def _fail(folder, result):
    raise OSError(28, "No space left on device")


def test_a_failed_build_leaves_out_as_it_was_and_the_rerun_builds(seed_out):
    before = snapshot(seed_out)
    other = corpus_path("anguo-2022")
    with pytest.raises(kg.KGError, match="No space left"):
        build([other], str(seed_out), after=[_fail])
    assert snapshot(seed_out) == before and leftovers(seed_out) == []
    with pytest.raises(kg.KGError):
        build([other], str(seed_out), after=[lambda f, r: (Path(f) / "graph.ttl").unlink() or _fail(f, r)])
    assert snapshot(seed_out) == before
    r = build([other], str(seed_out))
    assert not r.up_to_date and [x["id"] for x in r.reports] == ["anguo-2022"]
    ids = [row["id"] for row in kg.open(seed_out).reports]
    assert ids == ["anguo-2022"]
    assert "anguo-2022" in (seed_out / "graph.ttl").read_text(encoding="utf-8")
    assert "haining-2023" not in (seed_out / "tables" / "sections.csv").read_text(encoding="utf-8")


def _start(args, out):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.Popen([sys.executable, "-m", "kg", "build", *args, "-o", str(out)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_new_generation(out, proc, before_pointer, timeout=120):
    """Until the build has written part of its generation (graph.nq begun)."""
    meta = Path(out) / outdir.META
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        for g in meta.glob("gen-*"):
            if g.name != before_pointer and (g / "graph.nq").exists() and (g / "graph.nq").stat().st_size > 0:
                return g
        time.sleep(0.05)
    raise AssertionError("the build did not start writing")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_leaves_out_as_it_was_and_the_next_cleans_up(seed_out, sig):
    before = snapshot(seed_out)
    proc = _start(["--no-cache", corpus_path("baoding-2025"), corpus_path("fujian-2025"), corpus_path("zhejiang-2025")],
                  seed_out)
    partial = _wait_for_new_generation(seed_out, proc, before["pointer"])
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode in (-sig, 128 + sig), (proc.returncode, err)
    assert "Traceback" not in err
    assert snapshot(seed_out) == before
    if sig == signal.SIGTERM:  # stopped as by Ctrl-C: its generation is already gone
        assert not partial.exists() and leftovers(seed_out) == []
    assert kg.open(seed_out).reports[0]["id"] == "haining-2023"
    r = kg_build(corpus_path("anguo-2022"), "-o", str(seed_out), "--no-viz")
    assert r.exit_code == 0, r.output
    assert leftovers(seed_out) == [] and not partial.exists()


def test_two_builds_into_one_out_do_not_interleave(seed_out):
    before = snapshot(seed_out)
    with outdir.Writer(seed_out):  # a build holds OUT
        r = kg_build(corpus_path("anguo-2022"), "-o", str(seed_out))
        assert r.exit_code == 2
        one_line(r, str(seed_out), "another kg build is writing into this folder")
    assert snapshot(seed_out) == before
    assert kg_build(corpus_path("anguo-2022"), "-o", str(seed_out), "--no-viz").exit_code == 0


def test_a_reader_keeps_its_generation_while_out_is_rebuilt(seed_out):
    reader = kg.open(seed_out)
    root = reader.root
    assert root == outdir.current(seed_out)
    build([corpus_path("anguo-2022")], str(seed_out), viz=False)
    assert [r["id"] for r in kg.open(seed_out).reports] == ["anguo-2022"]
    # the reader still answers from the generation it opened, which is still there
    assert root.is_dir() and reader.root == root
    rows = reader.query("SELECT ?id WHERE { ?r a gr:Report ; dcterms:identifier ?id }")
    assert [str(row["id"]) for row in rows] == ["haining-2023"]
    assert leftovers(seed_out) == [root.name]  # held: not removed by that build
    reader.close()
    del reader, rows
    build([SEED], str(seed_out), viz=False)
    assert not root.exists() and leftovers(seed_out) == []


def test_leftovers_of_older_versions_and_killed_builds_are_removed(seed_out, tmp_path):
    (seed_out / ".kg-build-abc123").mkdir()
    (seed_out / ".kg-build-abc123" / "graph.nq").write_text("x")
    (seed_out / outdir.META / "gen-20200101T000000-dead").mkdir()
    (seed_out / outdir.META / "trash-1").mkdir()
    (seed_out / outdir.META / "current.abc.tmp").symlink_to("gen-nothing")
    build([SEED], str(seed_out), viz=False)
    assert leftovers(seed_out) == []


def test_an_out_built_by_an_older_version_is_taken_over(tmp_path):
    out = tmp_path / "old"
    (out / "tables").mkdir(parents=True)
    (out / "store").mkdir()
    (out / ".cache").mkdir()
    (out / ".cache" / "x.pickle").write_bytes(b"\x80")
    for name in ("graph.nq", "graph.ttl", "graph.html", "tables/sections.csv"):
        (out / name).write_text("old")
    (out / "notes.txt").write_text("mine")
    build([SEED], str(out), with_store=False)
    assert (out / "graph.nq").is_symlink() and "haining-2023" in (out / "graph.nq").read_text(encoding="utf-8")
    assert not os.path.lexists(out / "store") and not os.path.lexists(out / ".cache")  # the old store: no longer true
    assert (out / "notes.txt").read_text() == "mine" and leftovers(out) == []


# --------------------------------------------------------------------------- a hostile OUT


def test_out_links_to_elsewhere_are_replaced_not_written_through(seed_out, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    victim_dir = tmp_path / "victim-dir"
    victim_dir.mkdir()
    (victim_dir / "f").write_text("precious")
    os.remove(seed_out / "graph.nq")
    os.symlink(victim, seed_out / "graph.nq")
    os.symlink(victim, seed_out / outdir.META / "gen-20200101T000000-evil")  # a "generation" that is a link
    os.symlink(victim_dir, seed_out / ".kg-build-evil")
    os.remove(seed_out / outdir.META / outdir.CURRENT)
    os.symlink("../../victim-dir", seed_out / outdir.META / outdir.CURRENT)  # a pointer out of OUT
    os.remove(seed_out / outdir.META / outdir.LOCK)
    os.symlink(victim, seed_out / outdir.META / outdir.LOCK)
    assert kg.open(seed_out).root == seed_out  # not followed out of OUT
    r = kg_build(SEED, "-o", str(seed_out), "--no-viz")
    assert r.exit_code == 0, r.output
    assert victim.read_text() == "precious" and (victim_dir / "f").read_text() == "precious"
    assert "haining-2023" in (seed_out / "graph.nq").read_text(encoding="utf-8")
    assert leftovers(seed_out) == []


def test_a_meta_folder_that_is_a_link_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(tmp_path, out / outdir.META)
    r = kg_build(SEED, "-o", str(out))
    assert r.exit_code == 2
    one_line(r, str(out), ".kg is not a folder")


# --------------------------------------------------------------------------- inputs: what is read at all


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        r = kg_build(SEED, path, "-o", str(tmp_path / "out"))
        assert r.exit_code == 2
        one_line(r, path, "not a regular file")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_report_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # 5 MB, mostly a hole: refused by its size alone
        f.write(SEED_BYTES)
        f.truncate(5_000_000)
    r = kg_build(str(big), "-o", str(tmp_path / "out"))
    assert r.exit_code == 2
    one_line(r, "big.txt", "5 MB is over the limit of 2 MB", "--max-report-size")
    r = kg_build(SEED, "-o", str(tmp_path / "out"), "--max-report-size", "10kB")
    one_line(r, "haining-2023.txt", "22 kB is over the limit of 10 kB")
    r = kg_build(SEED, "-o", str(tmp_path / "out"), "--max-report-size", "lots")
    one_line(r, "--max-report-size wants a size")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --------------------------------------------------------------------------- inputs: a report must look like one


def _junk(n):
    """``n`` random Chinese characters (what random bytes decoded as GB18030 mostly give)."""
    import random

    pick = random.Random(n)
    return "".join(chr(pick.randint(0x4E00, 0x9FA5)) for _ in range(n))


def _html():
    paras = "".join(f"<p>{line}</p>\n" for line in SEED_TEXT.splitlines() if line.strip())
    return f"<!DOCTYPE html>\n<html><head><title>政府工作报告</title></head><body>\n{paras}</body></html>\n"


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("report.html", _html().encode(), "HTML"),
        ("report.txt", _html().replace("<!DOCTYPE html>\n<html>", "").encode(), "HTML"),
        ("junk.txt", ("政府工作报告\n" + _junk(306)).encode("gb18030"), "not a government work report"),
        ("junk2.txt", ("政府工作报告\n" + "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000))).encode(),
         "does not read as prose"),
        ("README.md", open(os.path.join(ROOT, "README.md"), "rb").read(), "not a government work report"),
        ("prose.txt", ("政府工作报告\n" + "今天天气很好，我们去公园散步，看见很多人在跑步。" * 60).encode(), "paragraphs"),
    ],
    ids=["html", "html-fragment", "junk-after-title", "random-chinese", "readme", "one-paragraph"],
)
def test_what_is_not_a_report_is_refused_with_its_reason(tmp_path, name, data, problem):
    p = tmp_path / name
    p.write_bytes(data)
    r = kg_build(SEED, str(p), "-o", str(tmp_path / "out"))
    assert r.exit_code == 2
    one_line(r, name, problem)


def test_every_report_of_the_corpus_looks_like_one():
    from kg.read import read_report

    folder = os.path.join(ROOT, "tests", "data", "reports")
    names = [n for n in os.listdir(folder) if n.endswith(".txt") and not n.endswith(".source.txt")]
    assert len(names) == 141
    for n in names:
        read_report(os.path.join(folder, n))


@pytest.mark.parametrize("base", ["relative/path", "https://example.org/id", "urn:x y/", "/abs/path/", "http://a/<b>/"])
def test_base_must_be_an_absolute_iri_ending_in_a_slash_or_hash(tmp_path, base):
    r = kg_build(SEED, "-o", str(tmp_path / "out"), "--base", base)
    assert r.exit_code == 2
    one_line(r, "--base must be an absolute IRI")
    with pytest.raises(kg.KGError, match="absolute IRI"):
        kg.graph(SEED, base=base)


def test_a_good_base_is_kept(tmp_path):
    r = kg_build(SEED, "-o", str(tmp_path / "out"), "--base", "urn:example:gr#", "--no-viz", "--no-store")
    assert r.exit_code == 0, r.output
    assert "<urn:example:gr#report/haining-2023>" in (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8")


def test_cr_only_line_ends_give_the_outline_of_lf_with_honest_offsets(tmp_path):
    from kg.read import report_from_bytes
    from kg.segment import segment

    cr = SEED_TEXT.replace("\n", "\r")
    r = report_from_bytes(cr.encode(), "cr.txt")
    assert len(r.text) == len(cr) and r.text == SEED_TEXT  # one character for one: offsets unmoved
    o, lf = segment(r), segment(report_from_bytes(SEED_BYTES, "lf.txt"))
    assert [(s.label, s.title, s.start, s.end) for s in o.sections] == [
        (s.label, s.title, s.start, s.end) for s in lf.sections]
    assert len([s for s in o.sections if s.level == "part"]) == 3
    for s in o.sentences:
        assert cr[s.start:s.end].strip() and "\r" not in cr[s.start:s.end]
    mixed = SEED_TEXT.replace("\n", "\r\n", 5).replace("\n", "\u2028", 3)
    assert len(report_from_bytes(mixed.encode(), "mixed.txt").text) == len(mixed)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(codec):
    from kg.read import decode, report_from_bytes

    r = report_from_bytes(SEED_TEXT.replace("\ufffd", "").encode(codec), "x.txt")
    assert r.text == SEED_TEXT.replace("\ufffd", "") and r.encoding == "utf-16" and r.year == 2023
    folder = os.path.join(ROOT, "tests", "data", "reports")
    for n in sorted(os.listdir(folder)):
        if n.endswith(".txt") and not n.endswith(".source.txt"):
            text, _ = decode(open(os.path.join(folder, n), "rb").read(), n)
            assert decode(text.encode(codec), n) == (text, "utf-16"), n


def test_a_file_name_beginning_with_a_dash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SEED, tmp_path / "-seed.txt")
    r = kg_build("-seed.txt", "-o", "out")
    assert r.exit_code == 2
    one_line(r, "-seed.txt", "put -- before the file names")
    r = kg_build("-o", "out", "--no-viz", "--", "-seed.txt")
    assert r.exit_code == 0 and "built 1 report" in r.output, r.output


# --------------------------------------------------------------------------- many inputs: duplicates, --keep-going


def test_keep_going_builds_the_rest_names_each_skipped_file_and_exits_1(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name in ("laiyuan-2025", "lixian-2022"):
        shutil.copy(os.path.join(CORPUS, name + ".txt"), d)
    (d / "empty.txt").write_bytes(b"")
    (d / "notes.txt").write_text("会议纪要：今天讨论了食堂菜单。" * 30, encoding="utf-8")
    out = tmp_path / "out"
    r = kg_build(str(d), "-o", str(out))
    assert r.exit_code == 2 and not out.exists()
    one_line(r, "empty.txt", "empty file")
    r = kg_build(str(d), str(tmp_path / "missing.txt"), "-o", str(out), "--keep-going", "--no-viz")
    assert r.exit_code == 1 and "Traceback" not in r.output
    err = [line for line in r.output.splitlines() if line.startswith("kg: ")]
    assert any("empty.txt: skipped: empty file" in line for line in err)
    assert any("notes.txt: skipped: not a government work report" in line for line in err)
    assert any("missing.txt: skipped: no such file or folder" in line for line in err)
    assert "built 2 reports" in r.output
    assert "3 input files skipped" in err[-1] and "empty.txt" in err[-1]
    assert sorted(x["id"] for x in kg.open(out).reports) == ["laiyuan-2025", "lixian-2022"]
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "empty.txt").write_bytes(b"")
    r = kg_build(str(nothing), "-o", str(tmp_path / "out2"), "--keep-going")
    assert r.exit_code == 1 and "nothing to build" in r.output


def test_the_closing_summary_and_duplicate_warning(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEED, d / "a-2023.txt")
    shutil.copy(SEED, d / "b-2023.txt")
    r = kg_build(str(d), "-o", str(tmp_path / "out"), "--no-viz")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    warning = [line for line in lines if "same content" in line]
    assert len(warning) == 1 and "b-2023.txt" in warning[0] and "a-2023.txt" in warning[0]
    built = next(line for line in lines if line.startswith("built 1 report"))
    assert " s -> " in built and str(tmp_path / "out") in built
    entities = next(line for line in lines if line.strip().startswith("entities:"))
    assert "place" in entities and "organization" in entities
    assert any(line.strip().startswith("sections: ") and "targets: " in line and "results: " in line for line in lines)
    again = kg_build(str(d), "-o", str(tmp_path / "out"), "--no-viz")
    assert "up to date" in again.output and "entities:" in again.output


@pytest.mark.slow
def test_a_server_answers_from_one_generation_while_out_is_rebuilt(seed_out):
    import threading
    import urllib.parse
    import urllib.request

    from kg import serve
    from kg.namespace import PREFIXES

    srv = serve.make_server(seed_out, port=0, workers=2, quiet=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    host, port = srv.server_address[:2]
    query = (f"PREFIX gr: <{PREFIXES['gr']}> PREFIX dcterms: <{PREFIXES['dcterms']}> "
             "SELECT ?id WHERE { ?r a gr:Report ; dcterms:identifier ?id }")
    url = f"http://{host}:{port}/sparql?" + urllib.parse.urlencode({"query": query})

    def ids():
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/csv"}), timeout=30) as r:
            return r.read().decode().split()[1:]

    try:
        assert ids() == ["haining-2023"]
        served = srv.build.root
        build([corpus_path("anguo-2022")], str(seed_out), viz=False)
        assert [ids() for _ in range(6)] == [["haining-2023"]] * 6  # every worker, the generation it opened
        assert served.is_dir() and leftovers(seed_out) == [served.name]
    finally:
        srv.shutdown()
        srv.server_close()
        srv.build.close()
    build([corpus_path("anguo-2022")], str(seed_out), viz=False, cache=False)
    assert not served.exists() and leftovers(seed_out) == []
