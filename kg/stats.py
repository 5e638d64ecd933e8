"""`kg stats`: what a graph holds, at a glance."""

from __future__ import annotations

import pyoxigraph as ox

from kg.ask import named_queries, select
from kg.table import Table, label_table
from kg.views import degree_table

_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?node) AS ?count) WHERE {
  VALUES ?class { rkg:Study rkg:Participant rkg:ServiceUser rkg:Professional rkg:Quote rkg:Theme
                  rkg:Action rkg:RecoveryFactor rkg:CitationContext }
  OPTIONAL {
    ?node a ?type .
    FILTER(?type = ?class || (?class = rkg:Participant && ?type IN (rkg:ServiceUser, rkg:Professional)))
  }
} GROUP BY ?class ORDER BY ?class
"""

_ROLES = """
SELECT ?role (COUNT(DISTINCT ?participant) AS ?participants) (COUNT(DISTINCT ?quote) AS ?quotes) WHERE {
  ?participant rkg:role ?role .
  OPTIONAL { ?quote rkg:spokenBy ?participant }
} GROUP BY ?role ORDER BY ?role
"""

_THEMES_PER_STUDY = """
SELECT ?study (COUNT(DISTINCT ?theme) AS ?themes) (COUNT(DISTINCT ?sub) AS ?sub_themes)
       (COUNT(DISTINCT ?quote) AS ?quotes) (COUNT(DISTINCT ?passage) AS ?passages) WHERE {
  ?codebook dcterms:source ?study .
  ?theme skos:inScheme ?codebook .
  OPTIONAL { ?theme skos:broader ?parent . BIND(?theme AS ?sub) }
  OPTIONAL { ?quote rkg:reportedIn ?study }
  OPTIONAL { ?passage rkg:inStudy ?study }
} GROUP BY ?study ORDER BY ?study
"""

def graph_stats(store: ox.Store, top: int = 10) -> dict[str, Table]:
    """Counts per class and per role, themes per study, and the best-connected nodes."""
    tables = {}
    for title, text in (("classes", _CLASS_COUNTS), ("roles", _ROLES), ("themes per study", _THEMES_PER_STUDY)):
        columns, rows = select(store, text)
        tables[title] = label_table(store, columns, rows)
    columns, rows = select(store, named_queries()["path"].render({}))
    tables["most connected"] = degree_table(store, columns, rows, top=top)
    return tables
