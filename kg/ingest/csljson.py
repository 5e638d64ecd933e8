"""Read CSL-JSON files (``references/*.json``: Zotero's "CSL JSON" export, Pandoc's bibliographies).

A file is a JSON list of CSL items; each becomes the :class:`~kg.model.Reference` its BibTeX
entry would be: the CSL type as a BibTeX entry type (:data:`ENTRY_TYPES`), variables as BibTeX
fields (the README has the table), names and dates as CSL gives them. The item's ``id`` is its
cite key (an item with none gets one by the rule of :func:`kg.ingest.zotero.generated_key`). Each
item is decoded on its own, so that it and its problems keep the line it starts on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from kg.errors import WARNING, Problem
from kg.files import relative_path
from kg.ingest.latex import bare_doi, date_range, iso_date
from kg.ingest.zotero import KeyMaker, generated_key, missing_fields, page_range, person
from kg.model import PartialCorpus, Person, Reference

#: CSL type -> the BibTeX entry type the graph expects; the other CSL types are misc.
ENTRY_TYPES = {
    **dict.fromkeys(("article-journal", "article-magazine", "article-newspaper", "article", "review"), "article"),
    "review-book": "article",
    **dict.fromkeys(("book", "classic"), "book"),
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    **dict.fromkeys(("entry", "entry-dictionary", "entry-encyclopedia"), "inreference"),
    "thesis": "thesis",
    "report": "report",
    **dict.fromkeys(("webpage", "post", "post-weblog"), "online"),
    "manuscript": "unpublished",
    "dataset": "dataset",
    "software": "software",
    "pamphlet": "booklet",
    "periodical": "periodical",
}
#: Every type of CSL 1.0.2; one outside this list is a warning (and read as misc).
CSL_TYPES = frozenset(ENTRY_TYPES) | frozenset(
    "bill broadcast collection document event figure graphic hearing interview legal_case legislation map "
    "motion_picture musical_score patent performance personal_communication regulation song speech standard "
    "treaty".split()
)
ARTICLE_TYPES = frozenset({"article", "periodical"})


def read_csl_json(paths: list[Path], root: Path, settings: Mapping[str, object] | None = None) -> PartialCorpus:
    """The reader of ``*.json`` CSL-JSON files: every item as a Reference, every problem at its line.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "z.json").write_text('[{"id": "topor2018", "type": "book", "title": "Small things",\\n'
    ...     '"author": [{"family": "Topor", "given": "Alain"}], "issued": {"date-parts": [[2018, 3]]}}]')
    >>> part = read_csl_json([folder / "z.json"], folder)
    >>> ref = part.references[0]
    >>> ref.key, ref.entry_type, ref.title, ref.authors, ref.issued, part.problems
    ('topor2018', 'book', 'Small things', [Person(last='Topor', first='Alain', von='', jr='')], '2018-03', [])
    """
    part = PartialCorpus()
    items: list[tuple[str, int, dict]] = []
    for path in paths:
        items += _items(path, relative_path(path, root), part)
    maker = KeyMaker({_own_key(item) for _, _, item in items} - {""})
    for rel, line, item in items:
        ref, problems = _reference(item, rel, line)
        if not ref.key:
            ref.key = maker.unique(generated_key(ref))
        part.references.append(ref)
        part.problems += problems
        part.problems += missing_fields(ref, 'add "title"', 'add "issued": {"date-parts": [[YYYY]]}')
    return part


def _items(path: Path, rel: str, part: PartialCorpus) -> list[tuple[str, int, dict]]:
    """(path, line, item) for each item of one file; the file's problems into ``part``."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        part.problems.append(Problem(rel, line, f"is not UTF-8 text (byte {exc.start})", "save the file as UTF-8"))
        part.references_unreadable = True
        return []
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON: {exc.msg} (column {exc.colno})"
        part.problems.append(Problem(rel, exc.lineno, message, "fix the JSON syntax at that line"))
        part.references_unreadable = True
        return []
    if not isinstance(whole, list):
        found = "an object" if isinstance(whole, dict) else f"'{str(whole)}'"
        hint = "export the references as CSL JSON (a list of items: [{...}, ...])"
        part.problems.append(Problem(rel, 1, f"should be a list of CSL items, found {found}", hint))
        part.references_unreadable = True
        return []
    items = []
    for line, item in _with_lines(text):
        if isinstance(item, dict):
            items.append((rel, line, item))
        else:
            message = f"item {str(item)!r} is not a CSL item (an object with id, type, title ...)"
            part.problems.append(Problem(rel, line, message, "give each item as {...}"))
    return items


