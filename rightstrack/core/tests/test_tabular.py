"""The one tabular writer: CSV, JSON and XLSX out of columns and rows."""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import load_workbook

from rightstrack.core.tabular import (
    CHUNK_BYTES,
    EXPORTS,
    Column,
    Sheet,
    TableExport,
    chunks,
    columns_of,
    download,
    formats,
    register,
    write_file,
    write_workbook,
)

COLUMNS = columns_of(["id", "text", "tags", "amount", "day", "flag"])
ROW = {
    "id": 7,
    "text": 'He said "no",\nthen left',
    "tags": ["a", "b"],
    "amount": Decimal("1500.50"),
    "day": date(2024, 1, 31),
    "flag": True,
}
UNKNOWN = {"id": 8, "text": "", "tags": [], "amount": None, "day": None, "flag": False}


def _csv(rows, **options):
    return b"".join(chunks("csv", COLUMNS, rows, **options))


def _parsed(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_it_writes_rfc_4180_csv_with_a_header_row():
    content = _csv([ROW, UNKNOWN])

    assert content.startswith(b"id,text,tags,amount,day,flag\r\n")
    assert b'"He said ""no"",\nthen left"' in content
    assert content.endswith(b"\r\n")
    assert _parsed(content) == [
        ["id", "text", "tags", "amount", "day", "flag"],
        ["7", 'He said "no",\nthen left', "a; b", "1500.50", "2024-01-31", "true"],
        ["8", "", "", "", "", "false"],
    ]


def test_it_writes_a_byte_order_mark_only_when_asked():
    assert not _csv([ROW]).startswith(b"\xef\xbb\xbf")
    with_bom = _csv([ROW], bom=True)
    assert with_bom.startswith(b"\xef\xbb\xbfid,text")
    assert _parsed(with_bom)[1][0] == "7"


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR", "=1+1; =2"]
)
def test_it_defuses_text_a_spreadsheet_would_run_as_a_formula(text):
    rows = _parsed(_csv([{**ROW, "text": text, "tags": [text, "b"]}]))

    assert rows[1][1] == "'" + text
    assert rows[1][2] == "'" + text + "; b"


def test_it_leaves_numbers_and_harmless_text_alone():
    row = {**ROW, "id": -1, "amount": Decimal("-2.5"), "text": "a=b, 1+1", "tags": ["x", "=y"]}

    parsed = _parsed(_csv([row]))[1]

    assert parsed[:4] == ["-1", "a=b, 1+1", "x; =y", "-2.5"]


def test_it_reads_values_through_the_columns():
    columns = (Column("name", "Name"), Column("double", value=lambda row: row["n"] * 2))

    content = b"".join(chunks("csv", columns, [{"name": "Ann", "n": 2}]))

    assert content == b"Name,double\r\nAnn,4\r\n"


def test_it_streams_json_as_one_array_of_objects():
    when = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    columns = (*COLUMNS, Column("at", value=lambda row: when))

    content = b"".join(chunks("json", columns, [ROW, UNKNOWN]))

    assert content.startswith(b'[\n{"id": 7, "text": ')
    assert content.endswith(b"}\n]\n")
    assert json.loads(content) == [
        {
            "id": 7,
            "text": 'He said "no",\nthen left',
            "tags": ["a", "b"],
            "amount": "1500.50",
            "day": "2024-01-31",
            "flag": True,
            "at": "2024-05-01T12:30:00+00:00",
        },
        {
            "id": 8,
            "text": "",
            "tags": [],
            "amount": None,
            "day": None,
            "flag": False,
            "at": "2024-05-01T12:30:00+00:00",
        },
    ]
    # JSON is data, not a spreadsheet: values are exactly as stored.
    assert json.loads(b"".join(chunks("json", COLUMNS, [{**ROW, "text": "=1"}])))[0]["text"] == "=1"


