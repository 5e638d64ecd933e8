"""The graph: vocabulary, shapes, OWL-RL consistency, IRIs, provenance, formats, determinism."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import owlrl
import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

import kg
from cli import cli
from kg.graph import FORMATS, build_graph, ontology_graph, serialize, validate_graph
from kg.graph.iris import Minter, segment
from kg.vocab import BIBO, CITO, FABIO, RKG
from tests.fixtures import DATA, REPO

MINI = DATA / "mini"
ID = Namespace("https://w3id.org/recovery-kg/id/")
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")  # where owlrl records inconsistencies

#: The core vocabulary of DESIGN.md: queries and users' SPARQL rely on these names.
CORE_TERMS = [
    "Study",
    "Participant",
    "ServiceUser",
    "Professional",
    "Quote",
    "Theme",
    "Action",
    "RecoveryFactor",
    "CitationContext",
    "illustrates",
    "describes",
    "evidences",
    "supports",
    "citeKey",
    "text",
    "spokenBy",
    "reportedIn",
    "page",
    "inStudy",
    "cites",
    "aboutTheme",
]


@pytest.fixture(scope="module")
def mini() -> Graph:
    corpus, _ = kg.load_project(MINI)
    return build_graph(corpus)


def oxigraph_count(data: bytes, fmt: str) -> int:
    formats = {
        "turtle": pyoxigraph.RdfFormat.TURTLE,
        "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
        "jsonld": pyoxigraph.RdfFormat.JSON_LD,
        "trig": pyoxigraph.RdfFormat.TRIG,
    }
    return sum(1 for _ in pyoxigraph.parse(data, format=formats[fmt]))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_parses_in_a_second_parser(mini: Graph, fmt: str):
    data = serialize(mini, fmt)
    assert oxigraph_count(data, fmt) == len(mini)
    reparsed = (
        Graph().parse(
            data=data, format={"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "trig"}[fmt]
        )
        if fmt != "trig"
        else None
    )
    if reparsed is not None:
        assert set(reparsed) == set(mini)


def test_two_builds_give_identical_bytes(tmp_path: Path):
    for name in ("a", "b"):
        result = CliRunner().invoke(cli, ["build", str(MINI), "--out", str(tmp_path / name), "--format", "all"])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "a").iterdir() if not p.name.startswith("."))
    assert names == [
        "graph.jsonld",
        "graph.nt",
        "graph.trig",
        "graph.ttl",
        "literature-map.svg",
        "map.html",
        "matrix.md",
        "ontology.ttl",
        "review.md",
    ]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path):
    """Set iteration order changes with PYTHONHASHSEED; the output must not."""
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from cli import cli; sys.exit(cli())",
                "build",
                str(MINI),
                "--out",
                str(tmp_path / seed),
                "--format",
                "all",
            ],
            check=True,
            env=env,
            cwd=REPO,
            capture_output=True,
        )
    for path in sorted(p for p in (tmp_path / "1").iterdir() if not p.name.startswith(".")):
        assert path.read_bytes() == (tmp_path / "2" / path.name).read_bytes(), path.name


def test_graph_conforms_to_the_shapes(mini: Graph):
    report = validate_graph(mini)
    assert report.conforms, report.results


def test_shapes_catch_a_quote_without_text(mini: Graph):
    broken = Graph()
    for triple in mini:
        broken.add(triple)
    broken.remove((ID["study/alpha2020/quote/q1"], RKG.text, None))
    report = validate_graph(broken)
    assert not report.conforms
    assert any("study/alpha2020/quote/q1 rkg:text" in line for line in report.results), report.results


def test_shapes_catch_a_speaker_of_another_study(mini: Graph):
    broken = Graph()
    for triple in mini:
        broken.add(triple)
    q1 = ID["study/alpha2020/quote/q1"]
    broken.remove((q1, RKG.spokenBy, None))
    broken.add((q1, RKG.spokenBy, ID["study/gamma2021/participant/A"]))
    report = validate_graph(broken)
    assert not report.conforms
    assert any("not a participant of the study" in line for line in report.results)


def test_validate_command_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    ok = CliRunner().invoke(cli, ["validate", str(MINI)])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output
    # A stricter shape (every quote needs a page) makes the same graph violate: exit code 1.
    strict = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rkg: <https://w3id.org/recovery-kg#> .
        <urn:s> a sh:NodeShape ; sh:targetClass rkg:Quote ; sh:property [ sh:path rkg:page ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    monkeypatch.setattr("kg.graph.validate.shapes_graph", lambda: strict)
    bad = CliRunner().invoke(cli, ["validate", str(MINI)])
    assert bad.exit_code == 1
    assert "study/alpha2020/quote/q2 rkg:page" in bad.output
    assert "SHACL violation" in bad.stderr


@pytest.fixture(scope="module")
def with_concepts(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The fixture corpus with a concept (q2 and c1 about it, gamma2021's theme matching it), an
    interviewer's question and an attribution."""
    root = tmp_path_factory.mktemp("concepts") / "mini"
    shutil.copytree(MINI, root)
    alpha, gamma = root / "quotes" / "alpha2020.yaml", root / "quotes" / "gamma2021.yaml"
    text = alpha.read_text(encoding="utf-8")
    text = text.replace("factors:\n", "concepts:\n  - {id: alliance, label: Working alliance}\nfactors:\n", 1)
    text = text.replace(
        "    speaker: II\n    text: I say",
        '    speaker: II\n    attribution: marked\n    prompt: "Who do you greet?"\n'
        "    concepts: [alliance]\n    text: I say",
    )
    text = text.replace(
        'Knuth74"]\n    themes: [small]\n', 'Knuth74"]\n    themes: [small]\n    concepts: [alliance]\n'
    )
    alpha.write_text(text, encoding="utf-8")
    gamma.write_text(
        gamma.read_text(encoding="utf-8").replace("alpha2020/small", "alpha2020/alliance"), encoding="utf-8"
    )
    corpus, warnings = kg.load_project(root)
    assert warnings == []
    return build_graph(corpus)


