"""import_file: resolution, validation, writing, idempotence, batches, audit."""

import pytest
from django.core.exceptions import PermissionDenied

from rightstrack.audit.models import AuditEntry
from rightstrack.core.db_statistics import planned_row_count
from rightstrack.recommendations.models import (
    Document,
    ImportBatch,
    Recommendation,
    RecommendationTag,
    TagSource,
)
from rightstrack.recommendations.services import ImportFileError, import_file
from rightstrack.taxonomy.models import Scheme, Term

from .import_helpers import (
    THEMATIC_ROWS,
    UPR_INFO_ROWS,
    write_thematic_list,
    write_uhri,
    write_upr_info,
    write_wg_report,
)

pytestmark = pytest.mark.django_db


def counts(batch):
    return batch.created, batch.updated, batch.unchanged, batch.rejected


def test_it_imports_upr_info_rows_with_states_position_category_and_issues(tmp_path, terms):
    batch = import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv"))

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert counts(batch) == (4, 0, 0, 0)
    assert (batch.total, batch.processed) == (4, 4)
    assert len(batch.checksum) == 64
    death = Recommendation.objects.get(text="Abolish the death penalty, now")
    assert death.state == terms["BLR"]
    assert death.mechanism == terms["UPR"]
    assert list(death.recommending_states.all()) == [terms["FRA"]]
    assert death.position == "supported"
    assert death.action_category == terms["action-5"]
    assert (death.session, death.cycle) == (8, 1)
    assert death.import_batch == batch
    tags = death.tags.select_related("term").order_by("term__label_en")
    assert [(tag.term.label_en, tag.source, tag.status) for tag in tags] == [
        ("Death penalty", "imported", "accepted"),
        ("Justice", "imported", "accepted"),
    ]
    assert Recommendation.objects.get(text="Ensure fair trials").state == terms["CIV"]


def test_it_creates_nothing_when_the_same_file_is_imported_again(tmp_path, terms):
    path = write_upr_info(tmp_path / "u.csv")
    import_file(user=None, format="upr-info", path=path)
    before = set(Recommendation.objects.values_list("id", "updated_at"))

    again = import_file(user=None, format="upr-info", path=path)

    assert counts(again) == (0, 0, 4, 0)
    assert set(Recommendation.objects.values_list("id", "updated_at")) == before
    assert RecommendationTag.objects.count() == 5
    assert ImportBatch.objects.count() == 2


def test_it_updates_a_record_whose_source_changed(tmp_path, terms):
    path = tmp_path / "u.csv"
    import_file(user=None, format="upr-info", path=write_upr_info(path))
    changed = list(UPR_INFO_ROWS)
    changed[2] = changed[2].replace("Noted,4,Rights of the Child", "Accepted,3,Justice")

    batch = import_file(user=None, format="upr-info", path=write_upr_info(path, changed))

    assert counts(batch) == (0, 1, 3, 0)
    children = Recommendation.objects.get(text="Protect children’s rights")
    assert children.position == "supported"
    assert children.action_category == terms["action-3"]
    assert children.import_batch == batch
    # Imported tags are added, never taken away by a later import.
    assert set(children.tags.values_list("term__label_en", flat=True)) == {
        "Rights of the Child",
        "Justice",
    }


def test_it_writes_nothing_of_a_file_with_a_bad_row_unless_told_to_skip(tmp_path, terms):
    rows = (*UPR_INFO_ROWS, "Atlantis,,,Sink less,France,,,Accepted,4,Justice,8")
    path = write_upr_info(tmp_path / "u.csv", rows)

    failed = import_file(user=None, format="upr-info", path=path)

    assert failed.status == ImportBatch.Status.FAILED
    assert counts(failed) == (0, 0, 0, 1)
    assert failed.errors == [{"line": 6, "reason": "unknown State under review “Atlantis”"}]
    assert "nothing was written" in failed.message
    assert not Recommendation.objects.exists()

    skipped = import_file(user=None, format="upr-info", path=path, skip_invalid=True)

    assert skipped.status == ImportBatch.Status.SUCCEEDED
    assert counts(skipped) == (4, 0, 0, 1)
    assert skipped.errors == failed.errors
    assert Recommendation.objects.count() == 4


def test_it_warns_of_unknown_recommending_states_and_issues_and_imports_the_rows(tmp_path, terms):
    rows = (
        UPR_INFO_ROWS[0],
        "Belarus,EEG,CIS,One,Narnia,,,Accepted,4,Justice,8",
        "Belarus,EEG,CIS,Two,France,,,Accepted,4,Astrology,8",
    )
    batch = import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv", rows))

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert counts(batch) == (2, 0, 0, 0)
    assert batch.errors == []
    assert batch.warnings == [
        {"line": 2, "reason": "unknown recommending State “Narnia” left out"},
        {"line": 3, "reason": "unknown upr info issue “Astrology” left out"},
    ]
    one = Recommendation.objects.get(text="One")
    assert not one.recommending_states.exists()
    two = Recommendation.objects.get(text="Two")
    assert not two.tags.exists()


