"""Imports of action plans uploaded on the page or through the API run as jobs
(rightstrack.jobs), as imports of recommendations do: in a worker, watched from any process,
all or nothing (one transaction); a worker that dies leaves nothing written and the batch
failed (``import_abandoned``), so that the file can simply be imported again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from rightstrack.core.commands import validation_error_text
from rightstrack.core.types import User
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import JobFailed, JobKind
from rightstrack.jobs.running import JobRun
from rightstrack.jobs.services import job_start
from rightstrack.recommendations.imports.jobs import import_abandoned
from rightstrack.recommendations.imports.service import batch_finish
from rightstrack.recommendations.models import ImportBatch

from .service import plan_import_batch

# The kind of job that imports a plan's uploaded file (or previews its import).
PLAN_IMPORT_JOB = "plans.import"


def start_plan_import(batch: ImportBatch, *, user: User | None) -> Job:
    """Queue the import (or the preview) of a waiting batch's stored file."""
    if batch.dry_run:
        label = _("Preview of the import of %(file)s") % {"file": batch.file_name}
    else:
        label = _("Import of %(file)s") % {"file": batch.file_name}
    return job_start(kind=PLAN_IMPORT_JOB, user=user, subject_id=batch.pk, label=label)


def run_plan_import(job: Job, run: JobRun) -> None:
    batch = ImportBatch.objects.select_related("user").get(pk=job.subject_id)
    try:
        plan_import_batch(batch, progress=run.report)
    except (ValidationError, PermissionDenied) as error:
        # An unreadable file is recorded on the batch already; a refusal (the user may no
        # longer import, the new plan's State is gone) is recorded here.
        if batch.status not in (ImportBatch.Status.SUCCEEDED, ImportBatch.Status.FAILED):
            message = (
                validation_error_text(error) if isinstance(error, ValidationError) else str(error)
            )
            batch_finish(batch, user=None, status=ImportBatch.Status.FAILED, message=message)
    if batch.status == ImportBatch.Status.FAILED:
        raise JobFailed(batch.message)


PLAN_IMPORT_JOB_KIND = JobKind(key=PLAN_IMPORT_JOB, run=run_plan_import, abandoned=import_abandoned)
