"""The import pages for coordinators: upload a file, watch it import, read the history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy

from rightstrack.core.intake import encoding_label
from rightstrack.core.listing import paginate
from rightstrack.core.roles import can_manage
from rightstrack.core.web import (
    ListPage,
    RoleCheck,
    add_service_errors,
    wants_partial,
)

from ..models import ImportBatch
from .filters import DEFAULT_SORT, BatchFilterForm
from .formats import batch_format_choices, batch_format_label
from .forms import ImportUploadForm
from .jobs import start_import
from .selectors import (
    import_batch_get,
    import_batch_list,
    import_batch_open_suggestions,
    import_batch_page,
    import_batch_progress,
    import_batch_recommendation_count,
)
from .service import ImportFileError, import_upload

ERRORS_PER_PAGE = 100
FINISHED = (ImportBatch.Status.SUCCEEDED, ImportBatch.Status.FAILED)


BATCH_LIST = ListPage(
    template="recommendations/imports/batch_list.html",
    partial_template="recommendations/imports/_batch_results.html",
    default_sort=DEFAULT_SORT,
)
may_import = RoleCheck(can_manage, gettext_lazy("Only coordinators and administrators may import."))


def progress_context(batch):
    """What the progress of a batch (`_progress.html`) shows; any import page includes it."""
    processed, total = import_batch_progress(batch)
    return {
        "batch": batch,
        "processed": processed,
        "total": total,
        "is_running": batch.status not in FINISHED,
        "batch_page": import_batch_page(batch),
        "format_label": batch_format_label(batch.format),
    }


def upload_page(request, form, *, upload, start, batch_url, template, context=None):
    """An importer's upload page (recommendations, a plan's measures). When the posted form is
    valid, ``upload()`` keeps the file and makes its batch, ``start(batch, user=)`` queues its
    import and the answer is the batch's page (the URL named ``batch_url``). A file refused
    shows on the form, answered with the refusal's status (413, 422); a service's other
    refusal beside the fields it names."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            batch = upload()
        except ImportFileError as error:
            form.add_error("file", error.reason)
            status = error.status
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            start(batch, user=request.user)
            return redirect(batch_url, pk=batch.pk)
    return render(request, template, {**(context or {}), "form": form}, status=status)


@may_import.required
def upload(request):
    # An upload declaring more than the largest upload was refused before its body was read
    # (core.middleware.RefuseOversizedUploadsMiddleware); import_upload checks the file itself.
    form = ImportUploadForm(request.POST or None, request.FILES or None)

    def upload_file():
        data = form.cleaned_data
        return import_upload(
            user=request.user,
            format=data["format"],
            upload=data["file"],
            state=data["state"],
            dry_run=data["dry_run"],
            skip_invalid=data["skip_invalid"],
            options=form.options(),
        )

    return upload_page(
        request,
        form,
        upload=upload_file,
        start=start_import,
        batch_url="recommendations:import-batch",
        template="recommendations/imports/upload.html",
    )


@login_required
def batch_detail(request, pk):
    batch = import_batch_get(user=request.user, pk=pk)
    context = progress_context(batch)
    if encoding := batch.options.get("text_encoding"):
        context["text_encoding"] = encoding_label(encoding)
    context["errors_page"] = paginate(
        batch.errors, page=request.GET.get("page"), per_page=ERRORS_PER_PAGE
    )
    if not context["is_running"]:
        context["open_suggestions"] = import_batch_open_suggestions(user=request.user, batch=batch)
        context["imported_count"] = import_batch_recommendation_count(batch=batch)
    return render(request, "recommendations/imports/batch_detail.html", context)


@login_required
def batch_progress(request, pk):
    batch = import_batch_get(user=request.user, pk=pk)
    context = progress_context(batch)
    response = render(request, "recommendations/imports/_progress.html", context)
    if wants_partial(request) and not context["is_running"]:
        # Finished while the page polled: reload it to show the counts and row errors.
        response["HX-Refresh"] = "true"
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def batch_list(request):
    return BATCH_LIST.render(
        request,
        form=BatchFilterForm(request.GET),
        rows=lambda filters: import_batch_list(user=request.user, filters=filters),
        context={"formats": dict(batch_format_choices())},
    )
