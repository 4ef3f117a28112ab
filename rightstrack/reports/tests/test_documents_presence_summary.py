import pytest
from django.core.exceptions import ValidationError

from .documents_world import build_world, report_builder
from .reading import read_docx, read_pdf


@pytest.fixture
def world(users):
    return build_world(users)


build = report_builder("presence-summary")


def participants(word):
    table = word.table_with_heading("Participants", "Sum of known figures")
    return {row[0]: row[1:] for row in table[1:]}


def test_it_sums_up_the_year_of_the_first_published_presence(world):
    built = build(year="2023")
    assert built.filename == "presence-summary-belarus-test-2023-2025-05-03.docx"
    word = read_docx(built.content)

    assert word.headings(0) == [(0, "Field presence annual summary")]
    assert "UN Human Rights in Belarus — 2023" in word.paragraphs
    assert ["Country", "Belarus"] in word.rows
    assert ["Annual budget needs", "US$ 100,000"] in word.rows
    assert (1, "Activities of 2023") in word.headings()
    # Two published activities of 2023: 30 and 12 participants, 20 women among the first.
    assert participants(word)["All participants"] == ["42", "2", "0"]
    assert participants(word)["Women"] == ["20", "1", "1"]
    # Budget needs against the recorded cost.
    assert ["Recorded cost of the activities", "US$ 20,000"] in word.rows
    assert ["Share of the budget needs", "20%"] in word.rows
    assert ["Annual budget needs", "US$ 100,000"] in word.table_with_heading("Amount", "USD")
    # Partners and donors, with the activities they took part in.
    partners = word.table_with_heading("Organization", "Kind", "Activities")
    assert ["Belarusian Bar Association", "Bar association", "Семинар для адвокатов"] in partners
    assert ["European Union fund", "Donor fund", "Семинар для адвокатов"] in word.rows
    assert ["Accountability", "1"] in word.table_with_heading("Thematic pillar", "Activities")
    assert ["Women (Spotlight population)", "1"] in word.table_with_heading(
        "Target group", "Activities"
    )
    # The plan measure the seminar supports, with its status.
    assert "Национальный план действий, 1. Train judges on the prohibition of torture" in (
        word.text
    )
    activities = word.table_with_heading("Activity", "Dates", "Participants", "Cost")
    assert [row[0] for row in activities[1:]] == [
        "Dialogue with civil society",
        "Семинар для адвокатов",
    ]
    assert "Earlier workshop of 2022" not in word.text
    assert "Internal planning retreat" not in word.text


def test_it_prints_the_same_summary_as_a_pdf_in_cyrillic(world):
    text = read_pdf(build(fmt="pdf", year="2023").content).text
    for expected in (
        "Field presence annual summary",
        "Семинар для адвокатов",
        "All participants 42 2 0",
        "Recorded cost of the activities US$ 20,000",
        "Share of the budget needs 20%",
        "Belarusian Bar Association",
        "European Union fund",
    ):
        assert expected in text
    assert "Internal planning retreat" not in text


def test_it_counts_unpublished_activities_for_internal_readers_and_every_year_without_one(
    world, users
):
    word = read_docx(build(users["viewer"], year="2023").content)
    assert participants(word)["All participants"] == ["49", "3", "0"]
    assert "Internal planning retreat (not published)" in word.text

    word = read_docx(build().content)
    assert "UN Human Rights in Belarus — All years" in word.paragraphs
    assert participants(word)["All participants"] == ["92", "3", "0"]
    assert "Earlier workshop of 2022" in word.text


def test_it_hides_an_unpublished_presence_from_the_public(world, users):
    with pytest.raises(ValidationError) as error:
        build(presence="hidden-presence")
    assert "presence" in error.value.message_dict
    word = read_docx(build(users["coordinator"], presence="hidden-presence").content)
    assert ["Published", "No, internal only"] in word.rows
    with pytest.raises(ValidationError) as error:
        build(year="1850")
    assert "year" in error.value.message_dict
