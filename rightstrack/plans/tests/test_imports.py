"""Action plans out to the XLSX template and back in: the round trip of the demo plans, the
preview (dry run), row errors, idempotent re-import, permissions, the command and Word tables."""

import datetime
import io
import json
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from rightstrack.accounts.tests.factories import AgencyFactory, UserFactory
from rightstrack.audit.models import AuditEntry
from rightstrack.core.roles import Role
from rightstrack.jobs.models import Job
from rightstrack.jobs.services import jobs_fail_abandoned
from rightstrack.plans.demo import load_demo_plans
from rightstrack.plans.imports import PLAN_FORMAT
from rightstrack.plans.imports.jobs import PLAN_IMPORT_JOB
from rightstrack.plans.imports.service import plan_import
from rightstrack.plans.imports.template import write_template
from rightstrack.plans.models import ActionPlan, Measure
from rightstrack.plans.services import INDICATOR_FIELDS, MEASURE_FIELDS
from rightstrack.recommendations.imports.service import ImportFileError
from rightstrack.recommendations.models import Document, ImportBatch
from rightstrack.taxonomy.models import Agency

from .factories import IndicatorFactory, MeasureFactory, PlanFactory, RecommendationFactory, belarus

MEASURE_HEADER = [
    "Measure number",
    "Title",
    "Description",
    "Responsible agencies",
    "Partners",
    "Start date",
    "Due date",
    "Budget",
    "Currency",
    "Budget source",
    "Recommendations answered",
]
INDICATOR_HEADER = ["Measure number", "Indicator", "Baseline", "Target", "Unit"]


