"""UN documents as people download them: Working Group reports as PDF, Word or text, and their
addenda (the State's responses)."""

import pytest
from django.conf import settings

from rightstrack.recommendations.imports import un_wg_addendum, un_wg_report
from rightstrack.recommendations.imports.documents import join_lines, read_document
from rightstrack.recommendations.imports.formats import detect_format
from rightstrack.recommendations.imports.records import FileFormatError, RecordDraft, RowWarning
from rightstrack.recommendations.models import Recommendation
from rightstrack.recommendations.services import import_file

from .import_helpers import small_vocabulary
from .un_documents import report_lines, write_docx, write_numbered_docx, write_pdf

WG_REPORT = "un-documents/A-HRC-15-16-belarus-upr-working-group-report-2010.txt"


def drafts(items):
    return [item for item in items if isinstance(item, RecordDraft)]


def as_read(draft):
    return (
        draft.source_key,
        draft.number,
        draft.text,
        draft.wordings,
        draft.position,
        draft.recommending_states,
        draft.state,
        draft.session,
        draft.document_symbol,
    )


@pytest.fixture(scope="module")
def real_report(tmp_path_factory):
    """The real report's text, and a PDF and a Word file made of it (named without the symbol:
    they must find it in the document). Made once: a PDF takes seconds to write."""
    text = settings.SHARED_DATA_DIR / WG_REPORT
    if not text.is_file():
        pytest.skip(f"real data not found at {settings.SHARED_DATA_DIR} (set RIGHTSTRACK_DATA_DIR)")
    folder = tmp_path_factory.mktemp("report")
    lines = report_lines(text)
    return text, write_pdf(folder / "report.pdf", lines), write_docx(folder / "report.docx", lines)


def test_it_reads_the_real_report_as_pdf_and_word_like_its_text(real_report):
    text, pdf, word = real_report

    from_text = [as_read(draft) for draft in drafts(un_wg_report.parse(text))]
    from_pdf = [as_read(draft) for draft in drafts(un_wg_report.parse(pdf))]
    from_word = [as_read(draft) for draft in drafts(un_wg_report.parse(word))]

    assert len(from_text) == 93
    assert from_pdf == from_text
    assert from_word == from_text
    assert from_text[0][6:] == ("Belarus", 8, "A/HRC/15/16")
    assert [detect_format(path).name for path in (text, pdf, word)] == ["un-wg-report"] * 3


@pytest.mark.django_db
def test_it_imports_the_real_report_from_pdf_without_options_then_its_text_changes_nothing(
    real_report, shared_data_dir
):
    from rightstrack.taxonomy.services import vocabularies_load

    vocabularies_load(data_dir=shared_data_dir)
    text, pdf, _word = real_report

    batch = import_file(user=None, format="un-wg-report", path=pdf)
    again = import_file(user=None, format="un-wg-report", path=text)

    assert (batch.created, batch.rejected, batch.warnings) == (93, 0, [])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 93)
    moratorium = Recommendation.objects.get(source_key="doc:A/HRC/15/16#98.16")
    assert moratorium.state.code == "BLR"
    assert moratorium.position == "pending"
    assert moratorium.recommending_states.count() == 5


# Reading PDF text


def test_it_mends_words_broken_over_lines_and_keeps_real_hyphens():
    words = {"international", "governmental"}

    assert join_lines(["the inter-", "national community"], words) == "the international community"
    assert join_lines(["non-", "governmental bodies"], words) == "non-governmental bodies"
    assert join_lines(["follow-", "up  of", "", "it"], words) == "follow-up of it"
    assert join_lines(["soft\u00ad", "hyphen"], words) == "softhyphen"
    assert join_lines(["(Timor-", "Leste)"], words) == "(Timor-Leste)"


