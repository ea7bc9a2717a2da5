"""The ``kg`` command: one short function per command, each a call into the library (kg.api).

Errors a user can cause come back as one line ``kg: <file>: <problem>`` and a
non-zero exit code, never a traceback.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import sys
from typing import Any, Optional

import click

import kg
from kg.errors import KGError

# Where kg build writes when not told: not build/, which setuptools fills when the package is installed.
DEFAULT_OUT = "kg-out"


class _Group(click.Group):
    """Turns a :class:`KGError` into one line ``kg: <where>: <problem>`` and its exit code."""

    def parse_args(self, ctx, args):
        ctx.meta["kg.args"] = list(args)  # as typed, for the message about an unknown option
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as e:
            click.echo(f"kg: {e}", err=True)
            ctx.exit(e.code)
        except click.NoSuchOption as e:  # most often a file whose name begins with "-"
            word = next((a for a in ctx.meta.get("kg.args", ()) if a.startswith(e.option_name)), e.option_name)
            click.echo(f"kg: {word}: no such option (a file whose name begins with -? "
                       f"put -- before the file names: kg build -o OUT -- {word})", err=True)
            ctx.exit(2)


class _Notices(logging.Handler):
    """The library's warnings (kg.build: duplicates, skipped files) as lines ``kg: …`` on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"kg: {record.getMessage()}", err=True)