def _snapshot(plan):
    """Every field and link of the plan's measures and indicators, by measure number."""
    measures = {}
    for measure in plan.measures.all():
        fields = {name: getattr(measure, name) for name in MEASURE_FIELDS}
        fields["responsible_agencies"] = sorted(
            measure.responsible_agencies.values_list("code", flat=True)
        )
        fields["recommendations"] = sorted(measure.recommendations.values_list("pk", flat=True))
        fields["status"] = measure.status
        fields["is_example"] = measure.is_example
        fields["indicators"] = [
            {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
            for indicator in measure.indicators.order_by("position", "pk")
        ]
        measures[measure.number] = fields
    return measures


def _judges_workbook(tmp_path, reference):
    """plan.xlsx with measure 1, Train judges (Ministry of Justice), answering ``reference``."""
    row = ["1", "Train judges", "", "moj-by", "", "", "", "", "", "", reference]
    return _workbook(tmp_path / "plan.xlsx", [row])


def _workbook(path, measures=(), indicators=(), *, measure_header=MEASURE_HEADER):
    book = Workbook()
    sheet = book.active
    sheet.title = "Measures"
    sheet.append(measure_header)
    for row in measures:
        sheet.append(row)
    if indicators:
        other = book.create_sheet("Indicators")
        other.append(INDICATOR_HEADER)
        for row in indicators:
            other.append(row)
    book.save(path)
    return path


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def world(db):
    """A plan of Belarus, two agencies, and recommendations to refer to."""
    state = belarus()
    document = Document.objects.create(symbol="A/HRC/15/16", state=state)
    return {
        "plan": PlanFactory(name="Interagency plan", slug="interagency"),
        "moj": AgencyFactory(code="moj-by", name_en="Ministry of Justice"),
        "mvd": AgencyFactory(code="mvd-by", name_en="Ministry of Internal Affairs"),
        "death_penalty": RecommendationFactory(document=document, number="98.16"),
        "moratorium": RecommendationFactory(document=document, number="98.17"),
        "uhri": RecommendationFactory(source_key="uhri:abc-123", number=""),
        "upr_info": RecommendationFactory(source_key="upr-info:s8:x", number=""),
    }


def _demo_plans(recommendations=True):
    """The demo's two plans, loaded by the demo loader (plans/demo.py) as `load-demo` does."""
    belarus()
    AgencyFactory(code="mfa-by", name_en="Ministry of Foreign Affairs (demo)")
    UserFactory(username="demo-admin", role=Role.ADMINISTRATOR)
    if recommendations:
        document = Document.objects.create(symbol="A/HRC/15/16")
        for number in ("97.4", "97.21", "97.22", "97.24", "98.16", "98.17", "98.8", "98.2"):
            RecommendationFactory(
                document=document,
                number=number,
                text=f"Recommendation {number}",
                wordings=[{"text": f"Recommendation {number}", "states": ["Brazil"]}],
            )
            # The same recommendation as UPR Info recorded it: no document, no number.
            RecommendationFactory(
                source_key=f"upr-info:s8:{number}", number="", text=f"Recommendation {number}."
            )
    return load_demo_plans()


@pytest.mark.django_db
def test_it_exports_the_demo_plans_and_imports_them_back_unchanged(tmp_path):
    plans = _demo_plans()
    assert Measure.recommendations.through.objects.count() > 7
    for plan in plans:
        before = _snapshot(plan)
        entries = AuditEntry.objects.exclude(action=AuditEntry.Action.IMPORT).count()
        path = tmp_path / f"{plan.slug}.xlsx"
        write_template(path, plan=plan)

        batch = plan_import(actor=None, path=path, plan=plan).batch

        assert (batch.status, batch.errors) == (ImportBatch.Status.SUCCEEDED, [])
        assert (batch.created, batch.updated, batch.unchanged) == (0, 0, len(before))
        assert _snapshot(plan) == before
        assert AuditEntry.objects.exclude(action=AuditEntry.Action.IMPORT).count() == entries


@pytest.mark.django_db
def test_a_demo_plan_exported_and_imported_as_a_new_plan_is_the_same_plan(tmp_path):
    plan = _demo_plans()[0]
    path = tmp_path / "plan.xlsx"
    write_template(path, plan=plan)

    batch = plan_import(actor=None, path=path, new_plan_title="Copy of the plan", state="BLR").batch

    copy = ActionPlan.objects.get(name="Copy of the plan")
    assert batch.created == plan.measures.count() == 4
    expected = _snapshot(plan)
    for fields in expected.values():
        # A status comes from progress reports; the copy has none yet. Example flags stay
        # with the demo.
        fields.update(status="no-report", is_example=False)
    assert _snapshot(copy) == expected


@pytest.mark.django_db
def test_the_demo_round_trip_holds_with_belarus_real_recommendations(tmp_path, shared_data_dir):
    from rightstrack.recommendations.demo import load_demo_recommendations
    from rightstrack.taxonomy.services import vocabularies_load

    vocabularies_load(data_dir=shared_data_dir)
    load_demo_recommendations()
    plans = _demo_plans(recommendations=False)
    for plan in plans:
        before = _snapshot(plan)
        assert any(fields["recommendations"] for fields in before.values())
        path = tmp_path / f"{plan.slug}.xlsx"
        write_template(path, plan=plan)
        batch = plan_import(actor=None, path=path, plan=plan).batch
        assert (batch.status, batch.unchanged, batch.errors) == ("succeeded", len(before), [])
        assert _snapshot(plan) == before


@pytest.mark.django_db
def test_the_template_has_the_columns_instructions_and_agency_list(world, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)

    book = load_workbook(path)
    assert book.sheetnames == ["Measures", "Indicators", "Instructions"]
    header = [cell.value for cell in book["Measures"][1]]
    assert header[:11] == MEASURE_HEADER
    assert book["Measures"].max_row == 1
    instructions = [[cell.value for cell in row] for row in book["Instructions"].iter_rows()]
    text = json.dumps(instructions)
    assert "YYYY-MM-DD" in text and "A/HRC/15/16 98.16" in text and "quarterly" in text
    assert ["Agencies", "moj-by", None, "Ministry of Justice", None] in instructions


@pytest.mark.django_db
def test_a_dry_run_previews_what_would_be_created_updated_and_linked(world, tmp_path):
    plan = world["plan"]
    MeasureFactory(plan=plan, number="1", title="Old title", agencies=[world["moj"]])
    path = _workbook(
        tmp_path / "plan.xlsx",
        [
            ["1", "New title", "", "moj-by", "", "", "", "", "", "", "A/HRC/15/16 98.16, 98.17"],
            [
                "2",
                "Train judges",
                "",
                "Ministry of internal  affairs",
                "",
                "2025-01-01",
                "31.12.2026",
                1500,
                "usd",
                "",
                f"uhri:abc-123; #{world['upr_info'].pk}",
            ],
        ],
        [["2", "Judges trained", "0", "100", "people"]],
    )
    entries = AuditEntry.objects.count()

    result = plan_import(actor=None, path=path, plan=plan, dry_run=True)

    batch = result.batch
    assert (batch.status, batch.dry_run) == ("succeeded", True)
    assert (batch.created, batch.updated, batch.unchanged) == (1, 1, 0)
    assert "Dry run" in batch.message
    first, second = result.outcome["measures"]
    assert (first["action"], first["fields"]) == ("update", ["Title"])
    assert first["linked"] == ["A/HRC/15/16 98.16", "A/HRC/15/16 98.17"]
    assert second["action"] == "create"
    assert second["linked"] == ["uhri:abc-123", f"#{world['upr_info'].pk}"]
    assert second["indicators"] == ["Judges trained (new)"]
    # Nothing written but the batch and its audit entry.
    assert Measure.objects.get(plan=plan, number="1").title == "Old title"
    assert not Measure.objects.filter(number="2").exists()
    assert AuditEntry.objects.count() == entries + 1
    assert ImportBatch.objects.get(pk=batch.pk).options["outcome"] == result.outcome


@pytest.mark.django_db
def test_it_imports_then_a_second_import_changes_nothing(world, tmp_path):
    plan = world["plan"]
    header = [*MEASURE_HEADER, "Notes"]
    rows = [
        [
            "2",
            "Train judges",
            "About it",
            "mvd-by; Ministry of Justice",
            "UNDP",
            "2025-01-01",
            datetime.datetime(2026, 12, 31),
            1500.5,
            "usd",
            "State budget",
            "A/HRC/15/16 98.16",
        ],
    ]
    path = _workbook(
        tmp_path / "plan.xlsx",
        rows,
        [["2", "Judges trained", "0", "100", "people"]],
        measure_header=header,
    )

    first = plan_import(actor=None, path=path, plan=plan).batch
    measure = Measure.objects.get(plan=plan, number="2")
    assert (first.status, first.created) == ("succeeded", 1)
    assert first.warnings == [
        {
            "line": 1,
            "reason": "Measures: column “Notes” is not one of the template's; it was ignored",
        }
    ]
    assert measure.due_date == datetime.date(2026, 12, 31)
    assert (measure.budget_amount, measure.budget_currency) == (Decimal("1500.50"), "USD")
    assert set(measure.responsible_agencies.all()) == {world["moj"], world["mvd"]}
    assert list(measure.recommendations.all()) == [world["death_penalty"]]
    indicator = measure.indicators.get()
    assert (indicator.name, indicator.target, indicator.unit) == ("Judges trained", "100", "people")
    entries, version = AuditEntry.objects.count(), measure.version

    second = plan_import(actor=None, path=path, plan=plan).batch

    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    measure.refresh_from_db()
    assert measure.version == version
    assert AuditEntry.objects.count() == entries + 1  # the second batch's own entry


@pytest.mark.django_db
def test_a_re_import_updates_fields_links_and_indicators_by_number_and_name(world, tmp_path):
    plan = world["plan"]
    measure = MeasureFactory(
        plan=plan,
        number="1",
        title="Train judges",
        agencies=[world["moj"]],
        recommendations=[world["death_penalty"]],
    )
    IndicatorFactory(measure=measure, name="Judges trained", target="10", position=0)
    path = _workbook(
        tmp_path / "plan.xlsx",
        [
            [
                "1",
                "Train judges and prosecutors",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "A/HRC/15/16 98.17",
            ]
        ],
        [["1", "judges trained", "", "50", ""], ["1", "Prosecutors trained", "0", "20", "people"]],
    )

    result = plan_import(actor=None, path=path, plan=plan)

    item = result.outcome["measures"][0]
    assert item["action"] == "update"
    assert (item["linked"], item["unlinked"]) == (["A/HRC/15/16 98.17"], ["A/HRC/15/16 98.16"])
    measure.refresh_from_db()
    assert measure.title == "Train judges and prosecutors"
    assert list(measure.responsible_agencies.all()) == [world["moj"]]  # empty cell: kept
    assert list(measure.recommendations.all()) == [world["moratorium"]]
    indicators = list(measure.indicators.order_by("position"))
    assert [(i.name, i.target, i.position) for i in indicators] == [
        ("judges trained", "50", 0),  # found whatever the case; the file's spelling wins
        ("Prosecutors trained", "20", 1),
    ]


@pytest.mark.django_db
def test_unusable_rows_are_row_errors_with_their_line_and_nothing_is_written(world, tmp_path):
    plan = world["plan"]
    path = _workbook(
        tmp_path / "plan.xlsx",
        [
            ["1", "Fine", "", "moj-by", "", "", "", "", "", "", "A/HRC/15/16 98.16"],
            ["2", "Unknown recommendation", "", "", "", "", "", "", "", "", "A/HRC/15/16 99.99"],
            ["3", "Bad date", "", "", "", "", "2026-13-45", "", "", "", ""],
            ["4", "Unknown agency", "", "Ministry of Magic", "", "", "", "", "", "", ""],
            ["5", "Formula", "", "", "", "", "", "=1+1", "", "", ""],
            ["1", "Twice", "", "", "", "", "", "", "", "", ""],
            ["6", "Error value", "", "", "", "", "", "#REF!", "", "", ""],
        ],
        [["9", "Orphan indicator", "", "", ""]],
    )
    measures, entries = Measure.objects.count(), AuditEntry.objects.count()

    result = plan_import(actor=None, path=path, plan=plan)

    batch = result.batch
    assert batch.status == ImportBatch.Status.FAILED
    assert "nothing was written" in batch.message
    by_line = {
        (error["line"], error["reason"].split(":")[0]): error["reason"] for error in batch.errors
    }
    assert "unknown recommendation “A/HRC/15/16 99.99”" in by_line[(3, "Measures")]
    assert "Due date: Enter a date as YYYY-MM-DD." in by_line[(4, "Measures")]
    assert "unknown agency “Ministry of Magic”" in by_line[(5, "Measures")]
    assert "Measures!H6 holds a formula or an error (=1+1)" in by_line[(6, "Measures")]
    assert "measure 1 is on line 2 already" in by_line[(7, "Measures")]
    assert "Measures!H8 holds a formula or an error (#REF!)" in by_line[(8, "Measures")]
    assert "there is no measure 9" in by_line[(2, "Indicators")]
    assert batch.rejected == 7
    assert result.outcome["agencies"] == [{"name": "Ministry of Magic", "code": ""}]
    assert Measure.objects.count() == measures
    assert AuditEntry.objects.count() == entries + 1
    assert not Agency.objects.filter(name_en="Ministry of Magic").exists()


@pytest.mark.django_db
def test_unknown_agencies_are_created_only_when_confirmed(world, tmp_path):
    plan = world["plan"]
    path = _workbook(
        tmp_path / "plan.xlsx", [["1", "Measure", "", "Ministry of Magic; moj-by"] + [""] * 7]
    )

    preview = plan_import(actor=None, path=path, plan=plan, dry_run=True, create_agencies=True)
    assert preview.outcome["agencies"] == [
        {"name": "Ministry of Magic", "code": "ministry-of-magic"}
    ]
    assert not Agency.objects.filter(code="ministry-of-magic").exists()

    plan_import(actor=None, path=path, plan=plan, create_agencies=True)
    agency = Agency.objects.get(code="ministry-of-magic")
    assert (agency.name_en, agency.state) == ("Ministry of Magic", plan.state)
    measure = Measure.objects.get(plan=plan, number="1")
    assert set(measure.responsible_agencies.all()) == {agency, world["moj"]}


@pytest.mark.django_db
def test_only_coordinators_and_administrators_import_and_only_administrators_add_agencies(
    world, tmp_path, users
):
    path = _workbook(tmp_path / "plan.xlsx", [["1", "Measure"] + [""] * 9])
    for role in ("focal_point", "viewer", "civil_society"):
        with pytest.raises(PermissionDenied):
            plan_import(actor=users[role], path=path, plan=world["plan"])
    with pytest.raises(PermissionDenied):
        plan_import(actor=users["coordinator"], path=path, plan=world["plan"], create_agencies=True)
    assert not ImportBatch.objects.exists()
    batch = plan_import(actor=users["coordinator"], path=path, plan=world["plan"]).batch
    assert (batch.status, batch.user, batch.format) == (
        "succeeded",
        users["coordinator"],
        PLAN_FORMAT,
    )
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).latest("pk")
    assert entry.actor == users["coordinator"]


