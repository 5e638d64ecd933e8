"""The benchmark scripts run (at a tiny size, in seconds), so they cannot rot. No timing is asserted."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

import kg
from tests.fixtures import REPO

BENCH = REPO / "bench"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_project", BENCH / "generate_project.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_generated_project_builds(tmp_path: Path, shared_data: Path):
    _generator().generate(tmp_path, quotes=40, references=60, files=3, data=shared_data / "bibtex")
    assert len(list((tmp_path / "quotes").glob("*.yaml"))) == 3
    result = kg.build_project(tmp_path, formats=("turtle", "ntriples"))
    assert result.counts["quotes"] == 40
    triples = list(ox.parse(path=str(tmp_path / "out" / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len((tmp_path / "out" / "graph.nt").read_bytes().splitlines())
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"map.html", "review.md", "matrix.md"}


def test_the_build_benchmark_runs_at_a_tiny_size(shared_data: Path):
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_build.py"), "--size", "20:30:2", "--repeat", "1", "--runs", "1"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (
        "| kg build, nothing cached (no out/) |" in done.stdout and "| kg build after one file changed" in done.stdout
    )
    assert "| path |" in done.stdout
