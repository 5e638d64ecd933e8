"""Citation intent (issue 9 item 5): ``intent:`` in YAML, checked, in the graph as CiTO, in the
review, in ``themes-for-source`` and on the maps' edges.

The fixture is tests/data/mini with two passages of alpha2020 given intents: c1 agrees with
Gamma et al. and disputes Knuth (one passage, two intents); c2 cites both its works as evidence
(one term for every key). gamma2021's c-book says nothing: plain cites.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from cli import cli
from kg.graph import build_graph, validate_graph
from kg.project import load_project
from kg.render.map_html import map_data
from kg.render.review import render_review
from kg.store import open_store, store_from_graph
from kg.views.maps import map_view
from kg.views.records import read_records
from kg.views.review import review_outline
from kg.vocab import CITO, CITO_INTENTS, INTENT_FAMILIES, RKG
from tests.fixtures import DATA, REPO
from tests.test_errors import assert_bad_input, build, edit, line_of

ID = "https://w3id.org/recovery-kg/id/"
KNUTH = "DBLP:journals/cacm/Knuth74"
C1_CITES = '    cites: [gamma2021, "DBLP:journals/cacm/Knuth74"]\n'
C2_CITES = '    cites: [zeta1999, "DBLP:journals/cacm/Knuth74"]\n'


def with_intents(root: Path) -> Path:
    path = root / "quotes" / "alpha2020.yaml"
    edit(path, C1_CITES, C1_CITES + f'    intent: {{gamma2021: agreesWith, "{KNUTH}": disputes}}\n')
    edit(path, C2_CITES, C2_CITES + "    intent: citesAsEvidence\n")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(DATA / "mini", root)
    return root


@pytest.fixture(scope="module")
def intents_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("intents") / "proj"
    shutil.copytree(DATA / "mini", root)
    return with_intents(root)


@pytest.fixture(scope="module")
def graph(intents_project: Path) -> Graph:
    corpus, _ = load_project(intents_project)
    return build_graph(corpus)


# -- checked like every other field ---------------------------------------------------------------


def test_unknown_intent_term_says_did_you_mean(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, C1_CITES, C1_CITES + "    intent: {gamma2021: agreeswith}\n")
    result = build(project)
    assert_bad_input(
        result,
        f"{path}:{line_of(path, 'agreeswith')}: error: unknown citation intent 'agreeswith' in citation 'c1'; "
        "did you mean 'agreesWith'? use a CiTO term such as agreesWith, citesAsEvidence, disputes or "
        "usesMethodIn (the README lists them all)",
    )


def test_unknown_intent_for_every_key_is_reported_once(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, C1_CITES, C1_CITES + "    intent: praises\n")
    result = build(project)
    expected = (
        f"{path}:{line_of(path, 'praises')}: error: unknown citation intent 'praises' in citation 'c1'; "
        "use a CiTO term such as agreesWith, citesAsEvidence, disputes or usesMethodIn (the README lists them all)"
    )
    assert_bad_input(result, expected)
    assert result.stderr.count("unknown citation intent") == 1


def test_intent_for_a_key_the_passage_does_not_cite(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, C1_CITES, C1_CITES + "    intent: {gamma2012: supports, zeta1999: disputes}\n")
    line = line_of(path, "gamma2012: supports")
    result = build(project)
    assert_bad_input(
        result,
        f"{path}:{line}: error: intent for 'gamma2012' in citation 'c1', which does not cite it; "
        "did you mean 'gamma2021'? list the key under cites: or fix it",
        f"{path}:{line}: error: intent for 'zeta1999' in citation 'c1', which does not cite it; "
        "list the key under cites: or fix it",
    )


def test_intent_given_as_a_list_or_empty_is_an_error(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, C1_CITES, C1_CITES + "    intent: [supports]\n")
    edit(path, C2_CITES, C2_CITES + "    intent: {zeta1999: }\n")
    result = build(project)
    assert_bad_input(
        result,
        f"{path}:{line_of(path, 'intent: [supports]')}: error: 'intent' of citation 'c1' should be a CiTO term "
        "or a mapping of cited keys to CiTO terms, found a list; write intent: {KEY: TERM, ...} "
        "(e.g. {borg2004: agreesWith}), or intent: TERM for every key",
        f"{path}:{line_of(path, 'zeta1999: }')}: error: intent for 'zeta1999' in citation 'c2' is nothing, "
        "not a CiTO term; give one term, such as agreesWith or citesAsEvidence",
    )


def test_intent_key_given_twice_is_an_error(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, C1_CITES, C1_CITES + "    intent: {gamma2021: supports, gamma2021: disputes}\n")
    line = line_of(path, "gamma2021: supports")
    result = build(project)
    assert_bad_input(
        result,
        f"{path}:{line}: error: duplicate key 'gamma2021' in 'intent' of citation 'c1' (first at line {line}); "
        "keep one of them",
    )


# -- the graph ------------------------------------------------------------------------------------


def test_each_cited_work_of_a_passage_is_a_qualified_citation(graph: Graph):
    c1 = URIRef(ID + "study/alpha2020/citation/c1")
    citations = {
        (
            str(node),
            str(graph.value(node, CITO.hasCitedEntity)),
            str(graph.value(node, CITO.hasCitationCharacterization)),
        )
        for node in graph.subjects(RKG.inContext, c1)
    }
    assert citations == {
        (ID + "study/alpha2020/citation/c1/cites/gamma2021", ID + "study/gamma2021", str(CITO.agreesWith)),
        (
            ID + "study/alpha2020/citation/c1/cites/DBLP%3Ajournals%2Fcacm%2FKnuth74",
            ID + "study/DBLP%3Ajournals%2Fcacm%2FKnuth74",
            str(CITO.disputes),
        ),
    }
    for node in graph.subjects(RKG.inContext, c1):
        assert (node, RDF.type, CITO.Citation) in graph
        assert graph.value(node, CITO.hasCitingEntity) == URIRef(ID + "study/alpha2020")


def test_intent_ties_the_studies_by_the_cito_property(graph: Graph):
    alpha, gamma = URIRef(ID + "study/alpha2020"), URIRef(ID + "study/gamma2021")
    knuth, zeta = URIRef(ID + "study/DBLP%3Ajournals%2Fcacm%2FKnuth74"), URIRef(ID + "study/zeta1999")
    assert set(graph.predicates(alpha, knuth)) == {CITO.cites, CITO.disputes, CITO.citesAsEvidence}
    assert set(graph.predicates(alpha, gamma)) == {CITO.cites, CITO.agreesWith}
    assert set(graph.predicates(alpha, zeta)) == {CITO.cites, CITO.citesAsEvidence}
    # No intent: plain cites, and a qualified citation all the same.
    assert set(graph.predicates(gamma, zeta)) == {CITO.cites}
    plain = URIRef(ID + "study/gamma2021/citation/c-book/cites/zeta1999")
    assert graph.value(plain, CITO.hasCitationCharacterization) == CITO.cites


def test_graph_with_intents_conforms_and_has_no_blank_nodes(graph: Graph):
    assert validate_graph(graph).conforms
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_shapes_catch_a_qualified_citation_that_disagrees_with_its_passage(graph: Graph):
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    node = URIRef(ID + "study/alpha2020/citation/c1/cites/gamma2021")
    broken.remove((node, CITO.hasCitedEntity, None))
    broken.add((node, CITO.hasCitedEntity, URIRef(ID + "study/zeta1999")))  # c1 does not cite Zeta
    broken.set((URIRef(ID + "study/alpha2020/citation/c2/cites/zeta1999"), CITO.hasCitationCharacterization, RKG.x))
    report = validate_graph(broken)
    assert not report.conforms
    text = "\n".join(report.results)
    assert "does not cite its cited work" in text
    assert "c2/cites/zeta1999" in text


def test_every_intent_is_a_sub_property_of_cites_in_the_ontology():
    ontology = Graph().parse(REPO / "ontology" / "recovery.ttl")
    for term in CITO_INTENTS[1:]:
        assert (CITO[term], URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"), CITO.cites) in ontology
    families = [term for _, terms in INTENT_FAMILIES.values() for term in terms]
    assert sorted(families) == sorted(CITO_INTENTS[1:])  # each intent in exactly one family


# -- what users see -------------------------------------------------------------------------------


def test_themes_for_source_shows_the_intent(intents_project: Path):
    result = CliRunner().invoke(
        cli, ["query", "themes-for-source", "knuth", "--project", str(intents_project), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "theme,concepts,intent,citing_study,citing_study_key,passage,text"
    assert lines[1:] == [
        "Talk over coffee,,citesAsEvidence,Alpha & Beta 2020,alpha2020,c2,"
        "Coffee breaks carry the alliance (Zeta 1999; Knuth 1974).",
        "Small things,,disputes,Alpha & Beta 2020,alpha2020,c1,Small things matter (Gamma et al. 2021; Knuth 1974).",
    ]


def test_review_groups_the_literature_by_intent(intents_project: Path):
    store = open_store(project=intents_project)
    outline = review_outline(store)
    small = outline.sections[0]
    assert small.theme.label == "Small things"
    # Small things (with Little things, matched): c1 agrees with Gamma, disputes Knuth; c-book says nothing.
    assert [
        (g.heading, [(u.study.rsplit("/", 1)[-1], u.term, u.passage.id) for u in g.uses]) for g in small.intents
    ] == [
        ("Supported by", [("gamma2021", "agreesWith", "c1")]),
        ("Disputed by", [("DBLP%3Ajournals%2Fcacm%2FKnuth74", "disputes", "c1")]),
    ]
    coffee = small.subsections[0]
    assert [(g.family, [u.term for u in g.uses]) for g in coffee.intents] == [
        ("supports", ["citesAsEvidence", "citesAsEvidence"])
    ]
    text = render_review(store).text
    assert (
        "**Supported by.** (Gamma et al., 2021) (agrees with, c1).\n\n**Disputed by.** (Knuth, 1974) (disputes, c1)."
        in text
    )
    assert "**Supported by.** (Knuth, 1974) (cites as evidence, c2); (Zeta, 1999) (cites as evidence, c2)." in text
    pandoc = render_review(store, pandoc=True).text
    assert "**Disputed by.** [@DBLP:journals/cacm/Knuth74] (disputes, c1)." in pandoc


def test_review_without_intents_has_no_intent_groups():
    outline = review_outline(open_store(project=DATA / "mini"))
    assert [section.intents for section in outline.walk()] == [[], []]


def test_map_edges_carry_the_intent_family(intents_project: Path):
    records = read_records(open_store(project=intents_project))
    label = {iri: entity.label for iri, entity in records.entities.items()}

    def intents(view: str) -> dict:
        graph = map_view(records, view)
        return {
            frozenset((label.get(a, a), label.get(b, b))): data["intent"]
            for a, b, data in graph.edges(data=True)
            if "cite" in data["relation"]
        }

    assert intents("literature") == {
        frozenset(("Gamma et al. 2021", "Small things")): "supports",
        frozenset(("Knuth 1974", "Small things")): "disputes",
        frozenset(("Knuth 1974", "Talk over coffee")): "supports",
        frozenset(("Zeta 1999", "Talk over coffee")): "supports",
        frozenset(("Zeta 1999", "Little things")): None,
        frozenset(("Alpha & Beta 2020", "Little things")): None,
    }
    full = intents("full")
    # Alpha cites Knuth twice: disputing it in c1, as evidence in c2.
    assert full[frozenset(("Alpha & Beta 2020", "Knuth 1974"))] == "mixed"
    assert full[frozenset(("Gamma et al. 2021", "Zeta 1999"))] is None


def test_map_page_keeps_only_known_intents():
    import networkx as nx

    graph = nx.Graph()
    graph.add_node("a", kind="study", label="A")
    graph.add_node("b", kind="theme", label="B")
    graph.add_node("c", kind="theme", label="C")
    graph.add_edge("a", "b", relation="is cited about", weight=1, intent="disputes")
    graph.add_edge("a", "c", relation="is cited about", weight=1, intent='"><img src=x onerror=alert(1)>')
    data = map_data(graph, "t")
    assert [edge["intent"] for edge in data["edges"]] == ["disputes", None]
    assert data["intentNames"]["disputes"] == "Disputed by"


# -- the seed corpus ------------------------------------------------------------------------------


SEED_INTENTS = {
    ("topor2019ijmha", "c-epigraph", "strauss2014"): "includesQuotationFrom",
    ("topor2019ijmha", "c-design", "orford2006"): "usesMethodIn",
    ("topor2019ijmha", "c-thematic-analysis", "braun2006"): "usesMethodIn",
    ("topor2019ijmha", "c-methodology", "skogens2018"): "citesForInformation",
    ("topor2019ijmha", "c-terminology", "wolch2000"): "agreesWith",
    ("topor2019ijmha", "c-diagnosis", "apa2013"): "citesAsAuthority",
    ("topor2019ijmha", "c-post-asylum", "shevellar2016"): "includesQuotationFrom",
    ("topor2019ijmha", "c-delicate-balance", "elguebaly2012"): "includesQuotationFrom",
    ("topor2019ijmha", "c-safe-and-empowered", "rise2014"): "agreesWith",
    ("topor2019ijmha", "c-rules-and-needs", "reed2018"): "agreesWith",
    ("topor2019ijmha", "c-professional-culture", "osborn2016"): "agreesWith",
    ("topor2019ijmha", "c-normal-experiences", "frank2014"): "includesQuotationFrom",
    ("topor2019ijmha", "c-social-paradigm", "priebe2013"): "includesQuotationFrom",
    ("topor2018", "c-not-part-of-his-job", "ware2004"): "includesQuotationFrom",
    ("topor2018", "c-early-recovery", "warner2004"): "citesAsEvidence",
}


def test_seed_passages_carry_the_intents_their_words_say():
    corpus, _ = load_project(REPO)
    given = {
        (ann.study.value, citation.id, intent.key.value): intent.term.value
        for ann in corpus.annotations
        for citation in ann.citations
        for intent in citation.intents
    }
    assert given == SEED_INTENTS
    # Every other cited work of the seeds is plain cites in the graph.
    graph = build_graph(corpus)
    characterised = {str(o).rsplit("/", 1)[-1] for o in graph.objects(None, CITO.hasCitationCharacterization)}
    assert characterised == set(SEED_INTENTS.values()) | {"cites"}
    store = store_from_graph(graph)
    structures = next(s for s in review_outline(store).walk() if s.theme.id == "structures")
    assert [(g.heading, [records_key(u.study) for u in g.uses]) for g in structures.intents] == [
        ("Supported by", ["osborn2016", "reed2018", "rise2014"]),
        ("Quoted", ["elguebaly2012", "frank2014", "shevellar2016"]),
    ]


def records_key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
