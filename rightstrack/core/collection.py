"""Python's cyclic garbage collector paced for bulk work.

By default CPython looks for reference cycles after every 700 net allocations of container
objects, and from time to time through every object the process holds. Bulk work (an import
building hundreds of thousands of rows, candidates and word sets) triggers thousands of these
passes, and the full ones grow with the process: a third of an import's CPU time at 250,000
recommendations held was the collector's (bench/import_speed.py). Reference counting frees
everything that is not a cycle whatever the pacing; the few cycles bulk work makes wait a
little longer.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Net allocations between two passes over the youngest objects during bulk work.
BULK_THRESHOLD = 100_000

_lock = threading.Lock()
# How many blocks (of any thread) run paced, and the pacing before the first of them.
_depth = 0
_before: tuple[int, ...] = ()


@contextmanager
def fewer_collections(threshold: int = BULK_THRESHOLD) -> Iterator[None]:
    """Run the block with the collector's first threshold at least ``threshold`` (its other
    thresholds as they were). The pacing is process-wide: blocks of several threads share it,
    and the pacing before the first is restored when the last ends."""
    global _depth, _before
    with _lock:
        if not _depth:
            _before = gc.get_threshold()
        _depth += 1
        current = gc.get_threshold()
        gc.set_threshold(max(threshold, current[0]), *current[1:])
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if not _depth:
                gc.set_threshold(*_before)
