"""Survivors of the mutmut runs of issue 13 (tests/MUTATION.md): one named test for each that a
user would meet. tests/test_survivors.py holds those of the hand-made run and the first mutmut run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from cli import cli
from kg.errors import ProjectError, QueryError
from kg.graph.iris import Minter
from kg.ingest.bibtex import load_bibtex
from kg.ingest.latex import _make_decoder, month_number
from kg.model import Person
from kg.queries.named import expand_curie, keep_lines_if, parse_named_query
from kg.queries.run import param_term
from kg.vocab import DEFAULT_BASE, RKG
from tests.fixtures import edit


def build(root: Path):
    return CliRunner().invoke(cli, ["build", str(root)])


def messages(result, kind: str = "error") -> list[str]:
    """The error (or warning) lines of a run, paths shown relative to the project."""
    lines = [line for line in result.stderr.splitlines() if f": {kind}: " in line]
    return [re.sub(r"\S*/proj/", "", line) for line in lines]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# -- kg.graph.iris --------------------------------------------------------------------------------


def test_every_other_kind_of_iri_has_its_documented_shape():
    """README's IRIs of the kinds test_every_kind_of_iri_has_its_documented_shape leaves out: a
    book, a series, editors, concepts, a qualified citation and a QDA project's selections, source
    documents and coders. A changed segment changes every published IRI of that kind."""
    mint = Minter("https://example.org/kg/")
    assert [
        mint.editors("k"),
        mint.container("k", "book"),
        mint.series("Lecture Notes"),
        mint.concepts("k"),
        mint.concept("k", "c"),
        mint.qualified_citation("k", "c1", "borg2004"),
        mint.selection("k", "q"),
        mint.position("k", "q"),
        mint.document("k", "interview 1"),
        mint.coder("Ann"),
    ] == [
        URIRef("https://example.org/kg/" + tail)
        for tail in (
            "study/k/editors",
            "study/k/book",
            "series/Lecture%20Notes",
            "study/k/concepts",
            "study/k/concept/c",
            "study/k/citation/c1/cites/borg2004",
            "study/k/quote/q/selection",
            "study/k/quote/q/selection/position",
            "study/k/document/interview%201",
            "coder/Ann",
        )
    ]


@pytest.mark.parametrize(
    "base",
    [
        "http://example.org/kg/",
        "https://example.org/kg/",
        "https://example.org/kg#",
        "https://example.org/",
        "https://X.org/X/",
    ],
)
def test_a_usable_base_iri_is_kept_as_given(base: str):
    assert Minter(base).study("k") == URIRef(base + "study/k")


@pytest.mark.parametrize(
    "base",
    [
        "ftp://example.org/kg/",  # not http(s)
        "example.org/kg/",  # relative
        "https:///kg/",  # no host
        "https://example.org/kg",  # would glue 'kgstudy/...'
        "urn:example:kg/",
    ],
)
def test_a_base_iri_that_is_not_absolute_http_ending_in_a_slash_is_refused(base: str):
    with pytest.raises(ProjectError) as raised:
        Minter(base)
    assert str(raised.value) == (
        f"base IRI '{base}' is not usable; give an absolute http(s) IRI that ends in '/', such as {DEFAULT_BASE}"
    )


@pytest.mark.parametrize("char", list(' <>"{}|\\^`'))
def test_a_base_iri_holding_a_character_an_iri_cannot_hold_is_refused(char: str):
    base = f"https://example.org/a{char}b/"
    with pytest.raises(ProjectError) as raised:
        Minter(base)
    assert str(raised.value) == f"base IRI '{base}' holds a character not allowed in an IRI; percent-encode it"


# -- kg.check -------------------------------------------------------------------------------------


def test_an_unknown_id_close_to_two_ids_suggests_both_in_order(project: Path):
    """'smal' is close to 'small' and to 'smalls': the hint names both, the closest first, apart."""
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(alpha, "  - id: coffee-talk\n", "  - id: smalls\n    label: Smalls\n  - id: coffee-talk\n")
    edit(
        alpha,
        "    themes: [coffee-talk]\n    actions: [coffee]\n    factors",
        "    themes: [smal]\n    actions: [coffee]\n    factors",
    )
    result = build(project)
    assert result.exit_code == 2, result.output
    assert messages(result) == [
        f"quotes/alpha2020.yaml:{line_of(alpha, '[smal]')}: error: unknown theme 'smal' in quote 'q1'; "
        "did you mean 'small', 'smalls'? declare it under themes: or fix the id"
    ]


def test_a_factor_and_an_action_nothing_uses_are_warned_with_what_to_do(project: Path):
    alpha = project / "quotes" / "alpha2020.yaml"
    edit(alpha, "  - {id: trust, label: Trust}\n", "  - {id: trust, label: Trust}\n  - {id: hope, label: Hope}\n")
    edit(
        alpha,
        "  - id: greeting\n",
        "  - id: walk\n    label: A walk together\n    kind: deed\n    by: professional\n    supports: [trust]\n"
        "  - id: greeting\n",
    )
    result = build(project)
    assert result.exit_code == 0, result.output
    assert messages(result, "warning") == [
        f"quotes/alpha2020.yaml:{line_of(alpha, 'id: hope')}: warning: factor 'hope' is used by no quote or action; "
        "remove it, or use it",
        f"quotes/alpha2020.yaml:{line_of(alpha, 'id: walk')}: warning: action 'walk' is described by no quote; "
        "remove it, or code a quote with it",
    ]


# -- kg.ingest.latex ------------------------------------------------------------------------------


def test_the_latex_decoder_reads_bibtex_macros_as_documented():
    """The decoder kg builds once, at import (so mutmut, which forks after the import, needs this
    test to see it): quotes, citations, URLs, a bare &, sort-key tricks, logos and font switches."""
    decoder, parse_db = _make_decoder()

    def decode(text: str) -> str:
        return decoder.latex_to_text(text, latex_context=parse_db)

    assert decode(r"\enquote{Um keinen Kranz}") == "“Um keinen Kranz”"
    assert decode(r"\enquote*{Um keinen Kranz}") == "“Um keinen Kranz”"
    assert decode(r"\mkbibquote{q}") == "“q”"
    assert decode(r"\cite{k}") == "[k]"
    assert decode(r"\url{http://x.org/~me/a_b}") == "http://x.org/~me/a_b"
    assert decode("Drugs & Alcohol") == "Drugs & Alcohol"
    assert decode(r"{\noopsort{1973b}}1973") == "1973"
    assert decode(r"\VAX{} and \it x") == "VAX and x"
    assert decode(r"\mbox{G-Animal's} \textcolor{red}{x}") == "G-Animal's x"
    assert decode(r"\LaTeXe, p.~5\psq") == "LaTeX2ε, p.\xa05 sq."
    assert decode(r"$x^2$ and $\alpha$") == "x^2 and α"


def test_a_crossref_child_without_translator_has_its_parents_translators(tmp_path: Path):
    """As with authors and editors (tests/test_survivors.py), a chapter of a translated book is
    translated by the book's translators, as people, not only as the field's text."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@book{foucault1980,\n  title = {Power/Knowledge}, author = {Foucault, Michel},\n"
        "  translator = {Gordon, Colin and Marshall, Leo}, year = {1980}, publisher = {Pantheon}\n}\n"
        "@inbook{lectures1980,\n  title = {Two Lectures}, crossref = {foucault1980}, pages = {78--108}\n}\n",
        encoding="utf-8",
    )
    refs, problems = load_bibtex([bib], tmp_path)
    assert [p for p in problems if p.is_error] == []
    assert refs["lectures1980"].translators == [Person("Gordon", "Colin"), Person("Marshall", "Leo")]
    assert refs["lectures1980"].translators == refs["foucault1980"].translators


