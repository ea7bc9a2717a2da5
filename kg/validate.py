"""SHACL validation of a build against ontology/shapes*.ttl, one report at a time.

pySHACL over a whole corpus in memory takes minutes and gigabytes (141 reports, 1.6 M
triples: 156 s of CPU, 3.1 GB). A build's graph.nq is made of one named graph per report
and one of what reports share (kg.iri.Minter.split): every node named under a report's IRI
is described in that report's graph alone, and the shared nodes (entities, indicators,
places) in the shared graph, but for the links from them into reports (gr:mentionedInReport,
gr:mentionedIn, gr:measuredIn), which sit in those reports' graphs. So each report's graph
can be checked by itself, knowing only the types of the shared nodes it points at, and the
shared graph last, with the links that point into reports and the types of their targets.
``validate`` does that: one pass over graph.nq finds each report's lines and keeps the shared
graph; ``jobs`` processes check the reports, each parsing its own lines; memory is one report
per process and the shared graph.

The checks implement the SHACL Core constraint components the shapes use (W3C SHACL §4):
targets ``sh:targetClass`` (with ``rdfs:subClassOf`` from the ontology) and
``sh:targetSubjectsOf``; property shapes with a predicate path; ``sh:class``, ``sh:datatype``
(and the lexical form of XSD types), ``sh:nodeKind``, ``sh:minCount``, ``sh:maxCount``,
``sh:in``, ``sh:hasValue``, ``sh:pattern``, ``sh:minLength``, ``sh:maxLength``, the four
ranges, ``sh:lessThan``, ``sh:equals``, and ``sh:or`` of such shapes, one function each
(:data:`COMPONENTS`). A shape using anything else is refused, naming it; ``engine="pyshacl"``
runs pySHACL on the whole graph instead. tests/test_validate.py checks that the two find the
same violations on builds and on broken copies of them.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple, Optional

import pyoxigraph as ox

from kg.errors import KGError
from kg.namespace import RDF, RDFS, SH_NS, XSD
from kg.resources import ontology_files

_TYPE = RDF.type[1:-1]
_SUBCLASS = RDFS.subClassOf[1:-1]
_LANG_STRING = RDF.base + "langString"
# Lexical forms (XML Schema 1.1 part 2) of the XSD datatypes: an ill-formed literal violates
# sh:datatype although its datatype IRI is the one asked for (SHACL §4.1.2).
_LEXICAL = {
    XSD.base + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD.base + "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    XSD.base + "double": re.compile(r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF)|NaN"),
    XSD.base + "boolean": re.compile(r"true|false|1|0"),
    XSD.base + "gYear": re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
}
_NUMERIC = {XSD.base + n for n in ("integer", "decimal", "double", "float", "int", "long", "short",
                                   "nonNegativeInteger", "positiveInteger", "negativeInteger",
                                   "nonPositiveInteger", "unsignedInt", "unsignedLong")}
_TARGETS = ("targetClass", "targetSubjectsOf")
_NOT_CONSTRAINTS = {"path", "name", "description", "order", "group", "defaultValue", "message", "severity",
                    "property", "deactivated", "flags", *_TARGETS}

Term = Any  # a pyoxigraph NamedNode, BlankNode or Literal
Desc = dict[str, list[Term]]  # a node's description: predicate IRI -> objects


class Violation(NamedTuple):
    """One result: the focus node, the path (None for a node shape's own constraint), the
    constraint component (``MaxCountConstraintComponent``), the value (None when the component
    reports none), and the node shape it comes from."""

    focus: str
    path: Optional[str]
    component: str
    value: Optional[str]
    shape: str


def _text(t: Term) -> str:
    """An IRI bare, a literal's lexical form, a blank node as ``_:id``."""
    return str(t) if isinstance(t, ox.BlankNode) else t.value


# --------------------------------------------------------------------------- the constraint components
@dataclass
class Context:
    """What a check may look up beyond the focus node's own description: the types of other
    nodes, and the ontology's class hierarchy."""

    types: Callable[[Term], Iterable[str]]
    subclasses: dict[str, frozenset[str]]

    def instance(self, t: Term, cls: str) -> bool:
        """SHACL instance (§3.2): a type of ``t`` is ``cls`` or one of its subclasses."""
        if isinstance(t, ox.Literal):
            return False
        sub = self.subclasses.get(cls, frozenset((cls,)))
        return any(c in sub for c in self.types(t))


Check = Callable[[list[Term], Desc, Any, Context], list[Optional[Term]]]


def _min_count(values, desc, n, ctx):
    return [None] if len(values) < n else []


def _max_count(values, desc, n, ctx):
    return [None] if len(values) > n else []


def _class(values, desc, cls, ctx):
    return [v for v in values if not ctx.instance(v, cls)]


def _datatype(values, desc, dt, ctx):
    lexical = _LEXICAL.get(dt)
    return [v for v in values if not isinstance(v, ox.Literal) or v.datatype.value != dt
            or (lexical is not None and not lexical.fullmatch(v.value))]


_KINDS = {
    "IRI": (ox.NamedNode,), "Literal": (ox.Literal,), "BlankNode": (ox.BlankNode,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode), "IRIOrLiteral": (ox.NamedNode, ox.Literal),
    "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
}


def _node_kind(values, desc, kind, ctx):
    return [v for v in values if not isinstance(v, _KINDS[kind])]


def _in(values, desc, members, ctx):
    return [v for v in values if v not in members]


def _has_value(values, desc, term, ctx):
    return [] if term in values else [None]


def _pattern(values, desc, rx, ctx):
    return [v for v in values if isinstance(v, ox.BlankNode) or not rx.search(v.value)]


def _min_length(values, desc, n, ctx):
    return [v for v in values if isinstance(v, ox.BlankNode) or len(v.value) < n]


def _max_length(values, desc, n, ctx):
    return [v for v in values if isinstance(v, ox.BlankNode) or len(v.value) > n]


def _number(t: Term) -> Optional[Decimal]:
    if not isinstance(t, ox.Literal) or t.datatype.value not in _NUMERIC:
        return None
    try:
        return Decimal(t.value)
    except InvalidOperation:
        return None


def _ranged(op: Callable[[Decimal, Decimal], bool]) -> Check:
    def check(values, desc, bound, ctx):
        b = _number(bound)
        out = []
        for v in values:
            x = _number(v)
            if x is None or b is None or not op(x, b):
                out.append(v)
        return out
    return check


def _less_than(values, desc, other, ctx):
    others = desc.get(other, [])
    out = []
    for v in values:
        x = _number(v)
        for w in others:
            y = _number(w)
            if x is None or y is None or not x < y:
                out.append(v)
    return out


def _equals(values, desc, other, ctx):
    others = desc.get(other, [])
    return [v for v in values if v not in others] + [w for w in others if w not in values]


def _or(values, desc, alternatives, ctx):
    return [None] if all(_violates(alt, desc, ctx) for alt in alternatives) else []


# name -> (the check, how its parameter is read from the shapes graph)
COMPONENTS: dict[str, tuple[Check, str]] = {
    "minCount": (_min_count, "int"), "maxCount": (_max_count, "int"), "class": (_class, "iri"),
    "datatype": (_datatype, "iri"), "nodeKind": (_node_kind, "kind"), "in": (_in, "list"),
    "hasValue": (_has_value, "term"), "pattern": (_pattern, "regex"), "minLength": (_min_length, "int"),
    "maxLength": (_max_length, "int"), "lessThan": (_less_than, "iri"), "equals": (_equals, "iri"),
    "minInclusive": (_ranged(lambda x, b: x >= b), "term"), "maxInclusive": (_ranged(lambda x, b: x <= b), "term"),
    "minExclusive": (_ranged(lambda x, b: x > b), "term"), "maxExclusive": (_ranged(lambda x, b: x < b), "term"),
    "or": (_or, "shapes"),
}


@dataclass
class Constraint:
    component: str  # MinCountConstraintComponent …
    path: Optional[str]  # the property shape's predicate; None for a node shape's own
    check: Check
    param: Any


@dataclass
class Shape:
    iri: str
    classes: frozenset[str] = frozenset()  # target classes and their subclasses
    subjects_of: tuple[str, ...] = ()
    constraints: list[Constraint] = field(default_factory=list)


def _values(desc: Desc, path: str) -> list[Term]:
    return list(dict.fromkeys(desc.get(path, ())))


def _violations(shape: Shape, desc: Desc, ctx: Context) -> Iterator[tuple[Constraint, Optional[Term]]]:
    for c in shape.constraints:
        values = _values(desc, c.path) if c.path else []
        for v in c.check(values, desc, c.param, ctx):
            yield c, v


def _violates(shape: Shape, desc: Desc, ctx: Context) -> bool:
    return next(_violations(shape, desc, ctx), None) is not None


# --------------------------------------------------------------------------- reading the shapes
def _ox(t: Any) -> Term:
    """An rdflib term as a pyoxigraph one."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    assert isinstance(t, Literal)
    if t.language:
        return ox.Literal(str(t), language=t.language)
    return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype))) if t.datatype else ox.Literal(str(t))


class _Reader:
    """ontology/shapes*.ttl -> :class:`Shape` objects, refusing what :data:`COMPONENTS` lacks."""

    def __init__(self, shapes: Any, subclasses: dict[str, frozenset[str]]):
        self.g, self.subclasses = shapes, subclasses

    def _sh(self, node: Any, name: str) -> list[Any]:
        from rdflib import URIRef

        return list(self.g.objects(node, URIRef(SH_NS + name)))

    def _param(self, node: Any, name: str, o: Any) -> Any:
        from rdflib.collection import Collection

        kind = COMPONENTS[name][1]
        if kind == "int":
            return int(o)
        if kind == "iri":
            return str(o)
        if kind == "kind":
            return str(o)[len(SH_NS):]
        if kind == "list":
            return [_ox(m) for m in Collection(self.g, o)]
        if kind == "regex":
            flags = self._sh(node, "flags")
            return re.compile(str(o), re.IGNORECASE if flags and "i" in str(flags[0]) else 0)
        if kind == "shapes":
            return [self.shape(s, targets=False) for s in Collection(self.g, o)]
        return _ox(o)

    def constraints(self, node: Any, path: Optional[str]) -> list[Constraint]:
        out = []
        for p, o in sorted(self.g.predicate_objects(node)):
            name = str(p)[len(SH_NS):] if str(p).startswith(SH_NS) else None
            if name is None or name in _NOT_CONSTRAINTS:
                continue
            if name not in COMPONENTS or (path is None and name != "or"):
                raise KGError(f"the shape {node} uses sh:{name}, which `kg validate` does not check one report at "
                              "a time; use --engine pyshacl", "ontology/")
            comp = name[0].upper() + name[1:] + "ConstraintComponent"
            out.append(Constraint(comp, path, COMPONENTS[name][0], self._param(node, name, o)))
        return out

    def shape(self, node: Any, targets: bool = True) -> Shape:
        from rdflib import URIRef

        classes: set[str] = set()
        for c in self._sh(node, "targetClass"):
            classes |= self.subclasses.get(str(c), frozenset((str(c),)))
        s = Shape(str(node), frozenset(classes), tuple(str(p) for p in self._sh(node, "targetSubjectsOf")))
        for t in ("targetNode", "targetObjectsOf"):
            if self._sh(node, t):
                raise KGError(f"the shape {node} uses sh:{t}; use --engine pyshacl", "ontology/")
        s.constraints += self.constraints(node, None)
        for prop in self._sh(node, "property"):
            path = self._sh(prop, "path")
            if len(path) != 1 or not isinstance(path[0], URIRef):
                raise KGError(f"a property shape of {node} has a path that is not one predicate; use --engine pyshacl",
                              "ontology/")
            s.constraints += self.constraints(prop, str(path[0]))
        return s


def _ontology() -> tuple[Any, dict[str, frozenset[str]]]:
    """The ontology (rdflib graph) and each class's subclasses, itself included."""
    from rdflib import Graph, URIRef

    g = Graph()
    for f in ontology_files("ontology"):
        g.parse(f, format="turtle")
    sub = URIRef(_SUBCLASS)
    classes = set(g.subjects(sub, None)) | set(g.objects(sub, None))
    return g, {str(c): frozenset(str(x) for x in g.transitive_subjects(sub, c)) for c in classes}


def load_shapes() -> tuple[list[Shape], Any, dict[str, frozenset[str]]]:
    """The shapes of ontology/shapes*.ttl with targets, the ontology, and its class hierarchy."""
    from rdflib import Graph, URIRef

    onto, subclasses = _ontology()
    g = Graph()
    for f in ontology_files("shapes"):
        g.parse(f, format="turtle")
    reader = _Reader(g, subclasses)
    nodes = set()
    for t in _TARGETS + ("targetNode", "targetObjectsOf"):
        nodes |= set(g.subjects(URIRef(SH_NS + t), None))
    return [reader.shape(n) for n in sorted(nodes, key=str)], onto, subclasses


# --------------------------------------------------------------------------- checking a batch of nodes
def check_nodes(descs: dict[Term, Desc], shapes: Sequence[Shape], ctx: Context) -> list[Violation]:
    """The violations of the nodes in ``descs`` (each with its whole description) as focus nodes."""
    by_class: dict[str, list[Shape]] = {}
    by_pred: dict[str, list[Shape]] = {}
    for s in shapes:
        for cls in s.classes:
            by_class.setdefault(cls, []).append(s)
        for p in s.subjects_of:
            by_pred.setdefault(p, []).append(s)
    out = []
    for node, desc in descs.items():
        targeted: dict[str, Shape] = {}
        for t in desc.get(_TYPE, ()):
            for s in by_class.get(_text(t), ()):
                targeted[s.iri] = s
        for p in by_pred:
            if p in desc:
                for s in by_pred[p]:
                    targeted[s.iri] = s
        focus = _text(node)
        for s in targeted.values():
            for con, v in _violations(s, desc, ctx):
                # a node shape's own constraint reports the focus node as its value (SHACL §5.2)
                value = _text(v) if v is not None else (focus if con.path is None else None)
                out.append(Violation(focus, con.path, con.component, value, s.iri))
    return out


def _describe(triples: Iterable[tuple[Term, Term, Term]], into: Optional[dict[Term, Desc]] = None) -> dict[Term, Desc]:
    descs: dict[Term, Desc] = {} if into is None else into
    for s, p, o in triples:
        descs.setdefault(s, {}).setdefault(p.value, []).append(o)
    return descs


def _types(desc: Optional[Desc]) -> list[str]:
    return [_text(t) for t in desc.get(_TYPE, ())] if desc else []


# --------------------------------------------------------------------------- a build's graph.nq
@dataclass
class _Plan:
    """Where each report's graph lies in graph.nq (byte ranges), and the shared graph's lines."""

    path: str
    reports: dict[str, list[tuple[int, int]]]
    shared: bytes
    shared_graph: str
    quads: int


def _plan(path: str) -> _Plan:
    """One pass over graph.nq: the byte ranges of each named graph (the build writes each report's
    lines together), and the lines of the shared graph (``…/graph/shared``, the last graph named
    in each chunk the build writes, and named by kg.iri.shared_graph)."""
    from kg.iri import shared_graph

    reports: dict[str, list[tuple[int, int]]] = {}
    shared: list[bytes] = []
    shared_names: set[str] = set()
    current, start, pos, quads = None, 0, 0, 0
    with open(path, "rb") as f:
        for line in f:
            n = len(line)
            body = line.rstrip()
            if not body or body.startswith(b"#"):
                pos += n
                continue
            quads += 1
            if not body.endswith(b" ."):
                raise KGError("not an N-Quads line", f"{path} (byte {pos})")
            g = body[body.rindex(b" ", 0, len(body) - 2) + 1:-2]
            if g.endswith(b"/graph/shared>"):
                shared.append(line)
                shared_names.add(g.decode())
                if current is not None:
                    reports.setdefault(current, []).append((start, pos - start))
                    current = None
            elif g != current:
                if current is not None:
                    reports.setdefault(current, []).append((start, pos - start))
                current, start = g.decode(), pos
            pos += n
    if current is not None:
        reports.setdefault(current, []).append((start, pos - start))
    if len(shared_names) > 1:
        raise KGError(f"{len(shared_names)} graphs named …/graph/shared", path)
    name = shared_names.pop()[1:-1] if shared_names else shared_graph()[1:-1]
    return _Plan(path, reports, b"".join(shared), name, quads)


# State the report workers share with the main process (set before the pool forks).
_STATE: dict[str, Any] = {}


def _check_report(task: tuple[str, list[tuple[int, int]]]) -> tuple[list[Violation], list, list]:
    """Worker: one report's graph -> (its violations, the triples about nodes not its own, the
    types of its nodes those triples point at)."""
    graph, ranges = task
    plan: _Plan = _STATE["plan"]
    shared: dict[Term, Desc] = _STATE["shared"]
    data = bytearray()
    with open(plan.path, "rb") as f:
        for start, length in ranges:
            f.seek(start)
            data += f.read(length)
    own = graph[1:-1]
    prefix = own + "/"
    local: dict[Term, Desc] = {}
    foreign = []
    for q in ox.parse(bytes(data), format=ox.RdfFormat.N_QUADS):
        s = q.subject
        if s not in shared and isinstance(s, ox.NamedNode) and (s.value == own or s.value.startswith(prefix)):
            local.setdefault(s, {}).setdefault(q.predicate.value, []).append(q.object)
        else:
            foreign.append((s, q.predicate, q.object))
    onto = _STATE["onto_types"]
    typed: dict[Term, list[str]] = {}  # nodes of this graph that are not its own (its build activity)
    for s, p, o in foreign:
        if p.value == _TYPE:
            typed.setdefault(s, []).append(_text(o))

    def types(t: Term) -> list[str]:
        d = local.get(t) or shared.get(t)
        return _types(d) or typed.get(t) or onto.get(t, [])

    ctx = Context(types, _STATE["subclasses"])
    found = check_nodes(local, _STATE["shapes"], ctx)
    targets = {o for _, _, o in foreign if o in local}
    return found, foreign, [(t, _types(local[t])) for t in targets]


@dataclass
class Validation:
    """What ``validate_build`` checked (graph.nq, its report graphs and quads) and found."""

    path: str
    reports: int
    quads: int
    violations: list[Violation]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self, limit: int = 200) -> str:
        """The verdict, then one line per result (the first ``limit``)."""
        what = f"{self.path}: {{}} ({self.reports} report graphs and the shared graph, {self.quads} quads)"
        if self.conforms:
            return what.format("conforms")
        return what.format("does not conform") + "\n" + report_text(self.violations, limit)


