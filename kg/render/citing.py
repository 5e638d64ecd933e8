"""In-text citations and a bibliography for one document, both made by citeproc-py with one style.

A document registers every citation it makes (in order, so a numeric style numbers works by
first use), then asks for each citation's text and for the bibliography. Nothing is formatted by
hand: Markdown and HTML are citeproc-py formatters (text escaped once, by the formatter), and a
DOI in a reference becomes a link.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from citeproc import Citation, CitationItem, CitationStylesStyle, Locator, formatter
from citeproc.source.json import CiteProcJSON

from kg.render.csl_speed import IndexedBibliography
from kg.render.formatted import NO_CACHE, FormattingCache
from kg.render.references import load_style, style_path

CSL = "http://purl.org/net/xbiblio/csl"
#: Characters that Markdown (and Pandoc: ``@`` starts a citation) would read as markup.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|@~^$])")


def escape_markdown(text: str) -> str:
    r"""Text shown as itself in Markdown and Pandoc Markdown.

    >>> escape_markdown("[unidentified] *work* by @someone")
    '\\[unidentified\\] \\*work\\* by \\@someone'
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def _wrapper(before: str, after: str) -> type:
    return type("Wrapped", (str,), {"__new__": lambda cls, text: str.__new__(cls, f"{before}{text}{after}")})


#: A citeproc-py formatter that writes Markdown: text escaped, italics as *...*.
MARKDOWN = SimpleNamespace(
    preformat=escape_markdown,
    Italic=_wrapper("*", "*"),
    Oblique=_wrapper("*", "*"),
    Bold=_wrapper("**", "**"),
    Light=str,
    Underline=str,
    Superscript=_wrapper("^", "^"),
    Subscript=_wrapper("~", "~"),
    SmallCaps=str,
)

FORMATTERS = {"md": MARKDOWN, "html": formatter.html, "plain": formatter.plain}

_DOI_URL = {
    "md": re.compile(r"https://doi\\?\.org/[^\s<>]+[^\s<>.,;]"),
    "html": re.compile(r"https://doi\.org/[^\s<>\"]+[^\s<>\".,;]"),
}


def link_dois(text: str, output: str) -> str:
    """Turn the DOI URLs of a formatted reference into links (Markdown autolinks or HTML anchors).

    >>> link_dois("Journal, 1. https://doi.org/10.1/a&amp;b", "html")
    'Journal, 1. <a href="https://doi.org/10.1/a&amp;b">https://doi.org/10.1/a&amp;b</a>'
    """
    if output not in _DOI_URL:
        return text
    if output == "html":
        return _DOI_URL["html"].sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', text)
    # Markdown: the formatter escaped the URL's specials; an autolink takes the URL as it is.
    return _DOI_URL["md"].sub(lambda m: "<" + re.sub(r"\\(.)", r"\1", m.group(0)) + ">", text)


class Citer:
    """Citations of one document in one style: ``register`` them all, then ``text`` and ``bibliography``.

    citeproc-py formats them all at once, at the first ``text`` or ``bibliography``, or ``cache``
    gives what it made for the same style, items and citations before (:mod:`kg.render.formatted`).

    >>> citer = Citer([{"id": "a", "type": "book", "title": "T", "author": [{"family": "Ay", "given": "B"}],
    ...                 "issued": {"date-parts": [[2001]]}}], "apa", "plain")
    >>> ref = citer.register([("a", "6")])
    >>> citer.text(ref), citer.bibliography()
    ('(Ay, 2001, p. 6)', [('a', 'Ay, B. (2001). T.')])
    """

    def __init__(
        self, items: list[dict], style: str = "apa", output: str = "md", cache: FormattingCache = NO_CACHE, entries=None
    ):
        self.output, self.style, self.items, self.cache = output, style, items, cache
        # A build's kg.render.entries.ReferenceEntries: the Markdown entries, made once for the map and the review.
        self.entries = entries if output == "md" and entries is not None and entries.serves(style, items) else None
        self.known = {item["id"] for item in items}
        self._style_file = style_path(style)  # an unknown style is an error now, not at the first text
        self._cited: list[list[tuple[str, str]]] = []
        self._formatted: tuple[list[str], list[tuple[str, str]]] | None = None

    def register(self, cited: list[tuple[str, str]]) -> int:
        """Register one citation of (cite key, page or "") pairs; returns its number for ``text``."""
        self._cited.append([(key, page) for key, page in cited if key in self.known])
        self._formatted = None
        return len(self._cited) - 1

    def text(self, number: int) -> str:
        """The in-text form of a registered citation ("(Borg & Kristiansen, 2004)")."""
        return self._settle()[0][number]

    def bibliography(self) -> list[tuple[str, str]]:
        """(cite key, formatted reference) of every cited work, in the style's order, DOIs linked."""
        return self._settle()[1]

    def _settle(self) -> tuple[list[str], list[tuple[str, str]]]:
        if self._formatted is None:
            data = {"output": self.output, "items": self.items, "citations": self._cited}
            self._formatted = self.cache.get("citations", self._style_file.read_bytes(), data, self._format)
        return self._formatted

    def _format(self) -> tuple[list[str], list[tuple[str, str]]]:
        style = load_style(self.style)
        bibliography = IndexedBibliography(style, CiteProcJSON(self.items), FORMATTERS[self.output])
        # A citation's text depends on the citations before it only through the style's position
        # tests ("ibid.", "subsequent"); without any, each distinct citation is formatted once
        # (APA: 766 citations, 395 distinct, in a 1k-quote review), in order of first use.
        distinct = not _uses_positions(style)
        numbers: dict[tuple, int] = {}
        citations: list[Citation] = []
        order: list[int] = []
        for cited in self._cited:
            key = tuple(cited)
            if distinct and key in numbers:
                order.append(numbers[key])
                continue
            items = [CitationItem(k, locator=Locator("page", page)) if page else CitationItem(k) for k, page in cited]
            citations.append(Citation(items))
            bibliography.register(citations[-1])
            numbers[key] = len(citations) - 1
            order.append(numbers[key])
        # The style's sort (author and year for APA, first use for numeric styles) comes first,
        # so that numbers and "2004a/b" suffixes in the text agree with the bibliography.
        bibliography.sort()
        texts = [str(bibliography.cite(citation, lambda item: None)) for citation in citations]
        by_lower = {key.lower(): key for key in self.known}
        keys = [by_lower.get(str(key), str(key)) for key in bibliography.keys]
        if self.entries is not None:
            entries = [self.entries.markdown(key) for key in keys]
        else:
            entries = [str(entry) for entry in bibliography.bibliography()]
        formatted = [(key, link_dois(entry, self.output)) for key, entry in zip(keys, entries)]
        return [texts[number] for number in order], formatted


def _uses_positions(style: CitationStylesStyle) -> bool:
    """Whether the style's conditions test a cite's position (first, subsequent, ibid, near-note)."""
    return bool(style.root.xpath(".//cs:*[@position]", namespaces={"cs": CSL}))
