from django.http import Http404
from django.shortcuts import render

from rightstrack.core.web import ListPage

from .filters import TERM_SORTS, term_filters
from .models import Scheme
from .selectors import parent_choices, scheme_list, term_list

TERMS_PER_PAGE = 50
TERM_LIST = ListPage(
    template="taxonomy/term_list.html",
    partial_template="taxonomy/_term_results.html",
    sorts=TERM_SORTS,
    per_page=TERMS_PER_PAGE,
)


def index(request):
    return render(request, "taxonomy/scheme_list.html", {"schemes": scheme_list()})


def scheme_detail(request, scheme):
    if scheme not in Scheme.values:
        raise Http404("No such vocabulary.")
    return TERM_LIST.render(
        request,
        filters=term_filters(request.GET),
        rows=lambda filters: term_list(scheme=scheme, filters=filters),
        context={"scheme": Scheme(scheme)},
        page_context=lambda: {"parents": list(parent_choices(scheme=scheme))},
    )
