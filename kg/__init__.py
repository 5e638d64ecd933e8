"""recovery-kg: a knowledge graph of recovery research.

The public API, for scripts and notebooks::

    from kg import load_project, build_graph, build_project, validate_project, query
    corpus, warnings = load_project("path/to/project")
    graph = build_graph(corpus)
    rows = query("sources-for-theme", project="path/to/project", theme="small things")
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
from kg.ask import named_queries, run_named, run_sparql  # noqa: E402
from kg.store import open_store  # noqa: E402


def query(name: str, project: str = ".", graph: str | None = None, iri: bool = False, **params: str) -> list[dict]:
    """Run a named query; rows as dictionaries keyed by column name (ready for ``pandas.DataFrame``).

    Names of themes, actions, factors, studies and participants are resolved as on the command
    line (id, STUDY/ID, label or unique prefix). Example::

        import kg
        rows = kg.query("quotes", project="my-study", theme="small things", role="user")
        rows = kg.query("path", graph="out/graph.ttl", **{"from": "coffee", "to": "borg2004"})
    """
    return run_named(open_store(project=project, graph_file=graph), name, **params).records(iri=iri)


def sparql(text: str, project: str = ".", graph: str | None = None, iri: bool = False, **params: str) -> list[dict]:
    """Run an ad-hoc SPARQL query with parameters bound (``<IRI>``, ``prefix:local`` or a string)."""
    return run_sparql(open_store(project=project, graph_file=graph), text, params).records(iri=iri)

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
    "named_queries",
    "open_store",
    "query",
    "run_named",
    "run_sparql",
    "sparql",
    "serialize",
    "validate_graph",
    "validate_project",
]
