"""Read quote tables (``quotes/*.csv``, ``*.tsv``: one row per quote, format in the README).

For people who code quotes in a spreadsheet. A row holds what a quote of an annotation file
holds (study, id, speaker or role, text, themes, ...; lists separated by ``;``); the study's
annotation file declares its participants and themes, and :func:`kg.project.join_quotes` adds
the rows to it, so the checks judge them as if they were written there. Read with the csv
module: UTF-8 with or without a byte order mark, any line ends (a spreadsheet's ``\\r\\n``),
cells in double quotes when they hold the separator or a line break. Every problem is collected
with its file and line (the line a row starts on); nothing here raises on bad input.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping
from pathlib import Path

from kg.errors import Problem
from kg.files import relative_path
from kg.model import ATTRIBUTIONS, ROLES, PartialCorpus, Quote, Use

#: The columns a quote table may have, in the order the README lists them.
COLUMNS = (
    "study",
    "id",
    "speaker",
    "role",
    "attribution",
    "prompt",
    "text",
    "themes",
    "concepts",
    "actions",
    "factors",
    "page",
)
REQUIRED = ("study", "id", "text")
LIST_COLUMNS = ("themes", "concepts", "actions", "factors")
LIST_SEPARATOR = ";"
#: File suffix -> the character between cells.
SEPARATORS = {".csv": ",", ".tsv": "\t"}
SEPARATOR_NAMES = {",": "','", "\t": "a tab"}
ATTRIBUTION_MEANING = (
    "marked: the paper prints the speaker's id after the quote; from-text: the prose around it names "
    "the speaker; uncertain: neither"
)


def read_quote_tables(paths: list[Path], root: Path, settings: Mapping[str, object] | None = None) -> PartialCorpus:
    """The reader of ``*.csv`` and ``*.tsv`` quote tables: each file in turn, problems located in it.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "q.csv").write_bytes(b"study,id,speaker,text,themes\\r\\nalpha2020,q1,1,Hi there,small;big\\r\\n")
    >>> part = read_quote_tables([folder / "q.csv"], folder)
    >>> quote = part.quotes[0]
    >>> quote.study, quote.id, quote.speaker, quote.text, [t.value for t in quote.themes], quote.line
    ('alpha2020', 'q1', Use(value='1', line=2), 'Hi there', ['small', 'big'], 2)
    """
    part = PartialCorpus()
    for path in paths:
        quotes, problems, complete = read_quote_table(path, root)
        part.quotes += quotes
        part.problems += problems
        # The quotes of a file that could not be read may use themes: none is judged unused.
        part.unreadable = part.unreadable or not complete
    return part


def read_quote_table(path: Path, root: Path) -> tuple[list[Quote], list[Problem], bool]:
    """One quote table: its quotes, its problems, and whether all of it could be read."""
    table = _Table(relative_path(path, root), SEPARATORS.get(path.suffix.lower(), ","))
    text = table.decode(path.read_bytes())
    if text is None:
        return [], table.problems, False
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.separator, strict=True)
    start = 1  # the line the row being read starts on (a cell in quotes may hold line breaks)
    try:
        header = next(reader, None)
        if header is None:
            table.error(1, "is empty", f"start it with a header row: {', '.join(COLUMNS)}")
            return [], table.problems, False
        if not table.read_header(header):
            return [], table.problems, False
        start = reader.line_num + 1
        for cells in reader:
            table.read_row(start, cells)
            start = reader.line_num + 1
    except csv.Error as error:
        table.error(start, f"is not valid CSV: {error}", "check the double quotes of the row on that line")
        return table.quotes, table.problems, False
    return table.quotes, table.problems, True


class _Table:
    """One file being read: its columns, the quotes of its rows, the problems found."""

    def __init__(self, path: str, separator: str):
        self.path = path
        self.separator = separator
        self.columns: list[str] = []
        self.quotes: list[Quote] = []
        self.problems: list[Problem] = []

    def error(self, line: int, message: str, hint: str) -> None:
        self.problems.append(Problem(self.path, line, message, hint))

    def decode(self, data: bytes) -> str | None:
        """The file as text with ``\\n`` line ends, or None (and the problem) when it is not UTF-8."""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.error(
                line, f"is not UTF-8 text (byte {exc.start})", "save the file as UTF-8 (a spreadsheet's 'CSV UTF-8')"
            )
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def read_header(self, header: list[str]) -> bool:
        """Note the columns; report unknown, nameless, repeated and missing ones. True when rows can be read."""
        names = [cell.strip().lower() for cell in header]
        before = len(self.problems)
        if len(names) == 1 and self._one_cell_header(header[0]):
            return False
        for position, name in enumerate(names, start=1):
            if not name:
                self.error(1, f"column {position} of the header has no name", "name it, or delete the column")
            elif name not in COLUMNS:
                close = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.6)
                guess = f"did you mean '{close[0]}'? " if close else ""
                self.error(
                    1,
                    f"unknown column '{header[position - 1].strip()}' in the header",
                    f"{guess}the columns are: {', '.join(COLUMNS)}",
                )
            elif names.index(name) + 1 != position:
                self.error(
                    1,
                    f"column '{name}' is given twice in the header (columns {names.index(name) + 1} and {position})",
                    "keep one of them",
                )
        for name in REQUIRED:
            if name not in names:
                self.error(1, f"the header has no '{name}' column", f"add it: every quote needs a {name}")
        self.columns = names
        return len(self.problems) == before

    def _one_cell_header(self, cell: str) -> bool:
        """A header of one cell that holds another separator: the file is separated by it. Reported."""
        for other, suffix in ((";", ""), (",", ".csv"), ("\t", ".tsv")):
            if other != self.separator and other in cell:
                name = SEPARATOR_NAMES.get(other, f"'{other}'")
                todo = (
                    f"name the file {suffix}"
                    if suffix
                    else f"save it with {SEPARATOR_NAMES[self.separator]} between cells"
                )
                self.error(
                    1,
                    f"the header is one cell, '{cell.strip()}': the file seems to separate its cells by {name}",
                    f"{todo} ('{LIST_SEPARATOR}' separates the items of a list in a cell)",
                )
                return True
        return False

    def read_row(self, line: int, cells: list[str]) -> None:
        """One row: a quote, or the problems that keep it out. A row of empty cells is no quote."""
        if not any(cell.strip() for cell in cells):
            return
        if len(cells) != len(self.columns):
            separator = SEPARATOR_NAMES[self.separator]
            self.error(
                line,
                f"row has {len(cells)} cells, the header has {len(self.columns)}",
                f"a cell that holds {separator} or a line break goes in double quotes; "
                "give every row one cell per column",
            )
            return
        row = {name: cell.strip() for name, cell in zip(self.columns, cells)}
        self.quotes.append(self._quote(line, row))

    def _quote(self, line: int, row: dict[str, str]) -> Quote:
        what = f"quote '{row['id']}'" if row.get("id") else "the quote of this row"
        for name in REQUIRED:
            if not row[name]:
                self.error(line, f"'{name}' of {what} is empty", f"give {what} a {name}")
        speaker = row.get("speaker", "")
        return Quote(
            row["study"],
            row["id"],
            row["text"],
            self.path,
            line,
            speaker=Use(speaker, line) if speaker else None,
            role=self._choice(line, row, "role", what, ROLES),
            themes=_uses(row.get("themes", ""), line),
            actions=_uses(row.get("actions", ""), line),
            factors=_uses(row.get("factors", ""), line),
            concepts=_uses(row.get("concepts", ""), line),
            page=row.get("page", ""),
            prompt=row.get("prompt", ""),
            attribution=self._choice(line, row, "attribution", what, ATTRIBUTIONS, ATTRIBUTION_MEANING),
        )

    def _choice(self, line: int, row: dict, name: str, what: str, allowed: tuple[str, ...], meaning: str = "") -> str:
        value = row.get(name, "")
        if value and value not in allowed:
            hint = f"use one of: {', '.join(allowed)}" + (f" ({meaning})" if meaning else "")
            self.error(line, f"'{name}' of {what} is '{value}'", hint)
            return ""
        return value


def _uses(cell: str, line: int) -> list[Use]:
    """The ids of a list cell, separated by ``;`` (empty items, as after a last ``;``, are none).

    >>> _uses("small; coffee-talk;", 3)
    [Use(value='small', line=3), Use(value='coffee-talk', line=3)]
    """
    return [Use(item.strip(), line) for item in cell.split(LIST_SEPARATOR) if item.strip()]
