"""RDF terms as N-Triples strings, and fast deterministic writers.

The pipeline never builds an rdflib graph: a triple is a tuple of three strings
already in N-Triples form (``<iri>``, ``"literal"@zh``, ``"5"^^<…#integer>``).
Writing is then string joining, which keeps ``kg build`` near the cost of reading
the text. rdflib (and pyoxigraph) parse the files these writers produce.
"""
from __future__ import annotations

import io
import re
from bisect import bisect_left, bisect_right
from operator import itemgetter
from typing import Iterable, Sequence

from kg.namespace import RDF, XSD

_INTEGER, _BOOLEAN, _DECIMAL = XSD.integer, XSD.boolean, XSD.decimal
_ESC = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LIT_BAD = re.compile(r'[\\"\n\r]')  # what _ESC changes

Triple = tuple[str, str, str]


def encode_iri(value: str) -> str:
    """``value`` with the characters N-Triples forbids in an IRI percent-encoded (one by one,
    so the encoding of a concatenation is the concatenation of the encodings)."""
    if _IRI_BAD.search(value):
        value = _IRI_BAD.sub(lambda m: "%{:02X}".format(ord(m.group())), value)
    return value


def iri(value: str) -> str:
    """An IRI term; characters N-Triples forbids are percent-encoded."""
    return f"<{encode_iri(value)}>"


def _escape(value: str) -> str:
    """What ``value.translate(_ESC)`` gives, by str.replace (several times faster on CJK text)."""
    if _LIT_BAD.search(value) is None:
        return value
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(value: str, lang: str | None = None) -> str:
    s = '"' + _escape(value) + '"'
    return f"{s}@{lang}" if lang else s


def zh(value: str) -> str:
    return '"' + _escape(value) + '"@zh'


def integer(value: int) -> str:
    return f'"{int(value)}"^^{_INTEGER}'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^{_BOOLEAN}'


def decimal(value) -> str:
    return f'"{value}"^^{_DECIMAL}'


def typed(value: str, datatype: str) -> str:
    """A literal of ``datatype``, an IRI term such as ``XSD.gYear``."""
    return '"' + _escape(value) + '"^^' + datatype


def write_nquads(graphs: Iterable[tuple[str, Sequence[Triple]]], out: io.TextIOBase) -> None:
    for g, triples in graphs:
        if triples:  # "s p o" joined in C, each line ended by " g .\n"
            end = f" {g} .\n"
            out.write(end.join(map(" ".join, triples)) + end)


_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_INTEGER_LIT = re.compile(r'"-?\d+"')


def _compact(term: str, prefixes: Sequence[tuple[str, str]]) -> str:
    if term.startswith("<"):
        body = term[1:-1]
        for pfx, ns in prefixes:
            if body.startswith(ns) and _LOCAL.match(body[len(ns):]):
                return f"{pfx}:{body[len(ns):]}"
        return term
    if "^^<" in term:
        val, _, dt = term.rpartition("^^")
        if dt == _INTEGER and _INTEGER_LIT.fullmatch(val):
            return val[1:-1]
        if dt == _BOOLEAN:
            return val[1:-1]
        return f"{val}^^{_compact(dt, prefixes)}"
    return term


class _Compactor(dict):
    """term -> Turtle form, computed once per term (a dict look-up on every repeat).

    Gives what ``_compact`` gives, with one regular expression per kind of term instead
    of a loop over the prefixes: the namespaces are tried longest first, as there.
    """

    __slots__ = ("prefixes", "iri", "ns_prefix", "integer", "boolean")

    def __init__(self, prefixes: dict[str, str]):
        super().__init__()
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.ns_prefix: dict[str, str] = {}
        for pfx, ns in self.prefixes:
            self.ns_prefix.setdefault(ns, pfx)
        alts = "|".join(re.escape(ns) for ns in self.ns_prefix)
        self.iri = re.compile(f"<({alts})([A-Za-z_][A-Za-z0-9_-]*)>") if alts else None
        self.integer = re.compile(r'"(-?\d+)"\^\^' + re.escape(_INTEGER))
        self.boolean = re.compile(r'"(.*)"\^\^' + re.escape(_BOOLEAN), re.S)

    def __missing__(self, term: str) -> str:
        if term[0] == "<":
            m = self.iri.fullmatch(term) if self.iri else None
            c = f"{self.ns_prefix[m[1]]}:{m[2]}" if m else term
        else:
            m = self.integer.fullmatch(term) or self.boolean.fullmatch(term)
            c = m[1] if m else _compact(term, self.prefixes)
        self[term] = c
        return c


def turtle_prefixes(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items()))


_RDF_TYPE = RDF.type
_PRED = itemgetter(1)


def write_turtle(triples: Iterable[Triple], out: io.TextIOBase, prefixes: dict[str, str], header: bool = True) -> None:
    """Turtle grouped by subject, in first-appearance order (deterministic).

    Under a subject, ``rdf:type`` comes first, then the other predicates in code-point
    order; a predicate's objects keep their first-appearance order, duplicates dropped.
    With ``header=False`` the @prefix lines are left out, so that chunks written
    one after another (one per report) make one Turtle document.
    """
    compact = _Compactor(prefixes)
    if header:
        out.write(turtle_prefixes(prefixes))
    by_subject: dict[str, list[Triple]] = {}
    for t in dict.fromkeys(triples):  # drops repeated triples, keeps the first
        ts = by_subject.get(t[0])
        if ts is None:
            by_subject[t[0]] = [t]
        else:
            ts.append(t)
    first = _Heads(compact, "\n    ")  # predicate -> "\n    pred " (``a`` for rdf:type)
    then = _Heads(compact, " ;\n    ")
    parts: list[str] = []
    add = parts.append
    for s, ts in by_subject.items():
        add("\n")
        add(compact[s])
        if len(ts) > 1:
            ts.sort(key=_PRED)  # stable: objects stay in first-appearance order
            i = bisect_left(ts, _RDF_TYPE, key=_PRED)
            if i and i < len(ts) and ts[i][1] == _RDF_TYPE:  # rdf:type first
                j = bisect_right(ts, _RDF_TYPE, i, key=_PRED)
                ts = ts[i:j] + ts[:i] + ts[j:]
        heads = first
        prev = None
        for _, p, o in ts:
            if p != prev:
                add(heads[p])
                heads, prev = then, p
            else:
                add(", ")
            add(o if o[0] == '"' and o[-1] != ">" else compact[o])
        add(" .\n")
    out.write("".join(parts))


def turtle_statements(triples: Iterable[Triple], prefixes: dict[str, str]) -> list[str]:
    """Each triple as a Turtle statement of its own, ``s p o .`` and a line end, compacted as
    :func:`write_turtle` compacts: lines that can be de-duplicated and sorted as strings and
    still make one Turtle document with the @prefix lines of ``prefixes`` (for the triples
    about shared nodes, which the build keeps once whichever report gives them)."""
    compact = _Compactor(prefixes)
    heads = _Heads(compact, "")
    return [compact[s] + " " + heads[p] + (o if o[0] == '"' and o[-1] != ">" else compact[o]) + " .\n"
            for s, p, o in triples]


class _Heads(dict):
    """predicate -> what opens its line: ``lead`` + compact form (``a`` for rdf:type) + a space."""

    __slots__ = ("compact", "lead")

    def __init__(self, compact: _Compactor, lead: str):
        super().__init__()
        self.compact, self.lead = compact, lead

    def __missing__(self, p: str) -> str:
        h = self[p] = self.lead + ("a" if p == _RDF_TYPE else self.compact[p]) + " "
        return h
