"""The pipeline: files -> reports -> outlines -> RDF files and tables in OUT/.

Read top to bottom::

    paths   = expand_inputs(inputs)            # files and folders of .txt reports
    for each path, in a process pool (--jobs):  # a pure function of the file's bytes
        report  = read_report(path)            # decode, check, metadata
        outline = segment(report)              # parts, sections, items, sentences …
        triples = emit_outline(outline, base)  # IRIs minted in emit.py
        -> N-Quads, Turtle and table rows, as text
    stream every report's chunk into temp files, then move them into OUT/

Peak memory is one report per worker, whatever the size of the corpus. A rebuild
reuses the chunks of reports whose bytes (and the code and base IRI) are unchanged,
from ``OUT/.cache/``. Any error aborts before OUT is touched.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import itertools
import json
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

import kg
from kg.emit import DEFAULT_BASE, Minter, emit_entities, emit_goals, emit_outline, shared_graph
from kg.extract.goals import extract as extract_goals
from kg.errors import KGError
from kg.model import Outline
from kg.namespace import PREFIXES
from kg.rdfterms import Triple, turtle_prefixes, write_nquads, write_turtle
from kg.read import read_report
from kg.segment import segment
from kg.store import STORE_DIR, StoreWriter

SECTION_COLUMNS = ["report", "level", "number", "title", "parent", "start", "end", "has_body",
                   "label", "kind", "id", "parent_id", "heading_start", "heading_end", "in_toc"]

ENTITY_COLUMNS = ["id", "report", "type", "name", "aliases", "mentions", "sections", "code"]
MENTION_COLUMNS = ["id", "report", "entity", "type", "surface", "start", "end", "sentence", "section"]

# name -> columns of OUT/tables/<name>.csv; stages add rows per report under these names.
# targets and observations (issue 4): values and units as written, then normalised columns
_FACT_EXTRA = ["measure", "value_max", "norm_value", "norm_max", "norm_unit", "unit_iri", "surface",
               "start", "end", "section_id", "sentence_id", "indicator_id"]
TARGET_COLUMNS = ["id", "report", "section", "indicator", "comparator", "value", "unit", "year", "text",
                  "hedge", "goal", "goal_id"] + _FACT_EXTRA
OBSERVATION_COLUMNS = ["id", "report", "section", "indicator", "value", "unit", "year", "text",
                       "comparator"] + _FACT_EXTRA
TABLES: dict[str, list[str]] = {"sections": SECTION_COLUMNS, "entities": ENTITY_COLUMNS, "mentions": MENTION_COLUMNS,
                                "targets": TARGET_COLUMNS, "observations": OBSERVATION_COLUMNS}


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
    outline: list[Triple]  # what the outline view of a large build's page needs (kg.viz)
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
    outline: list[Triple] = field(default_factory=list)  # every report's outline (kg.viz.outline_subset)
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


def process(path: str, base: str = DEFAULT_BASE) -> tuple[Outline, ReportResult]:
    """One report file -> (outline, result). A pure function of the file's content."""
    from kg import link

    report = read_report(path)
    outline = segment(report)
    stage = link.run(outline)  # entities (issue 3)
    goals = extract_goals(report, outline)  # targets and observations (issue 4)
    m = Minter(base, report.id)
    # targets and observations concern the entities mentioned in their sentence
    mentions = [(x.mention.start, x.mention.end, m.entity(link.entity_key(x.mention.type, x.mention.name)))
                for x in stage.mentions]
    triples = emit_outline(outline, base) + emit_entities(outline, stage, base) + emit_goals(outline, goals, base, mentions)
    result = ReportResult(report.id, report.path, m.report(), triples)
    result.tables["sections"] = list(section_rows(outline, base))
    result.tables["entities"] = list(entity_rows(outline, stage, base))
    result.tables["mentions"] = list(mention_rows(outline, stage, base))
    result.tables["targets"] = list(fact_rows(outline, goals, base, "target"))
    result.tables["observations"] = list(fact_rows(outline, goals, base, "observation"))
    result.summary = {
        "id": report.id, "path": report.path, "title": report.title, "issuer": report.issuer,
        "level": report.level, "year": report.year, "chars": len(report.text), "sha256": report.sha256,
    }
    result.triples = list(dict.fromkeys(result.triples))
    return outline, result


