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
        -> serialised in the worker: N-Quads, Turtle and CSV lines, as bytes (a Chunk)
    write every report's chunk into a new generation of OUT, the store loading beside on its own
    thread; then the promises table, the page, and the store's compaction; then switch OUT to it

Every input is read and checked before any work starts (:func:`check_inputs`). The work runs
in worker processes (``jobs``, one per core by default) or on a Dask cluster (kg.executors); the
main process only writes what they serialised, and never imports the stages. Peak memory is one
report per worker and a bounded store slice, whatever the size of the corpus. A rebuild reuses the chunks of
reports whose bytes (and the code and base IRI) are unchanged (kg.cache). OUT changes in one
rename at the end or not at all (kg.outdir).
"""
from __future__ import annotations

import contextlib
import functools
import io
import itertools
import logging
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from kg import cache as build_cache
from kg import executors, outdir, tables
from kg.errors import KGError
from kg.iri import DEFAULT_BASE, Minter, shared_graph
from kg.namespace import PREFIXES
from kg.outdir import CACHE_DIR, GRAPH_NQ, GRAPH_TTL, PAGE, STORE_DIR, TABLES_DIR
from kg.rdfterms import Triple, turtle_prefixes, turtle_statements, write_nquads, write_turtle
from kg.read import MAX_REPORT_BYTES, read_bytes, read_report, report_from_bytes
from kg.store import StoreWriter

# The stages (kg.segment, kg.link, kg.extract.goals, kg.emit) are imported by process(), where
# the per-report work runs: a build's main process, which only writes, never imports them.

log = logging.getLogger("kg.build")  # warnings about inputs: duplicates, skipped files (kg build prints them)


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
    tally: dict  # for the closing summary: rows of sections, targets, observations; entity IRI -> type
    picked: bytes  # the lines of ``nquads`` the closing steps read (_picked_predicates): the page's outline, promises
    shared_picked: list[bool]  # which of ``shared`` they read


@dataclass
class BuildResult:
    out: str
    base: str
    reports: list[dict] = field(default_factory=list)  # summary per report, in input order
    triple_count: int = 0
    reused: int = 0  # reports taken from the cache
    up_to_date: bool = False  # OUT already held this build: nothing was written
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why), with keep_going
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, the earlier path of the same bytes)
    counts: dict = field(default_factory=dict)  # sections, entities by type, targets, observations
    seconds: float = 0.0


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


def process(path: str, base: str = DEFAULT_BASE, max_bytes: Optional[int] = MAX_REPORT_BYTES,
            data: Optional[bytes] = None) -> ReportResult:
    """One report file -> its triples and table rows. A pure function of the file's content
    (``data``, the file's bytes, when they are already read: the file is then not opened)."""
    from kg import link
    from kg.emit import emit
    from kg.extract.goals import extract_goals
    from kg.segment import segment

    report = read_report(path, max_bytes=max_bytes) if data is None else report_from_bytes(data, path)
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
    nq, ttl, lines, picked = io.StringIO(), io.StringIO(), io.StringIO(), io.StringIO()
    write_nquads([(result.graph, own)], nq)
    write_turtle(own, ttl, PREFIXES, header=False)
    write_nquads([(shared_graph(base), shared)], lines)
    keep, keep_shared = _picked_predicates()
    write_nquads([(result.graph, [t for t in own if t[1] in keep])], picked)
    return Chunk(result.id, result.path, nq.getvalue().encode("utf-8"), ttl.getvalue().encode("utf-8"),
                 lines.getvalue().splitlines(keepends=True), turtle_statements(shared, PREFIXES),
                 tables.csv_text(result.tables), result.summary, len(own), _tally(result.tables),
                 picked.getvalue().encode("utf-8"), [t[1] in keep_shared for t in shared])


@functools.lru_cache(maxsize=1)
def _picked_predicates() -> tuple[frozenset[str], frozenset[str]]:
    """The predicates of the statements the closing steps read from the graph, as N-Triples
    terms: in a report's graph, the page's outline view's and the promises table's; in the
    shared graph, the promises table's (the outline's nodes are a report's own). The workers
    pick those lines out, so that the main process never scans graph.nq for them."""
    from kg.promises import graph_predicates
    from kg.viz.load import OUTLINE_PREDICATES

    promises = frozenset(f"<{p}>" for p in graph_predicates())
    return frozenset(f"<{p}>" for p in OUTLINE_PREDICATES) | promises, promises


def _tally(rows: dict[str, list[dict]]) -> dict:
    """What the closing summary counts of one report (kg.pipeline._Output.add adds them up)."""
    tally: dict = {name: len(rows.get(name, ())) for name in ("sections", "targets", "observations")}
    tally["entities"] = {str(r.get("id", "")): str(r.get("type", "")) for r in rows.get("entities", ())}
    return tally


def _work(args: tuple[str, str, Optional[str], Optional[str], Optional[str]]) -> Chunk:
    """Worker: path -> serialised chunk, from the cache entry ``key`` when there is one;
    a new chunk is saved into ``new_cache`` here, in the worker, in parallel."""
    path, base, key, cache_dir, new_cache = args
    if cache_dir and key:
        chunk = build_cache.load(cache_dir, key)
        if chunk is not None:
            chunk.summary["cached"] = True
            return chunk
    chunk = serialise(process(path, base, max_bytes=None), base)  # checked by check_inputs
    if new_cache and key:
        build_cache.save(new_cache, key, chunk)
    return chunk


def work_on_bytes(task: tuple[str, bytes, str]) -> Chunk:
    """Worker of a remote executor: (file name, the file's bytes, base IRI) -> serialised chunk.
    Pure: the same bytes give the same chunk on any machine."""
    path, data, base = task
    return serialise(process(path, base, max_bytes=None, data=data), base)  # checked by check_inputs


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


def _count(counts: dict, entities_seen: set[str], tally: dict) -> None:
    """What the closing summary tells: sections, targets and observations (results) per
    report added up; entities (each once, however many reports name it) by type. Whole
    sets at a time (C): no Python loop per entity."""
    for name in ("sections", "targets", "observations"):
        counts[name] = counts.get(name, 0) + tally.get(name, 0)
    types = tally.get("entities", {})
    new = types.keys() - entities_seen
    entities_seen.update(new)
    by_type = counts.setdefault("entities", {})
    for t, n in Counter(map(types.__getitem__, new)).items():
        by_type[t] = by_type.get(t, 0) + n


def _up_to_date(out: str, gen: Optional[str], key: str, viz: bool, with_store: bool = True) -> Optional[BuildResult]:
    """The last build into OUT (generation ``gen``), when it was made from exactly these
    inputs by this code and its outputs are all there: nothing needs writing again."""
    if gen is None:
        return None
    mark = build_cache.read_mark(os.path.join(gen, CACHE_DIR))
    names = tuple(n for n in _OUTPUTS if with_store or n != STORE_DIR) + ((PAGE,) if viz else ())
    if mark is None or mark["key"] != key or not outdir.intact(out, names):
        return None
    r = mark["result"]
    return BuildResult(out, r["base"], r["reports"], r["triple_count"], reused=len(r["reports"]), up_to_date=True,
                       counts=r.get("counts") if isinstance(r.get("counts"), dict) else {})


def check_base(base: str) -> None:
    """The base of minted IRIs must be an absolute IRI ending in ``/`` or ``#``, without
    characters an IRI cannot hold, so that every IRI minted from it is valid."""
    if not _BASE.match(base):
        raise KGError(f"--base must be an absolute IRI (scheme:…) ending in / or #, got {base!r}", "kg build")


_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f]*[/#]\Z")


def check_inputs(paths: list[str], result: BuildResult, keep_going: bool = False,
                 max_bytes: Optional[int] = MAX_REPORT_BYTES, code: Optional[str] = None) -> list[tuple[str, Optional[str]]]:
    """Every input read once and checked (kg.read: a regular file within ``max_bytes``, a
    text that reads as a report), before any work is done: (path, cache key or None) of
    the reports to build. A file of the same bytes as an earlier one is built once (a
    warning names both); two files that would give the same report id are an error.
    A bad file raises KGError, or with ``keep_going`` is listed in ``result.skipped``."""
    first_by_sha: dict[str, str] = {}
    by_id: dict[str, str] = {}
    kept: list[tuple[str, Optional[str]]] = []
    for path in paths:
        try:
            data = read_bytes(path, max_bytes)
            report = report_from_bytes(data, path, metadata=False)  # the checks; the workers read the rest
            if report.sha256 in first_by_sha:
                first = first_by_sha[report.sha256]
                result.duplicates.append((path, first))
                log.warning("%s: same content as %s; built once, as %s", path, first, _id_of(by_id, first))
                continue
            if report.id in by_id:
                raise KGError(f"gives the same report id {report.id!r} as {by_id[report.id]} (rename one of them)", path)
        except KGError as e:
            if not keep_going:
                raise
            result.skipped.append((path, e.message))
            log.warning("%s: skipped: %s", path, e.message)
            continue
        first_by_sha[report.sha256] = path
        by_id[report.id] = path
        kept.append((path, build_cache.report_key(path, code, data) if code else None))
    return kept


def _id_of(by_id: dict[str, str], path: str) -> str:
    return next((i for i, p in by_id.items() if p == path), path)


def build(
    inputs: list[str],
    out: str,
    base: str = DEFAULT_BASE,
    jobs: Optional[int] = None,
    cache: bool = True,
    after: Optional[list[Callable[[str, BuildResult], None]]] = None,
    viz: bool = True,
    with_store: bool = True,
    keep_going: bool = False,
    max_report_bytes: Optional[int] = MAX_REPORT_BYTES,
    executor: Optional[str] = None,
    progress: Optional[Callable[[int, int, str], None]] = None,
) -> BuildResult:
    """Build the graph of ``inputs`` into the folder ``out``; returns what was built.

    ``after`` callbacks run on the finished generation folder before it becomes OUT's
    (later stages write more files there: a store, the graph page …).
    ``viz`` adds, last, the one that writes ``graph.html`` (kg.viz.write_build_page).
    ``with_store=False`` leaves OUT/store/ out: the Oxigraph load is most of a large
    build's time, and users who load graph.nq into their own triple store do not need it;
    kg query then reads graph.nq. ``keep_going`` skips bad input files (listed in
    ``result.skipped``) instead of stopping; ``max_report_bytes`` bounds one report file.

    ``jobs`` worker processes do the per-report work (default: one per core, at most one per
    report; 0: this process); ``executor`` is where it runs: ``None`` or ``"local"`` (``jobs``
    processes here) or ``"dask://HOST:PORT"`` (a Dask cluster; kg.executors). ``progress`` is
    called with (steps done, steps in all, what is being done or was just done): first
    (0, steps, ""), then a step per report (its id), then one for the promises table
    ("promises"), one for each ``after`` callback and the page ("page"), and one for the
    store ("store"), each of these also called when it starts.

    All or nothing (kg.outdir): the build writes a new generation of OUT and switches to it
    in one rename once everything, the cache mark last, is written; on any error or kill
    OUT stays as it was. A second build into the same OUT meanwhile fails with KGError.
    """
    started = time.monotonic()
    check_base(base)
    executors.check_spec(executor)
    custom_hooks = bool(after)
    hooks = ([("promises", _write_promises)] + [(getattr(h, "__name__", "after"), h) for h in after or []]
             + ([("page", _write_page)] if viz else []))
    result = BuildResult(out, base)
    code = build_cache.code_key(base) if cache else None
    paths: list[str] = []
    for item in inputs:
        try:
            paths += expand_inputs([item])
        except KGError as e:
            if not keep_going:
                raise
            result.skipped.append((item, e.message))
            log.warning("%s: skipped: %s", item, e.message)
    todo = check_inputs(paths, result, keep_going, max_report_bytes, code)
    if not todo:
        raise KGError(f"nothing to build: all {len(result.skipped)} inputs skipped", out, code=1)
    paths = [p for p, _ in todo]
    keys = [k for _, k in todo if k] or None
    build_key = build_cache.build_key(keys, base, viz, with_store) if keys and not custom_hooks else None
    with outdir.Writer(out) as w:
        old = str(w.current) if w.current is not None else None
        if build_key:
            done = _up_to_date(out, old, build_key, viz, with_store)
            if done is not None:
                done.skipped, done.duplicates = result.skipped, result.duplicates
                done.seconds = time.monotonic() - started
                return done
        gen = w.new_generation()
        try:
            new_cache = os.path.join(gen, CACHE_DIR)
            os.makedirs(new_cache)
            # entries are read from the current generation's cache (none yet: the new, empty one)
            cache_dir = os.path.join(old or gen, CACHE_DIR) if cache else None
            _run(str(gen), paths, base, jobs, executor, cache_dir, new_cache, keys, with_store, viz, hooks,
                 _Progress(progress, len(paths) + len(hooks) + with_store), result)
            if cache_dir and cache_dir != new_cache and keys:
                for k in keys:  # entries reused from the old generation go on into the new one
                    build_cache.copy_entry(cache_dir, new_cache, k)
            result.counts["entities"] = dict(sorted(result.counts.get("entities", {}).items(),
                                                    key=lambda kv: (-kv[1], kv[0])))
            result.seconds = time.monotonic() - started
            if build_key:  # last: the mark says the generation is whole
                build_cache.write_mark(new_cache, build_key, {
                    "base": base, "reports": result.reports, "triple_count": result.triple_count,
                    "counts": result.counts})
            w.commit(gen)
        except OSError as e:
            w.abandon(gen)
            raise KGError(f"cannot write output ({e.strerror or e})", out) from None
        except BaseException:
            w.abandon(gen)
            raise
    return result


def _run(gen: str, paths: list[str], base: str, jobs: Optional[int], executor: Optional[str],
         cache_dir: Optional[str], new_cache: str, keys: Optional[list[str]], with_store: bool, viz: bool,
         hooks: list[tuple[str, Callable[[str, BuildResult], None]]], tell: "_Progress", result: BuildResult) -> None:
    """The build's middle, into the generation folder ``gen``: the reports' chunks written as
    they come (the store loading them on its thread), then the closing steps (``hooks``) while
    the store compacts, then the store's end."""
    todo = len(paths) if not (cache_dir and keys) else sum(not build_cache.has(cache_dir, k) for k in keys)
    # the workers start first (forked before any thread of this process), each loading the
    # stages' tables at once when there are reports to process
    runner = executors.executor(executor, _workers(jobs, len(paths)), functools.partial(build_cache.code_key, base),
                                warm_up=warm_up if todo else None)
    try:
        output = _Output(gen, base, with_store)  # the store opens and loads the ontology on its thread
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
                hook(gen, result)
                tell.step(name)
            os.remove(os.path.join(gen, PICKED_NQ))
            if output.store is not None:
                tell.now("store")
                output.store.wait()
                tell.step("store")
        except BaseException:
            output.abort()
            raise
    except BaseException:
        runner.abort()
        raise
    finally:
        runner.close()


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

    write_promises(folder, picked=os.path.join(folder, PICKED_NQ))  # OUT/tables/promises.csv: targets beside the results of later reports


def _write_page(folder: str, result: BuildResult) -> None:
    from kg.viz.page import write_build_page  # imported here: networkx and the page code only when drawn

    write_build_page(folder, result, outline=os.path.join(folder, PICKED_NQ))


PICKED_NQ = ".picked.nq"  # in the generation folder while the build runs: what the closing steps read


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
        self.entities_seen: set[str] = set()  # the entity IRIs counted so far, for the summary
        # the statements the closing steps read: promises, the page's outline (removed after them)
        self.picked = self.files.enter_context(open(os.path.join(folder, PICKED_NQ), "wb"))

    def add(self, chunk: Chunk, result: BuildResult) -> None:
        if chunk.id in self.ids:
            raise KGError(f"two inputs give the same report id {chunk.id!r} (also {self.ids[chunk.id]})", chunk.path)
        self.ids[chunk.id] = chunk.path
        turtle = dict(zip(chunk.shared, chunk.shared_turtle))
        picked = sorted(set(itertools.compress(chunk.shared, chunk.shared_picked)) - self.shared_seen)
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
        self.picked.write(chunk.picked)  # in graph.nq's order: the report's lines, then its new shared ones
        self.picked.write("".join(picked).encode("utf-8"))
        for name, (columns, text) in chunk.tables.items():
            self.tables.write(name, columns, text)
        result.triple_count += chunk.triple_count + len(new)
        _count(result.counts, self.entities_seen, chunk.tally)
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
