"""The upload page, the batch pages and the import API: permissions and behaviour."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rightstrack.accounts.tests.fixtures import SIGNED_IN_ROLES
from rightstrack.jobs.models import Job
from rightstrack.jobs.services import jobs_fail_abandoned
from rightstrack.recommendations.imports.jobs import start_import
from rightstrack.recommendations.imports.selectors import IMPORT_JOB
from rightstrack.recommendations.imports.service import stored_upload_path
from rightstrack.recommendations.models import ImportBatch, Recommendation
from rightstrack.recommendations.services import import_file, import_upload

from .import_helpers import UPR_INFO_ROWS, write_upr_info

pytestmark = pytest.mark.django_db

MANAGERS = ("administrator", "coordinator")
NOT_MANAGERS = tuple(role for role in SIGNED_IN_ROLES if role not in MANAGERS)
BAD_ROW = "Atlantis,,,Sink less,France,,,Accepted,4,Justice,8"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def import_jobs():
    return list(Job.objects.filter(kind=IMPORT_JOB).order_by("pk"))


def upr_info_upload(tmp_path, rows=UPR_INFO_ROWS):
    content = write_upr_info(tmp_path / "upload.csv", rows).read_bytes()
    return SimpleUploadedFile("upr info export.csv", content, content_type="text/csv")


def page_urls(batch):
    return [
        reverse("recommendations:import"),
        reverse("recommendations:import-batches"),
        reverse("recommendations:import-batch", args=[batch.pk]),
        reverse("recommendations:import-progress", args=[batch.pk]),
    ]


def test_it_sends_anonymous_visitors_to_sign_in(client_for):
    batch = ImportBatch.objects.create(format="upr-info", file_name="a.csv", checksum="")
    for url in page_urls(batch):
        response = client_for("anonymous").get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_it_refuses_the_import_pages_to_non_managers(client_for, role, tmp_path):
    batch = ImportBatch.objects.create(format="upr-info", file_name="a.csv", checksum="")
    client = client_for(role)
    for url in page_urls(batch):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("recommendations:import"),
        {"format": "upr-info", "file": upr_info_upload(tmp_path)},
    )
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize("role", MANAGERS)
def test_it_shows_the_upload_form_to_managers(client_for, role):
    response = client_for(role).get(reverse("recommendations:import"))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<label for="id_file">' in content
    assert 'value="uhri-json"' in content
    assert 'enctype="multipart/form-data"' in content


def test_it_imports_an_upload_and_shows_the_batch(client_for, terms, tmp_path):
    client = client_for("coordinator")

    response = client.post(
        reverse("recommendations:import"),
        {"format": "upr-info", "file": upr_info_upload(tmp_path), "state": "Belarus"},
    )

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recommendations:import-batch", args=[batch.pk])
    (job,) = import_jobs()
    assert (job.subject_id, job.started_by, job.status) == (
        batch.pk,
        batch.user,
        Job.Status.SUCCEEDED,
    )
    assert (job.done, job.total) == (4, 4)
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.file_name == "upr_info_export.csv"
    assert batch.user.username == "coordinator"
    assert (batch.created, batch.rejected) == (3, 0)
    assert Recommendation.objects.count() == 3
    page = client.get(response.url).content.decode()
    assert "Succeeded" in page
    assert "hx-trigger" not in page


def test_it_links_the_result_to_the_imported_recommendations_and_their_suggestions(
    client_for, terms, tmp_path
):
    client = client_for("coordinator")
    client.post(
        reverse("recommendations:import"),
        {"format": "upr-info", "file": upr_info_upload(tmp_path), "state": "Belarus"},
    )
    batch = ImportBatch.objects.get()
    earlier = Recommendation.objects.create(
        source_key="other",
        state=Recommendation.objects.first().state,
        mechanism=Recommendation.objects.first().mechanism,
        text="From elsewhere",
    )
    page = client.get(reverse("recommendations:import-batch", args=[batch.pk])).content.decode()
    listed = f"{reverse('recommendations:list')}?batch={batch.pk}"
    assert listed in page
    assert "See the 3 recommendations this import created or changed" in page
    assert f"{reverse('intelligence:review')}?batch={batch.pk}" in page
    # The list the link opens holds exactly the batch's recommendations.
    result = client.get(listed).content.decode()
    assert "3 recommendations match." in result
    assert earlier.text not in result


def test_it_shows_the_rows_that_could_not_be_read(client_for, terms, tmp_path):
    client = client_for("coordinator")
    upload = upr_info_upload(tmp_path, (*UPR_INFO_ROWS, BAD_ROW))

    response = client.post(
        reverse("recommendations:import"), {"format": "upr-info", "file": upload}
    )

    page = client.get(response.url).content.decode()
    assert "Failed" in page
    assert '<th scope="row">6</th><td>unknown State under review “Atlantis”</td>' in page
    assert not Recommendation.objects.exists()


def test_it_shows_the_warnings_of_an_import_by_line(client_for, api_client_for, terms, tmp_path):
    client = client_for("coordinator")
    rows = (*UPR_INFO_ROWS, "Belarus,EEG,CIS,Ensure fair trials,Slove nia,,,Accepted,4,Justice,8")
    batch = import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "u.csv", rows))

    page = client.get(reverse("recommendations:import-batch", args=[batch.pk])).content.decode()

    assert batch.created == 5
    assert "<h2>Warnings</h2>" in page
    assert '<th scope="row">6</th><td>State name “Slove nia” read as “Slovenia”</td>' in page
    api = api_client_for("coordinator").get(api_url(batch.pk)).json()
    assert api["warnings"] == [{"line": 6, "reason": "State name “Slove nia” read as “Slovenia”"}]


def test_it_shows_a_wrong_format_as_a_failed_batch(client_for, terms, tmp_path):
    client = client_for("coordinator")
    upload = SimpleUploadedFile("x.json", b"{}", content_type="application/json")

    response = client.post(
        reverse("recommendations:import"), {"format": "uhri-json", "file": upload}
    )

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert "not a JSON array" in client.get(response.url).content.decode()


def test_it_asks_for_a_file_and_a_known_format(client_for):
    response = client_for("coordinator").post(reverse("recommendations:import"), {"format": "x"})

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="id_file_error"' in content
    assert 'id="id_format_error"' in content
    assert not ImportBatch.objects.exists()


def test_it_polls_the_progress_of_a_running_import_and_reloads_when_done(client_for):
    batch = ImportBatch.objects.create(
        format="upr-info", file_name="a.csv", checksum="", status=ImportBatch.Status.RUNNING
    )
    # What the worker importing it last wrote on its job, in the jobs database.
    Job.objects.create(
        kind=IMPORT_JOB, subject_id=batch.pk, status=Job.Status.RUNNING, done=40, total=100
    )
    client = client_for("coordinator")
    url = reverse("recommendations:import-progress", args=[batch.pk])
    page = client.get(reverse("recommendations:import-batch", args=[batch.pk])).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page
    assert '<progress id="import-progress-bar" max="100" value="40">' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    partial = client.get(url, headers={"HX-Request": "true"})
    assert 'value="40"' in partial.content.decode()
    assert "HX-Refresh" not in partial.headers

    batch.status = ImportBatch.Status.SUCCEEDED
    batch.save()
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_it_lists_earlier_imports_with_filters(client_for, terms, tmp_path):
    import_file(user=None, format="upr-info", path=write_upr_info(tmp_path / "first.csv"))
    ImportBatch.objects.create(
        format="uhri-json", file_name="second.json", checksum="", status="failed"
    )
    client = client_for("coordinator")
    url = reverse("recommendations:import-batches")

    everything = client.get(url).content.decode()
    failed = client.get(url, {"status": "failed"}).content.decode()
    partial = client.get(url, {"format": "upr-info"}, headers={"HX-Request": "true"})

    assert "first.csv" in everything and "second.json" in everything
    assert "second.json" in failed and "first.csv" not in failed
    assert "<html" not in partial.content.decode()
    assert "first.csv" in partial.content.decode()


def test_it_runs_a_waiting_batch_from_its_stored_upload_as_a_job(terms, tmp_path, users):
    upload = upr_info_upload(tmp_path)
    batch = import_upload(user=users["coordinator"], format="upr-info", upload=upload)
    assert batch.status == ImportBatch.Status.PENDING

    job = start_import(batch, user=users["coordinator"])

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.created == 4
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.error) == (4, 4, "")
    assert job.started_at and job.finished_at and job.heartbeat_at
    assert job.task_id


def test_it_fails_the_job_of_a_batch_that_could_not_be_imported(terms, tmp_path, users):
    upload = SimpleUploadedFile("x.json", b"{}", content_type="application/json")
    batch = import_upload(user=users["coordinator"], format="uhri-json", upload=upload)

    job = start_import(batch, user=users["coordinator"])

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert job.status == Job.Status.FAILED
    assert job.error == batch.message
    assert "not a JSON array" in job.error


def test_it_fails_a_batch_whose_worker_died_so_that_it_can_be_imported_again(
    terms, tmp_path, users
):
    batch = import_upload(
        user=users["coordinator"], format="upr-info", upload=upr_info_upload(tmp_path)
    )
    batch.status = ImportBatch.Status.RUNNING
    batch.save()
    # The worker was killed mid-import: its job's heartbeat stopped over a minute ago.
    Job.objects.create(
        kind=IMPORT_JOB,
        subject_id=batch.pk,
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(seconds=61),
    )

    (job,) = jobs_fail_abandoned()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.message == job.error
    assert "no sign of life" in batch.message
    assert batch.finished_at is not None
    # Safe to retry: the same stored upload imports in full.
    retried = start_import(batch, user=users["coordinator"])
    batch.refresh_from_db()
    assert retried.status == Job.Status.SUCCEEDED
    assert (batch.status, batch.created) == (ImportBatch.Status.SUCCEEDED, 4)


def test_a_worker_killed_after_its_import_committed_leaves_the_import_done(terms, tmp_path, users):
    batch = import_upload(
        user=users["coordinator"], format="upr-info", upload=upr_info_upload(tmp_path)
    )
    # The import committed (the batch records its outcome in the same transaction), then the
    # worker was killed before it could record the end of its job.
    import_file(
        user=users["coordinator"],
        format="upr-info",
        path=stored_upload_path(batch),
        batch=batch,
    )
    job = Job.objects.create(
        kind=IMPORT_JOB,
        subject_id=batch.pk,
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(seconds=61),
    )

    assert jobs_fail_abandoned() == []

    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.SUCCEEDED, "")
    assert "worker stopped right after" in job.result
    assert (batch.status, batch.created) == (ImportBatch.Status.SUCCEEDED, 4)
    assert Recommendation.objects.count() == 4


# API


def api_url(*parts):
    return "/api/v1/recommendations/import/" + "".join(f"{part}" for part in parts)


def test_it_refuses_api_imports_without_credentials(client_for, tmp_path):
    response = client_for("anonymous").post(
        api_url(), {"format": "upr-info", "file": upr_info_upload(tmp_path)}
    )

    assert response.status_code == 401
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_it_refuses_api_imports_to_non_managers(api_client_for, role, tmp_path):
    response = api_client_for(role).post(
        api_url(), {"format": "upr-info", "file": upr_info_upload(tmp_path)}
    )

    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_it_imports_through_the_api_and_answers_with_the_batch(api_client_for, terms, tmp_path):
    client = api_client_for("coordinator")

    response = client.post(api_url(), {"format": "upr-info", "file": upr_info_upload(tmp_path)})

    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "succeeded"
    assert (result["created"], result["updated"], result["unchanged"], result["rejected"]) == (
        4,
        0,
        0,
        0,
    )
    again = client.post(api_url(), {"format": "upr-info", "file": upr_info_upload(tmp_path)})
    assert again.json()["unchanged"] == 4
    detail = client.get(api_url(result["id"]))
    assert detail.status_code == 200
    assert detail.json()["created"] == 4


def test_it_answers_api_imports_with_row_errors_and_bad_files(api_client_for, terms, tmp_path):
    client = api_client_for("administrator")
    upload = upr_info_upload(tmp_path, (*UPR_INFO_ROWS, BAD_ROW))

    rows = client.post(api_url(), {"format": "upr-info", "file": upload, "skip_invalid": "true"})
    bad_file = client.post(
        api_url(), {"format": "uhri-json", "file": SimpleUploadedFile("x.json", b"{}")}
    )
    bad_format = client.post(
        api_url(), {"format": "pdf", "file": SimpleUploadedFile("x.pdf", b"%PDF")}
    )

    assert rows.status_code == 200
    assert rows.json()["errors"] == [{"line": 6, "reason": "unknown State under review “Atlantis”"}]
    assert rows.json()["created"] == 4
    assert bad_file.status_code == 422
    assert "not a JSON array" in bad_file.json()["errors"]["file"][0]
    assert bad_format.status_code == 422
    assert "format" in bad_format.json()["errors"]


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS])
def test_it_shows_batches_through_the_api_only_to_managers(api_client_for, role):
    batch = ImportBatch.objects.create(format="upr-info", file_name="a.csv", checksum="")

    response = api_client_for(role).get(api_url(batch.pk))

    assert response.status_code == 403


def test_it_queues_an_api_import_as_a_job_and_answers_202(
    api_client_for, terms, tmp_path, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    client = api_client_for("coordinator")

    response = client.post(api_url(), {"format": "upr-info", "file": upr_info_upload(tmp_path)})

    assert response.status_code == 202
    queued = response.json()
    assert queued["status"] == "pending" and queued["created"] == 0
    job = Job.objects.get(kind=IMPORT_JOB, subject_id=queued["id"])
    assert queued["job"] == f"/api/v1/jobs/{job.pk}"
    assert client.get(queued["job"]).json()["status"] == "pending"
    assert not Recommendation.objects.exists()

    from rightstrack.jobs.services import job_run

    job_run(job.pk)  # what a worker does

    done = client.get(api_url(queued["id"])).json()
    assert done["status"] == "succeeded" and done["created"] == Recommendation.objects.count() > 0
    assert client.get(queued["job"]).json()["status"] == "succeeded"


def test_it_records_and_shows_the_encoding_the_text_was_read_in(client_for, terms, tmp_path):
    rows = (UPR_INFO_ROWS[0], "Belarus,EEG,CIS,Отменить смертную казнь,France,WEOG,EU,,5,,8")
    content = write_upr_info(tmp_path / "ru.csv", rows, encoding="cp1251").read_bytes()
    client = client_for("coordinator")
    utf8 = write_upr_info(tmp_path / "utf8.csv", rows, encoding="utf-8").read_bytes()

    given = client.post(
        reverse("recommendations:import"),
        {"format": "upr-info", "encoding": "cp1251", "file": SimpleUploadedFile("r.csv", content)},
    )
    detected = client.post(
        reverse("recommendations:import"),
        {"format": "upr-info", "file": SimpleUploadedFile("u.csv", utf8)},
    )

    first, second = ImportBatch.objects.order_by("pk")
    assert (first.options["text_encoding"], second.options["text_encoding"]) == ("cp1251", "utf-8")
    assert "Windows-1251 (as given)" in client.get(given.url).content.decode()
    assert "UTF-8 (detected from the file)" in client.get(detected.url).content.decode()
