"""Writes of jobs: create and enqueue one, run it, fail the ones whose worker died, cancel a
waiting one, retry a failed one."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.core.types import AnyUser, User

from .models import Job
from .registry import KINDS, JobFailed
from .routers import jobs_database
from .running import JobRun
from .selectors import require_manager

logger = logging.getLogger(__name__)


def job_start(
    *, kind: str, user: User | None, subject_id: int | None = None, label: str = ""
) -> Job:
    """Record a waiting job and hand it to the task backend, which runs it (``job_run``) in a
    worker, or at once with the immediate backend."""
    from .tasks import run_job  # The task module imports this one.

    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, subject_id=subject_id, label=label[:300], started_by=user)
    try:
        result = run_job.enqueue(job.pk)
    except Exception:
        _finish(job, status=Job.Status.FAILED, error=_("The job could not be queued."))
        raise
    # With the immediate backend the job has already run; the task id is only for reading.
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_run(job_id: int) -> Job:
    """Run a waiting job in this process and record how it ended."""
    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.PENDING:
        # Cancelled before a worker took it, or a task delivered twice.
        logger.info("job %s is %s, not run", job.pk, job.status)
        return job
    kind = KINDS[job.kind]
    error, status = "", Job.Status.SUCCEEDED
    with JobRun(job) as run:
        try:
            job.result = kind.run(job, run) or ""
        except JobFailed as failure:
            error, status = failure.message, Job.Status.FAILED
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(
                job, status=Job.Status.FAILED, error=_("The job stopped on an unexpected error.")
            )
            raise
    return _finish(job, status=status, error=error)


def _finish(job: Job, *, status: str, error: str = "") -> Job:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=status,
        error=error,
        finished_at=job.finished_at,
        done=job.done,
        total=job.total,
        result=job.result,
    )
    return job


def jobs_fail_abandoned(*, now: datetime | None = None) -> list[Job]:
    """Fail the running jobs whose worker stopped renewing their heartbeat for longer than
    JOBS_LEASE_SECONDS (killed, restarted, machine gone), and their subjects with them.

    Their work was inside a transaction that died with the worker, so nothing of it was kept;
    the job can be retried.
    """
    now = now or timezone.now()
    deadline = now - timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    message = _(
        "The worker running this job stopped (no sign of life for over %(seconds)s seconds); "
        "nothing of its work was kept. Run it again."
    ) % {"seconds": settings.JOBS_LEASE_SECONDS}
    failed = []
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=deadline):
        with transaction.atomic(using=jobs_database()):
            # Another worker's check may have got there first.
            claimed = Job.objects.filter(
                pk=job.pk, status=Job.Status.RUNNING, heartbeat_at__lt=deadline
            ).update(status=Job.Status.FAILED, error=message, finished_at=now)
        if not claimed:
            continue
        job.refresh_from_db()
        _fail_task_result(job, now=now)
        kind = KINDS.get(job.kind)
        if kind and kind.abandoned:
            kind.abandoned(job, message)
        logger.warning("job %s (%s) abandoned by %s: marked failed", job.pk, job.kind, job.worker)
        failed.append(job)
    return failed


def job_cancel(*, user: AnyUser, job: Job) -> Job:
    """Cancel a job that no worker has taken yet; a running job is left to finish."""
    require_manager(user)
    cancelled = Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(
        status=Job.Status.CANCELLED, finished_at=timezone.now()
    )
    if not cancelled:
        raise ValidationError(_("Only a waiting job can be cancelled."))
    job.refresh_from_db()
    return job


def job_retry(*, user: User, job: Job) -> Job:
    """Run a failed or cancelled job again, as a new job on the same subject. Work that failed
    left nothing behind (one transaction), so running it again is safe."""
    require_manager(user)
    if job.status not in (Job.Status.FAILED, Job.Status.CANCELLED):
        raise ValidationError(_("Only a failed or cancelled job can be run again."))
    if job.kind not in KINDS:
        raise ValidationError(_("This kind of job can no longer be run."))
    return job_start(kind=job.kind, user=user, subject_id=job.subject_id, label=job.label)


def _fail_task_result(job: Job, *, now: datetime) -> None:
    """The database backend's record of the task that ran the job stays "running" when its
    worker dies; it ends as the job did, so its admin page does not show it running for ever."""
    if settings.TASKS_BACKEND != "database" or not job.task_id:
        return
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=now
    )
