import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rightstrack.audit.models import AuditEntry
from rightstrack.plans.statuses import measure_statuses
from rightstrack.progress import services
from rightstrack.progress.models import ReportStatus

from .factories import ReportFactory

REPORT = {
    "period_start": "2024-01-01",
    "period_end": "2024-03-31",
    "status_assessment": "in-progress",
    "narrative": "Forty judges trained.\n\n<script>alert(1)</script>Next: prosecutors.",
}


@pytest.mark.django_db
def test_it_walks_a_report_from_draft_to_approval_through_a_return(users, measure, indicator):
    focal_point, coordinator = users["focal_point"], users["coordinator"]
    report = services.report_create(
        actor=focal_point,
        measure=measure,
        data={**REPORT, "indicator_values": {indicator.pk: "40"}},
    )
    assert report.status == ReportStatus.DRAFT
    assert report.agency == focal_point.agency
    assert "<script>" not in report.narrative
    assert report.indicator_values.get().value == "40"

    services.report_submit(actor=focal_point, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    with pytest.raises(ValidationError):
        services.report_update(actor=focal_point, report=report, data={"narrative": "late"})

    with pytest.raises(ValidationError) as raised:
        services.report_return(actor=coordinator, report=report, comment="  ")
    assert "review_comment" in raised.value.message_dict
    services.report_return(actor=coordinator, report=report, comment="Add the list of courts.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "Add the list of courts."
    assert measure_statuses([measure.pk]) == {measure.pk: "no-report"}

    services.report_update(
        actor=focal_point,
        report=report,
        data={"narrative": "Forty judges of the Minsk and Brest courts trained."},
    )
    services.report_submit(actor=focal_point, report=report)
    services.report_approve(actor=coordinator, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.reviewed_by == coordinator
    assert measure_statuses([measure.pk]) == {measure.pk: "in-progress"}

    notes = list(
        AuditEntry.objects.filter(object_id=str(report.pk), content_type__model="progressreport")
        .order_by("at", "pk")
        .values_list("note", flat=True)
    )
    assert notes == [
        "",
        "submitted for review",
        "returned for changes",
        "",
        "submitted for review",
        "approved",
    ]


@pytest.mark.django_db
def test_it_refuses_reports_on_other_agencies_measures(users, measure, other_measure):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=users["outsider"], measure=measure, data=REPORT)
    for role in ("civil_society", "viewer"):
        with pytest.raises(PermissionDenied):
            services.report_create(actor=users[role], measure=measure, data=REPORT)


@pytest.mark.django_db
def test_it_refuses_edits_and_submission_by_another_agency(users, measure):
    report = ReportFactory(measure=measure, agency=measure.responsible_agencies.get())
    with pytest.raises(PermissionDenied):
        services.report_update(actor=users["outsider"], report=report, data={"narrative": "x"})
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=users["outsider"], report=report)
    with pytest.raises(PermissionDenied):
        services.report_update(actor=users["coordinator"], report=report, data={"narrative": "x"})
    services.report_update(actor=users["focal_point"], report=report, data={"narrative": "ok"})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["focal_point", "outsider", "civil_society", "viewer"])
def test_it_lets_only_managers_review(users, measure, role):
    report = ReportFactory(measure=measure, status=ReportStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=users[role], report=report)
    with pytest.raises(PermissionDenied):
        services.report_return(actor=users[role], report=report, comment="no")


@pytest.mark.django_db
def test_it_reviews_only_submitted_reports(users, measure):
    draft = ReportFactory(measure=measure)
    with pytest.raises(ValidationError):
        services.report_approve(actor=users["coordinator"], report=draft)


@pytest.mark.django_db
def test_it_validates_the_report(users, measure, other_measure):
    from rightstrack.plans.tests.factories import IndicatorFactory

    foreign_indicator = IndicatorFactory(measure=other_measure)
    with pytest.raises(ValidationError) as raised:
        services.report_create(
            actor=users["focal_point"],
            measure=measure,
            data={
                "period_start": "2024-04-01",
                "period_end": "2024-03-01",
                "status_assessment": "done",
                "indicator_values": {foreign_indicator.pk: "3"},
            },
        )
    assert set(raised.value.message_dict) == {"period_end", "status_assessment", "indicator_values"}


def submitted(measure, agency, assessment, period_end):
    return ReportFactory(
        measure=measure,
        agency=agency,
        status=ReportStatus.SUBMITTED,
        status_assessment=assessment,
        period_start=period_end.replace(day=1),
        period_end=period_end,
    )


@pytest.mark.django_db
def test_it_keeps_the_status_of_the_latest_period_when_an_older_report_is_approved(
    users, measure, agency
):
    import datetime

    coordinator = users["coordinator"]
    services.report_approve(
        actor=coordinator,
        report=submitted(measure, agency, "implemented", datetime.date(2024, 6, 30)),
    )
    services.report_approve(
        actor=coordinator,
        report=submitted(measure, agency, "not-started", datetime.date(2024, 3, 31)),
    )
    measure.refresh_from_db()
    assert measure.status == "implemented"
    history = AuditEntry.objects.filter(
        object_id=str(measure.pk), content_type__model="measure"
    ).values_list("changes", flat=True)
    assert [changes["status"]["new"] for changes in history] == ["implemented"]


@pytest.mark.django_db
def test_an_edit_opened_before_an_approval_keeps_the_new_status(users, measure, agency):
    import datetime

    from rightstrack.plans import services as plan_services
    from rightstrack.plans.models import Measure

    opened = Measure.objects.get(pk=measure.pk)
    services.report_approve(
        actor=users["coordinator"],
        report=submitted(measure, agency, "in-progress", datetime.date(2024, 3, 31)),
    )
    plan_services.measure_update(
        actor=users["coordinator"], measure=opened, data={"title": "Renamed"}, version=1
    )
    measure.refresh_from_db()
    assert (measure.title, measure.status) == ("Renamed", "in-progress")
