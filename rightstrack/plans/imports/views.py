"""The pages of a plan's import (coordinators and administrators): the template, the export of
a plan into it, the upload, the preview with its row errors, and the confirmation."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rightstrack.core.intake import upload_refusal
from rightstrack.core.listing import paginate
from rightstrack.core.roles import is_administrator
from rightstrack.core.web import bound_form, show_service_errors
from rightstrack.recommendations.imports.selectors import import_batch_get
from rightstrack.recommendations.imports.views import progress_context, upload_page

from ..models import ActionPlan
from ..selectors import plan_get
from ..services import require_manager
from . import PLAN_FORMAT
from .forms import PlanImportForm
from .jobs import start_plan_import
from .service import plan_import_confirm, plan_import_upload
from .template import template_download

ERRORS_PER_PAGE = 100
manager_required = require_manager.required


@manager_required
def template_view(request):
    return template_download()


@manager_required
def export_view(request, slug):
    return template_download(plan_get(user=request.user, slug=slug))


@manager_required
def upload_view(request, slug):
    plan = plan_get(user=request.user, slug=slug)
    posted = request.method == "POST"
    if posted and (refusal := upload_refusal(request)):
        # Refused before the body is read: an oversized upload never reaches the disk.
        form = PlanImportForm()
        form.cleaned_data = {}  # an unbound form takes an error once it counts as cleaned
        form.add_error(None, refusal.message)
        context = {"plan": plan, "form": form}
        return render(request, "plans/plan_import.html", context, status=refusal.status)
    form = bound_form(request, PlanImportForm, files=request.FILES if posted else None)
    return upload_page(
        request,
        form,
        upload=lambda: plan_import_upload(
            actor=request.user,
            upload=form.cleaned_data["file"],
            plan=plan,
            # The preview shows which agencies would be created; an administrator then
            # decides on confirming.
            create_agencies=is_administrator(request.user),
        ),
        start=start_plan_import,
        batch_url="plans:import-batch",
        template="plans/plan_import.html",
        context={"plan": plan},
    )


def _plan_batch(request, pk):
    batch = import_batch_get(user=request.user, pk=pk)
    if batch.format != PLAN_FORMAT:
        raise Http404
    return batch


@manager_required
def batch_view(request, pk):
    batch = _plan_batch(request, pk)
    outcome = batch.options.get("outcome", {})
    plan_id = batch.options.get("plan") or outcome.get("plan", {}).get("id")
    plan = ActionPlan.objects.filter(pk=plan_id).first() if plan_id else None
    measures = outcome.get("measures", [])
    context = {
        **progress_context(batch),
        "plan": plan,
        "outcome": outcome,
        "changed_measures": [item for item in measures if item["action"] != "unchanged"],
        "unchanged_count": sum(item["action"] == "unchanged" for item in measures),
        "errors_page": paginate(
            batch.errors, page=request.GET.get("page"), per_page=ERRORS_PER_PAGE
        ),
        "can_confirm": batch.dry_run and batch.status == batch.Status.SUCCEEDED,
        "can_create_agencies": is_administrator(request.user),
        "new_agencies": outcome.get("agencies", []),
    }
    return render(request, "plans/plan_import_batch.html", context)


@manager_required
@require_POST
def confirm_view(request, pk):
    preview = _plan_batch(request, pk)
    try:
        batch = plan_import_confirm(
            actor=request.user,
            preview=preview,
            create_agencies=bool(request.POST.get("create_agencies")),
        )
    except ValidationError as error:
        show_service_errors(request, error)
        return redirect("plans:import-batch", pk=preview.pk)
    start_plan_import(batch, user=request.user)
    return redirect("plans:import-batch", pk=batch.pk)
