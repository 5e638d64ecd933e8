"""Turn a checked corpus into an RDF graph in the recovery-kg vocabulary.

The graph holds what the inputs say (studies, participants, themes, actions, factors, quotes,
citation contexts) and what follows from them directly: ``cito:cites`` between studies and
``rkg:citedFor`` from each citation context, each cited work of a passage as a ``cito:Citation``
with the passage's intent (and that CiTO property between the studies), and PROV-O provenance
(each quote and context was derived from its file; one build activity by this version of the tool).
No timestamps, no blank nodes: the same inputs give the same bytes.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from kg._version import __version__
from kg.check import used_references
from kg.graph.iris import Minter
from kg.graph.terms import Terms, literal, named
from kg.graph.triples import TripleSet
from kg.graph.validate import superclasses
from kg.ingest.latex import iso_date
from kg.model import Action, Annotation, Citation, Concept, Corpus, Factor, Person, Quote, Reference, Theme
from kg.vocab import DEFAULT_BASE, PREFIXES
from kg.vocab import FABIO_DEFAULT as RDF_FABIO_DEFAULT
from kg.vocab import FABIO_TYPES as RDF_FABIO_TYPES

# The vocabulary as Oxigraph terms (kg.graph.terms: the build makes no rdflib term).
BIBO, CITO, DCTERMS, FABIO, FOAF, OA, PRISM, PROV, RDF, RKG, SKOS, XSD = (
    Terms(PREFIXES[prefix])
    for prefix in ("bibo", "cito", "dcterms", "fabio", "foaf", "oa", "prism", "prov", "rdf", "rkg", "skos", "xsd")
)
FABIO_TYPES = {entry_type: named(cls) for entry_type, cls in RDF_FABIO_TYPES.items()}
FABIO_DEFAULT = named(RDF_FABIO_DEFAULT)

ROLE_CLASS = {"user": RKG.ServiceUser, "professional": RKG.Professional}
ROLE_INDIVIDUAL = {"user": RKG.userRole, "professional": RKG.professionalRole}
ROLE_LABEL = {"user": "user", "professional": "professional"}
KIND_INDIVIDUAL = {"gesture": RKG.gesture, "words": RKG.words, "deed": RKG.deed}
ATTRIBUTION_INDIVIDUAL = {
    "marked": RKG.attributionMarked,
    "from-text": RKG.attributionFromText,
    "uncertain": RKG.attributionUncertain,
}


def short_label(ref: Reference) -> str:
    """How a text cites the study: "Borg & Kristiansen 2004", "Topor et al. 2018".

    >>> short_label(Reference("k", "article", {"year": "2004"}, "a.bib", 1, [Person("Borg"), Person("Kristiansen")]))
    'Borg & Kristiansen 2004'
    """
    people = ref.authors or ref.editors
    if not people:
        names = ref.title or ref.key
    elif len(people) == 1 and not ref.more_authors:
        names = people[0].family
    elif len(people) == 2 and not ref.more_authors:
        names = f"{people[0].family} & {people[1].family}"
    else:
        names = f"{people[0].family} et al."
    return f"{names} {ref.year}".strip()


def _person_key(person: Person) -> str:
    return f"{person.family}, {person.first}".strip(", ") + (f", {person.jr}" if person.jr else "")


#: BibTeX/biblatex field -> the term of a study's plain literal (the first field given wins).
LITERAL_FIELDS = (
    (("shorttitle",), BIBO.shortTitle),
    (("volume",), BIBO.volume),
    (("pages",), BIBO.pages),
    (("edition",), BIBO.edition),
    (("chapter",), BIBO.chapter),
    (("volumes",), BIBO.numVolumes),
    (("pagetotal",), BIBO.numPages),
    (("location", "address"), RKG.publisherPlace),
    (("isbn",), BIBO.isbn),
    (("issn",), BIBO.issn),
    (("eissn",), BIBO.eissn),
    (("abstract",), DCTERMS.abstract),
    (("language",), DCTERMS.language),
)
#: Who published, in the order Pandoc joins them (biblatex's school, institution, organization).
PUBLISHER_FIELDS = ("school", "institution", "organization", "howpublished", "publisher")
#: Entry types that are part of a book (or proceedings) of their own: ``booktitle`` names it.
CHAPTER_TYPES = frozenset({"inbook", "incollection", "inproceedings", "inreference", "conference", "bookinbook"})
_XSD_DATE = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}


def _add_reference(graph: TripleSet, mint: Minter, ref: Reference) -> None:
    study = mint.study(ref.key)
    _entity(graph, study, RKG.Study, ref.key, short_label(ref), mint.source(ref.path))
    graph.add((study, RDF.type, FABIO_TYPES.get(ref.entry_type, FABIO_DEFAULT)))
    graph.add((study, RKG.citeKey, literal(ref.key)))
    if ref.title:
        graph.add((study, DCTERMS.title, literal(ref.title)))
    _add_dates(graph, study, ref)
    if ref.doi:
        graph.add((study, BIBO.doi, literal(ref.doi)))
    venue = ref.journal or ref.booktitle
    if venue:
        graph.add((study, PRISM.publicationName, literal(venue)))
    for names, prop in LITERAL_FIELDS:
        if ref.first(*names):
            graph.add((study, prop, literal(ref.first(*names))))
    # An article's number is its issue; a book's, its number in the series; a report's, its own.
    number = BIBO.issue if ref.entry_type in ("article", "periodical") else BIBO.number
    for field, prop in (("number", number), ("issue", BIBO.issue)):
        if ref.first(field):
            graph.add((study, prop, literal(ref.fields[field])))
    publisher = "; ".join(ref.fields[f] for f in PUBLISHER_FIELDS if ref.first(f))
    if publisher:
        graph.add((study, DCTERMS.publisher, literal(publisher)))
    if ref.first("url"):
        graph.add((study, FABIO.hasURL, literal(ref.fields["url"], XSD.anyURI)))
    for keyword in ref.first("keywords").split(","):
        if keyword.strip():
            graph.add((study, PRISM.keyword, literal(keyword.strip())))
    for field in ("note", "addendum"):
        if ref.first(field):
            graph.add((study, SKOS.note, literal(ref.fields[field])))
    _add_people(graph, mint, study, ref)
    _add_containers(graph, mint, study, ref)


def _add_dates(graph: TripleSet, study: ox.NamedNode, ref: Reference) -> None:
    """dcterms:issued typed by its precision (gYear, gYearMonth, date); a range's whole as dcterms:date."""
    if ref.issued:
        precision = len(ref.issued.lstrip("-").split("-"))
        graph.add((study, DCTERMS.issued, literal(ref.issued, _XSD_DATE[precision])))
        if ref.issued_end:
            graph.add((study, DCTERMS.date, literal(f"{ref.issued}/{ref.issued_end}")))
        month = ref.fields.get("month", "")
        if month and not month.isdigit():  # "10 January", "Spring": kept as written
            graph.add((study, DCTERMS.date, literal(f"{month} {ref.year}")))
    elif ref.year:
        graph.add((study, DCTERMS.date, literal(ref.year)))
    urldate = ref.first("urldate")
    if urldate:
        accessed = iso_date(urldate)
        precision = len(accessed.lstrip("-").split("-")) if accessed else 0
        graph.add((study, RKG.accessed, literal(accessed, _XSD_DATE[precision]) if accessed else literal(urldate)))


