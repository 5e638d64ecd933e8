"""``kg build`` and ``kg validate`` as a whole: project -> graph -> every output, written atomically.

Nothing is written when the input has errors; everything is serialized before anything is
written, so a failure leaves no mix of old and new outputs.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

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
from kg.ingest.cache import InputCache
from kg.progress import SILENT, Progress
from kg.project import load_project, project_root, project_title
from kg.render.entries import ReferenceEntries
from kg.render.formatted import NO_CACHE, FormattingCache
from kg.render.litmap import render_literature_map
from kg.render.maps import map_page
from kg.render.matrix import render_matrix
from kg.render.references import csl_items
from kg.render.review import render_review
from kg.store import Credentials, open_store, parse_store, save_to_folder, store_from_graph
from kg.store.publish import publish_graphs
from kg.views.records import read_records
from kg.views.review import ReviewOutline, review_outline
from kg.vocab import COUNTED, DEFAULT_BASE, ONTOLOGY_FILE, ONTOLOGY_IRI, PARTICIPANT_CLASSES

#: Parsed inputs are kept here, inside the output folder, between builds (kg.ingest.cache).
CACHE_DIR = ".cache"


@dataclass
class BuildResult:
    """What a build wrote and found: output paths, counts per class, warnings."""

    outputs: list[Path]
    counts: dict[str, int]
    warnings: list[Problem] = field(default_factory=list)


def count_classes(triples: TripleSet) -> dict[str, int]:
    """How many instances of each counted class the graph holds (participants: both roles)."""
    typed = Counter(cls.value for _, cls in triples.typed())  # Oxigraph terms (build_triples)
    counts = {name: typed[str(cls)] for name, cls in COUNTED.items()}
    counts["participants"] = sum(typed[str(cls)] for cls in PARTICIPANT_CLASSES)
    return counts


def build_project(
    project: str | os.PathLike = ".",
    out: str | os.PathLike | None = None,
    formats: tuple[str, ...] = ("turtle",),
    base: str = DEFAULT_BASE,
    all_references: bool = False,
    store: str = "memory",
    progress: Progress = SILENT,
    graph_only: bool = False,
) -> BuildResult:
    """Check a project and write its graph to ``out`` (default ``PROJECT/out``) as ``graph.<ext>``.

    Nothing is written when the input has errors. Inputs read before are taken from
    ``out/.cache/``. With ``store="oxigraph:DIR"`` the graph (and the ontology) also replace
    those in the Oxigraph store in DIR, and the map and the writer's kit are read from it. With
    ``graph_only`` the map and the writer's kit are not made (a graph to publish).
    Example::

        result = build_project("my-project", formats=("turtle", "jsonld"))
        print(result.outputs, result.counts)
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ProjectError(f"unknown format '{unknown[0]}'; use one of: {', '.join(FORMATS)}")
    folder = parse_store(store)
    out_dir = Path(out) if out is not None else project_root(project) / "out"
    cache = InputCache(out_dir / CACHE_DIR)
    formatted = FormattingCache(out_dir / CACHE_DIR / "formatted")  # references formatted by earlier builds
    corpus, warnings = load_project(project, cache=cache, progress=progress)
    with progress.stage("building", total=1 + len(formats)) as advance:
        triples = build_triples(corpus, base=base, all_references=all_references)
        counts = count_classes(triples)
        graph = SortedTriples(triples, consume=True)  # the sorted copy is all that is written and loaded
        del triples
        advance(1)
        ontology = ontology_graph()
        payloads = {}
        for f in dict.fromkeys(formats):
            payloads[out_dir / f"graph.{FORMATS[f].suffix}"] = serialize(
                graph, f, graph_iri=base + "graph", ontology=ontology
            )
            advance(1)
    # The ontology beside the graph, so the graph's terms can be read (and loaded) with it.
    payloads[out_dir / "ontology.ttl"] = ONTOLOGY_FILE.read_bytes()
    if folder is not None:
        ontology_data = serialize(ontology, "ntriples")
        save_to_folder(folder, graph.ntriples(), base + "graph", ontology_data)
    if not graph_only:
        payloads.update(_drawn(graph, folder, store, out_dir, project_title(project), formatted, progress))
    with progress.stage("writing", total=len(payloads)) as advance:
        for path, data in payloads.items():
            write_atomically(path, data)
            advance(1)
    cache.save()  # only after everything else: a failing build writes nothing
    formatted.save()
    return BuildResult(list(payloads), counts, warnings)


