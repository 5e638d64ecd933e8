"""The version of recovery-kg: its one home (pyproject, the CLI and the graph read it here)."""

__version__ = "0.1.0"