def test_it_leaves_out_running_heads_and_feet_of_pdf_pages(tmp_path):
    lines = [
        "Report of the Working Group on the Universal Periodic Review*",
        "Utopia",
        "The Working Group held its tenth session.",
        "80. The following recommendations enjoy the support of Utopia:",
        *(
            f"80.{n}. Protect the right number {n} of everyone in every region (France);"
            for n in range(1, 60)
        ),
        "81. All conclusions reflect the position of the States.",
    ]
    pdf = write_pdf(tmp_path / "r.pdf", lines, symbol="A/HRC/16/9")

    document = read_document(pdf)

    assert document.kind == "pdf"
    assert "A/HRC/16/9" in document.head
    assert not [line for line in document.lines if "GE.10-14567" in line or line == "A/HRC/16/9"]
    items = drafts(un_wg_report.parse(pdf))
    assert [draft.number for draft in items] == [f"80.{n}" for n in range(1, 60)]
    assert items[-1].text == "Protect the right number 59 of everyone in every region"
    assert {(draft.state, draft.session, draft.position) for draft in items} == {
        ("Utopia", 10, "supported")
    }


# The lead-ins of every cycle


CYCLES = {
    # Cycle 1: "enjoy the support", "will be examined", "did not enjoy the support".
    1: [
        "97. The recommendations formulated during the interactive dialogue and listed below have "
        "been examined by Utopia and enjoy the support of Utopia:",
        "97.1. Ratify the Convention (France);",
        "98. The following recommendations will be examined by Utopia, which will provide "
        "responses in due time:",
        "98.1. Abolish the death penalty (Italy).",
        "99. The recommendations below did not enjoy the support of Utopia:",
        "99.1. Close the camps (Spain).",
    ],
    # Cycles 2 and 3: "are supported by", "will be noted".
    3: [
        "115. The following recommendations will be examined by Utopia and are supported by "
        "Utopia:",
        "115.1 Ratify the Convention (France);",
        "116. The following recommendations will be noted by Utopia:",
        "116.1 Abolish the death penalty (Italy);",
    ],
}


def test_it_reads_the_position_from_each_paragraphs_lead_in_in_every_cycle(tmp_path):
    found = {}
    for cycle, body in CYCLES.items():
        path = tmp_path / f"A-HRC-20-{cycle}.txt"
        path.write_text("\n".join(body), encoding="utf-8")
        found[cycle] = [
            (draft.number, draft.position) for draft in drafts(un_wg_report.parse(path))
        ]

    assert found[1] == [("97.1", "supported"), ("98.1", "pending"), ("99.1", "noted")]
    assert found[3] == [("115.1", "supported"), ("116.1", "noted")]


def test_it_numbers_the_plain_items_of_the_earliest_reports_under_their_paragraph(tmp_path):
    path = tmp_path / "A-HRC-8-30.txt"
    path.write_text(
        "\n".join(
            (
                "59. In the course of the discussion, recommendations were made.",
                "60. The recommendations formulated during the interactive dialogue have been "
                "examined by Utopia and the recommendations listed below enjoy the support of "
                "Utopia:",
                "1. To continue its efforts (Algeria);",
                "2. To ratify the Convention (France);",
                "61. The following recommendations will be examined by Utopia:",
                "1. To abolish the death penalty (Italy);",
                "62. All conclusions reflect the position of the States.",
            )
        ),
        encoding="utf-8",
    )

    items = drafts(un_wg_report.parse(path))

    assert [(draft.number, draft.position, draft.text) for draft in items] == [
        ("60.1", "supported", "To continue its efforts"),
        ("60.2", "supported", "To ratify the Convention"),
        ("61.1", "pending", "To abolish the death penalty"),
    ]
    assert items[0].source_key == "doc:A/HRC/8/30#60.1"


def test_it_reads_the_title_and_a_session_broken_over_two_lines(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "\n".join(
            (
                "United Nations A/HRC/43/15",
                "Report of the Working Group on the Universal Periodic Review* Slovenia",
                "1. The Working Group on the Universal Periodic Review held its thirty-",
                "fourth session from 4 to 15 November 2019.",
                "121. The following recommendations have been noted by Slovenia:",
                "121.1 Ratify the Convention (France);",
            )
        ),
        encoding="utf-8",
    )

    [draft] = drafts(un_wg_report.parse(path))

    assert (draft.state, draft.session, draft.cycle) == ("Slovenia", 34, 3)
    assert (draft.source_key, draft.position) == ("doc:A/HRC/43/15#121.1", "noted")


