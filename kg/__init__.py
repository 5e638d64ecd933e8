"""recovery-kg: a knowledge graph of recovery research.

The public API, for scripts and notebooks::

    from kg import load_project, build_graph, build_project, validate_project
    corpus, warnings = load_project("path/to/project")
    graph = build_graph(corpus)
"""

__version__ = "0.1.0"

from kg.errors import (  # noqa: E402
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_VIOLATIONS,
    InputError,
    KgError,
    Problem,
    ProjectError,
    ShapeViolations,
)
from kg.graph import build_graph, serialize  # noqa: E402
from kg.project import BuildResult, build_project, init_project, load_project, validate_project  # noqa: E402
from kg.shapes import ValidationReport, validate_graph  # noqa: E402

__all__ = [
    "__version__",
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_VIOLATIONS",
    "BuildResult",
    "InputError",
    "KgError",
    "Problem",
    "ProjectError",
    "ShapeViolations",
    "ValidationReport",
    "build_graph",
    "build_project",
    "init_project",
    "load_project",
    "serialize",
    "validate_graph",
    "validate_project",
]
