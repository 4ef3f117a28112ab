"""How one value is written in each format: the single place for lists, unknowns, dates,
amounts, booleans and formula defusing."""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import repeat

LIST_SEPARATOR = "; "
# A spreadsheet program runs a cell starting with one of these as a formula (or, for tab and
# carriage return, strips them and looks at what follows). OWASP's "CSV injection" list.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def defuse(text: str) -> str:
    """The text with a single quote before it when a spreadsheet would take it for a formula.

    The rule of every CSV the product writes: only text cells are defused (a number such as -1
    stays a number); the quote is what spreadsheet programs show as "this cell is text"."""
    if text.startswith(FORMULA_PREFIXES):
        return FORMULA_GUARD + text
    return text


def plain(value: object) -> object:
    """A scalar as JSON has it: dates in ISO 8601 (times in UTC), amounts as decimal text so
    no digit is lost; anything else unchanged."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def json_value(value: object) -> object:
    """``json.dumps`` ``default=``: what the json module cannot write by itself."""
    converted = plain(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return converted


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(plain(value))


_FORMULA_FIRST = frozenset("".join(FORMULA_PREFIXES))


def csv_text(value: object) -> object:
    """What the csv writer writes for a cell: empty for unknown, true/false, a list joined,
    formulas defused (a text, or an int or None, which the writer itself writes as str() and
    as an empty cell)."""
    # The common types first, with defuse's rule written out (the same test, a call fewer):
    # this runs once per cell of every export (4.5 million for the recommendations table).
    kind = type(value)
    if kind is str:
        return FORMULA_GUARD + value if value[:1] in _FORMULA_FIRST else value
    if kind is int or value is None:
        return value
    if kind is list or kind is tuple:
        try:
            joined = LIST_SEPARATOR.join(value)  # lists of labels: every item a str
        except TypeError:
            joined = LIST_SEPARATOR.join(_text(item) for item in value)
        return FORMULA_GUARD + joined if joined[:1] in _FORMULA_FIRST else joined
    if isinstance(value, str):
        return defuse(value)
    if isinstance(value, list | tuple):
        return defuse(LIST_SEPARATOR.join(_text(item) for item in value))
    return _text(value)


# Columns the csv writer writes as csv_text would have them: ints (str()) and unknowns (empty).
_AS_WRITTEN = frozenset({int, type(None)})
_TEXTS = frozenset({str})
_LISTS = frozenset({list})


def csv_rows(rows: Sequence[Sequence[object]]) -> Iterable[Sequence[object]]:
    """``csv_text`` of every cell of a batch of rows (all of the same length), worked out a
    column at a time: a column of texts, of lists of texts, or of ints and unknowns is handled
    by operations over the whole column (no Python step per cell), and only a column with a
    formula in it, or with other values, goes through csv_text cell by cell. The same cells
    as csv_text gives, several times faster over a large export."""
    if not rows:
        return rows
    columns = []
    for column in zip(*rows, strict=True):
        kinds = set(map(type, column))
        if kinds <= _AS_WRITTEN:
            columns.append(column)
            continue
        if kinds == _LISTS:
            try:
                column = tuple(map(LIST_SEPARATOR.join, column))
                kinds = _TEXTS
            except TypeError:  # an item is not a text
                pass
        if kinds != _TEXTS or any(map(str.startswith, column, repeat(FORMULA_PREFIXES))):
            column = tuple(map(csv_text, column))
        columns.append(column)
    return zip(*columns, strict=True)


def xlsx_value(value: object) -> object:
    """The value of an XLSX cell: numbers and booleans stay numbers and booleans, unknown stays
    empty, anything else is text (written as a string cell, see writers)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    return _text(value)
