"""The synthesis matrix as data: a row per cited study, a column per theme, the passages between.

Columns are the review outline's themes (codebook order, sub-themes after their theme, matched
themes as one column); a cell holds the passages that cite the study about the column's theme.
The last row counts the quotes of users and of professionals per theme.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.store import Store
from kg.views.records import Entity, Evidence, Records
from kg.views.review import ROLES, ReviewOutline, review_outline


@dataclass
class SynthesisMatrix:
    records: Records
    themes: list[Entity]  # one per column (the section's theme)
    studies: list[Entity]  # one per row, by label
    cells: dict[tuple[str, str], list[Evidence]]  # (study IRI, theme IRI) -> passages, by id
    quotes: dict[str, dict[str, list[Evidence]]]  # theme IRI -> role -> its quotes, by id


def synthesis_matrix(
    store: Store, themes: list[str] | None = None, outline: ReviewOutline | None = None
) -> SynthesisMatrix:
    """The matrix of the store's themes (or of ``themes``, IRIs, and their sub-themes).

    Example::

        matrix = synthesis_matrix(open_store(project="."))
        matrix.cells[(study_iri, theme_iri)]
    """
    outline = outline or review_outline(store, themes)
    records = outline.records
    cells: dict[tuple[str, str], list[Evidence]] = {}
    quotes: dict[str, dict[str, list[Evidence]]] = {}
    columns = []
    for section in outline.walk():
        columns.append(section.theme)
        for passage in {p.iri: p for t in section.themes for p in records.by_theme.get(t.iri, [])}.values():
            for cited in passage.cites:
                cells.setdefault((cited, section.theme.iri), []).append(passage)
        own = {q.iri: q for t in section.themes for q in records.quotes_coding(t.iri)}
        quotes[section.theme.iri] = {
            role: sorted((q for q in own.values() if q.role == role), key=lambda q: (q.id, q.iri)) for role in ROLES
        }
    for passages in cells.values():
        passages.sort(key=lambda p: (p.id, p.iri))
    studies = sorted((records.entities[s] for s in {s for s, _ in cells}), key=lambda e: (e.label, e.iri))
    return SynthesisMatrix(records, columns, studies, cells, quotes)
