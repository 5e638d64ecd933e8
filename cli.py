"""The `kg` command: parse options, call one `kg` function, print, map errors to exit codes.

Exit codes: 0 ok, 1 the graph violates the SHACL shapes (`kg validate`), 2 bad input or usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import kg
from kg.errors import EXIT_BAD_INPUT, EXIT_VIOLATIONS, InputError, KgError, Problem
from kg.graph import FORMATS
from kg.vocab import DEFAULT_BASE


class KgGroup(click.Group):
    """Turns :class:`kg.KgError` into one-line messages and exit codes; tracebacks on request."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            if ctx.obj and ctx.obj.get("traceback"):
                raise
            _print_error(exc, ctx.obj.get("project", "") if ctx.obj else "")
            ctx.exit(exc.exit_code)


def _located(problem: Problem, project: str) -> str:
    """A problem with its path as seen from where the user typed the command."""
    if project and project != "." and problem.path:
        problem = Problem(str(Path(project) / problem.path), problem.line, problem.message, problem.hint,
                          problem.severity)
    return str(problem)


def _shown(path: Path) -> str:
    """A path as short as it can be from the current folder."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _print_error(exc: KgError, project: str) -> None:
    if isinstance(exc, InputError):
        for problem in exc.problems:
            click.echo(_located(problem, project), err=True)
        count = len(exc.problems)
        click.echo(f"kg: {count} error{'s' if count != 1 else ''} in the input; nothing was written "
                   "(add --traceback for details)", err=True)
    else:
        click.echo(f"kg: {exc}", err=True)


def _print_warnings(warnings: list[Problem], project: str) -> None:
    for problem in warnings:
        click.echo(_located(problem, project), err=True)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(kg.__version__, prog_name="recovery-kg", message="%(prog)s %(version)s")
@click.option("--traceback", is_flag=True, help="Show the Python traceback of an error.")
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """recovery-kg: a knowledge graph of recovery research.

    Build an RDF graph of service users, professionals, actions, recovery factors, themes,
    quotes and cited studies from annotated quotes (quotes/*.yaml) and BibTeX (references/*.bib).

    \b
    Example:
      kg init my-study && cd my-study && kg build
    """
    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback


@cli.command()
@click.argument("project", default=".", type=click.Path(file_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False), help="Folder to write to [default: PROJECT/out].")
@click.option("--format", "formats", multiple=True, type=click.Choice([*FORMATS, "all"]), default=("turtle",),
              show_default=True, help="Output format; repeat for several, or 'all'.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI that instance IRIs are minted under.")
@click.pass_context
def build(ctx: click.Context, project: str, out: str | None, formats: tuple[str, ...], base: str) -> None:
    """Check PROJECT and write its graph to out/graph.ttl (and other formats).

    Every problem of every input file is reported at once; when there is any error, nothing is
    written and an earlier output is left as it was.

    \b
    Examples:
      kg build                                   # the project in this folder
      kg build my-study --out /tmp/kg --format all
      kg build --format turtle --format jsonld
    """
    ctx.obj["project"] = project
    chosen = tuple(FORMATS) if "all" in formats else formats
    result = kg.build_project(project, out=out, formats=chosen, base=base)
    for path in result.outputs:
        click.echo(f"wrote {_shown(path)}")
    click.echo(", ".join(f"{n} {name}" for name, n in result.counts.items()))
    _print_warnings(result.warnings, project)
    if result.warnings:
        click.echo(f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}", err=True)


@cli.command()
@click.argument("project", default=".", type=click.Path(file_okay=False))
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI that instance IRIs are minted under.")
@click.pass_context
def validate(ctx: click.Context, project: str, base: str) -> None:
    """Run every check on PROJECT, build its graph in memory and validate it with SHACL.

    Exit code 0: the graph conforms to ontology/shapes.ttl; 1: it violates them (each violation
    is listed); 2: the input has errors.

    \b
    Example:
      kg validate my-study
    """
    ctx.obj["project"] = project
    report, warnings = kg.validate_project(project, base=base)
    _print_warnings(warnings, project)
    if report.conforms:
        click.echo("conforms: the graph satisfies every SHACL shape")
        return
    for line in report.results:
        click.echo(line)
    click.echo(f"kg: {len(report.results)} SHACL violation(s)", err=True)
    sys.exit(EXIT_VIOLATIONS)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Make a new project in DIRECTORY with a tiny example that builds.

    \b
    Example:
      kg init my-study && kg build my-study
    """
    for path in kg.init_project(directory):
        click.echo(f"wrote {path}")
    click.echo(f"next: edit {Path(directory) / 'quotes'} and {Path(directory) / 'references'}, then "
               f"'kg build {directory}'")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli())

__all__ = ["cli", "EXIT_BAD_INPUT"]
