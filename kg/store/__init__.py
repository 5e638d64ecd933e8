"""Where queries run: a store holding a project's graph or a built graph file.

rdflib builds the graph; Oxigraph (pyoxigraph) answers SPARQL, fast. Every query of recovery-kg
goes through :meth:`Store.select`, the one place where parameters are bound (as a ``VALUES``
block of terms Oxigraph's serializer wrote, never the value's own text: :mod:`kg.store.sparql`)
and SPARQL errors become messages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import ProjectError, QueryError
from kg.graph import READABLE, build_graph, serialize
from kg.project import load_project
from kg.store.sparql import (
    bind_with_values,
    is_select_star,
    refuse_updates,
    tokens,
    variables_in_order,
    where_group,
)
from kg.vocab import PREFIX_IRIS

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Store:
    """A graph to ask. ``select`` is the only way in; it returns columns and rows of terms.

    >>> store = Store(ox.Store())
    >>> columns, rows = store.select("SELECT ?x ?n WHERE { BIND(STRLEN(?x) AS ?n) }", {"x": ox.Literal("four")})
    >>> columns, [[term.value for term in row] for row in rows]
    (['x', 'n'], [['four', '4']])
    """

    def __init__(self, oxigraph: ox.Store):
        self.oxigraph = oxigraph

    def select(self, text: str, bindings: dict[str, Term] | None = None) -> tuple[list[str], list[list]]:
        """Run a SPARQL query with the predeclared prefixes and ``bindings`` (variable name -> term).

        A binding may name any variable of the query: it becomes a ``VALUES`` block at the start
        of the WHERE group, the term written by Oxigraph's serializer (see :mod:`kg.store.sparql`).
        SELECT gives its variables (``SELECT *``: in order of first appearance in the WHERE
        group) and rows; ASK one ``answer`` column; CONSTRUCT and DESCRIBE ``subject``,
        ``predicate``, ``object``. Named graphs are read as part of the default graph, so a TriG
        or N-Quads file answers like a Turtle one. An update (INSERT, DELETE ...) is refused.
        """
        toks = tokens(text)
        refuse_updates(toks)
        try:
            solutions = self.oxigraph.query(
                bind_with_values(text, bindings or {}), prefixes=PREFIX_IRIS, use_default_graph_as_union=True
            )
        except SyntaxError as exc:
            if bindings:
                _refuse_bindings(text, bindings, exc)
            raise _syntax_error(exc) from None
        except RuntimeError as exc:
            raise QueryError(f"the query failed: {exc}") from None
        if isinstance(solutions, ox.QueryBoolean):
            return ["answer"], [[ox.Literal("true" if bool(solutions) else "false")]]
        if isinstance(solutions, ox.QueryTriples):
            return ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in solutions]
        variables = [v.value for v in solutions.variables]
        if is_select_star(toks):
            variables = _in_query_order(variables, toks)
        return variables, [[solution[v] for v in variables] for solution in solutions]


def _in_query_order(variables: list[str], toks: list) -> list[str]:
    """``SELECT *``'s columns in order of first appearance in the WHERE group (Oxigraph sorts them)."""
    group = where_group(toks)
    order = variables_in_order(toks, *group) if group else []
    rank = {name: i for i, name in enumerate(order)}
    return sorted(variables, key=lambda name: (rank.get(name, len(rank)), variables.index(name)))


def _refuse_bindings(text: str, bindings: dict[str, Term], exc: SyntaxError) -> None:
    """A syntax error of a query with bindings: the user's own (its line and column as typed), or
    else the bindings' (a variable the query sets itself, by BIND or AS, cannot also be bound)."""
    try:
        ox.Store().query(text, prefixes=PREFIX_IRIS)  # an empty store: only parses the query as typed
    except SyntaxError as own:
        raise _syntax_error(own) from None
    names = ", ".join(f"?{name}" for name in bindings)
    reason = str(exc).splitlines()[0].split(": ", 1)[-1]
    raise QueryError(
        f"the query cannot take the parameters {names} ({reason}); a variable the query sets itself "
        "(BIND(... AS ?x), VALUES) cannot also be bound"
    ) from None


def _syntax_error(exc: SyntaxError) -> QueryError:
    first = str(exc).splitlines()[0]
    where = re.match(r"error at (\d+):(\d+): (.*)", first)
    if where:
        line, column, reason = where.groups()
        reason = reason if len(reason) < 120 else reason[:117] + "..."
        return QueryError(f"SPARQL syntax error at line {line}, column {column}: {reason}")
    return QueryError(f"SPARQL syntax error: {first}")


def store_from_graph(graph: Graph) -> Store:
    """An in-memory store holding an rdflib graph's triples."""
    store = ox.Store()
    store.bulk_load(serialize(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    return Store(store)


def store_from_file(path: str | os.PathLike) -> Store:
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
    return Store(store)


def open_store(project: str | os.PathLike | None = None, graph_file: str | os.PathLike | None = None) -> Store:
    """The store a query runs on: a built graph file, or else the project built in memory.

    Example::

        store = open_store(project="my-study")
        store = open_store(graph_file="my-study/out/graph.ttl")
    """
    if graph_file is not None:
        return store_from_file(graph_file)
    corpus, _ = load_project(project if project is not None else ".")
    return store_from_graph(build_graph(corpus))
