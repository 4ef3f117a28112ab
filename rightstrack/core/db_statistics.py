"""Keeping the query planner's statistics current after bulk writes.

Neither database gathers them reliably by itself: SQLite never does unless asked, and
PostgreSQL relies on autovacuum, which may be off (it is on the CI server). Without them the
planner guesses: a text search over 250,000 recommendations took 2.6 s on SQLite and 62 s on
PostgreSQL before an ANALYZE, 0.24 s after; the coverage count of a plan of 1,000 measures
entered one by one took 48 ms on PostgreSQL before, 10 ms after. So whatever writes many rows
at once (imports, migrations, vocabulary and demo loads) refreshes them when it is done;
``refresh_stale_statistics`` finds and analyses the tables many small writes have changed since.
"""

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections
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


def _changed_since_analysed(
    table: str, cursor, vendor: str, *, has_stat_table: bool
) -> tuple[int, int | None]:
    """(rows changed since the table's statistics, rows its statistics believe it holds): how
    far the table's own count is from the statistics' one, or on PostgreSQL, when more, the
    rows written since the last ANALYZE as autovacuum counts them (updates change no count)."""
    planned = None
    written = 0
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.reltuples, s.n_mod_since_analyze FROM pg_class c "
            "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = %s::regclass",
            [f'"{table}"'],
        )
        row = cursor.fetchone()
        if row is not None:
            # -1: never analysed (PostgreSQL 14 and later).
            planned = None if row[0] is None or row[0] < 0 else int(row[0])
            written = int(row[1] or 0)
    elif has_stat_table:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
        stat = cursor.fetchone()
        planned = None if stat is None else int(stat[0].split()[0])
    cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - a table of the schema
    return max(abs(int(cursor.fetchone()[0]) - (planned or 0)), written), planned


def stale_tables(tables: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Those of ``tables`` whose statistics are missing or older than the changes since made
    to them (more than STALE_AFTER_ROWS + STALE_AFTER_SHARE of their rows changed)."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return []
    stale = []
    with connection.cursor() as cursor:
        has_stat_table = True
        if vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            has_stat_table = cursor.fetchone() is not None
        for table in tables:
            changed, planned = _changed_since_analysed(
                table, cursor, vendor, has_stat_table=has_stat_table
            )
            if changed > STALE_AFTER_ROWS + STALE_AFTER_SHARE * (planned or 0):
                stale.append(table)
    return stale


def refresh_stale_statistics(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Analyse the tables of the project's models whose statistics have gone stale (see
    stale_tables); their names. What many small writes add up to (a plan typed in over weeks,
    a day of tagging) is caught this way, as the bulk writes refresh their own at once."""
    connection = connections[using]
    tables = connection.introspection.django_table_names(only_existing=True)
    stale = stale_tables(sorted(tables), using=using)
    refresh_planner_statistics(stale, using=using)
    return stale
