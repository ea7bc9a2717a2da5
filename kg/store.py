"""The embedded SPARQL store: open, save, query and serialize results.

The default engine is Oxigraph (``pyoxigraph``), chosen by measurement against
rdflib's in-memory store (see ``benchmarks/store.py`` and ``docs/store.md``).
``kg build`` leaves an on-disk Oxigraph store in ``OUT/store/`` beside
``OUT/graph.nq``; :func:`open_store` opens it read-only, or loads ``graph.nq``
(then ``graph.ttl``) into memory when an older build has no store.

Each report is a named graph whose IRI is the report IRI; what reports share
(entity, indicator and place nodes, the software agent) is described once in the
named graph ``<…/graph/shared>``; the ontology is the named graph
``kg.iri.ONTOLOGY_GRAPH`` (the ontology's IRI). ``kg build`` writes every triple into
exactly one of these graphs, so Oxigraph's union of the named graphs, which
:func:`run` uses as the default graph, is the RDF merge (a set): ``SELECT ?s WHERE
{ ?s a gr:Section }`` needs no ``GRAPH`` clause and ``GRAPH ?g { … }`` still tells
which report a fact came from. (The union is a multiset: a triple kept in ten
graphs would match ten times, multiplying joins and rows; that is why shared
triples are not repeated in each report's graph. Layout 2 stored the merge a
second time as the default graph instead, which doubled the store's load time.)

Saved queries live in ``kg/queries/*.rq``. The first line is a comment with the
question the query answers; parameters are declared in the header as
``# @param NAME KIND description`` and bound as a ``VALUES ?NAME { term }`` block
opening the outermost WHERE group, the term written by Oxigraph's N-Triples
serializer, so a value such as ``二(一)" } ; DROP ALL #`` is only ever a literal.
The same text then runs on any SPARQL 1.1 engine (rdflib, Virtuoso).
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from kg.errors import KGError
from kg.iri import ONTOLOGY_GRAPH
from kg.namespace import OWL_NS
from kg.namespace import PREFIXES as NS_PREFIXES

STORE_DIR = "store"
# A file kept inside OUT/store/ that says how the store was made: a store of another
# layout (an older build) is not trusted, and graph.nq is loaded instead.
STORE_MARK = "kg-store.json"
STORE_LAYOUT = {"layout": 3, "default_graph": "union of the named graphs (each triple is in one of them)",
                "ontology_graph": ONTOLOGY_GRAPH}
QUERY_DIR = Path(__file__).with_name("queries")
XSD = NS_PREFIXES["xsd"]

# Prefixes every query may use without declaring them, and that the table
# format uses to shorten IRIs: the build's own (kg.namespace), plus owl.
PREFIXES = {**NS_PREFIXES, "owl": OWL_NS}

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples")


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

    def __init__(self, out: Path | str, lenient: bool = False):
        """``lenient`` skips Oxigraph's IRI and language-tag validation (about a tenth of
        the load's CPU): for the N-Quads kg build writes itself, whose IRIs kg.rdfterms.iri
        has already made safe, never for files from elsewhere."""
        import queue
        import threading

        self.out = Path(out)
        self.lenient = lenient
        self.final = self.out / STORE_DIR
        self.tmp = self.out / f".{STORE_DIR}.tmp-{os.getpid()}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.store: Optional[ox.Store] = ox.Store(str(self.tmp))
        self._buf: list[str] = []
        self._lines = 0
        self._error: Optional[BaseException] = None
        self._queue: "queue.Queue[Optional[bytes]]" = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._load, name="kg-store-loader", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                return
            if self._error is None:
                try:
                    self.store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS, lenient=self.lenient)
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
        old = self.out / f".{STORE_DIR}.old-{os.getpid()}"
        try:
            self._send()
            self._queue.put(None)
            self._thread.join()
            if self._error is not None:
                raise self._error
            for p in _ontology_files():
                self.store.bulk_load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
            self.store.flush()
            self.store.optimize()
            self.store = None  # closes RocksDB before the rename
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


def save_store(out: Path, sources: Sequence[Path] | None = None) -> Path:
    """Write ``OUT/store/`` from ``OUT/graph.nq`` (or other N-Quads *sources*) atomically.

    The files must keep each triple in one named graph, as ``kg build`` writes them
    (the default graph is their union). The ontology (ontology/*.ttl) goes in too,
    as its own named graph, so queries can read the labels of classes, measure
    types and comparators.
    """
    out = Path(out)
    if sources is None:
        sources = [out / "graph.nq"]
    for src in sources:
        if not src.is_file():
            raise KGError("no such file to load into the store", where=str(src))
        if _rdf_format(src) != ox.RdfFormat.N_QUADS:
            raise KGError("the store is made from N-Quads (.nq)", where=str(src))
    w = StoreWriter(out)
    try:
        for src in sources:
            with open(src, encoding="utf-8") as f:
                while True:
                    lines = list(itertools.islice(f, BULK_LINES))
                    if not lines:
                        break
                    w.write("".join(lines), len(lines))
    except (OSError, UnicodeDecodeError) as e:
        w.abort()
        raise KGError(f"cannot write the store: {_one_line(e)}", where=str(out / STORE_DIR)) from None
    return w.close()


def _rdf_format(path: Path) -> ox.RdfFormat:
    ext = path.suffix.lower()
    fmt = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE,
           ".trig": ox.RdfFormat.TRIG}.get(ext)
    if fmt is None:
        raise KGError("unknown RDF file type (want .nq, .nt, .ttl or .trig)", where=str(path))
    return fmt


def open_store(out: Path | str) -> ox.Store:
    """Open the graph of a build directory for querying (read-only).

    *out* may also be a single ``.nq``/``.ttl``/``.nt``/``.trig`` file.
    """
    out = Path(out)
    if not out.exists():
        raise KGError("no such build directory (run `kg build` first)", where=str(out))
    if out.is_file():
        return _load_files([out])
    if (out / STORE_DIR).is_dir() and _layout_ok(out / STORE_DIR):
        try:
            return ox.Store.read_only(str(out / STORE_DIR))
        except OSError as e:
            raise KGError(f"cannot open the store: {_one_line(e)}", where=str(out / STORE_DIR)) from None
    for name in ("graph.nq", "graph.ttl"):
        if (out / name).is_file():
            return _load_files([out / name])
    raise KGError("no store, graph.nq or graph.ttl here (run `kg build` first)", where=str(out))


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
        fmt = _rdf_format(p)
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


def _load_files(paths: Iterable[Path]) -> ox.Store:
    store = ox.Store()
    for p in paths:
        try:
            _load_into(store, [p])
        except (OSError, SyntaxError, ValueError) as e:
            raise KGError(f"cannot load: {_one_line(e)}", where=str(p)) from None
    return store


# --------------------------------------------------------------------------- saved queries


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # literal | zh | iri | integer
    help: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    question: str
    text: str
    params: tuple[Param, ...] = ()
    path: Optional[Path] = None


PARAM_KINDS = ("literal", "zh", "iri", "integer")
_PARAM_LINE = re.compile(r"^#\s*@param\s+(\w+)\s+(\w+)\s*(.*)$")


def parse_saved(text: str, name: str, path: Path | None = None) -> SavedQuery:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#") or not lines[0].lstrip("# ").strip():
        raise KGError("a saved query must start with a comment saying the question it answers",
                      where=str(path or name))
    question = lines[0].lstrip("#").strip()
    params = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        m = _PARAM_LINE.match(line)
        if m:
            pname, kind, helptext = m.groups()
            if kind not in PARAM_KINDS:
                raise KGError(f"parameter {pname}: unknown kind {kind!r} (want {', '.join(PARAM_KINDS)})",
                              where=str(path or name))
            params.append(Param(pname, kind, helptext.strip()))
    return SavedQuery(name, question, text, tuple(params), path)


def saved_queries(directory: Path = QUERY_DIR) -> dict[str, SavedQuery]:
    """All saved queries by name (file stem), sorted by name."""
    return {p.stem: parse_saved(p.read_text(encoding="utf-8"), p.stem, p)
            for p in sorted(Path(directory).glob("*.rq"))}


_KEYWORD_START = re.compile(r"\s*(#[^\n]*\n\s*)*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def resolve_query(query: str, directory: Path = QUERY_DIR) -> SavedQuery:
    """QUERY as given on the command line: SPARQL text, a ``.rq`` file or a saved query's name."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", query):
        saved = saved_queries(directory)
        if query in saved:
            return saved[query]
        raise KGError(f"no saved query named {query!r} (see `kg query OUT --list`)", where=query)
    if query.endswith(".rq") and "\n" not in query and "{" not in query:
        p = Path(query)
        if not p.is_file():
            raise KGError("no such query file", where=query)
        text = p.read_text(encoding="utf-8")
        if text.startswith("#"):
            return parse_saved(text, p.stem, p)
        return SavedQuery(p.stem, "", text, (), p)
    return SavedQuery("", "", query)


def bind(saved: SavedQuery, values: dict[str, str]) -> dict[ox.Variable, object]:
    """Turn ``--param name=value`` pairs into typed RDF terms for substitution.

    For a saved query each name must be declared and is typed by its kind; for
    ad-hoc SPARQL the value's own syntax says its type: ``<iri>``, ``prefix:local``
    for a known prefix, an integer, else a plain string literal.
    """
    declared = {p.name: p for p in saved.params}
    out: dict[ox.Variable, object] = {}
    for name, value in values.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise KGError(f"bad parameter name {name!r}", where="--param")
        if saved.params or saved.path:
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise KGError(f"query {saved.name or saved.path} has no parameter {name!r} (known: {known})",
                              where="--param")
            kind = declared[name].kind
        else:
            kind = guess_kind(value)
        out[ox.Variable(name)] = make_term(name, kind, value, saved.text)
    return out


def guess_kind(value: str) -> str:
    if value.startswith("<") and value.endswith(">"):
        return "iri"
    if re.fullmatch(r"[A-Za-z][\w-]*:[\w-]*", value) and value.split(":")[0] in PREFIXES:
        return "iri"
    if re.fullmatch(r"-?\d+", value):
        return "integer"
    return "literal"


_IRI_OK = re.compile(r'^[^\x00-\x20<>"{}|^`\\]+$')


def make_term(name: str, kind: str, value: str, query_text: str):
    if kind == "literal":
        return ox.Literal(value)
    if kind == "zh":
        return ox.Literal(value, language="zh")
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise KGError(f"parameter {name} wants an integer, got {value!r}", where="--param")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    # iri: <full>, prefix:local (query's PREFIX or the defaults), or a full IRI
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    else:
        m = re.fullmatch(r"([A-Za-z][\w-]*)?:([^\s]*)", v)
        if m and not v.startswith(("http:", "https:", "urn:")):
            prefixes = dict(PREFIXES)
            prefixes.update(dict(re.findall(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", query_text, re.I)))
            if (m.group(1) or "") not in prefixes:
                raise KGError(f"parameter {name}: unknown prefix in {value!r}", where="--param")
            v = prefixes[m.group(1) or ""] + m.group(2)
    if not _IRI_OK.match(v) or ":" not in v:
        raise KGError(f"parameter {name} wants an IRI, got {value!r}", where="--param")
    return ox.NamedNode(v)


# --------------------------------------------------------------------------- read-only check

_LEX = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*',
    re.S,
)
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


class ReadOnlyError(KGError):
    """A request to change the store, or to reach another server, refused."""


def strip_sparql(text: str) -> str:
    """The query with comments, strings and IRIs blanked to spaces, same length:
    what remains are keywords, variables, names and punctuation at their offsets."""
    return _LEX.sub(lambda m: " " * len(m.group()), text)


def inject_values(text: str, bindings: dict) -> str:
    """Bind parameters by a ``VALUES`` block opening the query's outermost WHERE group.

    Each value is one RDF term written by Oxigraph's own N-Triples serializer
    (quotes and backslashes escaped), so a parameter can never add query text.
    The block joins first, so FILTERs of that group see the bound values.
    """
    if not bindings:
        return text
    bare = strip_sparql(text)
    words = list(re.finditer(r"(?<![?$:\w])[A-Za-z]+(?![\w:])", bare))
    form = next((m for m in words if m.group().upper() not in ("PREFIX", "BASE")), None)
    if form is None or form.group().upper() not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        raise KGError("parameters need a SELECT, ASK, CONSTRUCT or DESCRIBE query", where="--param")
    start = form.end()
    if form.group().upper() == "CONSTRUCT":
        if re.match(r"\s*WHERE\b", bare[start:], re.I):
            raise KGError("parameters need CONSTRUCT { … } WHERE { … }, not the short form", where="--param")
        where = next((m for m in words if m.start() > start and m.group().upper() == "WHERE"), None)
        start = where.end() if where else bare.find("}", start) + 1
    brace = bare.find("{", start)
    if brace < 0:
        raise KGError("parameters need a query with a WHERE { … } group", where="--param")
    block = "".join(f" VALUES ?{var.value} {{ {term} }}" for var, term in bindings.items())
    return text[: brace + 1] + block + "\n" + text[brace + 1:]


def check_read_only(text: str) -> str:
    """Refuse SPARQL Update, LOAD and SERVICE; return the query form (SELECT, ASK …)."""
    bare = strip_sparql(text)
    words = re.findall(r"(?<![?$:\w])[A-Za-z]+(?![\w:])", bare)
    form = next((w.upper() for w in words if w.upper() not in ("PREFIX", "BASE")), "")
    if form in UPDATE_KEYWORDS:
        raise ReadOnlyError(f"{form} refused: this store is read-only (SPARQL Update is not accepted)",
                            where="query")
    if any(w.upper() == "SERVICE" for w in words):
        raise ReadOnlyError("SERVICE refused: federated queries to other endpoints are not allowed",
                            where="query")
    return form


# --------------------------------------------------------------------------- run


@dataclass
class Result:
    kind: str  # select | ask | graph
    variables: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    boolean: Optional[bool] = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False


def run(store: ox.Store, text: str, substitutions: dict | None = None,
        max_rows: int | None = None, default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = ()) -> Result:
    """Run a read-only query; at most *max_rows* rows or triples are kept.

    The default graph is the merge of all report graphs unless *default_graphs*
    names some (the protocol's ``default-graph-uri``); *named_graphs* limits
    what ``GRAPH`` sees (``named-graph-uri``).
    """
    check_read_only(text)
    text = inject_values(text, substitutions or {})
    try:
        res = store.query(text, **query_options(store, default_graphs, named_graphs))
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows, truncated = [], False
            for sol in res:
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([sol[i] for i in range(len(names))])
            return Result("select", names, rows, truncated=truncated)
        triples, truncated = [], False
        for t in res:
            if max_rows is not None and len(triples) >= max_rows:
                truncated = True
                break
            triples.append(t)
        return Result("graph", triples=triples, truncated=truncated)
    except SyntaxError as e:
        raise KGError(f"SPARQL syntax error: {_one_line(e)}", where="query") from None
    except OSError as e:
        raise KGError(f"query failed: {_one_line(e)}", where="query") from None


def query_options(store: ox.Store, default_graphs: Sequence[str] = (),
                  named_graphs: Sequence[str] = ()) -> dict:
    """The keyword arguments ``Store.query`` gets from :func:`run`.

    A store ``kg build`` made keeps every triple in exactly one named graph and
    nothing in the default graph, so the default graph is Oxigraph's union of the
    named graphs, which is then the merge (a set). A store loaded from files
    (:func:`open_store`'s fallback) holds the merge in its default graph itself.
    """
    options: dict = {"prefixes": PREFIXES}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(_iri_arg(g)) for g in default_graphs]
    elif next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(_iri_arg(g)) for g in named_graphs]
    return options


def query(out: Path | str, query_text: str, params: dict[str, str] | None = None,
          max_rows: int | None = None) -> Result:
    """Resolve QUERY (text, .rq or saved name), bind parameters, run it on OUT."""
    saved = resolve_query(query_text)
    subs = bind(saved, params or {})
    return run(open_store(out), saved.text, subs, max_rows)


def _iri_arg(value: str) -> str:
    if not _IRI_OK.match(value) or ":" not in value:
        raise KGError(f"not an absolute IRI: {value!r}", where="graph")
    return value


# --------------------------------------------------------------------------- serialize


def _compact(iri: str) -> str:
    best = ""
    for pfx, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")) and re.fullmatch(r"[\w.-]*", iri[len(ns):]):
            best = pfx
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else f"<{iri}>"


def term_text(term, compact: bool = False) -> str:
    """A term as a table cell: IRIs compacted, literals by their value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _compact(term.value) if compact else term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            d["datatype"] = term.datatype.value
        return d
    return {"type": "triple", "value": str(term)}


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang="{term.language}">{xml_escape(term.value)}</literal>'
    if term.datatype.value != XSD + "string":
        return f'<literal datatype="{xml_escape(term.datatype.value)}">{xml_escape(term.value)}</literal>'
    return f"<literal>{xml_escape(term.value)}</literal>"


def _csv_cell(term) -> str:
    s = term_text(term)
    return '"' + s.replace('"', '""') + '"' if re.search(r'[",\r\n]', s) else s


def _tsv_cell(term) -> str:
    return "" if term is None else str(term).replace("\t", "\\t")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _table(res: Result) -> str:
    if res.kind == "ask":
        return ("true" if res.boolean else "false") + "\n"
    head = res.variables
    cells = [[term_text(t, compact=True).replace("\n", "⏎") for t in row] for row in res.rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(head)]

    def line(vals):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths)).rstrip()

    out = [line(head), line(["-" * w for w in widths])] + [line(r) for r in cells]
    note = f"({len(res.rows)} row{'s' if len(res.rows) != 1 else ''}"
    note += ", truncated)" if res.truncated else ")"
    return "\n".join(out + [note]) + "\n"


def serialize(res: Result, fmt: str) -> bytes:
    """Results in table, csv, tsv, json or xml; graphs in turtle or ntriples."""
    if res.kind == "graph":
        rdf = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}.get(fmt, ox.RdfFormat.TURTLE)
        used = {p: ns for p, ns in PREFIXES.items()
                if any(isinstance(x, ox.NamedNode) and x.value.startswith(ns)
                       for t in res.triples for x in (t.subject, t.predicate, t.object))}
        triples = sorted(res.triples, key=str)  # deterministic output
        return ox.serialize(triples, format=rdf, prefixes=used if rdf == ox.RdfFormat.TURTLE else None) or b""
    if fmt == "table":
        return _table(res).encode("utf-8")
    if fmt == "json":
        if res.kind == "ask":
            return json.dumps({"head": {}, "boolean": res.boolean}).encode()
        bindings = [{v: _json_term(t) for v, t in zip(res.variables, row) if t is not None} for row in res.rows]
        return json.dumps({"head": {"vars": res.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f'<variable name="{v}"/>' for v in res.variables]
        out.append("</head>")
        if res.kind == "ask":
            out.append(f"<boolean>{'true' if res.boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in res.rows:
                out.append("<result>" + "".join(f'<binding name="{v}">{_xml_term(t)}</binding>'
                                                for v, t in zip(res.variables, row) if t is not None)
                           + "</result>")
            out.append("</results>")
        out.append("</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt in ("csv", "tsv"):
        if res.kind == "ask":
            return (("true" if res.boolean else "false") + "\n").encode()
        if fmt == "csv":
            lines = [",".join(res.variables)] + [",".join(_csv_cell(t) for t in row) for row in res.rows]
            return ("\r\n".join(lines) + "\r\n").encode("utf-8")
        lines = ["\t".join("?" + v for v in res.variables)] + ["\t".join(_tsv_cell(t) for t in row)
                                                                for row in res.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise KGError(f"unknown format {fmt!r} (want {', '.join(RESULT_FORMATS)})", where="--format")


def _one_line(e: BaseException, limit: int = 240) -> str:
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"