def _add_people(graph: TripleSet, mint: Minter, study: ox.NamedNode, ref: Reference) -> None:
    """Authors (dcterms:creator, bibo:authorList), editors (bibo:editor, bibo:editorList), translators."""
    for people, prop, list_prop, seq in (
        (ref.authors, DCTERMS.creator, BIBO.authorList, mint.authors(ref.key)),
        (ref.editors, BIBO.editor, BIBO.editorList, mint.editors(ref.key)),
    ):
        if not people:
            continue
        graph.add((study, list_prop, seq))
        graph.add((seq, RDF.type, RDF.Seq))
        for position, person in enumerate(people, start=1):
            agent = _add_person(graph, mint, person)
            graph.add((study, prop, agent))
            graph.add((seq, RDF[f"_{position}"], agent))
    for person in ref.translators:
        graph.add((study, BIBO.translator, _add_person(graph, mint, person)))


def _add_containers(graph: TripleSet, mint: Minter, study: ox.NamedNode, ref: Reference) -> None:
    """dcterms:isPartOf the book of a chapter, the multi-volume work, the series.

    A crossref'd entry is part of its parent's study (a chapter of its book, a volume of its
    multi-volume work); a book with no entry of its own is a node minted under the chapter
    (``study/KEY/book``) with the title, editors, publisher, place and ISBN the chapter gives for it.
    """
    if ref.parent:
        graph.add((study, DCTERMS.isPartOf, mint.study(ref.parent)))
    elif ref.entry_type in CHAPTER_TYPES and ref.booktitle:
        proceedings = ref.entry_type in ("inproceedings", "conference")
        book = _add_container(graph, mint, study, ref, "book", ref.booktitle)
        graph.add((book, RDF.type, FABIO.ConferenceProceedings if proceedings else FABIO.Book))
        for person in ref.editors:
            graph.add((book, BIBO.editor, _add_person(graph, mint, person)))
        for field, prop in (("publisher", DCTERMS.publisher), ("isbn", BIBO.isbn)):
            if ref.first(field):
                graph.add((book, prop, literal(ref.fields[field])))
        if ref.first("location", "address"):
            graph.add((book, RKG.publisherPlace, literal(ref.first("location", "address"))))
    if ref.maintitle and not ref.parent:
        whole = _add_container(graph, mint, study, ref, "multivolume", ref.maintitle)
        graph.add((whole, RDF.type, BIBO.MultiVolumeBook))
    if ref.first("series"):
        series = mint.series(ref.fields["series"])
        graph.add((study, DCTERMS.isPartOf, series))
        graph.add((series, RDF.type, BIBO.Series))
        graph.add((series, DCTERMS.title, literal(ref.fields["series"])))
        graph.add((series, SKOS.prefLabel, literal(ref.fields["series"])))