@pytest.mark.django_db
def test_it_reads_a_word_table_with_the_same_columns(world, tmp_path):
    document = docx.Document()
    document.add_paragraph("Action plan")
    table = document.add_table(rows=2, cols=4)
    # A title row above the header, as Word tables of plans often have.
    table.rows[0].cells[0].merge(table.rows[0].cells[3]).text = "Measures of the plan"
    for cell, text in zip(
        table.rows[1].cells,
        ["Номер мероприятия", "Название", "Срок выполнения", "Охватываемые рекомендации"],
        strict=True,
    ):
        cell.text = text
    cells = table.add_row().cells
    for cell, text in zip(
        cells, ["1.1", "Review legal aid law", "31.12.2026", "A/HRC/15/16 98.16"], strict=True
    ):
        cell.text = text
    path = tmp_path / "plan.docx"
    document.save(path)

    batch = plan_import(actor=None, path=path, plan=world["plan"]).batch

    measure = Measure.objects.get(plan=world["plan"], number="1.1")
    assert batch.created == 1
    assert measure.due_date == datetime.date(2026, 12, 31)
    assert list(measure.recommendations.all()) == [world["death_penalty"]]


@pytest.mark.django_db
def test_a_file_that_is_not_a_plan_table_or_a_zip_bomb_is_refused(world, tmp_path):
    other = _workbook(tmp_path / "other.xlsx", [["x"]], measure_header=["Something", "Else"])
    with pytest.raises(ImportFileError) as refused:
        plan_import(actor=None, path=other, plan=world["plan"])
    assert "Measure number" in refused.value.reason
    assert refused.value.batch.status == ImportBatch.Status.FAILED

    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ImportFileError) as refused:
        plan_import(actor=None, path=bomb, plan=world["plan"])
    assert "zip bomb" in refused.value.reason and "IMPORT_ZIP_MAX" in refused.value.reason


