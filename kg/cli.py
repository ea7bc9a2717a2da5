"""The ``kg`` command: one short function per command, each a call into the library.

Errors a user can cause come back as one line ``kg: <file>: <problem>`` and a
non-zero exit code, never a traceback.
"""
from __future__ import annotations

import sys

import click

from kg.errors import KGError


class _UserError(click.ClickException):
    """A :class:`KGError` shown as one line, with its exit code."""

    def __init__(self, err: KGError):
        super().__init__(str(err))
        self.exit_code = err.code

    def show(self, file=None) -> None:
        click.echo(f"kg: {self.message}", err=True)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as e:
            raise _UserError(e) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govreport-kg")
def cli():
    """Build knowledge graphs from Chinese government work reports (政府工作报告)."""


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--out", default="build", show_default=True, help="Output folder.")
@click.option("--base", default=None, help="Base IRI for minted IRIs.")
def build(inputs, out, base):
    """Build the graph of report files or folders (default: seeds/).

    Writes OUT/graph.ttl, OUT/graph.nq (one named graph per report) and
    OUT/tables/sections.csv.

    Example: kg build seeds/haining-2023.txt -o build
    """
    from kg.build import build as run
    from kg.emit import DEFAULT_BASE

    result = run(list(inputs) or ["seeds"], out, base or DEFAULT_BASE)
    n = len(result.outlines)
    click.echo(f"built {n} report{'s' if n != 1 else ''}, {result.triple_count} triples -> {out}/")


@cli.command()
@click.argument("out", type=click.Path())
def validate(out):
    """Check OUT/graph.ttl against the SHACL shapes in ontology/.

    Exits 1 with a readable report when a shape is violated.

    Example: kg validate build
    """
    from kg.validate import validate_out

    conforms, text = validate_out(out)
    click.echo(text)
    if not conforms:
        sys.exit(1)


@cli.command()
@click.argument("out", type=click.Path())
def stats(out):
    """Count nodes per class and per report in OUT.

    Example: kg stats build
    """
    from kg.stats import class_counts

    rows = class_counts(out)
    width = max((len(c) for _, c, _ in rows), default=10)
    for report, cls, n in rows:
        click.echo(f"{report:<20} {cls:<{width}} {n:>7}")


@cli.command(name="eval")
@click.argument("out", type=click.Path())
@click.argument("gold", type=click.Path())
def eval_(out, gold):
    """Score a build against a gold file: precision, recall and F1 per type.

    GOLD is a JSON object for one report with keys such as "entities"
    (see docs/evaluation.md).

    Example: kg eval build tests/gold/haining-2023.entities.json
    """
    from kg.evaluate import evaluate, format_scores

    click.echo(format_scores(evaluate(out, gold)))


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
