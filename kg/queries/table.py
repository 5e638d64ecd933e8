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
# One row per node (more only where a node has several labels, ids or types): only typed nodes,
# ?by_id bound when it is of a class named by its id, ?key when it is a study. One query instead of
# one for labels and one for cite keys. `OPTIONAL { ?node a rkg:Study ; rkg:citeKey ?key }` reads
# every study (Oxigraph joins the group's own answers): 24 ms for a table of 2 nodes at 10k quotes.
_NAMES = """
SELECT ?node ?label ?id ?key ?by_id WHERE {
  VALUES_NODES
  FILTER EXISTS { ?node a ?type }
  OPTIONAL { ?node skos:prefLabel ?label }
  OPTIONAL { ?node dcterms:identifier ?id }
  OPTIONAL { ?node rkg:citeKey ?key . FILTER EXISTS { ?node a rkg:Study } }
  OPTIONAL { ?node a ?by_id . FILTER(?by_id IN (BY_ID_CLASSES)) }
}""".replace("BY_ID_CLASSES", ", ".join(f"<{iri}>" for iri in sorted(_BY_ID)))


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


def _names(store: Store, nodes: list[ox.NamedNode]) -> tuple[dict[str, str], dict[str, str]]:
    """The name of each of ``nodes`` as people read it (and the ontology's terms by their labels),
    and the cite key of each study among them."""
    names: dict[str, str] = dict(ontology_labels())
    by_id: dict[str, str] = {}
    keys: dict[str, str] = {}
    _, rows = store.select(_only(_NAMES, nodes))
    for node, label, id_, key, by_id_class in rows:
        if not isinstance(node, ox.NamedNode):
            continue
        node = node.value
        if key is not None:
            keys[node] = key.value
        if by_id_class is not None:
            by_id[node] = id_.value if id_ is not None else (label.value if label is not None else "")
        elif label is not None:
            names.setdefault(node, label.value)
        elif id_ is not None:
            names.setdefault(node, id_.value)
    names.update(by_id)
    return names, keys


_NONE = Cell(None)


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
    names, keys = _names(store, nodes) if nodes else ({}, {})
    cells: dict = {}  # a term's cell, made once (a cell is never changed: with_sorted_lists makes new ones)

    def cell(term) -> Cell:
        if term is None:
            return _NONE
        found = cells.get(term)
        if found is None:
            found = cells[term] = _cell(term, names, keys)
        return found

    return Table(list(columns), [[cell(term) for term in row] for row in rows])
