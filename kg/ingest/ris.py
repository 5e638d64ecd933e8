"""Read RIS files (``references/*.ris``, as Zotero and most reference managers export them).

Each record (``TY  - `` ... ``ER  - ``) becomes the :class:`~kg.model.Reference` its BibTeX
entry would be: the RIS type as a BibTeX entry type (:data:`ENTRY_TYPES`), tags as BibTeX fields
(the README has the table), ``Family, Given`` names split into people, Zotero's HTML notes as
text. rispy reads the tags of one record at a time, so that every record and every problem keeps
the line it starts on. The cite key is the ``ID`` tag, else a ``Citation Key: KEY`` line of a note
(Better BibTeX keeps keys so in Zotero's Extra field), else made by the rule of
:func:`kg.ingest.zotero.generated_key`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import rispy
from rispy.config import LIST_TYPE_TAGS, TAG_KEY_MAPPING

from kg.errors import WARNING, Problem
from kg.files import relative_path
from kg.ingest.latex import bare_doi, iso_date
from kg.ingest.zotero import KeyMaker, generated_key, html_to_text, missing_fields, page_range, person
from kg.model import PartialCorpus, Person, Reference

#: RIS type -> the BibTeX entry type the graph expects (any other type: misc, with a warning).
ENTRY_TYPES = {
    **dict.fromkeys(("JOUR", "JFULL", "EJOUR", "MGZN", "NEWS", "ABST", "INPR", "SER"), "article"),
    **dict.fromkeys(("BOOK", "EBOOK", "EDBOOK", "CLSWK"), "book"),
    **dict.fromkeys(("CHAP", "ECHAP"), "incollection"),
    **dict.fromkeys(("CONF", "CPAPER"), "inproceedings"),
    **dict.fromkeys(("ENCYC", "DICT"), "inreference"),
    "THES": "thesis",
    **dict.fromkeys(("RPRT", "GOVDOC"), "report"),
    **dict.fromkeys(("ELEC", "WEB", "BLOG"), "online"),
    **dict.fromkeys(("UNPB", "MANSCPT"), "unpublished"),
    "COMP": "software",
    "DATA": "dataset",
    "PAMP": "booklet",
    **dict.fromkeys(
        ("GEN", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "CASE", "CHART", "CTLG", "DBASE", "EQUA", "FIGURE", "GRANT")
        + ("HEAR", "ICOMM", "LEGAL", "MAP", "MPCT", "MULTI", "MUSIC", "PAT", "PCOMM", "SLIDE", "SOUND", "STAND")
        + ("STAT", "VIDEO"),
        "misc",
    ),
}
BOOK_TYPES = frozenset({"book", "incollection", "inreference", "booklet"})  # SN is an ISBN
#: Tags read as lists (rispy's, and the editor and translator tags it does not know).
LIST_TAGS = [*LIST_TYPE_TAGS, "ED", "TA"]
#: Tags kept under their own name: rispy's long names would only be mapped back.
SAME_NAMES = {tag: tag for tag in TAG_KEY_MAPPING}
_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])  -( |$)")
_CITATION_KEY = re.compile(r"^\s*Citation Key:\s*(\S+)\s*$", re.MULTILINE | re.IGNORECASE)
_RIS_DATE = re.compile(r"(-?\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")


@dataclass
class _Record:
    """One record as read: where it starts, its tags (each a list of values), each tag's first line."""

    path: str
    line: int
    tags: dict[str, list[str]]
    lines: dict[str, int] = field(default_factory=dict)

    def get(self, *names: str) -> str:
        """The first value of the first of these tags that is given."""
        return next((self.tags[n][0].strip() for n in names if self.tags.get(n) and self.tags[n][0].strip()), "")

    def all(self, *names: str) -> list[str]:
        return [value.strip() for n in names for value in self.tags.get(n, []) if value.strip()]