def serialise(result: ReportResult, base: str = DEFAULT_BASE) -> Chunk:
    own, shared = Minter(base, result.id).split(result.triples)
    nq, ttl = io.StringIO(), io.StringIO()
    write_nquads([(result.graph, own)], nq)
    write_turtle(own, ttl, PREFIXES, header=False)
    from kg.viz import outline_subset

    return Chunk(result.id, result.path, nq.getvalue(), ttl.getvalue(), shared, outline_subset(own),
                 result.tables, result.summary, len(own))


def _work(args: tuple[str, str, Optional[str], Optional[str], Optional[str]]) -> Chunk:
    """Worker: path -> serialised chunk, from the cache entry ``key`` when there is one;
    a new chunk is saved into ``new_cache`` here, in the worker, in parallel."""
    path, base, key, cache_dir, new_cache = args
    if cache_dir and key:
        try:
            with open(os.path.join(cache_dir, key + ".pickle"), "rb") as f:
                chunk = pickle.load(f)
            chunk.summary["cached"] = True
            return chunk
        except (OSError, pickle.PickleError, EOFError, AttributeError):
            pass
    _, result = process(path, base)
    chunk = serialise(result, base)
    if new_cache and key:
        _save_cache(new_cache, key, chunk)
    return chunk


def _cache_key(path: str, code_key: str) -> str:
    """A report's cache entry: its bytes, its file name (the report id) and the code."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read() + f"|{os.path.basename(path)}|{code_key}".encode()).hexdigest()


BUILD_MARK = "build.json"  # in OUT/.cache: what the last build was made from, and its summary
_OUTPUTS = ("graph.nq", "graph.ttl", STORE_DIR, "tables")


def _build_key(keys: list[str], base: str, viz: bool, with_store: bool = True) -> str:
    return hashlib.sha256(json.dumps([keys, base, viz] + ([] if with_store else ["no-store"])).encode()).hexdigest()


def _up_to_date(out: str, key: str, viz: bool, with_store: bool = True) -> Optional[BuildResult]:
    """The last build into OUT, when it was made from exactly these inputs by this code
    and its outputs are all there: nothing needs writing again."""
    try:
        with open(os.path.join(out, ".cache", BUILD_MARK), encoding="utf-8") as f:
            mark = json.load(f)
    except (OSError, ValueError):
        return None
    names = tuple(n for n in _OUTPUTS if with_store or n != STORE_DIR) + (("graph.html",) if viz else ())
    if mark.get("key") != key or not all(os.path.exists(os.path.join(out, n)) for n in names):
        return None
    r = mark["result"]
    return BuildResult(out, r["base"], r["reports"], r["triple_count"], reused=len(r["reports"]), up_to_date=True)


def _code_key(base: str) -> str:
    """Changes when the package's code or data or the base IRI changes."""
    h = hashlib.sha256(f"{kg.__version__}|{base}".encode())
    root = os.path.dirname(os.path.abspath(kg.__file__))
    for d, dirs, names in sorted(os.walk(root)):
        dirs.sort()
        for n in sorted(names):
            if n.endswith((".py", ".tsv", ".json", ".txt", ".csv")):
                with open(os.path.join(d, n), "rb") as f:
                    h.update(n.encode() + f.read())
    return h.hexdigest()


