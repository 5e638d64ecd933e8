"""Named queries, names people type, ad-hoc SPARQL with bound parameters, output formats.

Answers are worked out by hand: from the small fixture corpus (tests/data/mini, read its YAML
beside this) and from the seed papers (the bundled corpus at the repository root).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from cli import cli
from kg.queries import named_queries, resolve, run_named, run_sparql
from kg.render.tables import render
from kg.store import open_store
from tests.fixtures import DATA, REPO
from tests.test_fidelity import MICRO_AFFIRMATION_QUOTES

MINI = DATA / "mini"
INJECTION = 'x" } UNION { ?s ?p ?o } #'


@pytest.fixture(scope="module")
def mini():
    return open_store(project=MINI)


@pytest.fixture(scope="module")
def seeds():
    return open_store(project=REPO)


def rows(store, name, *columns, **params):
    table = run_named(store, name, **params)
    return [tuple(record[c] for c in columns) for record in table.records()]


def query(*args: str):
    return CliRunner().invoke(cli, ["query", *args])


# -- every named query has a header, help and an example ----------------------------------------


def test_named_queries_are_the_rq_files():
    names = sorted(named_queries())
    assert names == sorted(p.stem for p in (REPO / "kg" / "queries").glob("*.rq"))
    assert {
        "sources-for-theme",
        "themes-for-source",
        "quotes",
        "actions",
        "theme-by-role",
        "cooccurrence",
        "cocitation",
        "path",
    } <= set(names)
    for named in named_queries().values():
        assert named.summary and named.example.startswith(f"kg query {named.name}")


# -- the fixture corpus ---------------------------------------------------------------------------


def test_sources_for_theme_marks_sub_themes(mini):
    assert rows(
        mini, "sources-for-theme", "study", "cited_for", "via", "passage", "quotes", theme="alpha2020/small"
    ) == [
        ("Knuth 1974", "Small things", "", "c1", 4),
        ("Knuth 1974", "Talk over coffee", "sub-theme", "c2", 2),
        ("Alpha & Beta 2020", "Little things", "matched: gamma2021/little-things", "c-book", 1),
        ("Gamma et al. 2021", "Small things", "", "c1", 4),
        ("Zeta 1999", "Talk over coffee", "sub-theme", "c2", 2),
        ("Zeta 1999", "Little things", "matched: gamma2021/little-things", "c-book", 1),
    ]


def test_sources_for_theme_lists_the_sources_of_the_theme_it_matches(mini):
    # gamma2021's little-things matches alpha2020's small: its sources are small's (c1) and its
    # sub-theme coffee-talk's (c2), marked as such, beside its own (c-book).
    assert rows(mini, "sources-for-theme", "study", "cited_for", "via", "passage", theme="little things") == [
        ("Knuth 1974", "Small things", "matched: alpha2020/small", "c1"),
        ("Knuth 1974", "Talk over coffee", "matched: alpha2020/small, sub-theme", "c2"),
        ("Alpha & Beta 2020", "Little things", "", "c-book"),
        ("Gamma et al. 2021", "Small things", "matched: alpha2020/small", "c1"),
        ("Zeta 1999", "Talk over coffee", "matched: alpha2020/small, sub-theme", "c2"),
        ("Zeta 1999", "Little things", "", "c-book"),
    ]


def test_sources_for_theme_of_a_summary_lists_the_literature_of_the_theme_it_matches(seeds):
    # Topor et al. 2018's "The importance of small things" is cited with Ware 2004 only (c-not-part-
    # of-his-job); it matches Topor et al. 2019's small-things, whose 11 passages cite 13 studies.
    table = rows(seeds, "sources-for-theme", "study", "via", "passage", theme="topor2018/small-things")
    assert [r for r in table if r[1] == ""] == [("Ware et al. 2004", "", "c-not-part-of-his-job")]
    matched = {r[0] for r in table if r[1] == "matched: topor2019ijmha/small-things"}
    assert len(matched) == 13 and {"Borg & Kristiansen 2004", "Ware et al. 2004", "Rowe 2008"} <= matched
    assert {r[1] for r in table} == {"", "matched: topor2019ijmha/small-things"}


def test_themes_for_source(mini):
    assert rows(mini, "themes-for-source", "theme", "citing_study", "passage", study="zeta1999") == [
        ("Talk over coffee", "Alpha & Beta 2020", "c2"),
        ("Little things", "Gamma et al. 2021", "c-book"),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["q1", "q2", "q3", "q4", "qA"]),
        ({"role": "user"}, ["q1", "q3", "qA"]),
        ({"role": "professional"}, ["q2", "q4"]),
        ({"theme": "alpha2020/small"}, ["q1", "q2", "q3", "q4", "qA"]),  # q1 through its sub-theme, qA its match
        ({"theme": "little things"}, ["q1", "q2", "q3", "q4", "qA"]),  # the same question across papers
        ({"theme": "talk over"}, ["q1", "q4"]),
        ({"action": "coffee"}, ["q1", "q4", "qA"]),
        ({"factor": "trust", "role": "user"}, ["q1", "qA"]),
        ({"study": "gamma"}, ["qA"]),
        ({"speaker": "II"}, ["q2", "q4"]),
        ({"speaker": "alpha2020/1"}, ["q1"]),
    ],
)
def test_quote_filters(mini, params, expected):
    assert [r[0] for r in rows(mini, "quotes", "quote", **params)] == expected


def test_quotes_of_a_theme_say_which_come_from_the_theme_it_matches(mini):
    assert rows(mini, "quotes", "quote", "via", theme="little things") == [
        ("q1", "matched: alpha2020/small, sub-theme"),  # coded coffee-talk only
        ("q2", "matched: alpha2020/small"),
        ("q3", "matched: alpha2020/small"),
        ("q4", "matched: alpha2020/small"),  # small and its sub-theme: the closer way names it
        ("qA", ""),
    ]
    assert rows(mini, "quotes", "quote", "via", theme="alpha2020/small", role="user") == [
        ("q1", "sub-theme"),
        ("q3", ""),
        ("qA", "matched: gamma2021/little-things"),
    ]


def test_quotes_of_a_theme_matched_to_a_concept_are_the_concepts_quotes(seeds):
    # `--theme micro-affirmations` is Topor et al. 2018's theme (a summary: no quotes); it matches
    # Topor et al. 2019's concept micro-affirmations, which ten quotes are about.
    table = rows(seeds, "quotes", "quote", "via", theme="micro-affirmations")
    assert table == [(quote, "matched: topor2019ijmha/micro-affirmations") for quote in MICRO_AFFIRMATION_QUOTES]
    users = rows(seeds, "quotes", "quote", theme="micro-affirmations", role="user")
    assert users == [("q20-blood-sample",), ("q32-psychologist",), ("q38-shoulder",)]


def test_quote_columns(mini):
    assert rows(mini, "quotes", "quote", "speaker", "role", "study", "page", role="user") == [
        ("q1", "1", "user", "Alpha & Beta 2020", 4),
        ("q3", "An unidentified user (Alpha & Beta 2020)", "user", "Alpha & Beta 2020", None),
        ("qA", "A", "user", "Gamma et al. 2021", None),
    ]


def test_actions(mini):
    assert rows(mini, "actions", "action", "kind", "done_by", "supports", "user_quotes", "professional_quotes") == [
        ("Offering coffee", "deed", "professional", "Trust", 2, 1),
        ("Greeting by name", "words", "professional", "Being seen; Trust", 1, 2),
    ]
    assert [r[0] for r in rows(mini, "actions", "action", role="both")] == ["Offering coffee", "Greeting by name"]


def test_theme_by_role(mini):
    assert rows(mini, "theme-by-role", "theme", "user_quotes", "professional_quotes", "cited_studies", "flag") == [
        ("Talk over coffee", 1, 1, 2, ""),
        ("Small things", 2, 2, 3, ""),
        ("Little things", 1, 0, 2, ""),
    ]


def test_theme_by_role_adds_the_counts_of_the_theme_it_matches(mini):
    # Small things + Little things: users q1 q3 qA, professionals q2 q4; cited: c1 (Gamma, Knuth),
    # c2 (Zeta, Knuth), c-book (Zeta, Alpha) = Gamma, Knuth, Zeta, Alpha.
    columns = ("theme", "matched", "all_user_quotes", "all_professional_quotes", "all_cited_studies")
    assert rows(mini, "theme-by-role", *columns) == [
        ("Talk over coffee", "", 1, 1, 2),
        ("Small things", "gamma2021/little-things", 3, 2, 4),
        ("Little things", "alpha2020/small", 3, 2, 4),
    ]


def test_theme_by_role_does_not_say_users_do_not_voice_a_theme_whose_match_they_voice(seeds):
    # Topor et al. 2018's Micro-affirmations: cited with Davidson 2006 and Topor 2017, no quote of
    # its own; it matches Topor et al. 2019's concept, which 3 users and 7 professionals speak of
    # and 4 more studies are cited about (Priebe 2013, Rowe 2008, Skatvedt 2017, Topor 2018).
    columns = ("user_quotes", "professional_quotes", "cited_studies", "matched")
    columns += ("all_user_quotes", "all_professional_quotes", "all_cited_studies", "flag")
    got = {r[0]: r[1:] for r in rows(seeds, "theme-by-role", "theme", "study_key", *columns)}
    assert got["Micro-affirmations"] == ("topor2018", 0, 0, 2, "topor2019ijmha/micro-affirmations", 3, 7, 6, "")
    assert got["The importance of small things"] == ("topor2018", 0, 0, 1, "topor2019ijmha/small-things", 3, 5, 13, "")
    # Its sub-theme matches nothing: what it says stays.
    assert got["Micro-affirmations in everyday life, outside professional relationships"][-1] == (
        "the literature covers it; users do not voice it"
    )


@pytest.mark.parametrize(
    ("of", "expected"),
    [
        ("themes", [("Small things", "Talk over coffee", 1)]),
        ("factors", [("Being seen", "Trust", 1)]),
        ("actions", [("Greeting by name", "Offering coffee", 1)]),
    ],
)
def test_cooccurrence(mini, of, expected):
    assert rows(mini, "cooccurrence", "first", "second", "quotes", of=of) == expected


def test_cooccurrence_counts_matched_themes_as_one():
    # tests/data/across: south2021's warmth and patience match north2020's kindness and time; n1
    # and s1 code both pairs. Kindness has more quotes than Warmth (2 to 1); Taking time and
    # Patience one each, and north2020's IRI comes first.
    store = open_store(project=DATA / "across")
    assert rows(store, "cooccurrence", "first", "second", "quotes", "via") == [
        ("Kindness", "Taking time", 2, "south2021/patience; south2021/warmth"),
    ]


def test_cooccurrence_of_the_seeds_is_unchanged_by_matches(seeds):
    # Topor et al. 2018 (a summary) has no quotes: its matched themes add none.
    assert rows(seeds, "cooccurrence", "first", "second", "quotes", "via") == [
        ("The need for structures and going beyond them", "They allowed me to fail", 2, ""),
        ("Small trivial things of great importance", "The need for structures and going beyond them", 1, ""),
    ]


def test_cocitation(mini):
    assert rows(mini, "cocitation", "first", "second", "passages", "passages_citing") == [
        ("Alpha & Beta 2020", "Zeta 1999", 1, "gamma2021/c-book"),
        ("Gamma et al. 2021", "Knuth 1974", 1, "alpha2020/c1"),
        ("Knuth 1974", "Zeta 1999", 1, "alpha2020/c2"),
    ]


def test_path_gives_each_step_with_its_quote_or_passage(mini):
    steps = rows(
        mini, "path", "step", "subject", "relation", "object", "via", "text", **{"from": "greeting", "to": "zeta"}
    )
    # Greeting by name and Talk over coffee are coded together on q4; c2 cites Zeta 1999 about it.
    assert [s[0] for s in steps] == [1, 2]
    assert steps[0][1:5] == ("Greeting by name", "is coded together with", "Talk over coffee", "q4")
    assert steps[0][5] == "Coffee and a greeting by name, every morning."
    assert steps[1][1:5] == ("Talk over coffee", "is the theme of a passage citing", "Zeta 1999", "c2")
    assert steps[1][5] == "Coffee breaks carry the alliance (Zeta 1999; Knuth 1974)."


def test_path_with_no_chain_is_an_empty_answer_and_says_why(mini):
    result = query("path", "alpha2020/1", "alpha2020/1", "--project", str(MINI))
    assert result.exit_code == 0
    assert result.stdout == "(no answer)\n"
    assert result.stderr == "kg: FROM and TO are the same node ('1'); there is no chain\n"


# -- names people type ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["coffee-talk", "COFFEE-TALK", "alpha2020/coffee-talk", "Talk over coffee", "talk", "coffee talk", "over coffee"],
)
def test_a_theme_by_id_label_or_prefix(mini, name):
    assert resolve(mini, "theme", name).value.endswith("/study/alpha2020/theme/coffee-talk")


def test_an_ambiguous_name_lists_the_matches():
    result = query("quotes", "--theme", "things", "--project", str(MINI))
    assert result.exit_code == 2
    assert result.stderr == (
        "kg: 'things' is ambiguous: it could be alpha2020/small (Small things); "
        "gamma2021/little-things (Little things); give more of the name, or STUDY/ID for "
        "what is local to a study\n"
    )
    seeds = query("sources-for-theme", "small-things")
    assert seeds.exit_code == 2
    assert (
        "'small-things' is ambiguous: it could be topor2018/small-things (The importance of small things); "
        "topor2019ijmha/small-things (Small trivial things of great importance)"
    ) in seeds.stderr


def test_an_unknown_name_lists_the_closest():
    result = query("quotes", "--action", "cofee", "--project", str(MINI))
    assert result.exit_code == 2
    assert result.stderr == "kg: no action is called 'cofee'; the closest are: coffee (Offering coffee)\n"


# -- ad-hoc SPARQL ---------------------------------------------------------------------------------


def test_sparql_binds_parameters(mini):
    text = "SELECT ?quote ?text WHERE { ?quote rkg:text ?text }"
    table = run_sparql(mini, text, {"text": 'I say "Hi Carl" to everyone who comes in.'})
    assert [r["quote"] for r in table.records()] == ["q2"]


def test_an_injection_value_matches_nothing_extra(mini):
    text = "SELECT ?quote ?who WHERE { ?quote rkg:spokenBy/dcterms:identifier ?who }"
    assert run_sparql(mini, text, {"who": INJECTION}).records() == []
    assert len(run_sparql(mini, text, {"who": "II"}).records()) == 2
    result = CliRunner().invoke(
        cli, ["sparql", text, "--param", f"who={INJECTION}", "--project", str(MINI), "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.output) == []
    named = query("quotes", "--speaker", INJECTION, "--project", str(MINI))
    assert named.exit_code == 2 and "no participant is called" in named.stderr


def test_sparql_iri_parameters_and_predeclared_prefixes(mini):
    text = "SELECT ?theme ?label ?class WHERE { ?theme a ?class ; skos:prefLabel ?label } ORDER BY ?label"
    table = run_sparql(mini, text, {"class": "rkg:Theme"})
    assert [r["label"] for r in table.records()] == ["Little things", "Small things", "Talk over coffee"]
    table = run_sparql(mini, text, {"class": "<https://w3id.org/recovery-kg#Theme>"})
    assert len(table.rows) == 3


def test_sparql_syntax_error_names_line_and_column():
    result = CliRunner().invoke(
        cli, ["sparql", "SELECT ?x WHERE {\n  ?x rkg:text ?t\n  FILTR(?t) }", "--project", str(MINI)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: SPARQL syntax error at line 3, column 11")


def test_sparql_from_a_file_and_a_graph_file(tmp_path: Path):
    built = CliRunner().invoke(cli, ["build", str(MINI), "--out", str(tmp_path), "--format", "trig"])
    assert built.exit_code == 0
    question = tmp_path / "ask.rq"
    question.write_text("SELECT (COUNT(?q) AS ?quotes) WHERE { ?q a rkg:Quote }\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["sparql", str(question), "--graph", str(tmp_path / "graph.trig"), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "quotes\n5\n"


def test_project_and_graph_together_is_an_error(tmp_path: Path):
    result = query("cocitation", "--project", str(MINI), "--graph", str(tmp_path / "g.ttl"))
    assert result.exit_code == 2 and "give --project or --graph, not both" in result.stderr


# -- output formats -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cocitation(mini):
    return run_named(mini, "cocitation")


def test_text_table_is_aligned_and_cut_to_the_width(mini):
    table = run_named(mini, "quotes")
    text = render(table, "text", width=60)
    lines = text.splitlines()
    # prompt and attribution are empty in every row of the fixture: left out of the text table only
    assert lines[0].split() == ["quote", "text", "speaker", "role", "study", "page"]
    assert all(len(line) <= 60 for line in lines)
    assert "…" in text
    assert lines[1].startswith("-----  ")


def test_csv_and_tsv_hold_full_values(cocitation):
    parsed = list(csv.DictReader(io.StringIO(render(cocitation, "csv"))))
    assert parsed[0] == {
        "first": "Alpha & Beta 2020",
        "first_key": "alpha2020",
        "second": "Zeta 1999",
        "second_key": "zeta1999",
        "passages": "1",
        "passages_citing": "gamma2021/c-book",
    }
    lines = render(cocitation, "tsv").splitlines()
    assert lines[0] == "first\tfirst_key\tsecond\tsecond_key\tpassages\tpassages_citing"


def test_json_is_a_list_of_objects_with_numbers(cocitation):
    data = json.loads(render(cocitation, "json"))
    assert data[0] == {
        "first": "Alpha & Beta 2020",
        "first_key": "alpha2020",
        "second": "Zeta 1999",
        "second_key": "zeta1999",
        "passages": 1,
        "passages_citing": "gamma2021/c-book",
    }


def test_study_columns_carry_their_cite_key_beside_the_label(cocitation):
    # Issue 7 item 4: a writer needs the key to cite a study; the text table keeps the label only.
    assert render(cocitation, "markdown").splitlines()[:3] == [
        "| first | first_key | second | second_key | passages | passages_citing |",
        "| --- | --- | --- | --- | --- | --- |",
        "| Alpha & Beta 2020 | alpha2020 | Zeta 1999 | zeta1999 | 1 | gamma2021/c-book |",
    ]
    text = render(cocitation, "text", width=200).splitlines()
    assert text[0].split() == ["first", "second", "passages", "passages_citing"]
    assert text[2].split("  ")[0] == "Alpha & Beta 2020"
    records = kg.query("themes-for-source", project=str(MINI), study="zeta1999")
    assert {r["citing_study_key"] for r in records} == {"alpha2020", "gamma2021"}  # both cite it
    quotes = kg.query("quotes", project=str(MINI), role="professional")
    assert [(r["study"], r["study_key"]) for r in quotes] == [("Alpha & Beta 2020", "alpha2020")] * 2


def test_markdown_escapes_pipes(mini):
    table = run_sparql(mini, 'SELECT ?x WHERE { BIND("a | b" AS ?x) }')
    assert render(table, "markdown") == "| x |\n| --- |\n| a \\| b |\n"


def test_iri_adds_iri_columns(cocitation):
    record = json.loads(render(cocitation, "json", iri=True))[0]
    assert record["first_iri"] == "https://w3id.org/recovery-kg/id/study/alpha2020"
    assert record["second_iri"] == "https://w3id.org/recovery-kg/id/study/zeta1999"
    assert "passages_iri" not in record
    header = render(cocitation, "csv", iri=True).splitlines()[0]
    assert header == "first,first_key,first_iri,second,second_key,second_iri,passages,passages_citing"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "(no answer)\n"),
        ("json", "[]\n"),
        ("csv", "quote,prompt,text,speaker,role,attribution,study,page,via\n"),
        ("tsv", "quote\tprompt\ttext\tspeaker\trole\tattribution\tstudy\tpage\tvia\n"),
        ("markdown", "*No answer.*\n"),
    ],
)
def test_an_empty_answer_in_every_format(fmt, expected):
    result = query("quotes", "--study", "zeta1999", "--project", str(MINI), "--format", fmt)
    assert result.exit_code == 0
    assert result.output == expected


def test_library_api_rows_for_pandas():
    records = kg.query("quotes", project=str(MINI), role="professional")
    assert [r["quote"] for r in records] == ["q2", "q4"]
    assert all(isinstance(r, dict) for r in records)
    assert kg.sparql("SELECT ?n WHERE { BIND(42 AS ?n) }", project=str(MINI)) == [{"n": 42}]


def test_stats(mini):
    result = CliRunner().invoke(cli, ["stats", "--project", str(MINI), "--format", "json"])
    assert result.exit_code == 0
    tables = [json.loads(part) for part in result.output.strip().split("\n\n")]
    classes = {r["class"]: r["count"] for r in tables[0]}
    assert classes["Quote"] == 5 and classes["Participant"] == 4 and classes["Service user"] == 3
    assert {r["role"]: r["quotes"] for r in tables[1]} == {"professional": 2, "user": 3}
    assert tables[2] == [
        {
            "study": "Alpha & Beta 2020",
            "study_key": "alpha2020",
            "themes": 2,
            "sub_themes": 1,
            "concepts": 0,
            "quotes": 4,
            "passages": 2,
        },
        {
            "study": "Gamma et al. 2021",
            "study_key": "gamma2021",
            "themes": 1,
            "sub_themes": 0,
            "concepts": 0,
            "quotes": 1,
            "passages": 1,
        },
    ]
    assert tables[3][0]["node"] == "Small things"


# -- the seed corpus, answers read off the papers ------------------------------------------------


def test_what_borg_and_kristiansen_2004_is_cited_for(seeds):
    """Seed 000 cites it three times: among the studies of recovery factors (no theme), for going
    beyond what is expected (small things), and for the register of individuality (structures)."""
    assert rows(seeds, "themes-for-source", "theme", "passage", study="Borg & Kristiansen 2004") == [
        (None, "c-recovery-factors"),
        ("Small trivial things of great importance", "c-beyond-expected"),
        ("The need for structures and going beyond them", "c-register-individuality"),
    ]


def test_which_actions_users_and_professionals_both_name(seeds):
    """Seed 000's quotes name no single action from both sides: users tell of a hand on the shoulder,
    a chat during a blood sample, being taken back after a relapse; professionals of greetings,
    coffee, calls and walks. What both sides name is the factor behind them: being seen."""
    assert rows(seeds, "actions", "action", role="both") == []
    by_user = {r[0] for r in rows(seeds, "actions", "action", role="user")}
    assert "A hand on the shoulder and “How are you today?”" in by_user
    roles = {r[0] for r in rows(seeds, "quotes", "role", factor="being seen")}
    assert roles == {"user", "professional"}


def test_the_relapse_story_is_the_allowed_to_fail_theme(seeds):
    """6's story, in two quotes since the interviewer's question "How do they show it?" splits it."""
    assert rows(seeds, "quotes", "quote", "speaker", "prompt", theme="they allowed me") == [
        ("q6-chances", "6", "How do they show it?"),
        ("q6-relapse", "6", None),
    ]


def test_seed_002_themes_match_seed_000(seeds):
    table = run_sparql(seeds, "SELECT ?a ?b WHERE { ?a skos:closeMatch ?b } ORDER BY ?a")
    assert [(r["a"], r["b"]) for r in table.records()] == [
        ("Micro-affirmations", "Micro-affirmations"),
        ("The importance of small things", "Small trivial things of great importance"),
    ]


def test_a_missing_query_file_is_a_clear_error():
    result = CliRunner().invoke(cli, ["sparql", "no-such-question.rq", "--project", str(MINI)])
    assert result.exit_code == 2
    assert result.stderr == (
        "kg: cannot read the query file 'no-such-question.rq': No such file or directory; "
        "give a SPARQL query or the path of a .rq file\n"
    )


def test_construct_and_ask_queries_give_tables(mini):
    ask = run_sparql(mini, "ASK { ?q a rkg:Quote }")
    assert ask.records() == [{"answer": "true"}]
    construct = run_sparql(mini, "CONSTRUCT { ?q rkg:text ?t } WHERE { ?q rkg:text ?t ; dcterms:identifier 'q2' }")
    assert [r["object"] for r in construct.records()] == ['I say "Hi Carl" to everyone who comes in.']
