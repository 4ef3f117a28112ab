"""The jobs page for coordinators and administrators: what runs, what ran, retry and cancel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.core.web import ListPage, show_service_errors

from .models import Job
from .selectors import job_get, job_list, require_manager
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
