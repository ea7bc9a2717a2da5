"""The pipeline: report files -> RDF files, tables, a store and the graph page in OUT/.

Read top to bottom::

    paths = expand_inputs(inputs)                 # files and folders of .txt reports
    for each path, in a process pool (jobs):       # a pure function of the file's bytes
        report   = read_report(path)               # kg.read: decode, check, metadata
        outline  = segment(report)                 # kg.segment: parts, sections, sentences …
        entities = link.entities(outline)          # kg.link: mentions, entities, relations
        goals    = extract_goals(outline)          # kg.extract.goals: goals, targets, observations
        triples  = emit(outline, entities, goals, Minter(base, report.id, report.text))   # kg.emit, kg.iri
        rows     = tables.rows(outline, entities, goals, minter)             # kg.tables
        -> serialised in the worker: N-Quads, Turtle and table rows (a Chunk)
    stream every report's chunk into temp files (and the store), then move them into OUT/

Peak memory is one report per worker, whatever the size of the corpus. A rebuild
reuses the chunks of reports whose bytes (and the code and base IRI) are unchanged
(kg.cache). Any error aborts before OUT is touched.
"""
from __future__ import annotations

import contextlib
import io
import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from kg import cache as build_cache
from kg import link, tables
from kg.api import CACHE_DIR, GRAPH_NQ, GRAPH_TTL, PAGE, STORE_DIR, TABLES_DIR
from kg.emit import emit
from kg.errors import KGError
from kg.extract.goals import extract_goals
from kg.iri import DEFAULT_BASE, Minter, shared_graph
from kg.namespace import PREFIXES
from kg.rdfterms import Triple, turtle_prefixes, write_nquads, write_turtle
from kg.read import read_report
from kg.segment import segment
from kg.store import StoreWriter


@dataclass
class ReportResult:
    """What one report contributes: its graph and table rows."""

    id: str
    path: str
    graph: str  # named graph IRI (N-Triples form)
    triples: list[Triple]
    tables: dict[str, list[dict]] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


@dataclass
class Chunk:
    """A report's result serialised in the worker: what the main process streams to disk."""

    id: str
    path: str
    nquads: str  # the report's own triples, in its named graph
    turtle: str  # the same, as Turtle
    shared: list[Triple]  # triples about shared nodes; the build keeps the first copy of each
    tables: dict[str, list[dict]]
    summary: dict
    triple_count: int  # own triples


@dataclass
class BuildResult:
    out: str
    base: str
    reports: list[dict] = field(default_factory=list)  # summary per report, in input order
    triple_count: int = 0
    reused: int = 0  # reports taken from the cache
    up_to_date: bool = False  # OUT already held this build: nothing was written


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files as given; folders give their *.txt files (not *.source.txt notes), sorted."""
    paths: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            found = sorted(
                os.path.join(item, n)
                for n in os.listdir(item)
                if n.endswith(".txt") and not n.endswith(".source.txt") and not n.startswith(".")
            )
            if not found:
                raise KGError("folder holds no .txt reports", item)
            paths.extend(found)
        elif os.path.exists(item):
            paths.append(item)
        else:
            raise KGError("no such file or folder", item)
    return paths


def process(path: str, base: str = DEFAULT_BASE) -> ReportResult:
    """One report file -> its triples and table rows. A pure function of the file's content."""
    report = read_report(path)
    outline = segment(report)
    entities = link.entities(outline)
    goals = extract_goals(outline)
    m = Minter(base, report.id, report.text)
    summary = {
        "id": report.id, "path": report.path, "title": report.title, "issuer": report.issuer,
        "level": report.level, "year": report.year, "chars": len(report.text), "sha256": report.sha256,
    }
    return ReportResult(report.id, report.path, m.report(), emit(outline, entities, goals, m),
                        tables.rows(outline, entities, goals, m), summary)


def serialise(result: ReportResult, base: str = DEFAULT_BASE) -> Chunk:
    own, shared = Minter(base, result.id).split(result.triples)
    nq, ttl = io.StringIO(), io.StringIO()
    write_nquads([(result.graph, own)], nq)
    write_turtle(own, ttl, PREFIXES, header=False)
    return Chunk(result.id, result.path, nq.getvalue(), ttl.getvalue(), shared,
                 result.tables, result.summary, len(own))


