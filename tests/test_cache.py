"""Incremental builds: inputs read before are taken from ``out/.cache/`` by content hash, and a
cache entry that is stale, corrupt or from another version is ignored, never trusted (issue 12).
Also the progress bars: on a terminal only, never with --quiet or when piped."""

from __future__ import annotations

import io
import pickle
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import cli
from kg.commands.common import progress_for
from kg.graph import build_graph, serialize
from kg.ingest import KINDS, FileKind
from kg.ingest import cache as cache_module
from kg.ingest.cache import InputCache
from kg.progress import SILENT
from kg.project import load_project
from tests.fixtures import DATA

MINI = DATA / "mini"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files each reader is asked to read, in order."""
    seen: list[str] = []
    for suffix, kind in list(KINDS.items()):

        def counting(paths, root, settings=None, reader=kind.reader):
            seen.extend(path.name for path in paths)
            return reader(paths, root, settings)

        monkeypatch.setitem(KINDS, suffix, FileKind(kind.name, kind.holds, counting, kind.spans_files))
    return seen


def ntriples(project: Path, folder: Path | None) -> bytes:
    cache = InputCache(folder) if folder is not None else None
    corpus, _ = load_project(project, cache=cache)
    if cache is not None:
        cache.save()
    return serialize(build_graph(corpus), "ntriples")


def test_a_second_load_reads_nothing_and_answers_the_same(project: Path, reads: list[str]):
    cache = project / "out" / ".cache"
    first = ntriples(project, cache)
    assert sorted(reads) == ["alpha2020.yaml", "gamma2021.yaml", "mini.bib"]
    reads.clear()
    assert ntriples(project, cache) == first
    assert reads == []
    assert ntriples(project, None) == first
    assert len(list(cache.glob("*.pickle"))) == 3


def test_changing_one_file_reads_only_that_file(project: Path, reads: list[str]):
    cache = project / "out" / ".cache"
    ntriples(project, cache)
    reads.clear()
    path = project / "quotes" / "gamma2021.yaml"
    path.write_text(path.read_text().replace("\n", "\n\n", 1))
    ntriples(project, cache)
    assert reads == ["gamma2021.yaml"]
    assert len(list(cache.glob("*.pickle"))) == 3, "the stale entry is pruned"


def test_bibtex_files_are_read_together(project: Path, reads: list[str]):
    cache = project / "out" / ".cache"
    (project / "references" / "more.bib").write_text("@misc{extra2000, title={Extra}, year={2000}}\n")
    ntriples(project, cache)
    reads.clear()
    (project / "references" / "more.bib").write_text("@misc{extra2000, title={Extra!}, year={2000}}\n")
    ntriples(project, cache)
    assert sorted(reads) == ["mini.bib", "more.bib"]  # @string and crossref reach across files


def test_a_failing_build_writes_no_cache_and_reports_every_error(project: Path, reads: list[str]):
    cache = project / "out" / ".cache"
    path = project / "quotes" / "gamma2021.yaml"
    good = path.read_text()
    path.write_text(good + "qoutes: []\n")
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 2 and "gamma2021.yaml" in result.output and "qoutes" in result.output
    assert not (project / "out").exists(), "nothing is written when the input has errors"
    path.write_text(good)
    assert CliRunner().invoke(cli, ["build", str(project)]).exit_code == 0
    path.write_text(good + "qoutes: []\n")
    reads.clear()
    for _ in range(2):  # the earlier files from the cache, the broken one read again each time
        result = CliRunner().invoke(cli, ["build", str(project)])
        assert result.exit_code == 2 and "qoutes" in result.output
    assert reads == ["gamma2021.yaml", "gamma2021.yaml"]
    assert len(list(cache.glob("*.pickle"))) == 3


@pytest.mark.parametrize("damage", ["garbage", "truncated", "another version", "another key", "another type"])
def test_a_damaged_cache_is_ignored(project: Path, reads: list[str], damage: str):
    cache = project / "out" / ".cache"
    expected = ntriples(project, cache)
    for entry in cache.glob("*.pickle"):
        data = entry.read_bytes()
        header, part = pickle.loads(data)
        layout, version, key = header
        entry.write_bytes(
            {
                "garbage": b"\x80\x04not a pickle",
                "truncated": data[: len(data) // 2],
                "another version": pickle.dumps(((layout, "0.0.1", key), part)),
                "another key": pickle.dumps(((layout, version, "0" * 64), part)),
                "another type": pickle.dumps((header, {"references": []})),
            }[damage]
        )
    reads.clear()
    assert ntriples(project, cache) == expected
    assert sorted(reads) == ["alpha2020.yaml", "gamma2021.yaml", "mini.bib"]
    reads.clear()
    ntriples(project, cache)
    assert reads == [], "the entries were written anew"


def test_a_new_kg_version_reads_everything_again(project: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch):
    cache = project / "out" / ".cache"
    ntriples(project, cache)
    reads.clear()
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    cache_module.readers_fingerprint.cache_clear()
    try:
        ntriples(project, cache)
    finally:
        cache_module.readers_fingerprint.cache_clear()
    assert sorted(reads) == ["alpha2020.yaml", "gamma2021.yaml", "mini.bib"]


def test_kg_build_keeps_its_cache_in_out(project: Path):
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 0, result.output
    assert len(list((project / "out" / ".cache").glob("*.pickle"))) == 3
    assert ".cache" not in result.output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("quiet", "tty", "bars"), [(False, True, True), (True, True, False), (False, False, False)])
def test_progress_bars_only_on_a_terminal_and_never_with_quiet(
    monkeypatch: pytest.MonkeyPatch, quiet: bool, tty: bool, bars: bool
):
    monkeypatch.setattr(sys, "stderr", Terminal() if tty else io.StringIO())
    ctx = click.Context(cli, obj={"quiet": quiet})
    progress = progress_for(ctx)
    assert (progress is not SILENT) == bars
    with progress.stage("reading", total=2) as advance:
        advance(2)
    assert ("kg: reading" in sys.stderr.getvalue()) == bars


def test_a_piped_build_prints_no_bar(project: Path):
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert "reading" not in result.output and "[" not in result.output


def test_a_graph_only_build_writes_the_graph_and_the_ontology_only(project: Path):
    result = CliRunner().invoke(cli, ["build", str(project), "--graph-only", "--format", "ntriples"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "out").iterdir() if not p.name.startswith(".")) == [
        "graph.nt",
        "ontology.ttl",
    ]
    full = CliRunner().invoke(cli, ["build", str(project), "--out", str(project / "full"), "--format", "ntriples"])
    assert full.exit_code == 0, full.output
    assert (project / "out" / "graph.nt").read_bytes() == (project / "full" / "graph.nt").read_bytes()
    assert "wrote" in result.output and "map.html" not in result.output
