"""pytest fixtures shared by the test files (paths live in tests/fixtures.py)."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import pytest

from kg.ingest import latex
from kg.queries import named
from tests import servers
from tests.fixtures import MINI, shared


def _caches(*packages: str):
    """Every function of the modules of ``packages`` behind ``functools.lru_cache`` or ``functools.cache``."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in packages:
            for value in vars(module).values():
                if isinstance(value, functools._lru_cache_wrapper):
                    yield value


@pytest.fixture(scope="session", autouse=True)
def _empty_caches():
    """Start each session with the caches of kg and of the tests (a graph a test file builds once)
    empty. mutmut runs each mutant in a process forked from one that already ran the tests: a
    cached answer would hide the mutant from every test."""
    for cached in _caches("kg", "tests"):
        cached.cache_clear()


# --- mutmut's choice of tests (see tests/MUTATION.md) -------------------------------------------
# mutmut runs, for each mutant, only the tests that reached the mutated function while it collected
# its stats (MUTANT_UNDER_TEST=stats): a test is credited with what ran between its start and its
# teardown. Two things hid tests from it: a module or session fixture runs kg once, inside the
# first test that asks for it, and a cached answer skips the code behind it in every later test.


def _mutmut_stats():
    """mutmut's record of the functions reached, while it collects its stats; None otherwise."""
    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return None
    try:
        from mutmut.state import state
    except ImportError:
        return None
    return state()


_REACHED_BY_FIXTURE: dict[object, set[str]] = {}


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Note what a shared fixture reaches, so every test that uses it is credited with it."""
    stats = _mutmut_stats()
    if stats is None or fixturedef.scope == "function":
        return (yield)
    outer, stats._stats = stats._stats, set()
    try:
        return (yield)
    finally:
        reached = stats._stats
        stats._stats = outer | reached
        _REACHED_BY_FIXTURE.setdefault(fixturedef, set()).update(reached)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Credit the test with its shared fixtures' reach (before mutmut's own teardown hook reads it)."""
    stats = _mutmut_stats()
    if stats is None:
        return
    info = getattr(item, "_fixtureinfo", None)
    for fixturedefs in info.name2fixturedefs.values() if info else ():
        for fixturedef in fixturedefs:
            stats._stats.update(_REACHED_BY_FIXTURE.get(fixturedef, ()))


@pytest.fixture(autouse=True)
def _uncached_while_mutmut_watches():
    """While mutmut collects its stats, each test starts with the caches of its test file and of kg's
    decoding and query loading empty, so a test is credited with what it relies on even when an
    earlier test cached it (tests/test_references.py builds its graph once, behind a cache)."""
    if _mutmut_stats() is not None:
        for cached in (latex.latex_to_unicode, latex._split_name, named.named_queries, *_caches("tests")):
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
