"""Progress of long work, told to whoever shows it (the command line draws a bar on a terminal).

The library says what it is doing and how far it got; it never prints. :data:`SILENT` is the
default and shows nothing.
"""

from __future__ import annotations

from contextlib import contextmanager


class Progress:
    """Shows nothing. A subclass draws: :meth:`stage` yields a function that advances by ``n``.

    >>> with SILENT.stage("reading", total=3) as advance:
    ...     advance(1)
    """

    @contextmanager
    def stage(self, label: str, total: int):
        yield lambda n=1: None


SILENT = Progress()
