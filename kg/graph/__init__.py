"""The graph: model -> rdflib (build), IRIs (iris), bytes (serialize, formats), SHACL (validate)."""

from kg.graph.build import build_graph, build_triples, short_label
from kg.graph.formats import FORMATS, READABLE
from kg.graph.iris import Minter
from kg.graph.serialize import new_graph, serialize
from kg.graph.triples import SortedTriples, TripleSet
from kg.graph.validate import (
    ValidationReport,
    ontology_graph,
    ontology_labels,
    shapes_graph,
    superclasses,
    validate_graph,
)

__all__ = [
    "FORMATS",
    "READABLE",
    "Minter",
    "SortedTriples",
    "TripleSet",
    "ValidationReport",
    "build_graph",
    "build_triples",
    "new_graph",
    "ontology_graph",
    "ontology_labels",
    "serialize",
    "shapes_graph",
    "short_label",
    "superclasses",
    "validate_graph",
]