def test_an_empty_table_is_a_header_or_an_empty_array():
    assert _csv([]) == b"id,text,tags,amount,day,flag\r\n"
    assert json.loads(b"".join(chunks("json", COLUMNS, []))) == []


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_it_sends_chunks_of_about_64_kb_not_one_per_row(fmt):
    rows = ({**ROW, "id": number, "text": "x" * 100} for number in range(5000))

    sizes = [len(chunk) for chunk in chunks(fmt, COLUMNS, rows)]

    assert len(sizes) < 20
    assert all(CHUNK_BYTES <= size < CHUNK_BYTES + 1000 for size in sizes[:-1])


def test_it_reads_the_rows_lazily():
    read = []

    def rows():
        for number in range(10_000):
            read.append(number)
            yield {**ROW, "id": number, "text": "x" * 100}

    first = next(chunks("csv", COLUMNS, rows()))

    assert len(first) >= CHUNK_BYTES
    assert len(read) < 1000


def test_it_writes_xlsx_text_as_strings_never_formulas(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [{**ROW, "text": '=HYPERLINK("x")\x07'}, UNKNOWN]

    write_file(path, "xlsx", COLUMNS, rows, sheet_title="Things")

    sheet = load_workbook(path)["Things"]
    assert [cell.value for cell in sheet[1]] == ["id", "text", "tags", "amount", "day", "flag"]
    first = sheet[2]
    # Control characters are not allowed in the format: they are dropped.
    assert first[1].value == '=HYPERLINK("x")'
    assert first[1].data_type == "s"
    assert [cell.value for cell in first] == [
        7,
        '=HYPERLINK("x")',
        "a; b",
        "1500.50",
        "2024-01-31",
        True,
    ]
    assert [cell.value for cell in sheet[3]] == [8, None, None, None, None, False]


def test_it_writes_several_tables_as_the_sheets_of_one_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    notes = columns_of(["note"])

    write_workbook(
        [Sheet("Things", COLUMNS, [ROW]), Sheet("Notes", notes, [{"note": "=1+1"}])], path
    )

    book = load_workbook(path)
    assert book.sheetnames == ["Things", "Notes"]
    assert [cell.value for cell in book["Things"][2]][:3] == [7, 'He said "no",\nthen left', "a; b"]
    note = book["Notes"]["A2"]
    assert (note.value, note.data_type) == ("=1+1", "s")


def test_it_replaces_a_file_only_once_it_is_complete(tmp_path):
    path = tmp_path / "out.csv"
    path.write_bytes(b"previous")

    def failing():
        yield ROW
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        write_file(path, "csv", COLUMNS, failing())

    assert path.read_bytes() == b"previous"
    assert sorted(item.name for item in tmp_path.iterdir()) == ["out.csv"]
    write_file(path, "csv", COLUMNS, [ROW])
    assert _parsed(path.read_bytes())[1][0] == "7"


def test_it_answers_a_download_with_the_type_and_the_file_name():
    csv_response = download("csv", COLUMNS, [ROW], filename="things-2024.csv")
    json_response = download("json", COLUMNS, [ROW], filename="things-2024.json")
    xlsx_response = download("xlsx", COLUMNS, [ROW], filename="things-2024.xlsx")

    assert isinstance(csv_response, StreamingHttpResponse)
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == 'attachment; filename="things-2024.csv"'
    assert json_response["Content-Type"] == "application/json"
    assert json.loads(json_response.getvalue())[0]["id"] == 7
    assert isinstance(xlsx_response, FileResponse)
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="things-2024.xlsx"'
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx_response.getvalue())).active
    assert sheet["A2"].value == 7


def test_an_export_is_registered_once_under_its_name():
    export = TableExport(
        name="test-things",
        columns=COLUMNS,
        formats=formats("csv"),
        file_name="things-{day:%Y}.{fmt}",
    )
    try:
        assert register(export) is export
        assert EXPORTS["test-things"] is export
        with pytest.raises(ValueError, match="exists already"):
            register(export)
        response = export.response("csv", [ROW])
        year = timezone.localdate().year
        assert response["Content-Disposition"] == f'attachment; filename="things-{year}.csv"'
    finally:
        EXPORTS.pop("test-things", None)
