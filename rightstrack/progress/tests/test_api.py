import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rightstrack.progress.models import ReportStatus

from .factories import ReportFactory
from .test_evidence import PDF


def send(client, url, data=None, method="post"):
    return getattr(client, method)(
        url, data=json.dumps(data or {}), content_type="application/json"
    )


@pytest.mark.django_db
def test_it_runs_the_workflow_through_the_api(
    api_client_for, measure, indicator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    focal, coordinator = api_client_for("focal_point"), api_client_for("coordinator")
    created = send(
        focal,
        "/api/v1/progress-reports/",
        {
            "measure": measure.pk,
            "period_start": "2024-01-01",
            "period_end": "2024-03-31",
            "status_assessment": "in-progress",
            "narrative": "Forty judges trained.",
            "indicator_values": {str(indicator.pk): "40"},
        },
    )
    assert created.status_code == 201
    report = created.json()
    assert report["status"] == "draft" and report["indicator_values"][0]["value"] == "40"
    url = f"/api/v1/progress-reports/{report['id']}"
    upload = focal.post(
        f"{url}/evidence", {"title": "Minutes", "file": SimpleUploadedFile("m.pdf", PDF)}
    )
    assert upload.status_code == 201 and upload.json()["download_url"]
    bad_upload = focal.post(f"{url}/evidence", {"file": SimpleUploadedFile("m.exe", b"MZ")})
    assert bad_upload.status_code == 422
    assert send(api_client_for("outsider"), f"{url}/submit").status_code == 404
    assert send(focal, f"{url}/submit").json()["status"] == "submitted"
    assert send(focal, f"{url}/approve").status_code == 403
    returned = send(coordinator, f"{url}/return", {"comment": "Name the courts."})
    assert returned.json()["status"] == "returned"
    assert focal.get(url).json()["review_comment"] == "Name the courts."
    assert send(focal, url, {"narrative": "Minsk and Brest."}, method="patch").status_code == 200
    send(focal, f"{url}/submit")
    approved = send(coordinator, f"{url}/approve", {"comment": ""})
    assert approved.json()["status"] == "approved"
    public = api_client_for("anonymous").get(url).json()
    assert public["narrative"] == "<p>Minsk and Brest.</p>"
    assert public["review_comment"] is None
    measure_status = api_client_for("anonymous").get(f"/api/v1/measures/{measure.pk}").json()
    assert measure_status["status"] == "in-progress"


@pytest.mark.django_db
def test_it_shows_the_public_only_approved_reports_of_published_plans(
    api_client_for, measure, hidden_measure, agency, django_assert_max_num_queries
):
    approved = ReportFactory(measure=measure, status=ReportStatus.APPROVED)
    ReportFactory(measure=measure, status=ReportStatus.RETURNED)
    ReportFactory(measure=measure, status=ReportStatus.DRAFT, agency=agency)
    ReportFactory(measure=hidden_measure, status=ReportStatus.APPROVED)
    client = api_client_for("anonymous")
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/progress-reports/").json()
    assert [item["id"] for item in body["items"]] == [approved.pk]
    focal = api_client_for("focal_point").get("/api/v1/progress-reports/").json()
    assert focal["count"] == 4
    outsider = api_client_for("outsider").get("/api/v1/progress-reports/").json()
    assert [item["id"] for item in outsider["items"]] == [approved.pk]


@pytest.mark.django_db
def test_it_refuses_reports_on_another_agencys_measure(api_client_for, measure):
    response = send(
        api_client_for("outsider"),
        "/api/v1/progress-reports/",
        {
            "measure": measure.pk,
            "period_start": "2024-01-01",
            "period_end": "2024-03-31",
            "status_assessment": "implemented",
        },
    )
    assert response.status_code == 403
    assert send(api_client_for("anonymous"), "/api/v1/progress-reports/", {}).status_code == 401
