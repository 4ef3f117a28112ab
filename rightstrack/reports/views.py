from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from rightstrack.core.web import add_service_errors

from .documents.builders.common import scope_label
from .forms import FORMS, form_for_request
from .jobs import start_report
from .services import report_build


def download_response(built):
    """A generated document as a download (never cached by shared caches: it may hold
    internal data)."""
    response = HttpResponse(built.content, content_type=built.content_type)
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    response["Content-Length"] = str(len(built.content))
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def report_list_view(request):
    """The documents the reader may generate, one form each.

    The public's form is a GET that downloads the file, or comes back with its errors. A
    signed-in reader's document is made by a job, and starting work is not something a link
    may do: their form is a POST (with its CSRF token), and a GET with a report's choices, as
    the links of a plan's or a presence's page send, only fills that form in.
    """
    starts_jobs = request.user.is_authenticated
    data = request.POST if request.method == "POST" else request.GET
    submitted_class = form_for_request(data) if data else None
    if request.method == "POST" and not starts_jobs:
        return HttpResponse(status=403)
    forms = []
    status = 200
    for form_class in FORMS:
        if form_class is submitted_class and starts_jobs and request.method != "POST":
            form = form_class(user=request.user)
            form.initial.update(data.dict())
            form.prefilled = True
        elif form_class is submitted_class:
            form = form_class(data, user=request.user)
            if form.is_valid():
                asked = {
                    "kind": form.kind,
                    "user": request.user,
                    "params": form.params(),
                    "fmt": form.cleaned_data["format"],
                    "base_url": request.build_absolute_uri("/"),
                }
                try:
                    if starts_jobs:
                        # Its page shows the progress and then the file, for that reader only.
                        return redirect("jobs:file", pk=start_report(**asked).pk)
                    built = report_build(**asked)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    return download_response(built)
            status = 400
        else:
            form = form_class(user=request.user)
        forms.append(form)
    context = {
        "forms": forms,
        "scope": scope_label(request.user),
        "submitted": submitted_class,
        "form_method": "post" if starts_jobs else "get",
    }
    return render(request, "reports/report_list.html", context, status=status)
