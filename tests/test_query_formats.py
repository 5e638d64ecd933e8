"""Every named query, on every graph file ``kg build`` writes, answers as the project in memory.

A graph file is the store every later stage reads (DESIGN.md), so a query that works on
``--project`` and not on ``--graph out/graph.trig`` is a bug a user meets (issue 13: TriG files
load into a named graph, and name resolution looked only in the default one). The cases below
cover every parameter of every named query and every value of every choice; a new query or
parameter without a case fails ``test_the_cases_cover_every_parameter``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from kg.graph import FORMATS
from kg.queries import named_queries, run_named
from kg.store import open_store, store_from_file
from tests.fixtures import DATA, REPO

MINI = DATA / "mini"

#: (query, parameters) on tests/data/mini, each with a non-empty answer.
CASES: list[tuple[str, dict[str, str]]] = [
    ("sources-for-theme", {"theme": "alpha2020/small"}),
    ("sources-for-theme", {"theme": "little things"}),
    ("themes-for-source", {"study": "zeta1999"}),
    ("themes-for-source", {"study": "knuth"}),
    ("quotes", {}),
    ("quotes", {"theme": "alpha2020/small", "role": "user"}),
    ("quotes", {"role": "professional"}),
    ("quotes", {"action": "coffee"}),
    ("quotes", {"factor": "being seen"}),
    ("quotes", {"study": "gamma2021"}),
    ("quotes", {"speaker": "alpha2020/II"}),
    ("actions", {}),
    ("actions", {"role": "user"}),
    ("actions", {"role": "professional"}),
    ("actions", {"role": "both"}),
    ("theme-by-role", {}),
    ("cooccurrence", {}),
    ("cooccurrence", {"of": "themes"}),
    ("cooccurrence", {"of": "factors"}),
    ("cooccurrence", {"of": "actions"}),
    ("cocitation", {}),
    ("path", {"from": "greeting", "to": "zeta1999"}),
    ("path", {"from": "alpha2020/1", "to": "knuth"}),
]


#: (query, parameters) that the mini fixture has no data for: run on the bundled seed corpus.
SEED_CASES: list[tuple[str, dict[str, str]]] = [
    ("quotes", {"concept": "topor2019ijmha/micro-affirmations"}),
    ("quotes", {"attribution": "marked"}),
    ("quotes", {"attribution": "from-text"}),
    ("quotes", {"attribution": "uncertain"}),
    ("sources-for-concept", {"concept": "working alliance"}),
]


def case_id(case: tuple[str, dict[str, str]]) -> str:
    name, params = case
    return " ".join([name, *(f"{k}={v}" for k, v in params.items())])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mini-out")
    result = CliRunner().invoke(cli, ["build", str(MINI), "--out", str(out), "--format", "all"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def in_memory():
    return open_store(project=MINI)


@pytest.fixture(scope="module")
def stores(built: Path) -> dict:
    return {name: store_from_file(built / f"graph.{fmt.suffix}") for name, fmt in FORMATS.items()}


def test_the_cases_cover_every_parameter():
    every = CASES + SEED_CASES
    covered = {(name, key, value) for name, params in every for key, value in params.items()}
    for name, query in named_queries().items():
        assert any(case[0] == name for case in every), f"no case runs '{name}'"
        for param in query.params:
            assert any(c[0] == name and c[1] == param.name for c in covered), f"no case gives {name} {param.name}"
            for choice in param.choices:
                assert (name, param.name, choice) in covered, f"no case gives {name} --{param.name} {choice}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_cases_have_answers(in_memory, case):
    name, params = case
    assert run_named(in_memory, name, **params).records(), "a case with no answer compares nothing"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_named_query_answers_alike_on_every_format(in_memory, stores, fmt: str, case):
    name, params = case
    expected = run_named(in_memory, name, **params).records(iri=True)
    assert run_named(stores[fmt], name, **params).records(iri=True) == expected


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_themes_for_source_on_a_graph_file_from_the_command_line(built: Path, fmt: str):
    """The report of issue 13, on the fixture: ``--graph out/graph.trig`` answers as ``--project``."""
    runner = CliRunner()
    args = ["query", "themes-for-source", "zeta1999", "--format", "csv"]
    from_project = runner.invoke(cli, [*args, "--project", str(MINI)])
    from_file = runner.invoke(cli, [*args, "--graph", str(built / f"graph.{FORMATS[fmt].suffix}")])
    assert from_project.exit_code == 0, from_project.output
    assert (from_file.exit_code, from_file.output) == (0, from_project.output)
    assert from_file.output.count("\n") == 3  # header and two passages


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled-out")
    result = CliRunner().invoke(cli, ["build", str(REPO), "--out", str(out), "--format", "trig", "--format", "jsonld"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("suffix", ["trig", "jsonld"])
def test_what_borg_2004_is_cited_for_from_a_quad_file(bundled: Path, suffix: str):
    """The exact command of issue 13 (``kg query themes-for-source borg2004 --graph out/graph.trig``)."""
    runner = CliRunner()
    from_file = runner.invoke(
        cli, ["query", "themes-for-source", "borg2004", "--graph", str(bundled / f"graph.{suffix}")]
    )
    from_project = runner.invoke(cli, ["query", "themes-for-source", "borg2004", "--project", str(REPO)])
    assert from_file.exit_code == 0, from_file.output
    assert from_file.output == from_project.output
    assert "c-beyond-expected" in from_file.output


@pytest.fixture(scope="module")
def seed_stores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("seed-out")
    result = CliRunner().invoke(cli, ["build", str(REPO), "--out", str(out), "--format", "all"])
    assert result.exit_code == 0, result.output
    stores = {name: store_from_file(out / f"graph.{fmt.suffix}") for name, fmt in FORMATS.items()}
    return {"memory": open_store(project=REPO), **stores}


@pytest.mark.parametrize("case", SEED_CASES, ids=case_id)
def test_seed_cases_answer_alike_on_every_format(seed_stores: dict, case):
    name, params = case
    expected = run_named(seed_stores["memory"], name, **params).records(iri=True)
    assert expected, "a case with no answer compares nothing"
    for fmt in FORMATS:
        assert run_named(seed_stores[fmt], name, **params).records(iri=True) == expected, fmt
