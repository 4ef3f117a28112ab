"""What every list page shares: pagination and a whitelist of sort orders.

One filter function per list (in the app's ``filters.py``) serves the page, the API and the
export, so the three never disagree about what a filter means.
"""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F
from django.db.models.expressions import OrderBy
from django.utils.functional import Promise

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class SortOption:
    key: str
    label: str | Promise
    order_by: tuple[str | OrderBy, ...]


def sorts_by_value(
    key: str,
    field: str,
    *,
    ascending: str | Promise,
    descending: str | Promise,
    then: tuple[str, ...],
) -> tuple[SortOption, SortOption]:
    """Sorting by a value that may be missing, ascending (``key``) and descending (``-key``):
    the records without one last either way, ties in the order of ``then``."""
    return (
        SortOption(key, ascending, (F(field).asc(nulls_last=True), *then)),
        SortOption(f"-{key}", descending, (F(field).desc(nulls_last=True), *then)),
    )


def resolve_sort(requested, options, default):
    """Return the SortOption asked for, or the default when the key is unknown."""
    by_key = {option.key: option for option in options}
    return by_key.get(requested) or by_key[default]


def paginate(queryset, *, page, per_page=DEFAULT_PAGE_SIZE):
    per_page = max(1, min(int(per_page or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def query_without(request, *keys):
    """The current query string minus some keys, for building page and sort links."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()
