"""The references behind chosen themes, as CSL-JSON or BibTeX, made from the store's CSL items.

BibTeX is written from the CSL-JSON (never copied from the input files), LaTeX's special
characters escaped, so it works from a graph file too.
"""

from __future__ import annotations

import json
import re

from kg.render.references import csl_items
from kg.store import Store
from kg.views.review import cited_studies, review_outline

FORMATS = ("bibtex", "csljson")

_BIBTEX_TYPES = {
    "article-journal": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
}
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))


def escape_latex(text: str) -> str:
    r"""Text as itself in a BibTeX field.

    >>> print(escape_latex("R&D at 50% {sic} #1_a"))
    R\&D at 50\% \{sic\} \#1\_a
    """
    return _SPECIAL.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


def _names(people: list[dict]) -> str:
    return " and ".join(
        "{" + escape_latex(p["literal"]) + "}" if "literal" in p else escape_latex(f"{p['family']}, {p['given']}")
        for p in people
    )


def bibtex_entry(item: dict) -> str:
    """One CSL-JSON item as a BibTeX entry."""
    kind = _BIBTEX_TYPES.get(item.get("type", ""), "misc")
    container = "journal" if kind == "article" else "booktitle"
    fields = {
        "author": _names(item.get("author", [])),
        "editor": _names(item.get("editor", [])),
        "title": escape_latex(item.get("title", "")),
        container: escape_latex(item.get("container-title", "")),
        "year": str(item.get("issued", {}).get("date-parts", [[""]])[0][0]),
        "volume": escape_latex(item.get("volume", "")),
        "number": escape_latex(item.get("issue", "")),
        "pages": escape_latex(item.get("page", "").replace("–", "--")),
        "edition": escape_latex(item.get("edition", "")),
        "publisher": escape_latex(item.get("publisher", "")),
        "doi": item.get("DOI", ""),  # a verbatim field: not escaped
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@{kind}{{{item['id']},\n{body}\n}}\n"


def references_for(store: Store, themes: list[str] | None = None) -> list[dict]:
    """CSL-JSON items of the works cited about the themes (all, or ``themes`` and their sub-themes)
    and of the studies their quotes and passages come from, by cite key."""
    items = csl_items(store)
    cited = cited_studies(review_outline(store, themes))
    return sorted((items[iri] for iri in cited if iri in items), key=lambda item: item["id"])


def render_bib(store: Store, fmt: str = "bibtex", themes: list[str] | None = None) -> str:
    """The references behind the themes as ``bibtex`` or ``csljson``.

    Example::

        Path("refs.bib").write_text(render_bib(open_store(project="."), "bibtex", themes=[theme_iri]))
    """
    items = references_for(store, themes)
    if fmt == "csljson":
        return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return "\n".join(bibtex_entry(item) for item in items)
