import pytest
from django.core.exceptions import ValidationError

from .documents_world import DRAFT_EVIDENCE_URL, EVIDENCE_URL, build_world, report_builder
from .reading import read_docx, read_pdf


@pytest.fixture
def world(users):
    return build_world(users)


build = report_builder("plan-status")


def test_it_writes_the_plan_status_report_as_a_word_file_with_each_measure(world):
    built = build()
    assert built.filename == "plan-status-national-plan-2025-05-03.docx"
    word = read_docx(built.content)

    assert word.headings(0) == [(0, "Plan status report")]
    assert (1, "Summary") in word.headings()
    assert (2, "1. Train judges on the prohibition of torture") in word.headings()
    assert (2, "2. Open a shelter for victims (Example)") in word.headings()
    assert (3, "Indicators against targets") in word.headings()
    assert "Национальный план действий" in word.paragraphs
    assert "Generated on 3 May 2025" in word.paragraphs
    assert "Data scope: published data only" in word.paragraphs
    # The shelter is an example measure: the cover says what that means.
    assert "are made up to show how rightstrack works" in word.text

    # The summary: charts, each followed by its data.
    assert word.picture_count >= 3
    status_table = word.table_with_heading("Status", "Measures")
    assert ["Partially implemented", "1"] in status_table
    assert ["No approved report yet", "2"] in status_table
    agency_table = word.table_with_heading("Agency", "Measures")
    assert ["Own agency", "1"] in agency_table
    theme_table = word.table_with_heading("Theme", "Measures")
    assert ["Torture", "1"] in theme_table

    # Measure 1: recommendations, agencies, latest approved progress, indicators, evidence.
    recommendations = word.table_with_heading("Reference", "Recommendation", "Position")
    assert ["A/HRC/43/5 117.1", "Adopt a law criminalising torture", "Supported"] in (
        recommendations
    )
    assert ["CCPR/C/BLR/CO/5 28", "Consider abolishing the death penalty", "Not stated"] in (
        recommendations
    )
    assert ["Responsible agencies", "Own agency"] in word.rows
    assert ["Status assessment", "Partially implemented"] in word.rows
    assert ["Budget", "US$ 25,000"] in word.rows
    assert "Forty-five judges were trained in 2024." in word.paragraphs
    indicators = word.table_with_heading("Indicator", "Baseline", "Target", "Current value")
    assert indicators[1][:5] == ["Judges trained", "judges", "0", "120", "45"]
    assert EVIDENCE_URL in word.links
    assert f"Training report 2024: {EVIDENCE_URL}" in word.text
    assert "No approved progress report yet." in word.paragraphs
    assert word.footer_fields == ["PAGE", "NUMPAGES"]

    # Nothing the public may not see: unpublished recommendations, drafts and their evidence.
    assert "An unpublished recommendation text" not in word.text
    assert DRAFT_EVIDENCE_URL not in word.links
    assert "Draft evidence" not in word.text
    assert "Secret internal plan" not in word.text


def test_it_writes_the_same_content_as_a_pdf_with_cyrillic_and_page_numbers(world):
    pdf = read_pdf(build(fmt="pdf").content)

    first_page = " ".join(pdf.pages[0].split())
    assert "Plan status report" in first_page
    assert "Национальный план действий" in first_page
    assert "Data scope: published data only" in first_page
    assert "Page 1 of " in first_page
    last = len(pdf.pages)
    assert f"Page {last} of {last}" in pdf.pages[-1]
    text = pdf.text
    for expected in (
        "1. Train judges on the prohibition of torture",
        "2. Open a shelter for victims (Example)",
        "Adopt a law criminalising torture",
        "Partially implemented",
        "Forty-five judges were trained in 2024.",
        "Judges trained judges 0 120 45",
        "Own agency",
    ):
        assert expected in text
    assert EVIDENCE_URL in pdf.links
    assert pdf.image_count >= 3
    assert "An unpublished recommendation text" not in text
    assert DRAFT_EVIDENCE_URL not in pdf.links


def test_it_never_lets_the_public_report_on_an_unpublished_plan(world):
    with pytest.raises(ValidationError) as error:
        build(plan="secret-plan")
    assert "plan" in error.value.message_dict
    with pytest.raises(ValidationError):
        build(plan=str(world.secret_plan.pk))


def test_it_says_when_there_is_no_published_plan(world):
    world.plan.is_published = False
    world.plan.save()
    with pytest.raises(ValidationError) as error:
        build()
    assert error.value.message_dict["plan"] == ["There is no published action plan to report on."]


def test_it_gives_a_coordinator_the_internal_plan_and_says_so(world, users):
    word = read_docx(build(users["coordinator"], plan="secret-plan").content)
    assert "Data scope: internal data as seen by coordinator (Coordinator)" in word.paragraphs
    assert ["Published", "No, internal only"] in word.rows
    titles = [text for level, text in word.headings(2)]
    assert titles == ["1. Confidential own measure", "2. Confidential other measure"]


def test_it_gives_a_focal_point_only_the_measures_of_their_agency_in_an_internal_plan(world, users):
    word = read_docx(build(users["focal_point"], plan="secret-plan").content)
    assert "Data scope: internal data as seen by focal_point (Focal point)" in word.paragraphs
    assert [text for level, text in word.headings(2)] == ["1. Confidential own measure"]
    assert "Confidential other measure" not in word.text
    # Only approved progress goes in a report, even for the agency that wrote the draft.
    word = read_docx(build(users["focal_point"]).content)
    assert DRAFT_EVIDENCE_URL not in word.links
    word = read_docx(build(users["outsider"], plan="secret-plan").content)
    assert [text for level, text in word.headings(2)] == ["2. Confidential other measure"]
