import re

import pytest
from django.urls import reverse

from rightstrack.jobs.models import Job
from rightstrack.reports.jobs import REPORT_JOB

from .documents_world import EVIDENCE_URL, build_world
from .reading import read_docx, read_pdf


@pytest.fixture
def world(users):
    return build_world(users)


URL = reverse("reports:list")


def options(html, field_id):
    select = re.search(rf'<select[^>]*id="{field_id}"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert select, field_id
    return re.findall(r'<option value="([^"]*)"', select[1])


def test_it_offers_the_public_a_form_per_report_with_published_choices_only(
    world, client_for, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = client_for("anonymous").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Plan status report",
        "UPR mid-term report (draft)",
        "Follow-up report on one document (draft)",
        "Field presence annual summary",
    ):
        assert f">{heading}</h2>" in html
    assert "Data scope: published data only" in html
    assert options(html, "id_plan-status_plan") == ["national-plan"]
    assert options(html, "id_upr-midterm_state") == ["BLR"]
    assert options(html, "id_upr-midterm_cycle") == ["", "1", "2"]
    assert options(html, "id_follow-up_document") == [
        "A/HRC/15/16",
        "A/HRC/43/5",
        "CCPR/C/BLR/CO/5",
    ]
    assert options(html, "id_presence-summary_presence") == ["belarus-test"]
    assert 'name="year"' in html
    assert "Years with activities: 2023, 2022." in html
    assert "Secret internal plan" not in html
    assert "Hidden presence" not in html


def test_it_downloads_the_document_the_form_asks_for(world, client_for):
    response = client_for("anonymous").get(
        URL, {"report": "plan-status", "plan": "national-plan", "format": "docx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="plan-status-national-plan-'
    )
    assert "no-store" in response["Cache-Control"]
    word = read_docx(response.content)
    assert "Train judges on the prohibition of torture" in word.text
    # Links to evidence files and pages keep working from the document.
    assert EVIDENCE_URL in word.links

    response = client_for("anonymous").get(
        URL, {"report": "upr-midterm", "document": "CCPR/C/BLR/CO/5", "format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert "Consider abolishing the death penalty" in read_pdf(response.content).text


def test_it_shows_errors_beside_the_fields_instead_of_a_file(world, client_for):
    response = client_for("anonymous").get(
        URL, {"report": "upr-midterm", "state": "BLR", "cycle": "1", "group": "x", "format": "pdf"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_upr-midterm_group_error"' in html
    assert "Please correct the errors below." in html

    response = client_for("anonymous").get(
        URL, {"report": "presence-summary", "presence": "belarus-test", "year": "1850"}
    )
    html = response.content.decode()
    assert 'id="id_presence-summary_year_error"' in html
    assert 'id="id_presence-summary_format_error"' in html

    # A cycle the form offers, but with no recommendation made to that State: the service says.
    world.r_old.is_published = False
    world.r_old.save()
    response = client_for("viewer").post(
        URL, {"report": "upr-midterm", "state": "BLR", "cycle": "3", "format": "pdf"}
    )
    assert response.status_code == 400
    assert 'id="id_upr-midterm_cycle_error"' in response.content.decode()


def test_it_never_gives_the_public_an_unpublished_plan_even_by_address(world, client_for):
    response = client_for("anonymous").get(
        URL, {"report": "plan-status", "plan": "secret-plan", "format": "pdf"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_plan-status_plan_error"' in html
    assert "Confidential" not in html


def test_it_lets_a_focal_point_report_on_the_internal_plan_of_their_agency(world, client_for):
    client = client_for("focal_point")
    html = client.get(URL).content.decode()
    assert options(html, "id_plan-status_plan") == ["secret-plan", "national-plan"]
    # The published plan is the one chosen at first.
    assert '<option value="national-plan" selected>' in html
    assert "Secret internal plan (not published)" in html
    assert "Data scope: internal data as seen by focal_point (Focal point)" in html
    response = client.post(URL, {"report": "plan-status", "plan": "secret-plan", "format": "docx"})
    # A signed-in reader's document is made by a job: its page, then the file.
    job = Job.objects.get(kind=REPORT_JOB)
    assert response["Location"] == reverse("jobs:file", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Your file is ready." in page
    assert re.search(r"Download plan-status-secret-plan-[\d-]+\.docx", page)
    download = client.get(reverse("jobs:file-download", args=[job.pk]))
    assert download["Cache-Control"] == "private, no-store"
    word = read_docx(b"".join(download.streaming_content))
    assert "Confidential own measure" in word.text
    assert "Confidential other measure" not in word.text


@pytest.mark.parametrize(
    ("role", "status", "present", "absent"),
    [
        ("anonymous", 200, "Dialogue with civil society", "Internal planning retreat"),
        ("coordinator", 200, "Internal planning retreat", "Earlier workshop of 2022"),
    ],
)
def test_it_serves_documents_over_the_api_in_the_callers_scope(
    world, api_client_for, role, status, present, absent
):
    response = api_client_for(role).get(
        "/api/v1/reports/presence-summary", {"format": "pdf", "year": "2023"}
    )
    assert response.status_code == status
    text = read_pdf(response.content).text
    assert present in text
    assert absent not in text


def test_it_refuses_bad_api_requests(world, api_client_for):
    client = api_client_for("anonymous")
    response = client.get("/api/v1/reports/plan-status", {"plan": "secret-plan"})
    assert response.status_code == 422
    assert "plan" in response.json()["errors"]
    response = client.get("/api/v1/reports/plan-status", {"format": "odt"})
    assert response.status_code == 422
    assert "format" in response.json()["errors"]
    assert client.get("/api/v1/reports/annual-accounts").status_code == 404


def test_the_api_answers_a_signed_in_caller_with_the_job_and_its_file_for_them_only(
    world, api_client_for, settings
):
    settings.TASKS_BACKEND = "database"  # as deployed; the test's tasks still run at once
    client = api_client_for("coordinator")

    response = client.get("/api/v1/reports/presence-summary", {"format": "pdf", "year": "2023"})

    assert response.status_code == 202
    job = Job.objects.get(kind=REPORT_JOB)
    body = response.json()
    assert body["page"] == reverse("jobs:file", args=[job.pk])
    assert body["download"] == f"/api/v1/jobs/{job.pk}/file"
    download = client.get(body["download"])
    assert download.status_code == 200
    text = read_pdf(b"".join(download.streaming_content)).text
    assert "Internal planning retreat" in text  # the coordinator's scope
    assert api_client_for("viewer").get(body["download"]).status_code == 404
    assert api_client_for("anonymous").get(body["download"]).status_code == 401
    # Anonymous callers still get the file at once.
    public = api_client_for("anonymous").get(
        "/api/v1/reports/presence-summary", {"format": "pdf", "year": "2023"}
    )
    assert public.status_code == 200


def test_a_document_job_shows_its_progress_until_it_is_ready(world, client_for, users):
    job = Job.objects.create(
        kind=REPORT_JOB, started_by=users["focal_point"], status="running", done=0, total=1
    )
    client = client_for("focal_point")

    page = client.get(reverse("jobs:file", args=[job.pk])).content.decode()
    polled = client.get(reverse("jobs:file-status", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert "every 1s" in page and "0 of 1 done" in page
    assert "every 1s" in polled.content.decode()
    assert client.get(reverse("jobs:file-download", args=[job.pk])).status_code == 404
    assert client_for("coordinator").get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_it_only_fills_in_a_signed_in_readers_form_from_a_link(world, client_for):
    client = client_for("focal_point")
    asked = {"report": "plan-status", "plan": "secret-plan", "format": "docx"}
    response = client.get(URL, asked)
    # Starting work is not something a link (or a page prefetching it) may do.
    assert response.status_code == 200
    assert not Job.objects.filter(kind=REPORT_JOB).exists()
    html = response.content.decode()
    assert '<form method="post"' in html and "csrfmiddlewaretoken" in html
    assert '<option value="secret-plan" selected>' in html
    plan_form = html.split('id="plan-status-heading"')[1].split("</form>")[0]
    assert re.search(r'<input type="radio" name="format" value="docx"[^>]* checked>', plan_form)
    assert "The choices of the page you came from are filled in." in html


def test_it_refuses_a_posted_form_from_the_public(world, client_for):
    response = client_for("anonymous").post(
        URL, {"report": "plan-status", "plan": "national-plan", "format": "pdf"}
    )
    assert response.status_code == 403
    assert not Job.objects.exists()
