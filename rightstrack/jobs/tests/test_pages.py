"""The jobs page and API: coordinators and administrators list, cancel and retry jobs."""

import pytest
from django.urls import reverse

from rightstrack.jobs import registry
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import JobKind

pytestmark = pytest.mark.django_db

MANAGERS = ("administrator", "coordinator")
# The other signed-in roles of the client_for fixture (jobs sits below accounts).
NOT_MANAGERS = ("focal_point", "civil_society", "viewer", "outsider")


@pytest.fixture
def ran(monkeypatch):
    ran = []
    monkeypatch.setitem(
        registry.KINDS,
        "test.work",
        JobKind(key="test.work", run=lambda job, run: ran.append(job.subject_id)),
    )
    return ran


@pytest.mark.parametrize("role", MANAGERS)
def test_it_lists_the_jobs_with_their_progress_to_managers(client_for, role, users):
    Job.objects.create(
        kind="test.work",
        label="Import of big.json",
        status="running",
        done=40,
        total=100,
        started_by=users["coordinator"],
    )
    Job.objects.create(kind="test.work", label="Import of bad.csv", status="failed", error="Bad.")

    response = client_for(role).get(reverse("jobs:list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Import of big.json" in page and "40 / 100" in page and "coordinator" in page
    assert "Import of bad.csv" in page and "Bad." in page
    failed_only = client_for(role).get(reverse("jobs:list"), {"status": "failed"})
    assert "Import of big.json" not in failed_only.content.decode()


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_it_refuses_the_jobs_to_everybody_else(client_for, api_client_for, role):
    job = Job.objects.create(kind="test.work", status="failed")

    assert client_for(role).get(reverse("jobs:list")).status_code == 403
    assert client_for(role).post(reverse("jobs:retry", args=[job.pk])).status_code == 403
    assert api_client_for(role).get("/api/v1/jobs/").status_code == 403
    assert Job.objects.count() == 1


def test_it_runs_a_failed_job_again_and_cancels_a_waiting_one(client_for, ran, users):
    client = client_for("coordinator")
    failed = Job.objects.create(kind="test.work", subject_id=5, label="Work", status="failed")
    waiting = Job.objects.create(kind="test.work", status="pending")

    client.post(reverse("jobs:retry", args=[failed.pk]))
    client.post(reverse("jobs:cancel", args=[waiting.pk]))

    again = Job.objects.exclude(pk__in=[failed.pk, waiting.pk]).get()
    assert (again.subject_id, again.label, again.status) == (5, "Work", Job.Status.SUCCEEDED)
    assert again.started_by == users["coordinator"]
    assert ran == [5]
    waiting.refresh_from_db()
    assert waiting.status == Job.Status.CANCELLED


def test_it_asks_a_running_job_to_stop_and_refuses_to_cancel_or_retry_a_finished_one(
    client_for, ran
):
    client = client_for("coordinator")
    running = Job.objects.create(kind="test.work", status="running")
    succeeded = Job.objects.create(kind="test.work", status="succeeded")

    asked = client.post(reverse("jobs:cancel", args=[running.pk]), follow=True)
    refused = client.post(reverse("jobs:cancel", args=[succeeded.pk]), follow=True)
    client.post(reverse("jobs:retry", args=[succeeded.pk]))

    assert "It stops at its next step" in asked.content.decode()
    running.refresh_from_db()
    # It goes on running until its work sees the request (JobRun.report).
    assert (running.status, running.cancel_requested) == (Job.Status.RUNNING, True)
    assert "Stopping" in asked.content.decode()
    assert "Only a waiting or running job can be cancelled." in refused.content.decode()
    assert Job.objects.count() == 2
    assert ran == []


def test_it_lists_and_retries_jobs_through_the_api(api_client_for, ran, users):
    client = api_client_for("coordinator")
    failed = Job.objects.create(
        kind="test.work", subject_id=9, status="failed", error="Gone.", started_by=users["viewer"]
    )

    listed = client.get("/api/v1/jobs/", {"status": "failed"}).json()
    retried = client.post(f"/api/v1/jobs/{failed.pk}/retry")
    refused = client.post(f"/api/v1/jobs/{failed.pk}/cancel")

    assert listed["count"] == 1
    (item,) = listed["items"]
    assert (item["id"], item["error"], item["started_by"]) == (failed.pk, "Gone.", "viewer")
    assert retried.status_code == 200
    assert retried.json()["status"] == "succeeded"
    assert retried.json()["started_by"] == "coordinator"
    assert refused.status_code == 422
    assert client.get(f"/api/v1/jobs/{failed.pk}").json()["status"] == "failed"
