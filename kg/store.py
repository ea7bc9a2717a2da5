"""The embedded triple store: Oxigraph (``pyoxigraph``), written, opened and loaded.

The engine was chosen by measurement against rdflib's in-memory store (see
``benchmarks/store.py`` and ``docs/store.md``). ``kg build`` leaves an on-disk Oxigraph
store in ``OUT/store/`` beside ``OUT/graph.nq`` (:class:`StoreWriter`); ``kg.open(OUT)``
opens it read-only (:func:`open_read_only`), or loads ``graph.nq`` (then ``graph.ttl``) into
memory (:func:`load_files`) when a build has no store. Queries run on it through kg.sparql.

Each report is a named graph whose IRI is the report IRI; what reports share
(entity, indicator and place nodes, the software agent) is described once in the
named graph ``<…/graph/shared>``; the ontology is the named graph
``kg.iri.ONTOLOGY_GRAPH`` (the ontology's IRI). ``kg build`` writes every triple into
exactly one of these graphs, so Oxigraph's union of the named graphs, which
:func:`kg.sparql.run` uses as the default graph, is the RDF merge (a set): ``SELECT ?s
WHERE { ?s a gr:Section }`` needs no ``GRAPH`` clause and ``GRAPH ?g { … }`` still tells
which report a fact came from. (The union is a multiset: a triple kept in ten graphs
would match ten times, multiplying joins and rows; that is why shared triples are not
repeated in each report's graph, nor the merge stored again as the default graph, which
doubled the store's load time; see docs/store.md.)
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Iterable, Optional, Sequence

import pyoxigraph as ox

from kg.errors import KGError
from kg.iri import ONTOLOGY_GRAPH

# A file kept inside OUT/store/ that says how the store was made: a store of another
# layout (an older build) is not trusted, and graph.nq is loaded instead.
STORE_MARK = "kg-store.json"
STORE_LAYOUT = {"layout": 3, "default_graph": "union of the named graphs (each triple is in one of them)",
                "ontology_graph": ONTOLOGY_GRAPH}

# --------------------------------------------------------------------------- open / save


class StoreWriter:
    """Builds ``OUT/store/`` while the build streams N-Quads into it.

    :meth:`write` takes each report's N-Quads text as it arrives; every
    ``BULK_LINES`` statements go to Oxigraph's bulk loader on a thread of their
    own (the loader is Rust and releases the GIL, so loading overlaps the Python
    work of the next reports), and at most two slices wait in memory. :meth:`close`
    adds the ontology, compacts, and renames the store into place; :meth:`abort`
    removes it. A crash leaves either the old store or the new one, never half.
    """

    def __init__(self, dest: Path | str, lenient: bool = False):
        """``dest`` is the store's folder (OUT/store); it is built beside it, then renamed.
        ``lenient`` skips Oxigraph's IRI and language-tag validation (about a tenth of
        the load's CPU): for the N-Quads kg build writes itself, whose IRIs kg.rdfterms.iri
        has already made safe, never for files from elsewhere."""
        import queue
        import threading

        self.final = Path(dest)
        self.lenient = lenient
        self.tmp = self.final.with_name(f".{self.final.name}.tmp-{os.getpid()}")
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.store: Optional[ox.Store] = ox.Store(str(self.tmp))
        self._buf: list[str] = []
        self._lines = 0
        self._error: Optional[BaseException] = None
        self._queue: "queue.Queue[Optional[bytes]]" = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._load, name="kg-store-loader", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        store = self.store
        assert store is not None  # the thread starts with the store and ends before close drops it
        while True:
            data = self._queue.get()
            if data is None:
                return
            if self._error is None:
                try:
                    store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS, lenient=self.lenient)
                except (OSError, SyntaxError, ValueError) as e:
                    self._error = e

    def write(self, nquads: str, lines: Optional[int] = None) -> None:
        """Queue N-Quads text (whole lines) for loading."""
        if not nquads:
            return
        self._buf.append(nquads)
        self._lines += nquads.count("\n") if lines is None else lines
        if self._lines >= BULK_LINES:
            self._send()

    def _send(self) -> None:
        if self._buf:
            self._queue.put("".join(self._buf).encode("utf-8"))
            self._buf, self._lines = [], 0

    def close(self) -> Path:
        """Load what is left and the ontology, then move the store into place."""
        old = self.final.with_name(f".{self.final.name}.old-{os.getpid()}")
        try:
            self._send()
            self._queue.put(None)
            self._thread.join()
            if self._error is not None:
                raise self._error
            store = self.store
            assert store is not None  # closed once
            for p in _ontology_files():
                store.bulk_load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
            store.flush()
            store.optimize()
            self.store = None
            del store  # the last reference: closes RocksDB before the rename
            (self.tmp / STORE_MARK).write_text(json.dumps(STORE_LAYOUT, indent=1) + "\n", encoding="utf-8")
            if self.final.exists():
                self.final.rename(old)
            self.tmp.rename(self.final)
        except (OSError, SyntaxError, ValueError) as e:
            self.abort()
            shutil.rmtree(self.final, ignore_errors=True)  # a stale store must not outlive its graph.nq
            raise KGError(f"cannot write the store: {_one_line(e)}", where=str(self.final)) from None
        finally:
            shutil.rmtree(old, ignore_errors=True)
        return self.final

    def abort(self) -> None:
        """Drop the half-built store (the old one, if any, stays)."""
        if self._thread.is_alive():
            self._error = self._error or OSError("aborted")
            self._buf = []
            self._queue.put(None)
            self._thread.join()
        self.store = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def save_store(dest: Path | str, sources: Sequence[Path | str]) -> Path:
    """Write the store folder ``dest`` from N-Quads ``sources`` (OUT/graph.nq) atomically.

    The files must keep each triple in one named graph, as ``kg build`` writes them
    (the default graph is their union). The ontology (ontology/*.ttl) goes in too,
    as its own named graph, so queries can read the labels of classes, measure
    types and comparators.
    """
    files = [Path(p) for p in sources]
    for src in files:
        if not src.is_file():
            raise KGError("no such file to load into the store", where=str(src))
        if rdf_format(src) != ox.RdfFormat.N_QUADS:
            raise KGError("the store is made from N-Quads (.nq)", where=str(src))
    w = StoreWriter(dest)
    try:
        for src in files:
            with open(src, encoding="utf-8") as f:
                while True:
                    lines = list(itertools.islice(f, BULK_LINES))
                    if not lines:
                        break
                    w.write("".join(lines), len(lines))
    except (OSError, UnicodeDecodeError) as e:
        w.abort()
        raise KGError(f"cannot write the store: {_one_line(e)}", where=str(dest)) from None
    return w.close()


def rdf_format(path: Path) -> ox.RdfFormat:
    """Oxigraph's format for an RDF file, by its extension."""
    ext = path.suffix.lower()
    fmt = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE,
           ".trig": ox.RdfFormat.TRIG}.get(ext)
    if fmt is None:
        raise KGError("unknown RDF file type (want .nq, .nt, .ttl or .trig)", where=str(path))
    return fmt


def open_read_only(path: Path | str) -> Optional[ox.Store]:
    """The store kept in the folder ``path``, read-only; None when it was made by a build of
    another layout (an older version), which is then not trusted, or when it cannot be opened
    (RocksDB finds it corrupt, a file is missing or unreadable): the caller then loads
    graph.nq, and a one-line warning on stderr says why."""
    path = Path(path)
    if not _layout_ok(path):
        return None
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as e:  # RocksDB's "Corruption: …" comes as RuntimeError
        sys.stderr.write(f"kg: warning: {path}: cannot open the store ({_one_line(e, 160)}); "
                         "reading the graph file instead\n")
        return None


def _layout_ok(path: Path) -> bool:
    try:
        return json.loads((path / STORE_MARK).read_text(encoding="utf-8")) == STORE_LAYOUT
    except (OSError, ValueError):
        return False


def _ontology_files() -> list[Path]:
    from kg.resources import ontology_files

    try:
        return [Path(p) for p in ontology_files("ontology")]
    except FileNotFoundError:
        return []


def _load_into(store: ox.Store, paths: Iterable[Path]) -> None:
    """For files loaded in memory (no store kept): named graphs as they are, the ontology
    as a named graph of its own, and the merge of them all (a set of triples, whatever
    the files repeat across graphs) as the default graph."""
    for p in map(Path, paths):
        fmt = rdf_format(p)
        if fmt == ox.RdfFormat.N_QUADS:  # line-based: load in slices so memory stays flat
            _bulk_load_lines(store, p, fmt)
        else:
            store.bulk_load(path=str(p), format=fmt)
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):  # streamed: memory stays flat
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(path=str(p), format=fmt))
    for p in _ontology_files():
        store.bulk_load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
        store.bulk_load(path=str(p), format=ox.RdfFormat.TURTLE)


BULK_LINES = 100_000  # statements per bulk_load call


def _bulk_load_lines(store: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    """bulk_load a line-based file in slices: Oxigraph's bulk loader holds a whole load in
    memory (measured: 1.07 M quads in one call peak at 990 MB, in slices of 100,000 at
    205 MB, for 35 % more time)."""
    with open(path, "rb") as f:
        while True:
            buf = b"".join(itertools.islice(f, BULK_LINES))
            if not buf:
                break
            store.bulk_load(input=buf, format=fmt)


def load_files(paths: Iterable[Path]) -> ox.Store:
    """A store in memory of RDF files (.nq, .nt, .ttl, .trig) and the ontology (see _load_into)."""
    store = ox.Store()
    for p in paths:
        try:
            _load_into(store, [p])
        except (OSError, SyntaxError, ValueError) as e:
            raise KGError(f"cannot load: {_one_line(e)}", where=str(p)) from None
    return store


def _one_line(e: BaseException, limit: int = 240) -> str:
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"
