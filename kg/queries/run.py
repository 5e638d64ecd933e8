"""Ask the graph: run named queries and ad-hoc SPARQL, parameters bound, answers as tables."""

from __future__ import annotations

import os
import re

import pyoxigraph as ox

from kg.errors import ProjectError, QueryError
from kg.queries.named import Param, expand_curie, named_queries
from kg.queries.names import NODE_KINDS, resolve, resolve_any
from kg.queries.path import shortest_path_table
from kg.queries.table import Table, label_table
from kg.store import Store, open_store
from kg.vocab import PREFIX_IRIS

_XSD = PREFIX_IRIS["xsd"]
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+)\Z")
_DOUBLE = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+\Z")
_BOOLEAN = re.compile(r"(true|false)\Z")
#: The form of a bare value -> its datatype, tried in this order (SPARQL's own forms for numbers).
_BARE = ((_INTEGER, "integer"), (_DECIMAL, "decimal"), (_DOUBLE, "double"), (_BOOLEAN, "boolean"))
#: Datatypes whose values are checked before binding (a typo would otherwise just match nothing).
_CHECKED = {_XSD + name: form for form, name in _BARE} | {
    _XSD + "int": _INTEGER,
    _XSD + "long": _INTEGER,
    _XSD + "gYear": re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?\Z"),
}
_QUOTED = re.compile(r'"(?P<text>.*)"(?:@(?P<language>[^"]*)|\^\^(?P<datatype>[^"]*))?\Z', re.DOTALL)

Value = str | int | float | bool | ox.NamedNode | ox.Literal


def parse_param_value(text: str) -> ox.NamedNode | ox.Literal:
    """A ``--param`` value, typed by its form as in SPARQL: an IRI, a number, a boolean or a string.

    ``<IRI>`` or ``prefix:local`` (a predeclared prefix) is an IRI; ``5``, ``-2``, ``1.5``, ``1e3``,
    ``true``/``false`` are typed literals (xsd:integer, decimal, double, boolean); ``"text"`` is a
    string as it stands between the outer quotes (``"38"`` to match an id), ``"text"@en`` one with
    a language, ``"5"^^xsd:integer`` or ``"..."^^<IRI>`` one with a datatype; anything else is a string.

    >>> parse_param_value("rkg:Theme").value
    'https://w3id.org/recovery-kg#Theme'
    >>> [str(parse_param_value(v)).replace(_XSD, "xsd:") for v in ["5", "1.5", "true", '"5"', '"x"@en']]
    ['"5"^^<xsd:integer>', '"1.5"^^<xsd:decimal>', '"true"^^<xsd:boolean>', '"5"', '"x"@en']
    >>> parse_param_value('x" } UNION { ?s ?p ?o } #').value
    'x" } UNION { ?s ?p ?o } #'
    """
    if text.startswith("<") and text.endswith(">"):
        return _iri(text[1:-1], text)
    if _is_curie(text):
        return ox.NamedNode(expand_curie(text))
    for form, name in _BARE:
        if form.match(text):
            return ox.Literal(text, datatype=ox.NamedNode(_XSD + name))
    quoted = _QUOTED.match(text)
    if quoted is None:
        return ox.Literal(text)
    if quoted["language"] is not None:
        try:
            return ox.Literal(quoted["text"], language=quoted["language"])
        except ValueError:
            raise QueryError(
                f"'{text}' has an invalid language tag '{quoted['language']}'; write e.g. \"text\"@en"
            ) from None
    if quoted["datatype"] is not None:
        return _typed(quoted["text"], quoted["datatype"], text)
    return ox.Literal(quoted["text"])


def _is_curie(text: str) -> bool:
    prefix, sep, _ = text.partition(":")
    return bool(sep) and prefix in PREFIX_IRIS and not any(c.isspace() for c in text)


def _iri(iri: str, text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise QueryError(f"'{text}' is not a valid IRI; write <https://...> or prefix:local") from None


def _typed(value: str, datatype: str, text: str) -> ox.Literal:
    if datatype.startswith("<") and datatype.endswith(">"):
        iri = _iri(datatype[1:-1], datatype)
    elif _is_curie(datatype):
        iri = ox.NamedNode(expand_curie(datatype))
    else:
        raise QueryError(
            f"'{text}' has an unknown datatype '{datatype}'; write ^^<IRI> or ^^prefix:local "
            f"with one of the prefixes {', '.join(PREFIX_IRIS)}"
        )
    form = _CHECKED.get(iri.value)
    if form is not None and not form.match(value):
        raise QueryError(f"'{text}': '{value}' is not a valid {iri.value.replace(_XSD, 'xsd:')}")
    return ox.Literal(value, datatype=iri)


def param_term(value: Value) -> ox.NamedNode | ox.Literal:
    """A parameter given from Python as a term: by its type (``5``, ``1.5``, ``True``), a term as is,
    a string as a string unless it is ``<IRI>`` or ``prefix:local``.

    >>> [str(param_term(v)).replace(_XSD, "xsd:") for v in ["38", 38, True, "<https://example.org/a>"]]
    ['"38"', '"38"^^<xsd:integer>', '"true"^^<xsd:boolean>', '<https://example.org/a>']
    """
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], value)
    if _is_curie(value):
        return ox.NamedNode(expand_curie(value))
    return ox.Literal(value)


def run_sparql(store: Store, text: str, params: dict[str, Value] | None = None) -> Table:
    """Run an ad-hoc SPARQL query with parameters bound to the variables of the same names.

    A value is a term, or a Python value made one by :func:`param_term` (the command line's text
    goes through :func:`parse_param_value` first). Example::

        table = run_sparql(store, "SELECT ?q ?t WHERE { ?q rkg:text ?t ; rkg:page ?page }", {"page": 6})
    """
    bindings = {name: param_term(value) for name, value in (params or {}).items()}
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
        return shortest_path_table(store, query.render(given), substitutions["from"], substitutions["to"])
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
    **params: Value,
) -> list[dict]:
    """Run an ad-hoc SPARQL query with parameters bound to any of its variables.

    A parameter is typed by its Python type (``page=6``, ``who="38"``); a string of the form
    ``<IRI>`` or ``prefix:local`` is an IRI. Example::

        rows = kg.sparql("SELECT ?t WHERE { ?q rkg:text ?t ; rkg:spokenBy/dcterms:identifier ?who }", who="38")
    """
    return run_sparql(open_store(project=project, graph_file=graph), text, params).records(iri=iri)