def _chunks(paths: list[str], base: str, jobs: int, cache_dir: Optional[str],
            new_cache: Optional[str] = None, keys: Optional[list[str]] = None) -> Iterator[Chunk]:
    """Each report's chunk, in input order; ``keys`` are their cache entries (with ``cache_dir``)."""
    keys = keys or [None] * len(paths)
    args = [(p, base, k, cache_dir, new_cache if cache_dir else None) for p, k in zip(paths, keys)]
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
    cache_dir = os.path.join(out, ".cache") if cache else None
    keys = None
    if cache:  # each report's cache entry, hashed once here for the workers and the build's mark
        code_key = _code_key(base)
        keys = [_cache_key(p, code_key) for p in paths]
    build_key = _build_key(keys, base, viz, with_store) if keys and not custom_hooks else None
    if build_key:
        done = _up_to_date(out, build_key, viz, with_store)
        if done is not None:
            return done
    result = BuildResult(out, base)
    tmp = tempfile.mkdtemp(dir=out, prefix=".kg-build-")
    store: Optional[StoreWriter] = None
    try:
        os.makedirs(os.path.join(tmp, "tables"))
        new_cache = os.path.join(tmp, ".cache")  # moved into OUT/.cache with the rest
        os.makedirs(new_cache)
        seen: dict[str, str] = {}
        shared_seen: set[Triple] = set()
        shared_graph_iri = shared_graph(base)
        if with_store:  # OUT/store/, loaded as the quads stream by (on its own thread)
            store = StoreWriter(tmp, lenient=True)
        with contextlib.ExitStack() as files:
            nq = files.enter_context(open(os.path.join(tmp, "graph.nq"), "w", encoding="utf-8"))
            ttl = files.enter_context(open(os.path.join(tmp, "graph.ttl"), "w", encoding="utf-8"))
            ttl.write(turtle_prefixes(PREFIXES))
            tables = _TableWriters(os.path.join(tmp, "tables"), files)
            for chunk in _chunks(paths, base, jobs, cache_dir, new_cache, keys):
                if chunk.id in seen:
                    raise KGError(f"two inputs give the same report id {chunk.id!r} (also {seen[chunk.id]})", chunk.path)
                seen[chunk.id] = chunk.path
                new = [t for t in dict.fromkeys(chunk.shared) if t not in shared_seen]
                shared_seen.update(new)
                quads = io.StringIO()
                quads.write(chunk.nquads)
                write_nquads([(shared_graph_iri, new)], quads)
                text = quads.getvalue()
                nq.write(text)
                if store is not None:
                    store.write(text)
                ttl.write(chunk.turtle)
                write_turtle(new, ttl, PREFIXES, header=False)
                for name, table_rows in chunk.tables.items():
                    tables.write(name, table_rows)
                result.triple_count += chunk.triple_count + len(new)
                result.outline.extend(chunk.outline)
                if chunk.summary.pop("cached", False):
                    result.reused += 1
                result.reports.append(chunk.summary)
        store, writer = None, store
        if writer is not None:
            writer.close()  # OUT/store/ ready, so later queries need not re-parse graph.nq
        from kg.promises import write_promises

        write_promises(tmp)  # OUT/tables/promises.csv: targets beside the results of later reports
        for hook in after or []:
            hook(tmp, result)
        if build_key:
            with open(os.path.join(new_cache, BUILD_MARK), "w", encoding="utf-8") as f:
                json.dump({"key": build_key, "result": {"base": base, "reports": result.reports,
                                                        "triple_count": result.triple_count}}, f)
        if not with_store:  # an older store would answer for a graph that is no longer there
            shutil.rmtree(os.path.join(out, STORE_DIR), ignore_errors=True)
        _commit(tmp, out, keep=set(keys) if keys else None)
        if not build_key:  # OUT no longer holds what an older mark describes
            with contextlib.suppress(OSError):
                os.remove(os.path.join(out, ".cache", BUILD_MARK))
    except OSError as e:
        raise KGError(f"cannot write output ({e.strerror or e})", out) from None
    finally:
        if store is not None:
            store.abort()
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def _save_cache(cache_dir: str, key: str, chunk: Chunk) -> None:
    tmp = os.path.join(cache_dir, f".{key}.tmp")
    try:
        with open(tmp, "wb") as f:
            pickle.dump(chunk, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, os.path.join(cache_dir, key + ".pickle"))
    except OSError:
        pass  # the cache is an optimisation; failing to save it costs a rebuild, nothing else


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
    """Everything is written: move it into OUT, file by file (folders replaced whole).

    New cache entries join the old ones; with ``keep`` (the cache keys of this build's
    reports), entries of other inputs or of older code are removed, so OUT/.cache holds
    what the graph in OUT was built from and does not grow with every edit."""
    for name in sorted(os.listdir(tmp)):
        src, dest = os.path.join(tmp, name), os.path.join(out, name)
        if name == ".cache":
            os.makedirs(dest, exist_ok=True)
            for n in os.listdir(src):
                os.replace(os.path.join(src, n), os.path.join(dest, n))
            if keep is not None:
                for n in os.listdir(dest):
                    if n.endswith(".pickle") and n[: -len(".pickle")] not in keep:
                        with contextlib.suppress(OSError):
                            os.remove(os.path.join(dest, n))
            continue
        if os.path.isdir(src) and name != "tables":
            if os.path.isdir(dest):
                shutil.rmtree(dest)
            os.replace(src, dest)
            continue
        if os.path.isdir(src):
            os.makedirs(dest, exist_ok=True)
            for n in sorted(os.listdir(src)):
                os.replace(os.path.join(src, n), os.path.join(dest, n))
        else:
            os.replace(src, dest)


