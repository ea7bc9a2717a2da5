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
import functools
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from kg import cache as build_cache
from kg import executors, tables
from kg.api import CACHE_DIR, GRAPH_NQ, GRAPH_TTL, PAGE, STORE_DIR, TABLES_DIR
from kg.errors import KGError
from kg.iri import DEFAULT_BASE, Minter, shared_graph
from kg.namespace import PREFIXES
from kg.rdfterms import Triple, turtle_prefixes, turtle_statements, write_nquads, write_turtle
from kg.read import read_report, report_from_bytes
from kg.store import StoreWriter

# The stages (kg.segment, kg.link, kg.extract.goals, kg.emit) are imported by process(), where
# the per-report work runs: a build's main process, which only writes, never imports them.


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
    """A report's result serialised in the worker: what the main process streams to disk,
    as bytes it writes without looking inside (it never touches a triple)."""

    id: str
    path: str
    nquads: bytes  # the report's own triples, in its named graph (UTF-8 N-Quads)
    turtle: bytes  # the same, as Turtle
    shared: list[str]  # triples about shared nodes, one N-Quads line each (in the shared graph)
    shared_turtle: list[str]  # the same triples, one Turtle statement each, in the same order
    tables: dict[str, tuple[list[str], bytes]]  # table name -> (columns, CSV lines)
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


def process(path: str, base: str = DEFAULT_BASE, data: Optional[bytes] = None) -> ReportResult:
    """One report file -> its triples and table rows. A pure function of the file's content
    (``data``, the file's bytes, when they are already read: the file is then not opened)."""
    from kg import link
    from kg.emit import emit
    from kg.extract.goals import extract_goals
    from kg.segment import segment

    report = read_report(path) if data is None else report_from_bytes(data, path)
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
    """Everything the main process writes for one report, made here (in the worker)."""
    own, shared = Minter(base, result.id).split(result.triples)
    shared = list(dict.fromkeys(shared))
    nq, ttl, lines = io.StringIO(), io.StringIO(), io.StringIO()
    write_nquads([(result.graph, own)], nq)
    write_turtle(own, ttl, PREFIXES, header=False)
    write_nquads([(shared_graph(base), shared)], lines)
    return Chunk(result.id, result.path, nq.getvalue().encode("utf-8"), ttl.getvalue().encode("utf-8"),
                 lines.getvalue().splitlines(keepends=True), turtle_statements(shared, PREFIXES),
                 tables.csv_text(result.tables), result.summary, len(own))


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


def work_on_bytes(task: tuple[str, bytes, str]) -> Chunk:
    """Worker of a remote executor: (file name, the file's bytes, base IRI) -> serialised chunk.
    Pure: the same bytes give the same chunk on any machine."""
    path, data, base = task
    return serialise(process(path, base, data), base)


def _chunks(paths: list[str], base: str, executor: executors.Local | executors.Dask, cache_dir: Optional[str],
            new_cache: Optional[str] = None, keys: Optional[list[str]] = None) -> Iterator[Chunk]:
    """Each report's chunk, in input order; ``keys`` are their cache entries (with ``cache_dir``).

    Local workers read the files and the cache themselves; for a remote executor this process
    reads them, sends the bytes of the reports not in the cache, and saves what comes back."""
    entries: list[Optional[str]] = list(keys) if keys else [None] * len(paths)
    if not executor.remote:
        args = [(p, base, k, cache_dir, new_cache if cache_dir else None) for p, k in zip(paths, entries)]
        yield from executor.map(_work, args)
        return

    def tasks() -> Iterator[executors.Ready | tuple[str, bytes, str]]:
        for p, k in zip(paths, entries):
            chunk = build_cache.load(cache_dir, k) if cache_dir and k else None
            if chunk is not None:
                chunk.summary["cached"] = True
                yield executors.Ready(chunk)
            else:
                with open(p, "rb") as f:
                    yield (p, f.read(), base)

    for k, chunk in zip(entries, executor.map(work_on_bytes, tasks())):
        if new_cache and k and not chunk.summary.get("cached"):
            build_cache.save(new_cache, k, chunk)
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
    jobs: Optional[int] = None,
    cache: bool = True,
    after: Optional[list[Callable[[str, BuildResult], None]]] = None,
    viz: bool = True,
    with_store: bool = True,
    executor: Optional[str] = None,
    progress: Optional[Callable[[int, int, str], None]] = None,
) -> BuildResult:
    """Build the graph of ``inputs`` into the folder ``out``; returns what was built.

    ``after`` callbacks run on the finished temp folder before it is moved into
    place (later stages write more files there: a store, the graph page …).
    ``viz`` adds, last, the one that writes ``graph.html`` (kg.viz.write_build_page).
    ``with_store=False`` leaves OUT/store/ out (and removes an older one, which would no
    longer match graph.nq): the Oxigraph load is most of a large build's time, and users who
    load graph.nq into their own triple store do not need it; kg query then reads graph.nq.
    ``executor`` is where the per-report work runs: ``None`` or ``"local"`` (``jobs`` processes
    here) or ``"dask://HOST:PORT"`` (a Dask cluster; kg.executors). ``progress`` is called with
    (steps done, steps in all, what is being done or was just done): first (0, steps, ""),
    then a step per report (its id), then one for the promises table ("promises"), one for
    each ``after`` callback and the page ("page"), and one for the store ("store"), each of
    these also called when it starts.
    """
    custom_hooks = bool(after)
    hooks = ([("promises", _write_promises)] + [(getattr(h, "__name__", "after"), h) for h in after or []]
             + ([("page", _write_page)] if viz else []))
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
        up_to_date = _up_to_date(out, build_key, viz, with_store)
        if up_to_date is not None:
            return up_to_date
    result = BuildResult(out, base)
    tmp = tempfile.mkdtemp(dir=out, prefix=".kg-build-")
    try:
        new_cache = os.path.join(tmp, CACHE_DIR)  # moved into OUT/.cache with the rest
        os.makedirs(new_cache)
        steps = len(paths) + bool(with_store) + len(hooks)
        tell = _Progress(progress, steps)
        todo = len(paths) if not (cache_dir and keys) else sum(not build_cache.has(cache_dir, k) for k in keys)
        # the workers start first (forked before any thread of this process), each loading the
        # stages' tables at once when there are reports to process
        runner = executors.executor(executor, _workers(jobs, len(paths)), functools.partial(build_cache.code_key, base),
                                    warm_up=warm_up if todo else None)
        try:
            output = _Output(tmp, base, with_store)  # the store opens and loads the ontology on its thread
            try:
                if viz and todo:  # the page's modules load here while the workers start
                    import kg.viz.page  # noqa: F401
                for chunk in _chunks(paths, base, runner, cache_dir, new_cache, keys):
                    output.add(chunk, result)
                    tell.step(chunk.id)
                runner.close()
                output.close()  # the store's last slice and compaction go on on its thread, beside the hooks
                for name, hook in hooks:
                    tell.now(name)
                    hook(tmp, result)
                    tell.step(name)
                if output.store is not None:
                    tell.now("store")
                    output.store.wait()
                    tell.step("store")
            except BaseException:
                output.abort()
                raise
        finally:
            runner.close()
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


