"""Counts of the list kept per data version: exact, computed once, shared by every process.

Counting the whole list and its fourteen facets reads every recommendation and its million tags
(2-4 s at 250,000 recommendations), yet the answer only changes when the data do. Database
triggers raise ``DataVersion.version`` on every write to recommendations, their tags and
recommending States and to terms (migration 0009). The counts of a list that no text narrows
and at most one filter value does (the unfiltered list, one State, one theme...) are kept in
``KeptCounts`` under the version they were computed for, and used while it is current: one
indexed read instead of the scans. The first reader after a change computes them again.

Nothing is estimated: a kept count is the count of the data of its version. Lists with several
filter values and no text are always counted afresh (their combinations are endless); counts
that depend on action plans (which measures a reader may see) are never kept.

A search by words is remembered instead (``search_key``, ``remembered``): its length, its
facets and the ids of its first pages in each order, so the next reader of the same search
(the next page, a link shared, a facet ticked and unticked) gets them without the full-text
query, the ranking and a dozen facet counts. They are kept in Django's cache (each process's
memory unless a shared cache is configured), not in the database, so a read never writes; the
key holds the data version, so a change of the data is never answered from before it.
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from .filters import RecommendationFilters
from .models import DataVersion, KeptCounts

# Filters whose values live outside the watched tables (cluster membership, action plans'
# measures): lists narrowed by them are never kept.
UNKEPT_FILTERS = ("q", "cluster", "addressed", "implementation")
# At most this many filter values: the unfiltered list and each single-filter list.
KEPT_FILTER_VALUES = 1
VERSION_ROW = 1
# How long a search's results stay in the cache at most (a change of the data makes them
# unreachable at once: the key holds the data version).
REMEMBERED_SECONDS = 3600


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


def search_key(
    filters: RecommendationFilters,
    *,
    everything_visible: bool,
    tag_statuses: Iterable[str],
    using: str = DEFAULT_DB_ALIAS,
    version: int | None = None,
) -> str | None:
    """The key of a search by words' remembered results for one kind of reader and the current
    data version (the same whatever the sort; callers add it for what depends on it), or None
    when it is not remembered: no text, a search by meaning, or a filter whose values live
    outside the watched tables."""
    if not filters.has_text() or filters.by_meaning():
        return None
    pairs = [(name, value) for name, value in filters.query_pairs() if name not in ("sort", "mode")]
    if any(name in UNKEPT_FILTERS and name != "q" for name, _ in pairs):
        return None
    if version is None:
        version = data_version(using)
    if version is None:
        return None
    reader = "all" if everything_visible else "published"
    database = connections[using].settings_dict["NAME"]
    return f"{database}:{version}:{reader}:{'+'.join(sorted(tag_statuses))}:{urlencode(pairs)}"


def remembered(key: str, compute: Callable[[], Any]) -> Any:
    """The value remembered under ``key`` (from ``search_key``), else ``compute()`` (never None),
    remembered for the next reader."""
    cache_key = _cache_key(f"search:{key}")
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, REMEMBERED_SECONDS)
    return value


def remembered_many(
    keys: dict[Any, str], compute: Callable[[list[Any]], dict[Any, Any]]
) -> dict[Any, Any]:
    """{item: value} of the values remembered under ``keys`` ({item: key}, keys as
    ``remembered`` takes them), ``compute(missing items)`` giving those not remembered (one
    read of the cache for all)."""
    cache_keys = {item: _cache_key(f"search:{key}") for item, key in keys.items()}
    found = cache.get_many(list(cache_keys.values()))
    values = {
        item: found[cache_key] for item, cache_key in cache_keys.items() if cache_key in found
    }
    missing = [item for item in keys if item not in values]
    if missing:
        computed = compute(missing)
        cache.set_many(
            {cache_keys[item]: value for item, value in computed.items()}, REMEMBERED_SECONDS
        )
        values.update(computed)
    return values


def data_version(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The current data version (None before the first migration has made its row)."""
    return (
        DataVersion.objects.using(using)
        .filter(pk=VERSION_ROW)
        .values_list("version", flat=True)
        .first()
    )


def versioned_key(
    key: str, *, using: str = DEFAULT_DB_ALIAS, version: int | None = None
) -> str | None:
    """``key`` (from ``list_key``) for the current data version of this database (``version``
    when the caller has read it), as ``remembered`` takes it; None when there is no version."""
    if version is None:
        version = data_version(using)
    if version is None:
        return None
    return f"{connections[using].settings_dict['NAME']}:{version}:{key}"


def _cache_key(key: str) -> str:
    # A digest: the words may be longer than a cache's key may be.
    return "rightstrack:" + hashlib.sha256(key.encode()).hexdigest()


def kept(
    key: str,
    compute: Callable[[], Any],
    *,
    using: str = DEFAULT_DB_ALIAS,
    version: int | None = None,
) -> Any:
    """The value kept under ``key`` for the current data version, else ``compute()`` (a value
    JSON can hold), kept for the next reader.

    A value read or computed is also remembered in this process (Django's cache, under the
    version), so the next reader reads the version alone, not the kept JSON.
    Keeping it waits 0.1 s at most for a lock: while an import holds the database, the value
    is computed and not kept. ``version``: the current data version, when the caller has read it.
    """
    if version is None:
        version = data_version(using)
    if version is None:
        return compute()
    cache_key = _cache_key(f"kept:{connections[using].settings_dict['NAME']}:{version}:{key}")
    value = cache.get(cache_key)
    if value is not None:
        return value
    value = (
        KeptCounts.objects.using(using)
        .filter(key=key, version=version)
        .values_list("counts", flat=True)
        .first()
    )
    if value is None:
        value = compute()
        _keep(key, version, value, using)
    cache.set(cache_key, value, REMEMBERED_SECONDS)
    return value


def kept_count(
    key: str,
    count: Callable[[], int],
    *,
    using: str = DEFAULT_DB_ALIAS,
    version: int | None = None,
) -> int:
    """The length of the list or search whose key (``list_key``, ``search_key``) is ``key``."""
    return int(kept(f"count:{key}", count, using=using, version=version))


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
