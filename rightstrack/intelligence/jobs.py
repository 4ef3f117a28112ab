"""Tag suggestions for an imported batch run as a job of their own (rightstrack.jobs): loading
the trained models and scoring every new recommendation no longer holds up the import."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.core.types import User
from rightstrack.jobs.models import Job, started_by
from rightstrack.jobs.registry import JobFailed, JobKind
from rightstrack.jobs.running import JobRun
from rightstrack.jobs.services import job_start
from rightstrack.recommendations.models import ImportBatch

from .tagging.schemes import SCHEMES

SUGGEST_TAGS_JOB = "intelligence.suggest_tags"


def any_tagger_trained() -> bool:
    """Whether a model file exists for some scheme (loading it is the job's work)."""
    from .tagging.store import default_model_path  # imports scikit-learn

    return any(default_model_path(name).exists() for name in SCHEMES)


def start_suggestions(batch: ImportBatch, *, user: User | None) -> Job:
    return job_start(
        kind=SUGGEST_TAGS_JOB,
        user=user,
        subject_id=batch.pk,
        label=_("Tag suggestions for %(file)s") % {"file": batch.file_name},
    )


def run_suggestions(job: Job, run: JobRun) -> str:
    from .services import suggest_for_batch  # numpy and scikit-learn, once a job runs

    batch = ImportBatch.objects.get(pk=job.subject_id)
    try:
        runs = suggest_for_batch(actor=started_by(job), batch=batch)
    except (ValidationError, PermissionDenied) as error:
        raise JobFailed(
            _("No tags were suggested: %(reason)s") % {"reason": " ".join(error.messages)}
        ) from None
    count = sum(suggestion_run.created for suggestion_run in runs)
    run.report(count, count)
    if not runs:
        return ""
    return ngettext(
        "%(count)s tag suggestion was made for review (%(schemes)s).",
        "%(count)s tag suggestions were made for review (%(schemes)s).",
        count,
    ) % {"count": count, "schemes": ", ".join(suggestion_run.scheme for suggestion_run in runs)}


SUGGEST_TAGS_JOB_KIND = JobKind(key=SUGGEST_TAGS_JOB, run=run_suggestions)
