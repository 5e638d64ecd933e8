"""Read BibTeX files into :class:`~kg.model.Reference` objects, collecting every problem.

bibtexparser 2 splits each file into blocks (entries, @string, failed blocks); this module does
what BibTeX does with them and bibtexparser leaves undone: @string macros and ``#`` joins
(in file order, carried over from one file to the next, as ``\\bibliography{abbrev,refs}``
does), the month macros jan..dec, field names in any case, the first of two equal fields,
keys that differ only in case, and ``crossref``. :mod:`kg.bibdecode` turns the resulting
LaTeX into Unicode and splits the names.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from kg.bibdecode import bare_doi, latex_to_unicode, month_number, plain_value, split_names
from kg.errors import Problem, warning
from kg.model import Reference

# bibtexparser logs each block it cannot parse; we report those as Problems. Without a
# handler of its own, Python's last-resort handler would print them to stderr as well.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

#: Fields that are not prose: their text is kept as written (braces and extra spaces aside).
RAW_FIELDS = frozenset({"url", "doi", "file", "eprint", "crossref", "xref", "xdata", "ids"})
NAME_FIELDS = ("author", "editor")
#: BibTeX's standard styles define these macros; an @string of the same name overrides them.
MONTH_MACROS = {
    m[:3].lower(): m
    for m in "January February March April May June July August September October November "
    "December".split()
}

_WORD = re.compile(r"[^\s\"#%'(),={}]+")  # a macro name or a number, as BibTeX reads them
_BRACES = re.compile(r"(?<!\\)[{}]")  # the splitter's convention: \{ is no delimiter
_BRACES_OR_QUOTE = re.compile(r'(?<!\\)[{}"]')
_BLOCK_HEAD = re.compile(r"@\s*(\w*)\s*[{(]\s*([^\s,{}()=\"#%']*)\s*,?")


def load_bibtex(paths: Iterable[Path], root: Path) -> tuple[dict[str, Reference], list[Problem]]:
    """Read BibTeX files: every entry by key, and every problem (errors and warnings) found.

    Files are read in the given order, and an @string defined in one holds in the next.
    Never raises on bad input: unreadable files and blocks become errors in the list.

    >>> refs, problems = load_bibtex([Path("references/seeds.bib")], Path("."))  # doctest: +SKIP
    >>> refs["topor2018helpful"].authors[0].name  # doctest: +SKIP
    'Alain Topor'
    """
    reader = _Reader(root)
    for path in paths:
        reader.read_file(Path(path))
    reader.inherit_crossrefs()
    reader.check_titles()
    return reader.references, reader.problems


class _Reader:
    """The state of one load: macros so far, entries by lower-case key, problems."""

    def __init__(self, root: Path):
        self.root = root
        self.macros: dict[str, str] = {}  # lower-case name -> raw (LaTeX) text
        self.references: dict[str, Reference] = {}
        self.by_folded_key: dict[str, Reference] = {}  # BibTeX compares keys without case
        self.problems: list[Problem] = []
        self.path = ""

    def read_file(self, path: Path) -> None:
        try:
            self.path = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            self.path = path.as_posix()
        try:
            data = path.read_bytes()
        except OSError as error:
            self.problems.append(Problem(self.path, None, f"cannot read the file: {error.strerror}"))
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    f"not valid UTF-8: byte {error.start} (0x{data[error.start]:02x})",
                    "save the file as UTF-8",
                )
            )
            return
        # An empty parse stack: only the splitter. Its middlewares resolve a macro only when it
        # is a field's whole value (no #, no month macros, last definition wins for all) and
        # lower-case field names letting the last duplicate win, so we do both ourselves.
        library = bibtexparser.parse_string(text, parse_stack=[])
        for block in library.blocks:
            if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
                # Which of two equal keys or fields to keep is ours to say; unwrap and go on.
                block = block.ignore_error_block
            if isinstance(block, ParsingFailedBlock):
                self._failed(block)
            elif isinstance(block, String):
                self._define(block)
            elif isinstance(block, Entry):
                self._entry(block)
            # @preamble and comments say nothing about the works.

    def _failed(self, block: ParsingFailedBlock) -> None:
        head = _BLOCK_HEAD.match(block.raw or "")
        kind, key = (head.group(1), head.group(2)) if head else ("", "")
        error = block.error
        reason = " ".join(str(getattr(error, "abort_reason", "") or error).split())
        what = f"@{kind} entry '{key}'" if key else f"@{kind} block"
        self.problems.append(
            Problem(
                self.path,
                block.start_line + 1,
                f"cannot parse {what}: {reason}",
                "check its braces, quotes, commas and = signs",
            )
        )

    def _define(self, block: String) -> None:
        line = block.start_line + 1
        where = f"@string '{block.key}'"
        if not _WORD.fullmatch(block.key):
            self.problems.append(
                Problem(self.path, line, f"{where} is not a macro name", "write @string{name = {text}}")
            )
            return
        value = self._evaluate(block.value, where, line, "put the value in braces")
        if value is not None:
            self.macros[block.key.lower()] = value

    def _evaluate(self, raw: str, where: str, line: int, hint: str) -> str | None:
        """A field's raw text with macros and # resolved (LaTeX kept), or None if unreadable."""
        try:
            pieces = _pieces(raw)
        except ValueError as error:
            self.problems.append(Problem(self.path, line, f"{where}: cannot read the value: {error}", hint))
            return None
        text = []
        for kind, piece in pieces:
            if kind != "macro":
                text.append(piece)
            elif piece.lower() in self.macros:
                text.append(self.macros[piece.lower()])
            elif piece.lower() in MONTH_MACROS:
                text.append(MONTH_MACROS[piece.lower()])
            else:
                # BibTeX would print nothing; the name tells a reader more than a gap does.
                text.append(piece)
                self.problems.append(
                    warning(
                        self.path,
                        line,
                        f"{where} uses the undefined @string '{piece}' (kept as the text '{piece}')",
                        f"define it with @string{{{piece} = {{...}}}} before it is used, "
                        "or put the value in braces",
                    )
                )
        return "".join(text)

    def _entry(self, block: Entry) -> None:
        line = block.start_line + 1
        key = block.key
        if not key:
            self.problems.append(
                Problem(self.path, line, f"@{block.entry_type} entry has no key", "write a key after the {")
            )
            return
        fields: dict[str, str] = {}
        first_line: dict[str, int] = {}
        ref = Reference(key, block.entry_type.lower(), fields, self.path, line)
        for field in block.fields:
            name, field_line = field.key.lower(), field.start_line + 1
            if name in first_line:
                self.problems.append(
                    warning(
                        self.path,
                        field_line,
                        f"entry '{key}': field '{name}' is given twice (first on line "
                        f"{first_line[name]}); the first value is kept, as BibTeX does",
                        "delete one of them",
                    )
                )
                continue
            first_line[name] = field_line
            where = f"entry '{key}': field '{name}'"
            raw = self._evaluate(field.value, where, field_line, "put the value in braces, joining parts with #")
            if raw is None:
                continue
            fields[name] = self._decode(ref, name, raw, field_line)
        self._add(ref)

    def _decode(self, ref: Reference, name: str, raw: str, line: int) -> str:
        if name in RAW_FIELDS or name.endswith("url"):
            value = plain_value(raw)
        else:
            value = latex_to_unicode(raw)
        if name in NAME_FIELDS:
            people, more, reasons = split_names(raw)
            if name == "author":
                ref.authors, ref.more_authors = people, more
            else:
                ref.editors = people
            for reason in reasons:
                self.problems.append(
                    warning(
                        self.path,
                        line,
                        f"entry '{ref.key}': cannot split the {name} name {reason}; read it leniently",
                        "check its braces and commas",
                    )
                )
        elif name == "month":
            value = month_number(value)
        elif name == "doi":
            value = bare_doi(value)
            if not value.startswith("10."):
                self.problems.append(
                    warning(
                        self.path,
                        line,
                        f"entry '{ref.key}': doi '{value}' does not start with '10.'",
                        "give the bare DOI, like 10.1037/0003-066X.59.1.29",
                    )
                )
        return value

    def _add(self, ref: Reference) -> None:
        folded = ref.key.lower()
        first = self.by_folded_key.get(folded)
        if first is None:
            self.by_folded_key[folded] = ref
            self.references[ref.key] = ref
            return
        # BibTeX keeps the first entry of a key and so do we; the second is reported, not kept.
        there = f"{first.path}:{first.line}"
        if first.key == ref.key:
            message = f"duplicate key '{ref.key}': also at {there}"
        else:
            message = (
                f"key '{ref.key}' differs only in case from '{first.key}' at {there}, "
                "and BibTeX treats them as the same key"
            )
        self.problems.append(Problem(ref.path, ref.line, message, "rename or delete one of the two entries"))

    def inherit_crossrefs(self) -> None:
        """Give each entry with ``crossref`` the fields its parent has and it lacks.

        One level, as BibTeX: a parent's own crossref is not followed. The parent's title
        becomes the child's booktitle, as BibTeX styles show it ("In: Proceedings of ...").
        """
        own = {key: dict(ref.fields) for key, ref in self.references.items()}
        for ref in self.references.values():
            target = ref.fields.get("crossref")
            if target is None:
                continue
            parent = self.by_folded_key.get(target.lower())
            if parent is None:
                self.problems.append(
                    warning(
                        ref.path,
                        ref.line,
                        f"entry '{ref.key}': crossref '{target}' is not an entry in the BibTeX files",
                        f"add an entry '{target}' or remove the crossref",
                    )
                )
                continue
            for name, value in own[parent.key].items():
                if name not in ref.fields and name != "crossref":
                    ref.fields[name] = value
                    if name == "author":
                        ref.authors, ref.more_authors = list(parent.authors), parent.more_authors
                    elif name == "editor":
                        ref.editors = list(parent.editors)
            if "booktitle" not in ref.fields and "title" in own[parent.key]:
                ref.fields["booktitle"] = own[parent.key]["title"]

    def check_titles(self) -> None:
        for ref in self.references.values():
            if not ref.fields.get("title") and ref.entry_type not in ("set", "xdata"):
                self.problems.append(
                    warning(ref.path, ref.line, f"entry '{ref.key}' has no title", "add a title field")
                )