def test_concepts_are_outside_the_codebook(with_concepts: Graph):
    concept, scheme = ID["study/alpha2020/concept/alliance"], ID["study/alpha2020/concepts"]
    assert (concept, RDF.type, RKG.StudyConcept) in with_concepts
    assert (concept, RDF.type, RKG.Theme) not in with_concepts
    assert with_concepts.value(concept, SKOS.inScheme) == scheme
    assert with_concepts.value(scheme, DCTERMS.source) == ID["study/alpha2020"]
    assert (ID["study/alpha2020/quote/q2"], RKG.aboutConcept, concept) in with_concepts
    assert (ID["study/alpha2020/citation/c1"], RKG.aboutConcept, concept) in with_concepts
    assert (ID["study/gamma2021/theme/little-things"], SKOS.closeMatch, concept) in with_concepts
    assert (ID["study/alpha2020"], RKG.citedFor, concept) not in with_concepts  # citedFor is for themes


def test_prompt_and_attribution(with_concepts: Graph):
    q2 = ID["study/alpha2020/quote/q2"]
    assert with_concepts.value(q2, RKG.prompt) == Literal("Who do you greet?")
    assert with_concepts.value(q2, RKG.attribution) == RKG.attributionMarked
    assert with_concepts.value(ID["study/alpha2020/quote/q1"], RKG.attribution) is None


def test_graph_with_concepts_conforms_and_is_owl_rl_consistent(with_concepts: Graph):
    report = validate_graph(with_concepts)
    assert report.conforms, report.results
    assert _owlrl_errors(with_concepts) == []


def test_shapes_catch_a_concept_in_the_codebook_a_bad_attribution_and_another_studys_concept(with_concepts: Graph):
    broken = Graph()
    for triple in with_concepts:
        broken.add(triple)
    concept, q2 = ID["study/alpha2020/concept/alliance"], ID["study/alpha2020/quote/q2"]
    broken.set((concept, SKOS.inScheme, ID["study/alpha2020/codebook"]))
    broken.set((q2, RKG.attribution, RKG.userRole))
    broken.add((ID["study/gamma2021/citation/c-book"], RKG.aboutConcept, concept))  # a concept of another study
    results = validate_graph(broken).results
    assert any("concepts must stay out of the codebook" in line for line in results), results
    assert any("quote/q2 rkg:attribution" in line for line in results), results
    assert any("c-book: The passage is about a concept that is not one" in line for line in results), results


