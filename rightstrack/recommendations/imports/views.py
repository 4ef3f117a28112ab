"""The import pages for coordinators: upload a file, watch it import, read the history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from rightstrack.core.listing import paginate
from rightstrack.core.roles import can_manage

from ..models import ImportBatch
from . import runner
from .filters import DEFAULT_SORT, BatchFilterForm
from .formats import batch_format_choices, batch_format_label
from .forms import ImportUploadForm
from .selectors import (
    import_batch_get,
    import_batch_list,
    import_batch_open_suggestions,
    import_batch_progress,
)
from .service import import_upload

ERRORS_PER_PAGE = 100
FINISHED = (ImportBatch.Status.SUCCEEDED, ImportBatch.Status.FAILED)


def _wants_partial(request):
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _progress_context(batch):
    processed, total = import_batch_progress(batch)
    return {
        "batch": batch,
        "processed": processed,
        "total": total,
        "is_running": batch.status not in FINISHED,
        "format_label": batch_format_label(batch.format),
    }


@login_required
def upload(request):
    if not can_manage(request.user):
        raise PermissionDenied(_("Only coordinators and administrators may import."))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = import_upload(
                user=request.user,
                format=data["format"],
                upload=data["file"],
                state=data["state"],
                dry_run=data["dry_run"],
                skip_invalid=data["skip_invalid"],
                options=form.options(),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            runner.start_background_import(batch)
            return redirect("recommendations:import-batch", pk=batch.pk)
    return render(request, "recommendations/imports/upload.html", {"form": form})


@login_required
def batch_detail(request, pk):
    batch = import_batch_get(user=request.user, pk=pk)
    context = _progress_context(batch)
    context["errors_page"] = paginate(
        batch.errors, page=request.GET.get("page"), per_page=ERRORS_PER_PAGE
    )
    if not context["is_running"]:
        context["open_suggestions"] = import_batch_open_suggestions(user=request.user, batch=batch)
    return render(request, "recommendations/imports/batch_detail.html", context)


@login_required
def batch_progress(request, pk):
    batch = import_batch_get(user=request.user, pk=pk)
    context = _progress_context(batch)
    response = render(request, "recommendations/imports/_progress.html", context)
    if _wants_partial(request) and not context["is_running"]:
        # Finished while the page polled: reload it to show the counts and row errors.
        response["HX-Refresh"] = "true"
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def batch_list(request):
    form = BatchFilterForm(request.GET)
    filters = form.filters()
    page = paginate(
        import_batch_list(user=request.user, filters=filters), page=request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "sort": filters.get("sort", DEFAULT_SORT),
        "is_filtered": any(key != "sort" for key in filters),
        "formats": dict(batch_format_choices()),
    }
    partial = _wants_partial(request)
    template = (
        "recommendations/imports/_batch_results.html"
        if partial
        else "recommendations/imports/batch_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
