"""The kinds of job, registered by the apps that do the work (from their AppConfig.ready()).

The jobs app sits below every app that has long work; it knows a kind only through what the
kind registers here: how to run a job of it, and what to record on the job's subject when its
worker died (an import batch that must not stay "running" for ever).
"""

from collections.abc import Callable
from dataclasses import dataclass
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
    # Records on the subject that the job's worker died, given the message the job got.
    abandoned: "Callable[[Job, str], None] | None" = None


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    KINDS[kind.key] = kind


class JobFailed(Exception):
    """The work ended without doing what was asked; the message says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
