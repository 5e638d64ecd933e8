"""The ontology and its SHACL shapes: load them, name classes by them, validate a graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.graph.serialize import new_graph
from kg.vocab import ONTOLOGY_FILE, SH, SHAPES_FILE


@dataclass
class ValidationReport:
    """Whether a graph conforms, and one line per SHACL result when it does not."""

    conforms: bool
    results: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _load(path: str) -> Graph:
    return Graph().parse(path, format="turtle")


def ontology_graph() -> Graph:
    return _load(str(ONTOLOGY_FILE))


def shapes_graph() -> Graph:
    return _load(str(SHAPES_FILE))


@lru_cache(maxsize=1)
def superclasses() -> dict[URIRef, frozenset[URIRef]]:
    """Each class of the ontology -> every class above it (rdfs:subClassOf, transitively).

    >>> from kg.vocab import RKG
    >>> RKG.Participant in superclasses()[RKG.ServiceUser], RKG.ServiceUser in superclasses()[RKG.Participant]
    (True, False)
    """
    ontology = ontology_graph()
    above = {}
    for cls in set(ontology.subjects(RDFS.subClassOf, None)):
        found = {c for c in ontology.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}
        above[cls] = frozenset(found - {cls, OWL.Thing, RDFS.Resource})
    return above


@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, str]:
    """Each term of the ontology by its IRI -> its ``rdfs:label`` ("Study", "illustrates")."""
    return {str(term): str(label) for term, label in ontology_graph().subject_objects(RDFS.label)}


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate ``graph`` against the project's SHACL shapes (the ontology supplies subclasses).

    >>> validate_graph(Graph()).conforms
    True
    """
    import pyshacl  # here, not at the top: 0.2 s of imports that only validation needs

    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none", allow_warnings=False
    )
    names = new_graph().namespace_manager
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        inverse = report.value(path, SH.inversePath) if path is not None else None
        if inverse is not None:  # a blank node [ sh:inversePath P ]: "^P", as SPARQL writes it
            path = f"^{names.normalizeUri(inverse)}"
        elif path is not None:
            path = names.normalizeUri(path)
        where = f" {path}" if path is not None else ""
        results.append(f"{focus}{where}: {message}")
    return ValidationReport(bool(conforms), sorted(results))
