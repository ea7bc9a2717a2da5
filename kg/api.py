"""The library: :func:`build`, :func:`open` and :func:`graph`, and the :class:`Build` they give.

    import kg
    b = kg.build(["seeds/haining-2023.txt"], "out")   # or kg.open("out"): a folder built before
    b.reports                                         # id, title, issuer, year … of each report
    b.query("outline", report="haining-2023")         # rows as dicts (pandas.DataFrame(rows))
    b.graph("haining-2023")                           # an rdflib Graph of one report
    b.page(view="entity").show("entities.html")       # a pyvis Network

The ``kg`` command is a thin layer over these calls. This module and kg.outdir (how the
names below are kept: generations switched by one rename, a lock, links) are the one place
that knows OUT's layout, what ``kg build`` writes and where ``kg.open`` finds it:

    OUT/graph.nq       every report's named graph, and one graph for what reports share
    OUT/graph.ttl      the same triples, as Turtle
    OUT/store/         an Oxigraph store of graph.nq and the ontology (not with with_store=False)
    OUT/tables/*.csv   sections, entities, mentions, sentences, targets, observations (kg.tables), promises (kg.promises)
    OUT/graph.html     the graph page (not with viz=False)
    OUT/.kg/           the generations these names point into, each with its cache (kg.cache)
    OUT/export/        where export writes when it is not told where

``kg.open(OUT)`` reads OUT's current generation as it was when opened (``Build.root``),
however often OUT is rebuilt meanwhile.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Union

from kg.errors import KGError
from kg.iri import DEFAULT_BASE
from kg.outdir import CACHE_DIR, EXPORT_DIR, GRAPH_NQ, GRAPH_TTL, PAGE, STORE_DIR, TABLES_DIR, open_generation  # noqa: F401 (OUT's names, as before)
from kg.read import MAX_REPORT_BYTES

if TYPE_CHECKING:  # imported when used: `import kg` stays cheap
    import pyoxigraph as ox
    import rdflib

    from kg.pipeline import BuildResult
    from kg.sparql import Rows
    from kg.viz import KGNetwork

Inputs = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]
_RDF_FILES = (".nq", ".ttl", ".nt", ".trig")

# What kg.open reads about each report, from the graph (the same values the build reports).
_REPORTS = """
SELECT ?id ?path ?title ?issuer ?level ?year ?chars ?sha256 WHERE {
  ?r a gr:Report ; dcterms:identifier ?id ; dcterms:source ?path ; gr:charCount ?chars ; gr:sha256 ?sha256 .
  OPTIONAL { ?r dcterms:title ?title } OPTIONAL { ?r gr:issuer/skos:prefLabel ?issuer }
  OPTIONAL { ?r gr:administrativeLevel ?level } OPTIONAL { ?r gr:year ?year }
}"""
_REPORT_KEYS = ("id", "path", "title", "issuer", "level", "year", "chars", "sha256")


class Count(NamedTuple):
    """Nodes of one class in one report (or in the graph of what reports share)."""

    report: str
    type: str  # compact, e.g. gr:Section
    nodes: int


def build(inputs: Inputs, out: str | os.PathLike, *, base: str = DEFAULT_BASE, jobs: int = 1,
          cache: bool = True, viz: bool = True, with_store: bool = True, keep_going: bool = False,
          max_report_bytes: Optional[int] = MAX_REPORT_BYTES) -> Build:
    """Build the graph of report files (or folders of them) into the folder ``out``.

    ``base`` is the base of every IRI minted (an absolute IRI ending in / or #); ``jobs``
    worker processes share the reports; ``cache`` reuses the reports unchanged since the
    last build into ``out``; ``viz=False`` leaves out the graph page, ``with_store=False``
    the Oxigraph store. Bad input raises :class:`~kg.errors.KGError` before anything is
    written, or with ``keep_going`` is skipped (``Build.result.skipped``); a report file
    over ``max_report_bytes`` (None: no limit) is bad input. ``out`` changes all at once
    when the build is done, or not at all.
    """
    from kg import pipeline

    paths = [os.fspath(inputs)] if isinstance(inputs, (str, os.PathLike)) else [os.fspath(p) for p in inputs]
    result = pipeline.build(paths, os.fspath(out), base, jobs=jobs, cache=cache, viz=viz, with_store=with_store,
                            keep_going=keep_going, max_report_bytes=max_report_bytes)
    return Build(out, result)


def open(out: str | os.PathLike) -> Build:  # noqa: A001 - kg.open, as sqlite_utils.Database / open()
    """A build made before: the folder ``kg build`` wrote, or a single graph file
    (.nq, .ttl, .nt, .trig) to query."""
    return Build(out)


def graph(path: str | os.PathLike, base: str = DEFAULT_BASE) -> rdflib.Dataset:
    """One report's graph in memory, without writing anything: an rdflib Dataset with
    the report's named graph and the graph of what it shares with other reports."""
    import io

    from rdflib import Dataset

    from kg import pipeline
    from kg.iri import Minter
    from kg.rdfterms import write_nquads

    pipeline.check_base(base)
    result = pipeline.process(os.fspath(path), base)
    m = Minter(base, result.id)
    own, shared = m.split(result.triples)
    text = io.StringIO()
    write_nquads([(m.report(), own), (m.shared_graph(), shared)], text)
    ds = Dataset()
    ds.parse(data=text.getvalue(), format="nquads")
    return ds


class Build:
    """What ``kg build`` wrote into a folder (or a single graph file), to read and query.

    ``result`` is the pipeline's account of the build when this process made it. ``root``
    is the folder read: OUT's generation that was current when the Build was made (held
    until the Build is closed or collected, so a rebuild of OUT does not remove it), or
    ``out`` itself (a folder without generations, a single graph file)."""

    def __init__(self, out: str | os.PathLike, result: Optional[BuildResult] = None):
        self.out = Path(out)
        self.result = result
        self._store: Optional[ox.Store] = None
        self._reports: Optional[list[dict]] = None
        self._pin = None
        if not self.out.exists():
            raise KGError("no such build folder (run `kg build` first)", str(self.out))
        if self.out.is_file():
            if self.out.suffix.lower() not in _RDF_FILES:
                raise KGError("unknown RDF file type (want .nq, .nt, .ttl or .trig)", str(self.out))
            self.root = self.out
            return
        self.root, self._pin = open_generation(self.out)
        if not any((self.root / n).exists() for n in (GRAPH_NQ, GRAPH_TTL, STORE_DIR)):
            raise KGError("no graph.nq, graph.ttl or store here (run `kg build` first)", str(self.out))

    def close(self) -> None:
        """Let go of the generation read (a later build into OUT may then remove it)."""
        self._store = None
        if self._pin is not None:
            self._pin.close()
            self._pin = None

    def __enter__(self) -> Build:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<kg.Build {str(self.out)!r}>"

    # --- the layout
    def path(self, name: str) -> Path:
        """``OUT/name`` (``name`` may be ``tables/mentions.csv``), which must be there, in
        the generation this Build reads."""
        p = self.root / name
        if self.out.is_file() or not p.exists():
            raise KGError(f"no {name} here (run `kg build` first)", str(self.out))
        return p

    def table(self, name: str) -> Path:
        """``OUT/tables/<name>.csv``: sections, entities, mentions, targets, observations."""
        return self.path(f"{TABLES_DIR}/{name}.csv")

    def graph_file(self) -> Path:
        """The build's graph as one file: graph.nq (named graphs), else graph.ttl."""
        if self.out.is_file():
            return self.out
        for name in (GRAPH_NQ, GRAPH_TTL):
            if (self.root / name).is_file():
                return self.root / name
        return self.path(GRAPH_NQ)  # raises

    def store(self) -> ox.Store:
        """The Oxigraph store: OUT/store read-only, else graph.nq (or graph.ttl) loaded in memory."""
        if self._store is None:
            from kg.store import load_files, open_read_only

            kept = self.root / STORE_DIR
            self._store = (open_read_only(kept) if kept.is_dir() else None) or load_files([self.graph_file()])
        return self._store

    # --- reading
    @property
    def reports(self) -> list[dict]:
        """One dict per report, sorted by id: id, path, title, issuer, level, year, chars, sha256."""
        if self._reports is None:
            if self.result is not None:
                rows = [{k: r[k] for k in _REPORT_KEYS} for r in self.result.reports]
            else:
                empty = {"title": "", "issuer": "", "level": "", "year": None}
                rows = [{k: row.get(k, empty.get(k)) for k in _REPORT_KEYS} for row in self.query(_REPORTS)]
            self._reports = sorted(rows, key=lambda r: r["id"])
        return self._reports

    def graph(self, report: Optional[str] = None) -> Union[rdflib.Dataset, rdflib.Graph]:
        """The whole build as an rdflib Dataset (one named graph per report, one for what
        they share); with ``report`` (an id such as ``haining-2023``), that report's Graph:
        its named graph and the shared nodes it reaches (entities, indicators, places)."""
        import rdflib

        if report is None:
            path = self.graph_file()
            ds = rdflib.Dataset()
            try:
                if path.suffix == ".nq":
                    ds.parse(path, format="nquads")
                else:
                    ds.default_graph.parse(path, format={".ttl": "turtle", ".nt": "nt"}.get(path.suffix, "trig"))
            except Exception as e:  # rdflib raises many types for bad syntax  # noqa: BLE001
                raise KGError(f"cannot parse: {' '.join(str(e).split())[:200]}", str(path)) from None
            return ds
        g = rdflib.Graph(identifier=rdflib.URIRef(self._report_iri(report)))
        for t in self._report_triples(report):
            g.add(t)
        return g

    def _report_iri(self, report: str) -> str:
        import pyoxigraph as ox

        from kg.sparql import python_value, run

        rows = run(self.store(), "SELECT ?r WHERE { ?r a gr:Report ; dcterms:identifier ?id } ORDER BY ?r",
                   {ox.Variable("id"): ox.Literal(report)}).rows
        if not rows:
            raise KGError(f"no report {report!r} in this build", str(self.out))
        return str(python_value(rows[0][0]))

    def _report_triples(self, report: Optional[str]) -> list[tuple[Any, Any, Any]]:
        """rdflib triples of one report (with the shared nodes it reaches), or of the whole build."""
        import pyoxigraph as ox

        from kg.iri import ONTOLOGY_GRAPH
        from kg.sparql import run

        if report is None:  # the file, read by Oxigraph's parser: faster than the store's index
            from kg.store import _one_line, rdf_format

            path = self.graph_file()
            try:
                return _rdflib_triples(ox.parse(path=str(path), format=rdf_format(path)))
            except (OSError, SyntaxError, ValueError) as e:
                raise KGError(f"cannot parse: {_one_line(e)}", str(path)) from None
        store = self.store()
        graphs = [g for g in store.named_graphs() if g != ox.NamedNode(ONTOLOGY_GRAPH)]
        own = ox.NamedNode(self._report_iri(report))
        quads = list(store.quads_for_pattern(None, None, None, own))
        reports = {row[0] for row in run(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a gr:Report } }").rows}
        shared = [g for g in graphs if g not in reports]
        todo = [x for q in quads for x in (q.subject, q.object)]
        seen: set = set()
        while todo:  # the shared nodes the report reaches, and what they reach in turn
            node = todo.pop()
            if node in seen or isinstance(node, ox.Literal):
                continue
            seen.add(node)
            for g in shared:
                for q in store.quads_for_pattern(node, None, None, g):
                    quads.append(q)
                    todo.append(q.object)
        return _rdflib_triples(quads)

    def query(self, query: str, /, **params: object) -> Rows:
        """Run SPARQL text, a .rq file or a saved query's name (see ``kg query --list``),
        with the saved query's parameters as keywords: ``b.query("outline", report="haining-2023")``."""
        from kg.sparql import Rows, prepare, run

        text, subs = prepare(query, {k: str(v) for k, v in params.items()})
        return Rows(run(self.store(), text, subs))

    def validate(self, jobs: int = 1, engine: str = "stream") -> tuple[bool, str]:
        """(conforms, readable report) of the build against the SHACL shapes in ontology/:
        one report's graph at a time in ``jobs`` processes (kg.validate), or with
        ``engine="pyshacl"`` (and for a single graph file) pySHACL on the whole graph."""
        from kg.validate import validate_build, validate_file

        if self.out.is_file():
            return validate_file(self.out)
        if engine == "pyshacl":
            return validate_file(self.graph_file())
        done = validate_build(self.path(GRAPH_NQ), jobs=jobs)
        return done.conforms, done.text()

    def links(self) -> list[tuple[str, int, int, int, int, int]]:
        """Per entity type: (type, entities, with a code, scoped, unresolved, linked out); see kg.stats."""
        from kg.stats import link_counts

        return link_counts(self.store())

    def stats(self) -> list[Count]:
        """Nodes per class and per report, sorted (entities also under each report naming them)."""
        from kg.stats import class_counts

        return [Count(*row) for row in class_counts(self.store())]

    def evaluate(self, gold: str | os.PathLike, split: str = "dev") -> dict:
        """Precision, recall and F1 of the build's tables against a gold file (docs/evaluation.md), or
        against one split of a passages folder such as tests/gold/passages (docs/evaluation-goals.md)."""
        if os.path.isdir(gold):
            from kg.evaluate_goals import evaluate_passages

            return evaluate_passages(self.table, gold, split)
        from kg.evaluate import evaluate

        return evaluate(self.table, gold)

    # --- writing
    def export(self, fmt: str, path: Optional[str | os.PathLike] = None, view: str = "report",
               include_text: bool = False) -> Path:
        """Write the graph as ``fmt`` (see kg.export.EXPORTERS) to ``path``, by default
        OUT/export/graph.<ext>; ``view``/``include_text`` choose what network formats draw."""
        from kg import export

        if fmt not in export.EXPORTERS:
            raise KGError(f"unknown format {fmt!r} (choose from {', '.join(sorted(export.EXPORTERS))})")
        source = self.graph_file()
        if path is None:
            folder = (self.out if self.out.is_dir() else self.out.parent) / EXPORT_DIR
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / export.DEFAULT_NAMES[fmt]
        return export.export(source, fmt, Path(path), view=view, include_text=include_text)

    def page(self, report: Optional[str] = None, **options: Any) -> KGNetwork:
        """The interactive graph page as a pyvis Network (``.show(name)`` in a notebook,
        ``.write_html(path)`` to keep it): of one report, or of the whole build.
        ``options`` go to kg.viz.visualize: view ("report", "section", "goal", "entity"),
        focus (an IRI, IRI tail or label), include_text, title."""
        from kg.viz import visualize
        from kg.viz.page import promise_rows

        net = visualize(self._report_triples(report), **options)
        if self.out.is_dir():  # the promises table, from OUT/tables
            net.meta["promises"] = promise_rows(self.out, report=report)
        return net

    def promises(self) -> list[dict]:
        """Each quantified target beside the result a later report of the same issuer states,
        both in the target's unit (the rows of OUT/tables/promises.csv, kg.promises)."""
        from kg.promises import promises

        return promises(self.out)

    def serve(self, host: str = "127.0.0.1", port: int = 8000, **options: Any) -> None:
        """A read-only SPARQL endpoint over the build (kg.serve), until interrupted."""
        from kg.serve import serve

        serve(self.out, host, port, **options)

    def push(self, endpoint: str, **options: Any):
        """Load the graph into a SPARQL 1.1 store, one named graph per report (kg.push);
        yields (graph, triples) as each graph is loaded."""
        from kg.push import push

        return push(self.store(), endpoint, **options)


def _rdflib_triples(quads) -> list[tuple[Any, Any, Any]]:
    """pyoxigraph quads -> rdflib triples, each term converted once."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    cache: dict = {}

    def term(t):
        r = cache.get(t)
        if r is None:
            if isinstance(t, ox.NamedNode):
                r = URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                r = BNode(t.value)
            elif t.language:
                r = Literal(t.value, lang=t.language)
            elif t.datatype.value == str(XSD.string):
                r = Literal(t.value)
            else:
                r = Literal(t.value, datatype=URIRef(t.datatype.value))
            cache[t] = r
        return r

    return [(term(q.subject), term(q.predicate), term(q.object)) for q in quads]


__all__ = ["Build", "Count", "build", "graph", "open"]