# -- kg.queries.run -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["<not an iri>", "<>x>"])
def test_a_python_parameter_that_is_a_bad_iri_is_named_in_the_error(value: str):
    """run_sparql(store, text, {"x": "<...>"}) from Python: the error quotes the value given."""
    with pytest.raises(QueryError) as raised:
        param_term(value)
    assert str(raised.value) == f"'{value}' is not a valid IRI; write <https://...> or prefix:local"


@pytest.mark.parametrize(("month", "number"), [("1", "1"), ("01", "1"), ("12", "12"), ("0", "0"), ("13", "13")])
def test_january_given_as_a_number_is_month_one(month: str, number: str):
    """`month = 1` and `month = {01}` are January; 0 and 13 are no month and stay as written."""
    assert month_number(month) == number


# -- kg.queries.named -----------------------------------------------------------------------------


def test_a_named_query_someone_adds_reads_its_summary_and_dashed_parameters(tmp_path: Path):
    """A query someone adds with `# option speaker-role (...)` binds ?speaker_role (SPARQL names
    cannot hold '-'), unless the line names its variable with `-> VAR`."""
    path = tmp_path / "by-role.rq"
    path.write_text(
        "# by-role: quotes by role,\n"
        "#   over two lines\n"
        "# option speaker-role (user|professional): whose quotes\n"
        "# option in-study (study) -> study: which study\n"
        "# arg theme (theme): the theme\n"
        "#   (an indented line after the options is not the summary's)\n"
        "SELECT ?quote WHERE { ?quote a rkg:Quote }\n",
        encoding="utf-8",
    )
    query = parse_named_query(path)
    assert [(p.name, p.variable, p.positional, p.help) for p in query.params] == [
        ("speaker_role", "speaker_role", False, "whose quotes"),
        ("in_study", "study", False, "which study"),
        ("theme", "theme", True, "the theme"),
    ]
    # Its summary is the header's text whole, with its indented next line; with no '# run:' or
    # '# example:' line it has neither.
    assert (query.name, query.summary, query.run, query.example) == (
        "by-role",
        "quotes by role, over two lines",
        "",
        "",
    )


def test_a_named_query_with_an_unknown_parameter_kind_names_the_file_and_the_kind(tmp_path: Path):
    path = tmp_path / "odd.rq"
    path.write_text("# odd: a query\n# option size (number): how many\nSELECT * WHERE {}\n", encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        parse_named_query(path)
    assert str(raised.value) == "odd.rq: unknown parameter kind 'number'"


def test_a_named_query_without_its_header_line_says_what_to_write(tmp_path: Path):
    path = tmp_path / "bare.rq"
    path.write_text("# a query about themes\nSELECT * WHERE {}\n", encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        parse_named_query(path)
    assert str(raised.value) == "bare.rq has no '# bare: ...' header line"


def test_a_condition_on_a_dashed_option_keeps_its_lines_when_given():
    """`#if speaker-role=user` in a query is met by the option speaker-role (given as speaker_role)."""
    text = "SELECT ?q WHERE {\n  ?q rkg:spokenBy ?s .  #if speaker-role=user\n}"
    assert keep_lines_if(text, {"speaker_role": "user"}) == text
    assert keep_lines_if(text, {}) == "SELECT ?q WHERE {\n}"


def test_a_curie_splits_at_its_first_colon_and_an_unknown_prefix_is_named():
    assert expand_curie("rkg:a:b") == str(RKG) + "a:b"
    with pytest.raises(ValueError) as raised:
        expand_curie("nope:x")
    assert str(raised.value) == "unknown prefix in 'nope:x'"
