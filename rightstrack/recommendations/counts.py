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

A search by words is remembered instead (``search_key``, ``search_piece``): its length, its
facets and the ids of its first pages in each order, so the next reader of the same search
(the next page, a link shared, a facet ticked and unticked) gets them without the full-text
query, the ranking and a dozen facet counts. They are kept in Django's cache (each process's
memory unless a shared cache is configured); the key holds the data version, so a change of
the data is never answered from before it.

After a change every search would be computed again by its first reader in each process
(0.3-0.4 s for a common word). So a process notes the searches it is asked (``note_asked``: in
``AskedSearch``, at most once per search every ``ASKED_NOTE_SECONDS``, so a read seldom writes),
and the count job that follows every write prepares the most asked of them for the new version
(prepared_searches.py): their pieces are kept in ``KeptCounts``, one row per search, and the
first reader in any process reads them with one indexed read. A reader who comes before the job
computes for himself; a prepared row is used only for the version it was computed for.
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone

from .filters import RecommendationFilters
from .models import AskedSearch, DataVersion, KeptCounts

# Filters whose values live outside the watched tables (cluster membership, action plans'
# measures): lists narrowed by them are never kept.
UNKEPT_FILTERS = ("q", "cluster", "addressed", "implementation")
# At most this many filter values: the unfiltered list and each single-filter list.
KEPT_FILTER_VALUES = 1
VERSION_ROW = 1
# How long a search's results stay in the cache at most (a change of the data makes them
# unreachable at once: the key holds the data version).
REMEMBERED_SECONDS = 3600
# A web process notes a search asked at most once in this many seconds (AskedSearch).
ASKED_NOTE_SECONDS = 600
# The searches asked in this time are the count job's candidates; those asked before are
# forgotten, and so are all but the ASKED_KEPT asked last.
ASKED_WITHIN = timedelta(days=1)
ASKED_KEPT = 1000
# The key of a prepared search's row in KeptCounts: this, then a digest of the search.
PREPARED_PREFIX = "search:"


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


@dataclass(frozen=True)
class SearchKey:
    """A search by words (its words and filters, not its order) for one kind of reader, under
    one data version of one database: what its remembered pieces are keyed by (``str``)."""

    database: str
    version: int
    # The kind of reader, the tag statuses it sees and the filters, words first.
    search: str
    # "" for the exact search; a bounded search's pieces are apart (selectors.py).
    variant: str = ""
    using: str = field(default=DEFAULT_DB_ALIAS, compare=False)

    def __str__(self) -> str:
        variant = f"{self.variant}:" if self.variant else ""
        return f"{variant}{self.database}:{self.version}:{self.search}"

    def bounded(self, variant: str) -> "SearchKey":
        return replace(self, variant=variant)

    def piece_name(self, piece: str) -> str:
        """The name of a piece of this search's results in its prepared row."""
        return f"{self.variant}:{piece}" if self.variant else piece

    @property
    def kept_key(self) -> str:
        """The key of this search's prepared row in KeptCounts (the words may be longer than
        a key may be)."""
        return PREPARED_PREFIX + hashlib.sha256(self.search.encode()).hexdigest()


def search_key(
    filters: RecommendationFilters,
    *,
    everything_visible: bool,
    tag_statuses: Iterable[str],
    using: str = DEFAULT_DB_ALIAS,
    version: int | None = None,
) -> SearchKey | None:
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
    return SearchKey(
        database=connections[using].settings_dict["NAME"],
        version=version,
        search=f"{reader}:{'+'.join(sorted(tag_statuses))}:{urlencode(pairs)}",
        using=using,
    )