def _pieces(raw: str) -> list[tuple[str, str]]:
    """Split a value into the parts that ``#`` joins: ("text", ...) or ("macro", name).

    bibtexparser keeps a value as written (``"10~" # jan``); it has no evaluator for them.

    >>> _pieces('"10~" # jan # {, {1986}}')
    [('text', '10~'), ('macro', 'jan'), ('text', ', {1986}')]
    """
    pieces: list[tuple[str, str]] = []
    i, end = 0, len(raw)
    while True:
        while i < end and raw[i].isspace():
            i += 1
        if i == end:
            raise ValueError("a part is missing" + (" after #" if pieces else ""))
        if raw[i] in '{"':
            close = _closing(raw, i)
            pieces.append(("text", raw[i + 1 : close]))
            i = close + 1
        else:
            word = _WORD.match(raw, i)
            if word is None:
                raise ValueError(f"unexpected {raw[i]!r}")
            pieces.append(("text" if word.group().isdigit() else "macro", word.group()))
            i = word.end()
        while i < end and raw[i].isspace():
            i += 1
        if i == end:
            return pieces
        if raw[i] != "#":
            raise ValueError(f"expected # between two parts, found {raw[i]!r}")
        i += 1


def _closing(raw: str, start: int) -> int:
    """Index of the brace or quote that closes the one at ``start`` (braces nest inside)."""
    quoted = raw[start] == '"'
    depth = 0
    for mark in (_BRACES_OR_QUOTE if quoted else _BRACES).finditer(raw, start + 1):
        char = mark.group()
        if char == "{":
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
        elif char == "}" and quoted:
            raise ValueError("a } with no { inside quotes")
        elif depth == 0:  # the closing } of a braced part, or " of a quoted one
            return mark.start()
    raise ValueError(f"no closing {'quote' if quoted else '}'}")
