"""The rows of an exported file (CSV, XLSX or JSON) as dicts, for the tests of every export."""

import csv
import io
import json

from openpyxl import load_workbook


def rows_from(fmt, content):
    """[{column: value}] of the file's bytes in format ``fmt``."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    if fmt == "json":
        return json.loads(content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    header, *body = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in body]
