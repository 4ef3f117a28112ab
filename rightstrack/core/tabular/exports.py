"""A list export the product offers (the recommendations, the activities, …): its columns,
formats and file name, declared once and used by its page and its command alike.

Every export is registered, so that what must hold for all of them (formulas defused in CSV)
can be checked for each one, including the next one written."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.functional import Promise

from .columns import Column
from .formats import TabularFormat
from .responses import download
from .writers import write_file

EXPORTS: dict[str, "TableExport"] = {}


@dataclass(frozen=True)
class TableExport:
    name: str
    columns: tuple[Column, ...]
    formats: dict[str, TabularFormat]
    # The name of the file, formatted with the day and the format's name, e.g.
    # "activities-{day:%Y-%m-%d}.{fmt}" gives "activities-2026-12-03.csv".
    file_name: str
    sheet_title: str | Promise = ""

    def file_name_for(self, fmt: str) -> str:
        return self.file_name.format(day=timezone.localdate(), fmt=fmt)

    def response(self, fmt: str, rows: Iterable[object]) -> HttpResponseBase:
        return download(
            fmt,
            self.columns,
            rows,
            filename=self.file_name_for(fmt),
            sheet_title=str(self.sheet_title),
        )

    def write(
        self,
        target: str | Path | IO[bytes],
        fmt: str,
        rows: Iterable[object],
        *,
        bom: bool = False,
    ) -> None:
        """Write the table in ``fmt`` to a path (a command's file) or an open binary file (a
        job's file); see write_file."""
        write_file(target, fmt, self.columns, rows, sheet_title=str(self.sheet_title), bom=bom)


def register(export: TableExport) -> TableExport:
    """Declare an export; its name must be new."""
    if export.name in EXPORTS:
        raise ValueError(f"an export named {export.name!r} exists already")
    EXPORTS[export.name] = export
    return export