def _drawn(graph, folder, store: str, out_dir: Path, title: str, formatted, progress: Progress) -> dict[Path, bytes]:
    """The literature map and the writer's kit of a build, made from its store."""
    payloads: dict[Path, bytes] = {}
    # The map is made from the store, as `kg map` makes it from a graph file: the same page.
    graph_store = store_from_graph(graph) if folder is None else open_store(store=store)
    with progress.stage("drawing", total=2) as advance:
        # Every output reads the same records and the kit the same outline: read once.
        records = read_records(graph_store)
        # Each work's reference formatted once, for the map and the review (kg.render.entries).
        items = csl_items(graph_store)
        entries = ReferenceEntries(list(items.values()), "apa", formatted, by_iri=items)
        page = map_page(graph_store, "literature", cache=formatted, records=records, entries=entries)
        payloads[out_dir / "map.html"] = page.encode("utf-8")
        advance(1)
        outline = review_outline(graph_store, records=records)
        payloads.update(writers_kit(graph_store, out_dir, title, formatted, outline, entries))
        advance(1)
    graph_store.close()
    return payloads


def writers_kit(
    store,
    out_dir: Path,
    title: str,
    formatted: FormattingCache = NO_CACHE,
    outline: ReviewOutline | None = None,
    entries: ReferenceEntries | None = None,
) -> dict[Path, bytes]:
    """The writer's kit of a build: the review outline, the literature map figure, the matrix."""
    return {
        out_dir / "review.md": render_review(
            store, title=title, cache=formatted, outline=outline, entries=entries
        ).text.encode("utf-8"),
        out_dir / "literature-map.svg": render_literature_map(store, title, outline=outline).encode("utf-8"),
        out_dir / "matrix.md": render_matrix(store, "md", outline=outline).encode("utf-8"),
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


def publish_project(
    project: str | os.PathLike,
    endpoint: str,
    graph_iri: str | None = None,
    base: str = DEFAULT_BASE,
    all_references: bool = False,
    update_url: str | None = None,
    credentials: Credentials | None = None,
    progress: Progress = SILENT,
) -> tuple[str, int]:
    """Check a project, build its graph and replace the named graph ``graph_iri`` (default
    ``BASE + "graph"``, as TriG names it) and the ontology's graph on a SPARQL server, through its
    Graph Store Protocol URL ``endpoint``. Returns the graph's IRI and its number of triples.
    Inputs are taken from the cache of an earlier ``kg build`` into ``PROJECT/out`` when there is one.

    Example::

        publish_project("my-study", "http://localhost:7878/store")
    """
    cache_dir = project_root(project) / "out" / CACHE_DIR  # a build's cache, used when there is one
    cache = InputCache(cache_dir) if cache_dir.is_dir() else None
    corpus, _ = load_project(project, cache=cache, progress=progress)
    # As kg build makes it: Oxigraph terms, canonical N-Triples (no rdflib Graph on the way).
    graph = SortedTriples(build_triples(corpus, base=base, all_references=all_references), consume=True)
    graph_iri = graph_iri or base + "graph"
    graphs = {graph_iri: graph.ntriples(), ONTOLOGY_IRI: serialize(ontology_graph(), "ntriples")}
    publish_graphs(endpoint, graphs, update_url=update_url, credentials=credentials, progress=progress)
    return graph_iri, len(graph)