def _size(value: str) -> Optional[int]:
    """``2MB``, ``500k``, ``1.5G``, ``2000000`` (bytes), ``0`` or ``none`` (no limit) -> bytes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", value.lower())
    if value.strip().lower() in ("0", "none"):
        return None
    if not m:
        raise KGError(f"--max-report-size wants a size such as 2MB or 500kB, got {value!r}", "kg build")
    return int(float(m.group(1)) * {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m.group(2)])


def _on_sigterm():
    """SIGTERM ends a build as Ctrl-C does: its unfinished generation is removed at once
    (OUT is untouched either way). Worker processes keep the default. Returns the handler
    it replaced."""
    main = os.getpid()

    def stop(signum, frame):
        if os.getpid() != main:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, stop)


def _summary(result, out: str) -> list[str]:
    """The closing summary: reports, entities by type, targets, results, time, where."""
    n = len(result.reports)
    reports = f"{n} report{'s' if n != 1 else ''}"
    if result.up_to_date:
        lines = [f"up to date: {reports}, {result.triple_count} triples in {out}/ (unchanged since the last build)"]
    else:
        reused = f" ({result.reused} unchanged)" if result.reused else ""
        lines = [f"built {reports}{reused}, {result.triple_count} triples in {result.seconds:.1f} s -> {out}/"]
    c = result.counts or {}
    entities = c.get("entities") or {}
    if entities:
        kinds = ", ".join(f"{t} {k}" for t, k in entities.items())
        lines.append(f"  entities: {sum(entities.values())} ({kinds})")
    if c:
        lines.append(f"  sections: {c.get('sections', 0)}, targets: {c.get('targets', 0)}, "
                     f"results: {c.get('observations', 0)}")
    return lines


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govreport-kg")
def cli():
    """Build knowledge graphs from Chinese government work reports (政府工作报告)."""


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--out", default=DEFAULT_OUT, show_default=True, help="Output folder.")
@click.option("--base", default=None, help="Base IRI for minted IRIs: absolute, ending in / or #.")
@click.option("-j", "--jobs", default=None, type=click.IntRange(0, 256),
              help="Worker processes for the per-report work [default: one per core, at most one per report; "
                   "0: in this process].")
@click.option("--no-cache", is_flag=True, help="Rebuild every report, even unchanged ones.")
@click.option("--no-viz", is_flag=True, help="Do not write OUT/graph.html.")
@click.option("--no-store", is_flag=True,
              help="Do not write OUT/store (most of a large build's time), for graphs loaded into another "
                   "triple store; an older OUT/store is removed, and kg query then reads graph.nq (slow for many reports).")
@click.option("-k", "--keep-going", is_flag=True,
              help="Skip input files that are not reports (each named with its reason), build the rest, exit 1.")
@click.option("--max-report-size", "max_size", default="2MB", show_default=True, metavar="SIZE",
              help="Largest report file read (kB, MB, GB; 0 for no limit). A 2 MB report takes about 1 GB of "
                   "memory and a minute.")
@click.option("--executor", default=None, metavar="local|dask://HOST:PORT",
              help="Where the per-report work runs: local processes (--jobs), or a Dask cluster's workers "
                   "(pip install 'govreport-kg[dask]'; the same govreport-kg installed on every worker).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def build(inputs, out, base, jobs, no_cache, no_viz, no_store, keep_going, max_size, executor, quiet):
    """Build the graph of report files or folders (default: the seed report shipped with kg).

    Writes OUT/graph.ttl, OUT/graph.nq (one named graph per report, and one
    for the entities and indicators they share), OUT/store (Oxigraph, for kg query; not with --no-store),
    OUT/tables/*.csv and OUT/graph.html (the graph page), all at once when the build is done: a build
    that fails or is stopped leaves OUT as it was. Reports whose bytes are unchanged since the last
    build into OUT are reused from its cache; if nothing changed, nothing is written. The same
    content under two file names is built once.

    Every input must read as a work report (the rule: docs/design.md); a bad
    file stops the build with one line naming it, or with --keep-going is skipped.
    Put -- before file names that begin with "-": kg build -o OUT -- -draft.txt

    Example: kg build reports/ -o kg-out
    """
    from kg.iri import DEFAULT_BASE
    from kg.resources import seeds_dir

    limit = _size(max_size)
    handler = _Notices(logging.WARNING)
    notices = logging.getLogger("kg.build")
    notices.addHandler(handler)
    notices.propagate = False
    before = _on_sigterm()
    try:
        with _progress_bar(quiet, closing=1 + (not no_store) + (not no_viz)) as progress:  # promises, store, page
            result = kg.build(list(inputs) or [seeds_dir()], out, base=base or DEFAULT_BASE, jobs=jobs,
                              cache=not no_cache, viz=not no_viz, with_store=not no_store, keep_going=keep_going,
                              max_report_bytes=limit, executor=executor, progress=progress).result
    finally:
        signal.signal(signal.SIGTERM, before)
        notices.removeHandler(handler)
        notices.propagate = True
    for line in _summary(result, out):
        click.echo(line)
    if result.skipped:
        n = len(result.skipped)
        click.echo(f"kg: {n} input file{'s' if n != 1 else ''} skipped: "
                   + "; ".join(f"{p} ({why})" for p, why in result.skipped), err=True)
        sys.exit(1)


PROGRESS_MIN_REPORTS = 4  # a build of fewer reports is over before a bar would tell anything


class _progress_bar:
    """click's progress bar on stderr for builds of more than a few reports, when stderr is a
    terminal and not ``quiet``: a callback for kg.build, or None. The bar counts the reports and
    then the ``closing`` steps (promises, page, store); it is made on the first call, when the
    number of steps is known, and closed on leaving."""

    def __init__(self, quiet: bool, closing: int):
        self.on = not quiet and sys.stderr.isatty()
        self.closing = closing
        self.bar: Any = None  # click.progressbar's bar, once made
        self.off = False

    def __enter__(self):
        return self.update if self.on else None

    def update(self, done: int, total: int, what: str) -> None:
        if self.off:
            return
        if self.bar is None:
            if total - self.closing < PROGRESS_MIN_REPORTS:
                self.off = True
                return
            self.bar = click.progressbar(length=total, label="building", file=sys.stderr,
                                         show_pos=True, item_show_func=lambda w: w)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos, what)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@cli.command()
@click.argument("out", type=click.Path())
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes that check the reports' graphs.")
@click.option("--engine", type=click.Choice(["stream", "pyshacl"]), default="stream", show_default=True,
              help="stream: one report's graph at a time (then the shared graph); pyshacl: the whole graph in "
                   "memory (the reference; minutes and gigabytes for a corpus).")
def validate(out, jobs, engine):
    """Check the graph built in OUT against the SHACL shapes in ontology/.

    Exits 1 with a readable report when a shape is violated. OUT may also be one
    graph file (.ttl, .nq), which pySHACL then reads whole.

    Example: kg validate build --jobs 2
    """
    conforms, text = kg.open(out).validate(jobs=jobs, engine=engine)
    click.echo(text)
    if not conforms:
        sys.exit(1)


@cli.command()
@click.argument("out", type=click.Path())
@click.option("-f", "--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "csv", "json"]),
              help="A table to read, or one row per report and class (report \"all\": the build's total).")
@click.option("--links", "links_only", is_flag=True, help="Print only how entities are identified and linked.")
def stats(out, fmt, links_only):
    """Count nodes per class and per report in OUT, with the build's totals, then entities per
    type with an administrative code, a scope (a name unique only within a division), candidate
    codes (a place name left unresolved) and a link to another knowledge base.

    Example: kg stats kg-out --format csv > counts.csv
    """
    from kg.stats import LINK_COLUMNS, long_rows, readable

    b = kg.open(out)
    if fmt != "table":
        rows = ([dict(zip(LINK_COLUMNS, r)) for r in b.links()] if links_only
                else long_rows([tuple(c) for c in b.stats()]))
        if fmt == "json":
            import json

            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            import csv
            import io

            buf = io.StringIO()
            w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else list(LINK_COLUMNS), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
            click.echo(buf.getvalue(), nl=False)
        return
    if not links_only:
        click.echo(readable([tuple(c) for c in b.stats()]))
        click.echo()
    links = b.links()
    click.echo("".join(f"{c:>12}" for c in LINK_COLUMNS))
    for row in links:
        click.echo("".join(f"{v:>12}" for v in row))
    total = [sum(r[i] for r in links) for i in range(1, len(LINK_COLUMNS))]
    places = next((r for r in links if r[0] == "place"), None)
    if places and places[1]:
        click.echo(f"places with a code: {places[2]} of {places[1]} ({100 * places[2] / places[1]:.0f} %); "
                   f"linked out: {places[5]}; all entities linked out: {total[4]} of {total[0]}")


@cli.command()
@click.argument("out", required=False, type=click.Path())
@click.argument("query", required=False)
@click.option("-f", "--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
              help="Result format (CONSTRUCT/DESCRIBE give Turtle unless ntriples).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a saved query's parameter (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the saved queries and exit.")
def query(out, query, fmt, params, list_):
    """Run a SPARQL query on OUT: SPARQL text, a .rq file or a saved query's name.

    Parameters of saved queries are optional: one left out matches anything.

    Example: kg query build outline --param report=haining-2023

    Example: kg query build 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format json
    """
    from kg import sparql

    if list_:
        for q in sparql.saved_queries().values():
            click.echo(f"{q.name:<24} {q.question}")
            for p in q.params:
                click.echo(f"{'':<24}   --param {p.name}=…  ({p.kind}) {p.help}")
        return
    if not out or not query:
        raise KGError("give OUT and QUERY (or --list)", "kg query")
    values = {}
    for item in params:
        name, eq, value = item.partition("=")
        if not eq:
            raise KGError(f"--param wants NAME=VALUE, got {item!r}", "kg query")
        values[name.strip()] = value
    click.echo(kg.open(out).query(query, **values).serialize(fmt).decode("utf-8"), nl=False)


@cli.command()
@click.argument("out", type=click.Path())
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (no auth: keep it local).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds a query may run (and wait for a query process).")
@click.option("--max-rows", default=10000, show_default=True, type=click.IntRange(1),
              help="Rows (or triples) a result may have.")
@click.option("--memory", "memory_mb", default=512, show_default=True, type=click.IntRange(16),
              help="MB of memory a query process may reach before its query is stopped.")
@click.option("--workers", default=None, type=click.IntRange(1, 256),
              help="Query processes (at most this many queries run at once)  [default: one per core]")
@click.option("--queue", "queue_size", default=32, show_default=True, type=click.IntRange(0, 4096),
              help="Requests that may wait for a query process; more get 503 with Retry-After.")
@click.option("--cors", multiple=True, metavar="ORIGIN",
              help="Let web pages of ORIGIN (e.g. https://example.org, or *) query the endpoint; repeatable. Off by default.")
@click.option("--base", default=None,
              help="The base IRI the build used (kg build --base), served at /id/  [default: read from the build]")
@click.option("--quiet", is_flag=True, help="No line per request on stderr.")
def serve(out, host, port, timeout, max_rows, memory_mb, workers, queue_size, cors, base, quiet):
    """Serve OUT as a read-only SPARQL 1.1 endpoint at /sparql, its IRIs at /id/, a query page at /.

    Example: kg serve build --port 8000
    """
    kg.open(out).serve(host, port, timeout=timeout, max_rows=max_rows, memory_mb=memory_mb, workers=workers,
                       queue_size=queue_size, cors=cors, base=base, quiet=quiet)


@cli.command()
@click.argument("out", type=click.Path())
@click.option("--endpoint", required=True, help="SPARQL endpoint URL (Update requests go here).")
@click.option("--gsp", "gsp_url", default=None,
              help="Graph Store Protocol URL: PUT each graph there instead of INSERT DATA "
                   "(Virtuoso: …/sparql-graph-crud-auth, Oxigraph: …/store).")
@click.option("--query-endpoint", default=None,
              help="Where to count the pushed triples back, when queries go elsewhere (Oxigraph: …/query).")
@click.option("--graph", "graph", default=None, help="Load everything into this one named graph instead.")
@click.option("--user", default=None)
@click.option("--password", default=None, envvar="KG_PUSH_PASSWORD", help="Or set KG_PUSH_PASSWORD.")
@click.option("--batch", default=1000, show_default=True, type=int, help="Triples per INSERT DATA.")
def push(out, endpoint, gsp_url, query_endpoint, graph, user, password, batch):
    """Load OUT's graph into a SPARQL 1.1 store, one named graph per report.

    Each graph is replaced (DROP SILENT, then INSERT DATA in batches, or a GSP PUT).
    Digest and basic authentication both work.

    Example: kg push build --endpoint http://127.0.0.1:8890/sparql-auth --user dba --password …
    """
    for g, n in kg.open(out).push(endpoint, gsp_url=gsp_url, graph=graph, user=user, password=password,
                                  batch=batch, query_endpoint=query_endpoint):
        click.echo(f"{n:>8} triples -> <{g}>")


@cli.command()
@click.argument("out", type=click.Path())
@click.option("-o", "--output", "dest", default=None, help="HTML file to write [default: OUT/graph.html].")
@click.option("--view", type=click.Choice(["report", "section", "goal", "entity"]), default="report",
              show_default=True, help="What to draw.")
@click.option("--focus", default=None, help="Only the neighbourhood of one node (IRI, IRI tail or label).")
@click.option("--with-text", is_flag=True, help="Also draw sentences, paragraphs and mentions.")
@click.option("--report", default=None, help="Only one report (its id, e.g. haining-2023, or IRI).")
def viz(out, dest, view, focus, with_text, report):
    """Write the self-contained interactive page of the graph built in OUT.

    Example: kg viz build --view entity -o entities.html
    """
    import os

    from kg.api import PAGE

    dest = dest or os.path.join(out, PAGE)
    net = kg.open(out).page(report, view=view, focus=focus, include_text=with_text)
    net.write_html(dest)
    click.echo(f"{len(net.nodes)} nodes, {len(net.edges)} edges -> {dest}")


@cli.command(name="export")
@click.argument("out", type=click.Path())
@click.option("--format", "fmt", required=True,
              type=click.Choice(["graphml", "gexf", "jsonld", "nt", "nquads", "csv"]), help="Output format.")
@click.option("-o", "--output", "dest", default=None,
              help="File to write (a folder for csv) [default: OUT/export/graph.<ext>].")
@click.option("--view", type=click.Choice(["report", "section", "goal", "entity"]), default="report",
              show_default=True, help="Projection for graphml, gexf and csv.")
def export_cmd(out, fmt, dest, view):
    """Export the graph built in OUT for Gephi/Cytoscape or a triple store.

    Example: kg export build --format graphml -o graph.graphml
    """
    click.echo(f"-> {kg.open(out).export(fmt, dest, view=view)}")


@cli.command(name="eval")
@click.argument("out", required=False, type=click.Path())
@click.argument("gold", required=False, type=click.Path())
@click.option("--split", "splits", multiple=True, type=click.Choice(["test", "dev", "seed", "train"]),
              help="Without OUT and GOLD: score the entity stage on the gold passages of a split (repeatable), "
                   "from a checkout. With a passages folder as GOLD: the split of passages to score [dev].")
def eval_(out, gold, splits):
    """Score a build against a gold file, or the entity stage on the gold passages.

    With OUT and GOLD: precision, recall and F1 per type of the build in OUT against GOLD,
    a JSON object for one report with keys such as "entities" (see docs/evaluation.md), or
    the passages folder tests/gold/passages, whose targets and results are scored by span
    overlap (see docs/evaluation-goals.md). With --split alone: the entity stage run on the
    reports of the repository's gold passages (test, dev, the seed), per type and per level
    of government (docs/evaluation.md).

    Example: kg eval build tests/gold/haining-2023.entities.json

    Example: kg eval --split dev --split seed
    """
    if not (out and gold):
        if not splits:
            raise click.UsageError("give OUT and GOLD, or --split")
        from kg.evaluate_entities import evaluate, format_report

        click.echo("\n\n".join(format_report(evaluate(s)) for s in splits))
        return
    import os

    if os.path.isdir(gold):
        from kg.evaluate_goals import passages_text

        if len(splits) > 1:
            raise click.UsageError("one --split with a passages folder")
        s = kg.open(out).evaluate(gold, split=splits[0] if splits else "dev")
        click.echo(passages_text(s, s["title"]))
        return
    from kg.evaluate import format_scores

    click.echo(format_scores(kg.open(out).evaluate(gold)))


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
