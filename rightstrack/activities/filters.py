"""What each filter and sort order of the activity list means: one definition for the page, the
API and the exports."""

from datetime import date

from django import forms
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from rightstrack.core.listing import SortOption, resolve_sort
from rightstrack.taxonomy.models import Scheme

from .models import ActivityType, OrganizationKind

FILTER_KEYS = (
    "q",
    "presence",
    "type",
    "pillar",
    "population",
    "affected",
    "partner",
    "donor",
    "year",
    "published",
)

ACTIVITY_SORTS = (
    SortOption(
        "-start",
        _("Start date (latest first)"),
        (F("start_date").desc(nulls_last=True), "title", "pk"),
    ),
    SortOption(
        "start",
        _("Start date (earliest first)"),
        (F("start_date").asc(nulls_last=True), "title", "pk"),
    ),
    SortOption("title", _("Title (A–Z)"), ("title", "pk")),
    SortOption("-title", _("Title (Z–A)"), ("-title", "-pk")),
    SortOption("presence", _("Field presence (A–Z)"), ("presence__title", "title", "pk")),
    SortOption("-presence", _("Field presence (Z–A)"), ("-presence__title", "title", "pk")),
    SortOption(
        "participants",
        _("Participants (fewest first)"),
        (F("participants_total").asc(nulls_last=True), "title", "pk"),
    ),
    SortOption(
        "-participants",
        _("Participants (most first)"),
        (F("participants_total").desc(nulls_last=True), "title", "pk"),
    ),
    SortOption(
        "cost", _("Cost (smallest first)"), (F("cost_amount").asc(nulls_last=True), "title", "pk")
    ),
    SortOption(
        "-cost", _("Cost (largest first)"), (F("cost_amount").desc(nulls_last=True), "title", "pk")
    ),
)
DEFAULT_SORT = "-start"

ORGANIZATION_SORTS = (
    SortOption("name", _("Name (A–Z)"), ("name", "pk")),
    SortOption("-name", _("Name (Z–A)"), ("-name", "-pk")),
    SortOption("kind", _("Kind"), ("kind", "name", "pk")),
    SortOption("-kind", _("Kind (reversed)"), ("-kind", "name", "pk")),
)
DEFAULT_ORGANIZATION_SORT = "name"


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def filter_activities(activities, filters):
    """Narrow a queryset of activities by the filters given (a dict; missing keys do nothing).

    ``year``: activities under way at some time in that year; one with a single known date counts
    as taking place on that date, and one with no date never matches.
    """
    query = (filters.get("q") or "").strip()
    if query:
        activities = activities.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(place__icontains=query)
            | Q(outputs__icontains=query)
            | Q(outcomes__icontains=query)
        )
    if filters.get("presence"):
        activities = activities.filter(presence__slug=filters["presence"])
    if filters.get("type"):
        activities = activities.filter(type=filters["type"])
    if filters.get("pillar"):
        activities = activities.filter(
            thematic_pillars__scheme=Scheme.THEMATIC_PILLAR,
            thematic_pillars__code=filters["pillar"],
        )
    if filters.get("population"):
        activities = activities.filter(
            target_populations__scheme=Scheme.SPOTLIGHT_POPULATION,
            target_populations__code=filters["population"],
        )
    if filters.get("affected"):
        activities = activities.filter(
            target_affected_persons__scheme=Scheme.AFFECTED_PERSONS,
            target_affected_persons__code=filters["affected"],
        )
    partner = _as_int(filters.get("partner"))
    if filters.get("partner") not in (None, ""):
        activities = activities.filter(partners__pk=partner) if partner else activities.none()
    donor = _as_int(filters.get("donor"))
    if filters.get("donor") not in (None, ""):
        activities = activities.filter(donors__pk=donor) if donor else activities.none()
    year = _as_int(filters.get("year"))
    if year is not None and 1 <= year <= 9999:
        activities = activities.annotate(
            _starts=Coalesce("start_date", "end_date"), _ends=Coalesce("end_date", "start_date")
        ).filter(_starts__lte=date(year, 12, 31), _ends__gte=date(year, 1, 1))
    published = filters.get("published")
    if published in ("yes", True):
        activities = activities.filter(is_published=True)
    elif published in ("no", False):
        activities = activities.filter(is_published=False)
    return activities


def sort_activities(activities, key):
    return activities.order_by(*resolve_sort(key, ACTIVITY_SORTS, DEFAULT_SORT).order_by)


def filter_organizations(organizations, filters):
    query = (filters.get("q") or "").strip()
    if query:
        organizations = organizations.filter(name__icontains=query)
    if filters.get("kind"):
        organizations = organizations.filter(kind=filters["kind"])
    return organizations


def sort_organizations(organizations, key):
    sort = resolve_sort(key, ORGANIZATION_SORTS, DEFAULT_ORGANIZATION_SORT)
    return organizations.order_by(*sort.order_by)


def _with_any(choices):
    return [("", _("Any")), *choices]


class ActivityFilterForm(forms.Form):
    """The list's filters as a plain GET form; invalid values are simply not applied.

    The options of the select boxes come from ``selectors.activity_filter_options``; values are
    not checked against them (an unknown code matches nothing), so the HTMX partial, which
    renders no form, needs no options.
    """

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    presence = forms.CharField(label=_("Field presence"), required=False, widget=forms.Select)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=_with_any(ActivityType.choices)
    )
    pillar = forms.CharField(label=_("Thematic pillar"), required=False, widget=forms.Select)
    population = forms.CharField(
        label=_("Spotlight population"), required=False, widget=forms.Select
    )
    affected = forms.CharField(label=_("Affected persons"), required=False, widget=forms.Select)
    partner = forms.IntegerField(
        label=_("Partner"), required=False, min_value=1, widget=forms.Select
    )
    donor = forms.IntegerField(label=_("Donor"), required=False, min_value=1, widget=forms.Select)
    year = forms.IntegerField(
        label=_("Under way in (year)"), required=False, min_value=1945, max_value=2100
    )
    published = forms.ChoiceField(
        label=_("Published"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Published")), ("no", _("Not published"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(option.key, option.label) for option in ACTIVITY_SORTS],
    )

    def __init__(self, *args, options=None, show_published=False, **kwargs):
        super().__init__(*args, **kwargs)
        options = options or {}
        self.fields["presence"].widget.choices = _with_any(
            [(presence.slug, presence.title) for presence in options.get("presences", ())]
        )
        for name, key in (("pillar", "pillars"), ("population", "populations")):
            self.fields[name].widget.choices = _with_any(
                [(term.code, term.label) for term in options.get(key, ())]
            )
        self.fields["affected"].widget.choices = _with_any(
            [(term.code, term.short_label) for term in options.get("affected", ())]
        )
        organizations = [(org.pk, org.name) for org in options.get("organizations", ())]
        self.fields["partner"].widget.choices = _with_any(organizations)
        self.fields["donor"].widget.choices = _with_any(organizations)
        if not show_published:
            del self.fields["published"]

    def filters(self):
        """The valid filters, as the dict that activity_list takes; invalid ones are dropped."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            key: cleaned[key]
            for key in (*FILTER_KEYS, "sort")
            if cleaned.get(key) not in (None, "")
        }


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_with_any(OrganizationKind.choices)
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(option.key, option.label) for option in ORGANIZATION_SORTS],
    )

    def filters(self):
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            key: cleaned[key] for key in ("q", "kind", "sort") if cleaned.get(key) not in (None, "")
        }
