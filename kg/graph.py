"""Turn a checked corpus into an RDF graph in the recovery-kg vocabulary, and write it out.

The graph holds what the inputs say (studies, participants, themes, actions, factors, quotes,
citation contexts) and what follows from them directly: ``cito:cites`` between studies and
``rkg:citedFor`` from each citation context, and PROV-O provenance (each quote and context was
derived from its file; one build activity by this version of the tool). No timestamps, no blank
nodes: the same inputs give the same bytes.
"""

from __future__ import annotations

import json
import re

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, SKOS, XSD

from kg.iris import Minter
from kg.model import Corpus, Person, Reference
from kg.vocab import BIBO, CITO, DEFAULT_BASE, FABIO_DEFAULT, FABIO_TYPES, PREFIXES, PRISM, RKG

ROLE_CLASS = {"user": RKG.ServiceUser, "professional": RKG.Professional}
ROLE_INDIVIDUAL = {"user": RKG.userRole, "professional": RKG.professionalRole}
ROLE_LABEL = {"user": "user", "professional": "professional"}
KIND_INDIVIDUAL = {"gesture": RKG.gesture, "words": RKG.words, "deed": RKG.deed}

#: Output formats: name -> (rdflib format, file suffix).
FORMATS = {
    "turtle": ("turtle", "ttl"),
    "ntriples": ("nt", "nt"),
    "jsonld": ("json-ld", "jsonld"),
    "trig": ("trig", "trig"),
}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


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


def _add_reference(graph: Graph, mint: Minter, ref: Reference) -> None:
    study = mint.study(ref.key)
    graph.add((study, RDF.type, RKG.Study))
    graph.add((study, RDF.type, FABIO_TYPES.get(ref.entry_type, FABIO_DEFAULT)))
    graph.add((study, RKG.citeKey, Literal(ref.key)))
    graph.add((study, DCTERMS.identifier, Literal(ref.key)))
    graph.add((study, SKOS.prefLabel, Literal(short_label(ref))))
    if ref.title:
        graph.add((study, DCTERMS.title, Literal(ref.title)))
    if re.fullmatch(r"\d{4}", ref.year):
        graph.add((study, DCTERMS.issued, Literal(ref.year, datatype=XSD.gYear)))
    elif ref.year:
        graph.add((study, DCTERMS.date, Literal(ref.year)))
    if ref.doi:
        graph.add((study, BIBO.doi, Literal(ref.doi)))
    venue = ref.fields.get("journal") or ref.fields.get("journaltitle") or ref.fields.get("booktitle")
    if venue:
        graph.add((study, PRISM.publicationName, Literal(venue)))
    for field, prop in (("volume", BIBO.volume), ("number", BIBO.issue), ("pages", BIBO.pages),
                        ("publisher", DCTERMS.publisher), ("edition", BIBO.edition)):
        if ref.fields.get(field):
            graph.add((study, prop, Literal(ref.fields[field])))
    graph.add((study, PROV.wasDerivedFrom, mint.source(ref.path)))
    if ref.authors:
        seq = mint.authors(ref.key)
        graph.add((study, BIBO.authorList, seq))
        graph.add((seq, RDF.type, RDF.Seq))
        for position, person in enumerate(ref.authors, start=1):
            agent = _add_person(graph, mint, person)
            graph.add((study, DCTERMS.creator, agent))
            graph.add((seq, RDF[f"_{position}"], agent))
    for person in ref.editors:
        graph.add((study, BIBO.editor, _add_person(graph, mint, person)))


def _add_person(graph: Graph, mint: Minter, person: Person) -> URIRef:
    agent = mint.person(_person_key(person))
    # A name with no given name ({American Psychiatric Association}) may be an organisation.
    graph.add((agent, RDF.type, FOAF.Person if person.first else FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(person.name)))
    graph.add((agent, SKOS.prefLabel, Literal(person.name)))
    graph.add((agent, FOAF.familyName, Literal(person.family)))
    if person.first:
        graph.add((agent, FOAF.givenName, Literal(person.first)))
    return agent


