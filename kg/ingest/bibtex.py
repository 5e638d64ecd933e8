"""Read BibTeX files into :class:`~kg.model.Reference` objects, collecting every problem.

bibtexparser 2 splits each file into blocks (entries, @string, blocks it could not parse);
this module does with them what BibTeX does and bibtexparser leaves undone: @string macros
and ``#`` joins, in file order and carried from one file to the next (as
``\\bibliography{abbrev,refs}`` does); the month macros jan..dec; field names in any case; the
first of two equal fields; keys that differ only in case; ``crossref``. :mod:`kg.ingest.latex`
turns the LaTeX into Unicode and splits the names.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from kg.errors import ERROR, WARNING, Problem
from kg.files import relative_path
from kg.ingest import collector
from kg.ingest.latex import bare_doi, date_range, iso_date, latex_to_unicode, month_number, plain_value, split_names
from kg.model import PartialCorpus, Reference

# bibtexparser logs each block it cannot parse; we report those as Problems. Without a
# handler of its own, Python's last-resort handler would print them to stderr as well.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

#: Fields that are not prose (links, keys, files): kept as written, braces and spaces aside.
RAW_FIELDS = frozenset({"url", "doi", "file", "eprint", "crossref", "xref", "xdata", "ids"})
NAME_FIELDS = ("author", "editor", "translator")
#: What BibTeX's standard styles define; an @string of the same name overrides them.
MONTH_MACROS = {
    name[:3].lower(): name
    for name in ("January February March April May June July August September October November December").split()
}

_WORD = re.compile(r"[^\s\"#%'(),={}]+")  # a macro name or a number, as BibTeX reads them
_BRACES = re.compile(r"(?<!\\)[{}]")  # the splitter's convention: \{ delimits nothing
_BRACES_OR_QUOTE = re.compile(r'(?<!\\)[{}"]')
_YEAR = re.compile(r"-?\d{4}")
_BLOCK_HEAD = re.compile(r"@\s*(\w*)\s*[{(]\s*([^\s,{}()=\"#%']*)")


def load_bibtex(paths: Iterable[Path], root: Path) -> tuple[dict[str, Reference], list[Problem]]:
    """Read BibTeX files: every entry by key, and every problem (errors and warnings) found.

    Files are read in the given order, and an @string defined in one holds in the next.
    Problem paths are relative to ``root``. Never raises on bad input: an unreadable file or
    block is an error in the list, and everything else is still read.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "refs.bib").write_text(
    ...     "@Book{topor2018, Author = {Topor, Alain and others}, Title = {{Small} Things}, Year = 2018}"
    ... )
    >>> refs, problems = load_bibtex([folder / "refs.bib"], folder)
    >>> ref = refs["topor2018"]
    >>> ref.entry_type, ref.title, ref.authors, ref.more_authors
    ('book', 'Small Things', [Person(last='Topor', first='Alain', von='', jr='')], True)
    >>> problems
    []
    """
    reader = _read(paths, root)
    return reader.references, reader.problems


def _read(paths: Iterable[Path], root: Path) -> _Reader:
    reader = _Reader(root)
    with collector.fewer_collections():  # a load keeps most of what it makes: see kg.ingest.collector
        for path in paths:
            reader.read_file(Path(path))
        reader.inherit_crossrefs()
        reader.read_dates()
        reader.check_titles()
    return reader


def read_bibtex(paths: list[Path], root: Path, settings: Mapping[str, object] | None = None) -> PartialCorpus:
    """The reader of ``*.bib`` files: every entry, every problem (see :func:`load_bibtex`); no settings."""
    reader = _read(paths, root)
    return PartialCorpus(
        references=list(reader.references.values()),
        problems=reader.problems,
        unread_keys=reader.unread_keys,
        references_unreadable=reader.file_unreadable,
    )


class _Reader:
    """One load: the macros so far, the entries, the problems."""

    def __init__(self, root: Path):
        self.root = root
        self.macros: dict[str, str] = {}  # lower-case name -> raw (LaTeX) text
        self.references: dict[str, Reference] = {}
        self.by_folded_key: dict[str, Reference] = {}  # BibTeX compares keys without case
        self.problems: list[Problem] = []
        self.path = ""  # of the file being read, relative to root
        # Entries (path, line) whose title could not be read: that error says enough.
        self.unreadable_titles: set[tuple[str, int]] = set()
        # Keys of entries that could not be parsed, and whether a whole file could not be read:
        # uses of such keys elsewhere are not reported again (one fault, one error).
        self.unread_keys: set[str] = set()
        self.file_unreadable = False

    def report(self, line: int | None, message: str, hint: str, severity: str = ERROR, path: str = "") -> None:
        self.problems.append(Problem(path or self.path, line, message, hint, severity))

    def read_file(self, path: Path) -> None:
        self.path = relative_path(path, self.root)
        try:
            data = path.read_bytes()
        except OSError as error:
            self.report(None, f"the file cannot be read: {error.strerror}", "check the path")
            self.file_unreadable = True
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.report(
                data.count(b"\n", 0, error.start) + 1,
                f"the file is not valid UTF-8: byte {error.start} (0x{data[error.start]:02x})",
                "save the file as UTF-8",
            )
            self.file_unreadable = True
            return
        # Only the splitter, no middleware: ResolveStringReferences resolves a macro only when
        # it is a field's whole value (no #, no month macros, the last definition for all
        # entries), and NormalizeFieldKeys lets the last of two fields win. We do both here.
        try:
            library = bibtexparser.parse_string(text, parse_stack=[])
        except Exception as error:  # the splitter re-raises what it takes for a bug of its own
            self.report(None, f"bibtexparser cannot split the file: {error!r}", "report it")
            self.file_unreadable = True
            return
        for block in library.blocks:
            if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
                # Which of two keys or fields to keep is ours to say: unwrap, then go on.
                block = block.ignore_error_block
            if isinstance(block, ParsingFailedBlock):
                self._failed(block)
            elif isinstance(block, String):
                self._define(block)
            elif isinstance(block, Entry):
                self._entry(block)
            # @preamble and comments say nothing about the works.
        # pylatexenc leaves a reference cycle (an exception and its frames) for each value it
        # reads, which holds the frames of its callers, this one's too, until the cycle collector
        # next runs (seldom while reading, see kg.ingest.collector): let it not hold the whole file.
        data = text = library = block = None

    def _failed(self, block: ParsingFailedBlock) -> None:
        head = _BLOCK_HEAD.match(block.raw or "")
        kind, key = (head.group(1), head.group(2)) if head else ("", "")
        reason = str(getattr(block.error, "abort_reason", "") or block.error)
        noun = "" if kind.lower() in ("string", "preamble", "comment") else " entry"
        what = f"@{kind}{noun} '{key}'" if key else f"@{kind} block"
        if key and noun:
            self.unread_keys.add(key)
        self.report(
            block.start_line + 1,
            f"{what} cannot be parsed: {' '.join(reason.split()).rstrip('.')}",
            "check its braces, quotes, commas and = signs",
        )

    def _define(self, block: String) -> None:
        line, where = block.start_line + 1, f"@string '{block.key}'"
        if not _WORD.fullmatch(block.key):
            self.report(line, f"{where} is not a macro name", "write @string{name = {text}}")
            return
        value = self._evaluate(block.value, where, line, "put the value in braces")
        if value is not None:
            self.macros[block.key.lower()] = value

    def _evaluate(self, raw: str, where: str, line: int, hint: str) -> str | None:
        """A value with macros and # resolved (LaTeX kept), or None when it cannot be read."""
        try:
            pieces = _pieces(raw)
        except ValueError as error:
            self.report(line, f"{where}: cannot read the value: {error}", hint)
            return None
        text = []
        for kind, piece in pieces:
            folded = piece.lower()
            if kind == "text":
                text.append(piece)
            elif folded in self.macros:
                text.append(self.macros[folded])
            elif folded in MONTH_MACROS:
                text.append(MONTH_MACROS[folded])
            else:
                # BibTeX would print nothing; the name tells a reader more than a gap does.
                text.append(piece)
                self.report(
                    line,
                    f"{where} uses the undefined @string '{piece}' (kept as the text '{piece}')",
                    f"define it with @string{{{piece} = {{...}}}} before it is used, or put the value in braces",
                    WARNING,
                )
        return "".join(text)

    def _entry(self, block: Entry) -> None:
        line, key = block.start_line + 1, block.key
        if not key:
            self.report(line, f"@{block.entry_type} entry has no key", "write a key after the {")
            return
        ref = Reference(key, _lower(block.entry_type), {}, self.path, line)
        fields = ref.fields
        first_line: dict[str, int] = {}
        for field in block.fields:
            name, field_line = _lower(field.key), field.start_line + 1
            if name in first_line:
                self.report(
                    field_line,
                    f"entry '{key}': field '{name}' is given twice (first on line "
                    f"{first_line[name]}); the first value is kept, as BibTeX does",
                    "delete one of them",
                    WARNING,
                )
                continue
            first_line[name] = field_line
            raw = _one_text(field.value)
            if raw is None:  # macros, #, or a value that cannot be read: BibTeX's way, with its problems
                where = f"entry '{key}': field '{name}'"
                raw = self._evaluate(field.value, where, field_line, "put the value in braces, joining parts with #")
            if raw is None:
                if name == "title":
                    self.unreadable_titles.add((ref.path, ref.line))
            elif _is_prose(name):  # most fields: the text decoded, nothing else to do
                fields[name] = latex_to_unicode(raw)
            else:
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
            elif name == "editor":
                ref.editors = people
            else:
                ref.translators = people
            for reason in reasons:
                self.report(
                    line,
                    f"entry '{ref.key}': cannot split the {name} {reason}, so it was read leniently",
                    "check the name's commas and braces",
                    WARNING,
                )
        elif name == "month":
            value = month_number(value)
        elif name == "doi":
            value = bare_doi(value)
            if not value.startswith("10."):
                self.report(
                    line,
                    f"entry '{ref.key}': doi '{value}' does not start with '10.'",
                    "give the bare DOI, like 10.1037/0003-066X.59.1.29",
                    WARNING,
                )
        return value

    def _add(self, ref: Reference) -> None:
        first = self.by_folded_key.setdefault(ref.key.lower(), ref)
        if first is ref:
            self.references[ref.key] = ref
            return
        # BibTeX keeps the first entry of a key, and so do we; the later one is not kept.
        there = f"{first.path}:{first.line}"
        if first.key == ref.key:
            message = f"duplicate key '{ref.key}': also at {there}"
        else:
            message = (
                f"key '{ref.key}' differs only in case from '{first.key}' at {there}, "
                "and BibTeX treats them as the same key"
            )
        self.report(ref.line, message, "rename or delete one of the two entries", path=ref.path)

    def inherit_crossrefs(self) -> None:
        """Give each entry with ``crossref`` every field its parent has and it lacks.

        One level, as BibTeX: a parent's own crossref is not followed. The parent's titles are
        the child's container, as biblatex inherits them: a book's ``title`` (``subtitle``,
        ``titleaddon``) becomes the ``booktitle`` (``booksubtitle``, ``booktitleaddon``) of a
        chapter, a periodical's the ``journaltitle`` of an article, a multi-volume work's the
        ``maintitle`` of a volume; they are never the child's own title.
        """
        own = {key: dict(ref.fields) for key, ref in self.references.items()}
        for ref in self.references.values():
            target = ref.fields.get("crossref")
            if target is None:
                continue
            parent = self.by_folded_key.get(target.lower())
            if parent is None:
                self.report(
                    ref.line,
                    f"entry '{ref.key}': crossref '{target}' is not an entry in the BibTeX files",
                    f"add an entry '{target}' or remove the crossref",
                    WARNING,
                    ref.path,
                )
                continue
            ref.parent = parent.key
            titles = _inherited_titles(parent.entry_type)
            fields = own[parent.key]
            # The parent's fields as they are (BibTeX), then its titles as the container's where
            # the parent gives none (a proceedings entry may have a booktitle of its own).
            inherited = [(n, v) for n, v in fields.items() if n not in titles]
            inherited += [(titles[n], v) for n, v in fields.items() if n in titles]
            for name, value in inherited:
                if name in ref.fields or name in _NOT_INHERITED:
                    continue
                ref.fields[name] = value
                if name == "author":
                    ref.authors, ref.more_authors = list(parent.authors), parent.more_authors
                elif name == "editor":
                    ref.editors = list(parent.editors)
                elif name == "translator":
                    ref.translators = list(parent.translators)

    def read_dates(self) -> None:
        """Each entry's date from biblatex's ``date``, else ``year``, ``month`` and ``day``."""
        for ref in self.references.values():
            if ref.entry_type in ("set", "xdata"):
                continue
            date = ref.fields.get("date", "")
            if date:
                parsed = date_range(date)
                if parsed:
                    ref.issued, ref.issued_end = parsed
                    continue
                self.report(
                    ref.line,
                    f"entry '{ref.key}': date '{date}' is not a date biblatex reads",
                    "write it as YYYY, YYYY-MM-DD or a range such as 1988/1992",
                    WARNING,
                    ref.path,
                )
            year = ref.fields.get("year", "")
            if _YEAR.fullmatch(year):
                month = ref.fields.get("month", "")
                day = ref.fields.get("day", "")
                parts = [year] + ([f"{int(month):02d}"] if month.isdigit() else [])
                if len(parts) == 2 and day.isdigit():
                    parts.append(f"{int(day):02d}")
                ref.issued = iso_date("-".join(parts)) or year
            elif not year and not date:
                self.report(
                    ref.line,
                    f"entry '{ref.key}' has no year",
                    "add year = {YYYY} (or biblatex's date = {YYYY-MM-DD}); until then it is cited as n.d.",
                    WARNING,
                    ref.path,
                )

    def check_titles(self) -> None:
        for ref in self.references.values():
            if (ref.path, ref.line) in self.unreadable_titles or ref.entry_type in ("set", "xdata"):
                continue  # already an error; biblatex's @set and @xdata only serve others
            if not ref.title:
                message = f"entry '{ref.key}' has no title"
                self.report(ref.line, message, "add a title field", WARNING, ref.path)


