"""Answers as tables: labels instead of IRIs, written as text, CSV, TSV, JSON or Markdown.

A cell keeps both what a person reads (a label, a number, a text) and, for a node, its IRI, so
``--iri`` can show both. JSON is a list of objects keyed by column name; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.vocab import PREFIXES, RKG

FORMATS = ("text", "csv", "tsv", "json", "markdown")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "int", "long", "decimal", "double", "float", "nonNegativeInteger",
                              "positiveInteger", "short")}
#: Whose name a reader wants to see is its id, not its label: a participant ("38"), a quote, a passage.
_BY_ID = {str(RKG.Participant), str(RKG.ServiceUser), str(RKG.Professional), str(RKG.Quote),
          str(RKG.CitationContext)}

_LABELS = """
SELECT ?node ?label ?id ?type WHERE {
  ?node a ?type .
  OPTIONAL { ?node skos:prefLabel ?label }
  OPTIONAL { ?node dcterms:identifier ?id }
}"""


@dataclass(frozen=True)
class Cell:
    value: str | int | float | None
    iri: str | None = None

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

    def records(self, iri: bool = False) -> list[dict]:
        """The rows as dictionaries keyed by column name (``COLUMN_iri`` beside nodes with ``iri``)."""
        out = []
        for row in self.rows:
            record = {}
            for column, cell in zip(self.columns, row):
                record[column] = cell.value
                if iri and self._is_node_column(column):
                    record[f"{column}_iri"] = cell.iri
            out.append(record)
        return out

    def _is_node_column(self, column: str) -> bool:
        i = self.columns.index(column)
        return any(row[i].iri for row in self.rows)


def compact(iri: str) -> str:
    """``rkg:Theme`` for a term of a known namespace, else the IRI itself."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def _labels(store: ox.Store) -> dict[str, str]:
    """Every typed node's name as people read it."""
    from kg.shapes import ontology_graph
    from rdflib.namespace import RDFS

    names: dict[str, str] = {str(s): str(o) for s, o in ontology_graph().subject_objects(RDFS.label)}
    by_id: dict[str, str] = {}
    for row in store.query(_LABELS, prefixes={p: str(n) for p, n in PREFIXES.items()}):
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


def _cell(term, names: dict[str, str]) -> Cell:
    if term is None:
        return Cell(None)
    if isinstance(term, ox.NamedNode):
        return Cell(names.get(term.value) or compact(term.value), term.value)
    if isinstance(term, ox.Literal):
        if term.datatype.value in _NUMERIC:
            try:
                number = float(term.value)
                return Cell(int(number) if number.is_integer() and "." not in term.value else number)
            except ValueError:
                return Cell(term.value)
        return Cell(term.value)
    return Cell(str(term))


def label_table(store: ox.Store, columns: list[str], rows: list[list]) -> Table:
    """A table of cells from SPARQL terms, nodes shown by their labels."""
    names = _labels(store) if any(isinstance(t, ox.NamedNode) for row in rows for t in row) else {}
    return Table(list(columns), [[_cell(term, names) for term in row] for row in rows])


# -- writing ------------------------------------------------------------------------------------

def render(table: Table, fmt: str = "text", iri: bool = False, width: int | None = None) -> str:
    """The table in one of :data:`FORMATS`. An empty answer says so (text, Markdown), is ``[]``
    (JSON) or the header alone (CSV, TSV)."""
    records = table.records(iri=iri)
    columns = list(records[0]) if records else list(table.columns)
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow(["" if record[c] is None else record[c] for c in columns])
        return buffer.getvalue()
    if fmt == "markdown":
        if not records:
            return "*No answer.*\n"
        lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
        for record in records:
            lines.append("| " + " | ".join(_md(record[c]) for c in columns) + " |")
        return "\n".join(lines) + "\n"
    if fmt == "text":
        return _text_table(columns, records, width or shutil.get_terminal_size((100, 24)).columns)
    raise ValueError(f"unknown format {fmt!r}")


def _md(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _text_table(columns: list[str], records: list[dict], width: int) -> str:
    if not records:
        return "(no answer)\n"
    cells = [[("" if r[c] is None else " ".join(str(r[c]).split())) for c in columns] for r in records]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    available = max(width - 2 * (len(columns) - 1), len(columns) * 4)
    # Shrink the widest column a character at a time until the table fits the terminal, so long
    # columns end up sharing the width; cells that do not fit are cut with an ellipsis.
    floors = [max(len(c), 6) for c in columns]
    while sum(widths) > available:
        shrinkable = [i for i in range(len(widths)) if widths[i] > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], i))
        widths[widest] -= 1
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(v[: w - 1] + "…" if len(v) > w else v.ljust(w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"
