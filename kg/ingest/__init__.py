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
from kg.ingest.csljson import read_csl_json
from kg.ingest.csv_quotes import read_quote_tables
from kg.ingest.ris import read_ris
from kg.model import PartialCorpus

Reader = Callable[[list[Path], Path], PartialCorpus]


@dataclass(frozen=True)
class FileKind:
    """A kind of input file: which reader reads it, and what it holds."""

    name: str  # as messages call it
    holds: str  # "annotations" (quotes/) or "references" (references/)
    reader: Reader


ANNOTATIONS = FileKind("annotation file (YAML)", "annotations", read_annotations)
BIBTEX = FileKind("BibTeX file", "references", read_bibtex)
QUOTE_TABLE = FileKind("quote table (CSV/TSV)", "annotations", read_quote_tables)
RIS = FileKind("RIS file", "references", read_ris)
CSL_JSON = FileKind("CSL-JSON file", "references", read_csl_json)

#: File suffix (lower case) -> its kind. A new format is a new reader and a line here.
KINDS: dict[str, FileKind] = {
    ".yaml": ANNOTATIONS,
    ".yml": ANNOTATIONS,
    ".bib": BIBTEX,
    ".csv": QUOTE_TABLE,
    ".tsv": QUOTE_TABLE,
    ".ris": RIS,
    ".json": CSL_JSON,
}


def kind_of(path: Path) -> FileKind | None:
    """The kind of an input file by its suffix, or None when no reader knows it."""
    return KINDS.get(path.suffix.lower())


def read_inputs(paths: list[Path], root: Path) -> PartialCorpus:
    """Read every file with the reader of its kind; warn about files that no reader knows.

    References are read before annotations (the order the checks report them in); within a
    kind, files keep the order given.

    >>> part = read_inputs([Path("quotes/notes.txt")], Path("."))
    >>> [str(p) for p in part.problems]  # doctest: +ELLIPSIS
    ["quotes/notes.txt: warning: no reader for '.txt' files, so it was not read; recovery-kg reads .bib, ..."]
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
    for kind in sorted(by_kind, key=lambda k: (k.holds != "references", k.name)):
        part.add(kind.reader(by_kind[kind], root))
    return part
