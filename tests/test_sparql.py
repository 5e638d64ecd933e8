"""SPARQL as users write it (issue 7, items 5-9, 16, 17): each test is named after what broke.

Parameters bind any variable, typed by their form; DESCRIBE is a query and an update is refused;
SELECT * keeps the query's order; a path reads from FROM to TO and an empty one says why; a
huge cell does not slow the text table; `make demo` and `make test` print only their news.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import time
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef

import kg
from cli import cli
from kg.errors import QueryError
from kg.queries import named_queries, parse_param_value, run_sparql, shortest_path_table
from kg.queries.path import REVERSED
from kg.queries.table import Cell, Table
from kg.render.tables import render
from kg.store import open_store
from kg.store.sparql import bind_with_values
from tests.fixtures import DATA, REPO

MINI = DATA / "mini"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: The README's example: who said it, by the speaker's id, which is not in the SELECT list.
WHO_SAID = "SELECT ?text WHERE { ?q rkg:text ?text ; rkg:spokenBy/dcterms:identifier ?who }"


@pytest.fixture(scope="module")
def mini():
    return open_store(project=MINI)


def sparql(*args: str):
    return CliRunner().invoke(cli, ["sparql", *args, "--project", str(MINI)])


def texts(table) -> list[str]:
    return sorted(r["text"] for r in table.records())


# -- 5. a parameter binds any variable of the query -----------------------------------------------


def test_a_parameter_outside_the_select_list_is_bound(mini):
    assert texts(run_sparql(mini, WHO_SAID, {"who": "II"})) == [
        "Coffee and a greeting by name, every morning.",
        'I say "Hi Carl" to everyone who comes in.',
    ]
    result = sparql(WHO_SAID, "--param", 'who="II"', "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2


def test_the_readme_notebook_example_runs():
    rows = kg.sparql(WHO_SAID.replace("?text", "?t"), project=REPO, who="38")
    assert rows and all(set(row) == {"t"} for row in rows)
    assert any("hand on my shoulder" in row["t"] for row in rows)


def readme_sparql_examples() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return [line.strip() for line in readme.splitlines() if line.startswith("    kg sparql ")]


@pytest.mark.parametrize("example", readme_sparql_examples())
def test_the_readme_sparql_examples_answer_on_the_seed_papers(example):
    args = shlex.split(example)[1:]
    result = CliRunner().invoke(cli, [*args, "--project", str(REPO), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) > 1, f"no answer: {example}"


@pytest.mark.parametrize(
    "value",
    [
        'x" } UNION { ?s ?p ?o } #',
        "x' } UNION { ?s ?p ?o } #",
        'x""" } UNION { ?s ?p ?o } #',
        "II\n} UNION { ?s ?p ?o }",
        'II\\" } UNION { ?s ?p ?o } #',
        "} ?q ?p ?o {",
        "# } UNION { ?s ?p ?o",
        "\\u0022 } UNION { ?s ?p ?o } #",
    ],
)
def test_an_injection_value_outside_the_select_list_matches_nothing(mini, value):
    assert run_sparql(mini, WHO_SAID, {"who": value}).records() == []
    result = sparql(WHO_SAID, "--param", f"who={value}", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_a_value_with_quotes_and_braces_is_matched_exactly(mini):
    text = 'I say "Hi Carl" to everyone who comes in.'
    table = run_sparql(mini, "SELECT ?quote WHERE { ?quote rkg:text ?t }", {"t": text})
    assert [r["quote"] for r in table.records()] == ["q2"]


@pytest.mark.parametrize(
    "iri",
    ["<http://a/b> } UNION { ?s ?p ?o } #>", "<http://a/b>?s ?p ?o>", "<http://a/b c>", '<http://a/"b>', "<x{}>"],
)
def test_an_iri_that_would_close_itself_is_refused(iri):
    result = sparql(WHO_SAID, "--param", f"who={iri}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kg: '{iri}' is not a valid IRI; write <https://...> or prefix:local")


@pytest.mark.parametrize(
    "query",
    [
        # braces, a hash and "?who" in a comment, a string, an IRI-looking text and a SELECT expression
        '# a { comment ?who\nSELECT ?q ("{ ?who #" AS ?s) WHERE { ?q rkg:spokenBy/dcterms:identifier ?who }',
        "SELECT ?q (EXISTS { ?q rkg:page ?p } AS ?paged) WHERE { ?q rkg:spokenBy/dcterms:identifier ?who }",
        "PREFIX ex: <http://example.org/x#>\nSELECT ?q {\n ?q rkg:spokenBy ?s . ?s dcterms:identifier ?who }",
        "SELECT ?q WHERE { ?q rkg:spokenBy ?s . { ?s dcterms:identifier ?who } } ORDER BY ?q",
        "SELECT ?q (COUNT(*) AS ?n) WHERE { ?q rkg:spokenBy/dcterms:identifier ?who } GROUP BY ?q",
        "SELECT ?q WHERE { ?q rkg:spokenBy/dcterms:identifier ?who FILTER(?who != '''a } b''') } VALUES ?q { UNDEF }",
    ],
)
def test_binding_finds_the_where_group_past_strings_comments_and_expressions(mini, query):
    table = run_sparql(mini, query, {"who": "II"})
    assert sorted(r["q"] for r in table.records()) == ["q2", "q4"]


def test_a_variable_a_sub_query_keeps_to_itself_is_not_bound_silently(mini):
    # A VALUES block outside the sub-query would not reach its ?who: every quote would come back.
    hidden = "SELECT ?q WHERE { { SELECT ?q WHERE { ?q rkg:spokenBy/dcterms:identifier ?who } } }"
    with pytest.raises(QueryError, match="parameter 'who' is a variable of a sub-query only; add [?]who to the sub"):
        run_sparql(mini, hidden, {"who": "II"})
    shown = hidden.replace("SELECT ?q WHERE { ?q", "SELECT ?q ?who WHERE { ?q")
    assert sorted(r["q"] for r in run_sparql(mini, shown, {"who": "II"}).records()) == ["q2", "q4"]


def test_a_syntax_error_with_a_parameter_is_placed_in_the_query_as_typed():
    query = "SELECT ?x WHERE { ?q rkg:text ?x FILTR(?who) }"
    result = sparql(query, "--param", "who=1")
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: SPARQL syntax error at line 1, column ")
    assert result.stderr == sparql(query).stderr  # not a column of the query with its VALUES block


def test_a_variable_the_query_sets_itself_cannot_be_bound():
    result = sparql('SELECT ?x ?who WHERE { ?q rkg:text ?x BIND("a" AS ?who) }', "--param", "who=1")
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: the query cannot take the parameters ?who (")
    assert result.stderr.endswith("a variable the query sets itself (BIND(... AS ?x), VALUES) cannot also be bound\n")


def test_a_construct_binds_in_its_where_group_not_its_template(mini):
    query = "CONSTRUCT { ?q rkg:text ?t } WHERE { ?q rkg:text ?t ; rkg:spokenBy/dcterms:identifier ?who }"
    table = run_sparql(mini, query, {"who": "II"})
    assert len(table.rows) == 2


def test_only_the_serialized_term_enters_the_query():
    bound = bind_with_values(WHO_SAID, {"who": ox.Literal('x" } #\n')})
    assert bound == WHO_SAID.replace("WHERE {", 'WHERE { VALUES ?who { "x\\" } #\\n" }')


def test_a_parameter_that_is_no_variable_of_the_query_names_them(mini):
    result = sparql(WHO_SAID, "--param", "speaker=II")
    assert result.exit_code == 2
    assert (
        result.stderr == "kg: parameter 'speaker' is not a variable of the query; its variables are: ?q, ?text, ?who\n"
    )


# -- 6. typed values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", ox.Literal("5", datatype=ox.NamedNode(XSD + "integer"))),
        ("2019", ox.Literal("2019", datatype=ox.NamedNode(XSD + "integer"))),
        ("-3", ox.Literal("-3", datatype=ox.NamedNode(XSD + "integer"))),
        ("1.5", ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal"))),
        ("1e3", ox.Literal("1e3", datatype=ox.NamedNode(XSD + "double"))),
        ("true", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        ('"x"@en', ox.Literal("x", language="en")),
        ('"5"^^xsd:integer', ox.Literal("5", datatype=ox.NamedNode(XSD + "integer"))),
        (f'"2019-03-01"^^<{XSD}date>', ox.Literal("2019-03-01", datatype=ox.NamedNode(XSD + "date"))),
        ('"x"', ox.Literal("x")),
        ('"38"', ox.Literal("38")),
        ('"say "hi""', ox.Literal('say "hi"')),
        ("hello world", ox.Literal("hello world")),
        ("True", ox.Literal("True")),
        ("rkg:Theme", ox.NamedNode("https://w3id.org/recovery-kg#Theme")),
        ("<https://example.org/a>", ox.NamedNode("https://example.org/a")),
    ],
)
def test_a_param_value_is_typed_by_its_form(value, expected):
    assert parse_param_value(value) == expected


def test_a_number_parameter_matches_a_number(mini):
    # Before, p=4 was the string "4" and rkg:page 4 never matched.
    result = sparql("SELECT ?q ?p WHERE { ?q rkg:page ?p }", "--param", "p=4", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "q,p\nq1,4\n"
    assert sparql("SELECT ?q WHERE { ?q rkg:page ?p }", "--param", 'p="4"').stdout == "(no answer)\n"


def test_a_quoted_parameter_is_a_string_and_matches_an_id(mini):
    assert sparql(WHO_SAID, "--param", "who=1").stdout == "(no answer)\n"
    assert "coffee" in sparql(WHO_SAID, "--param", 'who="1"').stdout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"five"^^xsd:integer', "kg: '\"five\"^^xsd:integer': 'five' is not a valid xsd:integer\n"),
        ('"x"^^nope:type', "kg: '\"x\"^^nope:type' has an unknown datatype 'nope:type'; write ^^<IRI> or ^^prefix"),
        ('"x"@en us', "kg: '\"x\"@en us' has an invalid language tag 'en us'; write e.g. \"text\"@en\n"),
    ],
)
def test_a_badly_typed_parameter_is_a_one_line_error(value, message):
    result = sparql(WHO_SAID, "--param", f"who={value}")
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


