"""The recovery-kg test suite (a package, so tests import fixtures from tests.fixtures)."""
