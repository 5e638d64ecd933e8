"""The answer of ``kg query path``: the shortest chain between two nodes of the entity web.

The web's nodes are themes, actions, factors, studies and participants; an edge says how two
are tied (coded together on a quote, cited about a theme, supports ...) and keeps the quote or
passage behind it. The ``path`` named query gives its edges; :func:`entity_graph` makes them a
networkx graph (which ``kg stats`` also ranks, in :mod:`kg.views.stats`).
"""

from __future__ import annotations

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


def shortest_path_table(
    store: Store, columns: list[str], rows: list[list], start: ox.NamedNode, end: ox.NamedNode
) -> Table:
    """The shortest chain from ``start`` to ``end``, one row per step, with the quote or passage."""
    graph = entity_graph(columns, rows)
    out_columns = ["step", "subject", "relation", "object", "via", "text"]
    if start.value not in graph or end.value not in graph:
        return Table(out_columns)
    try:
        nodes = nx.shortest_path(graph, start.value, end.value)
    except nx.NetworkXNoPath:
        return Table(out_columns)
    texts = _texts(store)
    steps = []
    for number, (a, b) in enumerate(zip(nodes, nodes[1:]), start=1):
        edge = graph[a][b]
        subject, obj = (a, b) if edge["source"] == a else (b, a)
        via = edge["via"]
        steps.append(
            [
                ox.Literal(str(number), datatype=XSD_INTEGER),
                ox.NamedNode(subject),
                ox.Literal(edge["relation"]),
                ox.NamedNode(obj),
                ox.NamedNode(via) if via else None,
                ox.Literal(texts[via]) if via in texts else None,
            ]
        )
    return label_table(store, out_columns, steps)


def _texts(store: Store) -> dict[str, str]:
    _, rows = store.select("SELECT ?node ?text WHERE { ?node rkg:text ?text }")
    return {node.value: text.value for node, text in rows}
