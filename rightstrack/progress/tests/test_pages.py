import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rightstrack.core.tests.htmx import results_fragment
from rightstrack.progress import services
from rightstrack.progress.models import IndependentAssessment, ProgressReport, ReportStatus

from .factories import AssessmentFactory, ReportFactory
from .test_evidence import PDF

REPORT_FORM = {
    "period_start": "2024-01-01",
    "period_end": "2024-03-31",
    "status_assessment": "in-progress",
    "narrative": "Forty judges trained.",
}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_it_runs_the_report_workflow_through_the_pages(client_for, measure, indicator):
    focal, coordinator = client_for("focal_point"), client_for("coordinator")
    response = focal.post(
        reverse("progress:report-create", kwargs={"measure_pk": measure.pk}),
        {**REPORT_FORM, f"indicator_{indicator.pk}": "40"},
    )
    report = ProgressReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    focal.post(reverse("progress:report-submit", kwargs={"pk": report.pk}))
    review = coordinator.get(reverse("progress:review"))
    assert report.get_absolute_url() in review.text
    url = reverse("progress:report-review", kwargs={"pk": report.pk})
    refused = coordinator.post(url, {"decision": "return", "comment": ""})
    assert refused.status_code == 422
    assert "Say what should change" in refused.text
    coordinator.post(url, {"decision": "return", "comment": "Name the courts."})
    page = focal.get(report.get_absolute_url()).text
    assert "Name the courts." in page and "Submit again for review" in page
    edit = focal.get(reverse("progress:report-edit", kwargs={"pk": report.pk})).text
    assert "Forty judges trained." in edit and "<p>" not in edit.split("id_narrative")[1][:200]
    focal.post(
        reverse("progress:report-edit", kwargs={"pk": report.pk}),
        {
            **REPORT_FORM,
            "narrative": "Judges of Minsk and Brest trained.",
            f"indicator_{indicator.pk}": "41",
        },
    )
    focal.post(reverse("progress:report-submit", kwargs={"pk": report.pk}))
    coordinator.post(url, {"decision": "approve", "comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.indicator_values.get().value == "41"
    public = client_for("anonymous").get(report.get_absolute_url()).text
    assert "Judges of Minsk and Brest trained." in public
    assert "Name the courts." not in public


@pytest.mark.django_db
def test_it_keeps_drafts_and_returned_reports_from_the_public(client_for, measure, agency):
    for status in (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED):
        report = ReportFactory(measure=measure, status=status, agency=agency)
        assert client_for("anonymous").get(report.get_absolute_url()).status_code == 404
        assert client_for("civil_society").get(report.get_absolute_url()).status_code == 404
        assert client_for("focal_point").get(report.get_absolute_url()).status_code == 200
        assert client_for("viewer").get(report.get_absolute_url()).status_code == 200
    draft_of_own_agency = ProgressReport.objects.get(status=ReportStatus.DRAFT)
    assert client_for("outsider").get(draft_of_own_agency.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_it_lists_reports_with_filters_pages_and_few_queries(
    client_for, measure, other_measure, django_assert_max_num_queries
):
    for _ in range(30):
        ReportFactory(measure=measure, status=ReportStatus.APPROVED)
    ReportFactory(
        measure=other_measure, status=ReportStatus.APPROVED, status_assessment="implemented"
    )
    ReportFactory(measure=other_measure, status=ReportStatus.DRAFT)
    anonymous = client_for("anonymous")
    with django_assert_max_num_queries(4):
        response = anonymous.get(reverse("progress:list"), {"page": 2})
    assert "31 progress reports" in response.text
    filtered = results_fragment(anonymous, reverse("progress:list"), {"assessment": "implemented"})
    assert "1 progress report" in filtered


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["anonymous", "focal_point", "outsider", "civil_society", "viewer"]
)
def test_it_keeps_the_review_queue_for_managers(client_for, role):
    response = client_for(role).get(reverse("progress:review"))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_it_uploads_evidence_and_serves_it_only_to_those_allowed(
    client_for, measure, agency, users, media_root
):
    report = ReportFactory(measure=measure, agency=agency, author=users["focal_point"])
    focal = client_for("focal_point")
    response = focal.post(
        reverse("progress:evidence-add", kwargs={"pk": report.pk}),
        {"title": "Minutes", "file": SimpleUploadedFile("minutes.pdf", PDF)},
    )
    assert response.status_code == 302
    evidence = report.evidence.get()
    url = reverse("progress:evidence-download", kwargs={"pk": evidence.pk})
    download = focal.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    for role in ("anonymous", "outsider", "civil_society"):
        assert client_for(role).get(url).status_code == 404
    assert client_for("coordinator").get(url).status_code == 200

    bad = focal.post(
        reverse("progress:evidence-add", kwargs={"pk": report.pk}),
        {"file": SimpleUploadedFile("tool.exe", b"MZ")},
    )
    assert bad.status_code == 422 and "cannot be uploaded" in bad.text
    outsider = client_for("outsider").post(
        reverse("progress:evidence-add", kwargs={"pk": report.pk}), {"url": "https://x.org"}
    )
    assert outsider.status_code == 404

    services.report_submit(actor=users["focal_point"], report=report)
    services.report_approve(actor=users["coordinator"], report=report)
    assert client_for("anonymous").get(url).status_code == 200


@pytest.mark.django_db
def test_it_takes_independent_assessments_and_publishes_them_after_moderation(client_for, measure):
    civil = client_for("civil_society")
    response = civil.post(
        reverse("progress:assess-measure", kwargs={"pk": measure.pk}),
        {
            "organisation": "Helsinki Committee",
            "status_assessment": "not-implemented",
            "narrative": "No judge was trained in Gomel.",
        },
    )
    assert response.status_code == 302
    assessment = IndependentAssessment.objects.get()
    assert (
        "No judge was trained" not in client_for("anonymous").get(measure.get_absolute_url()).text
    )
    assert "No judge was trained" in civil.get(measure.get_absolute_url()).text
    coordinator = client_for("coordinator")
    assert "Helsinki Committee" in coordinator.get(reverse("progress:moderation")).text
    coordinator.post(
        reverse("progress:moderate", kwargs={"pk": assessment.pk}), {"decision": "publish"}
    )
    public = client_for("anonymous").get(measure.get_absolute_url()).text
    assert "No judge was trained in Gomel." in public and "Independent" in public
    for role in ("focal_point", "viewer", "coordinator"):
        response = client_for(role).get(
            reverse("progress:assess-measure", kwargs={"pk": measure.pk})
        )
        assert response.status_code == 403


@pytest.mark.django_db
def test_it_assesses_a_recommendation(client_for):
    from rightstrack.plans.tests.factories import RecommendationFactory

    recommendation = RecommendationFactory()
    response = client_for("civil_society").post(
        reverse("progress:assess-recommendation", kwargs={"pk": recommendation.pk}),
        {"organisation": "Bar", "status_assessment": "in-progress", "narrative": "Some steps."},
    )
    assert response.status_code == 302
    assert IndependentAssessment.objects.get().recommendation == recommendation


@pytest.mark.django_db
def test_it_needs_a_reason_to_decline_an_assessment(client_for, measure):
    assessment = AssessmentFactory(measure=measure, moderation="pending")
    coordinator = client_for("coordinator")
    coordinator.post(
        reverse("progress:moderate", kwargs={"pk": assessment.pk}), {"decision": "reject"}
    )
    assessment.refresh_from_db()
    assert assessment.moderation == "pending"
    coordinator.post(
        reverse("progress:moderate", kwargs={"pk": assessment.pk}),
        {"decision": "reject", "comment": "Names a victim."},
    )
    assessment.refresh_from_db()
    assert assessment.moderation == "rejected"
    assert (
        client_for("focal_point")
        .post(reverse("progress:moderate", kwargs={"pk": assessment.pk}), {"decision": "publish"})
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_it_shows_a_report_in_a_bounded_number_of_queries(
    client_for, measure, agency, indicator, django_assert_max_num_queries
):
    report = ReportFactory(measure=measure, agency=agency, status=ReportStatus.SUBMITTED)
    report.indicator_values.create(indicator=indicator, value="3")
    for number in range(10):
        report.evidence.create(title=f"Link {number}", url=f"https://example.org/{number}")
    coordinator = client_for("coordinator")
    with django_assert_max_num_queries(12):
        response = coordinator.get(report.get_absolute_url())
    assert response.status_code == 200
    assert "Record the decision" in response.text and "Link 9" in response.text


@pytest.mark.django_db
def test_it_filters_the_moderation_queue(client_for, measure):
    AssessmentFactory(measure=measure, moderation="pending", organisation="Critical NGO")
    AssessmentFactory(
        measure=measure,
        moderation="pending",
        organisation="Happy NGO",
        status_assessment="implemented",
    )
    text = (
        client_for("coordinator")
        .get(reverse("progress:moderation"), {"assessment": "implemented", "sort": "created"})
        .text
    )
    assert "Happy NGO" in text and "Critical NGO" not in text