def test_it_records_an_unreadable_file_and_raises(tmp_path, terms):
    path = tmp_path / "u.csv"
    path.write_text("Just,a,table\n1,2,3\n")

    with pytest.raises(ImportFileError) as raised:
        import_file(user=None, format="upr-info", path=path)

    batch = raised.value.batch
    assert batch.status == ImportBatch.Status.FAILED
    assert "missing column" in batch.message
    assert batch.finished_at is not None
    assert not Recommendation.objects.exists()
    with pytest.raises(ImportFileError, match="not found"):
        import_file(user=None, format="upr-info", path=tmp_path / "missing.csv")


def test_it_writes_nothing_in_a_dry_run_but_counts(tmp_path, terms):
    batch = import_file(
        user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv"), dry_run=True
    )

    assert batch.dry_run
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert counts(batch) == (4, 0, 0, 0)
    assert not Recommendation.objects.exists()
    assert not RecommendationTag.objects.exists()


def test_it_limits_an_import_to_one_state(tmp_path, terms):
    batch = import_file(
        user=None,
        format="upr-info",
        path=write_upr_info(tmp_path / "u.csv"),
        state="Republic of Belarus",
    )

    assert counts(batch) == (3, 0, 0, 0)
    assert set(Recommendation.objects.values_list("state__code", flat=True)) == {"BLR"}
    with pytest.raises(ImportFileError, match="unknown State"):
        import_file(
            user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv"), state="Narnia"
        )


def test_it_records_the_batch_with_user_and_an_audit_entry(tmp_path, terms, users):
    coordinator = users["coordinator"]
    batch = import_file(
        user=coordinator, format="upr-info", path=write_upr_info(tmp_path / "u.csv")
    )

    assert batch.user == coordinator
    assert batch.file_name == "u.csv"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.target == batch
    assert entry.actor == coordinator
    assert entry.changes["created"]["new"] == "4"
    assert entry.note == "upr-info: u.csv"


@pytest.mark.parametrize("role", ["viewer", "focal_point", "civil_society"])
def test_it_lets_only_managers_import(tmp_path, terms, users, role):
    with pytest.raises(PermissionDenied):
        import_file(user=users[role], format="upr-info", path=write_upr_info(tmp_path / "u.csv"))
    assert not ImportBatch.objects.exists()


def test_it_imports_uhri_records_creating_new_free_labels_as_terms(tmp_path, terms):
    batch = import_file(user=None, format="uhri-json", path=write_uhri(tmp_path / "e.json"))

    assert counts(batch) == (0, 0, 0, 1)
    assert batch.status == ImportBatch.Status.FAILED  # without skip_invalid
    assert not Recommendation.objects.exists()

    batch = import_file(
        user=None, format="uhri-json", path=write_uhri(tmp_path / "e.json"), skip_invalid=True
    )

    assert counts(batch) == (3, 0, 0, 1)
    peru = Recommendation.objects.get(source_key="uhri:a9ceae8c-0001")
    assert peru.mechanism == terms["CRC"]
    assert peru.document.symbol == "CRC/C/PER/CO/6-7"
    assert peru.document.kind == "concluding-observations"
    new_theme = Term.objects.get(scheme=Scheme.UHRI_THEME, label_en="Rights of migrant children")
    assert new_theme.code == "rights-of-migrant-children"
    assert set(peru.tags.values_list("term", flat=True)) == {
        terms["theme-health"].pk,
        new_theme.pk,
        terms["children"].pk,
        terms["16.2"].pk,
        terms["5.2"].pk,
    }
    belarus = Recommendation.objects.get(source_key="uhri:a9ceae8c-0002")
    assert set(belarus.recommending_states.values_list("code", flat=True)) == {"BRA", "LTU"}
    assert Recommendation.objects.get(source_key="uhri:a9ceae8c-0004").mechanism == terms["SP"]


def test_it_imports_a_thematic_list_mapping_coded_and_plain_themes(tmp_path, terms):
    path = write_thematic_list(tmp_path / "UPR20_Slovenia_ThematicList.docx", THEMATIC_ROWS)

    batch = import_file(user=None, format="ohchr-docx", path=path, skip_invalid=True)

    assert counts(batch) == (2, 0, 0, 1)
    assert batch.errors[0]["line"] == 6
    first = Recommendation.objects.get(source_key="thematic-list:A/HRC/28/15#115.3")
    assert first.state == terms["SVN"]
    assert first.number == "115.3"
    assert first.document.symbol == "A/HRC/28/15"
    assert first.document.kind == "upr-wg-report"
    # "A12 Acceptance of international norms" found by its code, "children" by its label.
    assert set(first.tags.values_list("term", flat=True)) == {
        terms["theme-A12"].pk,
        terms["children"].pk,
    }
    second = Recommendation.objects.get(number="115.4")
    labels = set(second.tags.values_list("term__label_en", flat=True))
    assert labels == {"Right to health", "Rights of older persons", "Peace", "Older persons"}
    assert second.wordings == [
        {"text": "Ratify the Covenant", "states": ["Italy"]},
        {"text": "consider ratifying it", "states": ["Spain"]},
    ]


