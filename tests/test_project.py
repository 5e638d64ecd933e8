"""A project on disk: which files are read, by which reader, and how outputs are written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import RDF

import kg
from cli import cli
from kg.files import write_atomically
from kg.ingest import KINDS, read_inputs
from kg.model import PartialCorpus
from kg.vocab import RKG
from tests.fixtures import DATA

MINI = DATA / "mini"


def test_a_file_no_reader_knows_is_a_warning_naming_it(project: Path):
    (project / "quotes" / "interviews.nvp").write_bytes(b"PK\x03\x04")  # NVivo's own format
    (project / "references" / "library.enl").write_bytes(b"EndNote library")
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 0, result.output
    assert f"{project}/quotes/interviews.nvp: warning: no reader for '.nvp' files, so it was not read" in (
        result.stderr
    )
    assert f"{project}/references/library.enl: warning: no reader for '.enl' files" in result.stderr


def test_hidden_and_backup_files_are_not_inputs(project: Path):
    alpha = (project / "quotes" / "alpha2020.yaml").read_bytes()
    for name in (".#alpha2020.yaml", "alpha2020.yaml~", "#alpha2020.yaml#", ".hidden.yaml"):
        (project / "quotes" / name).write_bytes(alpha)
    (project / "quotes" / ".git").mkdir()
    (project / "quotes" / ".git" / "copy.yaml").write_bytes(alpha)
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 0, result.stderr
    assert "declared twice" not in result.stderr and "annotated in two files" not in result.stderr
    assert "no reader" not in result.stderr


def test_yml_files_and_subfolders_are_read(project: Path):
    (project / "quotes" / "2021").mkdir()
    (project / "quotes" / "gamma2021.yaml").rename(project / "quotes" / "2021" / "gamma2021.yml")
    corpus, _ = kg.load_project(project)
    assert sorted(a.path for a in corpus.annotations) == ["quotes/2021/gamma2021.yml", "quotes/alpha2020.yaml"]


def test_every_reader_keeps_the_contract(project: Path):
    """Each reader takes its files and the root, and returns a PartialCorpus with paths relative to it."""
    files = sorted(project.rglob("*.yaml")) + sorted(project.rglob("*.bib"))
    for suffix, kind in KINDS.items():
        mine = [p for p in files if p.suffix == suffix]
        if not mine:
            continue
        part = kind.reader(mine, project)
        assert isinstance(part, PartialCorpus)
        for item in part.references + part.annotations + part.factors + part.actions:
            assert not Path(item.path).is_absolute() and (project / item.path).is_file()
    merged = read_inputs(files, project)
    assert len(merged.references) == 4 and len(merged.annotations) == 2 and not merged.unreadable


def test_outputs_honour_the_umask(tmp_path: Path):
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / "shared.ttl", b"x")
        os.umask(0o077)
        write_atomically(tmp_path / "private.ttl", b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "shared.ttl").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.ttl").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.ttl", "shared.ttl"]  # no temporary left


def test_a_failed_write_keeps_the_earlier_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_validate_raises_shape_violations_from_the_library(project: Path, monkeypatch: pytest.MonkeyPatch):
    from rdflib import Graph

    strict = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rkg: <https://w3id.org/recovery-kg#> .
        <urn:s> a sh:NodeShape ; sh:targetClass rkg:Quote ; sh:property [ sh:path rkg:page ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    monkeypatch.setattr("kg.graph.validate.shapes_graph", lambda: strict)
    with pytest.raises(kg.ShapeViolations) as caught:
        kg.validate_project(project)
    assert caught.value.exit_code == kg.ExitStatus.VIOLATIONS
    assert caught.value.results and all("rkg:page" in line for line in caught.value.results)


def _whole_library(project: Path, entries: int) -> None:
    with (project / "references" / "library.bib").open("w", encoding="utf-8") as bib:
        for number in range(entries):
            bib.write(
                f"@book{{shelf{number:03d}, author = {{Shelf, Sam}}, title = {{Volume {number}}}, year = 2000}}\n"
            )


def test_a_whole_library_is_normal_warnings_are_summarised(project: Path):
    _whole_library(project, 40)
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 0, result.output
    listed = [line for line in result.stderr.splitlines() if "is cited by no citation" in line]
    assert len(listed) == 3
    assert "... and 37 more warnings of BibTeX entries that nothing cites or annotates" in result.stderr
    verbose = CliRunner().invoke(cli, ["--verbose", "build", str(project)])
    assert len([line for line in verbose.stderr.splitlines() if "is cited by no citation" in line]) == 40


def test_works_nothing_cites_stay_out_of_the_graph_unless_asked(project: Path):
    _whole_library(project, 3)
    corpus, _ = kg.load_project(project)
    studies = {str(s) for s in kg.build_graph(corpus).subjects(RDF.type, RKG.Study)}
    assert len(studies) == 4 and not any("shelf" in s for s in studies)
    everything = kg.build_graph(corpus, all_references=True)
    assert len(set(everything.subjects(RDF.type, RKG.Study))) == 7
    result = CliRunner().invoke(cli, ["build", str(project), "--all-references", "--format", "ntriples"])
    assert result.exit_code == 0 and "7 studies" in result.output


def test_a_participant_who_is_never_quoted_is_no_problem(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("participants:\n", "participants:\n  - {id: silent, role: user}\n"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 0 and "silent" not in result.stderr


def test_errors_show_a_readable_start_of_a_huge_value(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    huge = "x" * 2_000_000
    text = path.read_text(encoding="utf-8").replace("study: alpha2020", f"study: {huge}")
    path.write_text(text.replace("themes: [coffee-talk]", f"themes: [coffee-{huge}]", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any("study 'xxxxxxxx" in line and "…'" in line for line in lines), lines
    assert max(len(line) for line in lines) < 600


def _errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def test_an_unparsable_entry_gives_one_error_not_an_unknown_key_too(project: Path):
    bib = project / "references" / "mini.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@book{zeta1999")
    bib.write_text(text[:start] + text[start:].replace("title = {", "title = {{", 1), encoding="utf-8")
    errors = _errors(CliRunner().invoke(cli, ["build", str(project)]))
    assert len(errors) == 1 and "@book entry 'zeta1999' cannot be parsed" in errors[0], errors


def test_a_bib_file_that_is_not_utf8_gives_one_error(project: Path):
    bib = project / "references" / "mini.bib"
    bib.write_bytes(bib.read_bytes().replace(b"Knuth", "Knüth".encode("latin-1")))
    errors = _errors(CliRunner().invoke(cli, ["build", str(project)]))
    assert len(errors) == 1 and "not valid UTF-8" in errors[0], errors


def test_did_you_mean_never_suggests_an_invalid_id(project: Path):
    path = project / "quotes" / "alpha2020.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  - id: small\n", "  - id: been/there\n    label: X\n  - id: small\n"
    )
    path.write_text(text.replace("themes: [coffee-talk]", "themes: [been-there]", 1), encoding="utf-8")
    errors = _errors(CliRunner().invoke(cli, ["build", str(project)]))
    assert any("theme id 'been/there' holds '/'" in line for line in errors), errors
    unknown = [line for line in errors if "unknown theme 'been-there'" in line]
    assert unknown and "did you mean 'been/there'" not in unknown[0]