def _add_container(
    graph: TripleSet, mint: Minter, study: ox.NamedNode, ref: Reference, kind: str, title: str
) -> ox.NamedNode:
    node = mint.container(ref.key, kind)
    graph.add((study, DCTERMS.isPartOf, node))
    graph.add((node, DCTERMS.title, literal(title)))
    graph.add((node, SKOS.prefLabel, literal(title)))
    graph.add((node, PROV.wasDerivedFrom, mint.source(ref.path)))
    return node


def _add_person(graph: TripleSet, mint: Minter, person: Person) -> ox.NamedNode:
    agent = mint.person(_person_key(person))
    # A name with no given name ({American Psychiatric Association}) may be an organisation.
    graph.add((agent, RDF.type, FOAF.Person if person.first else FOAF.Agent))
    graph.add((agent, FOAF.name, literal(person.name)))
    graph.add((agent, SKOS.prefLabel, literal(person.name)))
    graph.add((agent, FOAF.familyName, literal(person.family)))
    if person.first:
        graph.add((agent, FOAF.givenName, literal(person.first)))
    return agent


def build_graph(
    corpus: Corpus, base: str = DEFAULT_BASE, version: str = __version__, all_references: bool = False
) -> Graph:
    """The RDF graph of a checked corpus (see :func:`kg.load_project`).

    The works that nothing annotates or cites (most of a whole Zotero library) stay out of the
    graph unless ``all_references``.

    Example::

        corpus, warnings = load_project("my-project")
        graph = build_graph(corpus)
        graph.serialize("graph.ttl")
    """
    return build_triples(corpus, base, version, all_references).to_graph()


