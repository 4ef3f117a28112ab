"""Keeping the query planner's statistics current after bulk writes.

Neither database gathers them reliably by itself: SQLite never does unless asked, and
PostgreSQL relies on autovacuum, which may be off (it is on the CI server). Without them the
planner guesses: a text search over 250,000 recommendations took 2.6 s on SQLite and 62 s on
PostgreSQL before an ANALYZE, 0.24 s after. So whatever writes many rows at once (imports,
migrations, vocabulary and demo loads) refreshes them when it is done.
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
