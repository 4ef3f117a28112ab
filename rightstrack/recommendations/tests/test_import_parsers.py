"""The parsers alone: files to drafts and row errors, no database."""

import datetime

import openpyxl
import pytest

from rightstrack.recommendations.imports import (
    ohchr_docx,
    table,
    uhri_json,
    un_wg_report,
    upr_info,
)
from rightstrack.recommendations.imports.records import FileFormatError, RecordDraft, RowError
from rightstrack.recommendations.imports.values import decode_text, upr_cycle
from rightstrack.recommendations.imports.wordings import split_wordings

from .import_helpers import (
    THEMATIC_ROWS,
    UHRI_RECORDS,
    UPR_INFO_ROWS,
    write_thematic_list,
    write_uhri,
    write_upr_info,
    write_wg_report,
)


def drafts(items):
    return [item for item in items if isinstance(item, RecordDraft)]


def errors(items):
    return [item for item in items if isinstance(item, RowError)]


# UPR Info


def test_it_reads_the_upr_info_export_in_mac_roman_with_cr_line_ends(tmp_path):
    items = list(upr_info.parse(write_upr_info(tmp_path / "upr.csv")))

    assert errors(items) == []
    first, second, third, fourth = drafts(items)
    assert first.state == "Belarus"
    assert first.text == "Abolish the death penalty, now"
    assert first.recommending_states == ["France"]
    assert first.position == "supported"
    assert first.action_category == "5"
    assert first.tags == [("upr-info-issue", "Death penalty"), ("upr-info-issue", "Justice")]
    assert (first.session, first.cycle, first.mechanism) == (8, 1, "UPR")
    assert first.line == 2
    assert second.text == "Protect children’s rights"
    assert second.position == "noted"
    assert third.recommending_states == []  # "&#40;Unknown&#41;" names nobody
    assert fourth.state == "Côte d'Ivoire"


def test_it_reads_the_upr_info_export_in_utf8_too(tmp_path):
    path = write_upr_info(tmp_path / "upr.csv", encoding="utf-8", newline="\n")
    mac_path = write_upr_info(tmp_path / "mac.csv")

    utf8 = drafts(upr_info.parse(path))
    mac = drafts(upr_info.parse(mac_path))

    assert [draft.text for draft in utf8] == [draft.text for draft in mac]
    assert [draft.source_key for draft in utf8] == [draft.source_key for draft in mac]


def test_it_keys_upr_info_rows_by_session_and_content_and_numbers_repeats(tmp_path):
    rows = (*UPR_INFO_ROWS, UPR_INFO_ROWS[1])
    keys = [
        draft.source_key
        for draft in drafts(upr_info.parse(write_upr_info(tmp_path / "u.csv", rows)))
    ]

    assert all(key.startswith("upr-info:s8:") for key in keys)
    assert len(set(keys)) == 5
    assert keys[4] == keys[0] + ":2"


def test_it_reports_bad_upr_info_rows_with_their_line(tmp_path):
    rows = (
        UPR_INFO_ROWS[0],
        "Belarus,EEG,CIS,Do this,France,WEOG,EU,Maybe,5,Justice,8",
        "Belarus,EEG,CIS,Do that,France,WEOG,EU,Accepted,9,Justice,8",
        "Belarus,EEG,CIS,,France,WEOG,EU,Accepted,5,Justice,8",
        "Belarus,EEG,CIS,Do it,France,WEOG,EU,Accepted,5,Justice,eight",
        "Belarus,EEG,CIS,Fine,France,WEOG,EU,Accepted,5,Justice,8",
    )
    items = list(upr_info.parse(write_upr_info(tmp_path / "u.csv", rows)))

    assert [(error.line, error.reason.split(" ")[0]) for error in errors(items)] == [
        (2, "unknown"),
        (3, "unknown"),
        (4, "no"),
        (5, "session"),
    ]
    assert [draft.text for draft in drafts(items)] == ["Fine"]


