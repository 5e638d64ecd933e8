"""What the maps and the writer's kit need, read from a store as plain records.

Everything comes from the store (never from the input files), so a map or a review can be made
from a project built in memory, a graph file or, later, a remote endpoint alike. Each record
keeps its node's IRI; evidence (quotes, citing passages) comes with speaker, role, study, page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.store import Store

_ENTITIES = """
SELECT ?node ?type ?id ?label ?definition ?study ?position WHERE {
  VALUES ?type { rkg:Study rkg:Theme rkg:StudyConcept rkg:Action rkg:RecoveryFactor rkg:ServiceUser rkg:Professional }
  ?node a ?type .
  OPTIONAL { ?node dcterms:identifier ?id }
  OPTIONAL { ?node skos:prefLabel ?label }
  OPTIONAL { ?node skos:definition ?definition }
  OPTIONAL { ?node skos:inScheme/dcterms:source|rkg:participantOf ?study }
  OPTIONAL { ?node rkg:codebookPosition ?position }
}"""

_QUOTES = """
SELECT ?quote ?id ?text ?page ?study ?speaker ?speaker_id ?role WHERE {
  ?quote a rkg:Quote ; rkg:text ?text ; rkg:reportedIn ?study ; rkg:spokenBy ?speaker .
  OPTIONAL { ?quote dcterms:identifier ?id }
  OPTIONAL { ?quote rkg:page ?page }
  OPTIONAL { ?speaker dcterms:identifier ?speaker_id }
  OPTIONAL { ?speaker rkg:role ?role_node . BIND(IF(?role_node = rkg:userRole, "user", "professional") AS ?role) }
}"""

_CODES = """
SELECT ?quote ?relation ?code WHERE {
  VALUES ?relation { rkg:illustrates rkg:describes rkg:evidences rkg:aboutConcept }
  ?quote a rkg:Quote ; ?relation ?code .
}"""

_PASSAGES = """
SELECT ?passage ?id ?text ?page ?study WHERE {
  ?passage a rkg:CitationContext ; rkg:text ?text ; rkg:inStudy ?study .
  OPTIONAL { ?passage dcterms:identifier ?id }
  OPTIONAL { ?passage rkg:page ?page }
}"""

_PASSAGE_LINKS = """
SELECT ?passage ?relation ?target WHERE {
  VALUES ?relation { rkg:cites rkg:aboutTheme rkg:aboutConcept }
  ?passage a rkg:CitationContext ; ?relation ?target .
}"""

# A graph made before intents has no cito:Citation: each of its passages' works is plain "cites".
_INTENTS = """
SELECT ?passage ?cited ?intent WHERE {
  ?citation a cito:Citation ; rkg:inContext ?passage ; cito:hasCitedEntity ?cited ;
            cito:hasCitationCharacterization ?intent .
}"""

_TIES = """
SELECT ?a ?relation ?b WHERE {
  VALUES ?relation { rkg:supports skos:broader skos:closeMatch }
  ?a ?relation ?b .
}"""


@dataclass
class Evidence:
    """A quote or a citing passage, as a panel shows it."""

    iri: str
    id: str
    text: str
    study: str  # the study's IRI
    page: str = ""
    speaker: str = ""  # a quote's participant id ("38"), or "" when unidentified
    role: str = ""  # a quote's speaker role: user | professional
    speaker_iri: str = ""
    codes: set[str] = field(default_factory=set)  # a quote's themes, actions, factors (IRIs)
    cites: list[str] = field(default_factory=list)  # a passage's cited studies (IRIs)
    themes: list[str] = field(default_factory=list)  # a passage's themes (IRIs)
    intents: dict[str, str] = field(default_factory=dict)  # a passage's cited study (IRI) -> CiTO term

    def intent(self, cited: str) -> str:
        """How the passage uses a work it cites: a CiTO term, ``cites`` when it says no more."""
        return self.intents.get(cited, "cites")


@dataclass
class Entity:
    iri: str
    kind: str  # study | theme | concept | action | factor | participant
    id: str
    label: str
    definition: str = ""
    study: str = ""  # the study a theme or participant belongs to (IRI)
    role: str = ""  # a participant's role
    position: int = 0  # a theme's place in its codebook (1, 2, ...); 0 when the graph does not say


@dataclass
class Records:
    """Every entity and every piece of evidence of a graph, with the ties between them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    quotes: dict[str, Evidence] = field(default_factory=dict)
    passages: dict[str, Evidence] = field(default_factory=dict)
    supports: set[tuple[str, str]] = field(default_factory=set)  # action -> factor
    broader: set[tuple[str, str]] = field(default_factory=set)  # sub-theme -> theme
    matches: set[tuple[str, str]] = field(default_factory=set)  # theme -> theme across studies
    # Indexes, made once by read_records: node IRI -> the evidence that names it, in IRI order.
    by_code: dict[str, list[Evidence]] = field(default_factory=dict)
    by_speaker: dict[str, list[Evidence]] = field(default_factory=dict)
    by_cited: dict[str, list[Evidence]] = field(default_factory=dict)
    by_theme: dict[str, list[Evidence]] = field(default_factory=dict)
    # What views work out of the records once and ask again for each theme (the codebook order).
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def of_kind(self, kind: str) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.iri)

    def quotes_coding(self, iri: str) -> list[Evidence]:
        """The quotes coded with a theme, action or factor."""
        return self.by_code.get(iri, [])

    def index(self) -> None:
        for table in (self.by_code, self.by_speaker, self.by_cited, self.by_theme):
            table.clear()
        for _, quote in sorted(self.quotes.items()):
            self.by_speaker.setdefault(quote.speaker_iri, []).append(quote)
            for code in quote.codes:
                self.by_code.setdefault(code, []).append(quote)
        for _, passage in sorted(self.passages.items()):
            for cited in passage.cites:
                self.by_cited.setdefault(cited, []).append(passage)
            for theme in passage.themes:
                self.by_theme.setdefault(theme, []).append(passage)

    def key_of(self, study_iri: str) -> str:
        entity = self.entities.get(study_iri)
        return entity.id if entity else ""


