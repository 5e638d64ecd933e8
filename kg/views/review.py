"""The review outline as data: what a literature review of the themes says, read from a store.

Themes come in codebook order (the codebook with the most quotes first), each sub-theme nested
under its theme, and a theme matched in another paper's codebook (``skos:closeMatch``) told
together with it. Per theme: its definition and source, how users and professionals voice it
(counts, two or three quotes chosen deterministically), the literature cited with it grouped
by co-citation and by how the passages use them (their CiTO intents: "supported by", "disputed
by" ...), and the gap ``theme-by-role`` flags. How it is written is :mod:`kg.render.review`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kg.queries import resolve, run_named
from kg.store import Store
from kg.views.records import Entity, Evidence, Records, read_records
from kg.vocab import INTENT_FAMILIES, INTENT_FAMILY

ROLES = ("user", "professional")
QUOTES_PER_THEME = 3


@dataclass
class CitationGroup:
    """Studies cited together (in the same passages, directly or through each other)."""

    studies: list[str]  # study IRIs, by label
    passages: list[Evidence]  # the passages that cite them, by id


@dataclass(frozen=True)
class IntentUse:
    """One work as one passage uses it: the study's IRI, the CiTO term, the passage."""

    study: str
    term: str
    passage: Evidence


@dataclass
class IntentGroup:
    """The works a theme's passages use in one way (a family of intents, :data:`INTENT_FAMILIES`)."""

    family: str  # supports | disputes | method | ...
    heading: str  # "Supported by"
    uses: list[IntentUse]


@dataclass
class ThemeSection:
    theme: Entity
    matched: list[Entity]  # the same theme in other codebooks, told here
    counts: dict[str, int]  # quotes by role, sub-themes included
    quotes: list[Evidence]  # the illustrative quotes
    literature: list[CitationGroup]
    gaps: list[str]  # flags of theme-by-role for this theme or a matched one
    intents: list[IntentGroup] = field(default_factory=list)  # the literature by intent, plain cites left out
    subsections: list[ThemeSection] = field(default_factory=list)

    @property
    def themes(self) -> list[Entity]:
        return [self.theme, *self.matched]


@dataclass
class ReviewOutline:
    records: Records
    sections: list[ThemeSection]

    def walk(self) -> list[ThemeSection]:
        """Every section, depth first, in reading order."""
        found: list[ThemeSection] = []
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            found.append(section)
            stack.extend(reversed(section.subsections))
        return found


def review_outline(store: Store, themes: list[str] | None = None, records: Records | None = None) -> ReviewOutline:
    """The outline of a review of every theme (or of ``themes``, IRIs, and their sub-themes).

    Example::

        outline = review_outline(open_store(project="."))
        [section.theme.label for section in outline.sections]
    """
    records = records or read_records(store)
    gaps = {row["theme_iri"]: row["flag"] for row in run_named(store, "theme-by-role").records(iri=True)}
    placed: set[str] = set()
    shown: set[str] = set()
    roots = [records.entities[iri] for iri in themes] if themes else top_themes(records)
    sections = [_section(records, theme, gaps, placed, shown) for theme in roots if theme.iri not in placed]
    return ReviewOutline(records, sections)


def chosen_themes(store: Store, names: list[str] | tuple[str, ...]) -> list[str] | None:
    """The IRIs of the themes named as on the command line (id, STUDY/ID, label, prefix); None for all."""
    return [resolve(store, "theme", name).value for name in dict.fromkeys(names)] if names else None


def codebook_order(records: Records) -> list[str]:
    """The studies whose codebooks the themes come from: most quotes first, then by cite key."""
    studies = {theme.study for theme in records.of_kind("theme")}
    quotes = Counter(q.study for q in records.quotes.values())
    return sorted(studies, key=lambda study: (-quotes[study], records.key_of(study)))


def theme_order(records: Records, themes) -> list[Entity]:
    # Worked out once per records: a review asks for it at every theme (605 times at 10k quotes).
    rank = records.derived.get("codebook rank")
    if rank is None:
        rank = records.derived["codebook rank"] = {study: n for n, study in enumerate(codebook_order(records))}
    return sorted(themes, key=lambda t: (rank.get(t.study, len(rank)), t.position or 10**6, t.id, t.iri))


def top_themes(records: Records) -> list[Entity]:
    """The themes with no broader theme, in codebook order."""
    narrower = {child for child, _ in records.broader}
    return theme_order(records, [t for t in records.of_kind("theme") if t.iri not in narrower])


def sub_themes(records: Records, iris: list[str]) -> list[Entity]:
    children = sorted({child for child, parent in records.broader if parent in iris})
    return theme_order(records, [records.entities[child] for child in children])


def descendants(records: Records, iris: list[str]) -> set[str]:
    """The themes and every theme under them."""
    found, frontier = set(iris), set(iris)
    while frontier:
        frontier = {child for child, parent in records.broader if parent in frontier} - found
        found |= frontier
    return found