@pytest.mark.parametrize("graph_name", ["mini", "with_concepts"])
def test_every_rkg_term_used_is_declared_with_label_and_comment(graph_name: str, request: pytest.FixtureRequest):
    graph = request.getfixturevalue(graph_name)
    ontology = ontology_graph()
    used = {p for p in graph.predicates() if p.startswith(str(RKG))}
    used |= {o for o in graph.objects(None, RDF.type) if o.startswith(str(RKG))}
    used |= {o for _, p, o in graph if isinstance(o, URIRef) and o.startswith(str(RKG))}
    used |= {RKG[t] for t in CORE_TERMS}
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(RKG))}
    assert used <= declared, sorted(used - declared)
    for term in declared:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_ontology_aligns_to_standard_vocabularies():
    ontology = ontology_graph()
    assert (RKG.Theme, RDFS.subClassOf, SKOS.Concept) in ontology
    assert (RKG.ServiceUser, RDFS.subClassOf, RKG.Participant) in ontology
    assert (RKG.Professional, RDFS.subClassOf, RKG.Participant) in ontology
    assert (RKG.Study, RDFS.subClassOf, FABIO.Expression) in ontology
    assert (RKG.spokenBy, RDFS.subPropertyOf, PROV.wasAttributedTo) in ontology
    assert (None, RDF.type, OWL.Ontology) in ontology


def _owlrl_errors(graph: Graph) -> list[str]:
    closure = Graph()
    for triple in graph:
        closure.add(triple)
    for triple in ontology_graph():
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return [str(message) for message in closure.objects(None, ERR.error)]


def test_ontology_and_graph_are_consistent_under_owl_rl(mini: Graph):
    assert _owlrl_errors(mini) == []


def test_owl_rl_check_can_fail(mini: Graph):
    broken = Graph()
    for triple in mini:
        broken.add(triple)
    broken.add((ID["study/alpha2020/participant/1"], RDF.type, RKG.Professional))
    errors = _owlrl_errors(broken)
    assert any("Disjoint classes" in e and "participant/1" in e for e in errors), errors


@pytest.mark.parametrize(
    "value",
    [
        "DBLP:journals/cacm/Knuth74",
        "q 1",
        "<script>alert(1)</script>",
        "..",
        ".",
        "é ü ø",
        "a#b?c",
        "%20",
        'x"y',
        "tab\tand\nnewline",
        "{braces}|^`\\",
    ],
)
def test_iris_are_valid_whatever_the_id(value: str):
    mint = Minter()
    for iri in (mint.study(value), mint.quote(value, value), mint.theme("s", value), mint.person(value)):
        pyoxigraph.NamedNode(str(iri))  # raises ValueError for an invalid IRI
        assert str(iri).count("/") == str(mint.base).count("/") + str(iri)[len(mint.base) :].count("/")
    assert segment(value) != segment(value + "x")


def test_distinct_ids_give_distinct_iris():
    values = ["a/b", "a%2Fb", "a b", "a+b", "A/B", "..", "%2E%2E"]
    assert len({segment(v) for v in values}) == len(values)


def test_bad_base_is_a_clear_error():
    result = CliRunner().invoke(cli, ["build", str(MINI), "--base", "not an iri"])
    assert result.exit_code == 2
    assert "base IRI 'not an iri' is not usable" in result.stderr


def test_dblp_key_study(mini: Graph):
    knuth = ID["study/DBLP%3Ajournals%2Fcacm%2FKnuth74"]
    assert (knuth, RKG.citeKey, Literal("DBLP:journals/cacm/Knuth74")) in mini
    assert (ID["study/alpha2020"], CITO.cites, knuth) in mini


def test_citations_give_cito_and_cited_for(mini: Graph):
    assert (ID["study/alpha2020"], CITO.cites, ID["study/gamma2021"]) in mini
    assert (ID["study/gamma2021"], CITO.cites, ID["study/alpha2020"]) in mini
    assert (ID["study/gamma2021"], RKG.citedFor, ID["study/alpha2020/theme/small"]) in mini
    assert (ID["study/zeta1999"], RKG.citedFor, ID["study/gamma2021/theme/little-things"]) in mini
    assert (ID["study/gamma2021/theme/little-things"], SKOS.closeMatch, ID["study/alpha2020/theme/small"]) in mini


