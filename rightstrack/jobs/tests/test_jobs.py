"""Jobs: running one of a registered kind, its progress, its lease, the worker command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from rightstrack.jobs import registry, running
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import JobFailed, JobKind
from rightstrack.jobs.running import Heartbeat, JobRun
from rightstrack.jobs.services import job_start, jobs_fail_abandoned

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind(monkeypatch):
    """A kind of job whose work the test decides, and the jobs whose worker died."""
    calls = {"work": lambda job, run: None, "abandoned": []}

    def run(job, job_run):
        calls["work"](job, job_run)

    def abandoned(job, message):
        calls["abandoned"].append((job.pk, message))

    monkeypatch.setitem(
        registry.KINDS, "test.work", JobKind(key="test.work", run=run, abandoned=abandoned)
    )
    return calls


def test_it_runs_a_job_and_records_its_progress_and_times(kind, users):
    def work(job, run):
        run.report(0, 3)
        run.report(3, 3)

    kind["work"] = work

    job = job_start(kind="test.work", user=users["coordinator"], subject_id=7, label="Some work")

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.error) == (3, 3, "")
    assert job.started_by == users["coordinator"]
    assert job.created_at <= job.started_at <= job.heartbeat_at <= job.finished_at
    assert job.worker.endswith(f":{running.os.getpid()}")
    assert job.task_id
    assert running.running_job_ids() == set()


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        # A job's own refusal is shown as it says...
        (JobFailed("The file is not a table."), "The file is not a table."),
        # ...an unexpected error is not (its details may be private).
        (RuntimeError("secret details"), "The job stopped on an unexpected error."),
    ],
)
def test_it_records_why_a_job_failed(kind, error, shown):
    def work(job, run):
        raise error

    kind["work"] = work

    job = job_start(kind="test.work", user=None)

    assert job.status == Job.Status.FAILED
    assert job.error == shown
    assert job.finished_at is not None


def test_it_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown job kind"):
        job_start(kind="nothing", user=None)
    assert not Job.objects.exists()


def test_it_does_not_run_a_cancelled_job_again(kind):
    ran = []
    kind["work"] = lambda job, run: ran.append(job.pk)
    job = Job.objects.create(kind="test.work", status=Job.Status.CANCELLED)

    from rightstrack.jobs.services import job_run

    assert job_run(job.pk).status == Job.Status.CANCELLED
    assert ran == []


def test_it_writes_progress_at_most_once_a_second(monkeypatch):
    job = Job.objects.create(kind="test.work")
    clock = [100.0]
    monkeypatch.setattr(running.time, "monotonic", lambda: clock[0])
    run = JobRun(job)

    run.report(10, 100)
    run.report(20, 100)  # Within the second: kept in memory only.
    job.refresh_from_db()
    assert (job.done, job.total) == (10, 100)

    clock[0] += 1.0
    run.report(30, 100)
    job.refresh_from_db()
    assert (job.done, job.total) == (30, 100)


def test_it_renews_the_heartbeat_of_the_jobs_this_process_runs():
    long_ago = timezone.now() - timedelta(minutes=5)
    mine = Job.objects.create(kind="test.work")
    other = Job.objects.create(kind="test.work", status=Job.Status.RUNNING, heartbeat_at=long_ago)
    with JobRun(mine):
        Job.objects.filter(pk=mine.pk).update(heartbeat_at=long_ago)

        Heartbeat().beat()

        mine.refresh_from_db()
        assert mine.status == Job.Status.RUNNING
        assert mine.heartbeat_at > long_ago
    other.refresh_from_db()
    assert other.heartbeat_at == long_ago


def test_it_fails_the_running_jobs_whose_worker_stopped_beating(kind, settings):
    now = timezone.now()
    lease = timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    stale = Job.objects.create(
        kind="test.work", status=Job.Status.RUNNING, heartbeat_at=now - lease - timedelta(seconds=1)
    )
    alive = Job.objects.create(
        kind="test.work", status=Job.Status.RUNNING, heartbeat_at=now - lease + timedelta(seconds=5)
    )
    done = Job.objects.create(
        kind="test.work", status=Job.Status.SUCCEEDED, heartbeat_at=now - 2 * lease
    )

    failed = jobs_fail_abandoned(now=now)

    assert [job.pk for job in failed] == [stale.pk]
    stale.refresh_from_db()
    assert stale.status == Job.Status.FAILED
    assert "stopped (no sign of life for over 30 seconds)" in stale.error
    assert stale.finished_at == now
    assert kind["abandoned"] == [(stale.pk, stale.error)]
    alive.refresh_from_db()
    done.refresh_from_db()
    assert alive.status == Job.Status.RUNNING
    assert done.status == Job.Status.SUCCEEDED
    # A second check finds nothing more to do.
    assert jobs_fail_abandoned(now=now) == []


def test_it_needs_no_worker_when_tasks_run_at_once():
    out = StringIO()

    call_command("worker", stdout=out)

    assert "no worker is needed" in out.getvalue()


# The worker commits and closes its connections as a real one does: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_it_runs_the_queued_jobs_in_a_worker(kind, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    settings.JOBS_HEARTBEAT_SECONDS = 3600
    kind["work"] = lambda job, run: run.report(1, 1)
    stale = Job.objects.create(
        kind="test.work",
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )

    job = job_start(kind="test.work", user=None)
    assert job.status == Job.Status.PENDING

    out = StringIO()
    call_command("worker", batch=True, in_process=True, verbosity=0, stdout=out)

    job.refresh_from_db()
    stale.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total) == (1, 1)
    assert stale.status == Job.Status.FAILED
    assert f"job {stale.pk} (test.work) had lost its worker" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_ends_the_task_of_a_job_whose_worker_died(kind, settings):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    job = job_start(kind="test.work", user=None)
    # A worker took it, then was killed: both stay "running", the heartbeat grows old.
    DBTaskResult.objects.filter(id=job.task_id).update(status=TaskResultStatus.RUNNING)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=5)
    )

    jobs_fail_abandoned()

    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_it_reads_who_started_a_job_from_the_default_database():
    """On SQLite the jobs database is a file without the users' table: the user a job points
    to is read from "default", not from the job's own database (tests share one database, so
    the router is asked directly)."""
    from django.contrib.auth import get_user_model

    from rightstrack.jobs.routers import JOBS_DATABASE, JobsRouter, jobs_database

    job = Job(kind="test.work")
    job._state.db = JOBS_DATABASE
    router = JobsRouter()
    assert router.db_for_read(get_user_model(), instance=job) == "default"
    assert router.db_for_write(get_user_model(), instance=job) == "default"
    assert router.db_for_read(Job, instance=job) == jobs_database()
    user = get_user_model()(username="someone")
    user._state.db = "default"
    assert router.db_for_read(get_user_model(), instance=user) is None