# -- 7. DESCRIBE is a query; an update is refused --------------------------------------------------


def test_describe_without_braces_is_a_query_not_a_file_name(mini):
    result = sparql("DESCRIBE <https://w3id.org/recovery-kg/id/study/zeta1999>", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("subject,subject_key,predicate,object\n")  # a study's key beside it
    assert "Zeta 1999" in result.stdout


def test_a_query_file_without_the_rq_suffix_is_still_read(tmp_path: Path):
    question = tmp_path / "question.txt"
    question.write_text("SELECT (COUNT(?q) AS ?n) WHERE { ?q a rkg:Quote }", encoding="utf-8")
    result = sparql(str(question), "--format", "csv")
    assert result.stdout == "n\n5\n"


@pytest.mark.parametrize(
    ("update", "word"),
    [
        ("INSERT DATA { <https://a/b> <https://a/c> <https://a/d> }", "INSERT"),
        ("PREFIX ex: <https://a/>\ndelete where { ?s ?p ?o }", "DELETE"),
        ("LOAD <https://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
    ],
)
def test_an_update_says_updates_are_not_accepted(mini, update, word):
    result = sparql(update)
    assert result.exit_code == 2
    assert result.stderr == (
        f"kg: '{word}' starts a SPARQL update, and kg only answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE); "
        "to change the graph, change the input files and run 'kg build'\n"
    )
    with pytest.raises(QueryError, match="starts a SPARQL update"):
        run_sparql(mini, update)


# -- 8. SELECT * keeps the query's order ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "columns"),
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", ["s", "p", "o"]),
        ("select distinct * { ?quote rkg:text ?text ; rkg:spokenBy ?speaker } LIMIT 1", ["quote", "text", "speaker"]),
        ("SELECT * { ?z rkg:page ?page OPTIONAL { ?z rkg:text ?a } BIND(1 AS ?b) }", ["z", "page", "a", "b"]),
    ],
)
def test_select_star_keeps_the_order_of_the_where_clause(mini, query, columns):
    assert run_sparql(mini, query).columns == columns