@pytest.mark.django_db
def test_the_command_imports_previews_and_exits_1_on_row_errors_2_on_unreadable_files(
    world, tmp_path, capsys
):
    plan = world["plan"]
    good = _workbook(tmp_path / "good.xlsx", [["1", "Measure", "", "moj-by"] + [""] * 7])
    bad = _workbook(tmp_path / "bad.xlsx", [["1", "Measure", "", "Ministry of Magic"] + [""] * 7])
    unreadable = tmp_path / "broken.xlsx"
    unreadable.write_bytes(b"not a workbook")

    call_command("import-plan", str(good), "--plan", plan.slug, "--dry-run", "--json")
    preview = json.loads(capsys.readouterr().out)
    assert (preview["status"], preview["dry_run"], preview["created"]) == ("succeeded", True, 1)
    assert preview["measures"][0]["action"] == "create"
    assert not Measure.objects.filter(plan=plan).exists()

    call_command("import-plan", str(good), "--plan", str(plan.pk))
    assert "create 1" in capsys.readouterr().out
    assert Measure.objects.filter(plan=plan, number="1").exists()

    with pytest.raises(SystemExit) as exit_code:
        call_command("import-plan", str(bad), "--plan", plan.slug)
    assert exit_code.value.code == 1
    assert "unknown agency “Ministry of Magic”" in capsys.readouterr().err

    with pytest.raises(SystemExit) as exit_code:
        call_command("import-plan", str(unreadable), "--plan", plan.slug)
    assert exit_code.value.code == 2
    assert "not an Excel workbook" in capsys.readouterr().err

    call_command("import-plan", str(bad), "--plan", plan.slug, "--create-agencies")
    assert "new agency: Ministry of Magic" in capsys.readouterr().out

    call_command(
        "import-plan", str(good), "--new-plan-title", "National plan", "--state", "BLR", "--json"
    )
    created = json.loads(capsys.readouterr().out)
    assert created["plan"]["new"] is True
    assert ActionPlan.objects.get(name="National plan").measures.count() == 1


