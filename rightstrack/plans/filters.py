"""What each filter and sort order of the plan and measure lists means: one definition for the
pages, the API and any export."""

from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filtering import Equals, Words, YesNo, apply_filters
from rightstrack.core.listing import SortOption, resolve_sort, sorts_by_value
from rightstrack.core.values import a_flag
from rightstrack.recommendations.models import RecommendationTag, TagStatus
from rightstrack.taxonomy.models import Scheme

from .access import focal_agency_id
from .models import Measure, PlanStatus

PLAN_SORTS = (
    SortOption("name", _("Name (A–Z)"), ("name", "pk")),
    SortOption("-name", _("Name (Z–A)"), ("-name", "-pk")),
    *sorts_by_value(
        "period",
        "period_start_year",
        ascending=_("Period (earliest first)"),
        descending=_("Period (latest first)"),
        then=("name",),
    ),
    SortOption(
        "-adopted",
        _("Adoption (latest first)"),
        (F("adoption_date").desc(nulls_last=True), "name"),
    ),
)
DEFAULT_PLAN_SORT = "name"
# The vocabularies a measure's themes come from (through the recommendations it answers).
THEME_SCHEMES = (Scheme.UHRI_THEME, Scheme.UPR_INFO_ISSUE)

MEASURE_SORTS = (
    SortOption("number", _("Number"), ("plan__name", "number", "pk")),
    SortOption("-number", _("Number (descending)"), ("plan__name", "-number", "-pk")),
    SortOption("title", _("Title (A–Z)"), ("title", "pk")),
    *sorts_by_value(
        "due",
        "due_date",
        ascending=_("Due date (soonest first)"),
        descending=_("Due date (latest first)"),
        then=("number", "pk"),
    ),
    SortOption(
        "-budget",
        _("Budget (largest first)"),
        (F("budget_amount").desc(nulls_last=True), "number", "pk"),
    ),
    SortOption("status", _("Status"), ("derived_status", "number", "pk")),
)
DEFAULT_MEASURE_SORT = "number"

UNCOVERED_SORTS = (
    SortOption("number", _("Document and number"), ("document__symbol", "number", "pk")),
    SortOption("-date", _("Newest first"), (F("date").desc(nulls_last=True), "pk")),
    SortOption("date", _("Oldest first"), (F("date").asc(nulls_last=True), "pk")),
)


PLAN_FILTERS = {
    "q": Words("name__icontains", "description__icontains"),
    "state": Equals("state__code"),
    "status": Equals("status", choices=PlanStatus.values),
    "published": YesNo("is_published"),
}


def filter_plans(plans, filters):
    return apply_filters(plans, filters, PLAN_FILTERS)


def sort_plans(plans, key):
    return plans.order_by(*resolve_sort(key, PLAN_SORTS, DEFAULT_PLAN_SORT).order_by)


MEASURE_FILTERS = {
    "q": Words("title__icontains", "number__iexact", "description__icontains"),
    "plan": Equals("plan__slug"),
    "status": Equals("derived_status"),
    "example": YesNo("is_example"),
}


def filter_measures(measures, filters, *, user):
    """Narrow measures annotated with ``derived_status`` (see statuses.py)."""
    measures = apply_filters(measures, filters, MEASURE_FILTERS)
    agency_links = Measure.responsible_agencies.through.objects.filter(measure_id=OuterRef("pk"))
    if filters.get("agency"):
        measures = measures.filter(Exists(agency_links.filter(agency__code=filters["agency"])))
    if a_flag(filters.get("mine")):
        agency_id = focal_agency_id(user)
        measures = (
            measures.filter(Exists(agency_links.filter(agency_id=agency_id)))
            if agency_id
            else measures.none()
        )
    if filters.get("theme"):
        themed = RecommendationTag.objects.filter(
            recommendation__measures=OuterRef("pk"),
            term__scheme__in=THEME_SCHEMES,
            term__code=filters["theme"],
            status=TagStatus.ACCEPTED,
        )
        measures = measures.filter(Exists(themed))
    return measures


def sort_measures(measures, key):
    return measures.order_by(*resolve_sort(key, MEASURE_SORTS, DEFAULT_MEASURE_SORT).order_by)
