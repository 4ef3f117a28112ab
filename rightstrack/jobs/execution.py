"""Running a job and recording how it ended (what the task does).

In a worker (``rightstrack worker`` calls ``isolate_jobs()``) each job runs in a child process of
its own, forked from the worker, with a memory ceiling (JOBS_MEMORY_LIMIT_MB more than the worker
holds, as RLIMIT_AS) and a time ceiling (JOBS_TIME_LIMIT_SECONDS, after which the worker kills
it). A job that runs away fails with a message saying which ceiling it hit; the worker, its
heartbeat and the web server go on. The child dies with the worker (PR_SET_PDEATHSIG), so a
killed worker leaves no job running unseen: its lease runs out (services.jobs_fail_abandoned).
Elsewhere (the immediate backend, tests) a job runs in the calling process.

Kept apart from services.py (which queues jobs through tasks.py) so that the task module and
the services do not import each other.
"""

import ctypes
import logging
import os
import resource
import signal
import sys
import time
from datetime import datetime

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job
from .registry import KINDS, JobCancelled, JobFailed, abandoned, interruption_message
from .running import JobRun, fork_guard, running_job

logger = logging.getLogger(__name__)

_isolated = False
# How often the worker looks at the child running a job.
WAIT_SECONDS = 0.2


def isolate_jobs(enabled: bool = True) -> None:
    """Run each job of this process in a child process with ceilings (a worker does)."""
    global _isolated
    _isolated = enabled and hasattr(os, "fork")


def job_run(job_id: int) -> Job:
    """Run a waiting job (in a child process when this process is a worker) and record how it
    ended."""
    if _isolated:
        return _run_in_child(job_id)
    return run_here(job_id)


def run_here(job_id: int) -> Job:
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
        except JobCancelled as cancelled:
            error, status = cancelled.message, Job.Status.CANCELLED
        except JobFailed as failure:
            error, status = failure.message, Job.Status.FAILED
        except Exception as unexpected:
            message = interruption_message(unexpected)
            if message is None:
                logger.exception("job %s (%s) failed", job.pk, job.kind)
                finish_job(
                    job,
                    status=Job.Status.FAILED,
                    error=_("The job stopped on an unexpected error."),
                )
                raise
            error, status = message, Job.Status.FAILED
    return finish_job(job, status=status, error=error)


def finish_job(
    job: Job, *, status: str, error: str = "", finished_at: datetime | None = None
) -> Job:
    job.status = status
    job.error = error
    job.finished_at = finished_at or timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=status,
        error=error,
        finished_at=job.finished_at,
        done=job.done,
        total=job.total,
        result=job.result,
    )
    return job


def _run_in_child(job_id: int) -> Job:
    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.PENDING:
        logger.info("job %s is %s, not run", job.pk, job.status)
        return job
    # The child opens connections of its own; none of this process's may be shared with it.
    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    # Not while the heartbeat is inside a transaction (running.fork_guard says why): a lease
    # check undoing a dead worker's import delays the next job until it is done.
    with fork_guard:
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child ends in os._exit, counted by the worker tests
        _child(job_id)
    started, stopped_for_time, status = time.monotonic(), False, 0
    with running_job(job_id):  # the worker's heartbeat renews the child's lease
        while True:
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                break
            if time.monotonic() - started > settings.JOBS_TIME_LIMIT_SECONDS:
                os.kill(pid, signal.SIGKILL)
                _finished, status = os.waitpid(pid, 0)
                stopped_for_time = True
                break
            time.sleep(WAIT_SECONDS)
    job.refresh_from_db()
    if job.status in (Job.Status.PENDING, Job.Status.RUNNING):
        message = _child_death_message(status, stopped_for_time=stopped_for_time)
        logger.warning("job %s (%s): %s", job.pk, job.kind, message)
        # What the child wrote is taken back (an import's steps) before the job is failed,
        # under the job's lease: should this process die meanwhile, the lease check goes on.
        with running_job(job_id):
            done = abandoned(job, message)
        if done:
            job.result = _("The work was done; the worker stopped right after it.")
            finish_job(job, status=Job.Status.SUCCEEDED)
        else:
            finish_job(job, status=Job.Status.FAILED, error=message)
    return job


def _child_death_message(status: int, *, stopped_for_time: bool) -> str:
    if stopped_for_time:
        return _(
            "The job ran longer than a job may (JOBS_TIME_LIMIT_SECONDS=%(seconds)s) and was "
            "stopped; nothing of its work was kept."
        ) % {"seconds": settings.JOBS_TIME_LIMIT_SECONDS}
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        return _(
            "The job's process was killed (most often for lack of memory); nothing of its work "
            "was kept."
        )
    return _("The job's process stopped unexpectedly; nothing of its work was kept.")


def _child(job_id: int) -> None:
    """The child process of one job: dies with the worker, within the memory ceiling."""
    code = 1
    try:
        _die_with_parent()
        # Ctrl+C in `make run` reaches the whole process group: the worker decides.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _limit_memory(settings.JOBS_MEMORY_LIMIT_MB)
        connection_created.connect(_wait_for_the_write_lock)
        run_here(job_id)
        code = 0
    except BaseException:
        logger.exception("job %s stopped in its process", job_id)
    finally:
        try:
            connections.close_all()
        finally:
            logging.shutdown()
            os._exit(code)


def _wait_for_the_write_lock(
    sender: object, connection: BaseDatabaseWrapper, **kwargs: object
) -> None:
    """On SQLite a job waits for another job's write lock (a dry run of an import holds it to
    its end) as long as a job may run, not the web's SQLITE_BUSY_TIMEOUT_SECONDS."""
    if connection.vendor == "sqlite":
        milliseconds = min(settings.JOBS_TIME_LIMIT_SECONDS * 1000, 2**31 - 1)
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # the worker died before the line above
        os._exit(1)


def _limit_memory(megabytes: int) -> None:
    """Allow this process ``megabytes`` of address space beyond what it holds now."""
    try:
        with open("/proc/self/statm") as statm:
            held = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        held = 0
    limit = held + megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