def build_triples(
    corpus: Corpus, base: str = DEFAULT_BASE, version: str = __version__, all_references: bool = False
) -> TripleSet:
    """The triples of :func:`build_graph`, as a plain set: what ``kg build`` writes and loads."""
    mint = Minter(base, term=ox.NamedNode)
    graph = TripleSet(oxigraph=True)
    build = _add_build(graph, mint, version, corpus.sources)
    used = None if all_references else used_references(corpus)
    for ref in corpus.references.values():
        if used is None or ref.key in used:
            _add_reference(graph, mint, ref)
    for factor in corpus.factors.values():
        _add_factor(graph, mint, factor)
    for action in corpus.actions.values():
        _add_action(graph, mint, action)
    code_kinds = {ann.study.value: ann.code_kinds() for ann in corpus.annotations}
    for ann in corpus.annotations:
        ref = corpus.references.get(ann.study.value)
        label = short_label(ref) if ref is not None else ann.study.value
        _add_annotation(graph, mint, ann, build, code_kinds, label)
    _add_match_groups(graph, mint, corpus, code_kinds)
    _add_entailed_types(graph)
    return graph


def _add_entailed_types(graph: TripleSet) -> None:
    """Every superclass of each node's classes as a type of its own (``?x a rkg:Participant``).

    A SPARQL server the graph is published to has no reasoner: what users query by must be there.
    """
    above = {named(cls): [named(parent) for parent in sorted(parents)] for cls, parents in superclasses().items()}
    for node, cls in graph.typed():
        for parent in above.get(cls, ()):
            graph.add((node, RDF.type, parent))


def _entity(
    graph: TripleSet, node: ox.NamedNode, cls: ox.NamedNode, identifier: str, label: str, source: ox.NamedNode
) -> None:
    """The lines every entity has: its type, the id it had in its input, its label, its file."""
    graph.add((node, RDF.type, cls))
    graph.add((node, DCTERMS.identifier, literal(identifier)))
    graph.add((node, SKOS.prefLabel, literal(label)))
    graph.add((node, PROV.wasDerivedFrom, source))


def _add_build(graph: TripleSet, mint: Minter, version: str, sources: list[str]) -> ox.NamedNode:
    """The build activity (PROV-O), the software that ran it, and the files it used."""
    build, software = mint.build(), mint.software(version)
    graph.add((build, RDF.type, PROV.Activity))
    graph.add((build, SKOS.prefLabel, literal(f"recovery-kg build ({version})")))
    graph.add((build, PROV.wasAssociatedWith, software))
    graph.add((software, RDF.type, PROV.SoftwareAgent))
    graph.add((software, SKOS.prefLabel, literal(f"recovery-kg {version}")))
    graph.add((software, DCTERMS.hasVersion, literal(version)))
    for path in sources:
        source = mint.source(path)
        graph.add((source, RDF.type, PROV.Entity))
        graph.add((source, DCTERMS.identifier, literal(path)))
        graph.add((source, SKOS.prefLabel, literal(path)))
        graph.add((build, PROV.used, source))
    return build


def _add_factor(graph: TripleSet, mint: Minter, factor: Factor) -> None:
    node = mint.factor(factor.id)
    _entity(graph, node, RKG.RecoveryFactor, factor.id, factor.label, mint.source(factor.path))
    if factor.definition:
        graph.add((node, SKOS.definition, literal(factor.definition)))


def _add_action(graph: TripleSet, mint: Minter, action: Action) -> None:
    node = mint.action(action.id)
    _entity(graph, node, RKG.Action, action.id, action.label, mint.source(action.path))
    if action.kind:
        graph.add((node, RKG.actionKind, KIND_INDIVIDUAL[action.kind]))
    if action.by:
        graph.add((node, RKG.doneBy, ROLE_INDIVIDUAL[action.by]))
    for use in action.supports:
        graph.add((node, RKG.supports, mint.factor(use.value)))


