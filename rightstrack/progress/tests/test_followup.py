import importlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template
from django.test import RequestFactory

from rightstrack.audit.models import AuditEntry
from rightstrack.plans.tests.factories import RecommendationFactory, TermFactory, belarus
from rightstrack.progress.models import MechanismAssessment
from rightstrack.progress.services import followup_import
from rightstrack.recommendations.models import Document, ImportBatch, Recommendation
from rightstrack.taxonomy.models import Scheme

HEADER = "state,co_symbol,co_date,assessment_symbol,assessment_year,para,title,limb,grade\n"
ROWS = (
    "Belarus,CCPR/C/BLR/CO/9,1 March 2020,CCPR/C/140/2/Add.9,2024,10,Invented subject one,,B\n"
    "Belarus,CCPR/C/BLR/CO/9,1 March 2020,CCPR/C/140/2/Add.9,2024,20,Invented subject two,(a),A\n"
    "Belarus,CCPR/C/BLR/CO/9,1 March 2020,CCPR/C/140/2/Add.9,2024,20,Invented subject two,(b),D\n"
)


@pytest.fixture
def ccpr(db):
    belarus()
    return TermFactory(scheme=Scheme.MECHANISM, code="CCPR", label_en="Human Rights Committee")


@pytest.fixture
def grades_file(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def render_progress(recommendation, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load progress_tags %}{% recommendation_progress recommendation %}")
    return template.render(Context({"request": request, "recommendation": recommendation}))


def test_it_imports_grades_as_the_mechanisms_own_assessments(ccpr, grades_file):
    batch = followup_import(actor=None, path=grades_file)

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert (batch.created, batch.updated, batch.unchanged) == (3, 0, 0)
    document = Document.objects.get(symbol="CCPR/C/BLR/CO/9")
    assert document.mechanism == ccpr and str(document.date) == "2020-03-01"
    paragraph_20 = Recommendation.objects.get(document=document, number="20")
    grades = {a.part: a.grade for a in paragraph_20.mechanism_assessments.all()}
    assert grades == {"(a)": "A", "(b)": "D"}
    assessment = MechanismAssessment.objects.get(part="(b)")
    assert (assessment.document_symbol, assessment.year, assessment.mechanism) == (
        "CCPR/C/140/2/Add.9",
        2024,
        ccpr,
    )
    assert AuditEntry.objects.filter(
        object_id=str(assessment.pk), note__contains="followup"
    ).exists()


def test_it_grades_a_paragraph_that_was_imported_before_instead_of_adding_one(ccpr, grades_file):
    document = Document.objects.create(symbol="CCPR/C/BLR/CO/9", kind="concluding-observations")
    existing = RecommendationFactory(
        document=document, number="10", mechanism=ccpr, text="Full text"
    )

    followup_import(actor=None, path=grades_file)

    assert existing.mechanism_assessments.get().grade == "B"
    assert Recommendation.objects.filter(document=document, number="10").count() == 1


def test_it_changes_nothing_when_the_same_file_is_imported_again(ccpr, grades_file):
    followup_import(actor=None, path=grades_file)
    again = followup_import(actor=None, path=grades_file)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert MechanismAssessment.objects.count() == 3
    assert Recommendation.objects.count() == 2


def test_it_records_a_changed_grade_as_an_update(ccpr, grades_file, tmp_path):
    followup_import(actor=None, path=grades_file)
    changed = tmp_path / "changed.csv"
    changed.write_text(HEADER + ROWS.replace(",(b),D", ",(b),C"), encoding="utf-8")

    batch = followup_import(actor=None, path=changed)

    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 2)
    assert MechanismAssessment.objects.get(part="(b)").grade == "C"


def test_it_writes_nothing_when_a_row_is_wrong(ccpr, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + ROWS + "Atlantis,CCPR/C/X/CO/1,,CCPR/C/1,2024,5,Subject,,F\n", encoding="utf-8"
    )

    batch = followup_import(actor=None, path=path)

    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [{"line": 5, "reason": "grade “F” is not one of A–E"}]
    assert not MechanismAssessment.objects.exists()
    assert not Recommendation.objects.exists()


def test_it_reports_an_unknown_state_with_its_line(ccpr, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "Atlantis,CCPR/C/X/CO/1,,CCPR/C/1,2024,5,Subject,,A\n")

    batch = followup_import(actor=None, path=path)

    assert batch.errors == [{"line": 2, "reason": "unknown State “Atlantis”"}]


