"""The answer of ``kg query path``: the shortest chain between two nodes of the entity web.

The web's nodes are themes, actions, factors, studies and participants; an edge says how two
are tied (coded together on a quote, cited about a theme, supports ...) and keeps the quote or
passage behind it. The ``path`` named query gives its edges; :func:`entity_graph` makes them a
networkx graph (which ``kg stats`` also ranks, in :mod:`kg.views.stats`).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox
from rdflib.namespace import XSD

from kg.queries.table import Table, label_table
from kg.store import Store

XSD_INTEGER = ox.NamedNode(str(XSD.integer))


def entity_graph(columns: list[str], rows: list[list]) -> nx.Graph:
    """An undirected graph from edge rows (a, relation, b, via), in a fixed order.

    Where several quotes tie the same two nodes, the edge keeps the first by IRI and counts all.
    """
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


def shortest_path_table(
    store: Store, columns: list[str], rows: list[list], start: ox.NamedNode, end: ox.NamedNode
) -> PathTable:
    """The shortest chain from ``start`` to ``end``, one row per step, with the quote or passage.

    Each step reads from the node nearer ``start`` to the next one (a relation walked against its
    direction is worded in reverse: "is the theme of a passage citing"). With no chain, the table
    is empty and its ``note`` says why: the two are the same node, or they are not connected.
    """
    graph = entity_graph(columns, rows)
    out_columns = ["step", "subject", "relation", "object", "via", "text"]
    if start == end:
        return PathTable(out_columns, note=f"FROM and TO are the same node ({_name(store, start)}); there is no chain")
    try:
        nodes = nx.shortest_path(graph, start.value, end.value)
    except (nx.NodeNotFound, nx.NetworkXNoPath):
        return PathTable(out_columns, note=f"{_name(store, start)} and {_name(store, end)} are not connected")
    texts = _texts(store)
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


def _texts(store: Store) -> dict[str, str]:
    _, rows = store.select("SELECT ?node ?text WHERE { ?node rkg:text ?text }")
    return {node.value: text.value for node, text in rows}
