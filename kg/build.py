"""``kg build`` and ``kg validate`` as a whole: project -> graph -> every output, written atomically.

Nothing is written when the input has errors; everything is serialized before anything is
written, so a failure leaves no mix of old and new outputs. A build notes what it wrote and from
what in a manifest (``out/.cache/build.manifest``: the SHA-256 of kg's code, the options, every
input file and every output): a build of the same, whose outputs are whole, writes nothing.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg._version import __version__
from kg.errors import Problem, ProjectError, ShapeViolations
from kg.files import StagedFiles, read_kept, write_atomically
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
from kg.ingest.collector import fewer_collections
from kg.progress import SILENT, Progress
from kg.project import PROJECT_FILE, QUOTES_DIR, REFERENCES_DIR, input_files, load_project, project_root, project_title
from kg.render.entries import ReferenceEntries
from kg.render.formatted import NO_CACHE, FormattingCache
from kg.render.litmap import render_literature_map
from kg.render.maps import map_page
from kg.render.matrix import render_matrix
from kg.render.references import csl_items
from kg.render.review import render_review
from kg.store import Credentials, open_store, parse_store, save_to_folder, store_from_graph
from kg.store.publish import publish_graphs
from kg.views.layout import KeptLayouts
from kg.views.records import read_records
from kg.views.review import ReviewOutline, review_outline
from kg.vocab import COUNTED, DEFAULT_BASE, ONTOLOGY_FILE, ONTOLOGY_IRI, PARTICIPANT_CLASSES

#: Parsed inputs are kept here, inside the output folder, between builds (kg.ingest.cache).
CACHE_DIR = ".cache"
#: What the last build wrote and from what, in CACHE_DIR: a build of the same is not made again.
MANIFEST = "build.manifest"
#: Bumped when what the manifest holds changes.
MANIFEST_LAYOUT = 1


@dataclass
class BuildResult:
    """What a build wrote and found: output paths, counts per class, warnings. ``unchanged``: the
    outputs were those of the same inputs and options already, and nothing was written."""

    outputs: list[Path]
    counts: dict[str, int]
    warnings: list[Problem] = field(default_factory=list)
    unchanged: bool = False


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
    ``out/.cache/``; when every input file, the options and kg itself are those of the last build
    (its manifest, ``out/.cache/build.manifest``) and every output it wrote is on disk with the
    bytes it wrote, nothing is made or written (``BuildResult.unchanged``). With
    ``store="oxigraph:DIR"`` the graph (and the ontology) also replace those in the Oxigraph store
    in DIR (always made: no manifest), and the map and the writer's kit are read from it. With
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
    options = (tuple(formats), base, all_references, graph_only)
    manifest = _manifest_key(project, out_dir, options) if folder is None else None
    if manifest is not None and (done := _unchanged(out_dir, manifest)) is not None:
        return done
    (out_dir / CACHE_DIR / MANIFEST).unlink(missing_ok=True)  # from here on the outputs may change
    with fewer_collections():
        result = _build(project, out_dir, formats, base, all_references, store, folder, progress, graph_only)
    if manifest is not None:
        _write_manifest(out_dir, manifest, result)
    return result


def _build(project, out_dir: Path, formats, base, all_references, store, folder, progress, graph_only) -> BuildResult:
    cache = InputCache(out_dir / CACHE_DIR)
    layouts = KeptLayouts(out_dir / CACHE_DIR / "layout")  # map layouts of earlier builds
    formatted = FormattingCache(out_dir / CACHE_DIR / "formatted")  # references formatted by earlier builds
    corpus, warnings = load_project(project, cache=cache, progress=progress)
    # Each output is written beside its place as it is made and renamed into place at the end: a
    # failing build leaves nothing, and no output is held in memory meanwhile (Turtle of 100k
    # quotes is 400 MB).
    with StagedFiles() as staged:
        with progress.stage("building", total=1 + len(formats)) as advance:
            triples = build_triples(corpus, base=base, all_references=all_references)
            del corpus  # all later steps read the graph: the parsed inputs need not be held (1 GB at 100k quotes)
            counts = count_classes(triples)
            graph = SortedTriples(triples, consume=True)  # the sorted copy is all that is written and loaded
            del triples
            advance(1)
            ontology = ontology_graph()
            for f in dict.fromkeys(formats):
                staged.write(
                    out_dir / f"graph.{FORMATS[f].suffix}",
                    serialize(graph, f, graph_iri=base + "graph", ontology=ontology),
                )
                advance(1)
        # The ontology beside the graph, so the graph's terms can be read (and loaded) with it.
        staged.write(out_dir / "ontology.ttl", ONTOLOGY_FILE.read_bytes())
        if folder is not None:
            save_to_folder(folder, graph.ntriples(), base + "graph", serialize(ontology, "ntriples"))
        if not graph_only:
            # The map is made from the store, as `kg map` makes it from a graph file: the same page.
            graph_store = store_from_graph(graph) if folder is None else open_store(store=store)
            del graph  # the store holds it now
            title = project_title(project)
            for path, data in _drawn(graph_store, out_dir, title, formatted, layouts, progress).items():
                staged.write(path, data)
        outputs = staged.paths
        with progress.stage("writing", total=len(outputs)) as advance:
            staged.commit(advance)
    cache.save()  # only after everything else: a failing build writes nothing
    formatted.save()
    layouts.save()
    return BuildResult(outputs, counts, warnings)


def _drawn(
    graph_store, out_dir: Path, title: str, formatted, layouts: KeptLayouts, progress: Progress
) -> dict[Path, bytes]:
    """The literature map and the writer's kit of a build, made from its store."""
    payloads: dict[Path, bytes] = {}
    with progress.stage("drawing", total=2) as advance:
        # Every output reads the same records and the kit the same outline: read once.
        records = read_records(graph_store)
        # Each work's reference formatted once, for the map and the review (kg.render.entries).
        items = csl_items(graph_store)
        entries = ReferenceEntries(list(items.values()), "apa", formatted, by_iri=items)
        page = map_page(graph_store, "literature", cache=formatted, records=records, entries=entries, layouts=layouts)
        payloads[out_dir / "map.html"] = page.encode("utf-8")
        del page
        advance(1)
        outline = review_outline(graph_store, records=records)
        payloads.update(writers_kit(graph_store, out_dir, title, formatted, outline, entries))
        advance(1)
    graph_store.close()
    return payloads


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """SHA-256 of what decides a build's bytes besides its inputs and options: kg's version, every
    file of its code and data and of the ontology, Python's version and every installed library's."""
    digest = hashlib.sha256(f"{MANIFEST_LAYOUT}\0{__version__}\0{sys.version}\0".encode())
    libraries = sorted((dist.metadata["Name"] or "", dist.version) for dist in importlib.metadata.distributions())
    digest.update(repr(libraries).encode())
    for folder in (Path(__file__).parent, ONTOLOGY_FILE.parent):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def _manifest_key(project, out_dir: Path, options: tuple) -> str | None:
    """The SHA-256 of everything a build's outputs depend on: the tool, the options, the folders,
    and every input file's path and bytes (as ``load_project`` finds them, and kg.toml). None when
    an input cannot be read (the build reports it)."""
    root = project_root(project)
    digest = hashlib.sha256(f"{tool_fingerprint()}\0{options!r}\0{root}\0{out_dir.resolve()}\0{Path.cwd()}".encode())
    files = [*input_files(root / QUOTES_DIR), *input_files(root / REFERENCES_DIR), root / PROJECT_FILE]
    try:
        for path in files:
            data = path.read_bytes() if path.exists() else b"(none)"
            digest.update(f"\0{path}\0{len(data)}\0".encode() + data)
    except OSError:
        return None
    return digest.hexdigest()


