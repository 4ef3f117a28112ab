"""The unfiltered lists counted ahead of their first reader after every write that changes them.

Database triggers raise the data version on every write to the tables the list counts
(migration 0009), and the counts kept for the version before are of no more use: without this,
the first reader after an edit or a tag decision would count the list and its facets again
(1-2 s at 250,000 recommendations). A wrapper on every database connection sees the same
writes (INSERT, UPDATE or DELETE on those tables, whichever way Django makes them: a model's
save, a queryset's update or delete, bulk_create, raw SQL on a cursor; a COPY, past
Django's cursor, is noted by its caller with ``wrote``) and, once the
transaction commits, queues the count job (``facets.COUNT_JOB``): once per transaction, and
only when none is waiting already, so a burst of writes is counted once.

Nothing read depends on it being quick: kept counts are those of their version, so a reader
who comes before the job has counted counts for themselves, as before.

Writes made inside ``counted_once()`` (an import's chunks, each committed on its own) queue the
job once, when the block ends, instead of after every chunk.
"""

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

# The tables whose writes raise the data version (migration 0009's triggers).
WATCHED_TABLES = frozenset(
    {
        "recommendations_recommendation",
        "recommendations_recommendationtag",
        "recommendations_recommendation_recommending_states",
        "taxonomy_term",
    }
)
# The table a write statement changes, as Django writes it (quoted) or by hand.
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)"
    r'\s+"?(\w+)"?',
    re.IGNORECASE,
)
# Inside counted_once(): the aliases of the databases written to so far.
_held: ContextVar[set[str] | None] = ContextVar("count_ahead_held", default=None)
# While migrate runs (pre_migrate to post_migrate): nothing is queued, the jobs' tables may
# not exist yet; the first reader after a migration counts.
_migrating = False
# On a connection: a write made outside a transaction whose count is still to be queued.
_PENDING = "rightstrack_count_pending"


def _start_count() -> None:
    from . import facets  # facets counts; this module only watches (and loads first)

    facets.start_count()


def watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """The connection's execute wrapper (``connection.execute_wrappers``): after a write to a
    watched table, the count is queued for when the transaction commits."""
    connection = context["connection"]
    if connection.__dict__.pop(_PENDING, False):
        # A write made outside a transaction: queued now that its statement is done with (not
        # right after it: Django has yet to read what it returned), or once this transaction
        # commits.
        count_after_commit(connection.alias)
    result = execute(sql, params, many, context)
    if isinstance(sql, str):
        found = _WRITE.match(sql)
        if found is not None:
            _wrote(found.group(1).lower(), connection)
    return result


def wrote(table: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Note a write to ``table`` made past Django's cursor (PostgreSQL's COPY), which the
    wrapper does not see: the count is queued as for any other."""
    _wrote(table, connections[using], now=True)


def _wrote(table: str, connection: Any, *, now: bool = False) -> None:
    if _migrating or table not in WATCHED_TABLES:
        return
    held = _held.get()
    if held is not None:
        held.add(connection.alias)
    elif connection.in_atomic_block or now:
        count_after_commit(connection.alias)
    else:
        connection.__dict__[_PENDING] = True


def count_after_commit(using: str) -> None:
    """Queue the count of the unfiltered lists once the current transaction commits (at once
    outside a transaction), once per transaction however many writes it makes."""
    connection = connections[using]
    # Each callback waiting is (savepoint ids, function, robust).
    if connection.in_atomic_block and any(
        callback[1] is _start_count for callback in connection.run_on_commit
    ):
        return
    transaction.on_commit(_start_count, using=using)


def count_pending(**kwargs: Any) -> None:
    """``request_finished`` receiver: queue the count of the writes made outside a transaction
    that no later statement has queued yet."""
    for connection in connections.all(initialized_only=True):
        if connection.__dict__.pop(_PENDING, False):
            count_after_commit(connection.alias)


@contextmanager
def counted_once() -> Iterator[None]:
    """Writes inside the block queue the count once, at its end (or once the transaction around
    it commits), rather than after each of their own transactions."""
    if _held.get() is not None:  # nested: the outer block queues it
        yield
        return
    written: set[str] = set()
    token = _held.set(written)
    try:
        yield
    finally:
        _held.reset(token)
        for using in sorted(written):
            count_after_commit(using)


def install(connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: watch the new connection's writes."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def migrating(**kwargs: Any) -> None:
    """``pre_migrate`` receiver."""
    global _migrating  # noqa: PLW0603 - one flag for the whole process, as migrate runs
    _migrating = True


def migrated(**kwargs: Any) -> None:
    """``post_migrate`` receiver."""
    global _migrating  # noqa: PLW0603
    _migrating = False


# On a connection: a write made outside a transaction whose count is still to be queued.
_PENDING = "rightstrack_count_pending"
