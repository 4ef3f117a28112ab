"""Rows looked up by a list of keys with plain SQL, their values converted as ``values()`` gives
them.

Bulk work (an import's steps) reads rows by ids or keys hundreds of times; the ORM took longer
to build each of these statements than the database took to run it (bench/import_speed.py's
profile). Here the statement is plain text and each value goes through the converters Django's
compiler applies (the backend's, then the field's: dates, times made aware, booleans, JSON), so
the rows are the same as the ORM's.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection, models

# Keys per statement: one statement for most look-ups, well below every backend's limit.
KEYS_PER_STATEMENT = 500

_Converter = Callable[[Any, Any, Any], Any]


def _converters(model: type[models.Model], names: Sequence[str]) -> list[tuple[Any, list]]:
    """[(column expression, its converters)] of these fields (names or attnames)."""
    table = model._meta.db_table
    found = []
    for name in names:
        column = model._meta.get_field(name).get_col(table)  # type: ignore[union-attr]
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        found.append((column, converters))
    return found


def rows_in(
    model: type[models.Model],
    names: Sequence[str],
    *,
    key: str,
    values: Sequence[Any],
    equal: Mapping[str, Any] | None = None,
    order_by: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """[{name: value}] of the rows of ``model`` whose field ``key`` is one of ``values`` (and
    each field of ``equal`` its value), fields ``names`` (names or attnames, as ``values()``
    takes them), in the order of the fields ``order_by`` (within each statement of
    KEYS_PER_STATEMENT keys: order by the key first to have them in order throughout)."""
    if not values:
        return []
    ops = connection.ops
    meta = model._meta

    def column_of(name: str) -> str:
        return ops.quote_name(meta.get_field(name).column)  # type: ignore[union-attr, arg-type]

    columns = _converters(model, names)
    conditions = [f"{column_of(name)} = %s" for name in equal or {}]
    fixed = [
        meta.get_field(name).get_db_prep_value(value, connection)  # type: ignore[union-attr]
        for name, value in (equal or {}).items()
    ]
    head = (
        f"SELECT {', '.join(column_of(name) for name in names)} "  # noqa: S608
        f"FROM {ops.quote_name(meta.db_table)} WHERE "
        + "".join(f"{condition} AND " for condition in conditions)
        + f"{column_of(key)} IN "
    )
    tail = f" ORDER BY {', '.join(column_of(name) for name in order_by)}" if order_by else ""
    rows: list[dict[str, Any]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), KEYS_PER_STATEMENT):
            some = list(values[start : start + KEYS_PER_STATEMENT])
            # Table and column names come from the model; values travel as parameters.
            cursor.execute(head + "(" + ", ".join(["%s"] * len(some)) + ")" + tail, fixed + some)
            for raw in cursor.fetchall():
                row = {}
                for name, value, (column, converters) in zip(names, raw, columns, strict=True):
                    for converter in converters:
                        value = converter(value, column, connection)
                    row[name] = value
                rows.append(row)
    return rows
