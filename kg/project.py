"""A project on disk: ``quotes/`` and ``references/`` side by side. Load, build, validate, init.

This is the flow of the design card from files to files: read every input, check it all at once,
and only then build the graph and write it (each output to a temporary file, then renamed, so an
earlier output is never left half-written).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kg.annotations import read_annotation_file
from kg.bibtex import load_bibtex
from kg.check import check_corpus, check_declarations
from kg.errors import Problem, ProjectError, raise_if_errors
from kg.graph import FORMATS, build_graph, serialize
from kg.model import Corpus
from kg.shapes import ValidationReport, validate_graph
from kg.skeleton import SKELETON
from kg.vocab import DEFAULT_BASE, RKG

QUOTES_DIR = "quotes"
REFERENCES_DIR = "references"

#: The classes a build summary counts, in the order it prints them.
COUNTED = {
    "studies": RKG.Study,
    "participants": RKG.Participant,
    "service users": RKG.ServiceUser,
    "professionals": RKG.Professional,
    "themes": RKG.Theme,
    "actions": RKG.Action,
    "recovery factors": RKG.RecoveryFactor,
    "quotes": RKG.Quote,
    "citation contexts": RKG.CitationContext,
}


@dataclass
class BuildResult:
    """What a build wrote and found: output paths, counts per class, warnings."""

    outputs: list[Path]
    counts: dict[str, int]
    warnings: list[Problem] = field(default_factory=list)


def _project_root(project: str | os.PathLike) -> Path:
    root = Path(project)
    if not root.is_dir():
        raise ProjectError(f"project folder '{root}' does not exist; give the folder that holds quotes/ and "
                           "references/, or make one with 'kg init DIR'")
    if not (root / QUOTES_DIR).is_dir() and not (root / REFERENCES_DIR).is_dir():
        raise ProjectError(f"'{root}' is not a recovery-kg project: it has no quotes/ or references/ folder; "
                           "run the command in a project folder, or make one with 'kg init DIR'")
    return root.resolve()


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def load_project(project: str | os.PathLike = ".") -> tuple[Corpus, list[Problem]]:
    """Read and check a project; return the corpus and its warnings.

    Raises :class:`kg.InputError` listing every error of every file when anything is wrong.

    Example::

        corpus, warnings = load_project("my-project")
        print(len(corpus.references), "references")
    """
    root = _project_root(project)
    problems: list[Problem] = []
    yaml_files = _files(root / QUOTES_DIR, (".yaml", ".yml"))
    bib_files = _files(root / REFERENCES_DIR, (".bib",))
    if not yaml_files:
        problems.append(Problem(QUOTES_DIR, None, "holds no annotation files (*.yaml)",
                                "add one per study; 'kg init DIR' shows an example"))
    if not bib_files:
        problems.append(Problem(REFERENCES_DIR, None, "holds no BibTeX files (*.bib)",
                                "add the BibTeX of the annotated studies and of the works they cite"))

    corpus = Corpus()
    corpus.references, bib_problems = load_bibtex(bib_files, root)
    problems += bib_problems
    all_factors, all_actions, unreadable = [], [], False
    for path in yaml_files:
        annotation, factors, actions, file_problems = read_annotation_file(path, root)
        problems += file_problems
        all_factors += factors
        all_actions += actions
        if annotation is not None:
            corpus.annotations.append(annotation)
        else:
            unreadable = True
    corpus.factors, corpus.actions, declaration_problems = check_declarations(all_factors, all_actions)
    problems += declaration_problems
    problems += check_corpus(corpus, complete=not unreadable)
    corpus.sources = [p.relative_to(root).as_posix() for p in bib_files + yaml_files]
    return corpus, raise_if_errors(problems)


def count_classes(graph: Graph) -> dict[str, int]:
    """How many instances of each counted class the graph holds (subclasses included)."""
    typed = Counter()
    for cls in set(graph.objects(None, RDF.type)):
        typed[cls] = len(set(graph.subjects(RDF.type, cls)))
    counts = {name: typed[cls] for name, cls in COUNTED.items()}
    counts["participants"] = counts["service users"] + counts["professionals"]
    return counts


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_project(project: str | os.PathLike = ".", out: str | os.PathLike | None = None,
                  formats: tuple[str, ...] = ("turtle",), base: str = DEFAULT_BASE) -> BuildResult:
    """Check a project and write its graph to ``out`` (default ``PROJECT/out``) as ``graph.<ext>``.

    Nothing is written when the input has errors. Example::

        result = build_project("my-project", formats=("turtle", "jsonld"))
        print(result.outputs, result.counts)
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ProjectError(f"unknown format '{unknown[0]}'; use one of: {', '.join(FORMATS)}")
    corpus, warnings = load_project(project)
    graph = build_graph(corpus, base=base)
    out_dir = Path(out) if out is not None else _project_root(project) / "out"
    # Serialize everything before writing anything, so a failure leaves no mix of old and new.
    payloads = {out_dir / f"graph.{FORMATS[f][1]}": serialize(graph, f, graph_iri=base + "graph")
                for f in dict.fromkeys(formats)}
    for path, data in payloads.items():
        write_atomically(path, data)
    return BuildResult(list(payloads), count_classes(graph), warnings)


def validate_project(project: str | os.PathLike = ".", base: str = DEFAULT_BASE) -> tuple[ValidationReport, list[Problem]]:
    """Run every check, build the graph in memory and validate it against the SHACL shapes."""
    corpus, warnings = load_project(project)
    return validate_graph(build_graph(corpus, base=base)), warnings


def init_project(directory: str | os.PathLike) -> list[Path]:
    """Make a new project with a tiny working example; refuse a folder that already has files."""
    root = Path(directory)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ProjectError(f"'{root}' already exists and is not an empty folder; give a new folder name")
    written = []
    for rel, text in SKELETON.items():
        path = root / rel
        write_atomically(path, text.encode("utf-8"))
        written.append(path)
    return written
