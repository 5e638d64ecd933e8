"""pytest fixtures shared by the test files (paths live in tests/fixtures.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.graph import validate
from kg.ingest import latex
from kg.queries import named
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
