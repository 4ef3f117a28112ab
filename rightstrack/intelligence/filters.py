"""The filters of the suggestion review list: one form and one filter function serve the page
and the API."""

from typing import TypedDict

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filter_fields import sort_field
from rightstrack.core.listing import SortOption
from rightstrack.recommendations.models import ImportBatch, RecommendationTag, TagSource, TagStatus
from rightstrack.taxonomy.models import Scheme

from .tagging.schemes import SCHEMES

REVIEW_SORTS = (
    SortOption("confidence", _("Most confident first"), ("-best_confidence", "pk")),
    SortOption("-confidence", _("Least confident first"), ("best_confidence", "pk")),
    SortOption("newest", _("Newest first"), ("-created_at", "-pk")),
    SortOption("state", _("State under review"), ("state__label_en", "pk")),
)
DEFAULT_SORT = "confidence"
# The sorts by confidence as the suggestions grouped by recommendation sort them (their
# recommendation_id is the recommendation's pk): the same order as REVIEW_SORTS gives.
BY_CONFIDENCE = {
    "confidence": ("-best_confidence", "recommendation_id"),
    "-confidence": ("best_confidence", "recommendation_id"),
}
STATUS_CHOICES = (
    (TagStatus.SUGGESTED.value, _("Awaiting review")),
    (TagStatus.ACCEPTED.value, _("Accepted")),
    (TagStatus.REJECTED.value, _("Rejected")),
)


def scheme_choices():
    return [("", _("All vocabularies"))] + [
        (scheme.term_scheme, scheme.label) for scheme in SCHEMES.values()
    ]


class ReviewFilters(TypedDict, total=False):
    """The review list's filters, as ReviewFilterForm.filters() and the API give them."""

    batch: int
    scheme: str
    status: str
    min_confidence: float
    max_confidence: float
    state: str
    sort: str


def suggestion_tags(filters):
    """Machine tags matching the tag-level filters (status, vocabulary, confidence range)."""
    tags = RecommendationTag.objects.filter(
        source=TagSource.MACHINE, status=filters.get("status") or TagStatus.SUGGESTED
    )
    if filters.get("scheme"):
        tags = tags.filter(term__scheme=filters["scheme"])
    if filters.get("min_confidence") is not None:
        tags = tags.filter(confidence__gte=filters["min_confidence"])
    if filters.get("max_confidence") is not None:
        tags = tags.filter(confidence__lte=filters["max_confidence"])
    return tags


def filter_reviewable(recommendations, filters):
    """Recommendations with at least one machine tag matching the filters."""
    tags = suggestion_tags(filters)
    # IN rather than EXISTS: the database reads the few suggested tags (by their partial
    # index) instead of probing the tags of every recommendation.
    recommendations = recommendations.filter(pk__in=tags.values("recommendation_id"))
    if filters.get("batch"):
        recommendations = recommendations.filter(import_batch_id=filters["batch"])
    if filters.get("state"):
        recommendations = recommendations.filter(state__code=filters["state"])
    return recommendations


class BatchSchemeForm(forms.Form):
    """A form choosing one of ``batches`` (default: every import batch) in its ``batch`` field
    and a tagging vocabulary in its ``scheme`` field."""

    def __init__(self, *args, batches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = (
            batches if batches is not None else ImportBatch.objects.all()
        )
        self.fields["batch"].label_from_instance = _batch_label
        self.fields["scheme"].choices = scheme_choices()


class ReviewFilterForm(BatchSchemeForm):
    batch = forms.ModelChoiceField(
        label=_("Import batch"),
        queryset=ImportBatch.objects.none(),
        required=False,
        empty_label=_("All imports"),
    )
    scheme = forms.ChoiceField(label=_("Vocabulary"), required=False, choices=())
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=STATUS_CHOICES, initial=TagStatus.SUGGESTED
    )
    min_confidence = forms.FloatField(
        label=_("Confidence at least"), required=False, min_value=0, max_value=1
    )
    max_confidence = forms.FloatField(
        label=_("Confidence at most"), required=False, min_value=0, max_value=1
    )
    state = forms.CharField(label=_("State (code)"), required=False, max_length=10)
    sort = sort_field(REVIEW_SORTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")

    def filters(self):
        """The valid filters as a dict; invalid values are dropped (and shown as errors)."""
        if not self.is_bound:
            return {"status": TagStatus.SUGGESTED.value, "sort": DEFAULT_SORT}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {}
        if data.get("batch"):
            filters["batch"] = data["batch"].pk
        if data.get("scheme") and data["scheme"] in {s.value for s in Scheme}:
            filters["scheme"] = data["scheme"]
        filters["status"] = data.get("status") or TagStatus.SUGGESTED.value
        for key in ("min_confidence", "max_confidence"):
            if data.get(key) is not None:
                filters[key] = data[key]
        if data.get("state"):
            filters["state"] = data["state"].strip().upper()
        filters["sort"] = data.get("sort") or DEFAULT_SORT
        return filters


def _batch_label(batch):
    when = f"{batch.started_at:%Y-%m-%d}" if batch.started_at else ""
    return f"#{batch.pk} {batch.file_name} {when}".strip()
