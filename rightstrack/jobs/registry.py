"""The kinds of job, registered by the apps that do the work (from their AppConfig.ready()).

The jobs app sits below every app that has long work; it knows a kind only through what the
kind registers here: how to run a job of it, and what to record on the job's subject when its
worker died (an import batch that must not stay "running" for ever). Apps may also ask for
work to be queued whenever a worker starts (``on_worker_start``: an index nobody built yet).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Job
    from .running import JobRun


@dataclass(frozen=True, slots=True)
class JobKind:
    key: str
    # Does the work: reports progress through the JobRun; returns what it did for people to
    # read (or None); raises JobFailed for an outcome the user must read, anything else for a bug.
    run: "Callable[[Job, JobRun], str | None]"
    # Records on the subject that the job's worker died, given the message the job got; returns
    # True when the subject shows that the work was done (committed just before the worker
    # died): the job then ends succeeded.
    abandoned: "Callable[[Job, str], bool | None] | None" = None


KINDS: dict[str, JobKind] = {}
# Called once by each `rightstrack worker` as it starts: queue work that should exist (an
# index not built yet). Must not raise.
WORKER_START: list[Callable[[], object]] = []


def register(kind: JobKind) -> None:
    KINDS[kind.key] = kind


def on_worker_start(hook: Callable[[], object]) -> None:
    if hook not in WORKER_START:
        WORKER_START.append(hook)


@dataclass(frozen=True, slots=True)
class Periodic:
    """A kind of job that runs by itself every so often (the daily digest): the worker starts
    one when none of the kind was started within ``every``; no cron is needed."""

    kind: str
    every: timedelta
    label: str = ""


PERIODIC: dict[str, Periodic] = {}


def register_periodic(periodic: Periodic) -> None:
    PERIODIC[periodic.kind] = periodic


def abandoned(job: "Job", message: str) -> bool:
    """Tell the job's kind that its worker died (``message`` says so); whether the kind found
    the work done all the same."""
    kind = KINDS.get(job.kind)
    return bool(kind and kind.abandoned and kind.abandoned(job, message))


class JobFailed(Exception):
    """The work ended without doing what was asked; the message says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class JobInterrupted(Exception):
    """The job was stopped from outside its work (cancelled, over its limits): raised inside the
    work so that its transaction rolls back; the message says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class JobCancelled(JobInterrupted):
    """A coordinator cancelled the running job; it stopped at its next progress report."""


def interruption_message(error: BaseException) -> str | None:
    """What to tell the user of work that stopped on ``error`` when it was stopped from
    outside (cancelled, out of the memory allowed to a job); None for any other error."""
    if isinstance(error, JobInterrupted):
        return error.message
    if isinstance(error, MemoryError):
        from django.conf import settings
        from django.utils.translation import gettext as _

        return _(
            "The job needed more memory than a job may use (JOBS_MEMORY_LIMIT_MB=%(limit)s); "
            "nothing of its work was kept."
        ) % {"limit": settings.JOBS_MEMORY_LIMIT_MB}
    return None