def _upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


@pytest.mark.django_db
def test_the_plan_page_offers_import_template_and_export_to_managers_only(world, client_for):
    plan = world["plan"]
    MeasureFactory(plan=plan, number="7", title="Train judges", agencies=[world["moj"]])
    page = client_for("coordinator").get(plan.get_absolute_url()).text
    for url in (
        "/plans/interagency/import/",
        "/plans/template.xlsx",
        "/plans/interagency/measures.xlsx",
    ):
        assert f'href="{url}"' in page
    assert (
        "/plans/interagency/import/" not in client_for("viewer").get(plan.get_absolute_url()).text
    )

    export = client_for("coordinator").get("/plans/interagency/measures.xlsx")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert [cell.value for cell in book["Measures"][2]][:4] == ["7", "Train judges", None, "moj-by"]
    blank = client_for("administrator").get("/plans/template.xlsx")
    assert blank.status_code == 200 and blank["Content-Disposition"].endswith('template.xlsx"')
    for role in ("viewer", "focal_point", "civil_society"):
        client = client_for(role)
        for url in (
            "/plans/template.xlsx",
            "/plans/interagency/measures.xlsx",
            "/plans/interagency/import/",
        ):
            assert client.get(url).status_code == 403
    assert client_for("anonymous").get("/plans/interagency/import/").status_code == 302


