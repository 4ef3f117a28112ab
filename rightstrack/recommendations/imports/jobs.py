"""Uploaded imports run as jobs (rightstrack.jobs): in a worker, watched from any process.

The import itself is ``import_file`` on the stored upload, one transaction: a worker that dies
half way leaves nothing written, and the batch is marked failed by the job's lease check, so
that the file can simply be imported again.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rightstrack.core.types import User
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import JobFailed, JobKind
from rightstrack.jobs.running import JobRun
from rightstrack.jobs.services import job_start

from ..models import ImportBatch
from .selectors import IMPORT_JOB
from .service import FORMAT_OPTIONS, batch_finish, import_file, stored_upload_path


def start_import(batch: ImportBatch, *, user: User | None) -> Job:
    """Queue the import of a waiting batch's stored upload."""
    return job_start(
        kind=IMPORT_JOB,
        user=user,
        subject_id=batch.pk,
        label=_("Import of %(file)s") % {"file": batch.file_name},
    )


def run_import(job: Job, run: JobRun) -> None:
    batch = ImportBatch.objects.select_related("user").get(pk=job.subject_id)
    options = batch.options
    # An unreadable file raises once it is recorded on the batch, for the page to show.
    with contextlib.suppress(ValidationError):
        import_file(
            user=batch.user,
            format=batch.format,
            path=stored_upload_path(batch),
            state=options.get("state") or None,
            dry_run=batch.dry_run,
            skip_invalid=bool(options.get("skip_invalid")),
            options={name: options.get(name) for name in FORMAT_OPTIONS},
            progress=run.report,
            batch=batch,
        )
    if batch.status == ImportBatch.Status.FAILED:
        raise JobFailed(batch.message)


def import_abandoned(job: Job, message: str) -> bool:
    """The worker importing the batch died: its transaction died with it; say so on the batch.
    True when the batch had committed first (it records its outcome in the import's
    transaction): the import was done."""
    batch = ImportBatch.objects.filter(pk=job.subject_id).first()
    if batch is None:
        return False
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return batch.status == ImportBatch.Status.SUCCEEDED
    batch.created = batch.updated = batch.unchanged = 0
    batch_finish(batch, user=None, status=ImportBatch.Status.FAILED, message=message)
    return False


IMPORT_JOB_KIND = JobKind(key=IMPORT_JOB, run=run_import, abandoned=import_abandoned)
