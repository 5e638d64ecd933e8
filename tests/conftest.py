"""Shared test fixtures. Paths come from this file's place, never from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATA = TESTS / "data"
REPO = TESTS.parent
SHARED = REPO.parent / "shared"


def _shared(name: str) -> Path:
    """A folder of ../shared: CI always has it; elsewhere a test may skip without it."""
    path = SHARED / name
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing, and CI must have it")
        pytest.skip(f"{path} is not here")
    return path


@pytest.fixture
def shared_data() -> Path:
    """../shared/data: real-world files (BibTeX torture tests, big bibliographies, REFI-QDA)."""
    return _shared("data")


@pytest.fixture
def shared_seeds() -> Path:
    """../shared/seeds: the two seed papers as text."""
    return _shared("seeds")
