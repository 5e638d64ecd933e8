"""The bundled corpus says what the seed papers say (issue 10).

- A citation context is ONE citing sentence (the unit of citation-context analysis), so a
  co-citation is two works cited in the same sentence of a seed.
- Every quote and passage is the paper's words.
- `kg query cocitation` on the seed corpus reports exactly the pairs of such one-sentence passages.

The annotation files are read as YAML here (not through `kg`), so these tests hold the data to
the papers whatever the reader does. Paths come from this file's place, never from the cwd.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from click.testing import CliRunner

from cli import cli

REPO = Path(__file__).parent.parent
QUOTES = REPO / "quotes"
SEED_FILES = {"topor2019ijmha": "000_ae6dd61308bbe0ea.txt", "topor2018": "002_d8bd7f856e0c99a0.txt"}

# -- one sentence ----------------------------------------------------------------------------------

#: Abbreviations whose full stop ends no sentence: "et al.", "e.g.", "i.e.", "p.", "pp.", "no.",
#: "vs.", "cf.", "ed.", "eds.", "vol.", and initials ("J. Smith", "Norma C. Ware").
ABBREVIATION = re.compile(r"\b(?:et al|e\.g|i\.e|pp|p|no|vs|cf|eds|ed|vol)\.|\b[A-Z]\.(?=\s)")
#: A sentence-final stop: . ? or ! (perhaps closed by quote marks or a bracket) and then a space.
STOP = re.compile(r"[.?!][”’\"')\]]*\s")
#: What may follow the sentence's own stop: its parenthetical citation and nothing else, as in
#: "... a drug addict, and a user. (Topor and Denhov 2012)." or "... to be helpful”. (Ware et al. 2006, 556)".
CITATION_AFTER_STOP = re.compile(r"\([^()]*\)\.?")

#: Passages whose text holds a stop that the paper prints inside one sentence, with the words
#: around it. Seed 002 ends a verbless list with a full stop and goes on with the list and the verb
#: ("Methods like “Hearing voices” (...), “Open dialogue” (...). “Individual Placement and Support”
#: (...) and ways to organize mental health services ... can be seen as conditions ...").
STRAY_STOPS = {("topor2018", "c-new-ways-of-working"): "(Seikkula and Olson 2003). “Individual"}


def extra_sentence_stops(text: str) -> list[str]:
    """The stops in `text` that end a sentence before its end (each with a little context)."""
    masked = ABBREVIATION.sub(lambda m: m.group(0).replace(".", "\u2024"), text.strip())
    found = []
    for stop in STOP.finditer(masked):
        rest = masked[stop.end() :].strip()
        if rest[:1].islower():
            continue  # a quoted question inside the sentence: “How are you?” and left ...
        if CITATION_AFTER_STOP.fullmatch(rest):
            continue  # the sentence's own stop, with its citation after it
        found.append(text[max(0, stop.start() - 30) : stop.end() + 15])
    return found


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Orford et al. (2006) designed it.", 1),
        ("As in Tew et al. 2012; see e.g. Rowe, i.e. p. 320 and pp. 3–4 (no. 5).", 1),
        ("A user. (Topor and Denhov 2012).", 1),
        ("“To be helpful”. (Ware et al. 2006, 556)", 1),
        ("Norma C. Ware wrote it (Ware 2004).", 1),
        ("They said “How are you?” and left (Doe 2001).", 1),
        ("One claim (Doe 2001). Another claim (Roe 2002).", 2),
        ("A sentence with no citation. One with a citation (Doe 2001).", 2),
        ("A question? An answer (Doe 2001).", 2),
    ],
)
def test_the_one_sentence_rule(text: str, sentences: int):
    assert 1 + len(extra_sentence_stops(text)) == sentences


def _annotations() -> dict[str, dict]:
    files = {}
    for path in sorted(QUOTES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files[str(data["study"])] = data
    return files


ANNOTATIONS = _annotations()
PASSAGES = [(study, c) for study, data in ANNOTATIONS.items() for c in data.get("citations") or []]


def test_the_seed_annotations_are_here():
    assert set(SEED_FILES) <= set(ANNOTATIONS)
    assert len(PASSAGES) >= 30


@pytest.mark.parametrize(("study", "passage"), PASSAGES, ids=[f"{s}/{c['id']}" for s, c in PASSAGES])
def test_every_citation_context_is_one_sentence(study: str, passage: dict):
    text = passage["text"]
    extra = extra_sentence_stops(text)
    stray = STRAY_STOPS.get((study, passage["id"]))
    if stray is not None:
        assert stray in text, "the known stray stop is gone: drop it from STRAY_STOPS"
        assert len(extra) == 1 and "(Seikkula and Olson 2003). “" in extra[0], extra
        return
    assert extra == [], f"{study}/{passage['id']} holds more than one sentence: {extra}"


def test_every_citation_context_cites_something():
    for study, passage in PASSAGES:
        assert passage.get("cites"), f"{study}/{passage['id']} cites nothing: it is no citation context"


# -- the papers' words -----------------------------------------------------------------------------

#: The running page header that the PDF extraction of seed 000 put inside a Discussion sentence.
PAGE_HEADER = re.compile(r"\n[ \t]*International Journal of Mental Health and Addiction[ \t]*\n")


def _comparable(text: str) -> str:
    """Text with what a PDF extraction mangles taken out: whitespace (line breaks, glued words,
    lost spaces) and hyphens (a word broken at a line end, "co-\\noccurring")."""
    return re.sub(r"[\s\-]+", "", text)


def seed_text(shared_seeds: Path, study: str) -> str:
    raw = (shared_seeds / SEED_FILES[study]).read_text(encoding="utf-8")
    return _comparable(PAGE_HEADER.sub("\n", raw))


def annotation_text(study: str, text: str) -> str:
    if study == "topor2019ijmha":  # its extraction writes “ as B and ” as ^ (seed 002 keeps them)
        text = text.replace("“", "B").replace("”", "^")
    return _comparable(text)


def _texts() -> list[tuple[str, str, str]]:
    rows = []
    for study, data in ANNOTATIONS.items():
        if study not in SEED_FILES:
            continue
        for kind in ("quotes", "citations"):
            for item in data.get(kind) or []:
                rows.append((study, item["id"], item["text"]))
    return rows


TEXTS = _texts()


@pytest.mark.parametrize(("study", "ident", "text"), TEXTS, ids=[f"{s}/{i}" for s, i, _ in TEXTS])
def test_every_quote_and_passage_is_in_the_seed(shared_seeds: Path, study: str, ident: str, text: str):
    assert annotation_text(study, text) in seed_text(shared_seeds, study), f"{study}/{ident}: {text[:80]}"


# -- co-citation -----------------------------------------------------------------------------------


def _key(iri: str) -> str:
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])


def test_cocitation_reports_only_pairs_cited_in_one_sentence():
    result = CliRunner().invoke(cli, ["query", "cocitation", "--project", str(REPO), "--format", "json", "--iri"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    passages = {f"{study}/{p['id']}": p for study, p in PASSAGES}
    reported = {}
    for row in rows:
        pair = frozenset((_key(row["first_iri"]), _key(row["second_iri"])))
        citing = [name.strip() for name in str(row["passages_citing"]).split(";") if name.strip()]
        assert len(citing) == row["passages"], row
        for name in citing:
            passage = passages[name]
            assert pair <= set(passage["cites"]), (name, sorted(pair))
            study = name.split("/", 1)[0]
            if (study, passage["id"]) not in STRAY_STOPS:
                assert extra_sentence_stops(passage["text"]) == [], name
        reported[pair] = set(citing)
    expected: dict[frozenset, set] = {}
    for name, passage in passages.items():
        for a, b in itertools.combinations(sorted(set(passage["cites"])), 2):
            expected.setdefault(frozenset((a, b)), set()).add(name)
    assert reported == expected


def test_no_pair_from_two_sentences_of_one_paragraph():
    """The pairs that merged passages used to make, read off seed 000 by hand: none is co-cited."""
    result = CliRunner().invoke(cli, ["query", "cocitation", "--project", str(REPO), "--format", "json", "--iri"])
    pairs = {frozenset((_key(r["first_iri"]), _key(r["second_iri"]))) for r in json.loads(result.output)}
    for a, b in [
        ("rise2014", "ljungberg2015"),
        ("brekke2018", "mccabe2004"),
        ("shevellar2016", "skatvedt2017"),
        ("rowe2008", "skatvedt2017"),
        ("topor2018", "skatvedt2017"),
        ("frank2014", "everypalmer2014"),
    ]:
        assert frozenset((a, b)) not in pairs, (a, b)
    assert frozenset(("rise2014", "brekke2018")) in pairs  # cited in the same sentence


# -- the interviewer's words and who spoke (issue 10 item 3) --------------------------------------

QUOTES = [(study, q) for study, data in ANNOTATIONS.items() if study in SEED_FILES for q in data.get("quotes") or []]


def test_no_interviewer_words_in_a_participants_quote():
    prompts = {(study, q["prompt"]) for study, q in QUOTES if q.get("prompt")}
    assert ("topor2019ijmha", "How do they show it?") in prompts
    for study, quote in QUOTES:
        assert "interviewer" not in quote["text"].casefold(), f"{study}/{quote['id']}"
        for prompt_study, prompt in prompts:
            if prompt_study == study:
                assert prompt not in quote["text"], f"{study}/{quote['id']} holds the question {prompt!r}"


def test_a_prompt_is_printed_right_before_its_answer(shared_seeds: Path):
    for study, quote in QUOTES:
        if quote.get("prompt"):
            asked_and_answered = annotation_text(study, quote["prompt"] + " " + quote["text"])
            assert asked_and_answered in seed_text(shared_seeds, study), f"{study}/{quote['id']}"


def test_marked_attribution_is_the_id_printed_after_the_quote(shared_seeds: Path):
    """`marked` exactly when the paper prints "(ID)" right after the quote; never guessed."""
    seen = set()
    for study, quote in QUOTES:
        seen.add(quote.get("attribution"))
        printed = annotation_text(study, quote["text"]) + f"({quote.get('speaker')})"
        is_printed = "speaker" in quote and printed in seed_text(shared_seeds, study)
        assert (quote.get("attribution") == "marked") == is_printed, f"{study}/{quote['id']}"
    assert seen <= {"marked", "from-text", "uncertain"} and None not in seen, "every seed quote says how"


# -- the codebook is the paper's (issue 10 item 2) -------------------------------------------------


def test_seed_000_codebook_is_the_three_paradoxes():
    themes = ANNOTATIONS["topor2019ijmha"]["themes"]
    assert {t["id"] for t in themes if not t.get("broader")} == {"own-decision", "structures", "small-things"}
    assert {t["id"]: t["broader"] for t in themes if t.get("broader")} == {"allowed-to-fail": "structures"}
    concepts = {c["id"] for c in ANNOTATIONS["topor2019ijmha"]["concepts"]}
    assert concepts == {"working-alliance", "micro-affirmations"}


def test_theme_by_role_counts_the_three_paradoxes_and_their_sub_theme():
    result = CliRunner().invoke(cli, ["query", "theme-by-role", "--project", str(REPO), "--format", "json"])
    assert result.exit_code == 0, result.output
    themes = {row["theme"] for row in json.loads(result.output) if row["study"] == "Topor et al. 2019"}
    assert themes == {
        "My own decision, but with the help of others",
        "The need for structures and going beyond them",
        "They allowed me to fail",
        "Small trivial things of great importance",
    }


MICRO_AFFIRMATION_QUOTES = [
    "q20-blood-sample",
    "q32-psychologist",
    "q38-shoulder",
    "qV-shoes",
    "qVI-phone",
    "qVIII-coffee",
    "qXI-dog",
    "qXI-dog-owner",
    "qXIII-call",
    "qXV-heroes",
]


def test_the_concepts_are_still_queryable():
    def ask(*args: str) -> list[dict]:
        result = CliRunner().invoke(cli, ["query", *args, "--project", str(REPO), "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    assert [r["quote"] for r in ask("quotes", "--concept", "micro-affirmations")] == MICRO_AFFIRMATION_QUOTES
    assert [r["quote"] for r in ask("quotes", "--concept", "working alliance")] == ["qI-alliance", "qVIII-coffee"]
    passages = {(r["passage"], r["via"]) for r in ask("sources-for-concept", "topor2019ijmha/micro-affirmations")}
    # Its own passages, and Topor et al. 2018's about the theme matched to it (and that theme's sub-theme).
    assert passages == {
        ("c-micro-affirmations", ""),
        ("c-everydayness", ""),
        ("c-social-paradigm", ""),
        ("c-everyday-life", "matched: topor2018/micro-affirmations"),
        ("c-everyday-life", "matched: topor2018/micro-affirmations, sub-theme"),
    }
    assert {r["study"] for r in ask("sources-for-concept", "working-alliance")} == {
        "Ljungberg et al. 2015",
        "McCabe & Priebe 2004",
        "Skatvedt 2017",
    }
