"""Write a graph out: the same triples give the same bytes in every format.

Oxigraph writes every format (rdflib's Turtle serializer grows faster than the graph: it spent
minutes in ``NamespaceManager.compute_qname`` on a 600,000-triple graph). It writes triples in
the order it is given them, so we give them sorted by their N-Triples text
(:class:`~kg.graph.triples.SortedTriples`), and we mint no blank nodes: outputs differ only
when the graph does.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import to_canonical_graph

from kg.graph.formats import FORMATS
from kg.graph.triples import SortedTriples, TripleSet
from kg.vocab import DEFAULT_BASE, ONTOLOGY_IRI, PREFIX_IRIS, PREFIXES


def new_graph() -> Graph:
    """An empty graph with our prefixes bound (and rdflib's defaults replaced)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def serialize(
    graph: Graph | TripleSet | SortedTriples,
    fmt: str = "turtle",
    graph_iri: str | None = None,
    ontology: Graph | None = None,
) -> bytes:
    """The graph in one of :data:`FORMATS`, as bytes that depend only on the graph's triples.

    TriG names the graph ``graph_iri``; with ``ontology``, the ontology is a second named graph.

    >>> serialize(new_graph(), "ntriples")
    b''
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if not isinstance(graph, SortedTriples):
        graph = SortedTriples(graph)
    if fmt == "ntriples":
        return graph.ntriples()
    if fmt == "trig":
        name = ox.NamedNode(graph_iri or DEFAULT_BASE + "graph")
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in graph.triples]
        if ontology is not None:  # its own named graph, named by the ontology's IRI
            # The ontology's blank nodes (OWL lists) get canonical labels: the same on every run.
            named = ox.NamedNode(ONTOLOGY_IRI)
            canonical = SortedTriples(to_canonical_graph(ontology))
            quads += [ox.Quad(t.subject, t.predicate, t.object, named) for t in canonical.triples]
        return _sorted_prefixes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIX_IRIS))
    data = ox.serialize(
        graph.triples, format=ox.RdfFormat.from_media_type(FORMATS[fmt].media_type), prefixes=PREFIX_IRIS
    )
    return _sorted_prefixes(data) if fmt == "turtle" else data + b"\n"


def _sorted_prefixes(data: bytes) -> bytes:
    """The ``@prefix`` lines Oxigraph writes first, sorted: their order is not Oxigraph's promise.

    >>> _sorted_prefixes(b"@prefix b: <urn:b/> .\\n@prefix a: <urn:a/> .\\nb:x a:y b:z .\\n")
    b'@prefix a: <urn:a/> .\\n@prefix b: <urn:b/> .\\nb:x a:y b:z .\\n'
    """
    lines = data.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    return b"\n".join(sorted(lines[:count]) + lines[count:])