def test_select_star_with_a_bound_parameter_keeps_the_order(mini):
    table = run_sparql(mini, "SELECT * WHERE { ?q rkg:page ?p ; rkg:text ?t }", {"p": 4})
    assert table.columns == ["q", "p", "t"]
    assert [r["q"] for r in table.records()] == ["q1"]


# -- 9. a path reads from FROM to TO; an empty one says why -----------------------------------------


def _steps(output: str) -> list[list[str]]:
    rows = list(csv.DictReader(io.StringIO(output)))
    return [[row["step"], row["subject"], row["relation"], row["object"]] for row in rows]


def test_path_steps_read_from_from_to_to():
    result = CliRunner().invoke(cli, ["query", "path", "greeting", "zeta", "--project", str(MINI), "--format", "csv"])
    steps = _steps(result.stdout)
    assert steps == [
        ["1", "Greeting by name", "is coded together with", "Talk over coffee"],
        ["2", "Talk over coffee", "is the theme of a passage citing", "Zeta 1999"],
    ]
    back = CliRunner().invoke(cli, ["query", "path", "zeta", "greeting", "--project", str(MINI), "--format", "csv"])
    steps = _steps(back.stdout)
    assert steps == [
        ["1", "Zeta 1999", "is cited about", "Talk over coffee"],
        ["2", "Talk over coffee", "is coded together with", "Greeting by name"],
    ]


