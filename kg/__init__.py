"""recovery-kg: a knowledge graph of recovery research.

The public API, for scripts and notebooks::

    from kg import load_project, build_graph, build_project, validate_project, query
    corpus, warnings = load_project("path/to/project")
    graph = build_graph(corpus)
    rows = query("sources-for-theme", project="path/to/project", theme="small things")
"""

from kg._version import __version__
from kg.build import BuildResult, build_project, publish_project, validate_project
from kg.errors import (
    ExitStatus,
    InputError,
    KgError,
    NameLookupError,
    Problem,
    ProjectError,
    QueryError,
    ServerError,
    ShapeViolations,
)
from kg.graph import ValidationReport, build_graph, serialize, validate_graph
from kg.project import init_project, load_project
from kg.queries import named_queries, query, run_named, run_sparql, sparql
from kg.store import Credentials, Store, open_store

__all__ = [
    "__version__",
    "BuildResult",
    "Credentials",
    "ExitStatus",
    "InputError",
    "KgError",
    "NameLookupError",
    "Problem",
    "ProjectError",
    "QueryError",
    "ServerError",
    "ShapeViolations",
    "Store",
    "ValidationReport",
    "build_graph",
    "build_project",
    "init_project",
    "load_project",
    "named_queries",
    "open_store",
    "publish_project",
    "query",
    "run_named",
    "run_sparql",
    "serialize",
    "sparql",
    "validate_graph",
    "validate_project",
]
