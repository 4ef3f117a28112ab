"""OHCHR thematic lists in the layouts of cycles 1–4, written here with python-docx (and one
derived at test time from a real list, never stored)."""

import docx
import pytest
from django.conf import settings

from rightstrack.recommendations.imports import ohchr_docx
from rightstrack.recommendations.imports.formats import detect_format
from rightstrack.recommendations.imports.records import RecordDraft, RowError
from rightstrack.recommendations.models import ImportBatch, Recommendation
from rightstrack.recommendations.services import import_file

from .import_helpers import small_vocabulary


def drafts(items):
    return [item for item in items if isinstance(item, RecordDraft)]


def errors(items):
    return [item for item in items if isinstance(item, RowError)]


def write_list(path, tables, *, page_header="", caption=""):
    """A Word file with the given tables (lists of rows of cell texts), a page header and a
    caption paragraph before the tables."""
    document = docx.Document()
    if page_header:
        document.sections[0].header.paragraphs[0].text = page_header
    if caption:
        document.add_paragraph(caption)
    for rows in tables:
        table = document.add_table(rows=0, cols=len(rows[0]))
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        document.add_paragraph("")
    document.save(str(path))
    return path


# The current layout (cycle 4): the State and the session only in the page header.
CURRENT = [
    (
        "Recommendation and\nrecommending State",
        "Position of the State\nunder review",
        "Human rights themes and groups of persons",
        "Relevant SDGs",
    ),
    ("Theme: Death penalty",) * 4,
    (
        "48.1 Abolish the death penalty (France) (Slove nia);\n"
        "Source of position: A/HRC/57/7/Add.1 - Para. 5",
        "Noted",
        "- Death penalty\n- Right to life\nGroups of persons:\n- Persons deprived of liberty",
        "16.1 - Reduce violence everywhere\nGoal 16",
    ),
    (
        "48.2 Adopt the law without delay (Equality Now) (United Kingdom of Great Britain\n"
        "and Northern Ireland); enact it (Law on Equality) (Chile);",
        "Supported\nSource of position: A/HRC/57/7/Add.1 - Para. 5",
        "- Equality & non-discrimination\nAffected persons: Women & girls",
        "5.1 - End discrimination against women",
    ),
    (
        "48.3 Consider the Convention (Côte d’Ivoire);\nSource of position: A/HRC/57/7 - Para 48",
        "Supported/Noted",
        "- Acceptance of international norms",
        "",
    ),
    (
        "48.4 Ratify the Protocol (Chile);\nSource of position: A/HRC/57/7/Add.1 - Para. 5",
        "Under consideration**",
        "- Acceptance of international norms",
        "",
    ),
]


def test_it_reads_the_current_layout_and_takes_the_review_from_the_page_header(tmp_path):
    path = write_list(
        tmp_path / "download (3).docx",
        [CURRENT],
        page_header="UPR of Belarus (4th Cycle – 48th session)\t\tThematic list of recommendations",
    )

    items = list(ohchr_docx.parse(path))

    assert errors(items) == []
    first, second, third, fourth = drafts(items)
    assert (first.state, first.cycle, first.session) == ("Belarus", 4, 48)
    # The list is a source of its own beside the report it names (one record per recommendation).
    assert first.source_key == "thematic-list:A/HRC/57/7#48.1"
    assert first.line == 3
    assert (first.text, first.position) == ("Abolish the death penalty", "noted")
    assert first.recommending_states == ["France", "Slove nia"]
    assert first.tags == [
        ("uhri-theme", "Death penalty"),
        ("uhri-theme", "Right to life"),
        ("affected-persons", "Persons deprived of liberty"),
        ("sdg-target", "16.1"),
        ("sdg-goal", "16"),
    ]
    assert second.position == "supported"
    assert second.position_source == "A/HRC/57/7/Add.1 - Para. 5"
    # "(Equality Now)" looks like a State's name to the parser: the import tells (below).
    assert second.recommending_states == [
        "Equality Now",
        "United Kingdom of Great Britain and Northern Ireland",
        "Chile",
    ]
    assert second.wordings[1] == {"text": "enact it (Law on Equality)", "states": ["Chile"]}
    assert ("affected-persons", "Women & girls") in second.tags
    assert ("sdg-target", "5.1") in second.tags
    assert third.position == "supported-in-part"
    assert (fourth.position, fourth.warnings) == (
        "",
        ["position “Under consideration**” not read: left unknown"],
    )
    assert ohchr_docx.count(path) == 4
    assert detect_format(path).name == "ohchr-docx"


# An older layout: a caption instead of a page header, a title row above the header, a number
# column, the recommending States and the source of position in columns of their own, the
# header repeated where the table breaks, and a second table that goes on without a header.
OLDER_FIRST = [
    ("Universal Periodic Review: recommendations",) * 6,
    ("NO.", "RECOMMENDATION", "Recommending\nState(s)", "Response", "Source of position", "Issues"),
    ("60.1", "To continue its efforts", "Algeria, Brazil", "Accepted", "A/HRC/8/30/Add.1", "A1"),
    ("NO.", "RECOMMENDATION", "Recommending\nState(s)", "Response", "Source of position", "Issues"),
    ("60.2", "To ratify the Convention", "France", "Rejected", "A/HRC/8/30/Add.1", "B32 Racism"),
]
OLDER_SECOND = [
    ("60.3", "To invite the special procedures", "Chile", "Accepted", "A/HRC/8/30", ""),
    ("", "", "", "", "", ""),
]


