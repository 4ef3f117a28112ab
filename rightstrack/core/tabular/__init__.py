"""Tables out as CSV, XLSX or JSON: the one writer behind every export and open-data file.

A table is a tuple of :class:`Column` (key, header, how to read the value from a row) and any
iterable of rows. The writers read the rows once, in order, and hold one chunk of output at a
time, so an export of the whole database keeps memory flat:

- :func:`chunks` gives the file as byte chunks of about :data:`CHUNK_BYTES`, for a
  ``StreamingHttpResponse``;
- :func:`write_file` writes it to a path (commands), replacing the file only once complete,
  or to an open binary file (a job's file);
- :func:`download` is the HTTP response of a view (content type, file name, streaming);
- :func:`write_workbook` writes several tables as the worksheets of one XLSX workbook (a
  template with its instructions, say);
- a :class:`TableExport` declares a list export once (columns, formats, file name) for its
  page and command, and :func:`register` lists it in :data:`EXPORTS`.

How values are written (see :mod:`.cells`): in CSV and XLSX a list is one cell joined with
``"; "``, an unknown value an empty cell; in JSON a list is an array and unknown is null. In CSV
a text cell that a spreadsheet would run as a formula is defused with a leading single quote; in
XLSX every text is a string cell, never a formula.
"""

from .batches import batched
from .cells import FORMULA_PREFIXES, LIST_SEPARATOR, defuse
from .columns import Column, columns_of, positional_columns
from .exports import EXPORTS, TableExport, register
from .formats import FORMATS, TabularFormat, formats
from .responses import download, download_workbook
from .writers import (
    BOM_HELP,
    CHUNK_BYTES,
    Sheet,
    chunks,
    replaced_file,
    write_file,
    write_workbook,
)

__all__ = [
    "BOM_HELP",
    "CHUNK_BYTES",
    "EXPORTS",
    "FORMATS",
    "FORMULA_PREFIXES",
    "LIST_SEPARATOR",
    "Column",
    "Sheet",
    "TableExport",
    "TabularFormat",
    "batched",
    "chunks",
    "columns_of",
    "defuse",
    "download",
    "download_workbook",
    "formats",
    "positional_columns",
    "register",
    "replaced_file",
    "write_file",
    "write_workbook",
]
