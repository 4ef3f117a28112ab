from django.http import Http404
from django.shortcuts import render

from rightstrack.core.listing import paginate

from .filters import TERM_SORTS, term_filters
from .models import Scheme
from .selectors import parent_choices, scheme_list, term_list

TERMS_PER_PAGE = 50


def index(request):
    return render(request, "taxonomy/scheme_list.html", {"schemes": scheme_list()})


def scheme_detail(request, scheme):
    if scheme not in Scheme.values:
        raise Http404("No such vocabulary.")
    filters = term_filters(request.GET)
    page = paginate(
        term_list(scheme=scheme, filters=filters),
        page=request.GET.get("page"),
        per_page=TERMS_PER_PAGE,
    )
    context = {"scheme": Scheme(scheme), "page": page, "filters": filters}
    if request.headers.get("HX-Request"):
        return render(request, "taxonomy/_term_results.html", context)
    context.update({"sorts": TERM_SORTS, "parents": list(parent_choices(scheme=scheme))})
    return render(request, "taxonomy/term_list.html", context)
