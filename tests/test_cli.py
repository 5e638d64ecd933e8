"""The CLI's face: version, help with examples, init, and docs that cannot drift."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from cli import cli
from kg.queries import named_queries
from tests.fixtures import DATA, REPO

MINI = DATA / "mini"

COMMANDS = sorted(cli.commands)


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"recovery-kg {kg.__version__}\n"


def help_examples(args: list[str]) -> list[list[str]]:
    """The commands under "Example:" or "Examples:" in a command's help, each split into words
    (``# comments`` dropped, ``a && b`` as two commands, the leading ``kg`` left out)."""
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    block = re.search(r"^ *Examples?:\n((?: +kg .*\n?)+)", result.output, flags=re.M)
    assert block, f"kg {' '.join(args)} --help has no example:\n{result.output}"
    commands = []
    for line in block.group(1).splitlines():
        words = shlex.split(line, comments=True)
        while words:
            part, words = (words[: words.index("&&")], words[words.index("&&") + 1 :]) if "&&" in words else (words, [])
            assert part[0] == "kg", line
            commands.append(part[1:])
    return commands


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the examples assume: the bundled corpus as the current project, a graph built into
    out/, a my-question.rq, and a project my-study (made by ``kg init``)."""
    root = tmp_path_factory.mktemp("examples")
    for folder in ("quotes", "references"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "my-question.rq").write_text("SELECT ?theme WHERE { ?theme a rkg:Theme }\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root / "my-study")]).exit_code == 0
    assert runner.invoke(cli, ["build", str(root), "--out", str(root / "out")]).exit_code == 0
    return root


EXAMPLED = [[command] for command in COMMANDS] + [["query", name] for name in sorted(named_queries())]


@pytest.mark.parametrize("args", EXAMPLED, ids=" ".join)
def test_every_command_has_help_with_an_example(
    args: list[str], workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
):
    """Each example in a command's help runs (exit 0) where it says: in a project folder (and
    kg publish against a real Oxigraph server, in place of the one on localhost:7878)."""
    examples = help_examples(args)
    assert examples
    if args == ["publish"]:
        server = request.getfixturevalue("oxigraph_server").store_url
        examples = [[word.replace("http://localhost:7878/store", server) for word in ex] for ex in examples]
    # kg init wants a folder that does not exist yet; everything else runs in the shared workspace.
    monkeypatch.chdir(tmp_path if args == ["init"] else workspace)
    runner = CliRunner()
    for example in examples:
        result = runner.invoke(cli, example)
        assert result.exit_code == 0, f"kg {shlex.join(example)}: {result.output}"
        assert result.output.strip(), shlex.join(example)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`kg {command}\b", readme), f"kg {command} is not documented in README.md"


def test_readme_starts_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^    (make \w+)", readme, flags=re.M) or re.findall(r"^(make \w+)$", readme, flags=re.M)
    assert commands[:2] == ["make demo", "make test"]


def test_readme_documents_every_exit_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in kg.ExitStatus:
        assert re.search(rf"^\| {int(code)} \|", readme, flags=re.M), code


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_init_makes_a_project_that_builds_cleanly(tmp_path: Path):
    target = tmp_path / "my-study"
    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(target)])
    assert made.exit_code == 0, made.output
    assert (target / "quotes" / "example.yaml").is_file()
    assert (target / "references" / "references.bib").is_file()
    built = runner.invoke(cli, ["build", str(target)])
    assert built.exit_code == 0, built.output
    assert built.stderr == ""  # no warnings: every declaration is used, every entry cited
    assert "1 quote," in built.output
    assert (target / "out" / "graph.ttl").is_file()
    validated = runner.invoke(cli, ["validate", str(target)])
    assert validated.exit_code == 0


def test_init_refuses_a_folder_with_files(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "already exists and is not an empty folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_build_prints_paths_relative_to_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    runner.invoke(cli, ["init", "p"])
    result = runner.invoke(cli, ["build", "p", "--format", "ntriples"])
    assert result.exit_code == 0
    assert result.output.startswith("wrote p/out/graph.nt\n")


def test_unknown_format_is_a_usage_error():
    result = CliRunner().invoke(cli, ["build", ".", "--format", "rdfxml"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_has_help_with_an_example(name: str):
    result = CliRunner().invoke(cli, ["query", name, "--help"])
    assert result.exit_code == 0
    assert f"Example:\n    kg query {name}" in result.output


# -- issue 7 item 15: consistent commands and messages --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["stats"],
        ["matrix"],
        ["bib"],
        ["review"],
    ],
)
def test_stats_and_the_writers_kit_take_project_as_an_argument_too(args):
    by_option = CliRunner().invoke(cli, [*args, "--project", str(MINI)])
    by_argument = CliRunner().invoke(cli, [*args, str(MINI)])
    assert by_argument.exit_code == 0, by_argument.output
    assert by_argument.output == by_option.output


def test_map_and_export_take_project_as_an_argument_too(tmp_path: Path):
    for args in (
        ["map", "--out", str(tmp_path / "m.html")],
        ["export", "--format", "graphml", "--out", str(tmp_path / "g.graphml")],
    ):
        result = CliRunner().invoke(cli, [args[0], str(MINI), *args[1:]])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "m.html").is_file() and (tmp_path / "g.graphml").is_file()


def test_build_and_validate_take_project_as_an_option_too(tmp_path: Path):
    built = CliRunner().invoke(cli, ["build", "--project", str(MINI), "--out", str(tmp_path)])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "graph.ttl").is_file()
    validated = CliRunner().invoke(cli, ["validate", "--project", str(MINI)])
    assert validated.exit_code == 0, validated.output


def test_project_given_twice_differently_is_a_usage_error():
    result = CliRunner().invoke(cli, ["stats", str(MINI), "--project", str(REPO)])
    assert result.exit_code == 2
    assert f"give the project once: PROJECT '{MINI}' or --project '{REPO}', not both" in result.stderr
    same = CliRunner().invoke(cli, ["validate", str(MINI), "--project", str(MINI)])
    assert same.exit_code == 0, same.output


def test_build_summary_says_1_professional_not_1_professionals(tmp_path: Path):
    # The mini corpus by hand: participants 1, II, A and an unidentified user: users 1, A and the
    # unidentified one (3), professional II (1); themes small, coffee-talk, little-things.
    result = CliRunner().invoke(cli, ["build", str(MINI), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[-1]
    assert "3 service users, 1 professional, 3 themes, 0 concepts," in summary
    assert "1 professionals" not in summary


def test_markdown_table_shows_html_in_a_value_as_text():
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script> & &lt;b&gt;" AS ?x) }'
    result = CliRunner().invoke(cli, ["sparql", query, "--project", str(MINI), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    # Rendered, the cell reads exactly the value: "<script>alert(1)</script> & &lt;b&gt;".
    assert result.stdout.splitlines()[-1] == "| &lt;script&gt;alert(1)&lt;/script&gt; & &amp;lt;b&amp;gt; |"


def test_messages_about_a_whole_file_have_a_subject(tmp_path: Path):
    root = tmp_path / "proj"
    shutil.copytree(MINI, root)
    (root / "quotes" / "empty.yaml").write_text("")
    (root / "quotes" / "tabs.yaml").write_text("study: alpha2020\n\tthemes: []\n")
    (root / "references" / "broken.bib").write_text("@book{broken,\n  title = {x\n")
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 2
    assert f"{root}/quotes/empty.yaml:1: error: the file is empty; start it with" in result.stderr
    assert f"{root}/quotes/tabs.yaml:2: error: the file is not valid YAML: found a tab character" in result.stderr
    assert "; indent with spaces: YAML does not allow tabs\n" in result.stderr
    assert f"{root}/references/broken.bib:1: error: @book entry 'broken' cannot be parsed: " in result.stderr


def test_a_hint_names_the_projects_folders_as_the_location_does(tmp_path: Path):
    root = tmp_path / "proj"
    shutil.copytree(MINI, root)
    path = root / "quotes" / "gamma2021.yaml"
    path.write_text(path.read_text().replace("cites: [zeta1999,", "cites: [zeta1998,"))
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 2
    assert (
        f"{root}/quotes/gamma2021.yaml:18: error: unknown citation key 'zeta1998' in citation 'c-book'; "
        f"did you mean 'zeta1999'? add the entry to {root}/references/*.bib or fix the key\n"
    ) in result.stderr


def test_an_unknown_key_asks_did_you_mean(tmp_path: Path):
    root = tmp_path / "proj"
    shutil.copytree(MINI, root)
    path = root / "quotes" / "gamma2021.yaml"
    path.write_text(path.read_text().replace("participants:", "particpants:"))
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 2
    assert "error: unknown key 'particpants' in the file; did you mean 'participants'? the keys allowed are: " in (
        result.stderr
    )