def validate_build(out: str | os.PathLike, jobs: int = 1) -> Validation:
    """Every violation of the shapes in a build's graph.nq (``out`` the file or its folder),
    checked one report at a time in ``jobs`` processes, then the shared graph. Sorted, each once."""
    path = os.fspath(Path(out) / "graph.nq") if os.path.isdir(out) else os.fspath(out)
    if not os.path.isfile(path):
        raise KGError("no graph.nq here; run `kg build` first", os.fspath(out))
    shapes, onto, subclasses = load_shapes()
    plan = _plan(path)
    try:
        shared = _describe((q.subject, q.predicate, q.object)
                           for q in ox.parse(plan.shared, format=ox.RdfFormat.N_QUADS))
    except SyntaxError as e:
        raise KGError(f"does not parse: {e}", path) from None
    onto_descs = _describe((_ox(s), _ox(p), _ox(o)) for s, p, o in onto)
    onto_types = {node: _types(d) for node, d in onto_descs.items() if _TYPE in d}
    _STATE.update(plan=plan, shared=shared, shapes=shapes, subclasses=subclasses, onto_types=onto_types)
    tasks = sorted(plan.reports.items())
    found: list[Violation] = []
    pointed: dict[Term, list[str]] = {}
    try:
        if jobs > 1 and len(tasks) > 1:
            import multiprocessing as mp

            ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
            with ctx.Pool(min(jobs, len(tasks))) as pool:
                results = list(pool.imap_unordered(_check_report, tasks))
        else:
            results = [_check_report(t) for t in tasks]
        for violations, foreign, their_types in results:
            found += violations
            _describe(foreign, shared)
            pointed.update(their_types)
    except SyntaxError as e:
        raise KGError(f"does not parse: {e}", path) from None
    finally:
        _STATE.clear()

    def types(t: Term) -> list[str]:
        return _types(shared.get(t)) or pointed.get(t) or onto_types.get(t, [])

    ctx_ = Context(types, subclasses)
    found += check_nodes(shared, shapes, ctx_)
    found += check_nodes(onto_descs, shapes, ctx_)  # pySHACL sees the ontology as data too
    return Validation(path, len(tasks), plan.quads,
                      sorted(set(found), key=lambda v: (v.shape, v.component, v.path or "", v.focus, v.value or "")))


