"""SPARQL on a store: saved queries, parameters, a read-only guard, results and their formats.

Saved queries live in ``kg/queries/*.rq``. The first line is a comment with the
question the query answers; parameters are declared in the header as
``# @param NAME KIND description`` and bound as a ``VALUES ?NAME { term }`` block
opening the outermost WHERE group, the term written by Oxigraph's N-Triples
serializer, so a value such as ``二(一)" } ; DROP ALL #`` is only ever a literal.
The same text then runs on any SPARQL 1.1 engine (rdflib, Virtuoso).

:func:`run` answers a query on a store (kg.store) with a :class:`Result`;
:func:`serialize` writes one as a table, CSV, TSV, SPARQL JSON or XML, or a graph
as Turtle or N-Triples.
"""
from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Optional, Sequence
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from kg.errors import KGError
from kg.namespace import OWL_NS
from kg.namespace import PREFIXES as NS_PREFIXES
from kg.store import _one_line

QUERY_DIR = Path(__file__).with_name("queries")
XSD = NS_PREFIXES["xsd"]

# Prefixes every query may use without declaring them, and that the table
# format uses to shorten IRIs: the build's own (kg.namespace), plus owl.
PREFIXES = {**NS_PREFIXES, "owl": OWL_NS}

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples")


# --------------------------------------------------------------------------- saved queries


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # literal | zh | iri | integer
    help: str

    @property
    def example(self) -> Optional[str]:
        """The value the help text gives after ``e.g.`` (``二(一)`` in "section path, e.g. 二(一);
        …"), or None: what the page offers, and what tests/test_saved_query_speed.py runs."""
        m = re.search(r"\be\.g\. (\S+)", self.help)
        if not m:
            return None
        value = m.group(1).rstrip(";,.")
        while value.endswith(")") and value.count(")") > value.count("("):  # "(e.g. 晶科)"
            value = value[:-1]
        return value or None


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
#
# What keeps a query from changing the store or reaching another server is not a reading of
# its text: Store.query runs queries only (an update is a syntax error there) on a store
# opened read-only, and kg serve's query processes may not open network sockets at all
# (kg.sandbox), so a SERVICE clause fails there whatever a check made of it. On top of that,
# and for the in-process kg query and Build.query, the letters "service" anywhere in a
# query, in any case, refuse it: Oxigraph sees the SERVICE keyword only where those letters
# are, so no comment, line end, escape or string can hide one (Oxigraph does not decode
# \u escapes outside strings and IRIs), at the price of refusing ?service as a name.
# The lexer below only finds the query's form (for content negotiation and the
# message an update gets) and where parameters go (inject_values).

MAX_QUERY_CHARS = 200_000  # longer is refused: Oxigraph parses recursively (see _QUERY_STACK)
_SERVICE = re.compile("service", re.I)
_LEX = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*',
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
    """Refuse SERVICE, SPARQL Update, LOAD and overlong queries; return the query form
    (SELECT, ASK …, or "" when the lexer finds none: Oxigraph then says what is wrong)."""
    if len(text) > MAX_QUERY_CHARS:
        raise KGError(f"query refused: over {MAX_QUERY_CHARS:,} characters", where="query")
    if _SERVICE.search(text):
        raise ReadOnlyError("SERVICE refused: federated queries to other endpoints are not allowed "
                            "(nor the word 'service' anywhere in a query, even in a name, string or comment)",
                            where="query")
    bare = strip_sparql(text)
    words = re.findall(r"(?<![?$:\w])[A-Za-z]+(?![\w:])", bare)
    form = next((w.upper() for w in words if w.upper() not in ("PREFIX", "BASE")), "")
    if form in UPDATE_KEYWORDS:
        raise ReadOnlyError(f"{form} refused: this store is read-only (SPARQL Update is not accepted)",
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
    options = query_options(store, default_graphs, named_graphs)
    return _on_deep_stack(lambda: _evaluate(store, text, options, max_rows))


# Oxigraph parses and evaluates a query recursively, about 2-4 KB of stack per level of
# nesting: '{' * 5000 overflows a main thread's 8 MB and kills the process (SIGSEGV). Queries
# run on a thread of their own whose stack fits any query of MAX_QUERY_CHARS characters at
# 5 KB a character (measured: nested groups, sub-selects, brackets, operators); the stack is
# reserved address space, touched only as deep as a query goes.
_QUERY_STACK = 64 * 2**20 + MAX_QUERY_CHARS * 5 * 2**10
_STACK_LOCK = threading.Lock()


def _on_deep_stack(fn):
    box: dict = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread as it is
            box["error"] = e

    with _STACK_LOCK:  # stack_size applies to threads started after it, process-wide
        old = threading.stack_size(_QUERY_STACK)
        try:
            thread = threading.Thread(target=target, name="kg-query", daemon=True)
            thread.start()
        finally:
            threading.stack_size(old)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _evaluate(store: ox.Store, text: str, options: dict, max_rows: int | None) -> Result:
    try:
        res = store.query(text, **options)
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows: list[list[object]] = []
            truncated = False
            for sol in res:
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([sol[i] for i in range(len(names))])
            return Result("select", names, rows, truncated=truncated)
        triples: list[ox.Triple] = []
        truncated = False
        for t in res:
            if max_rows is not None and len(triples) >= max_rows:
                truncated = True
                break
            triples.append(t)
        return Result("graph", triples=triples, truncated=truncated)
    except SyntaxError as e:
        raise KGError(f"SPARQL syntax error: {_one_line(e)}", where="query") from None
    except PermissionError:  # a socket refused by kg.sandbox: only SERVICE opens one
        raise ReadOnlyError("SERVICE refused: this process may not open network connections",
                            where="query") from None
    except (OSError, RuntimeError) as e:  # RuntimeError: a store that is corrupt, an unbound SERVICE name
        raise KGError(f"query failed: {_one_line(e)}", where="query") from None


def query_options(store: ox.Store, default_graphs: Sequence[str] = (),
                  named_graphs: Sequence[str] = ()) -> dict:
    """The keyword arguments ``Store.query`` gets from :func:`run`.

    A store ``kg build`` made keeps every triple in exactly one named graph and
    nothing in the default graph, so the default graph is Oxigraph's union of the
    named graphs, which is then the merge (a set). A store loaded from files
    (kg.store.load_files) holds the merge in its default graph itself.
    """
    options: dict = {"prefixes": PREFIXES}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(_iri_arg(g)) for g in default_graphs]
    elif next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(_iri_arg(g)) for g in named_graphs]
    return options