@pytest.mark.django_db
def test_a_coordinator_uploads_sees_the_preview_then_confirms(
    world, client_for, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = world["plan"]
    path = _judges_workbook(tmp_path, "A/HRC/15/16 98.16")
    client = client_for("coordinator")

    response = client.post("/plans/interagency/import/", {"file": _upload(path)})

    assert response.status_code == 302
    preview = client.get(response["Location"]).text
    assert "Preview of the import" in preview
    assert "Train judges" in preview and "A/HRC/15/16 98.16" in preview
    assert not Measure.objects.filter(plan=plan).exists()
    batch = ImportBatch.objects.get(format=PLAN_FORMAT, dry_run=True)

    done = client.post(f"/plans/imports/{batch.pk}/confirm/")

    measure = Measure.objects.get(plan=plan, number="1")
    assert list(measure.recommendations.all()) == [world["death_penalty"]]
    result = client.get(done["Location"]).text
    assert "Measures: 1 new, 0 changed" in result and "Import of measures" in result
    jobs = Job.objects.filter(kind=PLAN_IMPORT_JOB).order_by("pk")
    assert [(job.subject_id, job.status) for job in jobs] == [
        (batch.pk, Job.Status.SUCCEEDED),
        (ImportBatch.objects.get(format=PLAN_FORMAT, dry_run=False).pk, Job.Status.SUCCEEDED),
    ]
    assert jobs[0].started_by == jobs[1].started_by == batch.user
    assert client_for("viewer").post(f"/plans/imports/{batch.pk}/confirm/").status_code == 403


@pytest.mark.django_db
def test_a_preview_with_row_errors_lists_them_and_offers_no_import(
    world, client_for, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = _workbook(tmp_path / "plan.xlsx", [["1", "Bad", "", "", "", "", "someday"] + [""] * 4])
    client = client_for("coordinator")

    response = client.post("/plans/interagency/import/", {"file": _upload(path)})

    page = client.get(response["Location"]).text
    assert "Due date: Enter a date as YYYY-MM-DD." in page
    batch = ImportBatch.objects.get(format=PLAN_FORMAT)
    assert batch.status == "failed"
    assert f"/plans/imports/{batch.pk}/confirm/" not in page
    broken = client.post(
        "/plans/interagency/import/", {"file": SimpleUploadedFile("x.xlsx", b"no")}
    )
    assert broken.status_code == 302  # the file is read by the job; its batch says why
    failed = client.get(broken["Location"]).text
    assert "not an Excel workbook" in failed
    assert Job.objects.filter(kind=PLAN_IMPORT_JOB).latest("pk").status == Job.Status.FAILED


@pytest.mark.django_db
def test_an_administrator_creates_the_new_agencies_only_by_ticking_them(
    world, client_for, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = _workbook(tmp_path / "plan.xlsx", [["1", "Measure", "", "Ministry of Magic"] + [""] * 7])
    client = client_for("administrator")
    preview = client.get(
        client.post("/plans/interagency/import/", {"file": _upload(path)})["Location"]
    )
    assert "Ministry of Magic" in preview.text and 'name="create_agencies"' in preview.text
    batch = ImportBatch.objects.get(dry_run=True)

    client.post(f"/plans/imports/{batch.pk}/confirm/")
    assert not Agency.objects.filter(name_en="Ministry of Magic").exists()
    assert ImportBatch.objects.filter(dry_run=False).get().status == "failed"

    client.post(f"/plans/imports/{batch.pk}/confirm/", {"create_agencies": "1"})
    measure = Measure.objects.get(plan=world["plan"], number="1")
    assert [agency.name_en for agency in measure.responsible_agencies.all()] == [
        "Ministry of Magic"
    ]

    coordinator = client_for("coordinator")
    shown = coordinator.get(f"/plans/imports/{batch.pk}/").text
    assert 'name="create_agencies"' not in shown


@pytest.mark.django_db
def test_the_api_previews_confirms_and_exports(
    world, api_client_for, client_for, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = _judges_workbook(tmp_path, "uhri:abc-123")
    api = api_client_for("coordinator")

    preview = api.post("/api/v1/plans/interagency/import", {"file": _upload(path)})

    assert preview.status_code == 200
    body = preview.json()
    assert (body["batch"]["status"], body["batch"]["dry_run"]) == ("succeeded", True)
    assert body["outcome"]["measures"][0]["linked"] == ["uhri:abc-123"]
    assert not Measure.objects.filter(plan=world["plan"]).exists()

    confirmed = api.post(f"/api/v1/plans/imports/{body['batch']['id']}/confirm", {})
    assert confirmed.json()["batch"]["created"] == 1
    again = api.post(
        "/api/v1/plans/interagency/import", {"file": _upload(path), "dry_run": "false"}
    ).json()
    assert (again["batch"]["unchanged"], again["batch"]["dry_run"]) == (1, False)

    export = api.get("/api/v1/plans/interagency/export")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert book["Measures"]["K2"].value == "uhri:abc-123"
    assert api.get("/api/v1/plans/template").status_code == 200

    new = api.post(
        "/api/v1/plans/import",
        {
            "file": _upload(path),
            "new_plan_title": "Second plan",
            "state": "BLR",
            "dry_run": "false",
        },
    ).json()
    assert new["outcome"]["plan"]["new"] is True
    assert ActionPlan.objects.get(name="Second plan").measures.count() == 1

    unreadable = api.post(
        "/api/v1/plans/interagency/import", {"file": SimpleUploadedFile("x.xlsx", b"no")}
    )
    assert unreadable.status_code == 422
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    too_large = api.post("/api/v1/plans/interagency/import", {"file": _upload(path)})
    assert too_large.status_code == 413
    assert "IMPORT_MAX_UPLOAD_BYTES" in too_large.json()["detail"]
    page = client_for("coordinator").post("/plans/interagency/import/", {"file": _upload(path)})
    assert page.status_code == 413 and "IMPORT_MAX_UPLOAD_BYTES" in page.text
    settings.IMPORT_MAX_UPLOAD_BYTES = 50 * 2**20
    viewer = api_client_for("viewer")
    assert (
        viewer.post("/api/v1/plans/interagency/import", {"file": _upload(path)}).status_code == 403
    )
    assert viewer.get("/api/v1/plans/interagency/export").status_code == 403
    assert api_client_for("anonymous").get("/api/v1/plans/template").status_code in (401, 403)


@pytest.mark.django_db
def test_the_api_answers_202_with_the_job_when_jobs_run_in_a_worker(
    world, api_client_for, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS_BACKEND = "database"  # as deployed; the test's tasks still run at once
    path = _workbook(tmp_path / "plan.xlsx", [["1", "Train judges"] + [""] * 9])

    response = api_client_for("coordinator").post(
        "/api/v1/plans/interagency/import", {"file": _upload(path), "dry_run": "false"}
    )

    assert response.status_code == 202
    job = Job.objects.get(kind=PLAN_IMPORT_JOB)
    assert response.json()["batch"]["job"] == f"/api/v1/jobs/{job.pk}"
    assert response.json()["outcome"] == {}
    assert (job.status, job.done, job.total) == (Job.Status.SUCCEEDED, 1, 1)
    assert Measure.objects.get(plan=world["plan"]).title == "Train judges"


@pytest.mark.django_db
def test_the_batch_page_shows_the_jobs_progress_until_the_import_ends(
    world, client_for, tmp_path, settings
):
    from rightstrack.plans.imports.service import plan_import_upload

    settings.MEDIA_ROOT = tmp_path / "media"
    path = _workbook(tmp_path / "plan.xlsx", [["1", "Train judges"] + [""] * 9])
    coordinator = UserFactory(role=Role.COORDINATOR)
    batch = plan_import_upload(actor=coordinator, upload=_upload(path), plan=world["plan"])
    Job.objects.create(kind=PLAN_IMPORT_JOB, subject_id=batch.pk, status="running", done=3, total=7)
    client = client_for("coordinator")

    page = client.get(f"/plans/imports/{batch.pk}/").text
    polled = client.get(f"/recommendations/import/{batch.pk}/progress/", HTTP_HX_REQUEST="true")

    assert "3 of 7 records read" in page and "every 1s" in page
    assert "Train judges" not in page  # the preview appears once the job has read the file
    assert "3 of 7 records read" in polled.text
    assert f'href="/plans/imports/{batch.pk}/"' in polled.text


@pytest.mark.django_db
def test_a_plan_import_whose_worker_died_fails_its_batch_and_writes_nothing(
    world, tmp_path, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from rightstrack.plans.imports.service import plan_import_upload

    settings.MEDIA_ROOT = tmp_path / "media"
    path = _workbook(tmp_path / "plan.xlsx", [["1", "Train judges"] + [""] * 9])
    coordinator = UserFactory(role=Role.COORDINATOR)
    batch = plan_import_upload(
        actor=coordinator, upload=_upload(path), plan=world["plan"], dry_run=False
    )
    long_ago = timezone.now() - timedelta(minutes=5)
    Job.objects.create(
        kind=PLAN_IMPORT_JOB, subject_id=batch.pk, status="running", heartbeat_at=long_ago
    )

    jobs_fail_abandoned()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "stopped" in batch.message
    assert not Measure.objects.filter(plan=world["plan"]).exists()
