"""Imports of the real files in ../shared/data (skipped when the data is absent)."""

import pytest

from rightstrack.core import intake
from rightstrack.recommendations.demo import load_demo_recommendations
from rightstrack.recommendations.imports import ohchr_docx, upr_info
from rightstrack.recommendations.imports.formats import detect_format
from rightstrack.recommendations.imports.records import FileFormatError, RecordDraft, RowError
from rightstrack.recommendations.models import ImportBatch, Recommendation, SourceRecord
from rightstrack.recommendations.services import import_file
from rightstrack.taxonomy.services import vocabularies_load

pytestmark = pytest.mark.django_db

WG_REPORT = "un-documents/A-HRC-15-16-belarus-upr-working-group-report-2010.txt"
UPR_INFO_6_9 = "upr-info/upr-info-sessions-6-9.csv"


@pytest.fixture
def vocabularies(shared_data_dir):
    vocabularies_load(data_dir=shared_data_dir)
    return shared_data_dir


def counts(batch):
    return batch.created, batch.updated, batch.unchanged, batch.rejected


def test_it_imports_belarus_session_8_from_upr_info_once(vocabularies):
    path = vocabularies / UPR_INFO_6_9

    batch = import_file(user=None, format="upr-info", path=path, state="Belarus")

    assert counts(batch) == (169, 0, 0, 0)
    belarus = Recommendation.objects.filter(state__code="BLR")
    assert belarus.count() == 169
    assert set(belarus.values_list("session", flat=True)) == {8}
    assert belarus.filter(position="supported").exists()
    assert belarus.filter(position="noted").exists()
    assert belarus.filter(tags__isnull=False).distinct().count() == 169
    again = import_file(user=None, format="upr-info", path=path, state="Belarus")
    assert counts(again) == (0, 0, 169, 0)


def test_it_imports_every_row_of_every_upr_info_file(vocabularies):
    # Parsed and resolved in full (a dry run), so every State and issue spelling is known.
    for path in sorted((vocabularies / "upr-info").glob("*.csv")):
        batch = import_file(user=None, format="upr-info", path=path, dry_run=True)
        assert batch.rejected == 0, (path.name, batch.errors[:5])
        assert batch.created == batch.total


def test_it_imports_the_working_group_report_of_belarus(vocabularies):
    batch = import_file(user=None, format="un-wg-report", path=vocabularies / WG_REPORT)

    assert counts(batch) == (93, 0, 0, 0)
    moratorium = Recommendation.objects.get(source_key="doc:A/HRC/15/16#98.16")
    assert moratorium.number == "98.16"
    assert moratorium.document.symbol == "A/HRC/15/16"
    assert moratorium.position == "pending"
    assert moratorium.state.code == "BLR"
    assert (moratorium.session, moratorium.cycle) == (8, 1)
    assert set(moratorium.recommending_states.values_list("label_en", flat=True)) == {
        "Brazil",
        "Lithuania",
        "Italy",
        "Spain",
        "Switzerland",
    }
    assert [wording["states"] for wording in moratorium.wordings] == [
        ["Brazil"],
        ["Lithuania"],
        ["Italy"],
        ["Spain"],
        ["Switzerland"],
    ]
    assert "(" not in moratorium.text
    assert (
        Recommendation.objects.filter(number__startswith="97.", position="supported").count() == 55
    )
    again = import_file(user=None, format="un-wg-report", path=vocabularies / WG_REPORT)
    assert counts(again) == (0, 0, 93, 0)


@pytest.mark.parametrize(
    ("name", "symbol", "count", "session"),
    [
        ("UPR20_Slovenia_ThematicList.docx", "A/HRC/28/15", 163, 20),
        ("UPR34_Slovenia_ThematicList.docx", "A/HRC/43/15", 215, 34),
    ],
)
def test_it_parses_and_imports_the_slovenia_thematic_lists(
    vocabularies, name, symbol, count, session
):
    path = vocabularies / "ohchr-thematic-lists" / name
    items = list(ohchr_docx.parse(path))
    assert not [item for item in items if isinstance(item, RowError)]
    drafts = [item for item in items if isinstance(item, RecordDraft)]
    assert len(drafts) == count
    assert all(draft.number and draft.position in ("supported", "noted") for draft in drafts)
    assert all(draft.document_symbol == symbol and draft.session == session for draft in drafts)
    assert all(draft.state == "Slovenia" for draft in drafts)
    assert sum(1 for draft in drafts if draft.tags) == count

    batch = import_file(user=None, format="ohchr-docx", path=path)

    assert counts(batch) == (count, 0, 0, 0)
    assert (
        Recommendation.objects.filter(state__code="SVN", tags__isnull=False).distinct().count()
        == count
    )
    again = import_file(user=None, format="ohchr-docx", path=path)
    assert counts(again) == (0, 0, count, 0)


def test_it_loads_the_demo_recommendations_once(vocabularies, settings):
    settings.SHARED_DATA_DIR = vocabularies
    output = []

    first = load_demo_recommendations(stdout=type("Out", (), {"write": output.append})())
    second = load_demo_recommendations()

    # The report's 93 recommendations are the 169 UPR Info rows (one per recommending State)
    # imported first: each joins the recommendations it is, which merge into one.
    assert [counts(batch) for batch in first] == [(169, 0, 0, 0), (0, 0, 0, 0)]
    assert [batch.matched for batch in first] == [0, 93]
    assert second == []
    assert Recommendation.objects.filter(state__code="BLR").count() == 93
    assert SourceRecord.objects.filter(recommendation__state__code="BLR").count() == 262
    assert ImportBatch.objects.count() == 2
    assert output[0].startswith("Recommendations from upr-info-sessions-6-9.csv: created 169")


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("upr-info/upr-info-sessions-1-5.csv", "upr-info"),
        (UPR_INFO_6_9, "upr-info"),
        ("upr-info/upr-info-sessions-10-13.csv", "upr-info"),
        ("upr-info/upr-info-sessions-14-17.csv", "upr-info"),
        ("ohchr-thematic-lists/UPR20_Slovenia_ThematicList.docx", "ohchr-docx"),
        ("ohchr-thematic-lists/UPR34_Slovenia_ThematicList.docx", "ohchr-docx"),
        (WG_REPORT, "un-wg-report"),
    ],
)
def test_it_recognises_the_format_of_each_real_file(shared_data_dir, relative, expected):
    assert detect_format(shared_data_dir / relative).name == expected


@pytest.mark.parametrize("relative", ["sdg/en_global_goals.yml", "upr-info/codebook-issues.pdf"])
def test_it_recognises_no_format_in_real_files_that_hold_no_recommendations(
    shared_data_dir, relative
):
    with pytest.raises(FileFormatError, match="No import format recognises this file"):
        detect_format(shared_data_dir / relative)


def test_it_reads_the_real_upr_info_exports_as_mac_roman(shared_data_dir):
    for path in sorted((shared_data_dir / "upr-info").glob("*.csv")):
        assert intake.detect_encoding(path, candidates=upr_info.ENCODINGS) == "mac_roman"
