"""What each filter and sort order of the activity list means: one definition for the page, the
API and the exports."""

from datetime import date

from django import forms
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from rightstrack.core.filter_fields import sort_field
from rightstrack.core.filtering import (
    Equals,
    FilterForm,
    TermCode,
    Words,
    YesNo,
    apply_filters,
    as_id,
)
from rightstrack.core.listing import SortOption, resolve_sort, sorts_by_value
from rightstrack.taxonomy.models import Scheme

from .models import ActivityType, OrganizationKind

ACTIVITY_SORTS = (
    *reversed(
        sorts_by_value(
            "start",
            "start_date",
            ascending=_("Start date (earliest first)"),
            descending=_("Start date (latest first)"),
            then=("title", "pk"),
        )
    ),
    SortOption("title", _("Title (A–Z)"), ("title", "pk")),
    SortOption("-title", _("Title (Z–A)"), ("-title", "-pk")),
    SortOption("presence", _("Field presence (A–Z)"), ("presence__title", "title", "pk")),
    SortOption("-presence", _("Field presence (Z–A)"), ("-presence__title", "title", "pk")),
    *sorts_by_value(
        "participants",
        "participants_total",
        ascending=_("Participants (fewest first)"),
        descending=_("Participants (most first)"),
        then=("title", "pk"),
    ),
    *sorts_by_value(
        "cost",
        "cost_amount",
        ascending=_("Cost (smallest first)"),
        descending=_("Cost (largest first)"),
        then=("title", "pk"),
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


ACTIVITY_FILTERS = {
    "q": Words(
        "title__icontains",
        "description__icontains",
        "place__icontains",
        "outputs__icontains",
        "outcomes__icontains",
    ),
    "presence": Equals("presence__slug"),
    "type": Equals("type"),
    "pillar": TermCode("thematic_pillars", Scheme.THEMATIC_PILLAR),
    "population": TermCode("target_populations", Scheme.SPOTLIGHT_POPULATION),
    "affected": TermCode("target_affected_persons", Scheme.AFFECTED_PERSONS),
    "published": YesNo("is_published"),
}


def filter_activities(activities, filters):
    """Narrow a queryset of activities by the filters given (a dict; missing keys do nothing).

    ``year``: activities under way at some time in that year; one with a single known date counts
    as taking place on that date, and one with no date never matches.
    """
    activities = apply_filters(activities, filters, ACTIVITY_FILTERS)
    for key, lookup in (("partner", "partners__pk"), ("donor", "donors__pk")):
        if filters.get(key) not in (None, ""):
            organization_id = as_id(filters[key])
            activities = (
                activities.filter(**{lookup: organization_id})
                if organization_id
                else activities.none()
            )
    year = _as_int(filters.get("year"))
    if year is not None and 1 <= year <= 9999:
        activities = activities.annotate(
            _starts=Coalesce("start_date", "end_date"), _ends=Coalesce("end_date", "start_date")
        ).filter(_starts__lte=date(year, 12, 31), _ends__gte=date(year, 1, 1))
    return activities


def sort_activities(activities, key):
    return activities.order_by(*resolve_sort(key, ACTIVITY_SORTS, DEFAULT_SORT).order_by)


ORGANIZATION_FILTERS = {"q": Words("name__icontains"), "kind": Equals("kind")}


def filter_organizations(organizations, filters):
    return apply_filters(organizations, filters, ORGANIZATION_FILTERS)


def sort_organizations(organizations, key):
    sort = resolve_sort(key, ORGANIZATION_SORTS, DEFAULT_ORGANIZATION_SORT)
    return organizations.order_by(*sort.order_by)


def _with_any(choices):
    return [("", _("Any")), *choices]


class ActivityFilterForm(FilterForm):
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
    sort = sort_field(ACTIVITY_SORTS)

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


class OrganizationFilterForm(FilterForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_with_any(OrganizationKind.choices)
    )
    sort = sort_field(ORGANIZATION_SORTS)