class _TableWriters:
    """OUT/tables/<name>.csv, rows written as each report's chunk arrives (nothing held)."""

    def __init__(self, folder: str, files: contextlib.ExitStack):
        self.folder, self.files = folder, files
        self.writers: dict[str, csv.DictWriter] = {}
        for name, columns in TABLES.items():  # every known table gets its header, rows or not
            self._open(name, columns)

    def _open(self, name: str, columns: list[str]) -> csv.DictWriter:
        f = self.files.enter_context(open(os.path.join(self.folder, name + ".csv"), "w", encoding="utf-8", newline=""))
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        self.writers[name] = w
        return w

    def write(self, name: str, rows: list[dict]) -> None:
        w = self.writers.get(name)
        if w is None:
            if not rows:
                return
            w = self._open(name, sorted(rows[0]))
        w.writerows(rows)


def section_rows(o: Outline, base: str):
    """Rows of tables/sections.csv: every part, section and item of a report."""
    m = Minter(base, o.report.id)
    labels = {s.path: s.label for s in o.sections}
    for s in o.sections:
        if s.level not in ("part", "section", "item"):
            continue
        yield {
            "report": o.report.id,
            "level": s.level,
            "number": s.number,
            "title": s.title,
            "parent": labels.get(s.path[:-1], ""),
            "start": "" if s.start is None else s.start,
            "end": "" if s.end is None else s.end,
            "has_body": "true" if s.has_body else "false",
            "label": s.label,
            "kind": s.kind,
            "id": m.section(s.path)[1:-1],
            "parent_id": m.section(s.path[:-1])[1:-1],
            "heading_start": s.heading.start if s.heading else "",
            "heading_end": s.heading.end if s.heading else "",
            "in_toc": "true" if s.toc else "false",
        }


def fact_rows(o: Outline, goals, base: str, kind: str):
    """Rows of tables/targets.csv or tables/observations.csv for one report (issue 4)."""
    m = Minter(base, o.report.id)
    labels = {s.path: s.label for s in o.sections}
    goal_labels = {g.id: g.label for g in goals.goals}
    facts = goals.targets if kind == "target" else goals.observations
    for k, f in enumerate(facts):
        node = m.target(k) if kind == "target" else m.observation(k)
        row = {
            "id": node[1:-1], "report": o.report.id, "section": labels.get(f.section, ""),
            "indicator": f.indicator, "comparator": f.comparator if f.measure != "qualitative" else "",
            "value": f.value, "unit": f.unit, "year": f.year or "",
            "text": o.report.text[f.clause_start:f.clause_end],
            "measure": f.measure, "value_max": f.value_max, "norm_value": f.norm_value, "norm_max": f.norm_max,
            "norm_unit": f.norm_unit, "unit_iri": f.unit_iri or "", "surface": f.surface,
            "start": f.start, "end": f.end, "section_id": m.section(f.section)[1:-1],
            "sentence_id": m.sentence(f.sentence)[1:-1] if f.sentence >= 0 else "",
            "indicator_id": m.indicator(f.indicator_key)[1:-1] if f.indicator else "",
        }
        if kind == "target":
            row["hedge"] = f.hedge
            row["goal"] = goal_labels.get(f.goal, "") if f.goal else ""
            row["goal_id"] = m.goal(f.goal)[1:-1] if f.goal else ""
        yield row
# --- entities (issue 3)
def entity_rows(o: Outline, stage, base: str):
    """Rows of tables/entities.csv: one per entity per report; aliases and sections |-separated."""
    m = Minter(base, o.report.id)
    labels = {s.path: s.label for s in o.sections}
    for e in stage.entities:
        yield {
            "id": m.entity(e.key)[1:-1],
            "report": o.report.id,
            "type": e.type,
            "name": e.name,
            "aliases": "|".join(e.aliases),
            "mentions": len(e.mentions),
            "sections": "|".join(labels.get(p, "") for p in e.sections if p),
            "code": e.code,
        }


def mention_rows(o: Outline, stage, base: str):
    """Rows of tables/mentions.csv: every mention with its exact offsets (what `kg eval` scores)."""
    from kg.link import entity_key

    m = Minter(base, o.report.id)
    labels = {s.path: s.label for s in o.sections}
    for k, x in enumerate(stage.mentions):
        mm = x.mention
        yield {
            "id": m.mention(k)[1:-1],
            "report": o.report.id,
            "entity": m.entity(entity_key(mm.type, mm.name))[1:-1],
            "type": mm.type,
            "surface": mm.surface,
            "start": mm.start,
            "end": mm.end,
            "sentence": "" if x.sentence is None else x.sentence + 1,
            "section": labels.get(x.section, ""),
        }