#: Fields a child never takes from its crossref parent (biblatex's default inheritance).
_NOT_INHERITED = frozenset(
    {"crossref", "xref", "ids", "shorttitle", "sorttitle", "indextitle", "indexsorttitle", "label"}
)


@functools.lru_cache(maxsize=4096)
def _lower(name: str) -> str:
    """A field name or entry type in lower case, one string object for each: the References share
    them (less memory, and the input cache pickles each once)."""
    return sys.intern(name.lower())


@functools.cache
def _is_prose(name: str) -> bool:
    """Whether a field is only text to decode: no names, month, DOI or raw value (:meth:`_Reader._decode`)."""
    return not (name in RAW_FIELDS or name.endswith("url") or name in NAME_FIELDS or name in ("month", "doi"))


def _inherited_titles(parent_type: str) -> dict[str, str]:
    """Which field of the child each title field of a parent of this type fills."""
    if parent_type == "periodical":
        return {"title": "journaltitle", "subtitle": "journalsubtitle", "titleaddon": "journaltitleaddon"}
    prefix = "main" if parent_type.startswith("mv") else "book"
    return {name: prefix + name for name in ("title", "subtitle", "titleaddon")}


@functools.lru_cache(maxsize=16384)  # macro uses recur: month = jan, journal = j-TUGboat
def _pieces(raw: str) -> tuple[tuple[str, str], ...]:
    """Split a value into the parts that ``#`` joins: ("text", ...) or ("macro", name).

    bibtexparser hands over a value as written (``"10~" # jan``); it has no evaluator.

    >>> _pieces('"10~" # jan # {, {1986}} # 12')
    (('text', '10~'), ('macro', 'jan'), ('text', ', {1986}'), ('text', '12'))
    """
    pieces: list[tuple[str, str]] = []
    i, end = 0, len(raw)
    while True:
        while i < end and raw[i].isspace():
            i += 1
        if i == end:
            raise ValueError("a part is missing after #" if pieces else "there is no value")
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
            return tuple(pieces)
        if raw[i] != "#":
            raise ValueError(f"expected # between two parts, found {raw[i]!r}")
        i += 1


