"""Creswell's literature map as data: the topic, a branch per theme, the studies under each, and
"this study" joined to the themes its own quotes add or where users' voices outrun the literature.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.store import Store
from kg.views.review import ReviewOutline, ThemeSection, review_outline


@dataclass
class Branch:
    number: str  # "2", "2.1"
    label: str
    studies: list[str]  # "Author Year" labels, sorted
    joined: bool  # this study adds to it
    children: list[Branch] = field(default_factory=list)

    def walk(self) -> list[Branch]:
        return [self, *(b for child in self.children for b in child.walk())]


@dataclass
class LiteratureMap:
    title: str
    branches: list[Branch]

    def joined(self) -> list[Branch]:
        return [b for top in self.branches for b in top.walk() if b.joined]


def adds_to(section: ThemeSection) -> bool:
    """Quotes illustrate the theme and the literature is silent on it, or users outrun it."""
    works = sum(len(group.studies) for group in section.literature)
    voiced = section.counts["user"] + section.counts["professional"]
    flagged = any(gap.startswith("users voice it") for gap in section.gaps)
    return bool(voiced and section.quotes and (not works or flagged))


def _branch(section: ThemeSection, number: str, labels: dict[str, str]) -> Branch:
    studies = sorted({labels.get(iri, iri) for group in section.literature for iri in group.studies})
    children = [_branch(sub, f"{number}.{n}", labels) for n, sub in enumerate(section.subsections, start=1)]
    return Branch(number, section.theme.label, studies, adds_to(section), children)


def literature_map(
    store: Store, title: str, themes: list[str] | None = None, outline: ReviewOutline | None = None
) -> LiteratureMap:
    """The literature map of the store's themes (or of ``themes``, IRIs) under the topic ``title``.

    Example::

        figure = literature_map(open_store(project="."), "Small things in recovery")
    """
    outline = outline or review_outline(store, themes)
    labels = {iri: e.label for iri, e in outline.records.entities.items() if e.kind == "study"}
    return LiteratureMap(title, [_branch(s, str(n), labels) for n, s in enumerate(outline.sections, start=1)])
