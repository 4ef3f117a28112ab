"""The writers: CSV (RFC 4180), JSON (one array of objects) and XLSX (one worksheet).

CSV and JSON are produced as byte chunks of about CHUNK_BYTES, so a streamed download sends a
few large chunks rather than one per row; XLSX is a zip archive, written through openpyxl's
write-only mode (rows go to disk as they come) to a file.
"""

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .batches import batched
from .cells import csv_rows, csv_text, json_value, xlsx_value
from .columns import Column, is_positional

CHUNK_BYTES = 64 * 1024
# Rows of a positional table written at a time (a few hundred KB of CSV at most).
_CSV_BATCH_ROWS = 200
BOM = "\ufeff"
# The --bom option of the export commands.
BOM_HELP = (
    "Start a CSV file with a UTF-8 byte-order mark, for spreadsheet programs that otherwise "
    "misread non-Latin text."
)


def csv_chunks(
    columns: Sequence[Column],
    rows: Iterable[object],
    *,
    bom: bool = False,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[bytes]:
    """The table as UTF-8 CSV: comma, double quotes where needed, CRLF, one header row; with
    ``bom`` a byte-order mark first, for spreadsheet programs that otherwise guess the
    encoding wrong."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    writer.writerow([column.title for column in columns])
    if is_positional(columns):
        # Rows that are the cells in order: a batch at a time, a column at a time (csv_rows),
        # with no Python-level step per row or cell (4.5 million cells for the recommendations).
        for batch in batched(rows, _CSV_BATCH_ROWS):
            writer.writerows(csv_rows(batch))
            if buffer.tell() >= chunk_bytes:
                yield _drain(buffer)
    else:
        readers = [column.reader() for column in columns]
        write = writer.writerow
        for row in rows:
            write(list(map(csv_text, [read(row) for read in readers])))
            if buffer.tell() >= chunk_bytes:
                yield _drain(buffer)
    if buffer.tell():
        yield _drain(buffer)


def json_chunks(
    columns: Sequence[Column], rows: Iterable[object], *, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[bytes]:
    """The table as one JSON array with an object per row (keys in column order), a row per
    line."""
    buffer = io.StringIO()
    buffer.write("[")
    separator = "\n"
    keys = [column.key for column in columns]
    readers = [column.reader() for column in columns]
    for row in rows:
        record = {key: read(row) for key, read in zip(keys, readers, strict=True)}
        buffer.write(separator)
        buffer.write(json.dumps(record, ensure_ascii=False, default=json_value))
        separator = ",\n"
        if buffer.tell() >= chunk_bytes:
            yield _drain(buffer)
    buffer.write("\n]\n")
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


@dataclass(frozen=True)
class Sheet:
    """One worksheet of a workbook: its title, columns and rows (read once, in order)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[object]


def write_xlsx(
    columns: Sequence[Column],
    rows: Iterable[object],
    target: str | Path | IO[bytes],
    *,
    sheet_title: str = "",
) -> None:
    """The table as one worksheet of an XLSX workbook, written to ``target`` (a path or a binary
    file). Text is always a string cell: an export never carries a live formula."""
    write_workbook([Sheet(sheet_title, columns, rows)], target)


def write_workbook(sheets: Iterable[Sheet], target: str | Path | IO[bytes]) -> None:
    """Several tables as the worksheets of one XLSX workbook, in order, each with its header
    row; the same cells as ``write_xlsx`` (text always a string cell, never a formula)."""
    # openpyxl loads where a workbook is written, not in every web process at start.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in sheets:
        sheet = workbook.create_sheet(table.title or None)
        sheet.append([column.title for column in table.columns])
        readers = [column.reader() for column in table.columns]
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, xlsx_value(read(row))) for read in readers])
    workbook.save(target)


def _xlsx_cell(sheet, value: object) -> object:
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters are not allowed in the file format: openpyxl refuses them.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def chunks(
    fmt: str, columns: Sequence[Column], rows: Iterable[object], *, bom: bool = False
) -> Iterator[bytes]:
    """The table in ``fmt`` (csv or json) as byte chunks of about CHUNK_BYTES."""
    if fmt == "csv":
        return csv_chunks(columns, rows, bom=bom)
    if fmt == "json":
        return json_chunks(columns, rows)
    raise ValueError(f"{fmt} is not a streamed format")


def write_file(
    target: str | Path | IO[bytes],
    fmt: str,
    columns: Sequence[Column],
    rows: Iterable[object],
    *,
    sheet_title: str = "",
    bom: bool = False,
) -> None:
    """Write the table in ``fmt`` to ``target``: an open binary file (a job's file, a spool),
    or a path, replaced only once complete (see replaced_file), so a failed export never
    leaves half a file where a reader (or a mirror) expects a whole one. Raises OSError when
    the path cannot be written."""
    if isinstance(target, str | Path):
        with replaced_file(target) as stream:
            write_file(stream, fmt, columns, rows, sheet_title=sheet_title, bom=bom)
        return
    if fmt == "xlsx":
        write_xlsx(columns, rows, target, sheet_title=sheet_title)
        return
    for chunk in chunks(fmt, columns, rows, bom=bom):
        target.write(chunk)


@contextmanager
def replaced_file(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file to write ``path`` through: written beside it under a temporary name and
    put in place when the block ends without error, removed otherwise."""
    path = Path(path)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
