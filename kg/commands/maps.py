"""`kg map` and `kg export`: the map views as one offline page, or as files for other tools."""

from __future__ import annotations

from pathlib import Path

import click

import kg
from kg.commands.common import open_graph, project_argument, source_options
from kg.files import shown_path, write_atomically
from kg.project import project_root
from kg.render.codebook import codebook_xml
from kg.render.exports import FORMATS as EXPORT_FORMATS
from kg.render.maps import map_export, map_page
from kg.views.maps import VIEWS as MAP_VIEWS


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
    return source_options(command)


@click.command("map")
@project_argument
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
    store = open_graph(ctx, project, graph_file)
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


@click.command("export")
@project_argument
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
    store = open_graph(ctx, project, graph_file)
    if fmt == CODEBOOK_FORMAT:
        files = {"": codebook_xml(store, study)}
    else:
        files = map_export(store, fmt, view, focus_on=focus_on, depth=depth, factors=factors)
    target = Path(out)
    paths = [target / name for name in sorted(files)] if fmt == "csv" else [target]
    for path, data in zip(paths, [files[name] for name in sorted(files)]):
        write_atomically(path, data)
        click.echo(f"wrote {shown_path(path)}")