def build_graph(corpus: Corpus, base: str = DEFAULT_BASE, version: str | None = None) -> Graph:
    """The RDF graph of a checked corpus (see :func:`kg.load_project`).

    Example::

        corpus, warnings = load_project("my-project")
        graph = build_graph(corpus)
        graph.serialize("graph.ttl")
    """
    if version is None:
        from kg import __version__ as version
    mint = Minter(base)
    graph = new_graph()
    build, software = mint.build(), mint.software(version)
    graph.add((build, RDF.type, PROV.Activity))
    graph.add((build, SKOS.prefLabel, Literal(f"recovery-kg build ({version})")))
    graph.add((build, PROV.wasAssociatedWith, software))
    graph.add((software, RDF.type, PROV.SoftwareAgent))
    graph.add((software, SKOS.prefLabel, Literal(f"recovery-kg {version}")))
    graph.add((software, DCTERMS.hasVersion, Literal(version)))
    for path in corpus.sources:
        source = mint.source(path)
        graph.add((source, RDF.type, PROV.Entity))
        graph.add((source, DCTERMS.identifier, Literal(path)))
        graph.add((source, SKOS.prefLabel, Literal(path)))
        graph.add((build, PROV.used, source))

    for ref in corpus.references.values():
        _add_reference(graph, mint, ref)

    for factor in corpus.factors.values():
        node = mint.factor(factor.id)
        graph.add((node, RDF.type, RKG.RecoveryFactor))
        graph.add((node, DCTERMS.identifier, Literal(factor.id)))
        graph.add((node, SKOS.prefLabel, Literal(factor.label)))
        if factor.definition:
            graph.add((node, SKOS.definition, Literal(factor.definition)))
        graph.add((node, PROV.wasDerivedFrom, mint.source(factor.path)))
    for action in corpus.actions.values():
        node = mint.action(action.id)
        graph.add((node, RDF.type, RKG.Action))
        graph.add((node, DCTERMS.identifier, Literal(action.id)))
        graph.add((node, SKOS.prefLabel, Literal(action.label)))
        if action.kind:
            graph.add((node, RKG.actionKind, KIND_INDIVIDUAL[action.kind]))
        if action.by:
            graph.add((node, RKG.doneBy, ROLE_INDIVIDUAL[action.by]))
        for use in action.supports:
            graph.add((node, RKG.supports, mint.factor(use.value)))
        graph.add((node, PROV.wasDerivedFrom, mint.source(action.path)))

    for ann in corpus.annotations:
        key = ann.study.value
        study, source = mint.study(key), mint.source(ann.path)
        label = graph.value(study, SKOS.prefLabel) or key
        codebook = mint.codebook(key)
        graph.add((codebook, RDF.type, SKOS.ConceptScheme))
        graph.add((codebook, SKOS.prefLabel, Literal(f"Codebook of {label}")))
        graph.add((codebook, DCTERMS.source, study))
        graph.add((codebook, PROV.wasDerivedFrom, source))
        for p in ann.participants:
            node = mint.participant(key, p.id)
            graph.add((node, RDF.type, ROLE_CLASS[p.role]))
            graph.add((node, DCTERMS.identifier, Literal(p.id)))
            graph.add((node, SKOS.prefLabel, Literal(f"{ROLE_LABEL[p.role].capitalize()} {p.id} ({label})")))
            graph.add((node, RKG.participantOf, study))
            graph.add((node, RKG.role, ROLE_INDIVIDUAL[p.role]))
            graph.add((node, PROV.wasDerivedFrom, source))
        for t in ann.themes:
            node = mint.theme(key, t.id)
            graph.add((node, RDF.type, RKG.Theme))
            graph.add((node, DCTERMS.identifier, Literal(t.id)))
            graph.add((node, SKOS.prefLabel, Literal(t.label)))
            graph.add((node, SKOS.inScheme, codebook))
            if t.definition:
                graph.add((node, SKOS.definition, Literal(t.definition)))
            if t.broader:
                graph.add((node, SKOS.broader, mint.theme(key, t.broader.value)))
            else:
                graph.add((node, SKOS.topConceptOf, codebook))
                graph.add((codebook, SKOS.hasTopConcept, node))
            for match in t.matches:
                other_study, _, other_theme = match.value.rpartition("/")
                graph.add((node, SKOS.closeMatch, mint.theme(other_study, other_theme)))
            graph.add((node, PROV.wasDerivedFrom, source))
        for q in ann.quotes:
            node = mint.quote(key, q.id)
            graph.add((node, RDF.type, RKG.Quote))
            graph.add((node, DCTERMS.identifier, Literal(q.id)))
            graph.add((node, RKG.text, Literal(q.text)))
            graph.add((node, RKG.reportedIn, study))
            if q.speaker:
                speaker = mint.participant(key, q.speaker.value)
            else:
                speaker = mint.unidentified(key, q.role)
                graph.add((speaker, RDF.type, ROLE_CLASS[q.role]))
                graph.add((speaker, SKOS.prefLabel, Literal(f"An unidentified {q.role} ({label})")))
                graph.add((speaker, RKG.participantOf, study))
                graph.add((speaker, RKG.role, ROLE_INDIVIDUAL[q.role]))
            graph.add((node, RKG.spokenBy, speaker))
            if q.page:
                graph.add((node, RKG.page, _page(q.page)))
            for use in q.themes:
                graph.add((node, RKG.illustrates, mint.theme(key, use.value)))
            for use in q.actions:
                graph.add((node, RKG.describes, mint.action(use.value)))
            for use in q.factors:
                graph.add((node, RKG.evidences, mint.factor(use.value)))
            graph.add((node, PROV.wasDerivedFrom, source))
            graph.add((node, PROV.wasGeneratedBy, build))
        for c in ann.citations:
            node = mint.citation(key, c.id)
            graph.add((node, RDF.type, RKG.CitationContext))
            graph.add((node, DCTERMS.identifier, Literal(c.id)))
            graph.add((node, RKG.text, Literal(c.text)))
            graph.add((node, RKG.inStudy, study))
            if c.page:
                graph.add((node, RKG.page, _page(c.page)))
            for use in c.cites:
                cited = mint.study(use.value)
                graph.add((node, RKG.cites, cited))
                graph.add((study, CITO.cites, cited))
                for theme in c.themes:
                    graph.add((cited, RKG.citedFor, mint.theme(key, theme.value)))
            for use in c.themes:
                graph.add((node, RKG.aboutTheme, mint.theme(key, use.value)))
            graph.add((node, PROV.wasDerivedFrom, source))
            graph.add((node, PROV.wasGeneratedBy, build))
    return graph


