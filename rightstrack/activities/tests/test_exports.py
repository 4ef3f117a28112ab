"""Downloads and the export-activities command: the same rows in CSV, XLSX and JSON."""

import datetime
import io
from functools import partial

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from rightstrack.activities.exports import COLUMNS
from rightstrack.core.tests.export_rows import rows_from

from .factories import ActivityFactory, OrganizationFactory, PresenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(presence, terms):
    partner = OrganizationFactory(name="Bar association")
    donor = OrganizationFactory(name="Fund, with a comma")
    return [
        ActivityFactory(
            presence=presence,
            title="Training of judges",
            description='Lines\nwith "quotes"',
            partners=[partner],
            donors=[donor],
            thematic_pillars=[terms["pillar:non-discrimination"], terms["pillar:mechanisms"]],
            start_date=datetime.date(2020, 3, 2),
            end_date=datetime.date(2020, 3, 3),
            participants_total=30,
            participants_women=18,
            participants_men=12,
            participants_with_disabilities=0,
            cost_amount="1500.50",
        ),
        ActivityFactory(
            presence=presence,
            title='=HYPERLINK("http://example.org")',
            type="dialogue",
            start_date=None,
            participants_total=None,
            cost_amount=None,
        ),
        ActivityFactory(presence=presence, title="Draft work", is_published=False),
        ActivityFactory(
            presence=PresenceFactory(slug="hidden", is_published=False), title="Hidden presence"
        ),
    ]


def _json_rows(content):
    rows = rows_from("json", content)
    assert all(list(row) == list(COLUMNS) for row in rows)
    return rows


def _download(client, format, **filters):
    response = client.get(f"/activities/export.{format}", filters)
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    # Streamed (CSV, JSON) or sent from a file (XLSX): never built in memory.
    assert response.streaming
    return response.getvalue()


def test_every_format_parses_back_to_the_same_rows(client, activities):
    from_json = _json_rows(_download(client, "json"))
    from_csv = rows_from("csv", _download(client, "csv"))
    from_xlsx = rows_from("xlsx", _download(client, "xlsx"))

    assert [row["title"] for row in from_json] == [
        "Training of judges",
        '=HYPERLINK("http://example.org")',
    ]
    training = from_json[0]
    assert training["partners"] == ["Bar association"]
    assert training["donors"] == ["Fund, with a comma"]
    assert training["thematic_pillars"] == ["mechanisms", "non-discrimination"]
    assert training["participants_with_disabilities"] == 0
    assert training["cost_amount"] == "1500.50"
    assert from_json[1]["participants_total"] is None
    assert from_json[1]["start_date"] is None
    for flat in (from_csv, from_xlsx):
        assert len(flat) == len(from_json)
        for row, expected in zip(flat, from_json, strict=True):
            for column in COLUMNS:
                value = expected[column]
                if isinstance(value, list):
                    value = "; ".join(str(item) for item in value)
                if isinstance(value, bool) and flat is from_csv:
                    value = "true" if value else "false"
                cell = row[column]
                if column == "title" and str(value).startswith("=") and flat is from_csv:
                    # Spreadsheets must not run it as a formula (in XLSX it is a text cell).
                    assert cell == "'" + value
                elif value in (None, ""):
                    # Unknown stays unknown: an empty cell, never 0.
                    assert cell in ("", None), column
                else:
                    assert str(cell) == str(value), column


def test_the_spreadsheet_holds_formulas_as_text(client, activities):
    sheet = load_workbook(io.BytesIO(_download(client, "xlsx"))).active
    titles = list(sheet["D"][1:])

    assert titles[1].value == '=HYPERLINK("http://example.org")'
    assert all(cell.data_type == "s" for cell in titles)


def test_the_export_takes_the_list_s_filters(client, activities):
    rows = _json_rows(_download(client, "json", type="dialogue"))

    assert [row["title"] for row in rows] == ['=HYPERLINK("http://example.org")']


def test_the_export_holds_only_what_the_reader_may_see(client_for, activities):
    public = _json_rows(_download(client_for("anonymous"), "json"))
    internal = _json_rows(_download(client_for("viewer"), "json"))

    assert len(public) == 2
    assert sorted(row["title"] for row in internal) == [
        '=HYPERLINK("http://example.org")',
        "Draft work",
        "Hidden presence",
        "Training of judges",
    ]


def test_an_unknown_format_is_not_found(client, activities):
    assert client.get("/activities/export.pdf").status_code == 404


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_the_command_writes_the_same_rows_as_the_download(client, activities, tmp_path, format):
    path = tmp_path / f"activities.{format}"
    out = io.StringIO()

    call_command(
        "export-activities", "--format", format, "-o", str(path), "--no-progress", stdout=out
    )

    downloaded = _download(client, format)
    read = _json_rows if format == "json" else partial(rows_from, format)
    assert read(path.read_bytes()) == read(downloaded)
    assert "Wrote 2 activities" in out.getvalue()


def test_the_command_exports_internal_data_only_for_a_user_who_may_read_it(
    users, activities, tmp_path
):
    path = tmp_path / "activities.json"

    call_command(
        "export-activities",
        "--format",
        "json",
        "-o",
        str(path),
        "--user",
        "viewer",
        "--published",
        "no",
        "--no-progress",
        stdout=io.StringIO(),
    )

    assert [row["title"] for row in _json_rows(path.read_bytes())] == ["Draft work"]
    with pytest.raises(CommandError, match="No user named"):
        call_command("export-activities", "--format", "csv", "-o", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="Invalid filters"):
        call_command("export-activities", "--format", "csv", "-o", str(path), "--year", "3")


def test_the_command_starts_a_csv_with_a_byte_order_mark_when_asked(activities, tmp_path):
    path = tmp_path / "activities.csv"

    call_command(
        "export-activities", "--format", "csv", "-o", str(path), "--bom", stdout=io.StringIO()
    )

    content = path.read_bytes()
    assert content.startswith(b"\xef\xbb\xbfid,presence,")
    assert len(rows_from("csv", content[3:])) == 2
