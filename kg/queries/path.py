"""The answer of ``kg query path``: the shortest chain between two nodes of the entity web.

The web's nodes are themes, actions, factors, studies and participants; an edge says how two
are tied (coded together on a quote, cited about a theme, supports ...) and keeps the quote or
passage behind it. The ``path`` named query gives its edges; :func:`entity_graph` makes them a
networkx graph (which ``kg stats`` also ranks, in :mod:`kg.views.stats`).

The chain is found by a bidirectional breadth-first search that asks the store only for the
edges of the nodes it is about to expand (the query with ``VALUES ?a``, then ``?b``, of those nodes in
each branch): the whole web of a 20,000-quote corpus (every pair of codes on every quote) took 9 s to
build before one search. The search is networkx's own, step for step, on the edges fetched so
far, which include every edge of each node it expands, in the same order: so it finds the same
chain as :func:`networkx.shortest_path` on the whole web.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib.namespace import XSD

from kg.queries.table import Table, label_table
from kg.store import Store

if TYPE_CHECKING:  # imported where used: a command that draws nothing need not load it
    import networkx as nx

XSD_INTEGER = ox.NamedNode(str(XSD.integer))


def entity_graph(columns: list[str], rows: list[list]) -> nx.Graph:
    """An undirected graph from edge rows (a, relation, b, via), in a fixed order.

    Where several quotes tie the same two nodes, the edge keeps the first by IRI and counts all.
    """
    import networkx as nx

    index = {name: columns.index(name) for name in ("a", "relation", "b", "via")}
    edges = sorted(
        (
            row[index["a"]].value,
            row[index["b"]].value,
            row[index["relation"]].value,
            row[index["via"]].value if row[index["via"]] is not None else "",
        )
        for row in rows
    )
    graph = nx.Graph()
    for a, b, relation, via in edges:
        if a == b:
            continue
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += 1
            continue
        graph.add_edge(a, b, source=a, relation=relation, via=via, weight=1)
    return graph


#: Each relation of the ``path`` query (read from ?a to ?b) as it reads from ?b back to ?a, so
#: that every step of a chain reads from FROM towards TO.
REVERSED = {
    "speaks of": "is spoken of by",
    "is coded together with": "is coded together with",
    "is cited about": "is the theme of a passage citing",
    "cites": "is cited by",
    "supports": "is supported by",
    "is a sub-theme of": "has the sub-theme",
    "matches": "matches",
    "is a participant of": "has the participant",
    "is a theme of": "has the theme",
    "is a concept named in": "names the concept",
}


@dataclass
class PathTable(Table):
    """The steps of a chain, and, when there is none, why (``note``)."""

    note: str = ""


def shortest_path_table(store: Store, edges_query: str, start: ox.NamedNode, end: ox.NamedNode) -> PathTable:
    """The shortest chain from ``start`` to ``end``, one row per step, with the quote or passage.

    Each step reads from the node nearer ``start`` to the next one (a relation walked against its
    direction is worded in reverse: "is the theme of a passage citing"). With no chain, the table
    is empty and its ``note`` says why: the two are the same node, or they are not connected.
    ``edges_query`` is the ``path`` query: every edge of the web, as rows (a, relation, b, via).
    """
    out_columns = ["step", "subject", "relation", "object", "via", "text"]
    if start == end:
        return PathTable(out_columns, note=f"FROM and TO are the same node ({_name(store, start)}); there is no chain")
    web = _Web(store, edges_query)
    nodes = web.shortest_path(start.value, end.value)
    if nodes is None:
        return PathTable(out_columns, note=f"{_name(store, start)} and {_name(store, end)} are not connected")
    graph = web.graph
    texts = _texts(store, [graph[a][b]["via"] for a, b in zip(nodes, nodes[1:])])
    steps = []
    for number, (a, b) in enumerate(zip(nodes, nodes[1:]), start=1):
        edge = graph[a][b]
        relation = edge["relation"] if edge["source"] == a else REVERSED.get(edge["relation"], edge["relation"])
        via = edge["via"]
        steps.append(
            [
                ox.Literal(str(number), datatype=XSD_INTEGER),
                ox.NamedNode(a),
                ox.Literal(relation),
                ox.NamedNode(b),
                ox.NamedNode(via) if via else None,
                ox.Literal(texts[via]) if via in texts else None,
            ]
        )
    table = label_table(store, out_columns, steps)
    return PathTable(table.columns, table.rows)


def _name(store: Store, node: ox.NamedNode) -> str:
    """A node as people read it, quoted: 'Talk over coffee'."""
    return f"'{label_table(store, ['node'], [[node]]).rows[0][0]}'"


def _texts(store: Store, nodes: list[str]) -> dict[str, str]:
    """The text of each quote or passage of ``nodes`` (IRIs; "" for none)."""
    values = " ".join(str(ox.NamedNode(node)) for node in sorted(set(nodes)) if node)
    if not values:
        return {}
    _, rows = store.select(f"SELECT ?node ?text WHERE {{ VALUES ?node {{ {values} }} ?node rkg:text ?text }}")
    return {node.value: text.value for node, text in rows}


class _Web:
    """The part of the entity web a search has seen: every edge of each node it asked about."""

    def __init__(self, store: Store, edges_query: str):
        import networkx as nx

        self.store, self.edges_query = store, edges_query
        self.asked: set[str] = set()
        self.columns: list[str] = []
        self.rows: dict[tuple, list] = {}  # a row fetched for both of its ends is kept once
        self.graph = nx.Graph()

    def fetch(self, nodes: list[str]) -> None:
        """Add every edge of ``nodes`` (those not asked about before), then remake the graph."""
        new = sorted(set(nodes) - self.asked)
        if not new:
            return
        self.asked.update(new)
        values = " ".join(str(ox.NamedNode(node)) for node in new)
        for end in ("a", "b"):
            # In every group (each branch of the UNION), so Oxigraph starts each branch from them.
            bound = self.edges_query.replace("{\n", f"{{\n  VALUES ?{end} {{ {values} }}\n")
            self.columns, rows = self.store.select(bound)
            for row in rows:
                self.rows.setdefault(tuple(term.value if term is not None else None for term in row), row)
        # Sorted as the whole web's rows would be, so each node's neighbours come in the same order.
        self.graph = entity_graph(self.columns, list(self.rows.values()))

    def neighbours(self, node: str):
        return self.graph[node] if node in self.graph else ()

    def shortest_path(self, source: str, target: str) -> list[str] | None:
        """networkx's bidirectional search (``_bidirectional_pred_succ``), fetching each level first."""
        pred, succ = {source: None}, {target: None}
        forward, reverse = [source], [target]
        while forward and reverse:
            walk_forward = len(forward) <= len(reverse)
            level = forward if walk_forward else reverse
            seen, other = (pred, succ) if walk_forward else (succ, pred)
            self.fetch(level)
            fringe = []
            for v in level:
                for w in self.neighbours(v):
                    if w not in seen:
                        fringe.append(w)
                        seen[w] = v
                    if w in other:
                        return _joined(pred, succ, w)
            forward, reverse = (fringe, reverse) if walk_forward else (forward, fringe)
        return None


def _joined(pred: dict, succ: dict, meeting: str) -> list[str]:
    """The chain through ``meeting``: back to the source by ``pred``, on to the target by ``succ``."""
    path, node = [], meeting
    while node is not None:
        path.append(node)
        node = pred[node]
    path.reverse()
    node = succ[path[-1]]
    while node is not None:
        path.append(node)
        node = succ[node]
    return path
