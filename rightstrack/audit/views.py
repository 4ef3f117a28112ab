from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from rightstrack.core.listing import paginate, resolve_sort
from rightstrack.core.roles import can_read_internal

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


@login_required
def entry_list_view(request):
    if not can_read_internal(request.user):
        raise PermissionDenied(_("Only internal readers may see the audit trail."))
    filters = {key: request.GET.get(key, "").strip() for key in ENTRY_FILTER_KEYS}
    page = paginate(
        entry_list(user=request.user, filters=filters),
        page=request.GET.get("page"),
        per_page=ENTRIES_PER_PAGE,
    )
    context = {
        "page": page,
        "filters": filters,
        "current_sort": resolve_sort(filters["sort"], ENTRY_SORTS, DEFAULT_ENTRY_SORT).key,
    }
    if request.headers.get("HX-Request"):
        return render(request, "audit/_entry_results.html", context)
    context.update(
        {
            "sorts": ENTRY_SORTS,
            "actions": AuditEntry.Action.choices,
            "actors": entry_actor_names(user=request.user),
            "object_types": entry_object_types(user=request.user),
        }
    )
    return render(request, "audit/entry_list.html", context)
