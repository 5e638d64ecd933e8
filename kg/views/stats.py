"""`kg stats`: what a graph holds, at a glance."""

from __future__ import annotations

import pyoxigraph as ox

from kg.graph import superclasses
from kg.queries import Cell, Table, entity_graph, label_table, named_queries
from kg.queries.path import XSD_INTEGER
from kg.store import Store
from kg.vocab import COUNTED, PARTICIPANT_CLASSES

# The counted classes are constants of ours, not input: written into the query as IRIs.
_COUNTED_IRIS = " ".join(f"<{cls}>" for cls in COUNTED.values())
_PARTICIPANT_IRIS = ", ".join(f"<{cls}>" for cls in PARTICIPANT_CLASSES)
_CLASS_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?node) AS ?count) WHERE {{
  VALUES ?class {{ {_COUNTED_IRIS} }}
  OPTIONAL {{
    ?node a ?type .
    FILTER(?type = ?class || (?class = rkg:Participant && ?type IN ({_PARTICIPANT_IRIS})))
  }}
}} GROUP BY ?class ORDER BY ?class
"""

_ROLES = """
SELECT ?role (COUNT(DISTINCT ?participant) AS ?participants) (COUNT(DISTINCT ?quote) AS ?quotes) WHERE {
  ?participant rkg:role ?role .
  OPTIONAL { ?quote rkg:spokenBy ?participant }
} GROUP BY ?role ORDER BY ?role
"""

_THEMES_PER_STUDY = """
SELECT ?study (COUNT(DISTINCT ?theme) AS ?themes) (COUNT(DISTINCT ?sub) AS ?sub_themes)
       (COUNT(DISTINCT ?concept) AS ?concepts) (COUNT(DISTINCT ?quote) AS ?quotes)
       (COUNT(DISTINCT ?passage) AS ?passages) WHERE {
  ?codebook dcterms:source ?study .
  ?theme a rkg:Theme ; skos:inScheme ?codebook .
  OPTIONAL { ?theme skos:broader ?parent . BIND(?theme AS ?sub) }
  OPTIONAL { ?concept a rkg:StudyConcept ; skos:inScheme/dcterms:source ?study }
  OPTIONAL { ?quote rkg:reportedIn ?study }
  OPTIONAL { ?passage rkg:inStudy ?study }
} GROUP BY ?study ORDER BY ?study
"""


def graph_stats(store: Store, top: int = 10) -> dict[str, Table]:
    """Counts per class and per role, themes per study, and the best-connected nodes."""
    tables = {}
    for title, text in (("classes", _CLASS_COUNTS), ("roles", _ROLES), ("themes per study", _THEMES_PER_STUDY)):
        columns, rows = store.select(text)
        tables[title] = label_table(store, columns, rows)
    columns, rows = store.select(named_queries()["path"].render({}))
    tables["most connected"] = degree_table(store, columns, rows, top=top)
    return tables


def degree_table(store: Store, columns: list[str], rows: list[list], top: int = 10) -> Table:
    """The best-connected nodes of the entity graph: how many others each is tied to."""
    graph = entity_graph(columns, rows)
    ranked = sorted(graph.degree, key=lambda item: (-item[1], item[0]))[:top]
    types: dict[str, set[str]] = {}
    _, rows = store.select("SELECT ?node ?type WHERE { ?node a ?type FILTER(STRSTARTS(STR(?type), STR(rkg:))) }")
    for node_term, type_term in rows:
        types.setdefault(node_term.value, set()).add(type_term.value)
    above = {str(cls): {str(parent) for parent in parents} for cls, parents in superclasses().items()}
    # The most specific class: a participant is a ServiceUser, not the Participant it entails.
    types = {
        node: min(t for t in kinds if not any(t in above.get(o, ()) for o in kinds)) for node, kinds in types.items()
    }
    table = label_table(
        store,
        ["node", "kind", "ties"],
        [
            [
                ox.NamedNode(node),
                ox.NamedNode(types[node]) if node in types else None,
                ox.Literal(str(degree), datatype=XSD_INTEGER),
            ]
            for node, degree in ranked
        ],
    )
    return Table(table.columns, [[row[0], Cell(str(row[1]).removeprefix("rkg:")), row[2]] for row in table.rows])
