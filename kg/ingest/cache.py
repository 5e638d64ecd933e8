"""Parsed inputs kept between builds (``out/.cache/``), so a rebuild re-reads only what changed.

What a reader made of a file (its :class:`~kg.model.PartialCorpus`, problems included) is
pickled under a key: the SHA-256 of the file's bytes and path, the project's folder, the kg
version and the source code of the readers. A file is read again when any of these changed. A
cache entry that is stale (another key), corrupt (cannot be unpickled, or holds something else)
or from another version is ignored and read anew, never trusted. New entries are written only by
a run whose input has no error (:meth:`InputCache.save`): a failing build writes nothing. Files that span each other
(BibTeX: ``@string`` and ``crossref`` reach across files) are cached together under one key.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path

from kg._version import __version__
from kg.files import keep, read_kept
from kg.model import PartialCorpus

#: Bumped when the layout of a cache entry changes.
LAYOUT = 1
SUFFIX = ".pickle"
#: The code whose output is cached: a change to any of it makes every entry stale.
_READER_CODE = (
    Path(__file__).parent,
    Path(__file__).parent.parent / "model.py",
    Path(__file__).parent.parent / "errors.py",
)


@lru_cache(maxsize=1)
def readers_fingerprint() -> str:
    """SHA-256 of the kg version and the readers' source code."""
    digest = hashlib.sha256(f"{LAYOUT}\0{__version__}".encode())
    for place in _READER_CODE:
        for path in sorted(place.glob("*.py")) if place.is_dir() else [place]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class InputCache:
    """A folder of parsed inputs. :meth:`read` answers from it or reads and keeps the answer.

    >>> import tempfile
    >>> cache = InputCache(Path(tempfile.mkdtemp()))
    >>> calls = []
    >>> reader = lambda paths, root: calls.append(paths) or PartialCorpus()
    >>> _ = cache.read("annotations", reader, [], Path("."))
    >>> cache.save()
    >>> _ = cache.read("annotations", reader, [], Path("."))
    >>> len(calls), cache.hits
    (1, 1)
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.used: set[str] = set()
        self.pending: dict[str, bytes] = {}  # key -> the entry, pickled when read (before any change)
        self.hits = 0

    def key(self, reader_name: str, paths: list[Path], root: Path) -> str:
        """The key of what ``reader_name`` makes of ``paths``: every byte that decides it."""
        digest = hashlib.sha256(f"{readers_fingerprint()}\0{reader_name}\0{root.resolve()}".encode())
        for path in paths:
            data = path.read_bytes()
            digest.update(f"\0{path}\0{len(data)}\0".encode() + data)
        return digest.hexdigest()

    def read(self, reader_name: str, reader, paths: list[Path], root: Path) -> PartialCorpus:
        """What ``reader(paths, root)`` returns, from the cache when an entry for the same bytes is whole."""
        try:
            key = self.key(reader_name, paths, root)
        except OSError:  # unreadable: the reader reports it
            return reader(paths, root)
        self.used.add(key)
        cached = self._load(key)
        if cached is not None:
            self.hits += 1
            return cached
        part = reader(paths, root)
        try:
            self.pending[key] = pickle.dumps(((LAYOUT, __version__, key), part))
        except (pickle.PicklingError, TypeError, AttributeError):  # not kept: only costs time
            pass
        return part

    def _load(self, key: str) -> PartialCorpus | None:
        part = read_kept(self.folder / f"{key}{SUFFIX}", (LAYOUT, __version__, key))
        return part if isinstance(part, PartialCorpus) else None

    def save(self) -> None:
        """Write the entries read this run, and remove those it did not use (inputs that changed
        or went away). A cache that cannot be written only costs time."""
        keep(self.folder, SUFFIX, self.pending, self.used)
