"""Reads of activities and organizations, always scoped to what the user may see.

- Internal readers (administrators, coordinators, viewers) see every activity.
- Everybody else sees published activities of published field presences only.
- Organizations are shown to internal readers all, to everybody else only when they took part
  in an activity the reader may see.
- Linked recommendations and plan measures are shown only when the reader may see them.
"""

from typing import TypedDict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from rightstrack.core.roles import can_read_internal
from rightstrack.core.types import AnyUser
from rightstrack.plans.access import visible_measures
from rightstrack.presences.models import Presence
from rightstrack.presences.selectors import visible_presences
from rightstrack.recommendations.selectors import visible_recommendations
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.selectors import active_terms_grouped, prefetch_terms

from .filters import filter_activities, filter_organizations, sort_activities, sort_organizations
from .models import Activity, Organization
from .portfolio import PresencePortfolio, build_portfolio


class ActivityFilters(TypedDict, total=False):
    """The activity list's filters; missing or empty ones filter nothing."""

    q: str  # part of the title, description, place, outputs or outcomes
    presence: str  # a presence slug
    type: str
    pillar: str  # a thematic pillar code
    population: str  # a spotlight population code
    affected: str  # an affected persons code
    partner: int | str | None  # an organization id
    donor: int | str | None  # an organization id
    year: int | str | None  # under way at some time in that year
    published: str | bool | None  # "yes"/"no" or True/False
    sort: str | None  # a key of filters.ACTIVITY_SORTS


class OrganizationFilters(TypedDict, total=False):
    """The organization list's filters; missing or empty ones filter nothing."""

    q: str  # part of the name
    kind: str
    sort: str | None  # a key of filters.ORGANIZATION_SORTS


class ActivityFilterOptions(TypedDict):
    presences: list[Presence]
    pillars: list[Term]
    populations: list[Term]
    affected: list[Term]
    organizations: list[Organization]


def visible_activities(*, user: AnyUser) -> QuerySet[Activity]:
    activities = Activity.objects.all()
    if not can_read_internal(user):
        activities = activities.filter(is_published=True, presence__is_published=True)
    return activities


def _with_pillars(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("presence").prefetch_related(
        *prefetch_terms("thematic_pillars")
    )


def _with_relations(activities: QuerySet[Activity], *, user: AnyUser) -> QuerySet[Activity]:
    """Everything an activity shows, prefetched: a fixed number of queries for any number."""
    return _with_pillars(activities).prefetch_related(
        *prefetch_terms("target_populations", "target_affected_persons"),
        Prefetch("partners", queryset=Organization.objects.order_by("name", "pk")),
        Prefetch("donors", queryset=Organization.objects.order_by("name", "pk")),
        Prefetch(
            "recommendations",
            queryset=visible_recommendations(user)
            .select_related("document", "mechanism")
            .order_by("document__symbol", "number", "pk"),
        ),
        Prefetch(
            "measures",
            queryset=visible_measures(user)
            .select_related("plan")
            .order_by("plan__name", "number", "pk"),
        ),
    )


def activity_list(
    *, user: AnyUser, filters: ActivityFilters | None = None, complete: bool = True
) -> QuerySet[Activity]:
    """Visible activities, filtered and sorted. ``complete``: with every relation prefetched
    (the API and the exports); otherwise only what the list page shows (presence, pillars)."""
    filters = filters or {}
    activities = filter_activities(visible_activities(user=user), filters)
    activities = _with_relations(activities, user=user) if complete else _with_pillars(activities)
    return sort_activities(activities, filters.get("sort"))


def activity_get(*, user: AnyUser, pk: int | str) -> Activity:
    """One activity; 404 when it does not exist or the user may not see it."""
    activity = _with_relations(visible_activities(user=user), user=user).filter(pk=pk).first()
    if activity is None:
        raise Http404(_("No such activity."))
    return activity


def activity_filter_options(*, user: AnyUser) -> ActivityFilterOptions:
    """What the list's select boxes offer: only values the user may see."""
    presences = Presence.objects.filter(
        Exists(visible_activities(user=user).filter(presence=OuterRef("pk")))
    ).order_by("title")
    by_scheme = active_terms_grouped(
        Scheme.THEMATIC_PILLAR, Scheme.SPOTLIGHT_POPULATION, Scheme.AFFECTED_PERSONS
    )
    return {
        "presences": list(presences),
        "pillars": by_scheme[Scheme.THEMATIC_PILLAR],
        "populations": by_scheme[Scheme.SPOTLIGHT_POPULATION],
        "affected": by_scheme[Scheme.AFFECTED_PERSONS],
        "organizations": list(visible_organizations(user=user).order_by("name", "pk")),
    }


def presences_for_activities(*, user: AnyUser) -> QuerySet[Presence]:
    """The presences an activity may be recorded for (the form's choices)."""
    return visible_presences(user=user).order_by("title", "pk")


# Organizations


def _activity_count(user: AnyUser, relation: str) -> Coalesce:
    through = getattr(Activity, relation).through
    column = f"{Organization._meta.model_name}_id"
    links = through.objects.filter(
        **{column: OuterRef("pk")},
        activity__in=visible_activities(user=user),
    )
    return Coalesce(
        Subquery(links.order_by().values(column).annotate(total=Count("pk")).values("total")[:1]),
        Value(0),
    )


def visible_organizations(*, user: AnyUser) -> QuerySet[Organization]:
    organizations = Organization.objects.all()
    if can_read_internal(user):
        return organizations
    activities = visible_activities(user=user)
    return organizations.filter(
        Q(Exists(activities.filter(partners=OuterRef("pk"))))
        | Q(Exists(activities.filter(donors=OuterRef("pk"))))
    )


def organization_list(
    *, user: AnyUser, filters: OrganizationFilters | None = None
) -> QuerySet[Organization]:
    """Visible organizations with how many visible activities each took part in."""
    filters = filters or {}
    organizations = filter_organizations(visible_organizations(user=user), filters)
    organizations = organizations.select_related("country").annotate(
        partner_count=_activity_count(user, "partners"),
        donor_count=_activity_count(user, "donors"),
    )
    return sort_organizations(organizations, filters.get("sort"))


def organization_get(*, user: AnyUser, pk: int | str) -> Organization:
    organization = visible_organizations(user=user).select_related("country").filter(pk=pk).first()
    if organization is None:
        raise Http404(_("No such organization."))
    return organization


def organization_activities(
    *, user: AnyUser, organization: Organization
) -> tuple[list[Activity], list[Activity]]:
    """(activities as partner, activities as donor), visible ones only, latest first."""
    activities = sort_activities(visible_activities(user=user).select_related("presence"), None)
    return (
        list(activities.filter(partners=organization)),
        list(activities.filter(donors=organization)),
    )


# The presence page


def presence_portfolio(*, user: AnyUser, presence: Presence) -> PresencePortfolio:
    """The presence's work as the user may see it: counts by pillar and target group,
    participants, partners and donors, costs against budget needs, and the recommendations and
    plan measures supported with their status (see ``portfolio.PresencePortfolio``)."""
    activities = list(
        sort_activities(
            _with_relations(visible_activities(user=user).filter(presence=presence), user=user),
            None,
        )
    )
    return build_portfolio(presence=presence, activities=activities, user=user)
