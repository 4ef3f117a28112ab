"""Reading the tables of a filled-in plan template (XLSX workbook or Word document), bounded.

A file from outside is hostile until read: core.intake checks its size and its zip container
(members, decompressed size and ratio, counted as it decompresses) before openpyxl or
python-docx opens it; then rows and cells are bounded here. Everything is one function,
``read_tables``.
"""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from rightstrack.core import intake
from rightstrack.recommendations.imports.records import FileFormatError

# An action plan of a few thousand measures is a few MB; these leave ample room.
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_CELL_CHARACTERS = 30_000


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell holding a formula or an error value (#REF!), refused with its
    address: its last computed value may be stale or missing."""

    address: str
    text: str


Cell = str | int | float | object
Row = tuple[int, list[Cell]]


@dataclass(frozen=True)
class Table:
    """One sheet or Word table: its name and its rows as (line, cells)."""

    name: str
    rows: list[Row]


def _checked_cell(value: Cell, address: str) -> Cell:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
        raise FileFormatError(
            _("Cell %(address)s holds more than %(count)d characters.")
            % {"address": address, "count": MAX_CELL_CHARACTERS}
        )
    return value


def _too_many_rows(name: str) -> FileFormatError:
    return FileFormatError(
        _("%(table)s has more than %(count)d rows.") % {"table": name, "count": MAX_ROWS}
    )


def _excel_tables(path: Path) -> list[Table]:
    # openpyxl loads where a workbook is read, not in every web process at start.
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise FileFormatError(_("This is not an Excel workbook (.xlsx).")) from None
    tables = []
    try:
        for sheet in workbook.worksheets:
            rows: list[Row] = []
            for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
                if line > MAX_ROWS:
                    raise _too_many_rows(sheet.title)
                values: list[Cell] = []
                for position, cell in enumerate(cells, start=1):
                    address = f"{get_column_letter(position)}{line}"
                    if cell.data_type in ("f", "e"):
                        values.append(Formula(f"{sheet.title}!{address}", str(cell.value)))
                    else:
                        value = "" if cell.value is None else cell.value
                        values.append(_checked_cell(value, f"{sheet.title}!{address}"))
                rows.append((line, values))
            tables.append(Table(sheet.title, rows))
    finally:
        workbook.close()
    return tables


def _word_tables(path: Path) -> list[Table]:
    # python-docx loads where a Word file is read, not in every web process at start.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise FileFormatError(_("This is not a Word document (.docx).")) from None
    tables = []
    for number, table in enumerate(document.tables, start=1):
        name = _("Table %(number)d") % {"number": number}
        if len(table.rows) > MAX_ROWS:
            raise _too_many_rows(name)
        rows: list[Row] = []
        for line, row in enumerate(table.rows, start=1):
            values: list[Cell] = [
                _checked_cell(cell.text.strip(), f"{name}, {line}:{position}")
                for position, cell in enumerate(row.cells[:MAX_COLUMNS], start=1)
            ]
            rows.append((line, values))
        tables.append(Table(name, rows))
    return tables


def read_tables(path: str | Path) -> list[Table]:
    """The tables of an XLSX workbook (its sheets) or a Word document (its tables), refusing
    with an IntakeError a file beyond the limits of core.intake or of another kind."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise intake.unreadable(error) from None
    intake.check_upload_size(size)
    if not intake.is_zip(path):
        raise FileFormatError(
            _("This is not an Excel workbook (.xlsx) or a Word document (.docx).")
        )
    members = intake.check_zip(path)
    if "word/document.xml" in members:
        return _word_tables(path)
    return _excel_tables(path)
