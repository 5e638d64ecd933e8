"""``kg build`` and ``kg validate`` as a whole: project -> graph -> every output, written atomically.

Nothing is written when the input has errors; everything is serialized before anything is
written, so a failure leaves no mix of old and new outputs.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import Problem, ProjectError, ShapeViolations
from kg.files import write_atomically
from kg.graph import (
    FORMATS,
    SortedTriples,
    TripleSet,
    build_graph,
    build_triples,
    ontology_graph,
    serialize,
    validate_graph,
)
from kg.project import load_project, project_root, project_title
from kg.render.litmap import render_literature_map
from kg.render.maps import map_page
from kg.render.matrix import render_matrix
from kg.render.review import render_review
from kg.store import Store
from kg.vocab import COUNTED, DEFAULT_BASE, ONTOLOGY_FILE, PARTICIPANT_CLASSES


@dataclass
class BuildResult:
    """What a build wrote and found: output paths, counts per class, warnings."""

    outputs: list[Path]
    counts: dict[str, int]
    warnings: list[Problem] = field(default_factory=list)


def count_classes(triples: TripleSet) -> dict[str, int]:
    """How many instances of each counted class the graph holds (participants: both roles)."""
    typed = Counter(cls for _, cls in triples.typed())
    counts = {name: typed[cls] for name, cls in COUNTED.items()}
    counts["participants"] = sum(typed[cls] for cls in PARTICIPANT_CLASSES)
    return counts


def build_project(
    project: str | os.PathLike = ".",
    out: str | os.PathLike | None = None,
    formats: tuple[str, ...] = ("turtle",),
    base: str = DEFAULT_BASE,
    all_references: bool = False,
) -> BuildResult:
    """Check a project and write its graph to ``out`` (default ``PROJECT/out``) as ``graph.<ext>``.

    Nothing is written when the input has errors. Example::

        result = build_project("my-project", formats=("turtle", "jsonld"))
        print(result.outputs, result.counts)
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ProjectError(f"unknown format '{unknown[0]}'; use one of: {', '.join(FORMATS)}")
    corpus, warnings = load_project(project)
    triples = build_triples(corpus, base=base, all_references=all_references)
    counts = count_classes(triples)
    graph = SortedTriples(triples)
    del triples  # the sorted copy is all that is written and loaded from here on
    out_dir = Path(out) if out is not None else project_root(project) / "out"
    ontology = ontology_graph()
    payloads = {
        out_dir / f"graph.{FORMATS[f].suffix}": serialize(graph, f, graph_iri=base + "graph", ontology=ontology)
        for f in dict.fromkeys(formats)
    }
    # The ontology beside the graph, so the graph's terms can be read (and loaded) with it.
    payloads[out_dir / "ontology.ttl"] = ONTOLOGY_FILE.read_bytes()
    # The map is made from the store, as `kg map` makes it from a graph file: the same page.
    oxigraph = ox.Store()
    oxigraph.bulk_load(graph.ntriples(), format=ox.RdfFormat.N_TRIPLES)
    store = Store(oxigraph)
    payloads[out_dir / "map.html"] = map_page(store, "literature").encode("utf-8")
    payloads.update(writers_kit(store, out_dir, project_title(project)))
    for path, data in payloads.items():
        write_atomically(path, data)
    return BuildResult(list(payloads), counts, warnings)


def writers_kit(store, out_dir: Path, title: str) -> dict[Path, bytes]:
    """The writer's kit of a build: the review outline, the literature map figure, the matrix."""
    return {
        out_dir / "review.md": render_review(store, title=title).text.encode("utf-8"),
        out_dir / "literature-map.svg": render_literature_map(store, title).encode("utf-8"),
        out_dir / "matrix.md": render_matrix(store, "md").encode("utf-8"),
    }


def validate_project(
    project: str | os.PathLike = ".", base: str = DEFAULT_BASE, all_references: bool = False
) -> list[Problem]:
    """Run every check, build the graph in memory and validate it against the SHACL shapes.

    Returns the warnings when the graph conforms; raises :class:`kg.ShapeViolations` (each
    violation listed) when it does not, and :class:`kg.InputError` when the input has errors.
    """
    corpus, warnings = load_project(project)
    report = validate_graph(build_graph(corpus, base=base, all_references=all_references))
    if not report.conforms:
        raise ShapeViolations(report.results, warnings)
    return warnings
