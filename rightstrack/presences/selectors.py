"""Reads of presences, always scoped to what the user may see."""

from typing import TypedDict

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from rightstrack.core.roles import can_read_internal
from rightstrack.core.types import AnyUser
from rightstrack.taxonomy.models import Scheme, Term
from rightstrack.taxonomy.selectors import active_terms_grouped, prefetch_terms

from .filters import filter_presences, sort_presences
from .models import FeatureStory, Presence


class PresenceFilters(TypedDict, total=False):
    """The directory's filters; missing or empty ones filter nothing."""

    q: str  # part of the title or the country's name, or the country's code
    engagement_type: str
    region: str
    pillar: str  # a thematic pillar code
    population: str  # a spotlight population code
    active_in: int | str | None  # deployed in that year
    sort: str | None  # a key of filters.PRESENCE_SORTS


class PresenceFilterTerms(TypedDict):
    pillars: list[Term]
    populations: list[Term]


class PresenceFacets(TypedDict):
    """{filter value: number of visible presences} for each filter."""

    engagement_type: dict[str, int]
    region: dict[str, int]
    pillar: dict[str, int]
    population: dict[str, int]


def visible_presences(*, user: AnyUser) -> QuerySet[Presence]:
    """Everything for internal readers; only published presences for everyone else."""
    presences = Presence.objects.all()
    if not can_read_internal(user):
        presences = presences.filter(is_published=True)
    return presences


def presence_list(*, user: AnyUser, filters: PresenceFilters | None = None) -> QuerySet[Presence]:
    """The directory: visible presences, filtered and sorted, with what a listing shows
    prefetched (a fixed number of queries whatever the number of rows)."""
    filters = filters or {}
    presences = filter_presences(visible_presences(user=user), filters)
    presences = presences.select_related("country").prefetch_related(
        *prefetch_terms("thematic_pillars", "spotlight_populations")
    )
    return sort_presences(presences, filters.get("sort"))


def with_profile_terms(presences: QuerySet[Presence]) -> QuerySet[Presence]:
    """Presences with the terms of their profile: country, pillars, shifts, populations."""
    return presences.select_related("country").prefetch_related(
        *prefetch_terms("thematic_pillars", "shifts", "spotlight_populations")
    )


def presence_get(*, user: AnyUser, slug: str) -> Presence:
    """One whole profile; 404 when it does not exist or the user may not see it."""
    presence = (
        with_profile_terms(visible_presences(user=user))
        .prefetch_related(
            Prefetch(
                "feature_stories",
                queryset=FeatureStory.objects.order_by("-published_on", "title", "pk"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if presence is None:
        raise Http404(_("No such field presence."))
    return presence


def feature_story_get(*, user: AnyUser, presence: Presence, story_id: int | str) -> FeatureStory:
    story = FeatureStory.objects.filter(presence=presence, pk=story_id).first()
    if story is None:
        raise Http404(_("No such feature story."))
    return story


def presence_filter_terms() -> PresenceFilterTerms:
    """The terms the directory can be filtered by, in vocabulary order."""
    by_scheme = active_terms_grouped(Scheme.THEMATIC_PILLAR, Scheme.SPOTLIGHT_POPULATION)
    return {
        "pillars": by_scheme[Scheme.THEMATIC_PILLAR],
        "populations": by_scheme[Scheme.SPOTLIGHT_POPULATION],
    }


def presence_facets(*, user: AnyUser) -> PresenceFacets:
    """How many visible presences have each filter value, to show beside the options."""
    visible = visible_presences(user=user)

    def counts(field: str) -> dict[str, int]:
        rows = visible.order_by().values(field).annotate(total=Count("pk", distinct=True))
        return {row[field]: row["total"] for row in rows if row[field]}

    return {
        "engagement_type": counts("engagement_type"),
        "region": counts("region"),
        "pillar": counts("thematic_pillars__code"),
        "population": counts("spotlight_populations__code"),
    }
