"""The `kg` command: parse options, call one `kg` function, print, map errors to exit codes.

Exit codes are `kg.ExitStatus` (0 ok, 1 the graph violates the SHACL shapes, 2 bad input or usage).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import kg
from kg.errors import InputError, KgError, Problem, ShapeViolations
from kg.files import shown_path
from kg.graph import FORMATS
from kg.queries import NamedQuery, named_queries, run_named, run_sparql
from kg.render.tables import FORMATS as TABLE_FORMATS
from kg.render.tables import render
from kg.store import open_store
from kg.views.stats import graph_stats
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
            ctx.exit(int(exc.exit_code))


def _located(problem: Problem, project: str) -> str:
    """A problem with its path as seen from where the user typed the command."""
    if project and project != "." and problem.path:
        problem = Problem(
            str(Path(project) / problem.path), problem.line, problem.message, problem.hint, problem.severity
        )
    return str(problem)


def _print_error(exc: KgError, project: str) -> None:
    if isinstance(exc, ShapeViolations):
        _print_warnings(exc.warnings, project)
        for line in exc.results:
            click.echo(line)
        click.echo(f"kg: {exc}", err=True)
    elif isinstance(exc, InputError):
        for problem in exc.problems:
            click.echo(_located(problem, project), err=True)
        count = len(exc.problems)
        click.echo(
            f"kg: {count} error{'s' if count != 1 else ''} in the input; nothing was written "
            "(add --traceback for details)",
            err=True,
        )
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
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice([*FORMATS, "all"]),
    default=("turtle",),
    show_default=True,
    help="Output format; repeat for several, or 'all'.",
)
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
        click.echo(f"wrote {shown_path(path)}")
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
    warnings = kg.validate_project(project, base=base)
    _print_warnings(warnings, project)
    click.echo("conforms: the graph satisfies every SHACL shape")


def _graph_options(command):
    """--project / --graph, --format and --iri: shared by every command that reads a graph."""
    command = click.option("--iri", is_flag=True, help="Add an IRI column beside every column of nodes.")(command)
    command = click.option(
        "--format",
        "fmt",
        type=click.Choice(TABLE_FORMATS),
        default="text",
        show_default=True,
        help="text is an aligned table cut to the terminal; the others hold full values.",
    )(command)
    command = click.option(
        "--graph",
        "graph_file",
        type=click.Path(dir_okay=False),
        help="Query a graph file written by 'kg build' instead of a project.",
    )(command)
    command = click.option(
        "--project",
        type=click.Path(file_okay=False),
        default=None,
        help="The project to build in memory and query [default: this folder].",
    )(command)
    return command


def _open(ctx: click.Context, project: str | None, graph_file: str | None):
    if project is not None and graph_file is not None:
        raise kg.ProjectError("give --project or --graph, not both")
    ctx.obj["project"] = project or "."
    return open_store(project=project or ".", graph_file=graph_file)


def _named_command(query: NamedQuery) -> click.Command:
    """A `kg query NAME` command made from the named query's header."""

    def run(ctx: click.Context, project, graph_file, fmt, iri, **values):
        store = _open(ctx, project, graph_file)
        table = run_named(store, query.name, **{k: v for k, v in values.items() if v is not None})
        click.echo(render(table, fmt, iri=iri), nl=False)

    params: list[click.Parameter] = []
    for param in query.params:
        if param.positional:
            params.append(click.Argument([param.name], metavar=param.name.upper()))
        else:
            kind = click.Choice(list(param.choices)) if param.kind == "choice" else str
            params.append(
                click.Option(
                    [f"--{param.name.replace('_', '-')}", param.name],
                    type=kind,
                    default=param.default,
                    show_default=param.default is not None,
                    help=param.help,
                )
            )
    epilog_lines = [f"{p.name.upper()}: {p.help}" for p in query.params if p.positional]
    help_text = (
        query.summary
        + "\n\n"
        + "\n\n".join(epilog_lines)
        + (f"\n\n\b\nExample:\n  {query.example}" if query.example else "")
    )
    command = click.Command(
        query.name,
        callback=click.pass_context(run),
        params=params,
        help=help_text,
        short_help=query.summary.split(". ")[0].split(", with")[0].rstrip("."),
        options_metavar="[OPTIONS]",
    )
    return _graph_options(command)


@cli.group()
def query() -> None:
    """Ask the graph a named question; each answer comes with the quotes or passages behind it.

    Themes, actions, factors, studies and participants can be named by id (STUDY/ID for what is
    local to a study), by label, or by an unambiguous prefix, in any case.

    \b
    Examples:
      kg query sources-for-theme "small trivial things"
      kg query quotes --theme topor2019ijmha/small-things --role user --format csv
      kg query path "hand on the shoulder" borg2004
    """


for _query in named_queries().values():
    query.add_command(_named_command(_query))


@cli.command()
@click.argument("sparql")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE: <IRI>, prefix:local, or else a string. Repeatable.",
)
@_graph_options
@click.pass_context
def sparql(ctx: click.Context, sparql: str, params: tuple[str, ...], project, graph_file, fmt, iri) -> None:
    """Run a SPARQL query (text, or a .rq file) with parameters bound, never pasted into it.

    The prefixes rkg, rdf, rdfs, owl, xsd, skos, dcterms, prov, cito, bibo, fabio, prism, foaf
    and oa are predeclared. A bound parameter must be one of the SELECT's variables.

    \b
    Examples:
      kg sparql 'SELECT ?who ?text WHERE { ?q rkg:text ?text ; rkg:spokenBy/dcterms:identifier ?who }' --param who=38
      kg sparql my-question.rq --graph out/graph.ttl --format json
    """
    text = _query_text(sparql)
    bound = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip().lstrip("?$"):
            raise kg.ProjectError(f"--param '{item}' is not NAME=VALUE")
        bound[name.strip().lstrip("?$")] = value
    store = _open(ctx, project, graph_file)
    click.echo(render(run_sparql(store, text, bound), fmt, iri=iri), nl=False)


def _query_text(argument: str) -> str:
    """The query itself, or the text of the .rq file it names."""
    looks_like_file = (
        "\n" not in argument and len(argument) < 4096 and (argument.endswith((".rq", ".sparql")) or "{" not in argument)
    )
    if not looks_like_file:
        return argument
    path = Path(argument)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise kg.ProjectError(
            f"cannot read the query file '{argument}': {getattr(exc, 'strerror', None) or exc}; "
            "give a SPARQL query or the path of a .rq file"
        ) from None


@cli.command()
@_graph_options
@click.option("--top", default=10, show_default=True, help="How many of the most connected nodes to list.")
@click.pass_context
def stats(ctx: click.Context, project, graph_file, fmt, iri, top: int) -> None:
    """Counts per class and per role, themes per study, and the most connected nodes.

    \b
    Example:
      kg stats --graph out/graph.ttl
    """
    store = _open(ctx, project, graph_file)
    for title, table in graph_stats(store, top=top).items():
        if fmt in ("text", "markdown"):
            click.echo(f"{'## ' if fmt == 'markdown' else ''}{title}\n")
        click.echo(render(table, fmt, iri=iri))


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
    click.echo(
        f"next: edit {Path(directory) / 'quotes'} and {Path(directory) / 'references'}, then 'kg build {directory}'"
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli())