def assert_unreadable(parse, path, content=None, *, says=None):
    """``parse`` refuses the file at ``path`` (holding ``content``, bytes or text, when given)
    with a FileFormatError saying ``says``."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(FileFormatError, match=says):
        list(parse(path))


def test_it_refuses_a_file_that_is_not_an_upr_info_export(tmp_path):
    assert_unreadable(
        upr_info.parse, tmp_path / "other.csv", "Name,Value\na,b\n", says="missing column"
    )
    assert_unreadable(upr_info.parse, tmp_path / "binary.csv", b"PK\x03\x04\x00\x00\x00binary")
    assert_unreadable(upr_info.parse, tmp_path / "missing.csv", says="not found")


# UHRI JSON


def test_it_streams_uhri_records_with_nulls_and_missing_fields(tmp_path):
    path = write_uhri(tmp_path / "export.json")

    items = list(uhri_json.parse(path))

    peru, belarus, health = drafts(items)
    assert peru.source_key == "uhri:a9ceae8c-0001"
    assert peru.mechanism == "CRC"
    assert peru.annotation_type == "Concerns/Observations"
    assert peru.number == "4"
    assert peru.text == "The Committee reminds the State party of its obligations."
    assert peru.date == datetime.date(2025, 2, 12)
    assert peru.document_symbol == "CRC/C/PER/CO/6-7"
    assert peru.document_kind == "concluding-observations"
    assert peru.tags == [
        ("uhri-theme", "Right to health"),
        ("uhri-theme", "Rights of migrant children"),
        ("affected-persons", "Children"),
        ("sdg-target", "16.2"),
        ("sdg-target", "5.2"),
    ]
    assert belarus.position == "noted"
    assert belarus.recommending_states == ["Brazil", "Lithuania"]
    assert (belarus.session, belarus.cycle, belarus.number) == (8, 1, "98.16")
    assert belarus.tags == []
    assert health.mechanism == "SP"
    assert health.document_kind == "sp-report"
    assert errors(items) == [RowError(3, "no text (AnnotationId a9ceae8c-0003)")]
    assert uhri_json.count(path) == len(UHRI_RECORDS)


def test_it_counts_uhri_records_across_read_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(uhri_json, "_CHUNK", 7)
    path = write_uhri(tmp_path / "export.json", UHRI_RECORDS * 3)

    assert uhri_json.count(path) == 12


def test_it_refuses_json_that_is_not_an_array_or_is_broken(tmp_path):
    object_ = '{"AnnotationId": "x"}'
    assert_unreadable(uhri_json.parse, tmp_path / "o.json", object_, says="not a JSON array")
    broken = '[{"AnnotationId": "x", "Text": "a", "Countries": ["Peru"], "Body": "- CRC"}, {"Ann'
    assert_unreadable(
        uhri_json.parse, tmp_path / "b.json", broken, says="invalid JSON after record 1"
    )


def test_it_makes_one_record_per_country_of_a_uhri_record(tmp_path):
    record = dict(UHRI_RECORDS[0], Countries=["Peru", "Chile"])
    keys = [
        draft.source_key
        for draft in drafts(uhri_json.parse(write_uhri(tmp_path / "e.json", [record])))
    ]

    assert keys == ["uhri:a9ceae8c-0001/Peru", "uhri:a9ceae8c-0001/Chile"]


# OHCHR thematic lists


def test_it_reads_thematic_lists_with_coded_and_plain_themes(tmp_path):
    path = write_thematic_list(tmp_path / "UPR20_Slovenia_ThematicList.docx", THEMATIC_ROWS)

    items = list(ohchr_docx.parse(path))

    first, second = drafts(items)
    # A source of its own, beside the report's "doc:A/HRC/28/15#115.3" (joined by number).
    assert first.source_key == "thematic-list:A/HRC/28/15#115.3"
    assert first.state == "Slovenia"
    assert (first.session, first.cycle) == (20, 2)
    assert first.text == "Ratify the Optional Protocol on a communications procedure"
    assert first.recommending_states == ["France", "Brazil"]
    assert first.position == "supported"
    assert first.position_source == "A/HRC/28/15/Add.1 - Para. 3"
    assert first.tags == [
        ("uhri-theme", "A12 Acceptance of international norms"),
        ("affected-persons", "children"),
    ]
    assert second.position == "noted"
    assert second.wordings == [
        {"text": "Ratify the Covenant", "states": ["Italy"]},
        {"text": "consider ratifying it", "states": ["Spain"]},
    ]
    assert second.tags == [
        ("uhri-theme", "Right to health"),
        ("uhri-theme", "Rights of older persons"),
        ("sdg-goal", "16"),
        ("affected-persons", "older persons"),
    ]
    [error] = errors(items)
    assert error.line == 6
    assert "no recommendation number" in error.reason
    assert ohchr_docx.count(path) == 3


def test_it_takes_the_state_and_symbol_options_for_thematic_lists(tmp_path):
    path = write_thematic_list(tmp_path / "list.docx", THEMATIC_ROWS[:2])

    [draft] = drafts(ohchr_docx.parse(path, state="Belarus", options={"symbol": "a/hrc/99/1"}))

    assert draft.state == "Belarus"
    assert draft.source_key == "thematic-list:A/HRC/99/1#115.3"


def test_it_refuses_a_word_file_without_the_table_and_a_file_that_is_not_word(tmp_path):
    path = write_thematic_list(tmp_path / "list.docx", ())
    import docx

    document = docx.Document()
    document.add_paragraph("no table")
    document.save(str(path))
    assert_unreadable(ohchr_docx.parse, path, says="no table")
    assert_unreadable(ohchr_docx.parse, tmp_path / "list.txt", "hello", says="not a Word")


# UPR Working Group reports


def test_it_splits_a_working_group_report_into_numbered_recommendations(tmp_path):
    path = write_wg_report(tmp_path / "A-HRC-15-16-belarus.txt")

    items = list(un_wg_report.parse(path))

    assert errors(items) == []
    by_number = {draft.number: draft for draft in drafts(items)}
    assert list(by_number) == ["97.1", "97.2", "98.16", "98.17"]
    first = by_number["97.1"]
    assert first.source_key == "doc:A/HRC/15/16#97.1"
    assert first.state == "Belarus"
    assert (first.session, first.cycle) == (8, 1)
    assert first.date == datetime.date(2010, 6, 21)
    assert first.position == "supported"
    assert first.position_source == "A/HRC/15/16, para. 97"
    # Windows-1252 bytes read as such: the apostrophe is not mojibake.
    assert first.wordings == [
        {"text": "Continue cooperation with the United Nations", "states": ["France"]},
        {"text": "promote the State’s cooperation", "states": ["Chile"]},
    ]
    assert first.text == (
        "Continue cooperation with the United Nations; promote the State’s cooperation"
    )
    assert by_number["97.2"].text == (
        "Take measures (i) to train judges; (ii) to train non-governmental organizations"
    )
    pending = by_number["98.16"]
    assert pending.position == "pending"
    assert pending.recommending_states == ["Brazil", "Lithuania", "Italy", "Spain", "Switzerland"]
    # A recommendation continued over a page break, without the page number and footer.
    assert by_number["98.17"].text == (
        "Abolish the death penalty and ratify the Second Optional Protocol"
    )
    assert by_number["98.17"].recommending_states == ["France", "Italy"]


def test_it_reads_mac_roman_report_text_with_cr_line_ends(tmp_path):
    path = write_wg_report(
        tmp_path / "A-HRC-15-16.txt",
        text="\r".join(
            (
                "The review of Belarus was held at the 16th meeting.",
                "97. The recommendations below enjoy the support of Belarus:",
                "97.1. Respect women’s rights (France).",
            )
        ),
        encoding="mac_roman",
    )

    [draft] = drafts(un_wg_report.parse(path))

    assert draft.text == "Respect women’s rights"


def test_it_gives_positions_by_the_introduction_of_each_paragraph():
    assert un_wg_report.position_of_introduction("enjoy the support of Belarus") == "supported"
    assert un_wg_report.position_of_introduction("will be examined by Belarus") == "pending"
    assert un_wg_report.position_of_introduction("did not enjoy the support of X") == "noted"
    assert un_wg_report.position_of_introduction("X has noted the following") == "noted"
    assert un_wg_report.position_of_introduction("The following were made") is None


def test_it_needs_the_report_symbol_and_numbered_recommendations(tmp_path):
    path = write_wg_report(tmp_path / "report.txt")
    assert_unreadable(un_wg_report.parse, path, says="symbol")
    assert drafts(un_wg_report.parse(path, options={"symbol": "A/HRC/15/16"}))
    other = tmp_path / "A-HRC-1-1.txt"
    nothing_numbered = "Just some text.\nNothing numbered."
    assert_unreadable(
        un_wg_report.parse, other, nothing_numbered, says="no numbered recommendations"
    )


# Tables


def test_it_reads_a_csv_table_through_a_column_mapping(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(
        "Ref;Country;Recommendation;Response;From;Themes;SDG\n"
        "r1;Belarus;Abolish the death penalty;Accepted;France, Chile;Right to health;16.2 - x\n"
        "r2;Belarus;;Noted;;;\n"
        "r3;Belarus;Ratify;Partially supported;;;\n",
        encoding="utf-8",
    )
    mapping = "id=Ref,state=Country,text=Recommendation,position=Response"
    mapping += ",recommending_states=From,themes=Themes,sdgs=SDG"

    items = list(table.parse(path, options={"map": mapping, "mechanism": "UPR"}))

    first, third = drafts(items)
    assert first.source_key == "table:r1"
    assert first.recommending_states == ["France", "Chile"]
    assert first.position == "supported"
    assert first.tags == [("uhri-theme", "Right to health"), ("sdg-target", "16.2")]
    assert first.mechanism == "UPR"
    assert third.position == "supported-in-part"
    assert errors(items) == [RowError(3, "no recommendation text")]


def test_it_reads_an_xlsx_table_with_columns_named_like_the_fields(tmp_path):
    path = tmp_path / "table.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["text", "state", "mechanism", "symbol", "number", "date", "session"])
    sheet.append(["Ratify the protocol", "Belarus", "UPR", "A/HRC/15/16", "98.1", None, 8])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["Adopt a law", "Belarus", "CRC", "", "", datetime.datetime(2020, 1, 2), None])
    workbook.save(path)

    first, second = drafts(table.parse(path))

    assert first.source_key == "doc:A/HRC/15/16#98.1"
    assert (first.session, first.cycle) == (8, 1)
    assert second.date == datetime.date(2020, 1, 2)
    assert second.source_key.startswith("table:")
    assert second.line == 4


def test_it_refuses_a_mapping_to_an_unknown_field_or_column(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("Recommendation\nDo it\n")
    with pytest.raises(FileFormatError, match="unknown field"):
        list(table.parse(path, options={"map": "colour=Recommendation"}))
    with pytest.raises(FileFormatError, match="not in the header"):
        list(table.parse(path, options={"map": "text=Text"}))
    with pytest.raises(FileFormatError, match="no column for the recommendation text"):
        list(table.parse(path))


# Shared values


def test_it_splits_wordings_only_at_lists_of_states():
    text = (
        "Review laws (for example, article 193-1 of the Code) (Czech Republic); repeal laws "
        "(Israel); ratify ILO Convention (No. 29) (the former Yugoslav Republic of Macedonia, "
        "Venezuela (Bolivarian Republic of)); ratify ICRMW (ICRMW) (Peru)."
    )

    assert split_wordings(text) == [
        {
            "text": "Review laws (for example, article 193-1 of the Code)",
            "states": ["Czech Republic"],
        },
        {"text": "repeal laws", "states": ["Israel"]},
        {
            "text": "ratify ILO Convention (No. 29)",
            "states": [
                "the former Yugoslav Republic of Macedonia",
                "Venezuela (Bolivarian Republic of)",
            ],
        },
        {"text": "ratify ICRMW (ICRMW)", "states": ["Peru"]},
    ]
    assert split_wordings("Do it without saying who") == [
        {"text": "Do it without saying who", "states": []}
    ]


def test_it_maps_sessions_to_upr_cycles():
    assert [upr_cycle(session) for session in (1, 12, 13, 26, 27, 40, 41, None)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        None,
    ]


def test_it_decodes_the_likeliest_legacy_encoding():
    assert decode_text("women’s – rights".encode("mac_roman")) == "women’s – rights"
    assert decode_text("women’s – rights".encode("cp1252")) == "women’s – rights"
    assert decode_text("Côte".encode()) == "Côte"
