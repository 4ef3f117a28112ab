"""Files that jobs make for the user who started them: a generated document, a large export.

A job writes its file through ``job_file`` (in place only once complete) under
JOBS_FILES_DIR/<job id>/; the job records it, and only the user who started the job may
download it (selectors.job_file_get), for JOBS_FILES_RETENTION_HOURS. The periodic job
``jobs.files.cleanup`` removes the files whose time is up.
"""

import contextlib
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.core.tabular.writers import replaced_file
from rightstrack.core.types import User

from .models import Job, started_by
from .registry import JobFailed, JobKind, Periodic
from .running import JobRun
from .services import job_start

CLEANUP_JOB = "jobs.files.cleanup"


def files_dir() -> Path:
    return Path(settings.JOBS_FILES_DIR)


def job_file_path(job: Job) -> Path | None:
    """Where the job's file is, or None when it has none (any more)."""
    if not job.file:
        return None
    path = files_dir() / job.file
    return path if path.is_file() else None


def start_file_job(*, kind: str, user: User, label: str, params: dict[str, object]) -> Job:
    """Queue a job that makes a file for ``user``, in the current language (its file is read
    by ``user`` only, in that language: see ``for_requester``)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    params = {**params, "language": language}
    # Asked for again (a second click, a reload) while the first is still being made: the same
    # job, not a second one doing the same work.
    in_progress = (
        Job.objects.filter(
            kind=kind,
            started_by=user,
            status__in=(Job.Status.PENDING, Job.Status.RUNNING),
            params=params,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if in_progress is not None:
        return in_progress
    return job_start(kind=kind, user=user, label=label, params=params)


@contextlib.contextmanager
def for_requester(job: Job) -> Iterator[User]:
    """Inside, the language the user who asked for the job's file had; yields that user, whose
    scope the file holds. JobFailed when they are gone."""
    user = started_by(job)
    if user is None or not user.is_active:
        raise JobFailed(_("The user who asked for this file no longer exists."))
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        yield user


@contextlib.contextmanager
def job_file(job: Job, *, file_name: str, content_type: str) -> Iterator[IO[bytes]]:
    """A binary file to write the job's file through; recorded on the job once the block ends
    without error (nothing is left of it otherwise)."""
    name = get_valid_filename(Path(file_name).name) or "file"
    relative = Path(str(job.pk)) / name
    target = files_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with replaced_file(target) as stream:
        yield stream
    job.file, job.file_name, job.content_type = str(relative), name, content_type[:100]
    job.file_size = target.stat().st_size
    job.file_expires_at = timezone.now() + timedelta(hours=settings.JOBS_FILES_RETENTION_HOURS)
    Job.objects.filter(pk=job.pk).update(
        file=job.file,
        file_name=job.file_name,
        content_type=job.content_type,
        file_size=job.file_size,
        file_expires_at=job.file_expires_at,
    )


def job_files_remove_expired(*, now: datetime | None = None) -> int:
    """Remove the files kept longer than their retention; how many were removed. The jobs keep
    their record (the page then says that the file was removed)."""
    now = now or timezone.now()
    removed = 0
    for job in Job.objects.exclude(file="").filter(file_expires_at__lt=now):
        shutil.rmtree(files_dir() / str(job.pk), ignore_errors=True)
        Job.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return removed


def _cleanup(job: Job, run: JobRun) -> str:
    removed = job_files_remove_expired()
    return _("%(count)s file(s) kept longer than their retention were removed.") % {
        "count": removed
    }


CLEANUP_JOB_KIND = JobKind(key=CLEANUP_JOB, run=_cleanup)
CLEANUP_PERIODIC = Periodic(
    kind=CLEANUP_JOB,
    every=timedelta(hours=1),
    label=gettext_lazy("Removal of the files of jobs kept past their retention"),
)
