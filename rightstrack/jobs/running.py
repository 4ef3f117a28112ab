"""The jobs this process is running, their progress and their heartbeat.

A job's progress is written at most once a second from the job's own thread. Its heartbeat,
the lease it holds on the job, is renewed by ``Heartbeat``, a thread of the worker process, so
that a job busy in one long step (a large chunk, building an index) is not taken for dead.
"""

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job
from .registry import JobCancelled

logger = logging.getLogger(__name__)

# Progress is written at most this often, so that the page polling it is at most this late
# (plus the chunk of work between two reports).
PROGRESS_WRITE_SECONDS = 1.0

_lock = threading.Lock()
_running: set[int] = set()

# Held by the heartbeat thread while it reads and writes the databases, and by the worker's own
# thread across the fork of a job's process (execution.py): a process is never forked while
# another of its threads is inside a transaction. SQLite keeps the locks of a process's
# connections in the process's memory, which the child inherits: forked while the heartbeat was
# inside a write (a lease check undoing a killed import, step by step), the child finds the
# write lock held by a connection it does not have, and its busy handler waits for it up to
# JOBS_TIME_LIMIT_SECONDS, though the lock is free outside. A statistics job forked beside such
# an undo hung the worker so, the retried import queued behind it.
fork_guard = threading.Lock()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def running_job_ids() -> set[int]:
    with _lock:
        return set(_running)


@contextlib.contextmanager
def running_job(job_id: int) -> Iterator[None]:
    """While inside, this process's heartbeat renews the job's lease (a job run here, or by a
    child process this process waits for)."""
    with _lock:
        _running.add(job_id)
    try:
        yield
    finally:
        with _lock:
            _running.discard(job_id)


def beat() -> None:
    """Renew the lease of the jobs this process runs now (``Heartbeat`` does it every
    JOBS_HEARTBEAT_SECONDS; long work on the heartbeat's own thread calls this as it goes)."""
    ids = running_job_ids()
    if ids:
        Job.objects.filter(pk__in=ids, status=Job.Status.RUNNING).update(
            heartbeat_at=timezone.now()
        )


class JobRun:
    """One job being run by this process: ``report(done, total)`` as the work advances."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._written_at = 0.0

    def __enter__(self) -> "JobRun":
        now = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            worker=worker_name(),
            error="",
            finished_at=None,
        )
        with _lock:
            _running.add(self.job.pk)
        return self

    def __exit__(self, *exc_info: object) -> None:
        with _lock:
            _running.discard(self.job.pk)

    def report(self, done: int, total: int | None) -> None:
        """Record the progress (at most once a second), and stop the work with JobCancelled
        when a coordinator cancelled the job since: raised inside the work, it rolls back
        the work's transaction."""
        self.job.done, self.job.total = done, total
        if time.monotonic() - self._written_at < PROGRESS_WRITE_SECONDS:
            return
        self._written_at = time.monotonic()
        Job.objects.filter(pk=self.job.pk).update(
            done=done, total=total, heartbeat_at=timezone.now()
        )
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled(_("Cancelled while it ran; nothing of its work was kept."))


class Heartbeat(threading.Thread):
    """Renews the heartbeat of the jobs this process runs, and now and then fails the jobs
    whose worker stopped renewing theirs (``on_check``)."""

    def __init__(
        self, *, on_check: Callable[[], object] | None = None, check_every: float | None = None
    ) -> None:
        super().__init__(name="jobs-heartbeat", daemon=True)
        self.interval = settings.JOBS_HEARTBEAT_SECONDS
        self.on_check = on_check
        self.check_every = self.interval if check_every is None else check_every
        self.stopped = threading.Event()

    def beat(self) -> None:
        beat()

    def run(self) -> None:
        checked_at: float | None = None
        try:
            while True:
                try:
                    with fork_guard:
                        self.beat()
                        if self.on_check and (
                            checked_at is None or time.monotonic() - checked_at >= self.check_every
                        ):
                            checked_at = time.monotonic()
                            self.on_check()
                except Exception:
                    # A database that is briefly away must not end the heartbeat for good.
                    logger.exception("job heartbeat failed")
                if self.stopped.wait(self.interval):
                    return
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
