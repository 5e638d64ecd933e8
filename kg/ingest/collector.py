"""Python's cycle collector run seldom while kg makes the many objects it keeps.

By default the collector looks at the newest objects every 700 allocations and, now and then, at
every object: reading, checking and building keep most of what they make (entries, names, nodes,
triples), so those passes, each longer than the last as the heap grows, find next to nothing. At
20,000 BibTeX entries and 10,000 quotes they were a third of a graph build's CPU time (reading
7.3 -> 4.7 CPU s, building the triples 2.7 -> 1.0 s; bench/RESULTS.md) for the same peak memory.
Cycles are still collected, in fewer and larger passes (pylatexenc leaves one per value it reads).

Every ``kg`` command runs inside :func:`fewer_collections`, and so do the library's readers and
builds called on their own; nested uses keep the outermost setting and restore it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

#: gc.set_threshold's three numbers inside: the newest objects examined every 100,000 allocations.
THRESHOLDS = (100_000, 50, 100)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector's thresholds raised inside, and after as they were before.

    >>> before = gc.get_threshold()
    >>> with fewer_collections():
    ...     gc.get_threshold()
    (100000, 50, 100)
    >>> gc.get_threshold() == before
    True
    """
    before = gc.get_threshold()
    seldom = before[0] == 0 or before[0] >= THRESHOLDS[0]  # off (0) or rarer already: as the caller asked
    gc.set_threshold(*(before if seldom else THRESHOLDS))
    try:
        yield
    finally:
        gc.set_threshold(*before)
