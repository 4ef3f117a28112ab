"""Large exports of the list are made by a job: a page with progress and the file, for the
reader who asked only; small ones and anonymous visitors' stream at once."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rightstrack.jobs.files import job_files_remove_expired
from rightstrack.jobs.models import Job
from rightstrack.notifications.models import Notification
from rightstrack.recommendations.export_jobs import EXPORT_JOB

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendations():
    published = [RecommendationFactory(text=f"Published {n}") for n in range(3)]
    hidden = RecommendationFactory(text="Unpublished draft", is_published=False)
    return published, hidden


def export_url(fmt="csv"):
    return reverse("recommendations:export", kwargs={"fmt": fmt})


def test_it_makes_a_large_export_by_a_job_for_the_reader_who_asked_only(
    client_for, recommendations, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 2
    coordinator = client_for("coordinator")

    response = coordinator.get(export_url(), {"q": ""})

    job = Job.objects.get(kind=EXPORT_JOB)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:file", args=[job.pk])
    assert (job.status, job.done, job.total) == (Job.Status.SUCCEEDED, 4, 4)
    assert job.started_by.username == "coordinator"
    page = coordinator.get(response["Location"]).content.decode()
    assert "Your file is ready." in page and "only you can download it" in page
    download = coordinator.get(reverse("jobs:file-download", args=[job.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="recommendations-')
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    # The coordinator's scope: the unpublished draft too.
    assert sorted(row["text"] for row in rows) == [
        "Published 0",
        "Published 1",
        "Published 2",
        "Unpublished draft",
    ]

    (told,) = Notification.objects.all()
    assert (told.user.username, told.url) == ("coordinator", response["Location"])
    assert told.message == f"{job.file_name} is ready to download."

    for role in ("administrator", "viewer", "focal_point"):
        other = client_for(role)
        assert other.get(reverse("jobs:file", args=[job.pk])).status_code == 404
        assert other.get(reverse("jobs:file-download", args=[job.pk])).status_code == 404
    anonymous = client_for("anonymous").get(reverse("jobs:file-download", args=[job.pk]))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_it_streams_a_small_export_and_every_anonymous_one_at_once(
    client_for, recommendations, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 4

    small = client_for("coordinator").get(export_url())  # 4 rows: not more than the threshold
    anonymous_large = client_for("anonymous").get(export_url())
    settings.EXPORT_BACKGROUND_ROWS = 2
    anonymous = client_for("anonymous").get(export_url())

    assert small.status_code == anonymous_large.status_code == anonymous.status_code == 200
    assert b"Published 0" in b"".join(anonymous.streaming_content)
    assert not Job.objects.filter(kind=EXPORT_JOB).exists()


def test_it_removes_the_files_kept_past_their_retention(client_for, recommendations, settings):
    settings.EXPORT_BACKGROUND_ROWS = 0
    client = client_for("coordinator")
    job_page = client.get(export_url("json"))["Location"]
    job = Job.objects.get(kind=EXPORT_JOB)
    kept = settings.JOBS_FILES_DIR / job.file
    assert kept.is_file()

    assert job_files_remove_expired(now=timezone.now()) == 0
    later = timezone.now() + timedelta(hours=settings.JOBS_FILES_RETENTION_HOURS, minutes=1)
    assert job_files_remove_expired(now=later) == 1

    assert not kept.exists()
    assert "This file was removed" in client.get(job_page).content.decode()
    assert client.get(reverse("jobs:file-download", args=[job.pk])).status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}/file").status_code == 410


def test_the_cleanup_is_a_periodic_job():
    from rightstrack.jobs.files import CLEANUP_JOB
    from rightstrack.jobs.registry import PERIODIC
    from rightstrack.jobs.services import jobs_start_periodic

    assert PERIODIC[CLEANUP_JOB].every == timedelta(hours=1)
    started = jobs_start_periodic()
    assert CLEANUP_JOB in {job.kind for job in started}
    assert Job.objects.get(kind=CLEANUP_JOB).status == Job.Status.SUCCEEDED


def test_it_gives_the_same_job_when_the_same_export_is_asked_for_while_it_is_being_made(
    client_for, recommendations, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 2
    coordinator = client_for("coordinator")
    first = coordinator.get(export_url(), {"q": ""})
    Job.objects.filter(kind=EXPORT_JOB).update(status=Job.Status.RUNNING)

    again = coordinator.get(export_url(), {"q": ""})
    other_format = coordinator.get(export_url("json"), {"q": ""})
    other_reader = client_for("administrator").get(export_url(), {"q": ""})

    assert again["Location"] == first["Location"]
    assert other_format["Location"] != first["Location"]
    assert other_reader["Location"] != first["Location"]
    assert Job.objects.filter(kind=EXPORT_JOB).count() == 3
