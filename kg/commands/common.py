"""What every command shares: errors turned into messages and exit codes, warnings, progress bars,
the PROJECT argument, and the options that say where a command reads its graph from.

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
from kg.ingest.collector import fewer_collections
from kg.progress import SILENT, Progress
from kg.store import DEFAULT_GRAPH, Credentials, open_store


class KgGroup(click.Group):
    """Turns :class:`kg.KgError` into one-line messages and exit codes; tracebacks on request."""

    def invoke(self, ctx: click.Context):
        try:
            with fewer_collections():
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
        print_warnings(exc.warnings, project)
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


def print_warnings(warnings: list[Problem], project: str) -> None:
    verbose = bool(click.get_current_context().find_root().obj.get("verbose"))
    by_kind: dict[str, list[Problem]] = {}
    for problem in warnings:
        by_kind.setdefault(problem.kind, []).append(problem)
    shown: dict[str, int] = {}  # how many of each kind came before (not list.index: 15,000 warnings took a minute)
    for problem in warnings:
        same = by_kind[problem.kind]
        position = shown[problem.kind] = shown.get(problem.kind, -1) + 1
        if verbose or not problem.kind or len(same) <= SUMMARY_AFTER or position < SUMMARY_SHOWS:
            click.echo(_located(problem, project), err=True)
        elif position == SUMMARY_SHOWS:
            rest = len(same) - SUMMARY_SHOWS
            what = _KIND_NAMES.get(problem.kind, problem.kind)
            click.echo(f"... and {rest:,} more warnings of {what} (--verbose lists them all)", err=True)


class BarProgress(Progress):
    """A progress bar per stage of long work, on stderr."""

    @contextmanager
    def stage(self, label: str, total: int):
        with click.progressbar(length=max(total, 1), label=f"kg: {label}", file=sys.stderr) as bar:
            yield bar.update


def progress_for(ctx: click.Context) -> Progress:
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


def one_project(argument: str | None, option: str | None) -> str | None:
    """The project given as PROJECT or as --project (both only when they name the same folder)."""
    if argument is not None and option is not None and Path(argument).resolve() != Path(option).resolve():
        raise click.UsageError(f"give the project once: PROJECT '{argument}' or --project '{option}', not both")
    return argument if argument is not None else option


PROJECT_OPTION = click.option(
    "--project", "project_option", type=click.Path(file_okay=False), help="The project, as PROJECT is [default: .]."
)


def project_argument(command):
    """PROJECT as an optional argument beside --project, for a command that takes no other argument."""

    @functools.wraps(command)
    def run(*args, project_argument=None, **kwargs):
        kwargs["project"] = one_project(project_argument, kwargs.get("project"))
        return command(*args, **kwargs)

    argument = click.argument("project_argument", metavar="[PROJECT]", required=False, type=click.Path(file_okay=False))
    return argument(run)


def _remember(ctx: click.Context, param: click.Parameter, value):
    """Keep a source option in ctx.obj, where :func:`open_graph` finds it (commands need not pass it on)."""
    ctx.ensure_object(dict)[param.name] = value
    return value


def source_options(command):
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


def credentials_from(user: str | None, password: str | None) -> Credentials | None:
    if user is None and password is None:
        return None
    if not user:
        raise kg.ProjectError("a password was given without a user; give --user (or KG_USER) too")
    return Credentials(user, password or "")


def open_graph(ctx: click.Context, project: str | None, graph_file: str | None):
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
        credentials=credentials_from(os.environ.get("KG_USER"), os.environ.get("KG_PASSWORD")),
    )
