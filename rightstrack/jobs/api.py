"""Jobs over the API, mounted at /api/v1/jobs: coordinators and administrators only."""

from datetime import datetime

from django.http import FileResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError

from rightstrack.core.api.endpoints import Router
from rightstrack.core.api.pagination import paginated
from rightstrack.core.api_auth import internal_auth

from .files import job_file_path
from .models import Job, started_by
from .selectors import job_file_get, job_get, job_list
from .services import job_cancel, job_retry

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str = Field(..., description='What the job does, e.g. "recommendations.import".')
    subject_id: int | None = Field(None, description="The record it works on (an import batch).")
    label: str
    status: str
    done: int
    total: int | None
    started_by: str | None = Field(None, description="User name; null for the system.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    error: str
    result: str = Field(..., description="What the job did, for people to read.")
    cancel_requested: bool = Field(..., description="Asked to stop while running.")

    @staticmethod
    def resolve_started_by(job: Job) -> str | None:
        user = started_by(job)
        return user.username if user else None


@router.get("/", response=list[JobOut], auth=internal_auth)
@paginated
def list_jobs(request, status: str = "", kind: str = ""):
    """Jobs

    Background jobs (imports, tag suggestions, index builds, training), newest first, with
    their progress (``done`` of ``total``) and how they ended. Filters: ``status``, ``kind``.
    """
    return job_list(user=request.user, status=status, kind=kind)


@router.get("/{int:job_id}", response=JobOut, auth=internal_auth)
def job_detail(request, job_id: int):
    """A job"""
    return job_get(user=request.user, pk=job_id)


@router.post("/{int:job_id}/cancel", response=JobOut, auth=internal_auth)
def cancel_job(request, job_id: int):
    """Cancel a job

    A waiting job is cancelled at once. A running one is asked to stop (`cancel_requested`):
    it stops at its next progress step, undoing what it wrote, and ends `cancelled`.
    """
    return job_cancel(user=request.user, job=job_get(user=request.user, pk=job_id))


@router.post("/{int:job_id}/retry", response=JobOut, auth=internal_auth)
def retry_job(request, job_id: int):
    """Run a failed or cancelled job again (a new job on the same subject)"""
    return job_retry(user=request.user, job=job_get(user=request.user, pk=job_id))


class JobFileStateOut(Schema):
    status: str
    done: int
    total: int | None


@router.get("/{int:job_id}/file", response={202: JobFileStateOut}, auth=internal_auth)
def job_file(request, job_id: int):
    """The file a job made for you (a document, a large export)

    Only the user who asked for it may read it (404 for anyone else). 202 with the job's
    status and progress until it is ready; 409 with the error when the job failed; 410 once
    the file was removed (files are kept JOBS_FILES_RETENTION_HOURS).
    """
    job = job_file_get(user=request.user, pk=job_id)
    if not job.is_finished:
        return 202, job
    if job.status != Job.Status.SUCCEEDED:
        raise HttpError(409, job.error or job.get_status_display())
    path = job_file_path(job)
    if path is None:
        raise HttpError(410, _("The file was removed: files are kept for a limited time."))
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=job.file_name, content_type=job.content_type
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
