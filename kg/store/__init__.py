"""Where queries run: a store holding a project's graph, a graph file, a folder or a server.

rdflib builds the graph; Oxigraph (pyoxigraph) answers SPARQL, fast. Every query of recovery-kg
goes through :meth:`Store.select` (:mod:`kg.store.base`), the one place where parameters are
bound and SPARQL errors become messages. Three kinds of store answer it alike: in memory and in
a folder (``--store oxigraph:DIR``, :mod:`kg.store.local`), and a SPARQL 1.1 endpoint
(``--endpoint URL``, :mod:`kg.store.endpoint`). :mod:`kg.store.publish` puts a graph on a server.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import ProjectError
from kg.graph import build_graph
from kg.project import load_project
from kg.store.base import Store
from kg.store.endpoint import DEFAULT_GRAPH, EndpointStore
from kg.store.http import Credentials
from kg.store.local import LocalStore, save_to_folder, store_from_file, store_from_folder, store_from_graph

__all__ = [
    "DEFAULT_GRAPH",
    "Credentials",
    "EndpointStore",
    "LocalStore",
    "Store",
    "open_store",
    "parse_store",
    "save_to_folder",
    "store_from_file",
    "store_from_folder",
    "store_from_graph",
]

MEMORY = "memory"
OXIGRAPH = "oxigraph:"


def parse_store(spec: str) -> Path | None:
    """``--store``: ``memory`` (None) or ``oxigraph:DIR`` (the folder).

    >>> parse_store("memory"), parse_store("oxigraph:out/store")
    (None, PosixPath('out/store'))
    """
    if spec == MEMORY:
        return None
    if spec.startswith(OXIGRAPH) and spec[len(OXIGRAPH) :].strip():
        return Path(spec[len(OXIGRAPH) :])
    raise ProjectError(f"--store '{spec}' is neither 'memory' nor 'oxigraph:DIR'; give one of them")


def open_store(
    project: str | os.PathLike | None = None,
    graph_file: str | os.PathLike | None = None,
    store: str = MEMORY,
    endpoint: str | None = None,
    graph_iri: str | None = DEFAULT_GRAPH,
    credentials: Credentials | None = None,
) -> Store:
    """The store a query runs on: a SPARQL endpoint, an Oxigraph folder, a built graph file, or
    else the project built in memory.

    Example::

        store = open_store(project="my-study")
        store = open_store(graph_file="my-study/out/graph.ttl")
        store = open_store(store="oxigraph:my-study/out/store")
        store = open_store(endpoint="http://localhost:7878/query")
    """
    if endpoint is not None:
        return EndpointStore(endpoint, graph_iri, credentials)
    folder = parse_store(store)
    if folder is not None:
        return store_from_folder(folder)
    if graph_file is not None:
        return store_from_file(graph_file)
    corpus, _ = load_project(project if project is not None else ".")
    return store_from_graph(build_graph(corpus))
