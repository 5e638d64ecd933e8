"""The bundled corpus (the repository root is a project): faithful to the seed papers, and it builds.

The expected speakers below were read off seed 000 by hand: the paper closes each block quote
with the interviewee's number (Arabic for users, Roman for professionals), or names the
speaker in the sentence before it; three block quotes carry no id and come from users. The
interviewer's question inside 6's story is no one's quote: the story is two quotes.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

import kg
from kg.graph.iris import Minter
from kg.vocab import CITO, RKG
from tests.fixtures import REPO

SEED_000 = "000_ae6dd61308bbe0ea.txt"
SEED_002 = "002_d8bd7f856e0c99a0.txt"

#: (speaker id or None, role, words from the quote) for every interview quote of seed 000.
SEED_000_QUOTES = [
    ("I", "professional", "It’s about how you’re treated, the interaction and a good alliance."),
    (None, "user", "Nobody told me to stay sober."),
    (None, "user", "You need a strong will of your own."),
    (None, "user", "I’ve met a therapist who believes in me"),
    ("XIII", "professional", "Many feel that they’re a pain and that they’re not important enough."),
    ("7", "user", "I’ve done most of it by myself, and that feels really good."),
    ("XI", "professional", "You have to be professional and treat everybody in the same way"),
    ("XI", "professional", "but with some you can feel a special connection"),
    ("XI", "professional", "When I started working here, two users I knew from my previous workplace"),
    ("XI", "professional", "We went for walks every day and talked about his background"),
    ("15", "user", "I had never looked for treatment earlier"),
    ("VI", "professional", "I have a colleague who gives his phone number to users"),
    ("II", "professional", "You always have to think in different ways based on what the patient wants"),
    ("6", "user", "I have used drugs since I was eight"),
    ("6", "user", "They give you chances."),  # 6's answer to "How do they show it?"
    ("38", "user", "someone put his hand on my shoulder and asked: “How are you today?”"),
    ("XV", "professional", "They are heroes. I am so impressed."),
    ("20", "user", "I could handle the alcohol myself."),
    ("32", "user", "He could refer to things I had mentioned months ago."),
    ("V", "professional", "I knock on their door and say hello when they open the door"),
    ("VIII", "professional", "that we welcome them and offer them coffee"),
    ("XI", "professional", "I have a dog myself, so I know what that might mean to somebody"),
    ("XI", "professional", "It’s about a woman with alcohol problems."),
]

#: Glued words of the PDF extraction and how the annotation writes them (see the YAML header).
SPLITS = {
    "frommy": "from my",
    "andwe": "and we",
    "womanwith": "woman with",
    "Howwe": "How we",
    "dogwas": "dog was",
    "andethical": "and ethical",
    "anewbalance": "a new balance",
    "alsomentionedby": "also mentioned by",
    "tailoredservices": "tailored services",
    "thesamevain": "the same vain",
    "andAlsaker": "and Alsaker",
    "tensionbetween": "tension between",
    "theneedsof": "the needs of",
    "theusers": "the users",
    "Ifmicro-affirmations": "If micro-affirmations",
    "andwent": "and went",
    "characterizedwith": "characterized with",
    "person.My": "person. My",
    "coffee.We": "coffee. We",
    "problems.When": "problems. When",
    "(7).This": "(7). This",
    "vain,Reed,": "vain, Reed,",
    "demandingnegotiations": "demanding negotiations",
}


def normalise_seed(raw: str) -> str:
    """The seed text with the extraction's faults mended as the annotation files say.

    Seed 000 keeps its curly quotes as the extraction wrote them (“ as B, ” as ^).
    """
    raw = raw.replace("International Journal of Mental Health and Addiction\n\n\n\n", "")
    raw = raw.replace(" ,\u0302", "^,")  # a closing quote fused with a comma
    raw = re.sub(r"-\n", "-", raw)
    text = re.sub(r"\s+", " ", raw)
    for glued, split in SPLITS.items():
        text = text.replace(glued, split)
    return text


@pytest.fixture(scope="module")
def corpus_graph() -> Graph:
    corpus, warnings = kg.load_project(REPO)
    assert [str(w) for w in warnings] == []
    return kg.build_graph(corpus)


def _quotes_of(graph: Graph, study: str) -> list[tuple[str | None, str, str]]:
    rows = graph.query(
        """SELECT ?text ?sid ?cls WHERE {
             ?q a rkg:Quote ; rkg:text ?text ; rkg:reportedIn ?s ; rkg:spokenBy ?p .
             ?s rkg:citeKey ?key . ?p a ?cls . FILTER(?cls IN (rkg:ServiceUser, rkg:Professional))
             OPTIONAL { ?p dcterms:identifier ?sid } }""",
        initNs={"rkg": RKG, "dcterms": DCTERMS},
        initBindings={"key": Literal(study)},
    )
    role = {RKG.ServiceUser: "user", RKG.Professional: "professional"}
    return [(str(r.sid) if r.sid is not None else None, role[r.cls], str(r.text)) for r in rows]


def test_every_quote_of_seed_000_with_speaker_and_role(corpus_graph: Graph):
    quotes = _quotes_of(corpus_graph, "topor2019ijmha")
    assert len(quotes) == len(SEED_000_QUOTES)
    for speaker, role, words in SEED_000_QUOTES:
        found = [(s, r) for s, r, text in quotes if words in text]
        assert found == [(speaker, role)], (words, found)


def test_participant_ids_follow_the_papers_numbering(corpus_graph: Graph):
    for participant in corpus_graph.subjects(RKG.participantOf, None):
        pid = corpus_graph.value(participant, DCTERMS.identifier)
        if pid is None:
            continue  # an unidentified speaker
        roman = re.fullmatch(r"[IVXLC]+", str(pid)) is not None
        arabic = str(pid).isdigit()
        assert roman or arabic, pid
        expected = RKG.Professional if roman else RKG.ServiceUser
        assert (participant, RDF.type, expected) in corpus_graph


def test_quote_and_passage_texts_are_the_papers_words(corpus_graph: Graph, shared_seeds):
    seeds = {
        "topor2019ijmha": normalise_seed((shared_seeds / SEED_000).read_text(encoding="utf-8")),
        "topor2018": normalise_seed((shared_seeds / SEED_002).read_text(encoding="utf-8")),
    }
    rows = corpus_graph.query(
        """SELECT ?id ?text ?key WHERE {
             { ?x a rkg:Quote ; rkg:reportedIn ?s } UNION { ?x a rkg:CitationContext ; rkg:inStudy ?s }
             ?x rkg:text ?text ; dcterms:identifier ?id . ?s rkg:citeKey ?key }""",
        initNs={"rkg": RKG, "dcterms": DCTERMS},
    )
    checked = 0
    for row in rows:
        text = re.sub(r"\s+", " ", str(row.text))
        if str(row.key) == "topor2019ijmha":
            text = text.replace("“", "B").replace("”", "^")
        assert text in seeds[str(row.key)], (str(row.id), text[:80])
        checked += 1
    assert checked >= 48


def test_hand_worked_citations(corpus_graph: Graph):
    """What Borg and Kristiansen 2004 is cited for, read off seed 000 by hand."""
    themes = {
        str(corpus_graph.value(t, DCTERMS.identifier))
        for t in corpus_graph.objects(Minter().study("borg2004"), RKG.citedFor)
    }
    # Background: going beyond what is normally expected; Discussion: a register of individuality.
    assert {"small-things", "structures"} <= themes
    cited_by_seed_000 = set(corpus_graph.objects(Minter().study("topor2019ijmha"), CITO.cites))
    assert len(cited_by_seed_000) >= 35


def test_bundled_corpus_conforms(corpus_graph: Graph):
    report = kg.validate_graph(corpus_graph)
    assert report.conforms, report.results


def test_bundled_graph_parses_in_oxigraph_and_is_owl_rl_consistent(corpus_graph: Graph):
    import owlrl
    import pyoxigraph

    data = kg.serialize(corpus_graph, "turtle")
    assert sum(1 for _ in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)) == len(corpus_graph)
    closure = Graph()
    for triple in corpus_graph:
        closure.add(triple)
    closure.parse(str(REPO / "ontology" / "recovery.ttl"))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = list(closure.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
    assert errors == []
