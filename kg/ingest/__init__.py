"""Read a project's input files into the model: one reader per file kind, one contract for all.

A reader takes every file of its kind, in order, with the project root (so messages name paths
relative to it), and returns a :class:`~kg.model.PartialCorpus`: what it read and every problem
it found, never raising on bad input. It gets all its files at once because a kind may span
files (a BibTeX ``@string`` or ``crossref`` holds from one file in the next). :func:`read_inputs`
picks the reader by the file's suffix; a file no reader knows is a warning naming it, never
silence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import warning
from kg.files import relative_path
from kg.ingest.annotations import read_annotations
from kg.ingest.bibtex import read_bibtex
from kg.ingest.cache import InputCache
from kg.model import PartialCorpus
from kg.progress import SILENT, Progress

Reader = Callable[[list[Path], Path], PartialCorpus]


@dataclass(frozen=True)
class FileKind:
    """A kind of input file: which reader reads it, and what it holds."""

    name: str  # as messages call it
    holds: str  # "annotations" (quotes/) or "references" (references/)
    reader: Reader
    spans_files: bool = False  # one file's meaning depends on others (BibTeX macros, crossref)


ANNOTATIONS = FileKind("annotation file (YAML)", "annotations", read_annotations)
BIBTEX = FileKind("BibTeX file", "references", read_bibtex, spans_files=True)

#: File suffix (lower case) -> its kind. A new format is a new reader and a line here.
KINDS: dict[str, FileKind] = {".yaml": ANNOTATIONS, ".yml": ANNOTATIONS, ".bib": BIBTEX}


def kind_of(path: Path) -> FileKind | None:
    """The kind of an input file by its suffix, or None when no reader knows it."""
    return KINDS.get(path.suffix.lower())


def read_inputs(
    paths: list[Path], root: Path, cache: InputCache | None = None, progress: Progress = SILENT
) -> PartialCorpus:
    """Read every file with the reader of its kind; warn about files that no reader knows.

    References are read before annotations (the order the checks report them in); within a
    kind, files keep the order given. With a ``cache``, a file (or the files of a kind that
    spans files) whose bytes were read before is not read again.

    >>> part = read_inputs([Path("quotes/notes.txt")], Path("."))
    >>> [str(p) for p in part.problems]
    ["quotes/notes.txt: warning: no reader for '.txt' files, so it was not read; recovery-kg reads .bib, .yaml, .yml"]
    """
    by_kind: dict[FileKind, list[Path]] = {}
    part = PartialCorpus()
    for path in paths:
        kind = kind_of(path)
        if kind is None:
            known = ", ".join(sorted(KINDS))
            part.problems.append(
                warning(
                    relative_path(path, root),
                    None,
                    f"no reader for '{path.suffix or path.name}' files, so it was not read",
                    f"recovery-kg reads {known}",
                )
            )
            continue
        by_kind.setdefault(kind, []).append(path)
    with progress.stage("reading", total=sum(len(files) for files in by_kind.values())) as advance:
        for kind in sorted(by_kind, key=lambda k: (k.holds != "references", k.name)):
            files = by_kind[kind]
            for batch in [files] if kind.spans_files else [[path] for path in files]:
                part.add(cache.read(kind.name, kind.reader, batch, root) if cache else kind.reader(batch, root))
                advance(len(batch))
    return part