def _with_lines(text: str) -> list[tuple[int, object]]:
    """The items of a valid JSON list, each with the line it starts on."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    items = []
    while True:
        while text[position] in " \t\r\n,":
            position += 1
        if text[position] == "]":
            return items
        item, end = decoder.raw_decode(text, position)
        items.append((text.count("\n", 0, position) + 1, item))
        position = end


def _own_key(item: dict) -> str:
    key = item.get("id")
    return str(key).strip() if isinstance(key, (str, int)) and not isinstance(key, bool) else ""


def _text(item: dict, *names: str) -> str:
    """The first of these variables that is given, as text (a number as written)."""
    for name in names:
        value = item.get(name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def _reference(item: dict, rel: str, line: int) -> tuple[Reference, list[Problem]]:
    problems = []
    csl_type = _text(item, "type")
    if csl_type not in CSL_TYPES:
        message = f"item '{_own_key(item)}': type '{csl_type}' is not a CSL type; it is read as misc"
        problems.append(Problem(rel, line, message, "use a CSL type such as article-journal, book, chapter", WARNING))
    entry_type = ENTRY_TYPES.get(csl_type, "misc")
    ref = Reference(_own_key(item), entry_type, _fields(item, entry_type), rel, line)
    ref.authors, ref.editors, ref.translators = (_people(item.get(n)) for n in ("author", "editor", "translator"))
    issued = _date(item.get("issued"))
    if issued is None:
        message = f"item '{ref.key}': issued {json.dumps(item['issued'])} is not a date"
        problems.append(Problem(rel, line, message, 'write it as {"date-parts": [[YYYY, MM, DD]]}', WARNING))
    elif issued[0]:
        ref.issued, ref.issued_end = issued
        ref.fields["date"] = f"{ref.issued}/{ref.issued_end}" if ref.issued_end else ref.issued
    accessed = _date(item.get("accessed"))
    if accessed and accessed[0]:
        ref.fields["urldate"] = accessed[0]
    return ref, problems


def _fields(item: dict, entry_type: str) -> dict[str, str]:
    """The BibTeX fields of an item (the README's table of CSL variables)."""
    number, issue = _text(item, "number"), _text(item, "issue")
    fields = {
        "title": _text(item, "title"),
        "shorttitle": _text(item, "title-short", "shortTitle"),
        "booktitle" if entry_type in ("incollection", "inproceedings", "inreference") else "journal": _text(
            item, "container-title"
        ),
        "series": _text(item, "collection-title"),
        "volume": _text(item, "volume"),
        # An article's issue is its number (BibTeX); another work's number is its own or in its series.
        "number": issue if entry_type in ARTICLE_TYPES else number or _text(item, "collection-number"),
        "issue": "" if entry_type in ARTICLE_TYPES else issue,
        "pages": page_range(_text(item, "page")),
        "edition": _text(item, "edition"),
        "chapter": _text(item, "chapter-number"),
        "volumes": _text(item, "number-of-volumes"),
        "pagetotal": _text(item, "number-of-pages"),
        {"thesis": "school", "report": "institution"}.get(entry_type, "publisher"): _text(item, "publisher"),
        "address": _text(item, "publisher-place"),
        "isbn": _text(item, "ISBN"),
        "issn": _text(item, "ISSN"),
        "doi": bare_doi(_text(item, "DOI")),
        "url": _text(item, "URL"),
        "abstract": _text(item, "abstract"),
        "keywords": _text(item, "keyword"),
        "note": _text(item, "note"),
        "language": _text(item, "language"),
        "type": _text(item, "genre"),
    }
    return {name: value for name, value in fields.items() if value}


def _people(names: object) -> list[Person]:
    """CSL names ({"family", "given", particles, "suffix"} or {"literal"}) as people."""
    people = []
    for name in names if isinstance(names, list) else []:
        if isinstance(name, str):
            found = person(name)
        elif isinstance(name, dict):
            particles = (_text(name, "dropping-particle"), _text(name, "non-dropping-particle"))
            last = _text(name, "family") or _text(name, "literal")
            found = Person(last, _text(name, "given"), " ".join(p for p in particles if p), _text(name, "suffix"))
            found = found if last else None
        else:
            found = None
        if found is not None:
            people.append(found)
    return people


def _date(value: object) -> tuple[str, str] | None:
    """A CSL date as (ISO start, ISO end or ""); ("", "") when absent, None when it is no date.

    >>> _date({"date-parts": [[2011, 8, 5]]}), _date({"date-parts": [["1988"], [1992]]}), _date({"raw": "2019-03"})
    (('2011-08-05', ''), ('1988', '1992'), ('2019-03', ''))
    >>> _date(None), _date({"literal": "Spring"})
    (('', ''), None)
    """
    if value is None:
        return "", ""
    if isinstance(value, str):
        return date_range(value)
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and all(isinstance(p, list) and p for p in parts):
        dates = [_date_parts(p) for p in parts[:2]]
        if None in dates:
            return None
        return dates[0], dates[1] if len(dates) > 1 else ""
    raw = value.get("raw")
    return date_range(raw) if isinstance(raw, str) else None


def _date_parts(parts: list) -> str | None:
    try:
        numbers = [int(p) for p in parts[:3]]
    except (TypeError, ValueError):
        return None
    text = f"{numbers[0]:04d}" + "".join(f"-{n:02d}" for n in numbers[1:])
    return iso_date(text)
