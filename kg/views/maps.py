"""The maps' views: networkx graphs of a store's records, each node and edge with its evidence.

- ``literature``: studies and themes (and the papers' named concepts); a study is tied to a
  theme it is cited about (weight: the passages), themes to the themes they match across papers
  and to their sub-themes; with ``factors=True`` the recovery factors too, tied to the themes their quotes share.
- ``evidence``: themes, actions, factors, quotes and their speakers (users and professionals).
- ``actions``: actions and the recovery factors they support, each action with how many quotes
  of users and of professionals describe it.
- ``full``: all of these at once, and who cites whom (each citing study to the studies it cites).

Nodes carry what :func:`kg.render.map_html.render_map` and the exports read: ``kind``, ``label``,
``hover``, ``role``, ``study``, ``key``, ``themes``, ``size``, ``group``, ``group_label``,
``x``, ``y``, ``flag`` and ``details`` (the quotes and passages behind the node); edges carry
``relation``, ``weight``, ``quotes``, ``passages`` and ``intent``: for an edge of citing passages
(a study cited about a theme, a study citing another), the family of the CiTO intents they give
(``supports``, ``disputes``, ``method`` ... as in :data:`kg.vocab.INTENT_FAMILIES`; ``mixed``
when they differ; plain ``cites`` aside), else None. Communities
are found with a seeded Louvain, positions with a seeded layout: same store, same map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.views.layout import NOT_KEPT, KeptLayouts, layout_positions
from kg.views.records import Entity, Evidence, Records
from kg.vocab import INTENT_FAMILY

if TYPE_CHECKING:  # imported where used: a command that draws nothing need not load it
    import networkx as nx

VIEWS = ("literature", "evidence", "actions", "full")
SEED = 1


def map_view(
    records: Records, view: str = "literature", factors: bool = False, kept: KeptLayouts = NOT_KEPT
) -> nx.Graph:
    """The graph of one view, laid out (from ``kept`` when laid out before), with communities. Example::

    graph = map_view(read_records(store), "evidence")
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; one of {', '.join(VIEWS)}")
    builder = _Builder(records)
    if view in ("literature", "full"):
        builder.literature(factors=factors or view == "full")
    if view in ("evidence", "full"):
        builder.evidence()
    if view in ("actions", "full"):
        builder.actions()
    if view == "full":
        builder.citations()
    return finish(builder.graph, kept)


def focus(graph: nx.Graph, node: str, depth: int, kept: KeptLayouts = NOT_KEPT) -> nx.Graph:
    """The neighbourhood of ``node`` to ``depth`` steps, laid out again."""
    import networkx as nx

    return finish(nx.ego_graph(graph, node, radius=depth).copy(), kept)


def finish(graph: nx.Graph, kept: KeptLayouts = NOT_KEPT) -> nx.Graph:
    """Sizes by weight, communities and positions: what every view gets last."""
    for node, data in graph.nodes(data=True):
        weight = sum(edge.get("weight", 1) for _, _, edge in graph.edges(node, data=True))
        data["size"] = round(10 + 6 * math.sqrt(weight), 2)
    _communities(graph)
    for node, (x, y) in layout_positions(graph, seed=SEED, kept=kept).items():
        graph.nodes[node]["x"], graph.nodes[node]["y"] = x, y
    return graph


def _communities(graph: nx.Graph) -> None:
    import networkx as nx

    if graph.number_of_edges() == 0:
        groups = [{node} for node in sorted(graph)]
    else:
        groups = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    # Number communities biggest first, ties by their first node, so numbers are stable. A node
    # alone is no community: it keeps its kind's colour and stays out of the legend.
    ordered = sorted((sorted(group) for group in groups if len(group) > 1), key=lambda group: (-len(group), group[0]))
    for number, members in enumerate(ordered, start=1):
        hub = max(members, key=lambda n: (graph.degree(n, weight="weight"), n))
        label = f"{number}: {graph.nodes[hub]['label']}"
        for node in members:
            graph.nodes[node]["group"], graph.nodes[node]["group_label"] = number, label


