from django.http import Http404
from django.shortcuts import render

from rightstrack.core.web import ListPage, wants_partial

from .filters import DEFAULT_TERM_SORT, TERM_SORTS, TermFilterForm
from .models import Scheme
from .selectors import parent_choices, scheme_list, term_list

TERMS_PER_PAGE = 50
TERM_LIST = ListPage(
    template="taxonomy/term_list.html",
    partial_template="taxonomy/_term_results.html",
    default_sort=DEFAULT_TERM_SORT,
    sorts=TERM_SORTS,
    per_page=TERMS_PER_PAGE,
)


def index(request):
    return render(request, "taxonomy/scheme_list.html", {"schemes": scheme_list()})


def scheme_detail(request, scheme):
    if scheme not in Scheme.values:
        raise Http404("No such vocabulary.")
    # The choices are only drawn on the whole page, so a fragment does not query them.
    parents = None if wants_partial(request) else list(parent_choices(scheme=scheme))
    return TERM_LIST.render(
        request,
        form=TermFilterForm(request.GET, parents=parents),
        rows=lambda filters: term_list(scheme=scheme, filters=filters),
        context={"scheme": Scheme(scheme)},
    )
