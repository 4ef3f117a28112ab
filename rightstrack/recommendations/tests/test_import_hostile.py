"""Hostile files, refused safely: each case exits 2 (or answers 413/422) with a message naming
what is wrong, and writes nothing. Also format detection (`import auto`)."""

import io
import json
import zipfile

import openpyxl
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from rightstrack.recommendations.models import ImportBatch, Recommendation

from .import_helpers import (
    THEMATIC_ROWS,
    UHRI_RECORDS,
    UPR_INFO_ROWS,
    write_thematic_list,
    write_uhri,
    write_upr_info,
    write_wg_report,
)
from .un_documents import write_pdf

pytestmark = pytest.mark.django_db

TABLE_HEADER = "text,state,mechanism,position"


@pytest.fixture(autouse=True)
def limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_ZIP_MAX_BYTES = 1 << 20
    settings.IMPORT_ZIP_MAX_RATIO = 100
    settings.IMPORT_MAX_LINE_BYTES = 64 * 1024
    return settings


def run(*args):
    """(exit code, stdout, stderr) of the import command."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, "--no-progress", stdout=stdout, stderr=stderr)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, stdout.getvalue(), stderr.getvalue()


def assert_refused(*args, says):
    """``rightstrack import <args>`` exits with 2, saying each of ``says``, and writes nothing."""
    code, _out, err = run(*args)
    assert code == 2
    for words in says:
        assert words in err
    assert_nothing_written()


def assert_nothing_written():
    assert not Recommendation.objects.exists()
    assert not ImportBatch.objects.filter(
        status=ImportBatch.Status.SUCCEEDED, dry_run=False
    ).exists()


def zip_bomb(path, *, member, size=3 << 20):
    """A .docx or .xlsx container with one member of ``size`` zero bytes: it expands ~1000
    times, and beyond the 1 MB IMPORT_ZIP_MAX_BYTES of these tests."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w") as stream:
            for _ in range(size >> 20):
                stream.write(b"\0" * (1 << 20))
    return path


def write_table(path, lines, encoding="utf-8", newline="\n"):
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def write_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# Zip containers


@pytest.mark.parametrize(
    ("format", "name", "member"),
    [
        ("ohchr-docx", "list.docx", "word/document.xml"),
        ("table", "table.xlsx", "xl/worksheets/sheet1.xml"),
        ("auto", "list.docx", "word/document.xml"),
    ],
)
def test_it_refuses_a_zip_bomb_before_decompressing_it(tmp_path, terms, format, name, member):
    path = zip_bomb(tmp_path / name, member=member)

    assert_refused(format, str(path), says=["zip bomb", "IMPORT_ZIP_MAX_BYTES"])


def test_it_refuses_a_container_expanding_more_than_the_ratio(tmp_path, terms, settings):
    settings.IMPORT_ZIP_MAX_BYTES = 100 << 20
    path = zip_bomb(tmp_path / "list.docx", member="word/document.xml", size=2 << 20)

    assert_refused("ohchr-docx", str(path), says=["IMPORT_ZIP_MAX_RATIO"])