def matches_of(records: Records, theme: Entity) -> list[Entity]:
    """The themes matched with ``theme`` across codebooks, directly or through each other."""
    import networkx as nx

    graph = nx.Graph(list(records.matches))
    if theme.iri not in graph:
        return []
    return theme_order(
        records, [records.entities[iri] for iri in nx.node_connected_component(graph, theme.iri) - {theme.iri}]
    )


def _section(records: Records, theme: Entity, gaps: dict[str, str], placed: set[str], shown: set[str]) -> ThemeSection:
    matched = [m for m in matches_of(records, theme) if m.iri not in placed]
    iris = [theme.iri, *(m.iri for m in matched)]
    placed.update(iris)
    everything = descendants(records, iris)
    voiced = {q.iri: q for iri in everything for q in records.quotes_coding(iri)}
    counts = {role: sum(1 for q in voiced.values() if q.role == role) for role in ROLES}
    own_quotes = {q.iri: q for iri in iris for q in records.quotes_coding(iri)}
    # A quote a sub-theme can show, or one shown already, is kept for last.
    kept_back = shown | {q.iri for iri in everything - set(iris) for q in records.quotes_coding(iri)}
    quotes = choose_quotes(records, list(own_quotes.values()), kept_back)
    shown.update(q.iri for q in quotes)
    passages = {p.iri: p for iri in iris for p in records.by_theme.get(iri, [])}
    section = ThemeSection(
        theme,
        matched,
        counts,
        quotes,
        cocitation_groups(records, list(passages.values())),
        _gaps([gaps.get(iri, "") for iri in iris], counts),
        intent_groups(records, list(passages.values())),
    )
    for child in sub_themes(records, iris):
        if child.iri not in placed:
            section.subsections.append(_section(records, child, gaps, placed, shown))
    return section


def _gaps(flags: list[str], counts: dict[str, int]) -> list[str]:
    """The theme-by-role flags of a theme and its matches, once each; a matched codebook's "users
    do not voice it" is dropped when users voice the theme in another.
    """
    kept = [flag for flag in dict.fromkeys(flags) if flag]
    return [flag for flag in kept if not (flag.endswith("users do not voice it") and counts["user"])]


def quote_weight(records: Records, quote: Evidence) -> int:
    """How many actions and recovery factors a quote carries."""
    return sum(1 for code in quote.codes if code in records.entities and records.entities[code].kind != "theme")


def choose_quotes(
    records: Records, quotes: list[Evidence], kept_back: set[str] = frozenset(), limit: int = QUOTES_PER_THEME
) -> list[Evidence]:
    """The quotes that carry the most actions and factors, then by id (those in ``kept_back``
    last): the best of each role first, so both voices are heard, then the next best of either.
    """
    ranked = sorted(quotes, key=lambda q: (q.iri in kept_back, -quote_weight(records, q), q.id, q.iri))
    chosen = [next(q for q in ranked if q.role == role) for role in ROLES if any(q.role == role for q in ranked)]
    chosen += [q for q in ranked if q not in chosen]
    return sorted(chosen[:limit], key=ranked.index)


def cocitation_groups(records: Records, passages: list[Evidence]) -> list[CitationGroup]:
    """The studies the passages cite, in groups cited together; largest group first, then by label."""
    import networkx as nx

    graph = nx.Graph()
    for passage in passages:
        graph.add_nodes_from(passage.cites)
        graph.add_edges_from((a, b) for a, b in zip(passage.cites, passage.cites[1:]))

    def label(iri: str) -> str:
        return records.entities[iri].label if iri in records.entities else iri

    groups = []
    for component in nx.connected_components(graph):
        studies = sorted(component, key=lambda iri: (label(iri), iri))
        citing = sorted((p for p in passages if component & set(p.cites)), key=lambda p: (p.id, p.iri))
        groups.append(CitationGroup(studies, citing))
    return sorted(groups, key=lambda g: (-len(g.studies), label(g.studies[0])))


def intent_groups(records: Records, passages: list[Evidence]) -> list[IntentGroup]:
    """The works the passages cite with an intent, by family in :data:`INTENT_FAMILIES` order;
    in each, by the study's label, then term and passage id. Plain ``cites`` is in none."""
    found: dict[str, list[IntentUse]] = {}
    for passage in passages:
        for cited in passage.cites:
            term = passage.intent(cited)
            if term in INTENT_FAMILY:
                found.setdefault(INTENT_FAMILY[term], []).append(IntentUse(cited, term, passage))

    def order(use: IntentUse) -> tuple:
        entity = records.entities.get(use.study)
        return (entity.label if entity else use.study, use.study, use.term, use.passage.id, use.passage.iri)

    return [
        IntentGroup(family, heading, sorted(found[family], key=order))
        for family, (heading, _) in INTENT_FAMILIES.items()
        if family in found
    ]


def cited_studies(outline: ReviewOutline) -> list[str]:
    """Every study the outline cites or quotes from, once, by cite key."""
    cited = set()
    for section in outline.walk():
        cited |= {q.study for q in section.quotes}
        for group in section.literature:
            cited |= set(group.studies) | {p.study for p in group.passages}
    return sorted(cited, key=outline.records.key_of)
