"""The one way a query runs: :class:`Store`, an interface with a local and a remote kind.

Every query of recovery-kg goes through :meth:`Store.select`, the one place where parameters
are bound (as a ``VALUES`` block of terms Oxigraph's serializer wrote, never the value's own
text: :mod:`kg.store.sparql`) and SPARQL errors become messages. A store only says how the bound
query text is answered (:meth:`Store.execute`): by pyoxigraph in this process
(:mod:`kg.store.local`) or by a SPARQL 1.1 endpoint over HTTP (:mod:`kg.store.endpoint`), so the
same text reaches both and they answer alike.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store.sparql import (
    bind_with_values,
    head_tokens,
    is_select_star,
    refuse_updates,
    tokens,
    variables_in_order,
    where_group,
)
from kg.vocab import PREFIX_IRIS

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: What :meth:`Store.execute` returns: solutions, a boolean, or triples (CONSTRUCT, DESCRIBE).
Answer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list


class Store:
    """A graph to ask. ``select`` is the only way in; it returns columns and rows of terms.

    Subclasses answer :meth:`execute`; ``where`` names the store in messages.
    """

    where = "the store"

    def execute(self, text: str) -> Answer:
        """Answer a query text (parameters already bound) with the predeclared prefixes.

        Raises ``SyntaxError`` for a query that does not parse, :class:`kg.QueryError` for one
        that fails.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Let go of what the store holds open (a folder's lock, connections)."""

    def select(self, text: str, bindings: dict[str, Term] | None = None) -> tuple[list[str], list[list]]:
        """Run a SPARQL query with the predeclared prefixes and ``bindings`` (variable name -> term).

        A binding may name any variable of the query: it becomes a ``VALUES`` block at the start
        of the WHERE group, the term written by Oxigraph's serializer (see :mod:`kg.store.sparql`).
        SELECT gives its variables (``SELECT *``: in order of first appearance in the WHERE
        group) and rows; ASK one ``answer`` column; CONSTRUCT and DESCRIBE ``subject``,
        ``predicate``, ``object``. An update (INSERT, DELETE ...) is refused.
        """
        head = head_tokens(text)
        refuse_updates(head)
        try:
            solutions = self.execute(bind_with_values(text, bindings or {}))
        except SyntaxError as exc:
            if bindings:
                _refuse_bindings(text, bindings, exc)
            raise syntax_error(exc) from None
        if isinstance(solutions, ox.QueryBoolean):
            return ["answer"], [[ox.Literal("true" if bool(solutions) else "false")]]
        if isinstance(solutions, ox.QueryTriples | list):
            return ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in solutions]
        variables = [v.value for v in solutions.variables]
        if not is_select_star(head):
            return variables, [list(solution) for solution in solutions]  # each in the order of variables
        variables = _in_query_order(variables, tokens(text))
        return variables, [[solution[v] for v in variables] for solution in solutions]


def parse_locally(text: str) -> None:
    """Parse a query (with the predeclared prefixes) on an empty store; raise its ``SyntaxError``."""
    ox.Store().query(text, prefixes=PREFIX_IRIS)


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
        parse_locally(text)  # only parses the query as typed
    except SyntaxError as own:
        raise syntax_error(own) from None
    names = ", ".join(f"?{name}" for name in bindings)
    reason = str(exc).splitlines()[0].split(": ", 1)[-1]
    raise QueryError(
        f"the query cannot take the parameters {names} ({reason}); a variable the query sets itself "
        "(BIND(... AS ?x), VALUES) cannot also be bound"
    ) from None


def syntax_error(exc: SyntaxError) -> QueryError:
    """A parser's ``SyntaxError`` as a one-line message with the line and column."""
    first = str(exc).splitlines()[0]
    where = re.match(r"error at (\d+):(\d+): (.*)", first)
    if where:
        line, column, reason = where.groups()
        reason = reason if len(reason) < 120 else reason[:117] + "..."
        return QueryError(f"SPARQL syntax error at line {line}, column {column}: {reason}")
    return QueryError(f"SPARQL syntax error: {first}")
