"""pytest fixtures shared by the test files (paths live in tests/fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import shared


@pytest.fixture
def shared_data() -> Path:
    """../shared/data: real-world files (BibTeX torture tests, big bibliographies, REFI-QDA)."""
    return shared("data")


@pytest.fixture
def shared_seeds() -> Path:
    """../shared/seeds: the two seed papers as text."""
    return shared("seeds")
