from rightstrack.core.web import ListPage, wants_partial

from .forms import EntryFilterForm
from .selectors import (
    DEFAULT_ENTRY_SORT,
    ENTRY_SORTS,
    entry_actor_names,
    entry_list,
    entry_object_types,
    may_read_audit_trail,
)

ENTRIES_PER_PAGE = 50


ENTRY_LIST = ListPage(
    template="audit/entry_list.html",
    partial_template="audit/_entry_results.html",
    default_sort=DEFAULT_ENTRY_SORT,
    sorts=ENTRY_SORTS,
    per_page=ENTRIES_PER_PAGE,
)
internal_reader_required = may_read_audit_trail.required


@internal_reader_required
def entry_list_view(request):
    # The choices are only drawn on the whole page, so a fragment does not query them.
    choices = (
        {}
        if wants_partial(request)
        else {
            "actors": entry_actor_names(user=request.user),
            "object_types": entry_object_types(user=request.user),
        }
    )
    return ENTRY_LIST.render(
        request,
        form=EntryFilterForm(request.GET, **choices),
        rows=lambda filters: entry_list(user=request.user, filters=filters),
    )
