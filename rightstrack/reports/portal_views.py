"""Pages of the public portal; thin over portal_selectors and opendata.

Every page and download shows published data only, to every reader alike (signed in or not):
the selectors read with an anonymous user whoever asks.
"""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rightstrack.core.listing import paginate

from . import opendata
from .portal_selectors import STATE_SORTS, state_get, state_home, state_list

STATES_PER_PAGE = 50


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
def state_list_view(request):
    query = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "")
    sort = sort if sort in STATE_SORTS else "name"
    page = paginate(
        state_list(filters={"q": query, "sort": sort}),
        page=request.GET.get("page"),
        per_page=STATES_PER_PAGE,
    )
    sorts = [
        ("name", _("Name")),
        ("recommendations", _("Most recommendations")),
        ("plans", _("Most action plans")),
    ]
    context = {"page": page, "q": query, "sort": sort, "sorts": sorts}
    return render(request, "reports/portal/state_list.html", context)


@require_safe
def state_home_view(request, slug):
    state, canonical = state_get(slug=slug)
    if slug != canonical:
        return redirect("portal:state_home", slug=canonical, permanent=True)
    home = state_home(state=state)
    return render(request, "reports/portal/state_home.html", {"home": home, "state": state})


def _api_examples(request):
    api = _base_url(request) + "/api/v1"
    return [
        (
            _("Recommendations made to Belarus, ten at a time"),
            f"{api}/recommendations?state=BLR&limit=10",
        ),
        (
            _("Supported UPR recommendations, with the facet counts"),
            f"{api}/recommendations?state=BLR&mechanism=UPR&position=supported&facets=true",
        ),
        (_("Published action plans"), f"{api}/plans/"),
        (_("Approved progress reports of one plan"), f"{api}/progress-reports/?plan=PLAN-SLUG"),
        (_("The terms of one vocabulary"), f"{api}/vocabularies/state"),
        (_("Field presences"), f"{api}/presences/"),
    ]


@require_safe
def open_data_view(request):
    summaries = opendata.dataset_summaries()
    dates = [summary.last_updated for summary in summaries if summary.last_updated]
    context = {
        "summaries": summaries,
        "last_updated": max(dates) if dates else None,
        "formats": opendata.FORMATS,
        "list_separator": opendata.LIST_SEPARATOR,
        "api_examples": _api_examples(request),
        "api_root": _base_url(request) + "/api/v1/",
        "datapackage_url": reverse("portal:datapackage"),
    }
    return render(request, "reports/portal/open_data.html", context)


@require_safe
def download_view(request, dataset, fmt):
    found = opendata.dataset_get(dataset)
    if found is None or fmt not in opendata.FORMATS:
        raise Http404(_("No such dataset."))
    response = opendata.export_response(found, fmt, base_url=_base_url(request))
    # Published data only, the same for every reader: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def data_package_view(request):
    response = JsonResponse(opendata.data_package(base_url=_base_url(request)))
    response["Access-Control-Allow-Origin"] = "*"
    return response
