"""The one filter of the import history: the page and the API both use it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filtering import FilterForm
from rightstrack.core.listing import SortOption, resolve_sort

from ..models import ImportBatch
from .formats import batch_format_choices

BATCH_SORTS = (
    SortOption("-started", _("Newest first"), ("-started_at", "-id")),
    SortOption("started", _("Oldest first"), ("started_at", "id")),
    SortOption("file", _("File name"), ("file_name", "-started_at")),
    SortOption("format", _("Format"), ("format", "-started_at")),
    SortOption("status", _("Status"), ("status", "-started_at")),
)
DEFAULT_SORT = "-started"


def filter_batches(queryset, filters):
    """Batches of a format and status, in a whitelisted order."""
    if filters.get("format"):
        queryset = queryset.filter(format=filters["format"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    sort = resolve_sort(filters.get("sort"), BATCH_SORTS, DEFAULT_SORT)
    return queryset.order_by(*sort.order_by)


class BatchFilterForm(FilterForm):
    format = forms.ChoiceField(label=_("Format"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [("", _("Any format")), *batch_format_choices()]
        self.fields["status"].choices = [("", _("Any status")), *ImportBatch.Status.choices]
        self.fields["sort"].choices = [(option.key, option.label) for option in BATCH_SORTS]
