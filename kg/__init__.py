"""recovery-kg (public API is filled in once its modules exist)."""

__version__ = "0.1.0"