def test_it_reads_paragraph_numbers_that_word_draws_itself(tmp_path):
    path = write_numbered_docx(
        tmp_path / "report.docx",
        [
            (None, "Report of the Working Group on the Universal Periodic Review*"),
            (None, "Utopia"),
            (0, "The recommendations below enjoy the support of Utopia:"),
            (1, "Ratify the Convention (France);"),
            (1, "Protect children (Chile)."),
            (0, "The following recommendations will be examined by Utopia:"),
            (1, "Abolish the death penalty (Italy)."),
        ],
    )

    items = drafts(un_wg_report.parse(path))

    assert [(d.number, d.position, d.text, d.state) for d in items] == [
        ("97.1", "supported", "Ratify the Convention", "Utopia"),
        ("97.2", "supported", "Protect children", "Utopia"),
        ("98.1", "pending", "Abolish the death penalty", "Utopia"),
    ]
    assert items[0].source_key == "doc:A/HRC/15/16#97.1"


# Addenda


ADDENDUM_HEAD = [
    "A/HRC/15/16/Add.1",
    "Distr.: General 14 September 2010",
    "Human Rights Council",
    "Report of the Working Group on the Universal Periodic Review*",
    "Utopia",
    "Addendum",
    "Views on conclusions and/or recommendations, voluntary commitments and replies presented "
    "by the State under review",
    "",
]
ADDENDUM_STYLES = {
    "prose": [
        "1. Utopia has studied the recommendations in paragraph 98 of the report.",
        "2. Utopia accepts recommendations 98.1, 98.3 and",
        "98.5.",
        "3. Recommendations 98.16, 98.20 are not accepted. The public supports the present law.",
        "4. Recommendations 98.6 to 98.8 enjoy the support of Utopia; recommendation 98.10 is "
        "partially accepted.",
        "5. 98.11 – 98.12 Accepted",
    ],
    "headings": [
        "Recommendations supported by Utopia:",
        "98.1 Ratify the Second Optional Protocol (Brazil, Italy);",
        "98.3 Implement the accepted recommendations of the first review (Norway);",
        "",
        "Recommendations that were noted:",
        "98.16 Declare a moratorium on executions (Brazil); implement accepted recommendations "
        "(Norway);",
    ],
    "per recommendation": [
        "98.1 Ratify the Second Optional Protocol to the Covenant (Brazil, Italy);",
        "Response: Accepted. The ratification is under way.",
        "98.3 Sign the Optional Protocol and ensure that victims are supported (Spain).",
        "Response: Not accepted. The law is supported by the population.",
        "98.5 Adopt a law on equality (France).",
        "Position: Partially accepted",
        "98.6 Sign the Protocol (Spain).",
        "Utopia does not consider it possible at this time to sign the Protocol.",
        "98.7 Make the register public (Chile).",
        "The register has already been made public and the recommendation has been implemented.",
    ],
}
EXPECTED = {
    "prose": [
        ("98.1", "supported"),
        ("98.3", "supported"),
        ("98.5", "supported"),
        ("98.6", "supported"),
        ("98.7", "supported"),
        ("98.8", "supported"),
        ("98.10", "supported-in-part"),
        ("98.11", "supported"),
        ("98.12", "supported"),
        ("98.16", "noted"),
        ("98.20", "noted"),
    ],
    "headings": [("98.1", "supported"), ("98.3", "supported"), ("98.16", "noted")],
    "per recommendation": [
        ("98.1", "supported"),
        ("98.3", "noted"),
        ("98.5", "supported-in-part"),
        ("98.6", "noted"),
        ("98.7", "supported"),
    ],
}


@pytest.mark.parametrize("style", list(ADDENDUM_STYLES))
def test_it_reads_the_responses_of_an_addendum_in_each_style_as_text_and_pdf(tmp_path, style):
    lines = [*ADDENDUM_HEAD, *ADDENDUM_STYLES[style]]
    text = tmp_path / "responses.txt"
    text.write_text("\n".join(lines), encoding="utf-8")
    pdf = write_pdf(tmp_path / "responses.pdf", lines, symbol="A/HRC/15/16/Add.1")

    for path in (text, pdf):
        items = drafts(un_wg_addendum.parse(path))
        assert [(draft.number, draft.position) for draft in items] == EXPECTED[style], path.name
        assert {(d.source_key.split("#")[0], d.state, d.position_source) for d in items} == {
            ("doc:A/HRC/15/16", "Utopia", "A/HRC/15/16/Add.1")
        }
        assert all(draft.updates_only and not draft.text for draft in items)
        assert detect_format(path).name == "un-wg-addendum"
    # Given as a report, the addendum is recognised and read as one.
    assert [(d.number, d.position) for d in drafts(un_wg_report.parse(text))] == EXPECTED[style]


