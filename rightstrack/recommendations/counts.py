"""Counts of the list kept per data version: exact, computed once, shared by every process.

Counting the whole list and its fourteen facets reads every recommendation and its million tags
(2-4 s at 250,000 recommendations), yet the answer only changes when the data do. Database
triggers raise ``DataVersion.version`` on every write to recommendations, their tags and
recommending States and to terms (migration 0009). The counts of a list that no text narrows
and at most one filter value does (the unfiltered list, one State, one theme...) are kept in
``KeptCounts`` under the version they were computed for, and used while it is current: one
indexed read instead of the scans. The first reader after a change computes them again.

Nothing is estimated: a kept count is the count of the data of its version. Lists with a text
query or several filter values are always counted afresh (their combinations are endless);
counts that depend on action plans (which measures a reader may see) are never kept.
"""

import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Subquery

from .filters import RecommendationFilters
from .models import DataVersion, KeptCounts

# Filters whose values live outside the watched tables (cluster membership, action plans'
# measures): lists narrowed by them are never kept.
UNKEPT_FILTERS = ("q", "cluster", "addressed", "implementation")
# At most this many filter values: the unfiltered list and each single-filter list.
KEPT_FILTER_VALUES = 1
VERSION_ROW = 1


def list_key(
    filters: RecommendationFilters, *, everything_visible: bool, tag_statuses: Iterable[str]
) -> str | None:
    """The key of a list's kept counts for one kind of reader, or None when it is not kept."""
    if filters.has_text() or filters.by_meaning():
        return None
    pairs = [(name, value) for name, value in filters.query_pairs() if name not in ("sort", "mode")]
    if len(pairs) > KEPT_FILTER_VALUES or any(name in UNKEPT_FILTERS for name, _ in pairs):
        return None
    reader = "all" if everything_visible else "published"
    return f"{reader}:{'+'.join(sorted(tag_statuses))}:{urlencode(pairs)}"


def kept(key: str, compute: Callable[[], Any], *, using: str = DEFAULT_DB_ALIAS) -> Any:
    """The value kept under ``key`` for the current data version, else ``compute()`` (a value
    JSON can hold), kept for the next reader.

    Keeping it waits 0.1 s at most for a lock: while an import holds the database, the value
    is computed and not kept.
    """
    current = DataVersion.objects.using(using).filter(pk=VERSION_ROW).values("version")
    found = (
        KeptCounts.objects.using(using)
        .filter(key=key, version=Subquery(current))
        .values_list("counts", flat=True)
        .first()
    )
    if found is not None:
        return found
    version = current.values_list("version", flat=True).first()
    value = compute()
    if version is not None:
        _keep(key, version, value, using)
    return value


def _keep(key: str, version: int, value: Any, using: str) -> None:
    """Keep ``value``, waiting 0.1 s at most for another writer's lock instead of 5 s (SQLite's
    busy timeout here) or for ever (PostgreSQL's default)."""
    connection = connections[using]
    try:
        with _sqlite_busy_timeout(connection, 100), transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = 100")  # this transaction only
            KeptCounts.objects.using(using).filter(version__lt=version).delete()
            KeptCounts.objects.using(using).bulk_create(
                [KeptCounts(key=key, version=version, counts=value)],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["version", "counts"],
            )
    except DatabaseError:
        # Another writer holds the database (an import): the next reader keeps it.
        pass


@contextmanager
def _sqlite_busy_timeout(connection: Any, milliseconds: int) -> Any:
    """On SQLite, wait ``milliseconds`` at most for a lock (also to begin the transaction),
    then the configured time again."""
    if connection.vendor != "sqlite":
        yield
        return
    init_command = connection.settings_dict.get("OPTIONS", {}).get("init_command", "")
    found = re.search(r"busy_timeout\s*=\s*(\d+)", init_command)
    configured = int(found.group(1)) if found else 0
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {configured}")


def encode_counts(counts: dict[str, dict[Any, int]]) -> dict[str, list[list[Any]]]:
    """Facet counts {facet: {value: n}} as JSON keeps them (values may be numbers or None)."""
    return {facet: [[value, n] for value, n in values.items()] for facet, values in counts.items()}


def decode_counts(kept_counts: dict[str, list[list[Any]]]) -> dict[str, dict[Any, int]]:
    return {facet: dict(pairs) for facet, pairs in kept_counts.items()}