def _workers(jobs: Optional[int], reports: int) -> int:
    """Worker processes for a build of ``reports``: ``jobs`` (default: one per core), never
    more than there are reports; 0 keeps the work in this process."""
    if jobs == 0:
        return 0
    return max(1, min(jobs or os.cpu_count() or 1, reports))


def warm_up() -> None:
    """Run in each worker as it starts: imports the stages and loads their tables (the
    tokenizer's dictionary, the gazetteer) before the first report comes."""
    from kg import gazetteer, link, tokens  # noqa: F401
    from kg.emit import emit  # noqa: F401
    from kg.extract import entities  # noqa: F401
    from kg.extract.goals import extract_goals  # noqa: F401
    from kg.segment import segment  # noqa: F401

    tokens.backend()
    tokens.word_tag("")
    gazetteer.load()


def _write_promises(folder: str, result: BuildResult) -> None:
    from kg.promises import write_promises

    write_promises(folder)  # OUT/tables/promises.csv: targets beside the results of later reports


def _write_page(folder: str, result: BuildResult) -> None:
    from kg.viz import write_build_page  # imported here: networkx and the page code only when drawn

    write_build_page(folder, result)


class _Progress:
    """Calls ``progress(done, steps, what)``, if any, as the build goes."""

    def __init__(self, progress: Optional[Callable[[int, int, str], None]], steps: int):
        self.progress, self.steps, self.done = progress, steps, 0
        self.now("")

    def now(self, what: str) -> None:
        if self.progress:
            self.progress(self.done, self.steps, what)

    def step(self, what: str) -> None:
        self.done += 1
        self.now(what)


class _Output:
    """The files a build streams into ``folder``: graph.nq, graph.ttl, tables/ and (with
    ``with_store``) the store, loaded on threads of its own as the quads go by. Each report's
    shared triples are written once, the first time a report gives them.

    Everything here is per report, never per triple: the worker serialised the chunk, and
    the shared triples are sorted and de-duplicated as whole lines by set operations (C)."""

    def __init__(self, folder: str, base: str, with_store: bool):
        os.makedirs(os.path.join(folder, TABLES_DIR))
        self.files = contextlib.ExitStack()
        self.nq = self.files.enter_context(open(os.path.join(folder, GRAPH_NQ), "wb"))
        self.ttl = self.files.enter_context(open(os.path.join(folder, GRAPH_TTL), "wb"))
        self.ttl.write(turtle_prefixes(PREFIXES).encode("utf-8"))
        self.tables = tables.TableWriters(os.path.join(folder, TABLES_DIR), self.files)
        self.store = StoreWriter(os.path.join(folder, STORE_DIR), lenient=True) if with_store else None
        self.shared_seen: set[str] = set()  # N-Quads lines of the shared triples written so far
        self.ids: dict[str, str] = {}

    def add(self, chunk: Chunk, result: BuildResult) -> None:
        if chunk.id in self.ids:
            raise KGError(f"two inputs give the same report id {chunk.id!r} (also {self.ids[chunk.id]})", chunk.path)
        self.ids[chunk.id] = chunk.path
        turtle = dict(zip(chunk.shared, chunk.shared_turtle))
        new = sorted(turtle.keys() - self.shared_seen)
        self.shared_seen.update(new)
        shared = "".join(new).encode("utf-8")
        self.nq.write(chunk.nquads)
        self.nq.write(shared)
        if self.store is not None:
            self.store.write(chunk.nquads, chunk.triple_count)
            self.store.write(shared, len(new))
        self.ttl.write(chunk.turtle)
        self.ttl.write("".join(map(turtle.__getitem__, new)).encode("utf-8"))
        for name, (columns, text) in chunk.tables.items():
            self.tables.write(name, columns, text)
        result.triple_count += chunk.triple_count + len(new)
        if chunk.summary.pop("cached", False):
            result.reused += 1
        result.reports.append(chunk.summary)

    def close(self) -> None:
        """The files are complete; the store finishes on its own thread (``store.wait()``)."""
        self.files.close()
        if self.store is not None:
            self.store.finish()

    def abort(self) -> None:
        self.files.close()
        if self.store is not None:
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
