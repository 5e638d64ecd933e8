"""Reading a SPARQL query's text: its form, its variables, where its WHERE group opens.

Oxigraph binds a parameter (``substitutions``) only to a variable of the SELECT list; a user
binds any variable of the query (``--param who=38`` for ``?q rkg:spokenBy/dcterms:identifier
?who``). So a parameter becomes a ``VALUES ?who { term }`` block at the start of the query's
WHERE group, the term written by Oxigraph's own serializer (``str(ox.Literal(...))`` escapes
quotes, backslashes and newlines; ``ox.NamedNode`` refuses ``>``, spaces and braces), so the
value is data whatever it holds. Finding that group takes a tokenizer that knows SPARQL's
strings, IRIs and comments, so that a brace inside ``"..."``, ``<...>`` or after ``#`` is not
mistaken for it: :func:`tokens` below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError

#: What a query may start with (after PREFIX and BASE); each a form a store answers.
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
#: What a SPARQL 1.1 Update starts with.
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 | '''(?:[^'\\]|\\.|'(?!''))*'''
                 | "(?:[^"\\\n\r]|\\.)*"
                 | '(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<punct>[{}()])
    | (?P<word>(?:[^\s{}()\#"'<?$\\]|\\.)+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, var, punct, word or other (spaces and comments are dropped)
    text: str
    start: int

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> list[Token]:
    """The query's tokens, without spaces and comments.

    >>> [t.text for t in tokens('SELECT ?x { ?x rkg:text "a { # b" } # a comment {')]
    ['SELECT', '?x', '{', '?x', 'rkg:text', '"a { # b"', '}']
    """
    found = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup not in ("space", "comment"):
            found.append(Token(match.lastgroup, match.group(), match.start()))
    return found


def head_tokens(text: str) -> list[Token]:
    """The query's tokens up to its first ``{``: all that :func:`query_form`, :func:`refuse_updates`
    and :func:`is_select_star` read, without tokenizing a long ``VALUES`` block after it.

    >>> [t.text for t in head_tokens("PREFIX ex: <http://e.org/> SELECT * { ?s ?p ?o }")]
    ['PREFIX', 'ex:', '<http://e.org/>', 'SELECT', '*', '{']
    """
    found = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup not in ("space", "comment"):
            found.append(Token(match.lastgroup, match.group(), match.start()))
            if match.lastgroup == "punct" and match.group() == "{":
                break
    return found


def query_form(toks: list[Token]) -> str:
    """The form's keyword (``SELECT`` ... or an update's first word), after PREFIX and BASE; ``""`` if none.

    >>> query_form(tokens("PREFIX ex: <http://example.org/> describe ex:a"))
    'DESCRIBE'
    """
    i = _after_prologue(toks)
    return toks[i].keyword if i < len(toks) else ""


def _after_prologue(toks: list[Token]) -> int:
    i = 0
    while i < len(toks) and toks[i].keyword in ("PREFIX", "BASE"):
        i += 3 if toks[i].keyword == "PREFIX" else 2
    return i


def refuse_updates(toks: list[Token]) -> None:
    """A SPARQL update is refused with a message that says so (instead of "expected CONSTRUCT")."""
    form = query_form(toks)
    if form in UPDATE_FORMS:
        raise QueryError(
            f"'{form}' starts a SPARQL update, and kg only answers queries (SELECT, ASK, CONSTRUCT, "
            "DESCRIBE); to change the graph, change the input files and run 'kg build'"
        )


def where_group(toks: list[Token]) -> tuple[int, int] | None:
    """The indexes of the WHERE group's ``{`` and its ``}`` in ``toks``, or None (no WHERE group).

    The group is the first ``{`` outside parentheses (a SELECT expression may hold ``EXISTS {}``);
    for CONSTRUCT, the one after WHERE (the first is the template).

    >>> toks = tokens("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    >>> [toks[i].start for i in where_group(toks)]
    [29, 40]
    """
    return _group_after(toks, _after_prologue(toks))


def _group_after(toks: list[Token], form_at: int) -> tuple[int, int] | None:
    """The WHERE group of the query (or sub-query) whose form keyword is at ``toks[form_at]``."""
    form = toks[form_at].keyword if form_at < len(toks) else ""
    parens = 0
    i = form_at + 1
    while i < len(toks):
        token = toks[i]
        if token.kind == "punct" and token.text == "(":
            parens += 1
        elif token.kind == "punct" and token.text == ")":
            parens -= 1
        elif token.kind == "punct" and token.text == "{" and parens == 0:
            end = _closing(toks, i)
            if end is None:
                return None
            if form == "CONSTRUCT" and toks[i - 1].keyword != "WHERE":
                i = end + 1  # the template
                continue
            return i, end
        i += 1
    return None


def bindable_variables(toks: list[Token], group: tuple[int, int]) -> set[str]:
    """The variables a VALUES block at the start of the WHERE group reaches: all of the group's
    but those a sub-query keeps to itself (used inside it and not in its SELECT list).

    >>> toks = tokens("SELECT * { ?a ?b ?c { SELECT ?c (COUNT(?d) AS ?n) { ?c ?e ?d } GROUP BY ?c } }")
    >>> sorted(bindable_variables(toks, where_group(toks)))
    ['a', 'b', 'c', 'n']
    """
    names: set[str] = set()
    i, last = group[0] + 1, group[1]
    while i < last:
        token = toks[i]
        if token.kind == "punct" and token.text == "{" and toks[i + 1].keyword == "SELECT":
            end = _closing(toks, i) or last
            inner = _group_after(toks, i + 1)
            if inner is None or is_select_star(toks[i + 1 :]):
                names.update(variables_in_order(toks, i, end))
            else:
                names.update(_projected(toks[i + 2 : inner[0]]))
            i = end + 1
            continue
        if token.kind == "var":
            names.add(token.text[1:])
        i += 1
    return names


def _projected(projection: list[Token]) -> set[str]:
    """The variables a SELECT list gives: bare ones, and the names after AS in ``(expr AS ?x)``."""
    names, parens = set(), 0
    for before, token in zip([None, *projection], projection):
        if token.kind == "punct" and token.text in "()":
            parens += 1 if token.text == "(" else -1
        elif token.kind == "var" and (parens == 0 or (before is not None and before.keyword == "AS")):
            names.add(token.text[1:])
    return names


def _closing(toks: list[Token], opening: int) -> int | None:
    depth = 0
    for i in range(opening, len(toks)):
        if toks[i].kind == "punct" and toks[i].text in "{}":
            depth += 1 if toks[i].text == "{" else -1
            if depth == 0:
                return i
    return None


def variables_in_order(toks: list[Token], first: int = 0, last: int | None = None) -> list[str]:
    """The names of the variables between two token indexes, in order of first appearance.

    >>> variables_in_order(tokens("SELECT * { ?s ?p ?o . $o ?q ?s }"))
    ['s', 'p', 'o', 'q']
    """
    names: dict[str, None] = {}
    for token in toks[first : len(toks) if last is None else last + 1]:
        if token.kind == "var":
            names.setdefault(token.text[1:], None)
    return list(names)


def is_select_star(toks: list[Token]) -> bool:
    """Whether the query is ``SELECT [DISTINCT|REDUCED] *``."""
    i = _after_prologue(toks)
    if i >= len(toks) or toks[i].keyword != "SELECT":
        return False
    i += 1
    if i < len(toks) and toks[i].keyword in ("DISTINCT", "REDUCED"):
        i += 1
    return i < len(toks) and toks[i].text == "*"


def term_text(term: ox.NamedNode | ox.Literal) -> str:
    """A term written by Oxigraph's serializer, the only text of a value that enters a query.

    >>> term_text(ox.Literal('x" } UNION { ?s ?p ?o } #'))
    '"x\\\\" } UNION { ?s ?p ?o } #"'
    """
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise QueryError(f"a parameter is bound to an IRI or a literal, not to {type(term).__name__}")
    return str(term)


def bind_with_values(text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with a ``VALUES ?name { term }`` block per binding at the start of its WHERE group.

    >>> print(bind_with_values("SELECT ?t { ?q rkg:text ?t ; rkg:page ?p }", {"p": ox.Literal("5")}))
    SELECT ?t { VALUES ?p { "5" } ?q rkg:text ?t ; rkg:page ?p }
    """
    if not bindings:
        return text
    toks = tokens(text)
    present = set(variables_in_order(toks))
    for name in bindings:
        if not _VARIABLE_NAME.match(name):
            raise QueryError(f"parameter '{name}' is not a variable name; use letters, digits and _")
        if name not in present:
            known = ", ".join(f"?{v}" for v in sorted(present)) or "none"
            raise QueryError(f"parameter '{name}' is not a variable of the query; its variables are: {known}")
    group = where_group(toks)
    if group is None:
        raise QueryError(
            "the query has no WHERE group to bind parameters in; write one, e.g. DESCRIBE ?x WHERE { ... }"
        )
    form_at = _after_prologue(toks)
    reached = bindable_variables(toks, group)
    if toks[form_at].keyword == "SELECT":
        reached |= _projected(toks[form_at + 1 : group[0]])
    for name in bindings:
        if name not in reached:
            raise QueryError(
                f"parameter '{name}' is a variable of a sub-query only; add ?{name} to the sub-query's "
                "SELECT list to bind it"
            )
    opening = toks[group[0]]
    if query_form(toks) == "CONSTRUCT" and not any(t.text == "{" for t in toks[: group[0]] if t.kind == "punct"):
        raise QueryError(
            "parameters cannot be bound in the short form CONSTRUCT WHERE { ... }; "
            "write CONSTRUCT { ... } WHERE { ... }"
        )
    blocks = "".join(f" VALUES ?{name} {{ {term_text(term)} }}" for name, term in bindings.items())
    cut = opening.start + 1
    return text[:cut] + blocks + text[cut:]
