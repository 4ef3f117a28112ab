"""The columns of a table: what the header says and how a row gives the value."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any


@dataclass(frozen=True)
class Column:
    """One column: ``key`` names it in JSON, ``header`` in the CSV and XLSX header row (the key
    when empty), ``value`` reads it from a row (``row[key]`` when not given)."""

    key: str
    header: str = ""
    value: Callable[[Any], object] | None = field(default=None, compare=False)

    @property
    def title(self) -> str:
        return self.header or self.key

    def reader(self) -> Callable[[Any], object]:
        """The function reading the value from a row (itemgetter is the fastest for dicts)."""
        return self.value or itemgetter(self.key)


def columns_of(keys: Iterable[str]) -> tuple[Column, ...]:
    """Columns read from rows that are dicts keyed by the column names."""
    return tuple(Column(key) for key in keys)
