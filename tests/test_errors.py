"""Bad input: every kind gets a message naming the file, the line, the value and what to do.

Each test copies the small fixture project, breaks one thing, and runs `kg build` in-process.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from tests.fixtures import DATA, edit

MINI = DATA / "mini"


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def build(root: Path, *args: str):
    result = CliRunner().invoke(cli, ["build", str(root), *args])
    return result


def assert_bad_input(result, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"


def test_fixture_project_builds(project: Path):
    result = build(project)
    assert result.exit_code == 0, result.output
    assert (project / "out" / "graph.ttl").is_file()


def test_malformed_yaml_names_file_and_line(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, "    text: She offered me coffee and we talked.", "    text: [unclosed")
    opened = line_of(path, "[unclosed")
    result = build(project)
    # The parser notices on the next line; the message says where the bracket was opened.
    assert_bad_input(
        result,
        f"{project}/quotes/alpha2020.yaml:{opened + 1}: error: the file is not valid YAML: did not find "
        f"expected ',' or ']' (while parsing a flow sequence that starts at line {opened}); "
        "fix the YAML syntax at that line",
    )
    # What alpha2020.yaml declares is unknown, so gamma2021.yaml's uses of it are not errors too.
    assert "kg: 1 error in the input" in result.stderr


def test_duplicate_mapping_key_is_refused(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, "    factors: [trust]\n    page: 4", "    factors: [trust]\n    page: 4\n    page: 5")
    line = line_of(path, "page: 5")
    first = line_of(path, "page: 4")
    result = build(project)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{line}: error: duplicate key 'page' in quote 'q1' "
        f"(first at line {first}); keep one of them",
    )


def test_duplicate_quote_id(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, "  - id: q2\n", "  - id: q1\n")
    lines = [n for n, text in enumerate(path.read_text().splitlines(), 1) if text.strip() == "- id: q1"]
    result = build(project)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{lines[1]}: error: quote id 'q1' is declared twice in "
        f"study 'alpha2020'; the first is at {project}/quotes/alpha2020.yaml:{lines[0]}",
    )


def test_factor_declared_in_two_files(project: Path):
    path = project / "quotes" / "gamma2021.yaml"
    edit(path, "quotes:\n", "factors:\n  - {id: trust, label: Trust again}\nquotes:\n")
    line = line_of(path, "Trust again")
    first = line_of(project / "quotes" / "alpha2020.yaml", "{id: trust")
    result = build(project)
    assert_bad_input(
        result,
        f"quotes/gamma2021.yaml:{line}: error: factor id 'trust' is declared twice in "
        f"the corpus; the first is at {project}/quotes/alpha2020.yaml:{first}",
    )


#: Unknown ids: (text to replace, replacement, text on the bad line, message after "error: ").
UNKNOWN_IDS = [
    (
        "    themes: [coffee-talk]",
        "    themes: [cofee-talk]",
        "cofee-talk",
        "unknown theme 'cofee-talk' in quote 'q1'; did you mean 'coffee-talk'? declare it under themes: or fix the id",
    ),
    (
        "    actions: [coffee]\n    factors: [trust]\n    page",
        "    actions: [cofee]\n    factors: [trust]\n    page",
        "[cofee]",
        "unknown action 'cofee' in quote 'q1'; did you mean 'coffee'?",
    ),
    (
        "    factors: [being-seen]\n",
        "    factors: [being-heard]\n",
        "being-heard",
        "unknown factor 'being-heard' in quote 'q2'",
    ),
    (
        "    speaker: II",
        "    speaker: III",
        "speaker: III",
        "unknown speaker 'III' in quote 'q2'; did you mean 'II'? declare it under participants: or fix the id",
    ),
    (
        "    cites: [gamma2021,",
        "    cites: [gamma2012,",
        "gamma2012",
        "unknown citation key 'gamma2012' in citation 'c1'; did you mean 'gamma2021'? add the entry to "
        "references/*.bib or fix the key",
    ),
    ("    broader: small", "    broader: smal", "broader: smal", "unknown broader theme 'smal' in theme 'coffee-talk'"),
    ("    supports: [trust]", "    supports: [trusted]", "[trusted]", "unknown factor 'trusted' in action 'coffee'"),
]

#: Missing, empty and wrongly typed fields, in the same form.
BAD_FIELDS = [
    ("    text: Someone remembered my name.", '    text: ""', 'text: ""', "'text' of quote 'q3' is empty"),
    ("    label: Talk over coffee\n", "", "- id: coffee-talk", "theme 'coffee-talk' has no 'label'; add 'label:'"),
    (
        "  - {id: II, role: professional}",
        "  - {id: II, role: nurse}",
        "role: nurse",
        "'role' of participant 'II' is 'nurse'; use one of: user, professional",
    ),
    (
        "    kind: deed",
        "    kind: act",
        "kind: act",
        "'kind' of action 'coffee' is 'act'; use one of: gesture, words, deed",
    ),
    (
        "    themes: [small]\n    actions: [greeting]\n    factors",
        "    themes: small\n    actions: [greeting]\n    factors",
        "themes: small",
        "'themes' of quote 'q2' should be a list, found 'small'; write themes: [small]",
    ),
    (
        "    role: user\n    text: Someone",
        "    text: Someone",
        "- id: q3",
        "quote 'q3' has neither 'speaker' nor 'role'",
    ),
    (
        "quotes:\n",
        "qoutes:\n",
        "qoutes:",
        "unknown key 'qoutes' in the file; did you mean 'quotes'? the keys allowed are:",
    ),
]


@pytest.mark.parametrize(("old", "new", "needle", "message"), UNKNOWN_IDS + BAD_FIELDS)
def test_bad_value_names_file_and_line(project: Path, old: str, new: str, needle: str, message: str):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, old, new)
    result = build(project)
    message = message.replace("references/", f"{project}/references/")  # paths in a message: one style
    assert_bad_input(result, f"quotes/alpha2020.yaml:{line_of(path, needle)}: error: {message}")


def test_unknown_match_theme(project: Path):
    path = project / "quotes" / "gamma2021.yaml"
    edit(path, "matches: [alpha2020/small]", "matches: [alpha2020/smal]")
    result = build(project)
    assert_bad_input(
        result,
        f"quotes/gamma2021.yaml:{line_of(path, 'alpha2020/smal')}: error: match "
        "'alpha2020/smal' of theme 'little-things': study 'alpha2020' has no theme or concept 'smal'",
    )


def test_study_missing_from_bibtex(project: Path):
    path = project / "quotes" / "gamma2021.yaml"
    edit(path, "study: gamma2021", "study: gamma2022")
    result = build(project)
    assert_bad_input(
        result,
        "quotes/gamma2021.yaml:1: error: study 'gamma2022' is not a key in the BibTeX; did you mean 'gamma2021'?",
    )


def test_speaker_role_mismatch(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, "    speaker: II\n", "    speaker: II\n    role: user\n")
    result = build(project)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{line_of(path, '- id: q2')}: error: quote 'q2' says role "
        "'user' but its speaker 'II' is a professional",
    )


def test_malformed_bibtex_names_file_line_and_key(project: Path):
    path = project / "references" / "mini.bib"
    edit(path, "@book{zeta1999,\n  author = {Zeta, Zoe},", "@book{zeta1999,\n  author = {Zeta, Zoe,")
    result = build(project)
    assert result.exit_code == 2
    line = line_of(path, "@book{zeta1999")
    assert f"references/mini.bib:{line}: error: @book entry 'zeta1999' cannot be parsed: " in result.stderr
    assert "check its braces, quotes, commas and = signs" in result.stderr


def test_duplicate_bibtex_key_across_files(project: Path):
    (project / "references" / "more.bib").write_text(
        "@article{alpha2020,\n  author = {Alpha, Ann},\n  title = {Again},\n  year = {2020}\n}\n", encoding="utf-8"
    )
    result = build(project)
    assert_bad_input(
        result,
        "references/more.bib:1: error: duplicate key 'alpha2020': also at references/mini.bib:2; "
        "rename or delete one of the two entries",
    )


def test_every_error_of_a_run_is_reported_at_once(project: Path):
    alpha = project / "quotes" / "alpha2020.yaml"
    gamma = project / "quotes" / "gamma2021.yaml"
    edit(alpha, "    themes: [coffee-talk]", "    themes: [nope]")
    edit(alpha, "    speaker: II", "    speaker: III")
    edit(gamma, "cites: [zeta1999, alpha2020]", "cites: [zeta1998, alpha2020]")
    result = build(project)
    assert_bad_input(
        result,
        "unknown theme 'nope'",
        "unknown speaker 'III'",
        "unknown citation key 'zeta1998'",
        "kg: 3 errors in the input; nothing was written",
    )


def test_bad_input_writes_nothing_and_keeps_earlier_output(project: Path):
    assert build(project).exit_code == 0
    out = project / "out" / "graph.ttl"
    before = out.read_bytes()
    inputs = {p: p.read_bytes() for p in project.rglob("*.yaml")}
    edit(project / "quotes" / "alpha2020.yaml", "    themes: [coffee-talk]", "    themes: [nope]")
    inputs[project / "quotes" / "alpha2020.yaml"] = (project / "quotes" / "alpha2020.yaml").read_bytes()
    result = build(project, "--format", "all")
    assert result.exit_code == 2
    assert out.read_bytes() == before
    assert sorted(p.name for p in (project / "out").iterdir() if not p.name.startswith(".")) == [
        "graph.ttl",
        "literature-map.svg",
        "map.html",
        "matrix.md",
        "ontology.ttl",
        "review.md",
    ]
    assert {p: p.read_bytes() for p in project.rglob("*.yaml")} == inputs


def test_traceback_only_on_request(project: Path):
    edit(project / "quotes" / "alpha2020.yaml", "    themes: [coffee-talk]", "    themes: [nope]")
    quiet = CliRunner().invoke(cli, ["build", str(project)])
    assert quiet.exit_code == 2 and "Traceback" not in quiet.output
    loud = CliRunner().invoke(cli, ["--traceback", "build", str(project)])
    assert loud.exit_code != 0
    assert loud.exc_info is not None and type(loud.exc_info[1]).__name__ == "InputError"


def test_unused_declarations_and_uncited_entries_are_warnings(project: Path):
    edit(project / "quotes" / "alpha2020.yaml", "factors:\n", "factors:\n  - {id: unused-factor, label: Unused}\n")
    with (project / "references" / "mini.bib").open("a", encoding="utf-8") as bib:
        bib.write("@misc{lonely2000, author = {Lonely, Lou}, title = {Nobody cites me}, year = {2000}}\n")
    result = build(project)
    assert result.exit_code == 0, result.output
    assert "warning: factor 'unused-factor' is used by no quote or action" in result.stderr
    assert "warning: BibTeX entry 'lonely2000' is cited by no citation" in result.stderr


def test_not_a_project(tmp_path: Path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a recovery-kg project: it has no quotes/ or references/ folder" in result.stderr
    missing = CliRunner().invoke(cli, ["build", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_not_utf8(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    path.write_bytes(path.read_bytes().replace(b"She offered", b"She \xff offered"))
    line = line_of_bytes(path, b"\xff")
    result = build(project)
    assert_bad_input(result, f"quotes/alpha2020.yaml:{line}: error: the file is not UTF-8 text")


def line_of_bytes(path: Path, needle: bytes) -> int:
    data = path.read_bytes()
    return data[: data.index(needle)].count(b"\n") + 1


# -- concepts, the interviewer's question and attribution (issue 10 items 2 and 3) ---------------

#: A concept block for alpha2020.yaml, between its themes and its factors, and q2 coded with it.
CONCEPTS = (
    "concepts:\n  - id: alliance\n    label: Working alliance\n    definition: A concept the paper names.\nfactors:\n"
)


@pytest.fixture
def with_concept(project: Path) -> Path:
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, "factors:\n", CONCEPTS)
    edit(
        path,
        "    themes: [small]\n    actions: [greeting]\n",
        "    themes: [small]\n    concepts: [alliance]\n    actions: [greeting]\n",
    )
    return project


def test_concepts_prompts_and_attributions_build(with_concept: Path):
    path = with_concept / "quotes" / "alpha2020.yaml"
    edit(
        path, "    speaker: II\n", '    speaker: II\n    attribution: marked\n    prompt: "How do you greet people?"\n'
    )
    result = build(with_concept)
    assert result.exit_code == 0, result.output
    assert "1 concept," in result.output and "warning" not in result.stderr


def test_unknown_concept_names_file_line_and_closest(with_concept: Path):
    path = with_concept / "quotes" / "alpha2020.yaml"
    edit(path, "    concepts: [alliance]", "    concepts: [aliance]")
    result = build(with_concept)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{line_of(path, '[aliance]')}: error: unknown concept 'aliance' in quote 'q2'; "
        "did you mean 'alliance'? declare it under concepts: or fix the id",
    )


def test_a_theme_under_concepts_says_where_it_belongs(with_concept: Path):
    path = with_concept / "quotes" / "alpha2020.yaml"
    edit(path, "    concepts: [alliance]", "    concepts: [small]")
    result = build(with_concept)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{line_of(path, 'concepts: [small]')}: error: unknown concept 'small' in quote "
        "'q2'; 'small' is a theme of this study: list it under themes:, not concepts:",
    )


def test_a_concept_id_that_is_a_theme_id_is_refused(with_concept: Path):
    path = with_concept / "quotes" / "alpha2020.yaml"
    edit(path, "  - id: alliance\n", "  - id: small\n")
    edit(path, "    concepts: [alliance]", "    concepts: [small]")
    theme = line_of(path, "- id: small")
    concept = [n for n, text in enumerate(path.read_text().splitlines(), 1) if text == "  - id: small"][1]
    result = build(with_concept)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{concept}: error: concept id 'small' is also a theme id in study 'alpha2020' "
        f"(the theme is at quotes/alpha2020.yaml:{theme}); a concept the paper names is not a theme of its "
        "analysis: keep one of them, or rename the concept",
    )


def test_duplicate_concept(with_concept: Path):
    path = with_concept / "quotes" / "alpha2020.yaml"
    edit(path, "factors:\n", "  - {id: alliance, label: Again}\nfactors:\n")
    result = build(with_concept)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{line_of(path, 'label: Again')}: error: concept id 'alliance' is declared twice "
        f"in study 'alpha2020'; the first is at {with_concept}/quotes/alpha2020.yaml:{line_of(path, '- id: alliance')}",
    )


def test_unused_concept_is_a_warning(with_concept: Path):
    path = with_concept / "quotes" / "alpha2020.yaml"
    edit(path, "factors:\n", "  - {id: lonely, label: Lonely}\nfactors:\n")
    result = build(with_concept)
    assert result.exit_code == 0, result.output
    assert (
        f"quotes/alpha2020.yaml:{line_of(path, 'label: Lonely')}: warning: concept 'lonely' is used by no quote "
        "or citation; remove it, or list it in the 'concepts:' of a quote or citation"
    ) in result.stderr


def test_a_match_may_name_a_concept_of_another_study(with_concept: Path):
    edit(with_concept / "quotes" / "gamma2021.yaml", "matches: [alpha2020/small]", "matches: [alpha2020/alliance]")
    result = build(with_concept)
    assert result.exit_code == 0, result.output
    graph = (with_concept / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "skos:closeMatch <https://w3id.org/recovery-kg/id/study/alpha2020/concept/alliance>" in graph


def test_bad_attribution_names_the_value_and_the_choices(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, '    speaker: "1"\n', '    speaker: "1"\n    attribution: printed\n')
    result = build(project)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{line_of(path, 'attribution: printed')}: error: 'attribution' of quote 'q1' is "
        "'printed'; use one of: marked, from-text, uncertain (marked: the paper prints the speaker's id after "
        "the quote; from-text: the prose around it names the speaker; uncertain: neither)",
    )


def test_marked_attribution_needs_a_speaker(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    edit(path, "    role: user\n    text: Someone", "    role: user\n    attribution: marked\n    text: Someone")
    result = build(project)
    assert_bad_input(
        result,
        f"quotes/alpha2020.yaml:{line_of(path, '- id: q3')}: error: quote 'q3' has 'attribution: marked' but no "
        "speaker; give the id the paper prints after the quote as 'speaker:', or use 'attribution: from-text' "
        "or 'uncertain'",
    )


def test_concept_errors_come_all_at_once(with_concept: Path):
    path = with_concept / "quotes" / "alpha2020.yaml"
    edit(path, "    concepts: [alliance]", "    concepts: [nope]")
    edit(path, '    speaker: "1"\n', '    speaker: "1"\n    attribution: maybe\n    prompt: ""\n')
    edit(
        path,
        'Knuth74"]\n    themes: [small]\n',
        'Knuth74"]\n    themes: [small]\n    concepts: [alliance, also-nope]\n',
    )
    result = build(with_concept)
    assert_bad_input(
        result,
        "unknown concept 'nope' in quote 'q2'",
        "unknown concept 'also-nope' in citation 'c1'",
        "'attribution' of quote 'q1' is 'maybe'",
        "'prompt' of quote 'q1' is empty",
        "kg: 4 errors in the input; nothing was written",
    )
