"""networkx views of the graph: the web of entities that quotes and passages tie together.

Nodes are themes, actions, factors, studies and participants; an edge says how two are tied
(coded together on a quote, cited about a theme, supports ...) and keeps the quote or passage
behind it. ``kg query path`` walks it; ``kg stats`` ranks its best-connected nodes.
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from kg.table import Cell, Table, label_table
from kg.vocab import RKG


def entity_graph(columns: list[str], rows: list[list]) -> nx.Graph:
    """An undirected graph from edge rows (a, relation, b, via), in a fixed order.

    Where several quotes tie the same two nodes, the edge keeps the first by IRI and counts all.
    """
    index = {name: columns.index(name) for name in ("a", "relation", "b", "via")}
    edges = sorted(
        (row[index["a"]].value, row[index["b"]].value, row[index["relation"]].value,
         row[index["via"]].value if row[index["via"]] is not None else "")
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


def shortest_path_table(store: ox.Store, columns: list[str], rows: list[list], start: ox.NamedNode,
                        end: ox.NamedNode) -> Table:
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
        steps.append([ox.Literal(str(number), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                      ox.NamedNode(subject), ox.Literal(edge["relation"]), ox.NamedNode(obj),
                      ox.NamedNode(via) if via else None, ox.Literal(texts[via]) if via in texts else None])
    return label_table(store, out_columns, steps)


def _texts(store: ox.Store) -> dict[str, str]:
    rows = store.query("SELECT ?node ?text WHERE { ?node <https://w3id.org/recovery-kg#text> ?text }")
    return {row["node"].value: row["text"].value for row in rows}


def degree_table(store: ox.Store, columns: list[str], rows: list[list], top: int = 10) -> Table:
    """The best-connected nodes of the entity graph: how many others each is tied to."""
    graph = entity_graph(columns, rows)
    ranked = sorted(graph.degree, key=lambda item: (-item[1], item[0]))[:top]
    types: dict[str, str] = {}
    for row in store.query("SELECT ?node ?type WHERE { ?node a ?type FILTER(STRSTARTS(STR(?type), STR(rkg:))) }",
                           prefixes={"rkg": str(RKG)}):
        node, kind = row["node"].value, row["type"].value
        types[node] = min(types.get(node, kind), kind)
    table = label_table(store, ["node", "kind", "ties"],
                        [[ox.NamedNode(node), ox.NamedNode(types[node]) if node in types else None,
                          ox.Literal(str(degree), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))]
                         for node, degree in ranked])
    return Table(table.columns, [[row[0], Cell(str(row[1]).removeprefix("rkg:")), row[2]] for row in table.rows])