def pdf_bomb(path, size=3 << 20):
    """A one-page PDF whose content stream is ``size`` bytes of spaces, compressed."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = DecodedStreamObject()
    stream.set_data(b"BT (x) Tj ET " + b" " * size)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    writer.write(str(path))
    return path


@pytest.mark.skipif(
    not hasattr(pypdf, "apply_configuration"), reason="pypdf < 7 sets its limits otherwise"
)
def test_it_refuses_a_pdf_whose_stream_expands_beyond_the_limit(tmp_path, terms):
    path = pdf_bomb(tmp_path / "report.pdf")

    # pypdf stops decompressing at its limit and gives the page no text.
    with pypdf.apply_configuration(zlib_maximum_output_length=1 << 20):
        assert_refused("un-wg-report", str(path), says=["the PDF has no text to read"])


def test_it_refuses_a_pdf_whose_text_is_longer_than_the_limit(tmp_path, terms, settings):
    settings.IMPORT_ZIP_MAX_BYTES = 2000
    report = ["Report of the Working Group on the Universal Periodic Review", "Belarus"]
    report += [f"98.{number}. Abolish the death penalty at last (France);" for number in range(90)]
    path = write_pdf(tmp_path / "report.pdf", report)

    assert_refused(
        "un-wg-report", str(path), says=["its text is longer than", "IMPORT_ZIP_MAX_BYTES"]
    )


# Lines and encodings


def test_it_refuses_a_line_longer_than_the_limit(tmp_path, terms):
    path = write_table(
        tmp_path / "long.csv", [TABLE_HEADER, "x" * (100 * 1024) + ",Belarus,UPR,Supported"]
    )

    assert_refused(
        "table",
        str(path),
        says=["Line 2 is longer than the longest line allowed, 64 KB (IMPORT_MAX_LINE_BYTES)"],
    )


def test_it_refuses_windows_1251_as_upr_info_and_imports_it_with_the_encoding(tmp_path, terms):
    rows = (
        UPR_INFO_ROWS[0],
        "Belarus,EEG,CIS,Отменить смертную казнь,France,WEOG,EU,Accepted,5,Justice,8",
        "Belarus,EEG,CIS,Обеспечить право на справедливый суд,Chile,GRULAC,,Noted,4,Justice,8",
    )
    path = write_upr_info(tmp_path / "ru.csv", rows, encoding="cp1251")

    assert_refused("upr-info", str(path), says=["mojibake in Mac Roman", "cp1251"])

    code, _out, _err = run("upr-info", str(path), "--encoding", "cp1251")

    assert code == 0
    assert sorted(Recommendation.objects.values_list("text", flat=True)) == [
        "Обеспечить право на справедливый суд",
        "Отменить смертную казнь",
    ]


def test_it_still_reads_the_mac_roman_export_with_cr_line_ends(tmp_path, terms):
    code, out, _err = run("upr-info", str(write_upr_info(tmp_path / "u.csv")))

    assert code == 0
    assert out.startswith("created 4,")
    assert Recommendation.objects.filter(text="Protect children’s rights").exists()


def test_it_refuses_an_unknown_encoding_name(tmp_path, terms):
    assert_refused(
        "upr-info",
        str(write_upr_info(tmp_path / "u.csv")),
        "--encoding",
        "x9",
        says=["Unknown encoding “x9”"],
    )


# CSV dialect


def test_it_reads_doubled_quotes_as_rfc_4180_says(tmp_path, terms):
    path = write_table(
        tmp_path / "quotes.csv",
        [
            TABLE_HEADER,
            '"Ensure the ""right"" to vote",Belarus,UPR,Supported',
            '"Protect ""civil"" society, and journalists",France,UPR,Noted',
            "Abolish the death penalty,Chile,UPR,Supported",
        ],
    )

    code, _out, err = run("table", str(path))

    assert code == 0, err
    assert sorted(Recommendation.objects.values_list("text", flat=True)) == [
        "Abolish the death penalty",
        'Ensure the "right" to vote',
        'Protect "civil" society, and journalists',
    ]


def test_it_takes_the_delimiter_from_many_lines_not_the_header(tmp_path, terms):
    # The header alone has no ";" at all; every data row has three.
    path = write_table(
        tmp_path / "semicolons.csv",
        [
            "text;state;mechanism;position",
            '"Ensure the ""right"" to vote, everywhere";Belarus;UPR;Supported',
            "Abolish the death penalty, now;Chile;UPR;Noted",
        ],
        encoding="cp1252",
        newline="\r\n",
    )

    code, _out, err = run("table", str(path))

    assert code == 0, err
    assert Recommendation.objects.filter(text='Ensure the "right" to vote, everywhere').exists()
    assert Recommendation.objects.filter(text="Abolish the death penalty, now").exists()


def test_it_reports_a_stray_quote_with_its_line_and_writes_nothing(tmp_path, terms):
    path = write_table(
        tmp_path / "stray.csv",
        [TABLE_HEADER, "Abolish it,Belarus,UPR,Supported", '"Ensure "the" right",France,UPR,Noted'],
    )

    assert_refused("table", str(path), says=["line 3: invalid CSV"])


# Spreadsheets


def test_it_refuses_a_formula_with_its_cell_address(tmp_path, terms):
    path = write_xlsx(
        tmp_path / "formulas.xlsx",
        [
            ["text", "state", "mechanism", "position"],
            ["Abolish the death penalty", "Belarus", "UPR", "Supported"],
            ["Ensure fair trials", "=Sheet2!A1", "UPR", "Supported"],
        ],
    )

    assert_refused("table", str(path), says=["cell B3 holds a formula (=Sheet2!A1)"])


def test_it_refuses_an_error_value_with_its_cell_address(tmp_path, terms):
    path = write_xlsx(
        tmp_path / "errors.xlsx",
        [["text", "state", "mechanism", "position"], ["Abolish it", "Belarus", "UPR", "Noted"]],
    )
    # openpyxl writes "#REF!" typed as an error value ("e"), as Excel stores a broken reference.
    workbook = openpyxl.load_workbook(path)
    cell = workbook.active["A2"]
    cell.value = "#REF!"
    cell.data_type = "e"
    workbook.save(path)

    assert_refused("table", str(path), says=["cell A2 holds the error value #REF!"])


# JSON and empty files


@pytest.mark.parametrize(
    ("format", "content", "message"),
    [
        ("table", b'{"text": "Abolish the death penalty"}', "JSON file, not a CSV"),
        ("table", b"[]", "JSON file, not a CSV"),
        ("uhri-json", b'{"AnnotationId": "x"}', "one JSON object"),
        ("uhri-json", b" [ ]\n", "JSON array is empty"),
        ("auto", b'{"records": []}', "JSON (object)"),
        ("auto", b"[]", "JSON (empty-array)"),
    ],
)
def test_it_refuses_json_that_is_no_array_of_records(tmp_path, terms, format, content, message):
    path = tmp_path / "records.json"
    path.write_bytes(content)

    code, out, err = run(format, str(path))

    assert code == 2
    assert message in err
    assert "created 0" in out
    assert_nothing_written()


@pytest.mark.parametrize(
    ("format", "name", "content"),
    [
        ("table", "header.csv", b"text,state,mechanism,position\n"),
        ("upr-info", "header.csv", UPR_INFO_ROWS[0].encode() + b"\r"),
        ("uhri-json", "items.json", b'[{"Other": 1}]'.replace(b'{"Other": 1}', b"")),
    ],
)
def test_it_fails_a_file_with_no_records_in_every_format(tmp_path, terms, format, name, content):
    path = tmp_path / name
    path.write_bytes(content or b"[]")

    code, _out, err = run(format, str(path))

    assert code == 2
    assert err.strip()
    assert_nothing_written()
    assert ImportBatch.objects.filter(status=ImportBatch.Status.SUCCEEDED).count() == 0


def test_it_fails_a_table_with_a_header_only_saying_it_holds_no_records(tmp_path, terms):
    path = write_table(tmp_path / "empty.csv", [TABLE_HEADER])

    code, _out, err = run("table", str(path))

    assert code == 2
    assert "holds no records" in err
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


# Format detection


def detection_files(tmp_path):
    table = write_table(
        tmp_path / "table.csv", [TABLE_HEADER, "Abolish the death penalty,Chile,UPR,Supported"]
    )
    return {
        "upr-info": write_upr_info(tmp_path / "u.csv"),
        "uhri-json": write_uhri(tmp_path / "export.json"),
        "ohchr-docx": write_thematic_list(tmp_path / "UPR20_Slovenia.docx", THEMATIC_ROWS),
        "un-wg-report": write_wg_report(tmp_path / "A-HRC-15-16.txt"),
        "table": table,
    }


def test_it_recognises_each_format_from_the_content_and_says_which(tmp_path, terms):
    for expected, path in detection_files(tmp_path).items():
        # A name that says nothing: the content decides.
        anonymous = path.rename(path.with_name(f"file-{expected}.dat"))

        _code, _out, err = run("auto", str(anonymous), "--dry-run")

        assert f"read as {expected}" in err
        batch = ImportBatch.objects.get(file_name=anonymous.name)
        assert batch.format == expected
        assert batch.options["recognised"] is True
    assert_nothing_written()


def test_it_exits_2_when_no_format_recognises_the_file(tmp_path, terms):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    text = tmp_path / "notes.txt"
    text.write_text("Some notes about the review\n")

    code, _out, err = run("auto", str(pdf), str(text))

    assert code == 2
    assert "No import format recognises this file (seen: binary data)" in err
    assert "seen: text starting “Some notes about the review”" in err
    assert not ImportBatch.objects.exists()


# The upload page and the API


@pytest.mark.parametrize(
    ("size", "format", "says"),
    [
        # The declared body is larger than the largest upload: refused before it is read.
        (300 * 1024, "auto", "IMPORT_MAX_UPLOAD_BYTES"),
        # The declared body is within the overhead allowance; the file itself is not.
        (120 * 1024, "table", "larger than the largest upload allowed"),
    ],
)
def test_it_refuses_a_too_large_upload_on_the_page_with_413(
    client_for, terms, settings, size, format, says
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100 * 1024
    upload = SimpleUploadedFile("big.csv", b"text\n" + b"x" * size)

    response = client_for("coordinator").post(
        reverse("recommendations:import"), {"format": format, "file": upload}
    )

    assert response.status_code == 413
    assert says in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not (settings.MEDIA_ROOT / "imports").exists()


def test_it_shows_a_zip_bomb_refusal_on_the_upload_page_with_422(client_for, terms, tmp_path):
    path = zip_bomb(tmp_path / "list.docx", member="word/document.xml")

    response = client_for("coordinator").post(
        reverse("recommendations:import"),
        {"format": "auto", "file": SimpleUploadedFile("list.docx", path.read_bytes())},
    )

    assert response.status_code == 422
    assert "IMPORT_ZIP_MAX_BYTES" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_it_recognises_an_uploaded_file_on_the_page(client_for, terms, tmp_path):
    content = write_upr_info(tmp_path / "u.csv").read_bytes()

    response = client_for("coordinator").post(
        reverse("recommendations:import"),
        {"format": "auto", "file": SimpleUploadedFile("export.dat", content)},
    )

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.format == "upr-info"
    page = client_for("coordinator").get(reverse("recommendations:import-batch", args=[batch.pk]))
    assert "recognised from the file" in page.content.decode()


API = "/api/v1/recommendations/import/"


# 120 KB is within the allowance for the form around the file: the stored file is refused;
# 300 KB declares a body beyond it: refused before the body is read (core.middleware).
@pytest.mark.parametrize("size", [120 * 1024, 300 * 1024])
def test_it_answers_a_too_large_api_upload_with_413(api_client_for, terms, settings, size):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100 * 1024
    upload = SimpleUploadedFile("big.csv", b"text\n" + b"x" * size)

    response = api_client_for("coordinator").post(API, {"format": "table", "file": upload})

    assert response.status_code == 413
    assert "IMPORT_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert not ImportBatch.objects.exists()
    assert not (settings.MEDIA_ROOT / "imports").exists()


def test_it_answers_hostile_api_uploads_with_422_naming_the_limit(api_client_for, terms, tmp_path):
    client = api_client_for("coordinator")
    bomb = zip_bomb(tmp_path / "t.xlsx", member="xl/worksheets/sheet1.xml")
    long_line = ("text\n" + "x" * (100 * 1024) + "\n").encode()

    answers = [
        client.post(API, {"file": SimpleUploadedFile("t.xlsx", bomb.read_bytes())}),
        client.post(
            API, {"format": "table", "file": SimpleUploadedFile("t.xlsx", bomb.read_bytes())}
        ),
        client.post(API, {"format": "table", "file": SimpleUploadedFile("l.csv", long_line)}),
        client.post(API, {"format": "table", "file": SimpleUploadedFile("o.json", b"{}")}),
    ]

    assert [answer.status_code for answer in answers] == [422, 422, 422, 422]
    reasons = [json.dumps(answer.json(), ensure_ascii=False) for answer in answers]
    assert "IMPORT_ZIP_MAX_BYTES" in reasons[0]
    assert "IMPORT_ZIP_MAX_BYTES" in reasons[1]
    assert "IMPORT_MAX_LINE_BYTES" in reasons[2]
    assert "JSON file" in reasons[3]
    assert_nothing_written()


def test_it_imports_with_an_encoding_given_through_the_api(api_client_for, terms, tmp_path):
    rows = (UPR_INFO_ROWS[0], "Belarus,EEG,CIS,Отменить смертную казнь,France,WEOG,EU,,5,,8")
    content = write_upr_info(tmp_path / "ru.csv", rows, encoding="cp1251").read_bytes()
    client = api_client_for("coordinator")

    refused = client.post(API, {"format": "upr-info", "file": SimpleUploadedFile("r.csv", content)})
    imported = client.post(
        API,
        {
            "format": "upr-info",
            "encoding": "cp1251",
            "file": SimpleUploadedFile("r.csv", content),
        },
    )

    assert refused.status_code == 422
    assert "cp1251" in json.dumps(refused.json(), ensure_ascii=False)
    assert imported.status_code == 200
    assert imported.json()["created"] == 1
    assert Recommendation.objects.get().text == "Отменить смертную казнь"


def test_it_refuses_a_uhri_record_with_an_overlong_string_and_reads_the_others(
    tmp_path, terms, settings
):
    from rightstrack.recommendations.imports import uhri_json
    from rightstrack.recommendations.imports.records import RecordDraft, RowError

    settings.IMPORT_MAX_LINE_BYTES = 16 * 1024
    records = json.loads(json.dumps(UHRI_RECORDS))
    # Escaped quotes and backslashes do not end the string, nor hide its length.
    records[1]["Text"] = 'Declare "a moratorium" \\ ' * 100_000  # 2.5 MB
    records[3]["Themes"] = ["x" * 20_000]
    path = write_uhri(tmp_path / "export.json", records)

    items = list(uhri_json.parse(path))

    errors = {item.line: item.reason for item in items if isinstance(item, RowError)}
    assert sorted(errors) == [2, 3, 4]  # 3 has no text (as before)
    assert "IMPORT_MAX_LINE_BYTES" in errors[2] and "a9ceae8c-0002" in errors[2]
    assert "bytes is longer than the longest allowed" in errors[4]
    assert [item.line for item in items if isinstance(item, RecordDraft)] == [1]


def test_the_json_scan_finds_the_same_long_strings_whatever_the_block_size(
    tmp_path, monkeypatch, settings
):
    from rightstrack.core import intake

    path = tmp_path / "tricky.json"
    text = '["ab\\\\", "' + 'x\\"y\\\\' * 40 + '", 1, "' + "z" * 30 + '", "\\\\\\""]'
    path.write_text(text)
    whole = intake._long_json_runs(path, 25)
    for block in (1, 2, 3, 5, 7, 64):
        monkeypatch.setattr(intake, "_SCAN_BYTES", block)
        assert intake._long_json_runs(path, 25) == whole
    assert [(text[start - 1], text[end], inside) for start, end, inside in whole] == [
        ('"', '"', True),
        ('"', '"', True),
    ]
    assert [end - start for start, end, _inside in whole] == [240, 30]
    settings.IMPORT_MAX_LINE_BYTES = 25
    with intake.bounded_json(path) as stream:
        assert json.loads(stream.read(10_000)) == [
            "ab\\",
            "\x00cut:240",
            1,
            "\x00cut:30",
            '\\"',
        ]
