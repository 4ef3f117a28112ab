"""What each filter and sort order of the presence directory means: one definition for the
page, the API and any export."""

from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rightstrack.core.listing import SortOption, resolve_sort
from rightstrack.taxonomy.models import Scheme

from .models import EngagementType, Region

FILTER_KEYS = ("q", "engagement_type", "region", "pillar", "population", "active_in")

PRESENCE_SORTS = (
    SortOption("title", _("Title (A–Z)"), ("title", "pk")),
    SortOption("-title", _("Title (Z–A)"), ("-title", "-pk")),
    SortOption("country", _("Country (A–Z)"), ("country__label_en", "title", "pk")),
    SortOption("-country", _("Country (Z–A)"), ("-country__label_en", "-title", "-pk")),
    SortOption(
        "start_year",
        _("Start year (earliest first)"),
        (F("deployment_start_year").asc(nulls_last=True), "title", "pk"),
    ),
    SortOption(
        "-start_year",
        _("Start year (latest first)"),
        (F("deployment_start_year").desc(nulls_last=True), "title", "pk"),
    ),
    SortOption(
        "budget",
        _("Budget (smallest first)"),
        (F("budget_amount").asc(nulls_last=True), "title", "pk"),
    ),
    SortOption(
        "-budget",
        _("Budget (largest first)"),
        (F("budget_amount").desc(nulls_last=True), "title", "pk"),
    ),
)
DEFAULT_SORT = "title"


def filter_presences(presences, filters):
    """Narrow a queryset of presences by the filters given (a dict; missing keys do nothing)."""
    query = (filters.get("q") or "").strip()
    if query:
        presences = presences.filter(
            Q(title__icontains=query)
            | Q(country__label_en__icontains=query)
            | Q(country__label_ru__icontains=query)
            | Q(country__code__iexact=query)
        )
    if filters.get("engagement_type"):
        presences = presences.filter(engagement_type=filters["engagement_type"])
    if filters.get("region"):
        presences = presences.filter(region=filters["region"])
    if filters.get("pillar"):
        presences = presences.filter(
            thematic_pillars__scheme=Scheme.THEMATIC_PILLAR,
            thematic_pillars__code=filters["pillar"],
        )
    if filters.get("population"):
        presences = presences.filter(
            spotlight_populations__scheme=Scheme.SPOTLIGHT_POPULATION,
            spotlight_populations__code=filters["population"],
        )
    year = filters.get("active_in")
    if year not in (None, ""):
        # Deployed in that year: started by then and not yet ended (no end year = still there).
        presences = presences.filter(deployment_start_year__lte=year).filter(
            Q(deployment_end_year__gte=year) | Q(deployment_end_year__isnull=True)
        )
    return presences


def sort_presences(presences, key):
    return presences.order_by(*resolve_sort(key, PRESENCE_SORTS, DEFAULT_SORT).order_by)


class PresenceFilterForm(forms.Form):
    """The directory's filters as a plain GET form; invalid values are simply not applied."""

    q = forms.CharField(label=_("Title or country"), required=False, max_length=200)
    engagement_type = forms.ChoiceField(label=_("Type of engagement"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    pillar = forms.ChoiceField(label=_("Thematic pillar"), required=False)
    population = forms.ChoiceField(label=_("Spotlight population"), required=False)
    active_in = forms.IntegerField(
        label=_("Active in (year)"), required=False, min_value=1945, max_value=2100
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(option.key, option.label) for option in PRESENCE_SORTS],
    )

    def __init__(self, *args, pillars=(), populations=(), facets=None, **kwargs):
        super().__init__(*args, **kwargs)
        facets = facets or {}
        self.fields["engagement_type"].choices = self._choices(
            EngagementType.choices, facets.get("engagement_type")
        )
        self.fields["region"].choices = self._choices(Region.choices, facets.get("region"))
        self.fields["pillar"].choices = self._choices(
            [(term.code, term.label) for term in pillars], facets.get("pillar")
        )
        self.fields["population"].choices = self._choices(
            [(term.code, term.label) for term in populations], facets.get("population")
        )

    @staticmethod
    def _choices(choices, counts):
        labelled = [("", _("Any"))]
        for value, label in choices:
            if counts is None:
                labelled.append((value, label))
            else:
                labelled.append((value, f"{label} ({counts.get(value, 0)})"))
        return labelled

    def filters(self):
        """The valid filters, as the dict that presence_list takes; invalid ones are dropped."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            key: cleaned[key]
            for key in (*FILTER_KEYS, "sort")
            if cleaned.get(key) not in (None, "")
        }
