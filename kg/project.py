"""A project on disk: ``quotes/`` and ``references/`` side by side. Find its files, read, check.

:func:`load_project` is the first half of the design card's flow: every input file is read by
the reader of its kind (:mod:`kg.ingest`), then the whole corpus is checked at once
(:mod:`kg.check`), so the user sees every problem of every file in one run.
"""

from __future__ import annotations

import difflib
import json
import os
import tomllib
from pathlib import Path

from kg.check import check_corpus, check_declarations
from kg.errors import Problem, ProjectError, raise_if_errors
from kg.files import relative_path, write_atomically
from kg.ingest import kind_of, read_inputs
from kg.ingest.cache import InputCache
from kg.model import Annotation, Corpus, Quote, Reference
from kg.progress import SILENT, Progress
from kg.skeleton import SKELETON

QUOTES_DIR = "quotes"
REFERENCES_DIR = "references"


def project_root(project: str | os.PathLike) -> Path:
    """The project folder, resolved; an error when it is not a project."""
    root = Path(project)
    if not root.is_dir():
        raise ProjectError(
            f"project folder '{root}' does not exist; give the folder that holds quotes/ and "
            "references/, or make one with 'kg init DIR'"
        )
    if not (root / QUOTES_DIR).is_dir() and not (root / REFERENCES_DIR).is_dir():
        raise ProjectError(
            f"'{root}' is not a recovery-kg project: it has no quotes/ or references/ folder; "
            "run the command in a project folder, or make one with 'kg init DIR'"
        )
    return root.resolve()


def _skipped(path: Path, folder: Path) -> bool:
    """Hidden files and folders and editor backups (``.#x.yaml``, ``x.yaml~``, ``#x#``) are not inputs."""
    parts = path.relative_to(folder).parts
    name = path.name
    return (
        any(part.startswith(".") for part in parts)
        or name.endswith("~")
        or (name.startswith("#") and name.endswith("#"))
    )


