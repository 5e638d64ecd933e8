"""pytest fixtures shared by the test files (paths live in tests/fixtures.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.graph import validate
from kg.ingest import latex
from kg.queries import named
from tests import servers
from tests.fixtures import MINI, shared


@pytest.fixture(scope="session", autouse=True)
def _empty_caches():
    """Start each session with kg's caches empty. mutmut runs each mutant in a process forked
    from one that already ran the suite: a cached answer would hide the mutant from every test."""
    for cached in (latex.latex_to_unicode, named.named_queries, validate._load, validate.ontology_labels):
        cached.cache_clear()


@pytest.fixture
def shared_data() -> Path:
    """../shared/data: real-world files (BibTeX torture tests, big bibliographies, REFI-QDA)."""
    return shared("data")


@pytest.fixture
def shared_seeds() -> Path:
    """../shared/seeds: the two seed papers as text."""
    return shared("seeds")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of tests/data/mini to break: a test edits it, runs kg on it, and reads the messages."""
    root = tmp_path / "proj"
    shutil.copytree(MINI, root)
    return root


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):
    """A real Oxigraph server on loopback for the session (tests/servers.py)."""
    yield from servers.start_oxigraph(tmp_path_factory.mktemp("oxigraph"))


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory):
    """A real Virtuoso on loopback for the session, with a database of its own."""
    yield from servers.start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