def test_it_meets_the_same_recommendation_from_a_report_and_a_thematic_list(tmp_path, terms):
    report = write_wg_report(tmp_path / "A-HRC-15-16.txt")
    import_file(user=None, format="un-wg-report", path=report)
    pending = Recommendation.objects.get(source_key="doc:A/HRC/15/16#98.16")
    assert pending.position == "pending"
    listing = write_thematic_list(
        tmp_path / "UPR8_Belarus_ThematicList.docx",
        (
            (
                "98.16 Declare a moratorium on executions (Brazil); introduce a moratorium "
                "(Lithuania); adopt a moratorium (Italy); extend a moratorium (Spain); put an end "
                "to capital punishment (Switzerland);\nSource of position: A/HRC/15/16/Add.1",
                "Noted",
                "- Right to health",
            ),
        ),
    )

    batch = import_file(user=None, format="ohchr-docx", path=listing)

    # The list is a source of its own, joined to the report's 98.16 by its number.
    assert counts(batch) == (0, 0, 0, 0)
    assert batch.matched == 1
    noted = Recommendation.objects.get(pk=pending.pk)
    assert noted.position == "noted"
    assert noted.position_source == "A/HRC/15/16/Add.1"
    assert noted.tags.count() == 1
    assert sorted(noted.sources.values_list("kind", "position")) == [
        ("thematic-list", "noted"),
        ("un-document", "pending"),
    ]
    # The report still stands for everything else: it is the UN document.
    assert noted.source_key == "doc:A/HRC/15/16#98.16"
    # Importing the report again does not undo the State's later response.
    again = import_file(user=None, format="un-wg-report", path=report)
    assert again.created == 0
    assert Recommendation.objects.get(pk=pending.pk).position == "noted"
    assert Document.objects.filter(symbol="A/HRC/15/16").count() == 1


def test_it_keeps_tags_people_added(tmp_path, terms):
    path = write_upr_info(tmp_path / "u.csv")
    import_file(user=None, format="upr-info", path=path)
    death = Recommendation.objects.get(text="Abolish the death penalty, now")
    RecommendationTag.objects.create(
        recommendation=death, term=terms["theme-health"], source=TagSource.HUMAN
    )

    batch = import_file(user=None, format="upr-info", path=path)

    assert batch.unchanged == 4
    assert death.tags.filter(source=TagSource.HUMAN).count() == 1


def test_it_imports_a_table_with_a_mapping(tmp_path, terms):
    path = tmp_path / "t.csv"
    path.write_text(
        "Country,Recommendation,Body,From,Category\n"
        "Belarus,Adopt a law on equality,UPR,France; Chile,4\n"
        "Belarus,Ratify the Convention,CRC,,\n",
        encoding="utf-8",
    )
    mapping = "state=Country,text=Recommendation,mechanism=Body,recommending_states=From"
    mapping += ",action_category=Category"

    batch = import_file(user=None, format="table", path=path, options={"map": mapping})

    assert counts(batch) == (2, 0, 0, 0)
    law = Recommendation.objects.get(text="Adopt a law on equality")
    assert set(law.recommending_states.values_list("code", flat=True)) == {"FRA", "CHL"}
    assert law.action_category == terms["action-4"]
    assert Recommendation.objects.get(text="Ratify the Convention").mechanism == terms["CRC"]
    again = import_file(user=None, format="table", path=path, options={"map": mapping})
    assert counts(again) == (0, 0, 2, 0)


def test_it_reports_progress_after_every_chunk(tmp_path, terms, monkeypatch):
    from rightstrack.recommendations.imports import service

    monkeypatch.setattr(service, "CHUNK_SIZE", 2)
    calls = []

    import_file(
        user=None,
        format="upr-info",
        path=write_upr_info(tmp_path / "u.csv"),
        progress=lambda processed, total: calls.append((processed, total)),
    )

    # Half a record for reading it, half for writing it: two chunks read, then two written.
    assert calls == [(0, 4), (1, 4), (2, 4), (2, 4), (3, 4), (4, 4), (4, 4)]


def test_it_refreshes_the_planner_statistics_of_what_it_wrote(tmp_path, terms):
    table = Recommendation._meta.db_table
    import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv"))
    assert planned_row_count(table) == Recommendation.objects.count() == 4

    uhri = write_uhri(tmp_path / "e.json")
    import_file(user=None, format="uhri-json", path=uhri, skip_invalid=True)

    assert planned_row_count(table) == Recommendation.objects.count() > 4
    assert planned_row_count(RecommendationTag._meta.db_table) == RecommendationTag.objects.count()