def test_creators_in_order_and_types(mini: Graph):
    gamma = ID["study/gamma2021"]
    seq = mini.value(gamma, BIBO.authorList)
    names = [
        str(mini.value(mini.value(seq, RDF[f"_{i}"]), Namespace("http://xmlns.com/foaf/0.1/").name)) for i in (1, 2, 3)
    ]
    assert names == ["Gil Gamma", "Dee Delta", "Eve Epsilon"]
    assert (ID["study/zeta1999"], RDF.type, FABIO.Book) in mini
    assert (gamma, RDF.type, FABIO.JournalArticle) in mini
    assert mini.value(ID["study/zeta1999"], DCTERMS.title) == Literal("Book of Recovery")
    assert mini.value(gamma, SKOS.prefLabel) == Literal("Gamma et al. 2021")


def test_unidentified_speaker_and_roles(mini: Graph):
    q3 = ID["study/alpha2020/quote/q3"]
    speaker = mini.value(q3, RKG.spokenBy)
    assert speaker == ID["study/alpha2020/unidentified/user"]
    assert (speaker, RDF.type, RKG.ServiceUser) in mini
    assert (ID["study/alpha2020/participant/II"], RDF.type, RKG.Professional) in mini
    assert mini.value(ID["study/alpha2020/quote/q1"], RKG.page) == Literal(4)


def test_provenance(mini: Graph):
    source = ID["source/quotes/alpha2020.yaml"]
    build = ID["build"]
    assert (ID["study/alpha2020/quote/q1"], PROV.wasDerivedFrom, source) in mini
    assert (ID["study/alpha2020/citation/c1"], PROV.wasGeneratedBy, build) in mini
    assert (build, PROV.used, source) in mini
    software = mini.value(build, PROV.wasAssociatedWith)
    assert mini.value(software, DCTERMS.hasVersion) == Literal(kg.__version__)
    assert (ID["study/alpha2020"], PROV.wasDerivedFrom, ID["source/references/mini.bib"]) in mini


def test_build_summary_counts(tmp_path: Path):
    out = CliRunner().invoke(cli, ["build", str(MINI), "--out", str(tmp_path / "out")])
    assert out.exit_code == 0, out.output
    assert (
        "4 studies, 4 participants, 3 service users, 1 professional, 3 themes, 0 concepts, 2 actions, "
        "2 recovery factors, 5 quotes, 3 citation contexts"
    ) in out.output


def test_any_id_builds_a_graph_that_parses(tmp_path: Path):
    """Ids are data: quotes, spaces, slashes, markup and non-ASCII letters all give valid IRIs."""
    import shutil

    project = tmp_path / "odd"
    shutil.copytree(MINI, project)
    alpha = project / "quotes" / "alpha2020.yaml"
    text = alpha.read_text(encoding="utf-8")
    text = text.replace("  - id: q1\n", "  - id: 'q 1 <script>\"&é/../x'\n")
    text = text.replace('{id: "1", role: user}', '{id: "1/../Ünïcode #1", role: user}')
    text = text.replace('    speaker: "1"\n', '    speaker: "1/../Ünïcode #1"\n')
    alpha.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(project), "--format", "all"])
    assert result.exit_code == 0, result.output
    for name, fmt in (
        ("graph.ttl", "turtle"),
        ("graph.nt", "ntriples"),
        ("graph.jsonld", "jsonld"),
        ("graph.trig", "trig"),
    ):
        data = (project / "out" / name).read_bytes()
        assert oxigraph_count(data, fmt) > 0
    graph = Graph().parse(project / "out" / "graph.ttl")
    quote = next(graph.subjects(DCTERMS.identifier, Literal('q 1 <script>"&é/../x')))
    assert str(quote).endswith("/quote/q%201%20%3Cscript%3E%22%26%C3%A9%2F..%2Fx")
    speaker = graph.value(quote, RKG.spokenBy)
    assert graph.value(speaker, DCTERMS.identifier) == Literal("1/../Ünïcode #1")
