"""The one filter for term lists: the vocabulary page, the API and any export use it alike."""

from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filtering import FilterForm
from rightstrack.core.listing import SortOption, resolve_sort

from .models import reads_russian
from .normalize import name_key

MAX_QUERY_LENGTH = 200
DEFAULT_TERM_SORT = "position"
TERM_SORTS = (
    SortOption("position", _("Vocabulary order"), ("position", "code")),
    SortOption("code", _("Code"), ("code",)),
    SortOption("label", _("Label"), ("sort_label", "code")),
)


def term_filters(params):
    """The term filters from a query string (a QueryDict or any mapping)."""
    return {
        "q": (params.get("q") or "").strip()[:MAX_QUERY_LENGTH],
        "parent": (params.get("parent") or "").strip()[:100],
        "sort": resolve_sort(params.get("sort"), TERM_SORTS, DEFAULT_TERM_SORT).key,
    }


class TermFilterForm(FilterForm):
    """The vocabulary page's search; ``filters()`` is what ``term_filters`` gives."""

    q = forms.CharField(
        label=_("Code, name or other spelling"), required=False, max_length=MAX_QUERY_LENGTH
    )
    parent = forms.CharField(label=_("Belongs to"), required=False, widget=forms.Select)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(option.key, option.label) for option in TERM_SORTS],
    )

    def __init__(self, data, *, parents=None, **kwargs):
        # Over-long or unknown values are cut or fall back, as term_filters does for the API.
        super().__init__(term_filters(data), **kwargs)
        if parents:
            self.fields["parent"].widget.choices = [("", _("Any"))] + [
                (parent.code, parent.short_label) for parent in parents
            ]
        elif parents is not None:
            del self.fields["parent"]  # a vocabulary without a hierarchy


def _label_in_current_language():
    if reads_russian():
        return Lower(Coalesce(NullIf("label_ru", Value("")), "label_en"))
    return Lower("label_en")


def filter_terms(terms, filters):
    filters = filters or {}
    query = filters.get("q") or ""
    if query:
        # search_text folds case and accents in Python, so Russian matches on SQLite too; the
        # label lookups also find terms created without it (fixtures of other apps' tests).
        key = name_key(query)
        matches = Q(code__iexact=query) | Q(label_en__icontains=query)
        matches |= Q(label_ru__icontains=query)
        if key:
            matches |= Q(search_text__contains=key)
        terms = terms.filter(matches)
    if filters.get("parent"):
        terms = terms.filter(parent__code=filters["parent"])
    sort = resolve_sort(filters.get("sort"), TERM_SORTS, DEFAULT_TERM_SORT)
    if sort.key == "label":
        terms = terms.annotate(sort_label=_label_in_current_language())
    return terms.order_by(*sort.order_by)
