"""How far running imports have got, shared between the import thread and the progress page.

An import writes in one transaction, so a progress count saved on its batch would stay invisible
to other connections until the very end; the count therefore lives in this process's memory
while the import runs, and on the batch once it is done.
"""

import threading

_lock = threading.Lock()
# {batch id: (records processed, records in the file when known)}
_running: dict[int, tuple[int, int | None]] = {}


def report(batch_id: int, processed: int, total: int | None) -> None:
    with _lock:
        _running[batch_id] = (processed, total)


def forget(batch_id: int) -> None:
    with _lock:
        _running.pop(batch_id, None)


def current(batch_id: int) -> tuple[int, int | None] | None:
    """(processed, total) of a batch being imported by this process, or None."""
    with _lock:
        return _running.get(batch_id)
