"""The HTTP download of a table: the same content types, file names and streaming for every
view that offers an export."""

import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from .columns import Column
from .formats import FORMATS
from .writers import Sheet, chunks, write_file, write_workbook


def download(
    fmt: str,
    columns: Sequence[Column],
    rows: Iterable[object],
    *,
    filename: str,
    sheet_title: str = "",
    bom: bool = False,
) -> HttpResponseBase:
    """A response that downloads the table as ``filename``: CSV and JSON stream as the rows
    are read; XLSX is written to a temporary file first, then sent from it."""
    tabular_format = FORMATS[fmt]
    if tabular_format.spooled:
        return _spooled(
            lambda spool: write_file(spool, fmt, columns, rows, sheet_title=sheet_title, bom=bom),
            filename=filename,
            content_type=tabular_format.content_type,
        )
    response = StreamingHttpResponse(
        chunks(fmt, columns, rows, bom=bom), content_type=tabular_format.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_workbook(sheets: Iterable[Sheet], *, filename: str) -> HttpResponseBase:
    """A response that downloads several tables as the sheets of one XLSX workbook."""
    return _spooled(
        lambda spool: write_workbook(sheets, spool),
        filename=filename,
        content_type=FORMATS["xlsx"].content_type,
    )


def _spooled(
    write: Callable[[IO[bytes]], None], *, filename: str, content_type: str
) -> HttpResponseBase:
    """Write the file to a temporary file first (a zip archive is not streamable), then send
    it from there."""
    # FileResponse closes the file once it is sent; a with-block would close it too early.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    write(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=content_type)
