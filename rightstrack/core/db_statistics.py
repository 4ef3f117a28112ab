"""Keeping the query planner's statistics current after bulk writes.

Neither database gathers them reliably by itself: SQLite never does unless asked, and
PostgreSQL relies on autovacuum, which may be off (it is on the CI server). Without them the
planner guesses: a text search over 250,000 recommendations took 2.6 s on SQLite and 62 s on
PostgreSQL before an ANALYZE, 0.24 s after; the coverage count of a plan of 1,000 measures
entered one by one took 48 ms on PostgreSQL before, 10 ms after. So whatever writes many rows
at once (imports, migrations, vocabulary and demo loads) refreshes them when it is done, and a
periodic job of the worker (jobs.statistics) analyses any table that many small writes have
changed since.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.models import Model


def table_names(*models: type[Model]) -> list[str]:
    """The tables of ``models``, with those of their many-to-many fields."""
    names: list[str] = []
    for model in models:
        names.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through is not None and through._meta.auto_created:
                names.append(through._meta.db_table)
    return list(dict.fromkeys(names))


def refresh_planner_statistics(
    tables: Iterable[str] | None = None, *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Gather fresh planner statistics for ``tables`` (None: every table of the database).

    A plain ANALYZE on both databases: it samples the tables, takes well under a second at
    250,000 recommendations and may run inside a transaction (VACUUM may not, and is not needed
    for the statistics). On SQLite an empty table gets no statistics, so one analysed before
    rows arrive does not mislead the planner afterwards.
    """
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    quoted = None if tables is None else [connection.ops.quote_name(name) for name in tables]
    if quoted == []:
        return
    with connection.cursor() as cursor:
        if quoted is None:
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(quoted)}")
        else:
            # SQLite's ANALYZE takes one table (or index, or schema) at a time.
            for name in quoted:
                cursor.execute(f"ANALYZE {name}")


def planned_row_count(table: str, *, using: str = DEFAULT_DB_ALIAS) -> int | None:
    """How many rows the planner believes ``table`` holds; None when it has no statistics."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [connection.ops.quote_name(table)],
            )
            row = cursor.fetchone()
            # -1: never analysed (PostgreSQL 14 and later).
            return None if row is None or row[0] < 0 else int(row[0])
        if connection.vendor != "sqlite":
            return None
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return None
        # Each row's statistics start with the number of rows in the table.
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
        row = cursor.fetchone()
        return None if row is None else int(row[0].split()[0])


# As PostgreSQL's autovacuum decides (autovacuum_analyze_threshold and _scale_factor): a table
# is analysed again once this many rows plus this share of its rows changed since its last
# statistics.
STALE_AFTER_ROWS = 50
STALE_AFTER_SHARE = 0.1

# How long the refresh of stale statistics waits for a lock it needs (PostgreSQL: ANALYZE's
# SHARE UPDATE EXCLUSIVE lock on the table; SQLite: the write lock): a table locked longer is
# left stale to the next refresh, so that the refresh never waits behind, nor holds up, other
# work (a migration, an index built, an import writing).
LOCK_WAIT_MILLISECONDS = 200
# PostgreSQL: an ANALYZE samples at most 30,000 rows (well under a second at 250,000
# recommendations); one still running after this long is cancelled, left to the next refresh.
ANALYZE_AT_MOST_SECONDS = 60


def _stale_on_postgresql(tables: list[str], cursor) -> list[str]:
    """One query of the statistics system: the rows written since each table's last ANALYZE,
    as autovacuum counts them (inserts, updates, deletes; reported within a second or so of
    their commit) against the rows its statistics believe it holds (-1: never analysed)."""
    cursor.execute(
        "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
        "WHERE s.schemaname = current_schema() AND s.relname = ANY(%s) "
        "AND s.n_mod_since_analyze > %s + %s * greatest(c.reltuples, 0)",
        [tables, STALE_AFTER_ROWS, STALE_AFTER_SHARE],
    )
    stale = {row[0] for row in cursor.fetchall()}
    return [table for table in tables if table in stale]


def _stale_on_sqlite(tables: list[str], cursor) -> list[str]:
    """SQLite counts no writes: how far each table's row count is from the one its statistics
    recorded (a count uses the table's smallest index: milliseconds)."""
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
    planned: dict[str, int] = {}
    if cursor.fetchone() is not None:
        # Each row's statistics start with the number of rows in the table.
        cursor.execute("SELECT tbl, stat FROM sqlite_stat1")
        for table, stat in cursor.fetchall():
            planned[table] = int(stat.split()[0])
    stale = []
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - a table of the schema
        rows = planned.get(table, 0)
        if abs(int(cursor.fetchone()[0]) - rows) > STALE_AFTER_ROWS + STALE_AFTER_SHARE * rows:
            stale.append(table)
    return stale


def stale_tables(tables: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Those of ``tables`` whose statistics are missing or older than the changes since made
    to them (more than STALE_AFTER_ROWS + STALE_AFTER_SHARE of their rows changed)."""
    connection = connections[using]
    tables = list(tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _stale_on_postgresql(tables, cursor)
        if connection.vendor == "sqlite":
            return _stale_on_sqlite(tables, cursor)
    return []


@contextmanager
def _waiting_briefly(cursor, vendor: str) -> Iterator[None]:
    """This connection's lock waits cut to LOCK_WAIT_MILLISECONDS while inside (a job's SQLite
    connection otherwise waits as long as a job may run), then as they were."""
    if vendor == "sqlite":
        cursor.execute("PRAGMA busy_timeout")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MILLISECONDS}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")
        return
    cursor.execute("SELECT current_setting('lock_timeout'), current_setting('statement_timeout')")
    lock_timeout, statement_timeout = cursor.fetchone()
    cursor.execute(
        "SELECT set_config('lock_timeout', %s, false), set_config('statement_timeout', %s, false)",
        [f"{LOCK_WAIT_MILLISECONDS}ms", f"{ANALYZE_AT_MOST_SECONDS}s"],
    )
    try:
        yield
    finally:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, false), "
            "set_config('statement_timeout', %s, false)",
            [lock_timeout, statement_timeout],
        )


def refresh_stale_statistics(*, using: str = DEFAULT_DB_ALIAS) -> tuple[list[str], list[str]]:
    """Analyse the tables of the project's models whose statistics have gone stale (see
    stale_tables): what many small writes add up to (a plan typed in over weeks, a day of
    tagging), as the bulk writes refresh their own at once. Returns the tables analysed and
    those skipped because another holder kept the lock the ANALYZE needs longer than
    LOCK_WAIT_MILLISECONDS (they stay stale, for the next refresh): it never waits longer."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return [], []
    tables = connection.introspection.django_table_names(only_existing=True)
    stale = stale_tables(sorted(tables), using=using)
    analysed: list[str] = []
    skipped: list[str] = []
    if not stale:
        return analysed, skipped
    with connection.cursor() as cursor, _waiting_briefly(cursor, connection.vendor):
        for table in stale:
            try:
                # Its own transaction (a savepoint inside one): a lock not granted ends it
                # alone, and the ANALYZE's lock is let go at once.
                with transaction.atomic(using=using):
                    refresh_planner_statistics([table], using=using)
            except OperationalError:
                # PostgreSQL: lock_timeout or statement_timeout; SQLite: "database is locked".
                skipped.append(table)
                continue
            analysed.append(table)
    return analysed, skipped
