"""What each filter and sort order of the presence directory means: one definition for the
page, the API and any export."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filter_fields import sort_field
from rightstrack.core.filtering import Equals, FilterForm, TermCode, Words, apply_filters
from rightstrack.core.listing import SortOption, resolve_sort, sorts_by_value
from rightstrack.taxonomy.models import Scheme

from .models import EngagementType, Region

PRESENCE_SORTS = (
    SortOption("title", _("Title (A–Z)"), ("title", "pk")),
    SortOption("-title", _("Title (Z–A)"), ("-title", "-pk")),
    SortOption("country", _("Country (A–Z)"), ("country__label_en", "title", "pk")),
    SortOption("-country", _("Country (Z–A)"), ("-country__label_en", "-title", "-pk")),
    *sorts_by_value(
        "start_year",
        "deployment_start_year",
        ascending=_("Start year (earliest first)"),
        descending=_("Start year (latest first)"),
        then=("title", "pk"),
    ),
    *sorts_by_value(
        "budget",
        "budget_amount",
        ascending=_("Budget (smallest first)"),
        descending=_("Budget (largest first)"),
        then=("title", "pk"),
    ),
)
DEFAULT_SORT = "title"


PRESENCE_FILTERS = {
    "q": Words(
        "title__icontains",
        "country__label_en__icontains",
        "country__label_ru__icontains",
        "country__code__iexact",
    ),
    "engagement_type": Equals("engagement_type"),
    "region": Equals("region"),
    "pillar": TermCode("thematic_pillars", Scheme.THEMATIC_PILLAR),
    "population": TermCode("spotlight_populations", Scheme.SPOTLIGHT_POPULATION),
}


def filter_presences(presences, filters):
    """Narrow a queryset of presences by the filters given (a dict; missing keys do nothing)."""
    presences = apply_filters(presences, filters, PRESENCE_FILTERS)
    year = filters.get("active_in")
    if year not in (None, ""):
        # Deployed in that year: started by then and not yet ended (no end year = still there).
        presences = presences.filter(deployment_start_year__lte=year).filter(
            Q(deployment_end_year__gte=year) | Q(deployment_end_year__isnull=True)
        )
    return presences


def sort_presences(presences, key):
    return presences.order_by(*resolve_sort(key, PRESENCE_SORTS, DEFAULT_SORT).order_by)


class PresenceFilterForm(FilterForm):
    """The directory's filters as a plain GET form; invalid values are simply not applied."""

    q = forms.CharField(label=_("Title or country"), required=False, max_length=200)
    engagement_type = forms.ChoiceField(label=_("Type of engagement"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    pillar = forms.ChoiceField(label=_("Thematic pillar"), required=False)
    population = forms.ChoiceField(label=_("Spotlight population"), required=False)
    active_in = forms.IntegerField(
        label=_("Active in (year)"), required=False, min_value=1945, max_value=2100
    )
    sort = sort_field(PRESENCE_SORTS)

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