def test_every_path_relation_has_its_reverse_wording():
    relations = set(re.findall(r'BIND\("([^"]+)" AS \?relation\)', named_queries()["path"].text))
    assert relations and relations <= set(REVERSED)


def test_path_from_a_node_to_itself_says_so():
    result = CliRunner().invoke(cli, ["query", "path", "coffee-talk", "talk over coffee", "--project", str(MINI)])
    assert result.exit_code == 0
    assert result.stdout == "(no answer)\n"
    assert result.stderr == "kg: FROM and TO are the same node ('Talk over coffee'); there is no chain\n"


def test_path_between_unconnected_nodes_says_so(mini):
    start = ox.NamedNode("https://w3id.org/recovery-kg/id/study/zeta1999")
    end = ox.NamedNode("https://w3id.org/recovery-kg/id/action/coffee")
    no_edges = "SELECT ?a ?relation ?b ?via WHERE { FILTER(false) }"
    table = shortest_path_table(mini, no_edges, start, end)
    assert table.rows == []
    assert table.note == "'Zeta 1999' and 'Offering coffee' are not connected"


# -- 16. a huge cell does not slow the text table ------------------------------------------------------


def test_text_table_of_a_million_word_quote_is_quick():
    table = Table(["quote", "speaker"], [[Cell(" ".join(["word"] * 1_000_000)), Cell("38")]])
    started = time.perf_counter()
    text = render(table, "text", width=80)
    assert time.perf_counter() - started < 2  # it took 15 s when every cell was measured whole
    assert text.splitlines()[2].endswith("…  38")
    assert max(len(line) for line in text.splitlines()) <= 80


# -- 17. `make demo` and `make test` print only their news ---------------------------------------------


def test_make_demo_is_quiet_and_shows_the_whole_headline_answer():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    pip_lines = [line for line in makefile.splitlines() if "pip install" in line]
    assert pip_lines and all(" -qq " in line for line in pip_lines)  # no setuptools banner
    demo = makefile.split("\ndemo:")[1].split("\n\n")[0]
    assert "kg query themes-for-source" in demo and "--format markdown" in demo  # not cut to 80 columns


def test_make_test_shows_no_deprecation_warnings():
    # rdflib's own TriG serializer warns about rdflib's deprecations: filtered, precisely.
    dataset = Dataset()
    dataset.graph(URIRef("https://example.org/g")).add(
        (URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("o"))
    )
    with warnings.catch_warnings(record=True) as caught:
        dataset.serialize(format="trig")
    assert [w for w in caught if issubclass(w.category, DeprecationWarning)] == []
    # A deprecated call of our own (as click's isolated_filesystem was) fails its test.
    with pytest.raises(DeprecationWarning):
        warnings.warn("a deprecated call", DeprecationWarning, stacklevel=1)
