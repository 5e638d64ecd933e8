"""Where queries run: an Oxigraph store holding a project's graph or a built graph file.

rdflib builds the graph; Oxigraph (pyoxigraph) answers SPARQL, fast, with parameters bound
through its ``substitutions`` (never formatted into the query text).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ProjectError
from kg.graph import build_graph, serialize

#: Graph file suffix -> Oxigraph format.
FILE_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def store_from_graph(graph) -> ox.Store:
    """An in-memory Oxigraph store holding an rdflib graph's triples."""
    store = ox.Store()
    store.bulk_load(serialize(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return store


def store_from_file(path: str | os.PathLike) -> ox.Store:
    """An in-memory store holding a graph file written by ``kg build`` (any of its formats)."""
    path = Path(path)
    fmt = FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ProjectError(f"graph file '{path}' has an unknown suffix; use one of {', '.join(sorted(FILE_FORMATS))}")
    if not path.is_file():
        raise ProjectError(f"graph file '{path}' does not exist; build it with 'kg build' or give --project")
    store = ox.Store()
    try:
        # Named graphs (TriG, N-Quads) are read into the default graph: queries see one graph.
        store.bulk_load(path=str(path), format=fmt, to_graph=ox.DefaultGraph())
    except SyntaxError as exc:
        raise ProjectError(f"graph file '{path}' is not valid {fmt.name}: {exc}") from None
    return store


def open_store(project: str | os.PathLike | None = None, graph_file: str | os.PathLike | None = None) -> ox.Store:
    """The store a query runs on: a built graph file, or else the project built in memory.

    Example::

        store = open_store(project="my-study")
        store = open_store(graph_file="my-study/out/graph.ttl")
    """
    if graph_file is not None:
        return store_from_file(graph_file)
    from kg.project import load_project

    corpus, _ = load_project(project if project is not None else ".")
    return store_from_graph(build_graph(corpus))