def _work(args: tuple[str, str, Optional[str], Optional[str], Optional[str]]) -> Chunk:
    """Worker: path -> serialised chunk, from the cache entry ``key`` when there is one;
    a new chunk is saved into ``new_cache`` here, in the worker, in parallel."""
    path, base, key, cache_dir, new_cache = args
    if cache_dir and key:
        chunk = build_cache.load(cache_dir, key)
        if chunk is not None:
            chunk.summary["cached"] = True
            return chunk
    chunk = serialise(process(path, base), base)
    if new_cache and key:
        build_cache.save(new_cache, key, chunk)
    return chunk


def _chunks(paths: list[str], base: str, jobs: int, cache_dir: Optional[str],
            new_cache: Optional[str] = None, keys: Optional[list[str]] = None) -> Iterator[Chunk]:
    """Each report's chunk, in input order; ``keys`` are their cache entries (with ``cache_dir``)."""
    entries: list[Optional[str]] = list(keys) if keys else [None] * len(paths)
    args = [(p, base, k, cache_dir, new_cache if cache_dir else None) for p, k in zip(paths, entries)]
    if jobs <= 1 or len(paths) <= 1:
        yield from map(_work, args)
        return
    import multiprocessing as mp
    from collections import deque

    # At most 2 x jobs reports in flight, taken in input order: Pool.imap would run ahead of
    # a main process that is busy writing, and hold every finished chunk (measured on the
    # 20 MB corpus: 1469 MiB peak with --jobs 2 against 471 MiB with --jobs 1).
    with mp.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(jobs) as pool:
        todo = iter(args)
        pending = deque(pool.apply_async(_work, (a,)) for a in itertools.islice(todo, 2 * jobs))
        while pending:
            chunk = pending.popleft().get()
            for a in itertools.islice(todo, 1):
                pending.append(pool.apply_async(_work, (a,)))
            yield chunk


_OUTPUTS = (GRAPH_NQ, GRAPH_TTL, STORE_DIR, TABLES_DIR)


def _up_to_date(out: str, key: str, viz: bool, with_store: bool = True) -> Optional[BuildResult]:
    """The last build into OUT, when it was made from exactly these inputs by this code
    and its outputs are all there: nothing needs writing again."""
    mark = build_cache.read_mark(os.path.join(out, CACHE_DIR))
    names = tuple(n for n in _OUTPUTS if with_store or n != STORE_DIR) + ((PAGE,) if viz else ())
    if mark is None or mark.get("key") != key or not all(os.path.exists(os.path.join(out, n)) for n in names):
        return None
    r = mark["result"]
    return BuildResult(out, r["base"], r["reports"], r["triple_count"], reused=len(r["reports"]), up_to_date=True)


def build(
    inputs: list[str],
    out: str,
    base: str = DEFAULT_BASE,
    jobs: int = 1,
    cache: bool = True,
    after: Optional[list[Callable[[str, BuildResult], None]]] = None,
    viz: bool = True,
    with_store: bool = True,
) -> BuildResult:
    """Build the graph of ``inputs`` into the folder ``out``; returns what was built.

    ``after`` callbacks run on the finished temp folder before it is moved into
    place (later stages write more files there: a store, the graph page …).
    ``viz`` adds, last, the one that writes ``graph.html`` (kg.viz.write_build_page).
    ``with_store=False`` leaves OUT/store/ out (and removes an older one, which would no
    longer match graph.nq): the Oxigraph load is most of a large build's time, and users who
    load graph.nq into their own triple store do not need it; kg query then reads graph.nq.
    """
    custom_hooks = bool(after)
    if viz:
        from kg.viz import write_build_page

        after = [*(after or []), write_build_page]
    paths = expand_inputs(inputs)
    for p in paths:  # cheap (decode + checks): bad input fails before any work is done
        read_report(p)
    _check_writable(out)
    cache_dir = os.path.join(out, CACHE_DIR) if cache else None
    keys = None
    if cache:  # each report's cache entry, hashed once here for the workers and the build's mark
        code = build_cache.code_key(base)
        keys = [build_cache.report_key(p, code) for p in paths]
    build_key = build_cache.build_key(keys, base, viz, with_store) if keys and not custom_hooks else None
    if build_key:
        done = _up_to_date(out, build_key, viz, with_store)
        if done is not None:
            return done
    result = BuildResult(out, base)
    tmp = tempfile.mkdtemp(dir=out, prefix=".kg-build-")
    try:
        new_cache = os.path.join(tmp, CACHE_DIR)  # moved into OUT/.cache with the rest
        os.makedirs(new_cache)
        with _Output(tmp, base, with_store) as output:
            for chunk in _chunks(paths, base, jobs, cache_dir, new_cache, keys):
                output.add(chunk, result)
        from kg.promises import write_promises

        write_promises(tmp)  # OUT/tables/promises.csv: targets beside the results of later reports
        for hook in after or []:
            hook(tmp, result)
        if build_key:
            build_cache.write_mark(new_cache, build_key, {"base": base, "reports": result.reports,
                                               "triple_count": result.triple_count})
        if not with_store:  # an older store would answer for a graph that is no longer there
            shutil.rmtree(os.path.join(out, STORE_DIR), ignore_errors=True)
        _commit(tmp, out, keep=set(keys) if keys else None)
        if not build_key:  # OUT no longer holds what an older mark describes
            build_cache.remove_mark(os.path.join(out, CACHE_DIR))
    except OSError as e:
        raise KGError(f"cannot write output ({e.strerror or e})", out) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


