"""Stores in this process: pyoxigraph in memory, or a persistent Oxigraph store in a folder.

An in-memory store holds a project built just now or a graph file; every graph in it is read as
the default graph, so a TriG file answers like a Turtle one. A folder (``--store oxigraph:DIR``)
holds what ``kg publish`` puts on a server: the graph in its named graph and the ontology in
``<https://w3id.org/recovery-kg>``; queries read every graph but the ontology's, as a graph file
holds none of it. ``oxigraph serve --location DIR`` serves the same folder.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import ProjectError, QueryError
from kg.graph import READABLE, serialize
from kg.store.base import Answer, Store
from kg.vocab import ONTOLOGY_IRI, PREFIX_IRIS

#: Graphs that uploads are staged in start with this (a crash may leave one behind: never read).
STAGING = "urn:recovery-kg:staging:"


def staging_graph() -> ox.NamedNode:
    """A fresh graph name to load into before moving over the real graph."""
    return ox.NamedNode(f"{STAGING}{uuid.uuid4()}")


class LocalStore(Store):
    """A pyoxigraph store. ``default_graphs`` None reads every graph as one (the union).

    >>> store = LocalStore(ox.Store())
    >>> columns, rows = store.select("SELECT ?x ?n WHERE { BIND(STRLEN(?x) AS ?n) }", {"x": ox.Literal("four")})
    >>> columns, [[term.value for term in row] for row in rows]
    (['x', 'n'], [['four', '4']])
    """

    where = "the store in memory"

    def __init__(self, oxigraph: ox.Store, default_graphs: list | None = None, where: str = ""):
        self.oxigraph = oxigraph
        self.default_graphs = default_graphs
        self.where = where or self.where

    def execute(self, text: str) -> Answer:
        dataset = (
            {"use_default_graph_as_union": True}
            if self.default_graphs is None
            else {"default_graph": self.default_graphs}
        )
        try:
            return self.oxigraph.query(text, prefixes=PREFIX_IRIS, **dataset)
        except (RuntimeError, OSError) as exc:
            raise QueryError(f"the query failed on {self.where}: {exc}") from None

    def close(self) -> None:
        self.oxigraph = None  # the last reference: a folder's lock goes with it


def store_from_graph(graph: Graph) -> LocalStore:
    """An in-memory store holding an rdflib graph's triples."""
    store = ox.Store()
    store.bulk_load(serialize(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return LocalStore(store)


def store_from_file(path: str | os.PathLike) -> LocalStore:
    """An in-memory store holding a graph file written by ``kg build`` (any of its formats)."""
    path = Path(path)
    media_type = READABLE.get(path.suffix.lower())
    if media_type is None:
        raise ProjectError(f"graph file '{path}' has an unknown suffix; use one of {', '.join(sorted(READABLE))}")
    if not path.is_file():
        raise ProjectError(f"graph file '{path}' does not exist; build it with 'kg build' or give --project")
    fmt = ox.RdfFormat.from_media_type(media_type)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt, to_graph=ox.DefaultGraph())
    except SyntaxError as exc:
        raise ProjectError(f"graph file '{path}' is not valid {fmt.name}: {exc}") from None
    return LocalStore(store)


def _open_folder(folder: Path, read_only: bool) -> ox.Store:
    try:
        return ox.Store.read_only(str(folder)) if read_only else ox.Store(str(folder))
    except OSError as exc:
        reason = str(exc).splitlines()[0]
        raise ProjectError(
            f"cannot open the Oxigraph store in '{folder}' ({reason}); is another program "
            "(oxigraph serve, kg build) using it? stop it, or give another --store oxigraph:DIR"
        ) from None


def store_from_folder(folder: str | os.PathLike) -> LocalStore:
    """The Oxigraph store in ``folder`` (made by ``kg build --store oxigraph:DIR``), read only."""
    folder = Path(folder)
    if not folder.is_dir() or not any(folder.iterdir()):
        raise ProjectError(
            f"there is no Oxigraph store in '{folder}'; make it with 'kg build --store oxigraph:{folder}'"
        )
    store = _open_folder(folder, read_only=True)
    return LocalStore(store, _data_graphs(store), where=f"the Oxigraph store in '{folder}'")


def _data_graphs(store: ox.Store) -> list:
    """Every graph of a store but the ontology's: what a query reads as its default graph."""
    named = sorted(
        (g for g in store.named_graphs() if g.value != ONTOLOGY_IRI and not g.value.startswith(STAGING)),
        key=lambda g: g.value,
    )
    return [ox.DefaultGraph(), *named]


def save_to_folder(folder: str | os.PathLike, graph_ntriples: bytes, graph_iri: str, ontology_ntriples: bytes) -> None:
    """Replace the graph ``graph_iri`` and the ontology's graph in the Oxigraph store in ``folder``.

    A failure half-way leaves the old graphs whole. When the folder holds nothing else, a new
    store is loaded beside it and put in its place (bulk loads only: replacing 3.3 million triples
    in place took Oxigraph over 10 GB, its transaction held in memory). A store holding other
    graphs too keeps them: both graphs are loaded into graphs of their own first, then moved over
    the old ones by one SPARQL update (the same way as ``kg publish``).
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ProjectError(f"--store oxigraph:{folder} is a file, not a folder; give a folder for the store")
    held = folder.is_dir() and any(folder.iterdir())
    if held and _other_graphs(folder, graph_iri):
        _move_into(folder, graph_ntriples, graph_iri, ontology_ntriples)
        return
    # A name that differs from the folder's only after it: the same file system, so renames are moves.
    new, old = (folder.with_name(f".{folder.name}.{part}-{uuid.uuid4().hex}") for part in ("new", "old"))
    try:
        store = ox.Store(str(new))
        store.bulk_load(graph_ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))
        store.bulk_load(ontology_ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(ONTOLOGY_IRI))
        store.flush()
        del store
        if held:
            os.replace(folder, old)
        elif folder.is_dir():
            folder.rmdir()  # empty: os.replace would not move a folder onto it
        os.replace(new, folder)
    except BaseException:
        if old.exists() and not folder.exists():
            os.replace(old, folder)  # put the old store back
        shutil.rmtree(new, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _other_graphs(folder: Path, graph_iri: str) -> bool:
    """Whether the store in ``folder`` holds graphs besides ``graph_iri``, the ontology's and staging ones.

    Opened for writing, so that a store another program holds (``oxigraph serve``) is an error
    here, as before a change, never a folder moved from under it."""
    store = _open_folder(folder, read_only=False)
    try:
        ours = {graph_iri, ONTOLOGY_IRI}
        return any(g.value not in ours and not g.value.startswith(STAGING) for g in store.named_graphs()) or bool(
            next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
        )
    finally:
        del store


def _move_into(folder: Path, graph_ntriples: bytes, graph_iri: str, ontology_ntriples: bytes) -> None:
    store = _open_folder(folder, read_only=False)
    try:
        moves = []
        for target, data in ((graph_iri, graph_ntriples), (ONTOLOGY_IRI, ontology_ntriples)):
            staging = staging_graph()
            store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=staging)
            moves.append(f"MOVE {staging} TO <{target}>")
        store.update(" ;\n".join(moves))
        store.flush()
    finally:
        del store
