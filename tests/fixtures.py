"""Where test data lives. Paths come from this file's place, never from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATA = TESTS / "data"
REPO = TESTS.parent
# mutmut runs the tests in its copy of the project (REPO/mutants), whose parent is the project:
# KG_SHARED (set by `make mutate`) or the project's own parent then finds ../shared.
SHARED = Path(os.environ.get("KG_SHARED") or (REPO.parent.parent if REPO.name == "mutants" else REPO.parent) / "shared")
MINI = DATA / "mini"  # the small fixture project most tests copy and break


def shared(name: str) -> Path:
    """A folder of ../shared: CI always has it; elsewhere a test may skip without it."""
    path = SHARED / name
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing, and CI must have it")
        pytest.skip(f"{path} is not here")
    return path


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a fixture file by ``new``; fail if the fixture lacks it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def forget_last_build(out: Path) -> None:
    """Remove a build's manifest (kg.build), so that the next build is made, from its caches."""
    (out / ".cache" / "build.manifest").unlink()