def _unchanged(out_dir: Path, key: str) -> BuildResult | None:
    """The last build's result when it was made from the same (``key``) and every output it wrote
    is on disk with the same bytes; else None (no manifest, another key, version or layout,
    corrupt, or an output edited or deleted since): the build is made."""
    kept = read_kept(out_dir / CACHE_DIR / MANIFEST, (MANIFEST_LAYOUT, __version__, key))
    try:
        outputs, counts, warnings = kept["outputs"], kept["counts"], kept["warnings"]
        for name, sha in outputs.items():
            if hashlib.sha256((out_dir / name).read_bytes()).hexdigest() != sha:
                return None
    except (TypeError, KeyError, AttributeError, OSError):
        return None
    return BuildResult([out_dir / name for name in outputs], counts, warnings, unchanged=True)


def _write_manifest(out_dir: Path, key: str, result: BuildResult) -> None:
    """Note what a build wrote (each output's SHA-256), its counts and warnings, under ``key``."""
    outputs = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in result.outputs}
    value = {"outputs": outputs, "counts": result.counts, "warnings": result.warnings}
    try:
        write_atomically(out_dir / CACHE_DIR / MANIFEST, pickle.dumps(((MANIFEST_LAYOUT, __version__, key), value)))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):  # not kept: the next build is made
        pass


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
