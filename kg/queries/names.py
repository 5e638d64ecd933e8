"""Names people type: a theme, concept, action, factor, study, participant or quote by id, label or prefix.

Matching ignores case and punctuation ("hand on shoulder" is ``hand-on-shoulder``) and tries, in
order: the exact id (or ``STUDY/ID`` for what is local to a study), the exact label, a prefix of
an id or label, then words found inside one; the first test that only one entity passes wins.
Anything unknown or ambiguous is an error that lists the closest matches.

A name typed exactly as one entity's id (or ``STUDY/ID``) is asked of the store first, the value
bound (a lookup in Oxigraph's indexes, not a read of every entity of the kind), so an id typed
exactly wins also over another entity's id that differs from it only in case or punctuation
(which would otherwise make the name ambiguous). Then the first two tests are made on the
entities whose id or label could fold to the name (the store keeps those whose letters and
digits, lower-cased, are the name's, and any with a character outside printable ASCII, which
Python's case folding may turn into ASCII); only when neither test finds one are all the
candidates read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import NameLookupError
from kg.queries.named import keep_lines_if
from kg.store import Store
from kg.vocab import NAMEABLE

#: What ``path FROM TO`` and a ``node`` parameter may name.
NODE_KINDS = ("theme", "concept", "action", "factor", "study", "participant")

# Participants are typed by their role's class, so they are found by their role instead.
_CANDIDATES = """
SELECT ?node ?id ?label ?study ?class WHERE {
  ?node a ?class .  #if typed
  ?node rkg:role ?role .  #if participant
  OPTIONAL { ?node dcterms:identifier ?id }
  OPTIONAL { ?node skos:prefLabel ?label }
  OPTIONAL { ?node rkg:participantOf|rkg:reportedIn|rkg:inStudy|skos:inScheme/dcterms:source ?s .
             ?s rkg:citeKey ?study }
  BIND(LCASE(REPLACE(?id, "[^A-Za-z0-9]", "")) AS ?id_letters)  #if letters
  BIND(LCASE(REPLACE(?label, "[^A-Za-z0-9]", "")) AS ?label_letters)  #if letters
  BIND(REGEX(CONCAT(COALESCE(?id, ""), COALESCE(?label, "")), "[^ -~]") AS ?unusual)  #if letters
  FILTER(?id_letters = ?letters || ?label_letters = ?letters || STRENDS(?letters, ?id_letters) || ?unusual)  #if letters
}"""

# An id typed exactly (``#if local``: the id of something local to the study with this cite key).
_EXACT = """
SELECT DISTINCT ?node WHERE {
  ?node dcterms:identifier ?id .
  ?study rkg:citeKey ?key .  #if local
  ?node rkg:participantOf|rkg:reportedIn|rkg:inStudy|skos:inScheme/dcterms:source ?study .  #if local
  ?node a ?class .  #if typed
  ?node rkg:role ?role .  #if participant
}"""

_FOLD = re.compile(r"[^\w/]+")
_ASCII_LETTERS = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class Candidate:
    node: ox.NamedNode
    id: str
    label: str
    study: str

    @property
    def qualified(self) -> str:
        return f"{self.study}/{self.id}" if self.study and self.id else self.id

    def describe(self) -> str:
        name = self.qualified or self.label
        return f"{name} ({self.label})" if self.label and self.label != name else name


def _kind_lines(kind: str) -> dict[str, str]:
    """Which ``#if`` lines pick out entities of ``kind``: participants by their role, others by class."""
    return {"participant": "yes"} if kind == "participant" else {"typed": "yes"}


def candidates(store: Store, kind: str, letters: str | None = None) -> list[Candidate]:
    """Every entity of a kind, with its id, label and (for local ids) study key.

    With ``letters`` (the ASCII letters and digits of a folded name), only those whose id, label
    or ``STUDY/ID`` could fold to that name: the ASCII letters and digits of the id or label,
    lower-cased, are ``letters`` (or the id's end them), or either has a character outside
    printable ASCII (whose case folding may give ASCII letters: "ß" is "ss").
    """
    cls, _ = NAMEABLE[kind]
    given = _kind_lines(kind) | ({"letters": "yes"} if letters is not None else {})
    bindings = {"class": ox.NamedNode(str(cls))}
    if letters is not None:
        bindings["letters"] = ox.Literal(letters)
    columns, rows = store.select(keep_lines_if(_CANDIDATES, given), bindings)
    at = [columns.index(name) for name in ("node", "id", "label", "study")]
    found: dict[str, Candidate] = {}
    for values in rows:
        node, id_, label, study = (values[i] for i in at)
        if not isinstance(node, ox.NamedNode) or node.value in found:
            continue
        found[node.value] = Candidate(node, _text(id_), _text(label), _text(study))
    return sorted(found.values(), key=lambda c: (c.qualified, c.label, c.node.value))


