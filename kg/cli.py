"""The ``kg`` command: one short function per command, each a call into the library (kg.api).

Errors a user can cause come back as one line ``kg: <file>: <problem>`` and a
non-zero exit code, never a traceback.
"""
from __future__ import annotations

import sys

import click

import kg
from kg.errors import KGError


class _Group(click.Group):
    """Turns a :class:`KGError` into one line ``kg: <where>: <problem>`` and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as e:
            click.echo(f"kg: {e}", err=True)
            ctx.exit(e.code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govreport-kg")
def cli():
    """Build knowledge graphs from Chinese government work reports (政府工作报告)."""


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--out", default="build", show_default=True, help="Output folder.")
@click.option("--base", default=None, help="Base IRI for minted IRIs.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes for the per-report work.")
@click.option("--no-cache", is_flag=True, help="Rebuild every report, even unchanged ones.")
@click.option("--no-viz", is_flag=True, help="Do not write OUT/graph.html.")
@click.option("--no-store", is_flag=True,
              help="Do not write OUT/store (most of a large build's time), for graphs loaded into another "
                   "triple store; an older OUT/store is removed, and kg query then reads graph.nq (slow for many reports).")
def build(inputs, out, base, jobs, no_cache, no_viz, no_store):
    """Build the graph of report files or folders (default: seeds/).

    Writes OUT/graph.ttl, OUT/graph.nq (one named graph per report, and one
    for the entities and indicators they share), OUT/store (Oxigraph, for kg query; not with --no-store),
    OUT/tables/*.csv and OUT/graph.html (the graph page). Reports whose bytes are unchanged since the last
    build into OUT are reused from OUT/.cache/; if nothing changed, nothing is written.

    Example: kg build seeds/haining-2023.txt -o build
    """
    from kg.iri import DEFAULT_BASE

    result = kg.build(list(inputs) or ["seeds"], out, base=base or DEFAULT_BASE, jobs=jobs, cache=not no_cache,
                      viz=not no_viz, with_store=not no_store).result
    n = len(result.reports)
    reports = f"{n} report{'s' if n != 1 else ''}"
    if result.up_to_date:
        click.echo(f"up to date: {reports}, {result.triple_count} triples in {out}/ (unchanged since the last build)")
        return
    reused = f" ({result.reused} unchanged)" if result.reused else ""
    click.echo(f"built {reports}{reused}, {result.triple_count} triples -> {out}/")


@cli.command()
@click.argument("out", type=click.Path())
def validate(out):
    """Check OUT/graph.ttl against the SHACL shapes in ontology/.

    Exits 1 with a readable report when a shape is violated.

    Example: kg validate build
    """
    conforms, text = kg.open(out).validate()
    click.echo(text)
    if not conforms:
        sys.exit(1)


@cli.command()
@click.argument("out", type=click.Path())
def stats(out):
    """Count nodes per class and per report in OUT.

    Example: kg stats build
    """
    rows = kg.open(out).stats()
    width = max((len(c) for _, c, _ in rows), default=10)
    for report, cls, n in rows:
        click.echo(f"{report:<20} {cls:<{width}} {n:>7}")


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
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--timeout", default=10.0, show_default=True, type=float, help="Seconds a query may run.")
@click.option("--max-rows", default=10000, show_default=True, type=int, help="Rows (or triples) a result may have.")
def serve(out, host, port, timeout, max_rows):
    """Serve OUT as a read-only SPARQL 1.1 endpoint at /sparql, with a query page at /.

    Example: kg serve build --port 8000
    """
    kg.open(out).serve(host, port, timeout=timeout, max_rows=max_rows)


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
              help="Score the entity stage on the gold passages of a split (repeatable), from a checkout.")
def eval_(out, gold, splits):
    """Score a build against a gold file, or the entity stage on the gold passages.

    With OUT and GOLD: precision, recall and F1 per type of the build in OUT against GOLD,
    a JSON object for one report with keys such as "entities". With --split: the entity
    stage run on the reports of the repository's gold passages (test, dev, the seed),
    per type and per level of government (docs/evaluation.md).

    Example: kg eval build tests/gold/haining-2023.entities.json

    Example: kg eval --split dev --split seed
    """
    if splits:
        from kg.evaluate_entities import evaluate, format_report

        click.echo("\n\n".join(format_report(evaluate(s)) for s in splits))
        return
    if not (out and gold):
        raise click.UsageError("give OUT and GOLD, or --split")
    from kg.evaluate import format_scores

    click.echo(format_scores(kg.open(out).evaluate(gold)))


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