class _Builder:
    """Adds the nodes and edges of each view to one graph, with their evidence."""

    def __init__(self, records: Records):
        import networkx as nx

        self.records = records
        self.graph = nx.Graph()

    # -- nodes --------------------------------------------------------------------------------

    def node(self, iri: str) -> str:
        if iri in self.graph:
            return iri
        entity = self.records.entities.get(iri)
        if entity is not None:
            self.graph.add_node(iri, **self._entity_attributes(entity))
        elif iri in self.records.quotes:
            self.graph.add_node(iri, **self._quote_attributes(self.records.quotes[iri]))
        else:  # a node the records do not describe (a match to an unannotated study's theme)
            self.graph.add_node(iri, **_attributes("theme", iri.rsplit("/", 1)[-1], iri, details=_details(iri)))
        return iri

    def _entity_attributes(self, entity: Entity) -> dict:
        records = self.records
        study_key = records.key_of(entity.study) if entity.study else ""
        if entity.kind == "study":
            passages = records.by_cited.get(entity.iri, [])
            return _attributes(
                "study",
                entity.label,
                f"{entity.label} [{entity.id}]",
                key=entity.id,
                study=entity.id,
                details=_details(entity.label, passages=self._passages(passages)),
            )
        if entity.kind == "participant":
            said = records.by_speaker.get(entity.iri, [])
            return _attributes(
                "participant",
                entity.label,
                f"{entity.role} {entity.id} ({study_key})",
                role=entity.role,
                study=study_key,
                details=_details(entity.label, quotes=self._quotes(said)),
            )
        quotes = records.quotes_coding(entity.iri)
        passages = records.by_theme.get(entity.iri, [])
        hover = entity.label if not study_key else f"{entity.label} ({study_key})"
        return _attributes(
            entity.kind,
            entity.label,
            hover,
            study=study_key or None,
            themes=[entity.label] if entity.kind in ("theme", "concept") else self._theme_labels(quotes),
            flag="factor" if entity.kind == "factor" else None,
            details=_details(
                entity.label,
                definition=entity.definition,
                quotes=self._quotes(quotes),
                passages=self._passages(passages),
            ),
        )

    def _quote_attributes(self, quote: Evidence) -> dict:
        study_key = self.records.key_of(quote.study)
        who = f"{quote.role} {quote.speaker}".strip() or "unidentified"
        return _attributes(
            "quote",
            f"{quote.id}",
            f"{quote.id} ({who}, {study_key}): {_cut(quote.text, 80)}",
            role=quote.role or None,
            study=study_key,
            themes=self._theme_labels([quote]),
            details=_details(quote.id, quotes=self._quotes([quote])),
        )

    def _theme_labels(self, quotes: Iterable[Evidence]) -> list[str]:
        entities = self.records.entities
        return sorted(
            {entities[c].label for q in quotes for c in q.codes if c in entities and entities[c].kind == "theme"}
        )

    def _quotes(self, quotes: Iterable[Evidence]) -> list[dict]:
        key_of = self.records.key_of
        return [
            {"id": q.id, "text": q.text, "speaker": q.speaker, "role": q.role, "study": key_of(q.study), "page": q.page}
            for q in quotes
        ]

    def _passages(self, passages: Iterable[Evidence]) -> list[dict]:
        entities = self.records.entities

        def cited(iri: str, passage: Evidence) -> str:
            label = entities[iri].label if iri in entities else iri
            return label if passage.intent(iri) == "cites" else f"{label} ({passage.intent(iri)})"

        return [
            {
                "id": p.id,
                "text": p.text,
                "study": self.records.key_of(p.study),
                "page": p.page,
                "cites": [cited(c, p) for c in p.cites],
            }
            for p in passages
        ]

    # -- edges --------------------------------------------------------------------------------

    def edge(self, a: str, b: str, relation: str, quotes=(), passages=(), cited: str | None = None) -> None:
        """Tie ``a`` and ``b`` (or add to their tie); ``cited``: the study whose citing
        ``passages`` these are, so the edge takes their intents for it."""
        a, b = self.node(a), self.node(b)
        if a == b:
            return
        data = self.graph.get_edge_data(a, b)
        if data is None:
            self.graph.add_edge(a, b, relation=relation, weight=0, quotes=[], passages=[], intent=None)
            data = self.graph[a][b]
        if cited is not None:
            terms = set(data.get("intents", [])) | {p.intent(cited) for p in passages}
            data["intents"] = sorted(terms)
            data["intent"] = intent_family(terms)
        elif relation not in data["relation"].split("; "):
            data["relation"] = "; ".join(sorted(data["relation"].split("; ") + [relation]))
        data["quotes"] += [q for q in self._quotes(quotes) if q not in data["quotes"]]
        data["passages"] += [p for p in self._passages(passages) if p not in data["passages"]]
        data["weight"] = max(1, len(data["quotes"]) + len(data["passages"]))

    def literature(self, factors: bool) -> None:
        records = self.records
        # A study cited about no theme says nothing here about what it is cited for: the full
        # view shows it (cited by its citing study); here it would only float alone.
        for theme in records.of_kind("theme") + records.of_kind("concept"):
            self.node(theme.iri)
        for _, passage in sorted(records.passages.items()):
            for cited in passage.cites:
                for theme in passage.themes:
                    self.edge(cited, theme, "is cited about", passages=[passage], cited=cited)
        for sub, parent in sorted(records.broader):
            self.edge(sub, parent, "is a sub-theme of")
        for a, b in sorted(records.matches):
            self.edge(a, b, "matches")
        if factors:
            self._factors_by_theme()

    def citations(self) -> None:
        """Who cites whom: each citing study to the studies its passages cite."""
        for _, passage in sorted(self.records.passages.items()):
            for cited in passage.cites:
                self.edge(passage.study, cited, "cites", passages=[passage], cited=cited)

    def _factors_by_theme(self) -> None:
        entities = self.records.entities
        for _, quote in sorted(self.records.quotes.items()):
            kinds = {code: entities[code].kind for code in quote.codes if code in entities}
            for theme in sorted(c for c, k in kinds.items() if k in ("theme", "concept")):
                for factor in sorted(c for c, k in kinds.items() if k == "factor"):
                    self.edge(factor, theme, "is evidenced with", quotes=[quote])

    def evidence(self) -> None:
        records = self.records
        for _, quote in sorted(records.quotes.items()):
            self.node(quote.iri)
            if quote.speaker_iri:
                self.edge(quote.iri, quote.speaker_iri, "is spoken by", quotes=[quote])
            for code in sorted(quote.codes):
                kind = records.entities[code].kind if code in records.entities else "theme"
                relation = {
                    "theme": "illustrates",
                    "concept": "is about",
                    "action": "describes",
                    "factor": "evidences",
                }[kind]
                self.edge(code, quote.iri, f"{relation} (quote)", quotes=[quote])

    def actions(self) -> None:
        records = self.records
        for action in records.of_kind("action"):
            self.node(action.iri)
            quotes = records.quotes_coding(action.iri)
            users = sum(1 for q in quotes if q.role == "user")
            professionals = sum(1 for q in quotes if q.role == "professional")
            data = self.graph.nodes[action.iri]
            data["label"] = f"{action.label} (users {users} · professionals {professionals})"
            data["hover"] = f"{action.label}: described by {users} user and {professionals} professional quotes"
        for action, factor in sorted(records.supports):
            evidence = [q for q in records.quotes_coding(action) if factor in q.codes]
            self.edge(action, factor, "supports", quotes=evidence)


def intent_family(terms: Iterable[str]) -> str | None:
    """The family of the CiTO intents of an edge's passages: plain ``cites`` aside, one family,
    ``mixed`` when they differ, None when none is given.

    >>> intent_family(["cites", "agreesWith", "citesAsEvidence"]), intent_family(["disputes", "agreesWith"])
    ('supports', 'mixed')
    """
    families = {INTENT_FAMILY[term] for term in terms if term in INTENT_FAMILY}
    return None if not families else families.pop() if len(families) == 1 else "mixed"


def _attributes(kind: str, label: str, hover: str, **extra) -> dict:
    data = {
        "kind": kind,
        "label": label,
        "hover": hover,
        "role": None,
        "study": None,
        "key": None,
        "themes": [],
        "flag": None,
        "group": None,
        "group_label": None,
    }
    data.update(extra)
    return data


def _details(heading: str, definition: str = "", quotes=(), passages=()) -> dict:
    return {
        "heading": heading,
        "definition": definition or None,
        "reference": None,
        "doi": None,
        "url": None,
        "quotes": list(quotes),
        "passages": list(passages),
    }


def _cut(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
