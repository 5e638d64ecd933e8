"""Ask the graph: named queries (``*.rq`` here), the runner, name resolution, the answer table."""

from kg.queries.named import NamedQuery, Param, keep_lines_if, named_queries
from kg.queries.names import NODE_KINDS, resolve, resolve_any
from kg.queries.path import entity_graph, shortest_path_table
from kg.queries.run import parse_param_value, query, run_named, run_sparql, sparql
from kg.queries.table import Cell, Table, compact, label_table

__all__ = [
    "NODE_KINDS",
    "Cell",
    "NamedQuery",
    "Param",
    "Table",
    "compact",
    "entity_graph",
    "keep_lines_if",
    "label_table",
    "named_queries",
    "parse_param_value",
    "query",
    "resolve",
    "resolve_any",
    "run_named",
    "run_sparql",
    "shortest_path_table",
    "sparql",
]
