"""Read a project's input files into the model: one reader per file kind, one contract for all.

A reader takes every file of its kind, in order, with the project root (so messages name paths
relative to it) and the project's settings for its files (``settings``: each file's path relative
to the root -> its table in kg.toml, such as ``[refi."quotes/x.qdpx"]``; readers that need none
ignore it), and returns a :class:`~kg.model.PartialCorpus`: what it read, what its files hold that
the graph will not (``losses``) and every problem it found, never raising on bad input. It gets
all its files at once because a kind may span files (a BibTeX ``@string`` or ``crossref`` holds
from one file in the next). :func:`read_inputs` picks the reader by the file's suffix; a file no
reader knows is a warning naming it, never silence; each loss becomes a warning of one kind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Problem, warning
from kg.files import relative_path
from kg.ingest import collector
from kg.ingest.annotations import read_annotations
from kg.ingest.bibtex import read_bibtex
from kg.ingest.cache import InputCache
from kg.ingest.csljson import read_csl_json
from kg.ingest.csv_quotes import read_quote_tables
from kg.ingest.refi import read_refi
from kg.ingest.ris import read_ris
from kg.model import Loss, PartialCorpus
from kg.progress import SILENT, Progress

Reader = Callable[[list[Path], Path, Mapping[str, object] | None], PartialCorpus]
#: The warning kind of every loss (what a file holds that the graph does not), summarised together.
LOSS_KIND = "qda-loss"
#: How many names a loss warning shows before it counts the rest.
LOSS_NAMES_SHOWN = 5


@dataclass(frozen=True)
class FileKind:
    """A kind of input file: which reader reads it, and what it holds."""

    name: str  # as messages call it
    holds: str  # "annotations" (quotes/) or "references" (references/)
    reader: Reader
    spans_files: bool = False  # one file's meaning depends on others (BibTeX macros, crossref)


ANNOTATIONS = FileKind("annotation file (YAML)", "annotations", read_annotations)
BIBTEX = FileKind("BibTeX file", "references", read_bibtex, spans_files=True)
QUOTE_TABLE = FileKind("quote table (CSV/TSV)", "annotations", read_quote_tables)
RIS = FileKind("RIS file", "references", read_ris)
CSL_JSON = FileKind("CSL-JSON file", "references", read_csl_json)
REFI = FileKind("REFI-QDA file", "annotations", read_refi)

#: File suffix (lower case) -> its kind. A new format is a new reader and a line here.
KINDS: dict[str, FileKind] = {
    ".yaml": ANNOTATIONS,
    ".yml": ANNOTATIONS,
    ".bib": BIBTEX,
    ".csv": QUOTE_TABLE,
    ".tsv": QUOTE_TABLE,
    ".ris": RIS,
    ".json": CSL_JSON,
    ".qdpx": REFI,
    ".qdc": REFI,
}


def kind_of(path: Path) -> FileKind | None:
    """The kind of an input file by its suffix, or None when no reader knows it."""
    return KINDS.get(path.suffix.lower())


def loss_warning(loss: Loss) -> Problem:
    """One kind of thing a file holds that the graph does not, as a warning that names them.

    >>> str(loss_warning(Loss("quotes/a.qdpx", "notes and memos", ("Memo 1",))))
    "quotes/a.qdpx: warning: not in the graph: notes and memos (1): 'Memo 1'"
    """
    shown = ", ".join(f"'{name}'" for name in loss.names[:LOSS_NAMES_SHOWN])
    rest = len(loss.names) - LOSS_NAMES_SHOWN
    more = f" and {rest:,} more" if rest > 0 else ""
    return warning(
        loss.path, None, f"not in the graph: {loss.what} ({len(loss.names):,}): {shown}{more}", "", LOSS_KIND
    )


def read_inputs(
    paths: list[Path],
    root: Path,
    settings: Mapping[str, object] | None = None,
    cache: InputCache | None = None,
    progress: Progress = SILENT,
) -> PartialCorpus:
    """Read every file with the reader of its kind; warn about files that no reader knows.

    References are read before annotations (the order the checks report them in); within a
    kind, files keep the order given. With a ``cache``, a file (or the files of a kind that
    spans files) whose bytes were read before is not read again.

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
    # The settings of kg.toml decide what a reader makes of a file: they are part of the cache key.
    fingerprint = repr(sorted((str(k), repr(v)) for k, v in (settings or {}).items()))
    reading = progress.stage("reading", total=sum(len(files) for files in by_kind.values()))
    with reading as advance, collector.fewer_collections():  # what is read is kept: see kg.ingest.collector
        for kind in sorted(by_kind, key=lambda k: (k.holds != "references", k.name)):
            files = by_kind[kind]
            reader = functools.partial(kind.reader, settings=settings)
            for batch in [files] if kind.spans_files else [[path] for path in files]:
                name = f"{kind.name}\0{fingerprint}"
                part.add(cache.read(name, reader, batch, root) if cache else reader(batch, root))
                advance(len(batch))
    part.problems += [loss_warning(loss) for loss in part.losses]
    return part
