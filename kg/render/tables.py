"""Write an answer table as text, CSV, TSV, JSON or Markdown.

JSON is a list of objects keyed by column name; numbers stay numbers. The text table is aligned
and cut to the terminal's width, shows a study by its label, and leaves out a column that is empty
in every row (a quote's ``prompt`` is rare; the seed papers have no pages); the other formats hold
every column and full values, and a study's cite key beside its label (``COLUMN_key``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

from kg.queries.table import Table

FORMATS = ("text", "csv", "tsv", "json", "markdown")
_WORD = re.compile(r"\S+")


def render(table: Table, fmt: str = "text", iri: bool = False, width: int | None = None) -> str:
    """The table in one of :data:`FORMATS`. An empty answer says so (text, Markdown), is ``[]``
    (JSON) or the header alone (CSV, TSV)."""
    records = table.records(iri=iri, keys=fmt != "text")
    columns = list(records[0]) if records else list(table.columns)
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow(["" if record[c] is None else record[c] for c in columns])
        return buffer.getvalue()
    if fmt == "markdown":
        if not records:
            return "*No answer.*\n"
        lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
        for record in records:
            lines.append("| " + " | ".join(_md(record[c]) for c in columns) + " |")
        return "\n".join(lines) + "\n"
    if fmt == "text":
        return _text_table(columns, records, width or shutil.get_terminal_size((100, 24)).columns)
    raise ValueError(f"unknown format {fmt!r}")


def _md(value) -> str:
    text = "" if value is None else str(value)
    # HTML in a value is shown as text: a Markdown renderer would otherwise run it. A bare "&"
    # stays (it renders as itself); one that starts an entity ("&lt;") is escaped.
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _text_table(columns: list[str], records: list[dict], width: int) -> str:
    if not records:
        return "(no answer)\n"
    # A cell is cut to the width before it is measured: a quote of a million words costs no more
    # than one that fills the line.
    cells = [[_one_line(r[c], width + 1) for c in columns] for r in records]
    # An empty column only takes width from the others on a screen.
    shown = [i for i in range(len(columns)) if any(row[i] for row in cells)] or list(range(len(columns)))
    columns = [columns[i] for i in shown]
    cells = [[row[i] for i in shown] for row in cells]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    available = max(width - 2 * (len(columns) - 1), len(columns) * 4)
    # Shrink the widest column a character at a time until the table fits the terminal, so long
    # columns end up sharing the width; cells that do not fit are cut with an ellipsis.
    floors = [max(len(c), 6) for c in columns]
    while sum(widths) > available:
        shrinkable = [i for i in range(len(widths)) if widths[i] > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], i))
        widths[widest] -= 1
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(v[: w - 1] + "…" if len(v) > w else v.ljust(w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def _one_line(value, limit: int) -> str:
    """The value on one line (runs of spaces and line breaks made one space), cut to ``limit`` characters.

    >>> _one_line("a  long\\n quote", 8)
    'a long q'
    """
    if value is None:
        return ""
    words = []
    length = 0
    for word in _WORD.finditer(str(value)):
        words.append(word.group())
        length += len(word.group()) + 1
        if length > limit:
            break
    return " ".join(words)[:limit]
