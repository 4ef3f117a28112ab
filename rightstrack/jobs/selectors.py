"""Reads of jobs: coordinators and administrators see every job, nobody else any."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from rightstrack.core.roles import can_manage
from rightstrack.core.types import AnyUser
from rightstrack.core.web import RoleCheck

from .models import Job

require_manager = RoleCheck(
    can_manage, gettext_lazy("Only coordinators and administrators may see jobs.")
)


def job_list(*, user: AnyUser, status: str = "", kind: str = "") -> QuerySet[Job]:
    """Newest first; ``status`` and ``kind`` narrow the list when given."""
    require_manager(user)
    # The users live in the default database: prefetched, never joined.
    jobs = Job.objects.prefetch_related("started_by")
    if status:
        jobs = jobs.filter(status=status)
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs


def job_get(*, user: AnyUser, pk: int) -> Job:
    require_manager(user)
    return get_object_or_404(Job, pk=pk)


def job_in_progress(*, kinds: tuple[str, ...], subject_id: int | None = None) -> Job | None:
    """The newest job of these kinds still waiting or running, or None: for a feature's page to
    say that its data is being prepared (and how far), whoever reads it. Not a list of jobs."""
    jobs = Job.objects.filter(kind__in=kinds, status__in=(Job.Status.PENDING, Job.Status.RUNNING))
    if subject_id is not None:
        jobs = jobs.filter(subject_id=subject_id)
    # A running job says more than a waiting one.
    return jobs.order_by("-status", "-created_at", "-id").first()


def job_file_get(*, user: AnyUser, pk: int) -> Job:
    """A job that makes a file, for the user who started it only: the file holds what that
    user may see, so nobody else may read it, a coordinator neither (404, as if there were
    none)."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Job, pk=pk, started_by_id=user.pk)
