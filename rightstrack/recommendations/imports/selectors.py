"""Reads of import batches: only coordinators and administrators see the import history."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from rightstrack.core.roles import can_manage
from rightstrack.core.types import AnyUser, Filters
from rightstrack.core.web import RoleCheck

from ..models import ImportBatch, RecommendationTag, TagSource, TagStatus
from . import progress
from .filters import filter_batches

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
    """(processed, total) of a batch: live while this process runs it, else as recorded."""
    live = progress.current(batch.pk)
    if live is not None and batch.status in (
        ImportBatch.Status.PENDING,
        ImportBatch.Status.RUNNING,
    ):
        return live
    return batch.processed, batch.total


def import_batch_open_suggestions(*, user: AnyUser, batch: ImportBatch) -> int:
    """How many machine tag suggestions on the batch's recommendations await review."""
    _require_manager(user)
    return RecommendationTag.objects.filter(
        recommendation__import_batch=batch, source=TagSource.MACHINE, status=TagStatus.SUGGESTED
    ).count()
