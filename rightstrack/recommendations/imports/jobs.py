"""Uploaded imports run as jobs (rightstrack.jobs): in a worker, watched from any process.

The import itself is ``import_file`` on the stored upload, written in short steps with an undo
log (ledger.py): when its worker dies half way, the job's lease check (or the worker that ran
it) takes back what it wrote before the job and batch are marked failed, so that the file can
simply be imported again. A checker that dies while undoing leaves the job running with a
lapsing lease: the next check goes on from where it stopped.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rightstrack.core.types import User
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import JobFailed, JobKind
from rightstrack.jobs.running import JobRun, beat
from rightstrack.jobs.services import job_start

from ..models import ImportBatch
from .selectors import IMPORT_JOB
from .service import FORMAT_OPTIONS, batch_finish, import_file, stored_upload_path, undo_batch


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
    """The worker importing the batch died: take back the steps it wrote (renewing the job's
    lease as it goes) and say so on the batch. True when the batch had succeeded first (it
    records its outcome in the transaction that ends it): the import was done."""
    batch = ImportBatch.objects.filter(pk=job.subject_id).first()
    if batch is None:
        return False
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return batch.status == ImportBatch.Status.SUCCEEDED
    undo_batch(batch, alive=beat)
    batch.created = batch.updated = batch.unchanged = 0
    batch_finish(batch, user=None, status=ImportBatch.Status.FAILED, message=message)
    return False


IMPORT_JOB_KIND = JobKind(key=IMPORT_JOB, run=run_import, abandoned=import_abandoned)