def prepare(query: str, params: dict[str, str] | None = None) -> tuple[str, dict]:
    """QUERY as a user gives it (text, a .rq file or a saved query's name) and its
    parameters -> (query text, substitutions) for :func:`run`."""
    saved = resolve_query(query)
    return saved.text, bind(saved, params or {})


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


# --------------------------------------------------------------------------- rows as Python values

_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}


def python_value(term) -> object:
    """A term as a Python value: an IRI as its string, a blank node as ``_:id``, a literal
    as int, Decimal, float or bool by its datatype, else its text; unbound is None."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if not isinstance(term, ox.Literal):
        return str(term)
    dt = term.datatype.value
    try:
        if dt in _INTEGERS:
            return int(term.value)
        if dt == XSD + "decimal":
            return Decimal(term.value)
        if dt in (XSD + "double", XSD + "float"):
            return float(term.value)
    except (ValueError, ArithmeticError):  # an ill-typed literal keeps its text
        return term.value
    if dt == XSD + "boolean":
        return term.value in ("true", "1")
    return term.value


class Rows(list):
    """A query's answer: a list of rows, each a dict from variable to Python value
    (:func:`python_value`); CONSTRUCT and DESCRIBE give rows of subject, predicate, object.

    ``pandas.DataFrame(rows)`` makes a data frame of them. :meth:`to_csv` and
    :meth:`to_json` write the SPARQL 1.1 CSV and JSON result formats (what
    ``kg query --format csv|json`` prints); :meth:`serialize` any format of kg query.
    """

    def __init__(self, result: Result):
        self.result = result
        rows: Iterable[Sequence[object]]
        if result.kind == "graph":
            self.variables = ["subject", "predicate", "object"]
            rows = ([t.subject, t.predicate, t.object] for t in result.triples)
        else:
            self.variables = list(result.variables)
            rows = result.rows
        super().__init__({v: python_value(x) for v, x in zip(self.variables, row)} for row in rows)

    @property
    def boolean(self) -> Optional[bool]:
        """The answer of an ASK query (None for the others)."""
        return self.result.boolean

    def serialize(self, fmt: str) -> bytes:
        """As ``kg query --format fmt`` prints it: table, csv, tsv, json, xml; turtle or
        ntriples for CONSTRUCT and DESCRIBE."""
        if self.result.kind != "graph" and fmt in GRAPH_FORMATS:
            raise KGError(f"--format {fmt} is for CONSTRUCT and DESCRIBE; this query gives a table", "kg query")
        return serialize(self.result, fmt)

    def to_csv(self, path: str | Path | None = None) -> str:
        """SPARQL 1.1 CSV results (CRLF line ends); written to ``path`` when given."""
        return self._text("csv", path)

    def to_json(self, path: str | Path | None = None) -> str:
        """SPARQL 1.1 JSON results; written to ``path`` when given."""
        return self._text("json", path)

    def _text(self, fmt: str, path: str | Path | None) -> str:
        text = serialize(self.result, fmt).decode("utf-8")
        if path is not None:
            from kg.files import atomic_write

            atomic_write(path, text)
        return text