def _add_annotation(
    graph: TripleSet, mint: Minter, ann: Annotation, build: ox.NamedNode, code_kinds: dict, label: str
) -> None:
    """One study's codebook, concepts, participants, themes, quotes and citing passages (``label``: the study's)."""
    key = ann.study.value
    study, source = mint.study(key), mint.source(ann.path)
    codebook = _add_scheme(graph, mint.codebook(key), f"Codebook of {label}", study, source)
    for p in ann.participants:
        node = mint.participant(key, p.id)
        _entity(graph, node, ROLE_CLASS[p.role], p.id, f"{ROLE_LABEL[p.role].capitalize()} {p.id} ({label})", source)
        graph.add((node, RKG.participantOf, study))
        graph.add((node, RKG.role, ROLE_INDIVIDUAL[p.role]))
    for position, theme in enumerate(ann.themes, start=1):
        _add_theme(graph, mint, key, codebook, theme, source)
        # The codebook's order is the writer's order: a review follows it.
        graph.add((mint.theme(key, theme.id), RKG.codebookPosition, literal(position, XSD.integer)))
        _add_matches(graph, mint, mint.theme(key, theme.id), theme.matches, code_kinds)
    if ann.concepts:
        scheme = _add_scheme(graph, mint.concepts(key), f"Concepts named in {label}", study, source)
        for concept in ann.concepts:
            _add_concept(graph, mint, key, scheme, concept, source)
            _add_matches(graph, mint, mint.concept(key, concept.id), concept.matches, code_kinds)
    for quote in ann.quotes:  # a quote may come from another file than its study's (a CSV's row)
        _add_quote(graph, mint, key, label, quote, mint.source(quote.path), build)
    for citation in ann.citations:
        _add_citation(graph, mint, key, citation, source, build)


def _add_scheme(
    graph: TripleSet, scheme: ox.NamedNode, label: str, study: ox.NamedNode, source: ox.NamedNode
) -> ox.NamedNode:
    """A skos:ConceptScheme of one study: its codebook of themes, or the concepts it names."""
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, literal(label)))
    graph.add((scheme, DCTERMS.source, study))
    graph.add((scheme, PROV.wasDerivedFrom, source))
    return scheme


def _add_theme(
    graph: TripleSet, mint: Minter, key: str, codebook: ox.NamedNode, t: Theme, source: ox.NamedNode
) -> None:
    node = mint.theme(key, t.id)
    _entity(graph, node, RKG.Theme, t.id, t.label, source)
    graph.add((node, SKOS.inScheme, codebook))
    if t.definition:
        graph.add((node, SKOS.definition, literal(t.definition)))
    if t.guid:  # a code's GUID in a QDA tool: a second identifier (rkg:guid is a dcterms:identifier)
        graph.add((node, RKG.guid, literal(t.guid)))
    if t.broader:
        graph.add((node, SKOS.broader, mint.theme(key, t.broader.value)))
    else:
        graph.add((node, SKOS.topConceptOf, codebook))
        graph.add((codebook, SKOS.hasTopConcept, node))


def _add_concept(
    graph: TripleSet, mint: Minter, key: str, scheme: ox.NamedNode, c: Concept, source: ox.NamedNode
) -> None:
    node = mint.concept(key, c.id)
    _entity(graph, node, RKG.StudyConcept, c.id, c.label, source)
    graph.add((node, SKOS.inScheme, scheme))
    graph.add((node, SKOS.topConceptOf, scheme))
    graph.add((scheme, SKOS.hasTopConcept, node))
    if c.definition:
        graph.add((node, SKOS.definition, literal(c.definition)))


def _add_matches(graph: TripleSet, mint: Minter, node: ox.NamedNode, matches: list, code_kinds: dict) -> None:
    """skos:closeMatch to each STUDY/ID named, a theme or a concept of that study."""
    for match in matches:
        study, kind, cid = _match_target(match.value, code_kinds)
        graph.add((node, SKOS.closeMatch, _code_node(mint, (study, kind, cid))))


