"""Python's cycle collector paused while the readers make their objects.

Reading makes several objects per value (a parser's, then the model's) and keeps most of them,
so the collector's full passes, each longer than the last as the heap grows, find next to
nothing: at 20,000 BibTeX entries and 10,000 quotes they were over a tenth of a build's time.
The readers make few reference cycles (pylatexenc leaves one per value it reads); those are
found by the collector's first pass after the reading.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The cycle collector off inside, and after as it was before (off stays off).

    >>> with paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
