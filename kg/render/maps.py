"""Maps from a store: the view's graph with full references, as an offline page or an export.

:func:`map_graph` is what ``kg map`` and ``kg export`` share: read the records, make the view
(:mod:`kg.views.maps`), narrow it to a node's neighbourhood when asked, and give each study its
reference formatted by a CSL style with its DOI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.errors import ProjectError
from kg.queries import NODE_KINDS, resolve_any
from kg.render.entries import ReferenceEntries
from kg.render.exports import export_graph
from kg.render.formatted import NO_CACHE, FormattingCache
from kg.render.map_html import render_map
from kg.render.references import csl_items, format_references
from kg.store import Store
from kg.views.layout import NOT_KEPT, KeptLayouts
from kg.views.maps import VIEWS, focus, map_view
from kg.views.records import Records, read_records

if TYPE_CHECKING:  # imported where used: a command that draws nothing need not load it
    import networkx as nx

VIEW_TITLES = {
    "literature": "Literature map: studies and the themes they are cited about",
    "evidence": "Evidence map: themes, actions, factors, quotes and who said them",
    "actions": "Actions and the recovery factors they support",
    "full": "The whole graph",
}


def map_graph(
    store: Store,
    view: str = "literature",
    focus_on: str | None = None,
    depth: int = 2,
    factors: bool = False,
    style: str = "apa",
    cache: FormattingCache = NO_CACHE,
    records: Records | None = None,
    entries: ReferenceEntries | None = None,
    layouts: KeptLayouts = NOT_KEPT,
) -> nx.Graph:
    """The graph of a map view, narrowed to ``depth`` steps around ``focus_on`` when given.

    ``focus_on`` is named as in ``kg query`` (an id, ``STUDY/ID``, a label or a unique prefix).
    ``layouts`` keeps the layouts between builds (:class:`kg.views.layout.KeptLayouts`).
    """
    if view not in VIEWS:
        raise ProjectError(f"unknown view '{view}'; use one of: {', '.join(VIEWS)}")
    if depth < 0:
        raise ProjectError(f"--depth must be 0 or more; got {depth}")
    graph = map_view(records or read_records(store), view, factors=factors, kept=layouts)
    if focus_on is not None:
        _, node = resolve_any(store, NODE_KINDS, focus_on)
        if node.value not in graph:
            raise ProjectError(
                f"'{focus_on}' is not in the {view} view; try --view full, or focus on a node this view shows"
            )
        graph = focus(graph, node.value, depth, layouts)
    _add_references(store, graph, style, cache, entries)
    return graph


def _add_references(
    store: Store, graph: nx.Graph, style: str, cache: FormattingCache, entries: ReferenceEntries | None
) -> None:
    items = entries.by_iri if entries is not None and entries.by_iri is not None else csl_items(store)
    studies = [node for node, kind in graph.nodes(data="kind") if kind == "study" and node in items]
    chosen = [items[node] for node in sorted(studies)]
    if entries is not None and entries.serves(style, chosen):  # a build's: made once for the map and the review
        formatted = {item["id"]: entries.plain(item["id"]) for item in chosen}
    else:
        formatted = format_references(chosen, style, cache)
    for node in studies:
        details = graph.nodes[node]["details"]
        details["reference"] = formatted.get(items[node]["id"]) or None
        details["doi"] = items[node].get("DOI")


def map_page(store: Store, view: str = "literature", title: str | None = None, **options) -> str:
    """One offline HTML page of a map view. Example::

    html = map_page(open_store(graph_file="out/graph.ttl"), "evidence", focus_on="coffee", depth=1)
    """
    graph = map_graph(store, view, **options)
    return render_map(graph, title or VIEW_TITLES[view])


def map_export(store: Store, fmt: str, view: str = "literature", **options) -> dict[str, bytes]:
    """A map view in an export format: file part -> bytes (``nodes.csv`` and ``edges.csv`` for csv)."""
    return export_graph(map_graph(store, view, **options), fmt)
