"""Names people type: a theme, concept, action, factor, study, participant or quote by id, label or prefix.

Matching ignores case and punctuation ("hand on shoulder" is ``hand-on-shoulder``) and tries, in
order: the exact id (or ``STUDY/ID`` for what is local to a study), the exact label, a prefix of
an id or label, then words found inside one; the first test that only one entity passes wins.
Anything unknown or ambiguous is an error that lists the closest matches.
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
}"""


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


def candidates(store: Store, kind: str) -> list[Candidate]:
    """Every entity of a kind, with its id, label and (for local ids) study key."""
    cls, _ = NAMEABLE[kind]
    text = keep_lines_if(_CANDIDATES, {"participant": "yes"} if kind == "participant" else {"typed": "yes"})
    columns, rows = store.select(text, {"class": ox.NamedNode(str(cls))})
    found: dict[str, Candidate] = {}
    for values in rows:
        row = dict(zip(columns, values))
        node = row["node"]
        if not isinstance(node, ox.NamedNode) or node.value in found:
            continue
        found[node.value] = Candidate(node, _text(row["id"]), _text(row["label"]), _text(row["study"]))
    return sorted(found.values(), key=lambda c: (c.qualified, c.label, c.node.value))


def _norm(text: str) -> str:
    """Case and punctuation folded away: "A hand on the shoulder" -> "a hand on the shoulder"."""
    return " ".join(re.sub(r"[^\w/]+", " ", text.casefold()).split())


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
    pool = [(kind, c) for kind in kinds for c in candidates(store, kind)]
    what = kinds[0] if len(kinds) == 1 else f"node ({', '.join(kinds)})"
    if not wanted:
        raise NameLookupError(f"an empty name was given for a {what}; give an id, a label or a prefix")
    keys = {id(c): (_norm(c.id), _norm(c.qualified), _norm(c.label)) for _, c in pool}
    for test in (
        lambda c: wanted in keys[id(c)][:2],
        lambda c: wanted == keys[id(c)][2],
        lambda c: any(k.startswith(wanted) for k in keys[id(c)] if k),
        lambda c: any(f" {wanted} " in f" {k} " for k in keys[id(c)] if k),
    ):
        hits = [(kind, c) for kind, c in pool if test(c)]
        if len(hits) == 1:
            return hits[0][0], hits[0][1].node
        if len(hits) > 1:
            listed = "; ".join(f"{kind} {c.describe()}" if len(kinds) > 1 else c.describe() for kind, c in hits[:8])
            more = f" and {len(hits) - 8} more" if len(hits) > 8 else ""
            raise NameLookupError(
                f"'{name}' is ambiguous: it could be {listed}{more}; give more of the name, or "
                "STUDY/ID for what is local to a study"
            )
    names = {}
    for _, c in pool:
        for key in keys[id(c)]:
            if key:
                names.setdefault(key, c.describe())
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.5)
    hint = f"; the closest are: {', '.join(dict.fromkeys(names[k] for k in close))}" if close else ""
    raise NameLookupError(f"no {what} is called '{name}'{hint}")
