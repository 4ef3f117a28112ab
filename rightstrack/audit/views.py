from django.utils.translation import gettext_lazy

from rightstrack.core.listing import resolve_sort
from rightstrack.core.roles import can_read_internal
from rightstrack.core.web import ListPage, RoleCheck

from .models import AuditEntry
from .selectors import (
    DEFAULT_ENTRY_SORT,
    ENTRY_SORTS,
    entry_actor_names,
    entry_list,
    entry_object_types,
)

ENTRIES_PER_PAGE = 50
ENTRY_FILTER_KEYS = ("actor", "action", "model", "object_id", "sort")


ENTRY_LIST = ListPage(
    template="audit/entry_list.html",
    partial_template="audit/_entry_results.html",
    sorts=ENTRY_SORTS,
    per_page=ENTRIES_PER_PAGE,
)
internal_reader_required = RoleCheck(
    can_read_internal, gettext_lazy("Only internal readers may see the audit trail.")
).required


@internal_reader_required
def entry_list_view(request):
    filters = {key: request.GET.get(key, "").strip() for key in ENTRY_FILTER_KEYS}
    return ENTRY_LIST.render(
        request,
        filters=filters,
        rows=lambda filters: entry_list(user=request.user, filters=filters),
        context={
            "current_sort": resolve_sort(filters["sort"], ENTRY_SORTS, DEFAULT_ENTRY_SORT).key
        },
        page_context=lambda: {
            "actions": AuditEntry.Action.choices,
            "actors": entry_actor_names(user=request.user),
            "object_types": entry_object_types(user=request.user),
        },
    )