@dataclass(frozen=True)
class Kept:
    """How a piece of a search's results is written into its prepared row (JSON) and read
    back."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _as_is(value: Any) -> Any:
    return value


# Numbers, lists of ids, booleans: JSON holds them as they are.
AS_IS = Kept(_as_is, _as_is)

# While the count job prepares searches (``preparing``): {piece name: encoded value} of the
# search being prepared.
_preparing: ContextVar[dict[str, Any] | None] = ContextVar("counts_preparing", default=None)


def search_piece(
    key: SearchKey, piece: str, compute: Callable[[], Any], *, kept_as: Kept | None = AS_IS
) -> Any:
    """One piece of a search's results (``piece``: its length, the ids in one order...):
    remembered in this process, else prepared for this version by the count job, else
    ``compute()`` (never None), remembered for the next reader. ``kept_as``: how the piece
    is kept in a prepared row (None: it is not; it depends on more than the data)."""
    cache_key = _cache_key(f"search:{piece}:{key}")
    value = cache.get(cache_key)
    recording = _preparing.get()
    name = key.piece_name(piece)
    if value is None:
        stored = None
        if kept_as is not None and recording is None:
            stored = prepared(key).get(name)
        value = compute() if kept_as is None or stored is None else kept_as.decode(stored)
        cache.set(cache_key, value, REMEMBERED_SECONDS)
    if recording is not None and kept_as is not None:
        recording[name] = kept_as.encode(value)
    return value


def prepared(key: SearchKey) -> dict[str, Any]:
    """{piece name: encoded value} the count job prepared for this search and this version
    ({} when it has not): one indexed read per process, remembered."""
    cache_key = _cache_key(f"prepared:{key.database}:{key.version}:{key.search}")
    pieces = cache.get(cache_key)
    if pieces is None:
        pieces = (
            KeptCounts.objects.using(key.using)
            .filter(key=key.kept_key, version=key.version)
            .values_list("counts", flat=True)
            .first()
        ) or {}
        cache.set(cache_key, pieces, REMEMBERED_SECONDS)
    return pieces


@contextmanager
def preparing() -> Iterator[dict[str, Any]]:
    """Inside the block every piece of a search obtained (``search_piece``) is also written,
    encoded, into the dict yielded, and none is read from a prepared row: the pieces of a
    search being prepared (prepared_searches.py)."""
    pieces: dict[str, Any] = {}
    token = _preparing.set(pieces)
    try:
        yield pieces
    finally:
        _preparing.reset(token)


def keep_prepared(key: SearchKey, pieces: dict[str, Any]) -> None:
    """Keep the prepared pieces of a search for its version (``key.version``)."""
    _keep(key.kept_key, key.version, pieces, key.using)


def note_asked(
    *, filters: RecommendationFilters, everything_visible: bool, exact: bool, using: str
) -> None:
    """Note that a reader asked this search by words (``filters`` as searched; ``exact``: with
    every match counted), so that the count job prepares it after the next change if it is
    among the most asked. Once per ASKED_NOTE_SECONDS in this process at most: a read seldom
    writes, and never waits for a writer (an import) more than 0.1 s."""
    pairs = filters.query_pairs()
    if exact:
        pairs.append(("exact", "1"))
    query = urlencode(pairs)
    reader = "all" if everything_visible else "published"
    key = hashlib.sha256(f"{reader}:{query}".encode()).hexdigest()
    database = connections[using].settings_dict["NAME"]
    if not cache.add(_cache_key(f"asked:{database}:{key}"), True, ASKED_NOTE_SECONDS):
        return
    connection = connections[using]
    table = connection.ops.quote_name(AskedSearch._meta.db_table)
    # One statement, on both databases: a new search is added, one noted before counted again.
    sql = (
        f"INSERT INTO {table} (key, everything_visible, query, times, asked_at) "  # noqa: S608
        "VALUES (%s, %s, %s, 1, %s) ON CONFLICT (key) DO UPDATE "
        f"SET times = {table}.times + 1, asked_at = excluded.asked_at"
    )
    params: list[Any] = [
        key,
        everything_visible,
        query,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]

    # Also here, not only in the count job (which follows writes alone): however many
    # different searches are asked, the table stays small.
    forgetting = cache.add(_cache_key(f"asked-forgotten:{database}"), True, ASKED_NOTE_SECONDS)

    def note() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        if forgetting:
            _forget_asked(using)

    _briefly_write(using, note)


def most_asked(*, using: str, limit: int) -> list[AskedSearch]:
    """The searches asked most often lately (within ASKED_WITHIN), the most asked first."""
    since = timezone.now() - ASKED_WITHIN
    return list(
        AskedSearch.objects.using(using)
        .filter(asked_at__gte=since)
        .order_by("-times", "-asked_at", "key")[:limit]
    )


def forget_asked(*, using: str) -> None:
    """Forget the searches not asked within ASKED_WITHIN, and all but the ASKED_KEPT asked
    last: the table stays small whatever readers type."""
    _briefly_write(using, lambda: _forget_asked(using))


def _forget_asked(using: str) -> None:
    asked = AskedSearch.objects.using(using)
    last = asked.order_by("-asked_at", "key").values("key")[:ASKED_KEPT]
    asked.filter(Q(asked_at__lt=timezone.now() - ASKED_WITHIN) | ~Q(key__in=last)).delete()


def remembered(key: str, compute: Callable[[], Any]) -> Any:
    """The value remembered in this process under ``key`` (which holds the data version: from
    ``versioned_key``, or a SearchKey's), else ``compute()`` (never None), remembered for the
    next reader. While a search is prepared (``preparing``) it is computed again: what it is
    made of is then written down (a search's facets as shown, of their counts)."""
    cache_key = _cache_key(f"search:{key}")
    value = None if _preparing.get() is not None else cache.get(cache_key)
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
    """Keep ``value``, waiting 0.1 s at most for another writer's lock (see _briefly_write)."""

    def keep() -> None:
        KeptCounts.objects.using(using).filter(version__lt=version).delete()
        KeptCounts.objects.using(using).bulk_create(
            [KeptCounts(key=key, version=version, counts=value)],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["version", "counts"],
        )

    _briefly_write(using, keep)


def _briefly_write(using: str, write: Callable[[], None]) -> None:
    """Run ``write`` in a transaction, waiting 0.1 s at most for another writer's lock instead
    of 5 s (SQLite's busy timeout here) or for ever (PostgreSQL's default). When another
    writer holds the database (an import) or the write fails, nothing is written: what it
    keeps or notes is a help to later readers, never what a reader is answered from alone."""
    connection = connections[using]
    try:
        with _sqlite_busy_timeout(connection, 100), transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = 100")  # this transaction only
            write()
    except DatabaseError:
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


# Facet counts {facet: {value: n}} (values may be numbers or None).
FACET_COUNTS = Kept(encode_counts, decode_counts)
