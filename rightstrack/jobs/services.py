"""Writes of jobs: create and enqueue one, fail the ones whose worker died, cancel one (a
running one stops at its next progress report), retry a failed one. Running a job is in
execution.py (what the task calls)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import DEFAULT_TASK_PRIORITY, TASK_MAX_PRIORITY

from rightstrack.core.types import AnyUser, User

from .execution import finish_job, job_run
from .models import Job
from .registry import KINDS, PERIODIC, abandoned
from .routers import jobs_database
from .running import running_job, worker_name
from .selectors import require_manager
from .tasks import run_job

__all__ = ["job_run", "job_start", "job_cancel", "job_retry"]

logger = logging.getLogger(__name__)


def job_start(
    *,
    kind: str,
    user: User | None,
    subject_id: int | None = None,
    label: str = "",
    params: dict[str, object] | None = None,
    first: bool = False,
    once: bool = False,
    waiting_at_most: timedelta | None = None,
) -> Job:
    """Record a waiting job and hand it to the task backend, which runs it (``job_run``) in a
    worker, or at once with the immediate backend.

    ``first``: the worker takes it before the jobs already waiting (short work whose result
    somebody is waiting for, such as the suggestions of a tagger just trained, ahead of the
    next long training). ``once``: the waiting job of this kind (subject and params) if there
    is one, else a new one: work asked for twice before a worker took it is done once;
    ``waiting_at_most``: with ``once``, a job waiting longer than this (its task lost, say) is
    not counted on, a new one is queued."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    if once:
        pending = Job.objects.filter(
            kind=kind, subject_id=subject_id, status=Job.Status.PENDING, params=params or {}
        )
        if waiting_at_most is not None:
            pending = pending.filter(created_at__gte=timezone.now() - waiting_at_most)
        waiting = pending.order_by("created_at", "id").first()
        if waiting is not None:
            return waiting
    job = Job.objects.create(
        kind=kind,
        subject_id=subject_id,
        label=label[:300],
        started_by=user,
        params=params or {},
    )
    try:
        priority = TASK_MAX_PRIORITY if first else DEFAULT_TASK_PRIORITY
        task = run_job.using(queue_name=settings.JOBS_QUEUE, priority=priority)
        result = task.enqueue(job.pk)
    except Exception:
        finish_job(job, status=Job.Status.FAILED, error=_("The job could not be queued."))
        raise
    # With the immediate backend the job has already run; the task id is only for reading.
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_start_on_commit(*, kind: str, label: str, unqueued: str) -> None:
    """Queue a job of ``kind`` (started by the system) once the current transaction commits:
    work that follows an import and must see what it wrote. The import is done by then, so a
    job that cannot be queued is only logged, as ``unqueued``."""

    def start() -> None:
        try:
            job_start(kind=kind, user=None, label=label)
        except Exception:
            logger.exception(unqueued)

    transaction.on_commit(start)


def jobs_fail_abandoned(*, now: datetime | None = None) -> list[Job]:
    """Fail the running jobs whose worker stopped renewing their heartbeat for longer than
    JOBS_LEASE_SECONDS (killed, restarted, machine gone), and their subjects with them.

    The check takes the job's lease first, then lets its kind take back what the dead worker
    wrote (``JobKind.abandoned``: an import undoes its steps), renewing the lease as it goes,
    and only then marks the job failed: a job is never failed over work half kept, and a check
    that dies in turn leaves the job to the next one. The job can then be retried.
    """
    # When it ends: the moment given (tests), else once its work is taken back.
    ended_at = now
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
            ).update(heartbeat_at=now, worker=worker_name())
        if not claimed:
            continue
        job.refresh_from_db()
        try:
            with running_job(job.pk):
                done = abandoned(job, message)
        except Exception:
            logger.exception("job %s (%s): taking back its work failed", job.pk, job.kind)
            done = False
        _fail_task_result(job, now=now)
        if done:
            job.result = _("The work was done; the worker stopped right after it.")
            finish_job(job, status=Job.Status.SUCCEEDED, finished_at=ended_at)
            continue
        finish_job(job, status=Job.Status.FAILED, error=message, finished_at=ended_at)
        logger.warning("job %s (%s) abandoned: marked failed", job.pk, job.kind)
        failed.append(job)
    return failed


def jobs_start_periodic(*, now: datetime | None = None) -> list[Job]:
    """Start a job of each periodic kind (registry.PERIODIC) that has none waiting or running
    and none started within its period. Run by every worker at start and every half minute;
    two workers looking at the same moment may both start one, which the periodic kinds
    allow (they record what they did, so a second run finds nothing left to do)."""
    now = now or timezone.now()
    started = []
    for periodic in PERIODIC.values():
        if periodic.kind not in KINDS:
            continue
        jobs = Job.objects.filter(kind=periodic.kind)
        if jobs.filter(
            Q(created_at__gte=now - periodic.every)
            | Q(status__in=(Job.Status.PENDING, Job.Status.RUNNING))
        ).exists():
            continue
        started.append(
            job_start(kind=periodic.kind, user=None, label=str(periodic.label or periodic.kind))
        )
    return started


def job_cancel(*, user: AnyUser, job: Job) -> Job:
    """Cancel a job: a waiting one at once; a running one is asked to stop, which it does at
    its next progress report (at most a second or so later), undoing what it wrote."""
    require_manager(user)
    cancelled = Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(
        status=Job.Status.CANCELLED,
        finished_at=timezone.now(),
        error=_("Cancelled before it started."),
    )
    if not cancelled:
        asked = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            cancel_requested=True
        )
        if not asked:
            raise ValidationError(_("Only a waiting or running job can be cancelled."))
    job.refresh_from_db()
    return job


def job_retry(*, user: User, job: Job) -> Job:
    """Run a failed or cancelled job again, as a new job on the same subject. Work that failed
    left nothing behind (taken back whole), so running it again is safe."""
    require_manager(user)
    if job.status not in (Job.Status.FAILED, Job.Status.CANCELLED):
        raise ValidationError(_("Only a failed or cancelled job can be run again."))
    if job.kind not in KINDS:
        raise ValidationError(_("This kind of job can no longer be run."))
    return job_start(
        kind=job.kind, user=user, subject_id=job.subject_id, label=job.label, params=job.params
    )


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
