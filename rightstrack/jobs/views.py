"""The jobs page for coordinators and administrators: what runs, what ran, retry and cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.core.web import ListPage, show_service_errors, wants_partial

from .files import job_file_path
from .models import Job
from .selectors import job_file_get, job_get, job_list, require_manager
from .services import job_cancel, job_retry

JOB_LIST = ListPage(template="jobs/job_list.html", partial_template="jobs/_job_results.html")


@require_manager.required
def job_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    filters = {"status": status} if status in Job.Status.values else {}
    return JOB_LIST.render(
        request,
        filters=filters,
        rows=lambda filters: job_list(user=request.user, status=filters.get("status", "")),
        context={"statuses": Job.Status.choices},
    )


@require_POST
@require_manager.required
def job_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = job_cancel(user=request.user, job=job_get(user=request.user, pk=pk))
    except ValidationError as error:
        show_service_errors(request, error)
    else:
        if job.status == Job.Status.RUNNING:
            messages.success(
                request,
                _("The job was asked to stop. It stops at its next step and undoes its work."),
            )
    return redirect("jobs:list")


@require_POST
@require_manager.required
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job_retry(user=request.user, job=job_get(user=request.user, pk=pk))
    except ValidationError as error:
        show_service_errors(request, error)
    return redirect("jobs:list")


def _file_context(job: Job) -> dict[str, object]:
    return {"job": job, "ready": job_file_path(job) is not None}


@login_required
def job_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The page of a file a job makes for the reader (a document, an export): its progress,
    then the link to download it."""
    job = job_file_get(user=request.user, pk=pk)
    return render(request, "jobs/job_file.html", _file_context(job))


@login_required
def job_file_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_file_get(user=request.user, pk=pk)
    response = render(request, "jobs/_job_file_status.html", _file_context(job))
    patch_vary_headers(response, ["HX-Request"])
    if wants_partial(request):
        patch_cache_control(response, no_store=True)
    return response


@login_required
def job_file_download_view(request: HttpRequest, pk: int) -> FileResponse:
    job = job_file_get(user=request.user, pk=pk)
    path = job_file_path(job)
    if path is None:
        raise Http404(_("This file is not ready, or was removed."))
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=job.file_name, content_type=job.content_type
    )
    # It holds what its reader may see: never kept by a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response