def test_it_finds_columns_by_meaning_in_an_older_layout_and_reads_the_caption(tmp_path):
    path = write_list(
        tmp_path / "list.docx",
        [OLDER_FIRST, OLDER_SECOND],
        caption="UPR of the United Kingdom of Great Britain and Northern Ireland "
        "(1st cycle, 1st session) – thematic list",
    )

    items = list(ohchr_docx.parse(path))

    assert errors(items) == []
    assert [(d.number, d.position, d.recommending_states, d.line) for d in drafts(items)] == [
        ("60.1", "supported", ["Algeria", "Brazil"], 3),
        ("60.2", "noted", ["France"], 5),
        ("60.3", "supported", ["Chile"], 6),
    ]
    first = drafts(items)[0]
    assert first.state == "United Kingdom of Great Britain and Northern Ireland"
    assert (first.cycle, first.session, first.document_symbol) == (1, 1, "A/HRC/8/30")
    assert first.text == "To continue its efforts"
    assert drafts(items)[1].tags == [("uhri-theme", "B32 Racism")]


def test_it_falls_back_on_the_file_name_and_the_state_option_only_when_the_list_is_silent(
    tmp_path,
):
    rows = [
        ("Recommendation", "Position"),
        ("115.3 Ratify it (France);\nSource of position: A/HRC/28/15/Add.1", "Supported"),
    ]
    silent = write_list(tmp_path / "UPR20_Slovenia_ThematicList.docx", [rows])
    named = write_list(
        tmp_path / "UPR20_Slovenia_ThematicList2.docx",
        [rows],
        page_header="UPR of Peru (2nd Cycle – 21st session)",
    )

    [from_name] = drafts(ohchr_docx.parse(silent))
    [from_option] = drafts(ohchr_docx.parse(silent, state="Chile"))
    [from_header] = drafts(ohchr_docx.parse(named, state="Chile"))

    assert (from_name.state, from_name.session, from_name.cycle) == ("Slovenia", 20, 2)
    assert from_option.state == "Chile"
    assert (from_header.state, from_header.session) == ("Peru", 21)


def test_it_refuses_a_word_table_without_a_recommendation_column(tmp_path):
    path = write_list(tmp_path / "list.docx", [[("Name", "Position"), ("Anna", "Chair")]])

    with pytest.raises(ohchr_docx.FileFormatError, match="no table with a recommendation column"):
        list(ohchr_docx.parse(path))


@pytest.mark.django_db
def test_it_imports_the_current_layout_with_warnings_instead_of_rejections(tmp_path):
    small_vocabulary()
    path = write_list(
        tmp_path / "list.docx",
        [CURRENT],
        page_header="UPR of Belarus (4th Cycle – 48th session)",
    )

    batch = import_file(user=None, format="ohchr-docx", path=path)

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert (batch.created, batch.rejected) == (4, 0)
    reasons = [(warning["line"], warning["reason"]) for warning in batch.warnings]
    assert (3, "State name “Slove nia” read as “Slovenia”") in reasons
    assert (4, "“Equality Now” in parentheses is not a State: kept in the text") in reasons
    assert (6, "position “Under consideration**” not read: left unknown") in reasons
    law = Recommendation.objects.get(number="48.2")
    assert law.text == "Adopt the law without delay (Equality Now); enact it (Law on Equality)"
    assert sorted(law.recommending_states.values_list("code", flat=True)) == ["CHL", "GBR"]
    abolish = Recommendation.objects.get(number="48.1")
    assert sorted(abolish.recommending_states.values_list("code", flat=True)) == ["FRA", "SVN"]
    assert abolish.state.code == "BLR"


# A real list in the current layout, made at test time


def relaid(source, target):
    """The rows of a real thematic list written again in the current layout, the review named
    only in the page header, under a file name that names nothing."""
    document = docx.Document(str(source))
    rows = [CURRENT[0]]
    for row in list(document.tables[0].rows)[1:]:
        cells = [cell.text for cell in row.cells]
        if cells[0].startswith("Theme:"):
            rows.append((cells[0],) * 4)
            continue
        themes, _sdg, sdgs = cells[2].partition("SDGs:")
        rows.append((cells[0], cells[1], themes, sdgs))
    return write_list(
        target, [rows], page_header="UPR of Slovenia (3rd Cycle – 34th session)\tPage 1 of 9"
    )


def test_it_reads_a_real_list_relaid_in_the_current_layout_like_the_original(tmp_path):
    source = settings.SHARED_DATA_DIR / "ohchr-thematic-lists" / "UPR34_Slovenia_ThematicList.docx"
    if not source.is_file():
        pytest.skip(f"real data not found at {source.parent} (set RIGHTSTRACK_DATA_DIR)")

    original = drafts(ohchr_docx.parse(source))
    again = list(ohchr_docx.parse(relaid(source, tmp_path / "export.docx")))

    def read(draft):
        return (
            draft.source_key,
            draft.text,
            draft.position,
            draft.recommending_states,
            draft.state,
            draft.session,
            draft.cycle,
            sorted(draft.tags),
        )

    assert errors(again) == []
    assert len(original) == 215
    assert [read(draft) for draft in drafts(again)] == [read(draft) for draft in original]