def input_files(folder: Path) -> list[Path]:
    """Every input file under ``folder`` (subfolders too), sorted; hidden and backup files left out."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not _skipped(p, folder))


def load_project(
    project: str | os.PathLike = ".", cache: InputCache | None = None, progress: Progress = SILENT
) -> tuple[Corpus, list[Problem]]:
    """Read and check a project; return the corpus and its warnings.

    Raises :class:`kg.InputError` listing every error of every file when anything is wrong.
    With a ``cache``, files read by an earlier run with the same bytes are taken from it
    (:mod:`kg.ingest.cache`); the caller saves it when all its work succeeded.

    Example::

        corpus, warnings = load_project("my-project")
        print(len(corpus.references), "references")
    """
    root = project_root(project)
    problems: list[Problem] = []
    quote_files, reference_files = input_files(root / QUOTES_DIR), input_files(root / REFERENCES_DIR)
    if not any(_holds(p, "annotations") for p in quote_files):
        problems.append(
            Problem(
                QUOTES_DIR,
                None,
                "the folder holds no annotation files (*.yaml)",
                "add one per study; 'kg init DIR' shows an example",
            )
        )
    if not any(_holds(p, "references") for p in reference_files):
        problems.append(
            Problem(
                REFERENCES_DIR,
                None,
                "the folder holds no reference files (*.bib, *.ris, *.json)",
                "add the references (BibTeX, or Zotero's RIS or CSL-JSON) of the annotated studies and of "
                "the works they cite",
            )
        )
    files = reference_files + quote_files
    part = read_inputs(files, root, refi_settings(root), cache, progress)
    problems += part.problems
    references, reference_problems = index_references(part.references)
    problems += reference_problems
    corpus = Corpus(
        references=references,
        annotations=part.annotations,
        unread_keys=part.unread_keys,
        references_unreadable=part.references_unreadable,
    )
    problems += join_quotes(part.annotations, part.quotes, complete=not part.unreadable)
    with progress.stage("checking", total=1) as advance:
        corpus.factors, corpus.actions, declaration_problems = check_declarations(part.factors, part.actions)
        problems += declaration_problems
        problems += check_corpus(corpus, complete=not part.unreadable)
        advance(1)
    corpus.sources = [relative_path(p, root) for p in files if kind_of(p) is not None]
    return corpus, raise_if_errors(problems)


def index_references(references: list[Reference]) -> tuple[dict[str, Reference], list[Problem]]:
    """The references by key; a key given twice (in any files, of any formats) is an error at the
    later one naming the first, which is kept. Keys that differ only in case are the same key,
    as BibTeX reads them.

    >>> refs = [Reference("a", "book", {}, "x.bib", 1), Reference("A", "misc", {}, "y.ris", 4)]
    >>> refs, problems = index_references(refs)
    >>> list(refs), [p.message for p in problems]
    (['a'], ["key 'A' differs only in case from 'a' at x.bib:1"])
    """
    by_key: dict[str, Reference] = {}
    by_folded_key: dict[str, Reference] = {}
    problems = []
    for ref in references:
        first = by_folded_key.setdefault(ref.key.lower(), ref)
        if first is ref:
            by_key[ref.key] = ref
            continue
        there = f"{first.path}:{first.line}"
        if first.key == ref.key:
            message = f"duplicate key '{ref.key}': also at {there}"
        else:
            message = f"key '{ref.key}' differs only in case from '{first.key}' at {there}"
        problems.append(Problem(ref.path, ref.line, message, "rename or delete one of the two entries"))
    return by_key, problems


def join_quotes(annotations: list[Annotation], quotes: list[Quote], complete: bool = True) -> list[Problem]:
    """Add quotes read apart (a CSV's rows) to the annotation of their study, where the checks
    judge them with the file's own; a quote of a study that no annotation file annotates is an
    error (unless ``complete`` is False: an unreadable file may have annotated it).

    >>> from kg.model import Use
    >>> alpha = Annotation(Use("alpha2020", 1), "quotes/alpha2020.yaml")
    >>> quotes = [Quote("alpha2020", "q1", "Hi", "quotes/q.csv", 2), Quote("alpha202", "q2", "Ho", "quotes/q.csv", 3)]
    >>> [str(p) for p in join_quotes([alpha], quotes)]  # doctest: +NORMALIZE_WHITESPACE
    ["quotes/q.csv:3: error: quote 'q2' is of study 'alpha202', which no annotation file annotates;
    did you mean 'alpha2020'? a CSV adds quotes to a study: declare the study in quotes/alpha202.yaml
    (study: alpha202, its participants and themes)"]
    >>> [q.id for q in alpha.quotes]
    ['q1']
    """
    studies: dict[str, Annotation] = {}
    for annotation in annotations:
        studies.setdefault(annotation.study.value, annotation)
    problems = []
    for quote in quotes:
        if not quote.study:
            continue  # the reader said so
        annotation = studies.get(quote.study)
        if annotation is not None:
            annotation.quotes.append(quote)
        elif complete:
            close = difflib.get_close_matches(quote.study, sorted(studies), n=3, cutoff=0.8)
            guess = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
            problems.append(
                Problem(
                    quote.path,
                    quote.line,
                    f"quote '{quote.id}' is of study '{quote.study}', which no annotation file annotates",
                    f"{guess}a CSV adds quotes to a study: declare the study in quotes/{quote.study}.yaml "
                    f"(study: {quote.study}, its participants and themes)",
                )
            )
    return problems


def _holds(path: Path, what: str) -> bool:
    kind = kind_of(path)
    return kind is not None and kind.holds == what


PROJECT_FILE = "kg.toml"


def project_title(project: str | os.PathLike = ".", graph_file: str | os.PathLike | None = None) -> str:
    """The project's topic: ``title`` in its ``kg.toml``, else the folder's name.

    With a graph file, the project is the folder that holds its ``out/`` folder (or its own folder).
    """
    if graph_file is not None:
        folder = Path(graph_file).resolve().parent
        root = folder.parent if folder.name == "out" and not (folder / PROJECT_FILE).is_file() else folder
    else:
        root = Path(project).resolve()
    title = project_settings(root).get("title", "")
    if not isinstance(title, str):
        raise ProjectError(f'{root / PROJECT_FILE}: title must be text, got {title!r}; write it as title = "..."')
    return title.strip() or root.name


def project_settings(root: Path) -> dict:
    """The project file ``kg.toml`` of a project folder as a dict ({} when there is none)."""
    path = root / PROJECT_FILE
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProjectError(f'{path}: cannot read it as TOML ({exc}); write it as title = "..."') from None


def refi_settings(root: Path) -> dict:
    """The ``[refi."quotes/FILE.qdpx"]`` tables of kg.toml: each REFI-QDA file's settings (study,
    role_variable, user, professional), keyed by its path relative to the project."""
    tables = project_settings(root).get("refi", {})
    if not isinstance(tables, dict):
        raise ProjectError(
            f'{root / PROJECT_FILE}: refi is not a table; write [refi."quotes/FILE.qdpx"] then study = "KEY"'
        )
    return tables


def init_project(directory: str | os.PathLike) -> list[Path]:
    """Make a new project with a tiny working example; refuse a folder that already has files."""
    root = Path(directory)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ProjectError(f"'{root}' already exists and is not an empty folder; give a new folder name")
    written = []
    skeleton = {**SKELETON, PROJECT_FILE: f"title = {json.dumps(root.resolve().name)}\n"}
    for rel, text in skeleton.items():
        path = root / rel
        write_atomically(path, text.encode("utf-8"))
        written.append(path)
    return written
