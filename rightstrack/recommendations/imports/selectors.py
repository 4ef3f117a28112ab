"""Reads of import batches: only coordinators and administrators see the import history."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from rightstrack.core.roles import can_manage
from rightstrack.core.types import AnyUser, Filters
from rightstrack.core.web import RoleCheck
from rightstrack.jobs.models import Job

from ..models import ImportBatch, Recommendation, RecommendationTag, TagSource, TagStatus
from .filters import filter_batches
from .formats import BATCH_JOBS

# The kind of job that imports an uploaded batch (see jobs.py).
IMPORT_JOB = "recommendations.import"

_require_manager = RoleCheck(
    can_manage, gettext_lazy("Only coordinators and administrators may see imports.")
)


def import_batch_list(*, user: AnyUser, filters: Filters | None = None) -> QuerySet[ImportBatch]:
    _require_manager(user)
    return filter_batches(ImportBatch.objects.select_related("user"), filters or {})


def import_batch_get(*, user: AnyUser, pk: int) -> ImportBatch:
    _require_manager(user)
    return get_object_or_404(ImportBatch.objects.select_related("user"), pk=pk)


def import_batch_progress(batch: ImportBatch) -> tuple[int, int | None]:
    """(processed, total) of a batch: as its job last reported while it runs, else as recorded.

    The import writes its batch inside its transaction, invisible to others until the end; the
    job's progress is committed as it goes, in the jobs database.
    """
    if batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        kind = BATCH_JOBS.get(batch.format, (IMPORT_JOB, ""))[0]
        job = (
            Job.objects.filter(kind=kind, subject_id=batch.pk)
            .order_by("-created_at", "-id")
            .first()
        )
        if job is not None:
            return job.done, job.total if job.total is not None else batch.total
    return batch.processed, batch.total


def import_batch_page(batch: ImportBatch) -> str:
    """The address of a batch's page: the import history's, or the one its format's app gives."""
    page = BATCH_JOBS.get(batch.format, ("", "recommendations:import-batch"))[1]
    return reverse(page, kwargs={"pk": batch.pk})


def import_batch_open_suggestions(*, user: AnyUser, batch: ImportBatch) -> int:
    """How many machine tag suggestions on the batch's recommendations await review."""
    _require_manager(user)
    return RecommendationTag.objects.filter(
        recommendation__import_batch=batch, source=TagSource.MACHINE, status=TagStatus.SUGGESTED
    ).count()


def import_batch_recommendation_count(*, batch: ImportBatch) -> int:
    """How many recommendations the batch created or was the last to change (what the list's
    ``batch`` filter shows)."""
    return Recommendation.objects.filter(import_batch=batch).count()
