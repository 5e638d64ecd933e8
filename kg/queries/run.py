"""Ask the graph: run named queries and ad-hoc SPARQL, parameters bound, answers as tables."""

from __future__ import annotations

import os

import pyoxigraph as ox

from kg.errors import ProjectError, QueryError
from kg.queries.named import Param, expand_curie, named_queries
from kg.queries.names import NODE_KINDS, resolve, resolve_any
from kg.queries.path import shortest_path_table
from kg.queries.table import Table, label_table
from kg.store import Store, open_store
from kg.vocab import PREFIX_IRIS


def parse_param_value(text: str) -> ox.NamedNode | ox.Literal:
    """A ``--param`` value: ``<IRI>`` or ``prefix:local`` (a known prefix) is an IRI, else a string.

    >>> parse_param_value("rkg:Theme").value
    'https://w3id.org/recovery-kg#Theme'
    >>> parse_param_value('x" } UNION { ?s ?p ?o } #').value
    'x" } UNION { ?s ?p ?o } #'
    """
    if text.startswith("<") and text.endswith(">"):
        try:
            return ox.NamedNode(text[1:-1])
        except ValueError:
            raise QueryError(f"'{text}' is not a valid IRI") from None
    prefix, sep, _ = text.partition(":")
    if sep and prefix in PREFIX_IRIS and " " not in text:
        return ox.NamedNode(expand_curie(text))
    return ox.Literal(text)


def run_sparql(store: Store, text: str, params: dict[str, str] | None = None) -> Table:
    """Run an ad-hoc SPARQL query with parameters bound to the variables of the same names.

    Example::

        table = run_sparql(store, "SELECT ?q ?t WHERE { ?q rkg:text ?t ; rkg:illustrates ?theme }",
                           {"theme": "<https://w3id.org/recovery-kg/id/study/s/theme/t>"})
    """
    bindings = {name: parse_param_value(value) for name, value in (params or {}).items()}
    columns, rows = store.select(text, bindings)
    return label_table(store, columns, rows)


def _bind(store: Store, param: Param, value: str):
    if param.kind == "choice":
        if value not in param.choices:
            raise QueryError(
                f"--{param.name.replace('_', '-')} must be one of: {', '.join(param.choices)}; got '{value}'"
            )
        iri = param.choices[value]
        return ox.NamedNode(iri) if iri else None
    if param.kind == "node":
        return resolve_any(store, NODE_KINDS, value)[1]
    return resolve(store, param.kind, value)


def run_named(store: Store, name: str, **params: str | None) -> Table:
    """Run a named query with parameters given by name (``theme="small things"``).

    Example::

        table = run_named(store, "quotes", theme="small-things", role="user")
    """
    queries = named_queries()
    if name not in queries:
        raise ProjectError(f"no named query '{name}'; the named queries are: {', '.join(queries)}")
    query = queries[name]
    known = {p.name for p in query.params}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ProjectError(
            f"query '{name}' takes no parameter '{unknown[0]}'; it takes: {', '.join(sorted(known)) or 'none'}"
        )
    given: dict[str, str] = {}
    substitutions = {}
    for param in query.params:
        value = params.get(param.name)
        if value is None:
            value = param.default
        if value is None:
            if param.positional:
                raise ProjectError(f"query '{name}' needs {param.name.upper()}: {param.help}")
            continue
        given[param.name] = value
        term = _bind(store, param, value)
        if term is not None:
            substitutions[param.variable] = term
    if query.run == "shortest-path":
        columns, rows = store.select(query.render(given))
        return shortest_path_table(store, columns, rows, substitutions["from"], substitutions["to"])
    columns, rows = store.select(query.render(given), substitutions)
    shown = query.columns or [c for c in columns if c not in {p.variable for p in query.params}]
    keep = [columns.index(column) for column in shown]
    table = label_table(store, [columns[i] for i in keep], [[row[i] for i in keep] for row in rows])
    return table.with_sorted_lists(query.lists)


def query(
    name: str,
    project: str | os.PathLike = ".",
    graph: str | os.PathLike | None = None,
    iri: bool = False,
    **params: str,
) -> list[dict]:
    """Run a named query; rows as dictionaries keyed by column name (ready for ``pandas.DataFrame``).

    Names of themes, actions, factors, studies and participants are resolved as on the command
    line (id, STUDY/ID, label or unique prefix). Example::

        import kg
        rows = kg.query("quotes", project="my-study", theme="small things", role="user")
        rows = kg.query("path", graph="out/graph.ttl", **{"from": "coffee", "to": "borg2004"})
    """
    return run_named(open_store(project=project, graph_file=graph), name, **params).records(iri=iri)


def sparql(
    text: str,
    project: str | os.PathLike = ".",
    graph: str | os.PathLike | None = None,
    iri: bool = False,
    **params: str,
) -> list[dict]:
    """Run an ad-hoc SPARQL query with parameters bound (``<IRI>``, ``prefix:local`` or a string)."""
    return run_sparql(open_store(project=project, graph_file=graph), text, params).records(iri=iri)
