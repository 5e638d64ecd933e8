"""Ask the graph: named queries (``kg/queries/*.rq``) and ad-hoc SPARQL, with bound parameters.

A named query is a SPARQL file whose header comment says what it answers and what it takes:

    # NAME: what it answers (continued on lines indented by two spaces)
    # arg NAME (KIND): help                         a positional argument
    # option NAME (KIND) [-> VARIABLE] [= DEFAULT]: help
    # columns: COLUMN ...                           what to show, in order (default: every variable
                                                    that is not a parameter)
    # lists: COLUMN ...                             columns holding "a; b" lists, sorted on output
    # run: shortest-path                            the rows are edges for a path search
    # example: kg query NAME ...

KIND is theme, action, factor, study, participant or node (resolved from a name people type to
an IRI), or choices ``a|b`` (``a=rkg:x|b=rkg:y`` binds the chosen IRI). Values reach the query only
as Oxigraph ``substitutions`` of the variable of the same name, never as query text. A line ending
in ``#if NAME`` (or ``#if NAME=VALUE``) is kept only when that option is given (with that value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, ProjectError
from kg.names import KINDS, resolve, resolve_any
from kg.table import Table, label_table
from kg.vocab import PREFIXES

QUERY_DIR = Path(__file__).parent / "queries"
PREFIX_MAP = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
NODE_KINDS = ("theme", "action", "factor", "study", "participant")

_PARAM = re.compile(r"^# (arg|option) ([\w-]+) \(([^)]*)\)(?: -> (\w+))?(?: = ([\w-]+))?: (.+)$")
_IF = re.compile(r"#if ([\w-]+)(?:=([\w-]+))?\s*$")


class QueryError(KgError):
    """A SPARQL query that cannot run: a syntax error, or a parameter it does not use."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # a KINDS key, "node", or "choice"
    positional: bool
    help: str
    variable: str
    default: str | None = None
    choices: dict[str, str | None] = field(default_factory=dict)  # choice -> IRI to bind (or None)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    text: str
    params: tuple[Param, ...]
    lists: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    run: str = ""
    example: str = ""

    def render(self, given: dict[str, str]) -> str:
        """The query text with the ``#if`` lines of options not given left out."""
        lines = []
        for line in self.text.splitlines():
            condition = _IF.search(line)
            if condition:
                name, value = condition.group(1).replace("-", "_"), condition.group(2)
                if name not in given or (value is not None and given[name] != value):
                    continue
            lines.append(line)
        return "\n".join(lines)


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIX_MAP:
        raise ValueError(f"unknown prefix in {curie!r}")
    return PREFIX_MAP[prefix] + local


def parse_named_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    name = path.stem
    summary, params, lists, columns, run, example = [], [], (), (), "", ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(f"# {name}: "):
            summary.append(line[len(name) + 4:])
        elif line.startswith("#   ") and summary and not params:
            summary.append(line[4:])
        elif match := _PARAM.match(line):
            role, pname, kind, variable, default, help_text = match.groups()
            choices: dict[str, str | None] = {}
            if "|" in kind:
                for choice in kind.split("|"):
                    label, _, curie = choice.partition("=")
                    choices[label] = _expand(curie) if curie else None
                kind = "choice"
            elif kind not in KINDS and kind != "node":
                raise ValueError(f"{path.name}: unknown parameter kind {kind!r}")
            params.append(Param(pname.replace("-", "_"), kind, role == "arg", help_text,
                                variable or pname.replace("-", "_"), default, choices))
        elif line.startswith("# lists: "):
            lists = tuple(line[len("# lists: "):].split())
        elif line.startswith("# columns: "):
            columns = tuple(line[len("# columns: "):].split())
        elif line.startswith("# run: "):
            run = line[len("# run: "):].strip()
        elif line.startswith("# example: "):
            example = line[len("# example: "):].strip()
    if not summary:
        raise ValueError(f"{path.name} has no '# {name}: ...' header line")
    return NamedQuery(name, " ".join(summary), text, tuple(params), lists, columns, run, example)


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every named query, by name: one per ``kg/queries/*.rq`` file."""
    return {path.stem: parse_named_query(path) for path in sorted(QUERY_DIR.glob("*.rq"))}


def select(store: ox.Store, text: str, substitutions: dict | None = None) -> tuple[list[str], list[list]]:
    try:
        solutions = store.query(text, prefixes=PREFIX_MAP, substitutions=substitutions or None,
                                use_default_graph_as_union=True)
    except SyntaxError as exc:
        first = str(exc).splitlines()[0]
        where = re.match(r"error at (\d+):(\d+): (.*)", first)
        if where:
            line, column, reason = where.groups()
            reason = reason if len(reason) < 120 else reason[:117] + "..."
            raise QueryError(f"SPARQL syntax error at line {line}, column {column}: {reason}") from None
        raise QueryError(f"SPARQL syntax error: {first}") from None
    except RuntimeError as exc:
        missing = re.search(r"variable \?(\w+) in its SELECT projection", str(exc))
        if missing:
            raise QueryError(f"parameter '{missing.group(1)}' is not in the query's SELECT list; add "
                             f"?{missing.group(1)} to it (parameters are bound to selected variables)") from None
        raise QueryError(f"the query failed: {exc}") from None
    if isinstance(solutions, ox.QueryBoolean):
        return ["answer"], [[ox.Literal("true" if bool(solutions) else "false")]]
    if isinstance(solutions, ox.QueryTriples):
        return ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in solutions]
    variables = [v.value for v in solutions.variables]
    return variables, [[solution[v] for v in variables] for solution in solutions]


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
    if sep and prefix in PREFIX_MAP and " " not in text:
        return ox.NamedNode(_expand(text))
    return ox.Literal(text)


def run_sparql(store: ox.Store, text: str, params: dict[str, str] | None = None) -> Table:
    """Run an ad-hoc SPARQL query with parameters bound to the variables of the same names.

    Example::

        table = run_sparql(store, "SELECT ?q ?t WHERE { ?q rkg:text ?t ; rkg:illustrates ?theme }",
                           {"theme": "<https://w3id.org/recovery-kg/id/study/s/theme/t>"})
    """
    substitutions = {ox.Variable(name): parse_param_value(value) for name, value in (params or {}).items()}
    columns, rows = select(store, text, substitutions)
    return label_table(store, columns, rows)


def _bind(store: ox.Store, param: Param, value: str):
    if param.kind == "choice":
        if value not in param.choices:
            raise QueryError(f"--{param.name.replace('_', '-')} must be one of: {', '.join(param.choices)}; got '{value}'")
        iri = param.choices[value]
        return ox.NamedNode(iri) if iri else None
    if param.kind == "node":
        return resolve_any(store, NODE_KINDS, value)[1]
    return resolve(store, param.kind, value)


def run_named(store: ox.Store, name: str, **params: str | None) -> Table:
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
        raise ProjectError(f"query '{name}' takes no parameter '{unknown[0]}'; it takes: {', '.join(sorted(known)) or 'none'}")
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
        from kg.views import shortest_path_table

        columns, rows = select(store, query.render(given))
        return shortest_path_table(store, columns, rows, substitutions["from"], substitutions["to"])
    columns, rows = select(store, query.render(given), {ox.Variable(k): v for k, v in substitutions.items()})
    shown = query.columns or [c for c in columns if c not in {p.variable for p in query.params}]
    keep = [columns.index(column) for column in shown]
    table = label_table(store, [columns[i] for i in keep], [[row[i] for i in keep] for row in rows])
    return table.with_sorted_lists(query.lists)
