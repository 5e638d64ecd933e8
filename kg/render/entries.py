"""Each work's bibliography entry formatted once per build, and given as plain text or as Markdown.

The map shows each study's reference as plain text; the review lists the same works in Markdown.
citeproc-py renders a bibliography entry from its item alone (no year suffixes, no "———" for a
repeated author: it implements neither), so unless the style prints a citation number, one
rendering of each work serves both. It is made with :data:`MARKED`, the Markdown formatter with
private-use characters instead of ``*``, ``**``, ``^`` and ``~``: the characters decide nothing
citeproc-py does to the text (cases, punctuation at seams), so :func:`to_markdown` gives exactly
the Markdown formatter's text and :func:`to_plain` exactly the plain formatter's (checked on the
4,453 real references of a generated 10k-quote project, the seeds and the real entries of
tests/test_entries.py). The eight private-use characters U+E000-U+E007 are dropped from a reference's text.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from citeproc import Citation, CitationItem, CitationStylesStyle
from citeproc.source.json import CiteProcJSON

from kg.render.citing import CSL, escape_markdown
from kg.render.csl_speed import IndexedBibliography
from kg.render.formatted import NO_CACHE, FormattingCache
from kg.render.references import load_style, style_path

_OPEN_CLOSE = {"italic": ("\ue000", "\ue001"), "bold": ("\ue002", "\ue003"), "sup": ("\ue004", "\ue005")}
_OPEN_CLOSE["sub"] = ("\ue006", "\ue007")
_MARKS = "\ue000-\ue007"


def _wrapper(before: str, after: str) -> type:
    return type("Marked", (str,), {"__new__": lambda cls, text: str.__new__(cls, f"{before}{text}{after}")})


#: A citeproc-py formatter: text escaped for Markdown, markup as private-use characters.
MARKED = SimpleNamespace(
    preformat=lambda text: escape_markdown(re.sub(f"[{_MARKS}]", "", str(text))),
    Italic=_wrapper(*_OPEN_CLOSE["italic"]),
    Oblique=_wrapper(*_OPEN_CLOSE["italic"]),
    Bold=_wrapper(*_OPEN_CLOSE["bold"]),
    Light=str,
    Underline=str,
    Superscript=_wrapper(*_OPEN_CLOSE["sup"]),
    Subscript=_wrapper(*_OPEN_CLOSE["sub"]),
    SmallCaps=str,
)
_TO_MARKDOWN = str.maketrans(
    {
        mark: markup
        for (opening, closing), markup in zip(_OPEN_CLOSE.values(), "* ** ^ ~".split())
        for mark in (opening, closing)
    }
)
# citeproc-py drops a punctuation mark (or space) repeated across a seam; a mark of markup
# between the two hid the repeat from it, which the plain formatter would have shown it.
_SEAM = re.compile(f"([.,;:!? ])([{_MARKS}]+)\\1")
_MARK = re.compile(f"[{_MARKS}]")
_ESCAPED = re.compile(r"\\(.)")


def to_markdown(marked: str) -> str:
    """An entry made with :data:`MARKED` as the Markdown formatter makes it.

    >>> to_markdown("Ay, B. (2001). \ue000T\\\\_1.\ue001")
    'Ay, B. (2001). *T\\\\_1.*'
    """
    return marked.translate(_TO_MARKDOWN)


def to_plain(marked: str) -> str:
    """An entry made with :data:`MARKED` as the plain formatter makes it.

    >>> to_plain("Ay, B. (2001). \ue000T\\\\_1.\ue001.")
    'Ay, B. (2001). T_1.'
    """
    return _ESCAPED.sub(r"\1", _MARK.sub("", _SEAM.sub(r"\1\2", marked)))


def numbers_works(style: CitationStylesStyle) -> bool:
    """Whether the style prints or sorts by a citation number (a work's entry then depends on the others)."""
    return bool(style.root.xpath(".//cs:*[@variable='citation-number']", namespaces={"cs": CSL}))


class ReferenceEntries:
    """The bibliography entries of ``items`` in ``style``, made at the first question (or taken from
    ``cache``), by item id. :meth:`serves` says whether they stand for a document's own entries.

    >>> book = {"id": "a", "type": "book", "title": "Small things", "author": [{"family": "Ay", "given": "B"}]}
    >>> entries = ReferenceEntries([book | {"issued": {"date-parts": [[2001]]}}])
    >>> entries.plain("a"), entries.markdown("a")
    ('Ay, B. (2001). Small things.', 'Ay, B. (2001). *Small things*.')
    """

    def __init__(
        self, items: list[dict], style: str = "apa", cache: FormattingCache = NO_CACHE, by_iri: dict | None = None
    ):
        self.items, self.style, self.cache = items, style, cache
        self.by_iri = by_iri  # the same items by their study's IRI, as csl_items gives them: read once a build
        self._style_file = style_path(style)
        self._marked: dict[str, str] | None = None

    def serves(self, style: str, items: list[dict]) -> bool:
        """True when these entries are what ``style`` would make of ``items`` in a bibliography of their own."""
        known = {item["id"] for item in self.items}
        return style == self.style and not numbers_works(load_style(style)) and all(i["id"] in known for i in items)

    def plain(self, key: str) -> str:
        return to_plain(self._entries().get(key, ""))

    def markdown(self, key: str) -> str:
        return to_markdown(self._entries().get(key, ""))

    def _entries(self) -> dict[str, str]:
        if self._marked is None:
            style = self._style_file.read_bytes()
            if numbers_works(load_style(self.style)):  # an entry depends on the others: one document
                self._marked = self.cache.get("entries", style, {"items": self.items}, lambda: self._make(self.items))
            else:  # each entry depends on its work alone: kept per work
                self._marked = self.cache.get_each("entries", style, self.items, self._make)
        return self._marked

    def _make(self, items: list[dict]) -> dict[str, str]:
        bibliography = IndexedBibliography(load_style(self.style), CiteProcJSON(items), MARKED)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        by_lower = {item["id"].lower(): item["id"] for item in items}
        keys = [str(key) for key in bibliography.keys]
        return {by_lower.get(key, key): str(entry) for key, entry in zip(keys, bibliography.bibliography())}
