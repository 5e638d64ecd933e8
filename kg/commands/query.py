"""`kg query NAME`, `kg sparql` and `kg stats`: questions to the graph, answered as tables."""

from __future__ import annotations

import re
from pathlib import Path

import click

import kg
from kg.commands.common import open_graph, project_argument, source_options
from kg.queries import NamedQuery, named_queries, parse_param_value, run_named, run_sparql
from kg.render.tables import FORMATS as TABLE_FORMATS
from kg.render.tables import render
from kg.views.stats import graph_stats


def _table_options(command):
    """--project / --graph, --format and --iri: shared by every command that answers with a table."""
    command = click.option("--iri", is_flag=True, help="Add an IRI column beside every column of nodes.")(command)
    command = click.option(
        "--format",
        "fmt",
        type=click.Choice(TABLE_FORMATS),
        default="text",
        show_default=True,
        help="text is an aligned table cut to the terminal; the others hold full values.",
    )(command)
    return source_options(command)


def _named_command(query: NamedQuery) -> click.Command:
    """A `kg query NAME` command made from the named query's header."""

    def run(ctx: click.Context, project, graph_file, fmt, iri, **values):
        store = open_graph(ctx, project, graph_file)
        table = run_named(store, query.name, **{k: v for k, v in values.items() if v is not None})
        click.echo(render(table, fmt, iri=iri), nl=False)
        if getattr(table, "note", ""):  # why an answer is empty (kg query path), beside it, not in it
            click.echo(f"kg: {table.note}", err=True)

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
    return _table_options(command)


@click.group()
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


@click.command()
@click.argument("sparql")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE, typed by its form: <IRI> or prefix:local, 5, 1.5, true, "
    '"text" (a string, e.g. "38"), "text"@en, "5"^^xsd:integer; else a string. Repeatable.',
)
@_table_options
@click.pass_context
def sparql(ctx: click.Context, sparql: str, params: tuple[str, ...], project, graph_file, fmt, iri) -> None:
    """Run a SPARQL query (text, or a .rq file) with parameters bound, never pasted into it.

    The prefixes rkg, rdf, rdfs, owl, xsd, skos, dcterms, prov, cito, bibo, fabio, prism, foaf
    and oa are predeclared. A parameter binds any variable of the query. Updates (INSERT,
    DELETE ...) are refused: the graph is made from the input files.

    \b
    Examples:
      kg sparql 'SELECT ?text WHERE { ?q rkg:text ?text ; rkg:spokenBy/dcterms:identifier ?who }' --param 'who="38"'
      kg sparql 'SELECT ?study WHERE { ?study dcterms:issued ?year }' --param 'year="2004"^^xsd:gYear'
      kg sparql 'DESCRIBE <https://w3id.org/recovery-kg/id/study/borg2004>'
      kg sparql my-question.rq --graph out/graph.ttl --format json
    """
    text = _query_text(sparql)
    bound = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip().lstrip("?$"):
            raise kg.ProjectError(f"--param '{item}' is not NAME=VALUE")
        bound[name.strip().lstrip("?$")] = parse_param_value(value)
    store = open_graph(ctx, project, graph_file)
    click.echo(render(run_sparql(store, text, bound), fmt, iri=iri), nl=False)


#: The first word of a query or an update (after any comment): the argument is SPARQL, not a file.
_SPARQL_START = re.compile(
    r"\s*(#[^\n]*\n\s*)*(PREFIX|BASE|SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)"
    r"([\s*?$<{(]|\Z)",
    re.IGNORECASE,
)


def _query_text(argument: str) -> str:
    """The query itself, or the text of the .rq file it names.

    A one-line argument naming a file that exists, or ending in .rq or .sparql, is a file; else
    it is SPARQL when it starts with a query's (or an update's) first word or holds a brace.
    """
    one_line = "\n" not in argument and len(argument) < 4096
    is_file = one_line and "\0" not in argument and Path(argument).is_file()
    if not is_file and not argument.endswith((".rq", ".sparql")):
        if _SPARQL_START.match(argument) or "{" in argument or not one_line:
            return argument
    try:
        return Path(argument).read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise kg.ProjectError(
            f"cannot read the query file '{argument}': {getattr(exc, 'strerror', None) or exc}; "
            "give a SPARQL query or the path of a .rq file"
        ) from None


@click.command()
@project_argument
@_table_options
@click.option("--top", default=10, show_default=True, help="How many of the most connected nodes to list.")
@click.pass_context
def stats(ctx: click.Context, project, graph_file, fmt, iri, top: int) -> None:
    """Counts per class and per role, themes per study, and the most connected nodes.

    \b
    Example:
      kg stats --graph out/graph.ttl
    """
    store = open_graph(ctx, project, graph_file)
    for title, table in graph_stats(store, top=top).items():
        if fmt in ("text", "markdown"):
            click.echo(f"{'## ' if fmt == 'markdown' else ''}{title}\n")
        click.echo(render(table, fmt, iri=iri))