def read_ris(paths: list[Path], root: Path, settings: Mapping[str, object] | None = None) -> PartialCorpus:
    """The reader of ``*.ris`` files: every record as a Reference, every problem at its line.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> record = "TY  - JOUR\\nAU  - Topor, Alain\\nTI  - Small things\\nPY  - 2018\\nER  - \\n"
    >>> _ = (folder / "z.ris").write_text(record)
    >>> part = read_ris([folder / "z.ris"], folder)
    >>> ref = part.references[0]
    >>> ref.key, ref.entry_type, ref.title, ref.authors, ref.issued, part.problems
    ('topor2018small', 'article', 'Small things', [Person(last='Topor', first='Alain', von='', jr='')], '2018', [])
    """
    part = PartialCorpus()
    records: list[_Record] = []
    for path in paths:
        records += _records(path, relative_path(path, root), part)
    keys = [_own_key(record) for record in records]
    maker = KeyMaker({key for key in keys if key})
    for record, key in zip(records, keys):
        ref, problems = _reference(record, key)
        if not key:
            ref.key = maker.unique(generated_key(ref))
        part.references.append(ref)
        part.problems += problems
        part.problems += missing_fields(ref, "add a TI line", "add a PY line (PY  - YYYY)")
    return part


def _records(path: Path, rel: str, part: PartialCorpus) -> list[_Record]:
    """The records of one file, each parsed by rispy; problems of the file into ``part``."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        part.problems.append(
            Problem(rel, line, f"is not UTF-8 text (byte {exc.start})", "export it from Zotero as UTF-8")
        )
        part.references_unreadable = True
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("TY  -")]
    if not starts:
        if text.strip():
            part.problems.append(Problem(rel, 1, "holds no RIS record", "each record starts with a line 'TY  - TYPE'"))
            part.references_unreadable = True
        return []
    records = []
    for start, end in zip(starts, starts[1:] + [len(lines)]):
        chunk = lines[start:end]
        parsed = rispy.loads("\n".join(chunk), mapping=SAME_NAMES, list_tags=LIST_TAGS)
        if not parsed:
            ids = [line[6:].strip() for line in chunk if line.startswith("ID  -")]
            part.unread_keys.update(key for key in ids if key)
            part.problems.append(
                Problem(rel, start + 1, "record has no end line 'ER  - '", "end each record with a line 'ER  - '")
            )
            continue
        records.append(_Record(rel, start + 1, _lists(parsed[0]), _tag_lines(chunk, start)))
    return records


def _lists(record: dict) -> dict[str, list[str]]:
    """rispy's record with every value a list, the tags it does not know among the others."""
    unknown = record.pop("UK", {})
    tags = {tag: value if isinstance(value, list) else [value] for tag, value in record.items()}
    for tag, values in unknown.items():
        tags.setdefault(tag, list(values))
    return tags