def _match_target(match: str, code_kinds: dict) -> tuple[str, str, str]:
    """(study, "theme" or "concept", id) of a ``STUDY/ID`` a theme or concept matches."""
    study, _, cid = match.rpartition("/")
    return study, "concept" if code_kinds.get(study, {}).get(cid) == "concept" else "theme", cid


def _add_match_groups(graph: TripleSet, mint: Minter, corpus: Corpus, code_kinds: dict) -> None:
    """Each set of themes and concepts tied by ``skos:closeMatch`` (either way, through each other)
    as one ``rkg:MatchGroup`` its members point to with ``rkg:matchGroup``.

    Worked out once here (a union-find over the matches): in SPARQL, "the theme and its matches
    together" walks every member from every member, quadratic in a group's size (a 1,000-paper
    group took minutes and gigabytes); with the group in the graph a query counts once per group.
    """
    parent: dict[tuple, tuple] = {}

    def root(node: tuple) -> tuple:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for ann in corpus.annotations:
        key = ann.study.value
        coded = [(key, "theme", t.id, t.matches) for t in ann.themes] + [
            (key, "concept", c.id, c.matches) for c in ann.concepts
        ]
        for study, kind, cid, matches in coded:
            for match in matches:
                a, b = root((study, kind, cid)), root(_match_target(match.value, code_kinds))
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[tuple, list[tuple[str, tuple]]] = {}
    for node in parent:
        groups.setdefault(root(node), []).append((_code_node(mint, node).value, node))
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort()
        group = mint.match_group(*members[0][1])
        graph.add((group, RDF.type, RKG.MatchGroup))
        for _, node in members:
            graph.add((_code_node(mint, node), RKG.matchGroup, group))


def _code_node(mint: Minter, node: tuple) -> ox.NamedNode:
    study, kind, cid = node
    return mint.concept(study, cid) if kind == "concept" else mint.theme(study, cid)


def _add_quote(
    graph: TripleSet, mint: Minter, key: str, label: str, q: Quote, source: ox.NamedNode, build: ox.NamedNode
) -> None:
    node = mint.quote(key, q.id)
    graph.add((node, RDF.type, RKG.Quote))
    graph.add((node, DCTERMS.identifier, literal(q.id)))
    graph.add((node, RKG.text, literal(q.text)))
    graph.add((node, RKG.reportedIn, mint.study(key)))
    graph.add((node, RKG.spokenBy, _speaker(graph, mint, key, label, q)))
    if q.page:
        graph.add((node, RKG.page, _page(q.page)))
    for use in q.themes:
        graph.add((node, RKG.illustrates, mint.theme(key, use.value)))
    for use in q.actions:
        graph.add((node, RKG.describes, mint.action(use.value)))
    for use in q.factors:
        graph.add((node, RKG.evidences, mint.factor(use.value)))
    for use in q.concepts:
        graph.add((node, RKG.aboutConcept, mint.concept(key, use.value)))
    if q.prompt:
        graph.add((node, RKG.prompt, literal(q.prompt)))
    if q.attribution:
        graph.add((node, RKG.attribution, ATTRIBUTION_INDIVIDUAL[q.attribution]))
    graph.add((node, PROV.wasDerivedFrom, source))
    graph.add((node, PROV.wasGeneratedBy, build))
    _add_coding(graph, mint, key, node, q)


