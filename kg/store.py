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

    Everything Oxigraph does happens on a thread of the writer's own (Oxigraph is Rust and
    releases the GIL, so it runs beside the Python work of the build): opening the store
    and loading the ontology at once, then one ``bulk_load`` per slice of ``slice_lines``
    statements as :meth:`write` hands them over (Oxigraph parses and indexes a slice on
    several threads when the machine has them), and, after :meth:`finish`, the last slice,
    the compaction and the rename into place. The caller waits for none of it until
    :meth:`wait`; at most one slice waits in memory beside the one being loaded, so a slow
    load holds the build back rather than filling memory. :meth:`abort` removes the store.
    A crash leaves either the old store or the new one, never half.

    Larger slices cost less CPU and more memory: slices of N statements hold about
    N x 1.2 KB in all (the one filling, the one loading and Oxigraph's working copy of it;
    docs/design.md has the measurements).
    """

    def __init__(self, dest: Path | str, lenient: bool = False, slice_lines: Optional[int] = None):
        """``dest`` is the store's folder (OUT/store); it is built beside it, then renamed.
        ``lenient`` skips Oxigraph's IRI and language-tag validation (about a tenth of
        the load's CPU): for the N-Quads kg build writes itself, whose IRIs kg.rdfterms.iri
        has already made safe, never for files from elsewhere."""
        import queue
        import threading

        self.final = Path(dest)
        self.lenient = lenient
        self.slice_lines = slice_lines or STORE_SLICE_LINES
        self.tmp = self.final.with_name(f".{self.final.name}.tmp-{os.getpid()}")
        shutil.rmtree(self.tmp, ignore_errors=True)
        self._buf: list[bytes] = []
        self._lines = 0
        self._error: Optional[BaseException] = None
        self._aborted = False
        self._queue: "queue.Queue[Optional[list[bytes]]]" = queue.Queue()
        self._free = threading.Semaphore(1)  # taken by a slice from its hand-over to the end of its load
        self._thread = threading.Thread(target=self._run, name="kg-store-loader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        store: Optional[ox.Store] = None
        ended = False  # the None that ends the queue was taken
        try:
            store = ox.Store(str(self.tmp))
            for p in _ontology_files():  # small: a transaction, not index files of its own to compact
                store.load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
            store.flush()  # now, beside the build, rather than at its end
            loaded = 0  # statements
            while True:
                parts = self._queue.get()
                if parts is None:
                    ended = True
                    break
                try:
                    if self._error is None:
                        data = b"".join(parts)
                        parts.clear()
                        store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS, lenient=self.lenient)
                        loaded += data.count(b"\n")
                        del data
                finally:
                    self._free.release()
            if self._error is None and not self._aborted:
                store.flush()
                if loaded > SMALL_STORE:  # a few reports' index files are small enough to query as they are
                    store.optimize()
                del store  # the last reference: closes RocksDB before the rename
                store = None
                (self.tmp / STORE_MARK).write_text(json.dumps(STORE_LAYOUT, indent=1) + "\n", encoding="utf-8")
                old = self.final.with_name(f".{self.final.name}.old-{os.getpid()}")
                if self.final.exists():
                    self.final.rename(old)
                self.tmp.rename(self.final)
                shutil.rmtree(old, ignore_errors=True)
        except (OSError, SyntaxError, ValueError) as e:
            store = None  # closes RocksDB, so that abort can remove its files
            self._error = e.with_traceback(None)
            while not ended:  # take what the build still sends, so it goes on to its end and fails there
                ended = self._queue.get() is None
                self._free.release()

    def write(self, nquads: bytes, lines: Optional[int] = None) -> None:
        """Queue N-Quads (whole lines, UTF-8) for loading."""
        if not nquads:
            return
        self._buf.append(nquads)
        self._lines += nquads.count(b"\n") if lines is None else lines
        if self._lines >= self.slice_lines:
            self._send()

    def _send(self) -> None:
        if self._buf:
            self._free.acquire()  # the slice before is loaded: two slices at most in memory
            self._queue.put(self._buf)
            self._buf, self._lines = [], 0

    def finish(self) -> None:
        """No more statements: the rest is loaded, compacted and moved into place on the
        writer's thread; :meth:`wait` for it."""
        self._send()
        self._queue.put(None)

    def wait(self) -> Path:
        """The store in place, once :meth:`finish`'s work is done."""
        self._thread.join()
        if self._error is not None:
            self.abort()
            shutil.rmtree(self.final, ignore_errors=True)  # a stale store must not outlive its graph.nq
            raise KGError(f"cannot write the store: {_one_line(self._error)}", where=str(self.final)) from None
        return self.final

    def close(self) -> Path:
        """Load what is left, compact, and move the store into place."""
        self.finish()
        return self.wait()

    def abort(self) -> None:
        """Drop the half-built store (the old one, if any, stays)."""
        if self._thread.is_alive():
            self._aborted = True
            self._error = self._error or OSError("aborted")
            self._buf = []
            self._queue.put(None)
            self._thread.join()
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
            with open(src, "rb") as f:
                while True:
                    lines = list(itertools.islice(f, BULK_LINES))
                    if not lines:
                        break
                    w.write(b"".join(lines), len(lines))
    except OSError as e:
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


BULK_LINES = 100_000  # statements per bulk_load call of a graph file loaded in memory
SMALL_STORE = 100_000  # statements up to which a build's store is not compacted (a few reports: ~0.1 s saved)
# Statements per bulk_load call while kg build streams into its store, per core: each call
# writes index files of its own, which RocksDB compacts as more arrive, so larger slices cost
# less CPU and more memory (about 1.2 KB a statement of a slice: measured in docs/design.md);
# Oxigraph parses and indexes a slice on half the cores, so slices grow with them.
STORE_SLICE_LINES = int(os.environ.get("KG_STORE_SLICE_LINES", "") or 150_000 * (os.cpu_count() or 1))


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