def _tag_lines(chunk: list[str], start: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for offset, line in enumerate(chunk):
        match = _TAG_LINE.match(line)
        if match:
            lines.setdefault(match.group(1), start + offset + 1)
    return lines


def _own_key(record: _Record) -> str:
    """The key the record gives itself: its ID, else a note's ``Citation Key:`` line."""
    if record.get("ID"):
        return record.get("ID")
    for note in record.all("N1"):
        match = _CITATION_KEY.search(html_to_text(note))
        if match:
            return match.group(1)
    return ""


def _reference(record: _Record, key: str) -> tuple[Reference, list[Problem]]:
    """A record as the Reference its BibTeX entry would be."""
    problems: list[Problem] = []
    ris_type = record.get("TY").upper()
    entry_type = ENTRY_TYPES.get(ris_type)
    if entry_type is None:
        entry_type = "misc"
        problems.append(
            Problem(
                record.path,
                record.line,
                f"record type '{ris_type}' is not a RIS type; it is read as misc",
                "use a RIS type such as JOUR, BOOK, CHAP, CONF, THES, RPRT or GEN",
                WARNING,
            )
        )
    ref = Reference(key, entry_type, _fields(record, entry_type), record.path, record.line)
    ref.authors = _people(record.all("AU", "A1"))
    ref.editors = _people(record.all("A2", "ED"))
    ref.translators = _people(record.all("A4", "TA"))
    problems += _dates(record, ref)
    doi = ref.fields.get("doi", "")
    if doi and not doi.startswith("10."):
        line = record.lines.get("DO", record.line)
        message = f"DO '{doi}' does not start with '10.'"
        problems.append(
            Problem(record.path, line, message, "give the bare DOI, like 10.1037/0003-066X.59.1.29", WARNING)
        )
    return ref, problems


def _fields(record: _Record, entry_type: str) -> dict[str, str]:
    """The BibTeX fields of a record (the README's table of RIS tags)."""
    container = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}
    fields = {
        "title": record.get("TI", "T1"),
        "shorttitle": record.get("ST"),
        container.get(entry_type, "booktitle" if entry_type == "inreference" else "journal"): record.get(
            "T2", "JF", "JO", "JA", "J2"
        ),
        "volume": record.get("VL"),
        "number": record.get("IS"),
        "pages": page_range("-".join(p for p in (record.get("SP"), record.get("EP")) if p)),
        "edition": record.get("ET"),
        "volumes": record.get("NV"),
        {"thesis": "school", "report": "institution"}.get(entry_type, "publisher"): record.get("PB"),
        "address": record.get("CY"),
        "isbn" if entry_type in BOOK_TYPES else "issn": record.get("SN"),
        "doi": bare_doi(record.get("DO")),
        "url": record.get("UR"),
        "abstract": record.get("AB", "N2"),
        "keywords": ", ".join(record.all("KW")),
        "note": "\n".join(filter(None, (_note(note) for note in record.all("N1")))),
        "language": record.get("LA"),
        "type": record.get("M3") if entry_type == "thesis" else "",
        "series": record.get("T3"),
    }
    if entry_type == "book":  # a book's secondary title is its series
        fields["series"] = fields.pop("journal") or fields["series"]
    return {name: value for name, value in fields.items() if value}


def _note(html: str) -> str:
    """A note as text, without the ``Citation Key:`` line that gave the key."""
    return _CITATION_KEY.sub("", html_to_text(html)).strip()


def _people(names: list[str]) -> list[Person]:
    return [p for p in (person(name) for name in names) if p is not None]


def ris_date(text: str) -> str | None:
    """A RIS date (``YYYY/MM/DD/other``, parts may be empty) as ISO 8601, or None.

    >>> ris_date("2011///"), ris_date("2011/08/05/17:47:05"), ris_date("2003/7/"), ris_date("Spring")
    ('2011', '2011-08-05', '2003-07', None)
    """
    match = _RIS_DATE.match(text.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    parts = [year] + [f"{int(p):02d}" for p in (month, day) if p]
    if day and not month:
        parts = [year]
    return iso_date("-".join(parts))


def _dates(record: _Record, ref: Reference) -> list[Problem]:
    """When it was published (the more precise of DA and PY, or Y1) and accessed (Y2)."""
    problems = []
    dates = []
    for tag in ("DA", "PY", "Y1"):
        value = record.get(tag)
        if not value:
            continue
        date = ris_date(value)
        if date is None:
            problems.append(
                Problem(
                    record.path,
                    record.lines.get(tag, record.line),
                    f"{tag} '{value}' is not a date",
                    "write it as YYYY or YYYY/MM/DD/",
                    WARNING,
                )
            )
        else:
            dates.append(date)
    if dates:
        ref.issued = max(dates, key=len)
        ref.fields["date"] = ref.issued
    accessed = ris_date(record.get("Y2")) if record.get("Y2") else None
    if accessed:
        ref.fields["urldate"] = accessed
    return problems