def _add_coding(graph: Graph, mint: Minter, key: str, node: ox.NamedNode, q: Quote) -> None:
    """Where a QDA project's coding cut the quote from (Web Annotation), who coded it and when (PROV)."""
    if q.selection:
        selection, position = mint.selection(key, q.id), mint.position(key, q.id)
        document = mint.document(key, q.selection.source)
        graph.add((node, RKG.selection, selection))
        graph.add((selection, RDF.type, OA.SpecificResource))
        graph.add((selection, OA.hasSource, document))
        graph.add((selection, OA.hasSelector, position))
        graph.add((position, RDF.type, OA.TextPositionSelector))
        graph.add((position, OA.start, literal(q.selection.start, XSD.nonNegativeInteger)))
        graph.add((position, OA.end, literal(q.selection.end, XSD.nonNegativeInteger)))
        graph.add((document, RDF.type, FOAF.Document))
        graph.add((document, DCTERMS.identifier, literal(q.selection.source)))
        graph.add((document, SKOS.prefLabel, literal(q.selection.source)))
    for name in q.coded_by:
        coder = mint.coder(name)
        graph.add((node, PROV.wasAttributedTo, coder))
        graph.add((coder, RDF.type, PROV.Person))
        graph.add((coder, SKOS.prefLabel, literal(name)))
    if q.coded_at:
        graph.add((node, PROV.generatedAtTime, literal(q.coded_at, XSD.dateTime)))


def _speaker(graph: TripleSet, mint: Minter, key: str, label: str, q: Quote) -> ox.NamedNode:
    """The quote's participant; with no speaker id, the study's one unidentified node of that role."""
    if q.speaker:
        return mint.participant(key, q.speaker.value)
    speaker = mint.unidentified(key, q.role)
    graph.add((speaker, RDF.type, ROLE_CLASS[q.role]))
    graph.add((speaker, SKOS.prefLabel, literal(f"An unidentified {q.role} ({label})")))
    graph.add((speaker, RKG.participantOf, mint.study(key)))
    graph.add((speaker, RKG.role, ROLE_INDIVIDUAL[q.role]))
    return speaker


def _add_citation(
    graph: TripleSet, mint: Minter, key: str, c: Citation, source: ox.NamedNode, build: ox.NamedNode
) -> None:
    """A citing passage, and what follows from it: cito:cites and rkg:citedFor."""
    node, study = mint.citation(key, c.id), mint.study(key)
    graph.add((node, RDF.type, RKG.CitationContext))
    graph.add((node, DCTERMS.identifier, literal(c.id)))
    graph.add((node, RKG.text, literal(c.text)))
    graph.add((node, RKG.inStudy, study))
    if c.page:
        graph.add((node, RKG.page, _page(c.page)))
    intents = {intent.key.value: intent.term.value for intent in c.intents}
    for use in c.cites:
        cited = mint.study(use.value)
        graph.add((node, RKG.cites, cited))
        graph.add((study, CITO.cites, cited))
        term = CITO[intents.get(use.value, "cites")]
        _add_qualified_citation(graph, mint.qualified_citation(key, c.id, use.value), node, study, cited, term)
        for theme in c.themes:
            graph.add((cited, RKG.citedFor, mint.theme(key, theme.value)))
    for use in c.themes:
        graph.add((node, RKG.aboutTheme, mint.theme(key, use.value)))
    for use in c.concepts:
        graph.add((node, RKG.aboutConcept, mint.concept(key, use.value)))
    graph.add((node, PROV.wasDerivedFrom, source))
    graph.add((node, PROV.wasGeneratedBy, build))


def _add_qualified_citation(
    graph: Graph,
    citation: ox.NamedNode,
    passage: ox.NamedNode,
    study: ox.NamedNode,
    cited: ox.NamedNode,
    term: ox.NamedNode,
) -> None:
    """One cited work in one passage as a cito:Citation, characterised by the passage's intent
    for it (plain cito:cites when it gives none); the intent also ties the two studies directly.
    Every pair gets one, so a query reads every intent the same way."""
    graph.add((study, term, cited))
    graph.add((citation, RDF.type, CITO.Citation))
    graph.add((citation, CITO.hasCitingEntity, study))
    graph.add((citation, CITO.hasCitedEntity, cited))
    graph.add((citation, CITO.hasCitationCharacterization, term))
    graph.add((citation, RKG.inContext, passage))


def _page(page: str) -> ox.Literal:
    return literal(int(page), XSD.integer) if page.isdigit() else literal(page)