def _page(page: str) -> Literal:
    return Literal(int(page), datatype=XSD.integer) if page.isdigit() else Literal(page)


def _sorted_json(value):
    """JSON-LD with every array in a fixed order: rdflib's node order follows hash order.

    Our graphs hold no ``@list`` (author order is an rdf:Seq), so every array is a set.
    """
    if isinstance(value, dict):
        return {key: (item if key == "@context" else _sorted_json(item)) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def canonical(graph: Graph) -> Graph:
    """A copy whose triples were added in sorted order, so every serializer walks them alike."""
    copy = new_graph()
    for triple in sorted(graph):
        copy.add(triple)
    return copy


def serialize(graph: Graph, fmt: str = "turtle", graph_iri: str | None = None) -> bytes:
    """The graph in one of :data:`FORMATS`, as bytes that depend only on the graph's triples.

    >>> serialize(new_graph(), "ntriples")
    b''
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    rdflib_format, _ = FORMATS[fmt]
    if fmt == "ntriples":
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip()).encode("utf-8")
    if fmt == "trig":
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True, replace=True)
        named = dataset.graph(URIRef(graph_iri or DEFAULT_BASE + "graph"))
        for triple in sorted(graph):
            named.add(triple)
        return dataset.serialize(format="trig", encoding="utf-8")
    if fmt == "jsonld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        data = json.loads(canonical(graph).serialize(format="json-ld", context=context, encoding="utf-8"))
        text = json.dumps(_sorted_json(data), indent=2, sort_keys=True, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
    return canonical(graph).serialize(format=rdflib_format, encoding="utf-8")
