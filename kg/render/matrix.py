"""The synthesis matrix written out: Markdown (passage ids), CSV and HTML (the passages' text).

Read down a column to write a theme's section: each cell names the passages that cite the row's
study about the column's theme; the last row counts the theme's quotes by role.

A grid grows with studies × themes, not with what it says: 4,453 studies and 800 themes make
3.6 million cells (8 MB of Markdown, nearly all empty), a field-wide graph a gigabyte. Past
:data:`GRID_CELLS` cells Markdown is written in its long layout, one row per filled cell (theme,
study, passages) in the grid's order, which grows with the passages; ``layout="grid"`` or
``"long"`` chooses.
"""

from __future__ import annotations

import csv
import html
import io

from kg.render.citing import escape_markdown
from kg.store import Store
from kg.views.matrix import SynthesisMatrix, synthesis_matrix
from kg.views.records import Evidence
from kg.views.review import ReviewOutline

FORMATS = ("md", "csv", "html")
LAYOUTS = ("auto", "grid", "long")
#: The largest grid (studies × themes) ``layout="auto"`` writes as a grid in Markdown.
GRID_CELLS = 250_000
QUOTES_ROW = "Quotes (users / professionals)"


def _passage(matrix: SynthesisMatrix, passage: Evidence) -> str:
    return f"{matrix.records.key_of(passage.study)}/{passage.id}"


def _quotes(matrix: SynthesisMatrix, theme: str, full: bool) -> str:
    by_role = matrix.quotes[theme]
    counts = f"{len(by_role['user'])} / {len(by_role['professional'])}"
    if not full:
        return counts
    named = "; ".join(f"{role}: {', '.join(q.id for q in quotes)}" for role, quotes in by_role.items() if quotes)
    return f"{counts} ({named})" if named else counts


def _cell(matrix: SynthesisMatrix, study: str, theme: str, full: bool) -> list[tuple[str, str]]:
    """(passage id, its text) for each passage of a cell."""
    return [(_passage(matrix, p), p.text if full else "") for p in matrix.cells.get((study, theme), [])]


def matrix_markdown(matrix: SynthesisMatrix) -> str:
    header = ["Study", *(t.label for t in matrix.themes)]
    rows = [
        [s.label, *(", ".join(pid for pid, _ in _cell(matrix, s.iri, t.iri, False)) for t in matrix.themes)]
        for s in matrix.studies
    ]
    rows.append([QUOTES_ROW, *(_quotes(matrix, t.iri, False) for t in matrix.themes)])
    lines = ["| " + " | ".join(escape_markdown(c) for c in header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(escape_markdown(c) if c else "" for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def matrix_markdown_long(matrix: SynthesisMatrix) -> str:
    """One row per filled cell, theme by theme (the grid's columns, in order), then each theme's quotes."""
    grid = f"{len(matrix.studies):,} studies × {len(matrix.themes):,} themes"
    lines = [
        f"The synthesis matrix in its long layout ({grid}: one row per cell that holds passages; "
        "`kg matrix --layout grid` writes the grid).",
        "",
        "| Theme | Study | Passages |",
        "| --- | --- | --- |",
    ]
    row = {s.iri: number for number, s in enumerate(matrix.studies)}
    filled: dict[str, list[str]] = {}  # theme -> its studies with passages (the cells, not the grid)
    for study, theme in matrix.cells:
        filled.setdefault(theme, []).append(study)
    for t in matrix.themes:
        for study in sorted(filled.get(t.iri, []), key=row.__getitem__):
            passages = ", ".join(pid for pid, _ in _cell(matrix, study, t.iri, False))
            label = matrix.studies[row[study]].label
            lines.append(f"| {escape_markdown(t.label)} | {escape_markdown(label)} | {escape_markdown(passages)} |")
    lines += ["", f"| Theme | {QUOTES_ROW} |", "| --- | --- |"]
    lines += [f"| {escape_markdown(t.label)} | {_quotes(matrix, t.iri, False)} |" for t in matrix.themes]
    return "\n".join(lines) + "\n"


def matrix_csv(matrix: SynthesisMatrix) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["study", "cite_key", *(t.label for t in matrix.themes)])
    for s in matrix.studies:
        cells = ["\n".join(f"{pid}: {text}" for pid, text in _cell(matrix, s.iri, t.iri, True)) for t in matrix.themes]
        writer.writerow([s.label, s.id, *cells])
    writer.writerow([QUOTES_ROW, "", *(_quotes(matrix, t.iri, True) for t in matrix.themes)])
    return buffer.getvalue()


def matrix_html(matrix: SynthesisMatrix) -> str:
    def cell(study: str, theme: str) -> str:
        return "".join(
            f"<p><b>{html.escape(pid)}</b> {html.escape(text)}</p>" for pid, text in _cell(matrix, study, theme, True)
        )

    head = "".join(f"<th>{html.escape(t.label)}</th>" for t in matrix.themes)
    rows = [
        f"<tr><th>{html.escape(s.label)}</th>" + "".join(f"<td>{cell(s.iri, t.iri)}</td>" for t in matrix.themes)
        for s in matrix.studies
    ]
    rows.append(
        f"<tr><th>{QUOTES_ROW}</th>"
        + "".join(f"<td>{html.escape(_quotes(matrix, t.iri, True))}</td>" for t in matrix.themes)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Synthesis matrix</title>\n'
        "<style>table{border-collapse:collapse;font:13px sans-serif}td,th{border:1px solid #bbb;padding:4px;"
        "vertical-align:top}td p{margin:0 0 .4em}</style>\n</head>\n<body>\n<table>\n"
        f"<tr><th>Study</th>{head}</tr>\n" + "</tr>\n".join(rows) + "</tr>\n</table>\n</body>\n</html>\n"
    )


def render_matrix(
    store: Store,
    fmt: str = "md",
    themes: list[str] | None = None,
    outline: ReviewOutline | None = None,
    layout: str = "auto",
) -> str:
    """The synthesis matrix of the store's themes as ``md``, ``csv`` or ``html``; Markdown as a grid
    or, past :data:`GRID_CELLS` cells or with ``layout="long"``, one row per filled cell.

    Example::

        Path("matrix.csv").write_text(render_matrix(open_store(project="."), "csv"))
    """
    matrix = synthesis_matrix(store, themes, outline)
    cells = len(matrix.studies) * len(matrix.themes)
    if fmt == "md" and (layout == "long" or (layout == "auto" and cells > GRID_CELLS)):
        return matrix_markdown_long(matrix)
    return {"md": matrix_markdown, "csv": matrix_csv, "html": matrix_html}[fmt](matrix)