def test_it_refuses_a_file_without_the_columns(ccpr, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,value\nx,1\n")

    with pytest.raises(ValidationError, match="missing column"):
        followup_import(actor=None, path=path)
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


def test_it_writes_nothing_on_a_dry_run(ccpr, grades_file):
    batch = followup_import(actor=None, path=grades_file, dry_run=True)

    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.created == 3
    assert not MechanismAssessment.objects.exists()


def test_it_lets_only_managers_import(ccpr, grades_file, users):
    for role in ("focal_point", "civil_society", "viewer"):
        with pytest.raises(PermissionDenied):
            followup_import(actor=users[role], path=grades_file)
    assert followup_import(actor=users["coordinator"], path=grades_file).created == 3


def test_it_shows_the_grades_beside_the_other_assessments(ccpr, grades_file, users):
    followup_import(actor=None, path=grades_file)
    recommendation = Recommendation.objects.get(number="20")

    html = render_progress(recommendation, users["anonymous"])

    assert "The mechanism’s own assessment" in html
    assert "CCPR/C/140/2/Add.9 (2024)" in html
    assert "Reply or action largely satisfactory" in html
    assert "No cooperation with the committee" in html
    assert "Independent assessments" in html


def test_it_hides_the_grades_of_an_unpublished_recommendation(ccpr, grades_file, client_for):
    followup_import(actor=None, path=grades_file)
    Recommendation.objects.update(is_published=False)

    public = client_for("anonymous").get("/api/v1/mechanism-assessments/").json()
    internal = client_for("coordinator").get("/api/v1/mechanism-assessments/").json()

    assert public["count"] == 0
    assert internal["count"] == 3


def test_it_lists_grades_in_the_api_with_filters(ccpr, grades_file, client_for):
    followup_import(actor=None, path=grades_file)
    client = client_for("anonymous")

    everything = client.get("/api/v1/mechanism-assessments/").json()
    worst = client.get("/api/v1/mechanism-assessments/?grade=d").json()

    assert everything["count"] == 3
    assert worst["count"] == 1
    (item,) = worst["items"]
    assert item["paragraph"] == "20" and item["part"] == "(b)" and item["mechanism"] == "CCPR"
    assert item["document"] == "CCPR/C/BLR/CO/9" and item["state"] == "BLR"
    assert item["grade_meaning"] == "No cooperation with the committee"


def test_it_imports_from_the_command_line_with_exit_codes(ccpr, grades_file, tmp_path, capsys):
    call_command("import-followup", str(grades_file), "--json")
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["created"] == 3 and outcome["status"] == "succeeded"

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Belarus,CCPR/C/BLR/CO/9,,CCPR/C/1,20x4,5,Subject,,A\n")
    with pytest.raises(CommandError) as failure:
        call_command("import-followup", str(bad))
    assert failure.value.returncode == 1
    assert "bad.csv:2: “20x4” is not a year" in capsys.readouterr().err

    with pytest.raises(CommandError) as unreadable:
        call_command("import-followup", str(tmp_path / "missing.csv"))
    assert unreadable.value.returncode == 2


def test_it_imports_the_committees_real_grades_of_belarus(shared_data_dir, ccpr):
    path = shared_data_dir / "ccpr-followup" / "belarus_ccpr_followup_grades.csv"

    batch = followup_import(actor=None, path=path)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    assert batch.created == 4
    death_penalty = Recommendation.objects.get(document__symbol="CCPR/C/BLR/CO/5", number="28")
    assert {a.part: a.grade for a in death_penalty.mechanism_assessments.all()} == {
        "(a) and (b)": "E",
        "(c)": "C",
    }
    assert set(MechanismAssessment.objects.values_list("year", flat=True)) == {2023}


def test_it_shows_a_failing_rows_reason_on_the_batch_page(ccpr, tmp_path, client_for):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "Atlantis,CCPR/C/X/CO/1,,CCPR/C/1,2024,5,Subject,,A\n")
    batch = followup_import(actor=None, path=path)

    page = client_for("coordinator").get(f"/recommendations/import/{batch.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "unknown State “Atlantis”" in html
    assert "Treaty Body follow-up grades (CSV)" in html
    api = client_for("coordinator").get(f"/api/v1/recommendations/import/{batch.pk}")
    assert api.json()["errors"] == [{"line": 2, "reason": "unknown State “Atlantis”"}]


def test_it_lists_follow_up_batches_under_their_format(ccpr, grades_file, client_for):
    followup_import(actor=None, path=grades_file)

    page = client_for("coordinator").get("/recommendations/imports/?format=treaty-body-followup")

    assert page.status_code == 200
    assert "grades.csv" in page.content.decode()


def test_it_renames_the_row_errors_of_follow_up_batches_stored_before(db):
    from django.apps import apps

    migration = importlib.import_module(
        "rightstrack.progress.migrations.0003_followup_batch_errors_reason"
    )
    old = ImportBatch.objects.create(
        format="treaty-body-followup", errors=[{"line": 3, "message": "unknown State “X”"}]
    )
    other = ImportBatch.objects.create(format="upr-info", errors=[{"line": 1, "reason": "r"}])

    migration.rename_message_to_reason(apps, None)

    old.refresh_from_db()
    other.refresh_from_db()
    assert old.errors == [{"line": 3, "reason": "unknown State “X”"}]
    assert other.errors == [{"line": 1, "reason": "r"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ((HEADER + ROWS.replace("Invented subject one", "x" * 70_000)).encode(), "Line 2"),
        (
            (HEADER + ROWS.replace("Invented subject one", "Смертная казнь")).encode("koi8_r"),
            "mojibake",
        ),
        (HEADER.encode(), "holds no records"),
    ],
)
def test_it_refuses_hostile_followup_files_with_exit_2_and_writes_nothing(
    ccpr, tmp_path, capsys, settings, content, message
):
    settings.IMPORT_MAX_LINE_BYTES = 64 * 1024
    path = tmp_path / "grades.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError) as refused:
        call_command("import-followup", str(path))

    assert refused.value.returncode == 2
    assert message in str(refused.value) + capsys.readouterr().err
    assert not MechanismAssessment.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
