"""The answer table: labels instead of IRIs, numbers as numbers (written by :mod:`kg.render.tables`).

A cell keeps both what a person reads (a label, a number, a text) and, for a node, its IRI, so
``--iri`` can show both; a study also keeps its cite key, which a writer needs to cite it, so a
column of studies has a ``COLUMN_key`` column beside it in the records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import XSD

from kg.graph import ontology_labels
from kg.store import Store
from kg.vocab import PREFIX_IRIS, RKG

_NUMERIC = {
    str(XSD[t])
    for t in ("integer", "int", "long", "decimal", "double", "float", "nonNegativeInteger", "positiveInteger", "short")
}
#: Whose name a reader wants to see is its id, not its label: a participant ("38"), a quote, a passage.
_BY_ID = {str(RKG.Participant), str(RKG.ServiceUser), str(RKG.Professional), str(RKG.Quote), str(RKG.CitationContext)}

# VALUES_NODES: the nodes of the table (a scan of every typed node cost 0.3-1 s a query at 1k quotes).
_LABELS = """
SELECT ?node ?label ?id ?type WHERE {
  VALUES_NODES
  ?node a ?type .
  OPTIONAL { ?node skos:prefLabel ?label }
  OPTIONAL { ?node dcterms:identifier ?id }
}"""

_CITE_KEYS = "SELECT ?node ?key WHERE { VALUES_NODES ?node a rkg:Study ; rkg:citeKey ?key }"


@dataclass(frozen=True)
class Cell:
    value: str | int | float | None
    iri: str | None = None
    key: str | None = None  # a study's cite key

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def with_sorted_lists(self, list_columns: tuple[str, ...]) -> Table:
        """Sort the parts of "a; b" list columns (SPARQL's GROUP_CONCAT order is not fixed)."""
        index = [self.columns.index(c) for c in list_columns if c in self.columns]
        for row in self.rows:
            for i in index:
                if isinstance(row[i].value, str) and row[i].value:
                    row[i] = Cell("; ".join(sorted(row[i].value.split("; "))), row[i].iri)
        return self

    def records(self, iri: bool = False, keys: bool = True) -> list[dict]:
        """The rows as dictionaries keyed by column name: ``COLUMN_key`` beside a column of studies
        (their cite keys; not with ``keys=False``), ``COLUMN_iri`` beside nodes with ``iri``."""
        key_columns = {c for c in self.columns if keys and self._has(c, "key")}
        iri_columns = {c for c in self.columns if iri and self._has(c, "iri")}
        out = []
        for row in self.rows:
            record = {}
            for column, cell in zip(self.columns, row):
                record[column] = cell.value
                if column in key_columns:
                    record[f"{column}_key"] = cell.key
                if column in iri_columns:
                    record[f"{column}_iri"] = cell.iri
            out.append(record)
        return out

    def _has(self, column: str, attribute: str) -> bool:
        i = self.columns.index(column)
        return any(getattr(row[i], attribute) for row in self.rows)


def compact(iri: str) -> str:
    """``rkg:Theme`` for a term of a known namespace, else the IRI itself."""
    for prefix, namespace in sorted(PREFIX_IRIS.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _only(query: str, nodes: list[ox.NamedNode]) -> str:
    """The query asked about ``nodes`` only: a VALUES block of them, each written by Oxigraph."""
    return query.replace("VALUES_NODES", f"VALUES ?node {{ {' '.join(str(node) for node in nodes)} }}")


def _labels(store: Store, nodes: list[ox.NamedNode]) -> dict[str, str]:
    """The name of each of ``nodes`` as people read it (and the ontology's terms by their labels)."""
    names: dict[str, str] = dict(ontology_labels())
    by_id: dict[str, str] = {}
    columns, rows = store.select(_only(_LABELS, nodes))
    for values in rows:
        row = dict(zip(columns, values))
        node = row["node"].value if isinstance(row["node"], ox.NamedNode) else None
        if node is None:
            continue
        if row["type"].value in _BY_ID:
            by_id[node] = row["id"].value if row["id"] is not None else (row["label"].value if row["label"] else "")
        elif row["label"] is not None:
            names.setdefault(node, row["label"].value)
        elif row["id"] is not None:
            names.setdefault(node, row["id"].value)
    names.update(by_id)
    return names


def _cite_keys(store: Store, nodes: list[ox.NamedNode]) -> dict[str, str]:
    _, rows = store.select(_only(_CITE_KEYS, nodes))
    return {node.value: key.value for node, key in rows}


def _cell(term, names: dict[str, str], keys: dict[str, str]) -> Cell:
    if term is None:
        return Cell(None)
    if isinstance(term, ox.NamedNode):
        return Cell(names.get(term.value) or compact(term.value), term.value, keys.get(term.value))
    if isinstance(term, ox.Literal):
        if term.datatype.value in _NUMERIC:
            try:
                number = float(term.value)
                return Cell(int(number) if number.is_integer() and "." not in term.value else number)
            except ValueError:
                return Cell(term.value)
        return Cell(term.value)
    return Cell(str(term))


def label_table(store: Store, columns: list[str], rows: list[list]) -> Table:
    """A table of cells from SPARQL terms, nodes shown by their labels."""
    nodes = sorted({t for row in rows for t in row if isinstance(t, ox.NamedNode)}, key=str)
    names, keys = (_labels(store, nodes), _cite_keys(store, nodes)) if nodes else ({}, {})
    return Table(list(columns), [[_cell(term, names, keys) for term in row] for row in rows])