def exact_ids(store: Store, kind: str, name: str) -> list[ox.NamedNode]:
    """The entities of ``kind`` whose id, or ``STUDY/ID``, is ``name`` as typed (the values bound)."""
    cls, _ = NAMEABLE[kind]
    lookups = [({}, {"id": ox.Literal(name)})]
    for at in (i for i, char in enumerate(name) if char == "/"):
        lookups.append(({"local": "yes"}, {"key": ox.Literal(name[:at]), "id": ox.Literal(name[at + 1 :])}))
    found: dict[str, ox.NamedNode] = {}
    for lines, bindings in lookups:
        given = _kind_lines(kind) | lines
        if "typed" in given:
            bindings = {**bindings, "class": ox.NamedNode(str(cls))}
        _, rows = store.select(keep_lines_if(_EXACT, given), bindings)
        for (node,) in rows:
            if isinstance(node, ox.NamedNode):
                found.setdefault(node.value, node)
    return list(found.values())


def _norm(text: str) -> str:
    """Case and punctuation folded away: "A hand on the shoulder" -> "a hand on the shoulder"."""
    return " ".join(_FOLD.sub(" ", text.casefold()).split())


def _text(term) -> str:
    return term.value if term is not None else ""


def resolve(store: Store, kind: str, name: str) -> ox.NamedNode:
    """The one entity of ``kind`` that ``name`` means, or an error listing the closest matches.

    Example::

        theme = resolve(store, "theme", "small trivial")   # a unique label prefix
    """
    return resolve_any(store, (kind,), name)[1]


def resolve_any(store: Store, kinds: tuple[str, ...], name: str) -> tuple[str, ox.NamedNode]:
    """Like :func:`resolve`, over several kinds at once (for `path FROM TO`)."""
    wanted = _norm(name)
    what = kinds[0] if len(kinds) == 1 else f"node ({', '.join(kinds)})"
    if not wanted:
        raise NameLookupError(f"an empty name was given for a {what}; give an id, a label or a prefix")
    exact = [(kind, node) for kind in kinds for node in exact_ids(store, kind, name)]
    if len(exact) == 1:
        return exact[0]
    # The exact id and the exact label, folded, among the few that could be either.
    letters = _ASCII_LETTERS.sub("", wanted)
    few = [(kind, c) for kind in kinds for c in candidates(store, kind, letters)]
    found = _first_test(name, kinds, wanted, few, _keys(few), _TESTS[:2])
    if found is not None:
        return found
    pool = [(kind, c) for kind in kinds for c in candidates(store, kind)]
    keys = _keys(pool)
    found = _first_test(name, kinds, wanted, pool, keys, _TESTS)
    if found is not None:
        return found
    raise NameLookupError(f"no {what} is called '{name}'{closest_hint(wanted, pool, keys)}")


def closest_hint(wanted: str, pool: list, keys: dict) -> str:
    """ "; the closest are: ..." naming up to five candidates whose folded id, STUDY/ID or label is
    near ``wanted`` (folded), or "" when none is."""
    names = {}
    for _, c in pool:
        for key in keys[id(c)]:
            if key:
                names.setdefault(key, c.describe())
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.5)
    return f"; the closest are: {', '.join(dict.fromkeys(names[k] for k in close))}" if close else ""


# The tests in order, each given the name folded and a candidate's folded (id, STUDY/ID, label).
_TESTS = (
    lambda wanted, keys: wanted in keys[:2],
    lambda wanted, keys: wanted == keys[2],
    lambda wanted, keys: any(k.startswith(wanted) for k in keys if k),
    lambda wanted, keys: any(f" {wanted} " in f" {k} " for k in keys if k),
)


def _keys(pool: list[tuple[str, Candidate]]) -> dict[int, tuple[str, str, str]]:
    return {id(c): (_norm(c.id), _norm(c.qualified), _norm(c.label)) for _, c in pool}


def _first_test(name, kinds, wanted, pool, keys, tests) -> tuple[str, ox.NamedNode] | None:
    """The one entity the first test that any passes finds; an error if that test finds several."""
    for test in tests:
        hits = [(kind, c) for kind, c in pool if test(wanted, keys[id(c)])]
        if len(hits) == 1:
            return hits[0][0], hits[0][1].node
        if len(hits) > 1:
            listed = "; ".join(f"{kind} {c.describe()}" if len(kinds) > 1 else c.describe() for kind, c in hits[:8])
            more = f" and {len(hits) - 8} more" if len(hits) > 8 else ""
            raise NameLookupError(
                f"'{name}' is ambiguous: it could be {listed}{more}; give more of the name, or "
                "STUDY/ID for what is local to a study"
            )
    return None