class _Output:
    """The files a build streams into ``folder``: graph.nq, graph.ttl, tables/ and (with
    ``with_store``) the store, loaded on its own thread as the quads go by. Each report's
    shared triples are written once, the first time a report gives them."""

    def __init__(self, folder: str, base: str, with_store: bool):
        os.makedirs(os.path.join(folder, TABLES_DIR))
        self.files = contextlib.ExitStack()
        self.nq = self.files.enter_context(open(os.path.join(folder, GRAPH_NQ), "w", encoding="utf-8"))
        self.ttl = self.files.enter_context(open(os.path.join(folder, GRAPH_TTL), "w", encoding="utf-8"))
        self.ttl.write(turtle_prefixes(PREFIXES))
        self.tables = tables.TableWriters(os.path.join(folder, TABLES_DIR), self.files)
        self.store = StoreWriter(os.path.join(folder, STORE_DIR), lenient=True) if with_store else None
        self.shared_graph = shared_graph(base)
        self.shared_seen: set[Triple] = set()
        self.ids: dict[str, str] = {}

    def __enter__(self) -> "_Output":
        return self

    def add(self, chunk: Chunk, result: BuildResult) -> None:
        if chunk.id in self.ids:
            raise KGError(f"two inputs give the same report id {chunk.id!r} (also {self.ids[chunk.id]})", chunk.path)
        self.ids[chunk.id] = chunk.path
        new = [t for t in dict.fromkeys(chunk.shared) if t not in self.shared_seen]
        self.shared_seen.update(new)
        quads = io.StringIO()
        quads.write(chunk.nquads)
        write_nquads([(self.shared_graph, new)], quads)
        text = quads.getvalue()
        self.nq.write(text)
        if self.store is not None:
            self.store.write(text)
        self.ttl.write(chunk.turtle)
        write_turtle(new, self.ttl, PREFIXES, header=False)
        for name, table_rows in chunk.tables.items():
            self.tables.write(name, table_rows)
        result.triple_count += chunk.triple_count + len(new)
        if chunk.summary.pop("cached", False):
            result.reused += 1
        result.reports.append(chunk.summary)

    def __exit__(self, kind, error, tb) -> None:
        self.files.close()
        if self.store is None:
            return
        if error is None:
            self.store.close()  # OUT/store/ ready, so later queries need not re-parse graph.nq
        else:
            self.store.abort()


def _check_writable(out: str) -> None:
    if os.path.exists(out) and not os.path.isdir(out):
        raise KGError("output exists and is not a folder", out)
    try:
        os.makedirs(out, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".kg-probe-"):
            pass
    except OSError as e:
        raise KGError(f"cannot write output ({e.strerror or e})", out) from None


def _commit(tmp: str, out: str, keep: Optional[set[str]] = None) -> None:
    """Everything is written: move it into OUT, file by file (folders replaced whole, the
    tables' files one by one, the cache merged with what OUT/.cache holds)."""
    for name in sorted(os.listdir(tmp)):
        src, dest = os.path.join(tmp, name), os.path.join(out, name)
        if name == CACHE_DIR:
            build_cache.merge(src, dest, keep)
        elif os.path.isdir(src) and name != TABLES_DIR:
            if os.path.isdir(dest):
                shutil.rmtree(dest)
            os.replace(src, dest)
        elif os.path.isdir(src):
            os.makedirs(dest, exist_ok=True)
            for n in sorted(os.listdir(src)):
                os.replace(os.path.join(src, n), os.path.join(dest, n))
        else:
            os.replace(src, dest)
