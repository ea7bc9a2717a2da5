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
    stream every report's chunk into a new generation of OUT (and its store), then switch OUT to it

Every input is read and checked before any work starts (:func:`check_inputs`). Peak memory
is one report per worker, whatever the size of the corpus. A rebuild reuses the chunks of
reports whose bytes (and the code and base IRI) are unchanged (kg.cache). OUT changes in one
rename at the end or not at all (kg.outdir).
"""
from __future__ import annotations

import contextlib
import io
import itertools
import logging
import os
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from kg import cache as build_cache
from kg import link, outdir, tables
from kg.emit import emit
from kg.errors import KGError
from kg.extract.goals import extract_goals
from kg.iri import DEFAULT_BASE, Minter, shared_graph
from kg.namespace import PREFIXES
from kg.outdir import CACHE_DIR, GRAPH_NQ, GRAPH_TTL, PAGE, STORE_DIR, TABLES_DIR
from kg.rdfterms import Triple, turtle_prefixes, write_nquads, write_turtle
from kg.read import MAX_REPORT_BYTES, read_bytes, read_report, report_from_bytes
from kg.segment import segment
from kg.store import StoreWriter

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


def process(path: str, base: str = DEFAULT_BASE, max_bytes: Optional[int] = MAX_REPORT_BYTES) -> ReportResult:
    """One report file -> its triples and table rows. A pure function of the file's content."""
    report = read_report(path, max_bytes=max_bytes)
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
    chunk = serialise(process(path, base, max_bytes=None), base)  # checked by check_inputs
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


def _count(counts: dict, entity_types: dict[str, str], rows: dict[str, list[dict]]) -> None:
    """What the closing summary tells: sections, targets and observations (results) per
    report added up; entities (each once, however many reports name it) by type."""
    for name in ("sections", "targets", "observations"):
        counts[name] = counts.get(name, 0) + len(rows.get(name, ()))
    by_type = counts.setdefault("entities", {})
    for row in rows.get("entities", ()):
        iri = str(row.get("id", ""))
        if iri not in entity_types:
            t = entity_types[iri] = str(row.get("type", ""))
            by_type[t] = by_type.get(t, 0) + 1


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
            report = report_from_bytes(data, path)
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
    jobs: int = 1,
    cache: bool = True,
    after: Optional[list[Callable[[str, BuildResult], None]]] = None,
    viz: bool = True,
    with_store: bool = True,
    keep_going: bool = False,
    max_report_bytes: Optional[int] = MAX_REPORT_BYTES,
) -> BuildResult:
    """Build the graph of ``inputs`` into the folder ``out``; returns what was built.

    ``after`` callbacks run on the finished generation folder before it becomes OUT's
    (later stages write more files there: a store, the graph page …).
    ``viz`` adds, last, the one that writes ``graph.html`` (kg.viz.write_build_page).
    ``with_store=False`` leaves OUT/store/ out: the Oxigraph load is most of a large
    build's time, and users who load graph.nq into their own triple store do not need it;
    kg query then reads graph.nq. ``keep_going`` skips bad input files (listed in
    ``result.skipped``) instead of stopping; ``max_report_bytes`` bounds one report file.

    All or nothing (kg.outdir): the build writes a new generation of OUT and switches to it
    in one rename once everything, the cache mark last, is written; on any error or kill
    OUT stays as it was. A second build into the same OUT meanwhile fails with KGError.
    """
    started = time.monotonic()
    check_base(base)
    custom_hooks = bool(after)
    if viz:
        from kg.viz import write_build_page

        after = [*(after or []), write_build_page]
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
            with _Output(str(gen), base, with_store) as output:
                for chunk in _chunks(paths, base, jobs, cache_dir, new_cache, keys):
                    output.add(chunk, result)
            from kg.promises import write_promises

            write_promises(str(gen))  # OUT/tables/promises.csv: targets beside the results of later reports
            for hook in after or []:
                hook(str(gen), result)
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
        self.entity_types: dict[str, str] = {}  # entity IRI -> type, for the summary

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
        _count(result.counts, self.entity_types, chunk.tables)
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
