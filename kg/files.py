"""Files on disk: atomic writes that honour the umask, and paths shown relative to a folder.

Outputs are written to a temporary file beside their place and renamed over it, so a reader (or
a crash) never sees half a file and an earlier output stays whole when a run fails.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    The file gets the mode a plain ``open(path, "w")`` would give (0o666 less the umask), not
    the 0o600 of a temporary file, so co-authors and web servers can read what is shared.
    """
    path = Path(path)
    tmp = _temporary_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _temporary_beside(path: Path, data: bytes) -> str:
    """``data`` in a new temporary file in ``path``'s folder (made if missing), with the mode
    a plain ``open(path, "w")`` would give; its name. Nothing is left when writing fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


class StagedFiles:
    """Files written as temporaries beside their paths as soon as they are made, renamed into place
    together by :meth:`commit`; all removed when the work fails before (a ``with`` block): nothing
    half-written, and a build need not hold every output in memory until its end.
    """

    def __init__(self):
        self._staged: dict[Path, str] = {}

    def write(self, path: Path, data: bytes) -> None:
        path = Path(path)
        tmp = _temporary_beside(path, data)
        if path in self._staged:
            Path(self._staged[path]).unlink(missing_ok=True)
        self._staged[path] = tmp

    @property
    def paths(self) -> list[Path]:
        return list(self._staged)

    def commit(self, advance=lambda n: None) -> None:
        """Rename every staged file over its path (``advance(1)`` after each)."""
        while self._staged:
            path, tmp = next(iter(self._staged.items()))
            os.replace(tmp, path)
            del self._staged[path]
            advance(1)

    def discard(self) -> None:
        for tmp in self._staged.values():
            Path(tmp).unlink(missing_ok=True)
        self._staged.clear()

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()  # whatever was not committed


def relative_path(path: str | os.PathLike, root: str | os.PathLike) -> str:
    """``path`` relative to ``root`` in POSIX form; a path outside ``root`` is kept as given.

    Tried as given first, then with symlinks resolved, so ``root/../root/x`` and links agree.

    >>> relative_path("/p/quotes/a.yaml", "/p")
    'quotes/a.yaml'
    >>> relative_path("/elsewhere/a.bib", "/p")
    '/elsewhere/a.bib'
    """
    path, root = Path(path), Path(root)
    for resolve in (Path.absolute, Path.resolve):
        inside, base = resolve(path), resolve(root)
        if inside.is_relative_to(base):
            return inside.relative_to(base).as_posix()
    return path.as_posix()


def shown_path(path: str | os.PathLike) -> str:
    """A path as short as it can be from the current folder (how messages show outputs)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def read_kept(path: Path, header: tuple):
    """What a cache file written by :func:`keep` holds, when its header is ``header``; else None
    (missing, truncated, corrupt, another layout or version: made again, never trusted)."""
    try:
        with open(path, "rb") as handle:
            found, value = pickle.load(handle)
    except Exception:
        return None
    return value if found == header else None


def keep(folder: Path, suffix: str, pending: dict[str, bytes], used: set[str]) -> None:
    """Write a cache folder's new entries (key -> pickled bytes) and remove those this run did not
    use (inputs that changed or went away). A cache that cannot be written only costs time."""
    try:
        for key, data in pending.items():
            write_atomically(folder / f"{key}{suffix}", data)
        for path in folder.glob(f"*{suffix}") if folder.is_dir() else []:
            if path.name[: -len(suffix)] not in used:
                path.unlink(missing_ok=True)
    except OSError:
        pass
    pending.clear()