_KIND = {
    "Study": "study",
    "Theme": "theme",
    "StudyConcept": "concept",
    "Action": "action",
    "RecoveryFactor": "factor",
    "ServiceUser": "participant",
    "Professional": "participant",
}


def _text(term) -> str:
    return term.value if term is not None else ""


def read_records(store: Store) -> Records:
    """Read every entity, quote and citing passage of the store, and the ties between them."""
    records = Records()
    _, rows = store.select(_ENTITIES)
    for node, type_, id_, label, definition, study, position in rows:
        kind = _KIND[type_.value.rsplit("#", 1)[-1]]
        role = {"ServiceUser": "user", "Professional": "professional"}.get(type_.value.rsplit("#", 1)[-1], "")
        place = int(position.value) if position is not None and position.value.isdigit() else 0
        records.entities.setdefault(
            node.value,
            Entity(node.value, kind, _text(id_), _text(label), _text(definition), _text(study), role, place),
        )
    _, rows = store.select(_QUOTES)
    for quote, id_, text, page, study, speaker, speaker_id, role in rows:
        records.quotes[quote.value] = Evidence(
            quote.value, _text(id_), text.value, study.value, _text(page), _text(speaker_id), _text(role), speaker.value
        )
    _, rows = store.select(_CODES)
    for quote, _relation, code in rows:
        records.quotes[quote.value].codes.add(code.value)
    _read_passages(store, records)
    _, rows = store.select(_TIES)
    ties = {"supports": records.supports, "broader": records.broader, "closeMatch": records.matches}
    for a, relation, b in rows:
        ties[relation.value.rsplit("#", 1)[-1]].add((a.value, b.value))
    records.index()
    return records


def _read_passages(store: Store, records: Records) -> None:
    _, rows = store.select(_PASSAGES)
    for passage, id_, text, page, study in rows:
        records.passages[passage.value] = Evidence(passage.value, _text(id_), text.value, study.value, _text(page))
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    _, rows = store.select(_PASSAGE_LINKS)
    for passage, relation, target in rows:
        links[passage.value][relation.value.rsplit("#", 1)[-1]].append(target.value)
    for iri, by_relation in links.items():
        records.passages[iri].cites = sorted(by_relation["cites"])
        # What a passage is about: its themes and the paper's named concepts alike.
        records.passages[iri].themes = sorted(by_relation["aboutTheme"] + by_relation["aboutConcept"])
    _, rows = store.select(_INTENTS)
    for passage, cited, intent in rows:
        records.passages[passage.value].intents[cited.value] = intent.value.rsplit("/", 1)[-1]
