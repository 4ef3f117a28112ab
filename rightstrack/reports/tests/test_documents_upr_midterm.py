import pytest
from django.core.exceptions import ValidationError

from .documents_world import EVIDENCE_URL, build_world, report_builder
from .reading import read_docx, read_pdf


@pytest.fixture
def world(users):
    return build_world(users)


MATRIX_HEADINGS = ("Reference", "Recommendation", "Position", "Measures taken", "Evidence")


build = report_builder("upr-midterm")


def matrix_rows(word):
    return [
        row
        for table in word.tables
        if table and all(heading in table[0] for heading in MATRIX_HEADINGS)
        for row in table[1:]
    ]


def test_it_drafts_the_mid_term_matrix_of_the_latest_cycle_grouped_by_theme(world):
    built = build()
    assert built.filename == "upr-midterm-blr-cycle-2-2025-05-03.docx"
    word = read_docx(built.content)

    assert word.headings(0) == [(0, "UPR mid-term report (draft)")]
    assert "Belarus, UPR cycle 2" in word.paragraphs
    assert ["UPR cycle", "2"] in word.rows
    assert ["Recommendations", "2"] in word.rows
    # Each theme is a heading with its recommendations; the others come last.
    assert [text for level, text in word.headings(2)] == ["Disabilities", "Torture"]
    rows = {row[0]: row for row in matrix_rows(word)}
    assert set(rows) == {"A/HRC/43/5 117.1", "A/HRC/43/5 117.2"}
    torture = rows["A/HRC/43/5 117.1"]
    assert torture[1].startswith("Adopt a law criminalising torture")
    assert torture[2] == "Supported"
    assert torture[3] == (
        "Национальный план действий, 1. Train judges on the prohibition of torture — "
        "Partially implemented"
    )
    assert torture[4] == "Partially implemented"
    assert EVIDENCE_URL in torture[5]
    assert rows["A/HRC/43/5 117.2"][2] == "Noted"
    assert EVIDENCE_URL in word.links
    # Summary charts and their data.
    assert ["Supported", "1"] in word.table_with_heading("Position", "Recommendations")
    assert ["Partially implemented", "2"] in word.table_with_heading(
        "Implementation status", "Recommendations"
    )
    # Not the other cycle, not what is unpublished, no grade column without grades.
    assert "Old cycle recommendation on prisons" not in word.text
    assert "An unpublished recommendation text" not in word.text
    assert "The mechanism’s own assessment" not in word.text


def test_it_writes_the_same_matrix_as_a_landscape_pdf(world):
    pdf = read_pdf(build(fmt="pdf").content)
    page = pdf.reader.pages[1]
    assert page.mediabox.width > page.mediabox.height
    text = pdf.text
    for expected in (
        "UPR mid-term report (draft)",
        "Adopt a law criminalising torture",
        "Ratify the Optional Protocol on the rights of persons with disabilities",
        "Train judges on the prohibition of torture",
        "Национальный план действий",
        "Data scope: published data only",
    ):
        assert expected in text
    assert EVIDENCE_URL in pdf.links
    assert "Old cycle recommendation on prisons" not in text


def test_it_takes_a_cycle_and_groups_by_cluster(world, users):
    word = read_docx(build(cycle="1").content)
    assert [row[1] for row in matrix_rows(word)] == ["Old cycle recommendation on prisons"]

    word = read_docx(build(users["coordinator"], group="cluster").content)
    assert [text for level, text in word.headings(2)] == ["Justice cluster", "Not in a cluster"]
    texts = " ".join(row[1] for row in matrix_rows(word))
    # The coordinator sees the unpublished recommendation, marked as such.
    assert "An unpublished recommendation text (not published)" in texts


def test_it_drafts_the_follow_up_of_a_treaty_body_with_its_own_grades(world):
    word = read_docx(build(document="ccpr/c/blr/co/5").content)
    assert word.headings(0) == [(0, "Follow-up report on recommendations (draft)")]
    assert ["Mechanism or body", "Human Rights Committee"] in word.rows
    rows = matrix_rows(word)
    assert len(rows) == 1
    row = rows[0]
    assert row[0] == "28"
    assert row[1] == "Consider abolishing the death penalty"
    assert row[-1] == (
        "(a) and (b): E: Information or measures contrary to or rejecting the "
        "recommendation (CCPR/C/137/2/Add.1, 2023)"
    )
    assert ["E: Information or measures contrary to or rejecting the recommendation", "1"] in (
        word.table_with_heading("Grade", "Recommendations")
    )
    # --mechanism with --state finds the same (latest) document.
    by_mechanism = read_docx(build(mechanism="CCPR", state="Belarus").content)
    assert matrix_rows(by_mechanism) == rows


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "Narnia"}, "state"),
        ({"cycle": "7"}, "cycle"),
        ({"cycle": "two"}, "cycle"),
        ({"document": "CCPR/C/XXX/CO/1"}, "document"),
        ({"document": "CCPR/C/BLR/CO/5", "state": "Belarus"}, "state"),
        ({"mechanism": "CCPR"}, "state"),
        ({"mechanism": "CRC", "state": "Belarus"}, "mechanism"),
        ({"group": "colour"}, "group"),
        ({"plan": "national-plan"}, "plan"),
    ],
)
def test_it_refuses_bad_selectors_naming_the_field(world, params, field):
    with pytest.raises(ValidationError) as error:
        build(**params)
    assert field in error.value.message_dict
