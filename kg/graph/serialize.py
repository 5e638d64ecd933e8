"""Write a graph out: the same triples give the same bytes in every format.

rdflib's serializers walk triples in hash order; we hand them a copy built in sorted order, sort
N-Triples lines and JSON-LD arrays, and mint no blank nodes, so outputs differ only when the
graph does.
"""

from __future__ import annotations

import json

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from kg.graph.formats import FORMATS
from kg.vocab import DEFAULT_BASE, ONTOLOGY_IRI, PREFIX_IRIS, PREFIXES


def new_graph() -> Graph:
    """An empty graph with our prefixes bound (and rdflib's defaults replaced)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _sorted_json(value):
    """JSON-LD with every array in a fixed order: rdflib's node order follows hash order.

    Our graphs hold no ``@list`` (author order is an rdf:Seq), so every array is a set.
    """
    if isinstance(value, dict):
        return {key: (item if key == "@context" else _sorted_json(item)) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def canonical(graph: Graph) -> Graph:
    """A copy whose triples were added in sorted order, so every serializer walks them alike."""
    copy = new_graph()
    for triple in sorted(graph):
        copy.add(triple)
    return copy


def serialize(graph: Graph, fmt: str = "turtle", graph_iri: str | None = None, ontology: Graph | None = None) -> bytes:
    """The graph in one of :data:`FORMATS`, as bytes that depend only on the graph's triples.

    TriG names the graph ``graph_iri``; with ``ontology``, the ontology is a second named graph.

    >>> serialize(new_graph(), "ntriples")
    b''
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    rdflib_format = FORMATS[fmt].rdflib
    if fmt == "ntriples":
        # Split at "\n" only: splitlines() also splits at U+0085, U+2028 and other characters
        # that N-Triples leaves unescaped inside a literal, which would cut a triple in two.
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
        return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip()).encode("utf-8")
    if fmt == "trig":
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True, replace=True)
        named = dataset.graph(URIRef(graph_iri or DEFAULT_BASE + "graph"))
        for triple in sorted(graph):
            named.add(triple)
        if ontology is not None:  # its own named graph, named by the ontology's IRI
            ontology_graph = dataset.graph(URIRef(ONTOLOGY_IRI))
            # The ontology's blank nodes (OWL lists) get canonical labels: the same on every run.
            for triple in sorted(to_canonical_graph(ontology)):
                ontology_graph.add(triple)
        return dataset.serialize(format="trig", encoding="utf-8")
    if fmt == "jsonld":
        data = json.loads(canonical(graph).serialize(format="json-ld", context=PREFIX_IRIS, encoding="utf-8"))
        text = json.dumps(_sorted_json(data), indent=2, sort_keys=True, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
    return canonical(graph).serialize(format=rdflib_format, encoding="utf-8")
