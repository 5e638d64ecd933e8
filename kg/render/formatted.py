"""Formatted references kept between builds (``out/.cache/formatted/``), by everything that decides them.

citeproc-py formats a reference in 2-5 ms: a build of 4,600 cited works spends about a minute in
it (the map's references, the review's citations and its bibliography). What it makes depends
only on the style (its file's bytes), the output format, the CSL-JSON items and, for citations,
every citation in order (a numeric style numbers by first use; "ibid." follows the one before;
"2004a" needs every item). So one entry is kept per document under the SHA-256 of all of these,
the kg version and the source of the modules that format: a rebuild whose references and
citations did not change formats nothing. Each work's bibliography entry depends on that work
alone (:mod:`kg.render.entries`), so entries are kept per work (:meth:`FormattingCache.get_each`):
a newly cited or changed work is the only one formatted. An entry that is stale, corrupt or of another version
is ignored and made again, never trusted. Entries are written only by :meth:`FormattingCache.save`,
which ``kg build`` calls after everything else is written; entries this build did not use are
removed then.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import citeproc

from kg._version import __version__
from kg.files import keep, read_kept

T = TypeVar("T")

#: Bumped when what an entry holds changes.
LAYOUT = 1
SUFFIX = ".formatted"
#: The code whose output is cached: a change to any of it makes every entry stale.
_CODE = tuple(
    Path(__file__).parent / name
    for name in ("references.py", "citing.py", "csl_speed.py", "entries.py", "formatted.py")
)


def _fingerprint() -> bytes:
    digest = hashlib.sha256(f"{LAYOUT}\0{__version__}\0{citeproc.__version__}".encode())
    for path in _CODE:
        digest.update(path.read_bytes())
    return digest.digest()


class FormattingCache:
    """A folder of formatted documents; :meth:`get` answers from it or makes and keeps the answer.

    ``folder=None`` keeps nothing (every answer is made): what ``kg review`` and ``kg map`` use.

    >>> import tempfile
    >>> cache = FormattingCache(Path(tempfile.mkdtemp()))
    >>> made = []
    >>> cache.get("bibliography", b"apa", [{"id": "a"}], lambda: made.append(1) or ["A."])
    ['A.']
    >>> cache.save(); again = FormattingCache(cache.folder)
    >>> again.get("bibliography", b"apa", [{"id": "a"}], lambda: made.append(1) or ["A."]), len(made), again.hits
    (['A.'], 1, 1)
    """

    def __init__(self, folder: str | Path | None):
        self.folder = Path(folder) if folder is not None else None
        self.used: set[str] = set()
        self.pending: dict[str, bytes] = {}
        self.hits = 0

    def key(self, kind: str, style: bytes, data) -> str:
        """The key of a document: its kind, the style file's bytes, and its data as sorted JSON."""
        digest = hashlib.sha256(_fingerprint() + b"\0" + kind.encode() + b"\0")
        digest.update(hashlib.sha256(style).digest())
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        return digest.hexdigest()

    def get(self, kind: str, style: bytes, data, make: Callable[[], T]) -> T:
        """What ``make()`` returns for ``data`` formatted in ``style``; from the folder when kept there."""
        if self.folder is None:
            return make()
        key = self.key(kind, style, data)
        self.used.add(key)
        value = read_kept(self.folder / f"{key}{SUFFIX}", (LAYOUT, __version__, key))
        if value is not None:
            self.hits += 1
            return value
        value = make()
        self.pending[key] = pickle.dumps(((LAYOUT, __version__, key), value))
        return value

    def get_each(
        self, kind: str, style: bytes, items: list[dict], make: Callable[[list[dict]], dict[str, T]]
    ) -> dict[str, T]:
        """What ``make(items)`` returns (a value per item id) when each item's value depends on that item
        alone: kept per item, so that only the items not formatted before are given to ``make``.

        >>> import tempfile
        >>> cache, asked = FormattingCache(Path(tempfile.mkdtemp())), []
        >>> make = lambda items: asked.append([i["id"] for i in items]) or {i["id"]: i["id"].upper() for i in items}
        >>> cache.get_each("entries", b"apa", [{"id": "a"}], make); cache.save()
        {'a': 'A'}
        >>> FormattingCache(cache.folder).get_each("entries", b"apa", [{"id": "a"}, {"id": "b"}], make), asked
        ({'a': 'A', 'b': 'B'}, [['a'], ['b']])
        """
        if self.folder is None:
            return make(items)
        key = self.key(kind + " by item", style, None)
        self.used.add(key)
        table = read_kept(self.folder / f"{key}{SUFFIX}", (LAYOUT, __version__, key))
        known: dict[str, T] = table if isinstance(table, dict) else {}
        digests = {item["id"]: _digest(item) for item in items}
        missing = [item for item in items if digests[item["id"]] not in known]
        made = make(missing) if missing else {}
        self.hits += len(items) - len(missing)
        found = {
            item["id"]: known[digests[item["id"]]] if item["id"] not in made else made[item["id"]] for item in items
        }
        # What this run used, and only that: works no longer cited leave the cache.
        table = {digests[key]: value for key, value in found.items()}
        self.pending[key] = pickle.dumps(((LAYOUT, __version__, key), table))
        return found

    def save(self) -> None:
        """Write what was made this run and remove the entries it did not use."""
        if self.folder is not None:
            keep(self.folder, SUFFIX, self.pending, self.used)


def _digest(item: dict) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


#: What a document made without a cache uses.
NO_CACHE = FormattingCache(None)