def report_text(violations: Sequence[Violation], limit: int = 200) -> str:
    """The verdict, then one line per result (the first ``limit``)."""
    from kg.stats import short_iri

    lines = ["Validation Report", f"Conforms: {not violations}", f"Results ({len(violations)}):"]
    for v in violations[:limit]:
        where = f" {short_iri(v.path)}" if v.path else ""
        value = f" = {v.value}" if v.value is not None else ""
        lines.append(f"  {v.component}{where}: {short_iri(v.focus)}{value}  ({short_iri(v.shape)})")
    if len(violations) > limit:
        lines.append(f"  … and {len(violations) - limit} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the reference: pySHACL
def pyshacl_violations(data: Any) -> tuple[bool, list[Violation], str]:
    """pySHACL on an rdflib Graph or Dataset (every triple of it, the ontology added):
    (conforms, its results as violations, its text)."""
    from pyshacl import validate as shacl
    from rdflib import Graph, Namespace

    g = Graph()
    for q in (data.quads((None, None, None, None)) if hasattr(data, "quads") else data):
        g.add(q[:3])
    for f in ontology_files("ontology"):  # class hierarchy and PartKind individuals
        g.parse(f, format="turtle")
    shapes = Graph()
    for f in ontology_files("shapes"):
        shapes.parse(f, format="turtle")
    conforms, results, text = shacl(g, shacl_graph=shapes, inference="none", advanced=True)
    sh = Namespace(SH_NS)

    def term(t: Any) -> Optional[str]:
        return None if t is None else str(t)

    found = []
    for r in results.subjects(sh.resultSeverity, None):
        comp = str(results.value(r, sh.sourceConstraintComponent))[len(SH_NS):]
        source = results.value(r, sh.sourceShape)
        node_shape = next(iter(shapes.subjects(sh.property, source)), source)
        found.append(Violation(str(results.value(r, sh.focusNode)), term(results.value(r, sh.resultPath)), comp,
                               term(results.value(r, sh.value)), str(node_shape)))
    return conforms, sorted(set(found), key=lambda v: (v.shape, v.component, v.path or "", v.focus, v.value or "")), text


def validate_file(path: str | os.PathLike) -> tuple[bool, str]:
    """(conforms, readable report) of pySHACL on one Turtle or N-Quads file, all in memory."""
    from rdflib import Dataset, Graph

    p = os.fspath(path)
    nq = p.endswith(".nq")
    data: Any = Dataset() if nq else Graph()
    try:
        data.parse(p, format="nquads" if nq else "turtle")
    except Exception as e:  # rdflib raises many types for bad syntax
        raise KGError(f"does not parse ({type(e).__name__}: {e})", p) from None
    conforms, _, text = pyshacl_violations(data)
    return conforms, (f"{p}: conforms" if conforms else text)
