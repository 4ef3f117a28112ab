"""The columns of a table: what the header says and how a row gives the value."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any


@dataclass(frozen=True)
class Column:
    """One column: ``key`` names it in JSON, ``header`` in the CSV and XLSX header row (the key
    when empty), ``value`` reads it from a row (``row[key]`` when not given; ``row[index]``
    for a table of tuples, see ``positional_columns``)."""

    key: str
    header: str = ""
    value: Callable[[Any], object] | None = field(default=None, compare=False)
    index: int | None = None

    @property
    def title(self) -> str:
        return self.header or self.key

    def reader(self) -> Callable[[Any], object]:
        """The function reading the value from a row (itemgetter is the fastest for dicts)."""
        if self.value is not None:
            return self.value
        return itemgetter(self.key if self.index is None else self.index)


def columns_of(keys: Iterable[str]) -> tuple[Column, ...]:
    """Columns read from rows that are dicts keyed by the column names."""
    return tuple(Column(key) for key in keys)


def positional_columns(keys: Iterable[str]) -> tuple[Column, ...]:
    """Columns read from rows that are tuples of exactly these values, in this order: the
    writers then take each row as it is (no reading per cell), for the largest tables."""
    return tuple(Column(key, index=index) for index, key in enumerate(keys))


def is_positional(columns: Sequence[Column]) -> bool:
    """Whether the rows are tuples of exactly the columns' values, in order."""
    return all(
        column.value is None and column.index == index for index, column in enumerate(columns)
    )
