"""RDF terms as N-Triples strings, and fast deterministic writers.

The pipeline never builds an rdflib graph: a triple is a tuple of three strings
already in N-Triples form (``<iri>``, ``"literal"@zh``, ``"5"^^<…#integer>``).
Writing is then string joining, which keeps ``kg build`` near the cost of reading
the text. rdflib (and pyoxigraph) parse the files these writers produce.
"""
from __future__ import annotations

import io
import re
from typing import Iterable, Sequence

XSD = "http://www.w3.org/2001/XMLSchema#"
_ESC = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')

Triple = tuple[str, str, str]


def iri(value: str) -> str:
    """An IRI term; characters N-Triples forbids are percent-encoded."""
    if _IRI_BAD.search(value):
        value = _IRI_BAD.sub(lambda m: "%{:02X}".format(ord(m.group())), value)
    return f"<{value}>"


def lit(value: str, lang: str | None = None) -> str:
    s = '"' + value.translate(_ESC) + '"'
    return f"{s}@{lang}" if lang else s


def zh(value: str) -> str:
    return lit(value, "zh")


def integer(value: int) -> str:
    return f'"{int(value)}"^^<{XSD}integer>'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^<{XSD}boolean>'


def decimal(value) -> str:
    return f'"{value}"^^<{XSD}decimal>'


def typed(value: str, datatype_iri: str) -> str:
    return '"' + value.translate(_ESC) + f'"^^<{datatype_iri}>'


def write_ntriples(triples: Iterable[Triple], out: io.TextIOBase) -> None:
    out.writelines(f"{s} {p} {o} .\n" for s, p, o in triples)


def write_nquads(graphs: Iterable[tuple[str, Sequence[Triple]]], out: io.TextIOBase) -> None:
    for g, triples in graphs:
        out.writelines(f"{s} {p} {o} {g} .\n" for s, p, o in triples)


_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _compact(term: str, prefixes: Sequence[tuple[str, str]]) -> str:
    if term.startswith("<"):
        body = term[1:-1]
        for pfx, ns in prefixes:
            if body.startswith(ns) and _LOCAL.match(body[len(ns):]):
                return f"{pfx}:{body[len(ns):]}"
        return term
    if "^^<" in term:
        val, _, dt = term.rpartition("^^")
        if dt == f"<{XSD}integer>" and re.fullmatch(r'"-?\d+"', val):
            return val[1:-1]
        if dt == f"<{XSD}boolean>":
            return val[1:-1]
        return f"{val}^^{_compact(dt, prefixes)}"
    return term


def turtle_prefixes(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items()))


def write_turtle(triples: Iterable[Triple], out: io.TextIOBase, prefixes: dict[str, str], header: bool = True) -> None:
    """Turtle grouped by subject, in first-appearance order (deterministic).

    With ``header=False`` the @prefix lines are left out, so that chunks written
    one after another (one per report) make one Turtle document.
    """
    pfx = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    memo: dict[str, str] = {}

    def compact(term: str) -> str:
        c = memo.get(term)
        if c is None:
            c = memo[term] = _compact(term, pfx)
        return c

    if header:
        out.write(turtle_prefixes(prefixes))
    by_subject: dict[str, dict[str, list[str]]] = {}
    for s, p, o in triples:
        preds = by_subject.setdefault(s, {})
        objs = preds.setdefault(p, [])
        if o not in objs:
            objs.append(o)
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    for s, preds in by_subject.items():
        out.write("\n" + compact(s))
        items = sorted(preds.items(), key=lambda kv: (kv[0] != rdf_type, kv[0]))
        for i, (p, objs) in enumerate(items):
            pp = "a" if p == rdf_type else compact(p)
            ob = ", ".join(compact(o) if o[0] == "<" or o[-1] == ">" else o for o in objs)
            out.write(f"\n    {pp} {ob}" + (" ;" if i < len(items) - 1 else " .\n"))