def test_it_reads_an_addendum_table_of_numbers_and_positions(tmp_path):
    path = write_docx(
        tmp_path / "addendum.docx",
        ADDENDUM_HEAD,
        symbol="A/HRC/15/16/Add.1",
        tables=[
            [
                ("Recommendation", "Position of Utopia"),
                ("98.1", "Supported"),
                ("98.2 – 98.4", "Noted"),
                ("98.5 Ratify the Convention (Spain)", "Accepted"),
                ("98.6", "Supported/Noted"),
            ]
        ],
    )

    items = drafts(un_wg_addendum.parse(path))

    assert [(draft.number, draft.position) for draft in items] == [
        ("98.1", "supported"),
        ("98.2", "noted"),
        ("98.3", "noted"),
        ("98.4", "noted"),
        ("98.5", "supported"),
        ("98.6", "supported-in-part"),
    ]
    assert detect_format(path).name == "un-wg-addendum"


def test_it_refuses_an_addendum_without_responses_and_warns_of_numbers_without_one(tmp_path):
    empty = tmp_path / "A-HRC-15-16-Add-1.txt"
    empty.write_text("Addendum\nUtopia thanks the delegations.", encoding="utf-8")
    with pytest.raises(FileFormatError, match="no response"):
        list(un_wg_addendum.parse(empty))

    partial = tmp_path / "A-HRC-15-16-Add-1-b.txt"
    partial.write_text("Addendum\n98.1 is accepted.\nAs for 98.7, it is under study.")

    items = list(un_wg_addendum.parse(partial))

    assert [(d.number, d.position) for d in drafts(items)] == [("98.1", "supported")]
    assert [item.reason for item in items if isinstance(item, RowWarning)] == [
        "recommendation 98.7 is named without a position"
    ]


@pytest.mark.django_db
def test_it_sets_the_pending_positions_from_the_addendum_and_creates_nothing(tmp_path):
    small_vocabulary()
    report = tmp_path / "report.txt"
    report.write_text(
        "\n".join(
            (
                "A/HRC/15/16",
                "Report of the Working Group on the Universal Periodic Review*",
                "Belarus",
                "97. The recommendations below enjoy the support of Belarus:",
                "97.1. Ratify the Convention (France);",
                "98. The following recommendations will be examined by Belarus:",
                "98.1. Abolish the death penalty (Italy);",
                "98.2. Declare a moratorium (Brazil).",
            )
        ),
        encoding="utf-8",
    )
    addendum = tmp_path / "addendum.txt"
    addendum.write_text(
        "\n".join(
            (
                "A/HRC/15/16/Add.1",
                "Report of the Working Group on the Universal Periodic Review*",
                "Belarus",
                "Addendum",
                "Recommendation 98.1 is not accepted.",
                "Recommendations 98.2 and 98.3 are accepted.",
            )
        ),
        encoding="utf-8",
    )

    early = import_file(user=None, format="un-wg-addendum", path=addendum)
    assert (early.created, early.updated) == (0, 0)
    assert [warning["reason"] for warning in early.warnings][0].startswith(
        "recommendation 98.1 is not imported yet"
    )
    import_file(user=None, format="un-wg-report", path=report)

    # Recognised from its content.
    batch = import_file(user=None, format="auto", path=addendum)
    assert batch.format == "un-wg-addendum"
    report_again = import_file(user=None, format="un-wg-report", path=report)

    assert (batch.created, batch.updated, batch.rejected) == (0, 2, 0)
    assert batch.warnings == [
        {
            "line": 6,
            "reason": "recommendation 98.3 is not imported yet, so its position was not set: "
            "import the report first",
        }
    ]
    positions = dict(Recommendation.objects.values_list("number", "position"))
    assert positions == {"97.1": "supported", "98.1": "noted", "98.2": "supported"}
    moratorium = Recommendation.objects.get(number="98.2")
    assert moratorium.text == "Declare a moratorium"
    assert moratorium.position_source == "A/HRC/15/16/Add.1"
    assert list(moratorium.recommending_states.values_list("code", flat=True)) == ["BRA"]
    # The report read again does not put the answered recommendations back to pending.
    assert report_again.updated == 0