def _one_text(raw: str) -> str | None:
    """The text of a value that is one ``{...}``, one ``"..."`` or a number, as :func:`_pieces` reads
    it; None for anything else (macros, ``#``, unbalanced braces: those go the long way).

    Most values are one braced text, and :func:`_pieces` finds its end a brace at a time.

    >>> _one_text("{A {DNA} story}"), _one_text('"10~jan"'), _one_text("1986"), _one_text("{a} # jan")
    ('A {DNA} story', '10~jan', '1986', None)
    """
    first, last = raw[:1], raw[-1:]
    if first == "{" and last == "}" or first == '"' and last == '"' and len(raw) > 1:
        inner = raw[1:-1]
        if inner.endswith("\\") or first == '"' and '"' in inner:
            return None  # an escaped closing mark, or a quote that may end the value early
        if "{" not in inner and "}" not in inner:
            return inner
        # The value is one text when its unescaped braces nest (a } at depth 0 would close it).
        braces = "".join(_BRACES.findall(inner))
        while "{}" in braces:
            braces = braces.replace("{}", "")
        return None if braces else inner
    return raw if raw.isdigit() else None


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
        elif char == "}":
            if quoted:
                raise ValueError("a } with no { inside quotes")
            return mark.start()
        elif depth == 0:  # a " outside braces
            return mark.start()
    raise ValueError(f"no closing {'quote' if quoted else '}'}")
